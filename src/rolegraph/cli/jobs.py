"""The job-description command: a job description and interview scoring sheet for one role level."""
from __future__ import annotations

import os
from pathlib import Path

import click

from .options import format_option


@click.command("job-description")
@click.argument("level", metavar="LEVEL")
@format_option("md", "html", "jsonld", "docx", default="md")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to this file (atomically) instead of standard output.")
@click.option("--scoring-sheet", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE.csv",
              help="Also write an interview scoring sheet (CSV: skill, level expected, what it means, evidence, "
                   "score 1-7) to this file.")
@click.option("--organisation", metavar="NAME",
              help="The hiring organisation (schema.org hiringOrganization); not a framework fact, so left out "
                   "unless given.")
@click.option("--date-posted", metavar="YYYY-MM-DD",
              help="The date the vacancy is posted (schema.org datePosted); left out unless given.")
@click.pass_obj
def job_description_cmd(app, level, fmt, output, scoring_sheet, organisation, date_posted):
    """A job description for the role level LEVEL (or a Senior Civil Service role): title,
    role, job family, grades, summary and every skill required with the level and what it
    means, as Markdown, one self-contained HTML page, schema.org JobPosting JSON-LD
    (skills as DefinedTerm) or a Word document (docx, with the extra rolegraph[docx]);
    with --scoring-sheet, an interview scoring sheet as CSV too.

    \b
    Examples:
      rolegraph job-description "Senior data engineer"
      rolegraph job-description "Senior data engineer" --format html -o senior-data-engineer.html
      rolegraph job-description "Lead security architect" --format jsonld --organisation "HM Revenue and Customs"
      rolegraph job-description "Senior data engineer" --scoring-sheet scoring.csv -o jd.md
      rolegraph job-description "Senior data engineer" --format docx -o senior-data-engineer.docx
    """
    from .. import jobs
    from ..atomic import write_atomic

    if scoring_sheet is not None and output is not None and scoring_sheet.resolve() == output.resolve():
        raise click.UsageError("--scoring-sheet and -o name the same file")
    if output is None and fmt in ("html", "docx"):
        from .report import refuse_terminal

        refuse_terminal(f"the job description is a whole {'HTML page' if fmt == 'html' else 'Word document'}",
                        f"job-description ... --format {fmt} -o jd.{fmt}")
    jd = jobs.job_description(app.graph, level)
    for note in jd.notes:
        app.graph.notes.append(note)
    if fmt == "docx":
        from ..jobs_docx import to_docx

        text: str | bytes = to_docx(jd, organisation=organisation, date_posted=date_posted)
    else:
        text = jobs.render(jd, fmt, organisation=organisation, date_posted=date_posted)  # checks the options first
    sheet = jobs.scoring_sheet(jd) if scoring_sheet is not None else None
    # the sheet first: when the description then cannot be written, a sheet this run created is removed again,
    # so a failure leaves neither file behind
    new_sheet = scoring_sheet is not None and not os.path.lexists(scoring_sheet)
    if sheet is not None:
        write_atomic(scoring_sheet, sheet)
    try:
        if output:
            write_atomic(output, text)
        elif isinstance(text, bytes):
            click.get_binary_stream("stdout").write(text)
        else:
            click.echo(text, nl=False)
    except BaseException:
        if new_sheet:
            Path(scoring_sheet).unlink(missing_ok=True)
        raise
    if output:
        click.echo(f"Wrote the job description of {jd.title} to {output}", err=True)
    if sheet is not None:
        click.echo(f"Wrote the interview scoring sheet of {jd.title} to {scoring_sheet}", err=True)

COMMANDS = [job_description_cmd]

from . import main as _main  # noqa: E402  (cli/__init__ imports this module after `main` is defined)

for _command in COMMANDS:
    _main.add_command(_command)
