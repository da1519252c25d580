"""``rolegraph serve``: a read-only SPARQL 1.1 endpoint (Granian + Starlette, queries in worker processes)."""
from __future__ import annotations

import click

from ..errors import InputError


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Loopback by default; anything else exposes the endpoint to the network "
                   "(a warning is printed).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port; the address is printed).")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0.1, 3600),
              help="Seconds a query may run before it is stopped (503 with Retry-After).")
@click.option("--processes", default=4, show_default=True, type=click.IntRange(0, 64),
              help="Worker processes answering queries and explorer pages (queries running at once; each holds "
                   "a copy of the graph, and one past --timeout is killed and replaced; more than the cores, so "
                   "that slow queries leave workers free for the others). 0: take --workers.")
@click.option("--workers", default=4, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes when --processes is 0 (the same thing as --processes; kept so that older "
                   "command lines work).")
@click.option("--queue", default=1024, show_default=True, type=click.IntRange(0, 100000),
              help="Requests that may wait for a busy worker; more get 503 with Retry-After at once.")
@click.option("--queue-wait", default=5.0, show_default=True, type=click.FloatRange(0, 3600),
              help="Seconds a request may wait for a worker before it gets 503 with Retry-After.")
@click.option("--max-result-mb", default=32, show_default=True, type=click.IntRange(1, 4096),
              help="Largest answer sent (MiB); a larger one is a clear error, never a half-sent answer.")
@click.option("--memory-mb", default=1024, show_default=True, type=click.IntRange(0, 1 << 20),
              help="Memory a worker process may grow by while answering (MB; 0: no cap).")
@click.option("--cors-origin", "cors_origins", multiple=True, default=("*",), show_default=True,
              help="Origin allowed to read answers from a browser (repeatable; 'none' turns CORS off).")
@click.option("--base-iri", default=None,
              help="Base IRI for relative IRIs in queries (default: the endpoint's own URL).")
@click.option("--keep-alive", default=5.0, show_default=True, type=click.FloatRange(0.1, 3600),
              help="Seconds an idle keep-alive connection stays open.")
@click.option("--header-timeout", default=10.0, show_default=True, type=click.FloatRange(0.1, 3600),
              help="Seconds a client has to send a request's headers, counted from connecting or from its last "
                   "answer (so idle keep-alive connections close after the smaller of this and --keep-alive); "
                   "a body gets as long again.")
@click.option("--backlog", default=2048, show_default=True, type=click.IntRange(1, 65535),
              help="Connections the kernel queues before the server accepts them.")
@click.option("--max-connections", default=1000, show_default=True, type=click.IntRange(1, 1000000),
              help="Requests in progress at once, at most; more are answered 503.")
@click.option("--fast-lane/--no-fast-lane", default=True, show_default=True,
              help="Send a worker's answer (200, at most 64 KiB) again, without the hop to a worker, when the same "
                   "request comes back and two runs gave the same bytes (never for RAND, NOW, UUID; held in memory "
                   "only; see docs/serve.md, \"The fast lane\"). --no-fast-lane sends every query to a worker.")
@click.option("--quiet", is_flag=True,
              help="Turn off the access log (without --quiet: one line per request, written to standard error).")
@click.pass_obj
def serve_cmd(app, host, port, timeout, workers, processes, queue, queue_wait, max_result_mb, memory_mb, cors_origins,
              base_iri, keep_alive, header_timeout, backlog, max_connections, fast_lane, quiet):
    """Serve the career explorer at / and a read-only SPARQL endpoint at /sparql.

    The explorer's pages: / (search and browse), /role/<slug>, /skill/<slug>,
    /path?from=NAME&to=NAME and /related?from=NAME (see README "Career explorer").

    GET or POST queries (SPARQL 1.1 Protocol); answers by content negotiation
    (SPARQL JSON, XML, CSV, TSV; Turtle, N-Triples, JSON-LD, RDF/XML). GET /sparql
    without a query gives the service description (Turtle) or, to a browser, the
    query page. Updates, LOAD and SERVICE are refused; queries over the CLI's
    size, nesting and operator limits get 400. Each query and each explorer page
    runs in one of --processes worker processes with a time limit (503 with
    Retry-After) and a memory cap; the workers die with the server. A query a
    worker answered twice with the same bytes is sent again by the server itself
    (--fast-lane).
    Ctrl-C stops it with exit status 130, SIGTERM with 143.

    Exposed: exactly the graph rolegraph reads (the --data files, the --store, or
    with --endpoint the server's --graph, else its default graph), as the default
    graph; nothing else of a back end. FROM, FROM NAMED and the dataset parameters
    may name only it, GRAPH patterns are refused (400). No query makes rolegraph
    open a connection to anywhere else.

    \b
    Examples:
      rolegraph serve
      rolegraph serve --port 8080 --timeout 5 --processes 4
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s a rg:Role } LIMIT 3' \\
           http://127.0.0.1:8000/sparql
    """
    from ..server import Limits, create_app
    from ..server.runner import HttpOptions, bind, is_loopback, run

    if not is_loopback(host):
        click.echo(f"Warning: listening on {host}, not loopback: anyone who can reach it can query the graph.",
                   err=True)
    graph = app.graph   # bad data fails here, before a port is taken
    try:
        sock = bind(host, port, backlog)
    except OSError as exc:
        raise InputError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None
    origins = () if [o.lower() for o in cors_origins] == ["none"] else tuple(cors_origins)
    limits = Limits(workers=processes or workers, timeout=timeout, queue=queue, queue_wait=queue_wait,
                    max_result_bytes=max_result_mb * 2**20, memory_mb=memory_mb)
    http = HttpOptions(backlog=backlog, keep_alive=keep_alive, header_timeout=header_timeout,
                       max_connections=max_connections, access_log=not quiet, start_timeout=limits.start_timeout)
    h, p = sock.getsockname()[:2]
    shown = f"[{h}]" if ":" in h else h
    click.echo(f"rolegraph: career explorer http://{shown}:{p}/ and SPARQL endpoint http://{shown}:{p}/sparql  "
               f"({limits.workers} worker processes; Ctrl-C stops)", err=True)
    try:
        run(create_app(graph, limits=limits, cors_origins=origins, base_iri=base_iri, body_timeout=header_timeout,
                       max_requests=max_connections, fast_lane=fast_lane), sock, http)
    except RuntimeError as exc:
        raise InputError(f"the endpoint could not start: {exc}") from None
    finally:
        sock.close()


COMMANDS = [serve_cmd]
