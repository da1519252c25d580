"""``rolegraph serve``: a read-only SPARQL 1.1 endpoint on uvicorn + Starlette, one job per module.

* :mod:`.app`: :func:`create_app` (the ASGI app: routes, CORS, the ``/sparql`` handler);
* :mod:`.protocol`: content negotiation, result formats, the service description;
* :mod:`.workers`: query isolation (worker processes, queue, time limit, memory and result caps);
* :mod:`.inline`: the faster mode, queries in the server process's own threads (``--processes``);
* :mod:`.supervisor`: the server processes of ``--processes`` on one socket, replaced when they retire;
* :mod:`.page`: the query page for browsers (template ``templates/sparql.html.j2``);
* :mod:`.runner`: uvicorn with connection limits (backlog, keep-alive, header timeout).

The read-only guard (SERVICE, updates) is :mod:`rolegraph.sparql_guard`, shared with ``rolegraph query``.
"""
from .app import ENDPOINT, create_app
from .workers import Limits

__all__ = ["ENDPOINT", "Limits", "create_app"]
