"""Crosswalk commands: import, export and suggest SSSOM mappings. Parse, call rolegraph.crosswalk, print.

Nothing is written unless ``-o`` is given (then atomically, after everything was read and checked).
"""
from __future__ import annotations

from pathlib import Path

import click

from ..output import table, to_json
from . import main
from .options import format_option
from .people import _emit  # one way to write -o output atomically, shared with assess and team


@click.group("crosswalk")
def crosswalk_group():
    """Mappings to other frameworks (ESCO, SFIA, ...) as SSSOM: import, export, suggest.

    Mappings link the framework's skills and role levels to another
    framework's codes or IRIs with skos:exactMatch, closeMatch, broadMatch,
    narrowMatch or relatedMatch, a confidence and a justification. The
    bundled data has a small hand-checked starter crosswalk
    (data/crosswalks/starter.ttl).

    \b
    Examples:
      rolegraph crosswalk export -o starter.sssom.tsv
      rolegraph crosswalk import mine.sssom.tsv -o data/crosswalks/mine.ttl
      rolegraph crosswalk suggest --to esco "Data scientist"
    """


@crosswalk_group.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the Turtle to this file (atomically) instead of standard output.")
@click.pass_obj
def import_cmd(app, file, output):
    """Read the SSSOM/TSV mapping set FILE, check it, and write it as Turtle for a data folder.

    Every subject must be a skill or role level of the framework (skill:...,
    level:... with those prefixes in the curie_map); objects are absolute
    http(s) IRIs written as CURIEs; confidence is from 0 to 1;
    mapping_justification a SEMAPV term. Load the Turtle with the framework
    (put it in data/crosswalks/, or pass it with --data) to query the
    mappings in SPARQL and see them on the explorer's pages.

    \b
    Examples:
      rolegraph crosswalk import mine.sssom.tsv -o data/crosswalks/mine.ttl
      rolegraph --data data/ --data mine.ttl crosswalk export --set https://example.org/mine
    """
    from ..crosswalk import read_sssom

    result = read_sssom(app.graph, file)
    counts = result.to_dict()
    summary = ", ".join(f"{n} {p}" for p, n in counts["by_predicate"].items())
    what = f"{counts['mappings']} mappings of {counts['mapping_set_id']} ({summary})"
    _emit(result.turtle, output, what)
    if not output:
        click.echo(f"Checked {what}", err=True)


@crosswalk_group.command("export")
@click.option("--set", "set_id", metavar="IRI",
              help="The mapping set to write (its mapping_set_id); needed when the graph holds several.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to this file (atomically) instead of standard output.")
@click.pass_obj
def export_cmd(app, set_id, output):
    """Write a mapping set held in the graph as SSSOM/TSV (the same rows and metadata as imported).

    \b
    Examples:
      rolegraph crosswalk export
      rolegraph crosswalk export -o starter.sssom.tsv
    """
    from ..crosswalk import export

    _emit(export(app.graph, set_id), output, "the mapping set")


@crosswalk_group.command("suggest")
@click.argument("name", required=False)
@click.option("--to", "to", type=click.Choice(["esco", "sfia"]), required=True,
              help="The framework to suggest mappings to.")
@click.option("--top", default=3, show_default=True, type=click.IntRange(1, 50),
              help="At most this many suggestions for each skill or role level.")
@click.option("--min-score", default=0.1, show_default=True, type=click.FloatRange(0, 1),
              help="Leave out suggestions scoring below this (0-1).")
@format_option("text", "json", "sssom")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to this file (atomically) instead of standard output.")
@click.pass_obj
def suggest_cmd(app, name, to, top, min_score, fmt, output):
    """Suggest mappings from NAME (a skill or role level; default: all of them) to ESCO or SFIA.

    Candidates come from comparing names and descriptions (TF-IDF) with a
    small committed list of ESCO labels or SFIA codes (with keywords in our
    own words). They are SUGGESTIONS for a person to confirm, never mappings:
    as SSSOM (--format sssom) each has mapping_justification
    semapv:LexicalMatching, predicate skos:relatedMatch and the score as its
    confidence; edit and confirm them, then import the file.

    \b
    Examples:
      rolegraph crosswalk suggest --to esco "Data scientist"
      rolegraph crosswalk suggest --to sfia --top 1 --format sssom -o to-check.sssom.tsv
    """
    from ..crosswalk import suggest, write

    s = suggest(app.graph, to, name, top, min_score)
    if fmt == "json":
        text = to_json(s.to_dict()) + "\n"
    elif fmt == "sssom":
        text = write(s.mapping_set())
    else:
        rows = [{"for": i.subject_label, "kind": i.subject_kind, "suggestion": i.object_label, "object": i.object,
                 "score": f"{i.score:.3f}"} for i in s.items]
        head = (f"Suggestions to {to.upper()} from names and descriptions: confirm each one before you use it.\n\n")
        text = head + (table(rows, ["for", "kind", "suggestion", "object", "score"]) + "\n" if rows
                       else "No suggestion scored at least the minimum.\n")
    _emit(text, output, f"{len(s.items)} suggestions")


main.add_command(crosswalk_group)
COMMANDS: list[click.Command] = []   # registered above, as a group
