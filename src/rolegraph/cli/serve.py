"""``rolegraph serve``: a read-only SPARQL 1.1 Protocol endpoint."""
from __future__ import annotations

import ipaddress
import signal

import click

from ..errors import InputError


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Loopback by default; anything else exposes the endpoint to the network.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0.1, 3600),
              help="Seconds a query may run before it is stopped (503).")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 32),
              help="Query worker processes (queries running at once).")
@click.pass_obj
def serve_cmd(app, host, port, timeout, workers):
    """Serve the graph as a read-only SPARQL endpoint at /sparql, with a query page at /.

    GET or POST queries (SPARQL 1.1 Protocol); results by content negotiation
    (SPARQL JSON, XML, CSV, TSV; Turtle, N-Triples, JSON-LD). Updates, LOAD and
    SERVICE are refused; each query runs in a worker process with a time limit.

    \b
    Examples:
      rolegraph serve
      rolegraph serve --port 8080 --timeout 5
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s a rg:Role } LIMIT 3' \\
           http://127.0.0.1:8000/sparql
    """
    from ..server import make_server

    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        click.echo(f"Warning: listening on {host}, not loopback: anyone who can reach it can query the graph.",
                   err=True)
    try:
        server = make_server(host, port, data=app.data, backend=app.backend, timeout=timeout, workers=workers,
                             graph=app.graph)
    except OSError as exc:
        raise InputError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None
    h, p = server.server_address[:2]
    click.echo(f"rolegraph SPARQL endpoint: http://{h}:{p}/sparql  (query page: http://{h}:{p}/; Ctrl-C stops)",
               err=True)
    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)   # `kill PID` stops the workers too, like Ctrl-C
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


COMMANDS = [serve_cmd]
