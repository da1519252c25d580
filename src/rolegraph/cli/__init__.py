"""The ``rolegraph`` command line. Thin: parse arguments, call the library, print.

Command groups live in their own modules (browse, validate, ...); heavy
libraries (pyshacl, networkx, rdflib's SPARQL engine) are imported inside the
commands that need them, so ``rolegraph role X`` starts fast.
"""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import one_line
from ..store import BACKENDS


class AppContext:
    """What every command shares: where the graph comes from, and the graph once opened."""

    def __init__(self, data: tuple[Path, ...], backend: str, store: Path | None = None,
                 endpoint: str | None = None, graph_iri: str | None = None, timeout: float = 60.0,
                 page_size: int | None = None):
        self.data = data
        self.backend = backend
        self.store = store
        self.endpoint = endpoint
        self.graph_iri = graph_iri
        self.timeout = timeout
        self.page_size = page_size
        self._graph = None

    @property
    def graph(self):
        if self._graph is None:
            from ..graph import RoleGraph

            if self.store is not None:
                self._graph = RoleGraph.open(self.store)
            elif self.endpoint is not None:
                self._graph = RoleGraph.connect(self.endpoint, self.graph_iri, timeout=self.timeout,
                                                page_size=self.page_size)
            else:
                self._graph = RoleGraph.load(self.data or None, backend=self.backend)
        return self._graph


class RolegraphGroup(click.Group):
    """A click group with one error path: every failure ends as one ``Error: ...`` line and an exit code.

    2 unusable input (or output that cannot be written), 1 violations, 130 Ctrl-C, 143 SIGTERM,
    70 an internal error; ``--debug`` (or ``ROLEGRAPH_DEBUG=1``) adds the traceback.
    """

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        from .errors_cli import run_guarded

        return run_guarded(lambda: super(RolegraphGroup, self).main(
            args, prog_name, complete_var, standalone_mode=False, **extra), self)

    def invoke(self, ctx):
        from .errors_cli import closed_pipe

        try:
            result = super().invoke(ctx)
            _print_notes(ctx)
            return result
        except BrokenPipeError:   # `rolegraph export | head`: the reader has what it wanted (before click's exit 1)
            closed_pipe()
        except BaseException:
            _print_notes(ctx)   # before the Error line
            raise


def _print_notes(ctx: click.Context) -> None:
    """Notes the graph left about look-ups (an old name resolved to its renamed node), on stderr."""
    app = ctx.obj
    graph = getattr(app, "_graph", None)
    if graph is not None and "notes" in vars(graph):
        for note in dict.fromkeys(graph.notes):
            click.echo(f"Note: {one_line(note)}", err=True)   # the note repeats the user's input: made safe
        graph.notes.clear()


@click.group(cls=RolegraphGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", "data", multiple=True, type=click.Path(path_type=Path),
              help="Use these Turtle files or folders instead of the bundled framework data (repeatable).")
@click.option("--backend", type=click.Choice(list(BACKENDS)), default="oxigraph", show_default=True,
              help="Engine that holds the graph and answers SPARQL.")
@click.option("--store", type=click.Path(path_type=Path, file_okay=False),
              help="Use the graph kept in this store folder (filled by `rolegraph --store DIR load`).")
@click.option("--endpoint", metavar="URL",
              help="Use the graph of this SPARQL 1.1 query endpoint, read-only (login from the environment: "
                   "ROLEGRAPH_ENDPOINT_USER, ROLEGRAPH_ENDPOINT_PASSWORD).")
@click.option("--graph", "graph_iri", metavar="IRI",
              help="With --endpoint: query this named graph (default: the server's default graph). "
                   "With publish: the graph to replace.")
@click.option("--timeout", "timeout", type=click.FloatRange(0.1, 86400), default=60.0, show_default=True,
              help="With --endpoint: seconds to wait for each answer from the server.")
@click.option("--page-size", type=click.IntRange(1), default=None,
              help="With --endpoint: the server's row cap, for servers that cut answers without saying so "
                   "(cut answers are fetched again in pages of this size).")
@click.option("--debug", is_flag=True, help="Show a traceback with an error (for reporting bugs).")
@click.version_option(package_name="rolegraph")
@click.pass_context
def main(ctx: click.Context, data: tuple[Path, ...], backend: str, store: Path | None, endpoint: str | None,
         graph_iri: str | None, timeout: float, page_size: int | None, debug: bool) -> None:
    """rolegraph: the UK Government Digital and Data Profession Capability Framework as a knowledge graph.

    Browse roles and skills, validate the data against its SHACL shapes, query
    it with SPARQL, plan career moves, write reports and compare releases.

    \b
    Examples:
      rolegraph roles --family Data
      rolegraph role "Chief information security officer"
      rolegraph skill "Data modelling" --format json
      rolegraph validate
    """
    from . import errors_cli

    errors_cli.DEBUG = errors_cli.DEBUG or debug
    read_from = endpoint if ctx.invoked_subcommand != "publish" else None  # publish only counts with it
    sources = [name for name, given in (("--data", data), ("--store", store), ("--endpoint", read_from)) if given]
    if len(sources) > 1:
        raise click.UsageError(f"use only one of {', '.join(sources)}")
    if (store or endpoint) and backend != "oxigraph":
        raise click.UsageError("--backend applies to --data only")
    ctx.obj = AppContext(data, backend, store, endpoint, graph_iri, timeout, page_size)


from . import browse, validate  # noqa: E402  (registers the commands)
from . import query, serve  # noqa: E402  (SPARQL: queries, query, serve)
from . import release  # noqa: E402  (import, diff)
from . import report  # noqa: E402  (report, export)
from . import career  # noqa: E402  (shared, gap, related, path, core-skills)
from . import store  # noqa: E402  (load, publish)
from . import people  # noqa: E402  (assess, team)
from . import jobs  # noqa: E402,F401  (job-description: registers itself)
from . import crosswalk  # noqa: E402,F401  (crosswalk import/export/suggest: registers its group itself)

for module in (browse, validate, query, serve, release, report, career, store, people):
    for command in module.COMMANDS:
        main.add_command(command)
