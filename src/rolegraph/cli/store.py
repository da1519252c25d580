"""The load and publish commands: fill a store folder, or upload the framework to a SPARQL server."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import InputError, RolegraphError
from .options import format_option


@click.command("load")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--validate/--no-validate", default=True, show_default=True,
              help="Check the data against the SHACL shapes before it replaces the store's content.")
@format_option("text", "json")
@click.pass_obj
def load_cmd(app, paths, validate, fmt):
    """Fill the --store folder with PATHS (default: the bundled framework), replacing its content atomically.

    The data is loaded into a new folder beside the old content and checked;
    only then does the store switch to it, so readers never see a half-loaded
    store and a failed load changes nothing. Exit status: 0 loaded, 1 the data
    has SHACL violations (store unchanged), 2 unusable input.

    \b
    Examples:
      rolegraph --store ~/rolegraph-store load
      rolegraph --store ~/rolegraph-store load my-framework/ --no-validate
      rolegraph --store ~/rolegraph-store role "Data engineer"
    """
    from ..careers.prepare import prepare
    from ..graph import RoleGraph
    from ..store_fill import fill_store

    if app.store is None:
        raise InputError("load needs a store folder", "rolegraph --store DIR load [PATH ...]")
    done = fill_store(app.store, paths or None, validate=validate)
    # the career caches, built now into the store's cache, so the first command after load is not the slow one;
    # data the career commands cannot use (no ladders, say) is still loaded: they will say why when run
    try:
        prepared = prepare(RoleGraph.open(app.store))
    except RolegraphError as exc:
        prepared = []
        click.echo(f"Note: the career commands were not prepared ({exc})", err=True)
    if fmt == "json":
        click.echo(json.dumps({**done.to_dict(), "prepared": prepared}, indent=2))
        return
    checked = (f"; validated: {done.violations} violations, {done.warnings} warnings" if done.violations is not None
               else "; not validated")
    click.echo(f"Loaded {done.meta.triples:,} triples from {len(done.meta.files)} files into {done.store}{checked}.")
    if prepared:
        click.echo(f"Prepared for the career commands: {', '.join(prepared)}.")


@click.command("publish")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--graph-store", required=True, metavar="URL",
              help="The server's SPARQL 1.1 Graph Store Protocol URL (e.g. Oxigraph's /store, "
                   "Virtuoso's /sparql-graph-crud-auth).")
@click.option("--batch", type=click.IntRange(1), default=50_000, show_default=True,
              help="Triples per request (the first replaces the graph, the others add to it).")
@format_option("text", "json")
@click.pass_obj
def publish_cmd(app, paths, graph_store, batch, fmt):
    """Replace a graph on a SPARQL server with PATHS (default: the bundled framework, or --store's content).

    Uses the SPARQL 1.1 Graph Store Protocol: the first batch replaces the graph
    named by --graph (the server's default graph without it), the others add to
    it; then the graph's triples are counted: with a COUNT query when --endpoint
    gives the server's query endpoint (do so for Virtuoso, which cuts the graph
    read back at its row cap), else by reading the graph back. Login from
    ROLEGRAPH_ENDPOINT_USER and ROLEGRAPH_ENDPOINT_PASSWORD (Basic or Digest).

    \b
    Examples:
      rolegraph publish --graph-store http://127.0.0.1:7878/store
      ROLEGRAPH_ENDPOINT_USER=dba ROLEGRAPH_ENDPOINT_PASSWORD=... rolegraph \\
        --endpoint http://127.0.0.1:8890/sparql --graph https://example.org/ddat \\
        publish --graph-store http://127.0.0.1:8890/sparql-graph-crud-auth
    """
    from ..graph import RoleGraph
    from ..store.remote import publish

    if paths and (app.data or app.store):
        raise InputError("give the data to publish either as PATHS or with --data/--store, not both")
    graph = RoleGraph.open(app.store) if app.store else RoleGraph.load(paths or app.data or None)
    done = publish(graph_store, graph.backend, app.graph_iri, batch=batch, timeout=max(app.timeout, 300.0),
                   endpoint=app.endpoint)
    if fmt == "json":
        click.echo(json.dumps(done.to_dict(), indent=2))
        return
    where = f"graph <{done.graph}>" if done.graph else "the default graph"
    click.echo(f"Published {done.triples:,} triples to {where} of {done.graph_store} in {done.batches} "
               f"request(s); the server holds {done.verified:,}.")
    click.echo(f"Stamped {done.stamp} (--endpoint processes may cache what they derive from it)." if done.stamp
               else f"Not stamped: {done.unstamped} (--endpoint processes build their indexes every time).")


@click.command("stamp")
@click.option("--graph-store", required=True, metavar="URL",
              help="The Graph Store Protocol URL of the --endpoint's server (the stamp is written there).")
@format_option("text", "json")
@click.pass_obj
def stamp_cmd(app, graph_store, fmt):
    """Stamp the --endpoint's graph (and --graph) with a digest of its content and its triple count.

    `publish` stamps what it uploads; run this after loading or editing the graph
    with other tools, so that later --endpoint commands may keep what they derive
    from it (name and career indexes) in the local cache instead of rebuilding
    it from the server every time. Reads the whole graph once. Login from
    ROLEGRAPH_ENDPOINT_USER and ROLEGRAPH_ENDPOINT_PASSWORD.

    \b
    Examples:
      rolegraph --endpoint http://127.0.0.1:7878/query stamp --graph-store http://127.0.0.1:7878/store
    """
    from ..store.remote import stamp

    if app.endpoint is None:
        raise InputError("stamp needs the server's query endpoint", "rolegraph --endpoint URL stamp --graph-store URL")
    done = stamp(graph_store, app.graph.backend, timeout=max(app.timeout, 300.0))
    if fmt == "json":
        click.echo(json.dumps(done.to_dict(), indent=2))
        return
    click.echo(f"Stamped {done.key} ({done.triples:,} triples).")


COMMANDS = [load_cmd, publish_cmd, stamp_cmd]
