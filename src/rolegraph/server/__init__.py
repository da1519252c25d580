"""``rolegraph serve``: a read-only SPARQL 1.1 endpoint on uvicorn + Starlette, one job per module.

* :mod:`.app`: :func:`create_app` (the ASGI app: routes, CORS, the ``/sparql`` handler);
* :mod:`.protocol`: content negotiation, result formats, the service description;
* :mod:`.workers`: running one query (result cap), and worker processes with a queue (``--processes 0``);
* :mod:`.inline`: the default, queries on each server process's event loop under a watchdog (``--processes N``);
* :mod:`.supervisor`: the server processes of ``--processes`` on one socket, replaced when they retire;
* :mod:`.page`: the query page for browsers (template ``templates/sparql.html.j2``);
* :mod:`.runner`: uvicorn with connection limits (backlog, keep-alive, header timeout).

The read-only guard (SERVICE, updates) is :mod:`rolegraph.sparql_guard`, shared with ``rolegraph query``.
"""
from .app import ENDPOINT, create_app
from .workers import Limits

__all__ = ["ENDPOINT", "Limits", "create_app"]
