"""The query page shown to browsers at ``/sparql``: a query box and every named query as a runnable example."""
from __future__ import annotations

from urllib.parse import urlencode

from .. import queries
from ..errors import RolegraphError
from ..namespaces import PREFIXES, sparql_prologue
from ..resources import _PACKAGE


def examples(graph, endpoint: str = "/sparql") -> list[dict]:
    """Each named query with its default parameters bound inline, and a link that runs it."""
    out = []
    for q in queries.library().values():
        text = q.text
        try:
            if q.parameters:
                text, _ = queries.bind_inline(q.text, queries.resolve_params(graph, q, {}))
        except RolegraphError:
            pass
        body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        fmt = "ttl" if q.form in ("CONSTRUCT", "DESCRIBE") else "json"
        out.append({"name": q.name, "title": q.title, "description": q.description, "body": body,
                    "bound": ", ".join(f"{p.name} = {p.default}" for p in q.parameters),
                    "link": endpoint + "?" + urlencode({"query": body, "format": fmt})})
    return out


def render(graph, endpoint: str = "/sparql", timeout: float = 10.0) -> bytes:
    """The page's HTML (rendered once, when the app is built)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_PACKAGE / "templates")),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("sparql.html.j2").render(
        endpoint=endpoint, timeout=f"{timeout:g}", prefixes=sparql_prologue(PREFIXES),
        examples=examples(graph, endpoint)).encode("utf-8")
