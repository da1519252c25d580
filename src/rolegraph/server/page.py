"""The query page shown to browsers at ``/sparql``: a query box and every named query as a runnable example."""
from __future__ import annotations

from urllib.parse import urlencode

from markupsafe import Markup

from .. import queries
from ..errors import RolegraphError
from ..headers import policy
from ..namespaces import PREFIXES, sparql_prologue
from ..templating import get_template


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


#: the page's one script: "copy to the query box" buttons (no inline handlers; allowed by its hash)
SCRIPT = ("for (const b of document.querySelectorAll('button[data-q]')) b.addEventListener('click', () => {"
          " document.getElementById('query').value = b.dataset.q; window.scrollTo(0, 0); });")
#: the page's one stylesheet (allowed by its hash)
STYLE = ("body{font:15px/1.4 system-ui,sans-serif;max-width:60em;margin:1em auto;padding:0 1em;color:#222}\n"
         "textarea{width:100%;height:14em;font:13px monospace} pre{background:#f4f4f4;padding:.5em;overflow:auto}\n"
         "details{margin:.4em 0} code{background:#f4f4f4}")
#: its Content-Security-Policy: that script and that style, forms to this site, no framing
CSP = policy(scripts=[SCRIPT], styles=[STYLE], forms=True)


def render(graph, endpoint: str = "/sparql", timeout: float = 10.0) -> bytes:
    """The page's HTML (rendered once, when the app is built; autoescaped, see :mod:`rolegraph.templating`)."""
    return get_template("sparql.html.j2").render(
        endpoint=endpoint, timeout=f"{timeout:g}", prefixes=sparql_prologue(PREFIXES),
        examples=examples(graph, endpoint), script=Markup(SCRIPT), style=Markup(STYLE)).encode("utf-8")
