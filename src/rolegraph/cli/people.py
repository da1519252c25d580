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
