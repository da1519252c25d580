"""People commands: assess (one profile), team (a roster). Parse, call rolegraph.people, format.

A profile or roster is personal data: it is read, used and forgotten. Nothing is written unless ``-o`` is
given (then atomically, after everything was read), and nothing is cached or logged.
"""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import one_line
from ..output import to_json
from .options import format_option


@click.command("assess")
@click.argument("profile", type=click.Path(path_type=Path, dir_okay=False))
@format_option("text", "json", "md", "html")
@click.option("--top", default=10, show_default=True, type=click.IntRange(1, 1000),
              help="How many best-fitting role levels to list.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to this file (atomically) instead of standard output.")
@click.pass_obj
def assess_cmd(app, profile, fmt, top, output):
    """Assess a self-rated PROFILE: the role levels that fit best, gaps, readiness, a development plan.

    PROFILE is a CSV/TSV file of skill,level[,evidence] rows (levels 0-4 or not
    yet, awareness, working, practitioner, expert; "# grade: SEO" and
    "# role level: NAME" comment lines), a JSON file or a Turtle file (see the
    README, "For people and teams"). Fit = the share of a level's
    level-weighted requirements the profile meets (0-1). Markdown and HTML are
    an evidence pack for a conversation with a line manager.

    \b
    Examples:
      rolegraph assess me.csv
      rolegraph assess me.csv --format html -o my-assessment.html
    """
    from ..people import assess, read_profile, render

    g = app.graph
    p = read_profile(g, profile)
    for note in p.notes:
        click.echo(f"Note: {one_line(note)}", err=True)
    result = assess.assess(g, p, top=top).to_dict()
    text = to_json(result) + "\n" if fmt == "json" else render.assessment(result, fmt)
    _emit(text, output, "the assessment")


def _emit(text: str, output: Path | None, what: str) -> None:
    from ..atomic import write_atomic

    if output:
        write_atomic(output, text)
        click.echo(f"Wrote {what} to {output}", err=True)
    else:
        click.echo(text, nl=False)


COMMANDS = [assess_cmd]


@click.command("team")
@click.argument("roster", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--profiles", type=click.Path(path_type=Path, file_okay=False),
              help="Folder of one profile per person (PERSON.csv, .tsv, .json or .ttl).")
@click.option("--target", type=click.Path(path_type=Path, dir_okay=False),
              help="CSV of role level,count: the structure the team should have (for hiring gaps).")
@format_option("text", "json", "csv", "html", "svg")
@click.option("--aggregate", is_flag=True,
              help="Only the shareable view: no person named, counts below --min-count hidden.")
@click.option("--min-count", default=5, show_default=True, type=click.IntRange(1, 1000),
              help="In the aggregate view, counts from 1 to this minus 1 are shown as <N.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to this file (atomically) instead of standard output.")
@click.pass_obj
def team_cmd(app, roster, profiles, target, fmt, aggregate, min_count, output):
    """A team's capability map from ROSTER: coverage, heatmap, single points of failure, succession, hiring gaps.

    ROSTER is a CSV of person,role level[,grade] with --profiles DIR holding
    one profile per person, or one long CSV with a header
    person,skill,level[,evidence][,role level][,grade]. Person ids are
    pseudonymous. HTML has the heatmap (SVG) and the table behind it; svg is
    the heatmap alone; csv the coverage table.

    \b
    Examples:
      rolegraph team roster.csv --profiles profiles/ --target target.csv
      rolegraph team team-long.csv --aggregate --format html -o team.html
    """
    from ..people import render, team

    g = app.graph
    members = team.read_team(g, roster, profiles)
    goal = team.read_target(g, target) if target else None
    t = team.team(g, members, goal, min_count=min_count)
    if fmt == "json":
        text = to_json(t.aggregate() if aggregate else t.to_dict()) + "\n"
    else:
        text = render.team_map(t, fmt, aggregate)
    _emit(text, output, "the team map")


COMMANDS.append(team_cmd)
