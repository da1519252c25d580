"""SPARQL commands: ``queries`` (the named query library) and ``query`` (run one)."""
from __future__ import annotations

import sys

import click

from ..errors import QueryError
from ..output import table, to_json
from .options import format_option

QUERY_FORMATS = ("table", "csv", "tsv", "json", "sparql-json", "sparql-xml", "ttl", "jsonld", "nt")


@click.command("queries")
@format_option("text", "json")
def queries_cmd(fmt):
    """List the named SPARQL queries, with their parameters.

    \b
    Examples:
      rolegraph queries
      rolegraph queries --format json
    """
    from .. import queries

    lib = queries.library()
    if fmt == "json":
        click.echo(to_json([q.as_dict() for q in lib.values()]))
        return
    rows = [{"name": q.name, "title": q.title,
             "parameters": ", ".join(p.name + (f"={p.default}" if p.default is not None else "") for p in q.parameters)}
            for q in lib.values()]
    click.echo(table(rows, ["name", "title", "parameters"], ["query", "title", "parameters (default)"]))
    click.echo("\nRun one with: rolegraph query NAME [--param NAME=VALUE ...]")


def _params(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for v in values:
        name, eq, value = v.partition("=")
        if not eq or not name.strip():
            raise QueryError(f"bad --param {v!r}", "write --param NAME=VALUE")
        if name.strip() in out:
            raise QueryError(f'parameter "{name.strip()}" given twice')
        out[name.strip()] = value
    return out


def _compact(value):
    """An IRI as a prefixed name (role:data-engineer) for the table; other values as they are."""
    from ..namespaces import PREFIXES

    if isinstance(value, str) and value.startswith(("http://", "https://")):
        best = max((ns for ns in PREFIXES.values() if value.startswith(ns)), key=len, default=None)
        if best and "/" not in value[len(best):] and "#" not in value[len(best):]:
            prefix = next(p for p, n in PREFIXES.items() if n == best)
            return f"{prefix}:{value[len(best):]}"
    return value


@click.command("query")
@click.argument("query", metavar="NAME|FILE.rq|-")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter (repeatable). Roles, levels and skills may be given by name or IRI.")
@click.option("--format", "fmt", type=click.Choice(QUERY_FORMATS), default=None,
              help="SELECT: table (default), csv, tsv, json, sparql-json, sparql-xml. "
                   "CONSTRUCT/DESCRIBE: ttl (default), jsonld, nt. ASK prints true or false.")
@click.option("--timeout", type=click.FloatRange(0.1, None), metavar="SECONDS",
              help="Stop the query after this many seconds (exit 2). Ctrl-C always stops it at once.")
@click.pass_obj
def query_cmd(app, query, params, fmt, timeout):
    """Run a named SPARQL query, a .rq file, or a query read from standard input (-).

    Read-only: SELECT, ASK, CONSTRUCT and DESCRIBE run; SPARQL Update, LOAD and
    SERVICE are refused. rolegraph's prefixes (rg:, skos:, role:, skill:, ...)
    are declared for you. Parameter values are bound as RDF terms, never pasted
    into the query.

    \b
    Examples:
      rolegraph queries
      rolegraph query shared-skills -p "a=Chief information security officer" -p "b=Chief technology officer"
      rolegraph query skill-demand -p "skill=Data modelling" -p min_level=expert --format csv
      echo 'SELECT (COUNT(*) AS ?n) WHERE { ?r a rg:Role }' | rolegraph query -
    """
    from .. import queries
    from ..limits import run_isolated
    from ..safe_io import decode_text

    stdin_text = decode_text(sys.stdin.buffer.read(), "standard input") if query == "-" else None
    named = queries.load(query, stdin_text)
    given = _params(params)
    form = queries.check(named.text)
    if form in ("SELECT", "ASK") and fmt in queries.GRAPH_FORMATS:
        raise QueryError(f"--format {fmt} is for CONSTRUCT and DESCRIBE queries; this is a {form}",
                         "use table, csv, tsv, json, sparql-json or sparql-xml")
    if form in ("CONSTRUCT", "DESCRIBE") and fmt and fmt not in queries.GRAPH_FORMATS:
        raise QueryError(f"--format {fmt} is for SELECT queries; this is a {form}", "use ttl, jsonld or nt")
    g = app.graph
    bindings = queries.resolve_params(g, named, given)
    # run and format in a child process: a time limit can stop it, Ctrl-C stops it at once
    out, note = run_isolated(lambda: _render(queries.run(g, named.text, bindings), fmt), timeout=timeout)
    click.echo(out, nl=False)
    if note:
        click.echo(note, err=True)


def _render(result, fmt) -> tuple[bytes, str | None]:
    """A query's answer as the bytes to print, and a note for standard error."""
    if result.form == "ASK":
        if fmt in ("sparql-json", "sparql-xml"):
            return result.serialize(fmt).rstrip(b"\n") + b"\n", None
        return b"true\n" if result.boolean else b"false\n", None
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        data = result.serialize(fmt or "ttl")
        return (data if data.endswith(b"\n") else data + b"\n"), None
    if fmt in (None, "table"):
        rows = [{k: _compact(v) for k, v in r.items()} for r in result.rows()]
        return (table(rows, result.variables) + "\n").encode("utf-8"), \
            f"({len(rows)} row{'s' if len(rows) != 1 else ''})"
    if fmt == "json":
        return (to_json(result.rows()) + "\n").encode("utf-8"), None
    data = result.serialize(fmt)
    if fmt in ("sparql-json", "sparql-xml") and not data.endswith(b"\n"):
        data += b"\n"
    return data, None


COMMANDS = [queries_cmd, query_cmd]
