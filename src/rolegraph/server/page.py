"""The query page shown to browsers at ``/sparql``: a query box and every named query as a runnable example."""
from __future__ import annotations

from urllib.parse import urlencode

from markupsafe import Markup

from .. import queries
from ..errors import RolegraphError
from ..headers import policy
from ..namespaces import PREFIXES, sparql_prologue
from ..reports import stylesheet
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


#: the page's one script: "copy to the query box" buttons fill the box, move focus to it and say so (no inline
#: handlers; allowed by its hash)
SCRIPT = ("for (const b of document.querySelectorAll('button[data-q]')) b.addEventListener('click', () => {"
          " const box = document.getElementById('query'); box.value = b.dataset.q; box.focus();"
          " document.getElementById('copied').textContent = 'Copied ' + b.dataset.name + ' into the query box.'; });")
#: the page's policy: that script, the explorer's stylesheet (linked, or inlined when no explorer runs), forms to
#: this site, no framing
CSP = policy(scripts=[SCRIPT], styles=[stylesheet()], own_styles=True, forms=True)


def render(graph, endpoint: str = "/sparql", timeout: float = 10.0, site: bool = True) -> bytes:
    """The page's HTML (rendered once, when the app is built; autoescaped, see :mod:`rolegraph.templating`), in
    the explorer's layout with its header and footer (*site*), else standing alone with the stylesheet inlined."""
    from ..explorer import SITE

    return get_template("sparql.html.j2").render(
        title="Query the framework with SPARQL", generated=None, site=SITE if site else None,
        css=Markup(stylesheet()), endpoint=endpoint, timeout=f"{timeout:g}", prefixes=sparql_prologue(PREFIXES),
        examples=examples(graph, endpoint), script=Markup(SCRIPT)).encode("utf-8")
