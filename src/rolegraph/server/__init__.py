"""``rolegraph serve``: a read-only SPARQL 1.1 endpoint on Granian + Starlette, one job per module.

* :mod:`.app`: :func:`create_app` (the ASGI app: routes, CORS, request limits, the ``/sparql`` handler);
* :mod:`.protocol`: content negotiation, result formats, the service description;
* :mod:`.workers`: the one way a query (or an explorer page) runs: in worker processes with a queue, a time
  limit, a memory cap and a result cap; :func:`.workers.prepare` checks a query before the engine sees it;
* :mod:`.fastlane`: workers' answers to repeated requests, sent again by the server process when two runs gave
  the same bytes (no hop to a worker);
* :mod:`.page`: the query page for browsers (template ``templates/sparql.html.j2``);
* :mod:`.wire`: the plain length-prefixed bytes the server and its workers send each other (no pickle);
* :mod:`.runner`: Granian's documented embedded server with connection limits (backlog, head deadline and size).

The read-only guard (SERVICE, updates) is :mod:`rolegraph.sparql_guard`, shared with ``rolegraph query``.
"""
from .app import ENDPOINT, create_app
from .workers import Limits

__all__ = ["ENDPOINT", "Limits", "create_app"]
