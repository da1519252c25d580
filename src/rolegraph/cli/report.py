"""Report and export commands."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .options import format_option


@click.command("report")
@click.argument("names", nargs=-1, metavar="[FROM] [TO]")
@click.option("--profile", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
              help="Start the path from your self-rated profile (as for assess) instead of FROM: give only TO. "
                   "Read, used and forgotten: never cached, logged or stored.")
@format_option("html", "md", default="html")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to this file (atomically) instead of standard output (HTML is never printed on a "
                   "terminal: give -o or pipe it).")
@click.option("--alternatives", default=2, show_default=True, type=click.IntRange(0, 10),
              help="How many alternative paths to include.")
@click.option("--max-grade-step", default=1, show_default=True, type=click.IntRange(0, 9),
              help="Largest grade rise allowed in one move.")
@click.option("--allow-down", is_flag=True, help="Allow moves to a lower grade.")
@click.option("--grade", metavar="GRADE", help="The grade you hold in FROM (e.g. SEO); default: the bottom of "
                                                  "FROM's band, stated in the report.")
@click.pass_obj
def report_cmd(app, names, profile, fmt, output, alternatives, max_grade_step, allow_down, grade):
    """A career-path report from FROM to TO, or with no TO a profile of the role FROM;
    with --profile FILE and TO, a path report from your profile.

    The path report gives a summary (grade change, steps, overall gap), the
    recommended path as an SVG diagram, each step's shared skills and skills to
    develop (current -> required level), alternatives, the skill-level
    definitions used and provenance. HTML is one self-contained file that
    prints on A4; Markdown is CommonMark.

    \b
    Examples:
      rolegraph report "Security architect" "Chief information security officer" -o ciso.html
      rolegraph report "Security architect" "Chief information security officer" --grade G7 --format md
      rolegraph report "Chief information security officer" "Chief technology officer" --format md
      rolegraph report "Data engineer" -o data-engineer.html
      rolegraph report --profile me.csv "Lead data engineer" -o my-path.html
    """
    from .. import reports
    from ..atomic import write_atomic
    from .career import _read_person

    g = app.graph
    if profile is not None:
        if len(names) != 1:
            raise click.UsageError("with --profile give only TO (the profile is where you start)")
        origin, dest = None, names[0]
    elif len(names) not in (1, 2):
        raise click.UsageError("give FROM [TO], or --profile FILE and TO")
    else:
        origin, dest = names[0], names[1] if len(names) == 2 else None
    if output is None and fmt == "html":
        refuse_terminal("the report is a whole HTML page", "report ... -o report.html")
    if dest:
        context = reports.path_report(g, origin, dest, alternatives=alternatives, max_grade_step=max_grade_step,
                                      allow_down=allow_down, grade=grade, profile=_read_person(g, profile))
    else:
        if grade is not None:
            raise click.UsageError("--grade needs TO (a path report)")
        context = reports.role_report(g, origin)
    text = reports.render(context, fmt)
    if output:
        write_atomic(output, text)
        click.echo(f"Wrote {context['title']} to {output}", err=True)
    else:
        click.echo(text, nl=False)


@click.command("export")
@format_option("ttl", "jsonld", "nt", "graphml", "csv", "case", "ctdl", "schemaorg", default="ttl")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to this file (atomically) instead of standard output (a pipe; never a terminal).")
@click.option("--family", metavar="NAME",
              help="With case, ctdl or schemaorg: export only this job family (its roles, levels and the skills "
                   "they require).")
@click.pass_obj
def export_cmd(app, fmt, output, family):
    """Export the graph: RDF (ttl, jsonld, nt), the career-move graph as GraphML (Gephi, yEd),
    the role-level similarity matrix as CSV (labels as headers), or the framework in an
    open skills format: 1EdTech CASE 1.1 JSON (case), CTDL-ASN JSON-LD as Rich Skill
    Descriptors (ctdl) or a schema.org DefinedTermSet of the skills (schemaorg).

    \b
    Examples:
      rolegraph export --format ttl -o rolegraph.ttl
      rolegraph export --format graphml -o moves.graphml
      rolegraph export --format csv -o similarity.csv
      rolegraph export --format case -o ddat.case.json
      rolegraph export --format ctdl --family Data -o data.ctdl.jsonld
    """
    from ..atomic import write_atomic
    from ..export import SKILLS_FORMATS, export

    if family is not None and fmt not in SKILLS_FORMATS:
        raise click.UsageError(f"--family applies only to --format {', '.join(SKILLS_FORMATS)}")
    if output is None:
        refuse_terminal(f"a {fmt} export is a whole file", f"export --format {fmt} -o rolegraph.{fmt}")
    data = export(app.graph, fmt, family)
    if output:
        write_atomic(output, data)
        click.echo(f"Wrote {fmt} export to {output}", err=True)
    else:
        click.echo(data.decode("utf-8"), nl=False)


def refuse_terminal(what: str, example: str) -> None:
    """Refuse to pour a file meant for a browser or another program onto a terminal: say how to write it (``-o``)
    or pipe it. Standard output that is a pipe or a file is written as before."""
    from ..errors import OutputError

    try:
        terminal = sys.stdout.isatty()
    except (AttributeError, ValueError):   # closed or replaced standard output
        terminal = False
    if terminal:
        raise OutputError(f"{what}, not for the terminal: write it to a file with -o (rolegraph {example}) or "
                           "pipe it to a program")


COMMANDS = [report_cmd, export_cmd]
