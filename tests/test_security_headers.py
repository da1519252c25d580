"""Security headers (issue 21, item 3): a strict Content-Security-Policy, framing refused, nosniff and
Referrer-Policy on every page `rolegraph serve` sends; the SPARQL endpoint's CORS unchanged for data clients;
saved HTML reports carry their own policy in a <meta>. Every inline script or style a page holds is allowed by
its hash, and no page needs inline handlers or style attributes."""
from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from rolegraph.headers import sha256_source

from .servers import asgi_app

PAGES = ["/", "/?q=data", "/role/data-engineer", "/skill/data-modelling", "/path",
         "/path?" + urllib.parse.urlencode({"from": "Data engineer", "to": "Chief data officer"}),
         "/path?" + urllib.parse.urlencode({"from": "Chief tecnology oficer", "to": "Data engineer"}),
         "/related", "/related?from=Senior+data+engineer", "/role/no-such-role", "/no/such/page", "/sparql"]


@pytest.fixture(scope="module")
def site(graph):
    """What `rolegraph serve` builds (explorer + /sparql) with one worker process, on loopback."""
    from rolegraph.server import create_app
    from rolegraph.server.workers import Limits

    with asgi_app(create_app(graph, limits=Limits(workers=1, timeout=5)), lifespan="on") as url:
        yield url


def request(url: str, headers: dict | None = None, method: str | None = None):
    req = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.headers, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8")


def directives(csp: str) -> dict[str, list[str]]:
    out = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def check_policy(csp: str, html: str, frame: bool = True) -> None:
    """*csp* is strict and allows exactly what *html* needs: its inline scripts and styles by hash."""
    d = directives(csp)
    assert d["default-src"] == ["'none'"]
    assert d["base-uri"] == ["'none'"]
    if frame:
        assert d["frame-ancestors"] == ["'none'"]
    assert not [v for vs in d.values() for v in vs if v in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:")
                and not (v == "data:" and d.get("img-src") == vs)]
    for tag in ("script", "style"):
        for body in re.findall(rf"<{tag}>(.*?)</{tag}>", html, re.S):
            assert sha256_source(body) in d[f"{tag}-src"], f"an inline <{tag}> is not allowed by its hash"
    for src in re.findall(r"<script\b[^>]*\bsrc=\"([^\"]*)\"", html):   # only the site's own file, allowed by 'self'
        assert src == "/static/autocomplete.js" and "'self'" in d["script-src"], src
    assert not re.search(r"\sstyle=", html), "a style attribute (blocked by the policy)"
    assert not re.search(r"\son[a-z]+=", html), "an inline event handler (blocked by the policy)"


@pytest.mark.parametrize("path", PAGES)
def test_every_page_sends_a_strict_policy_and_refuses_framing(site, path):
    status, headers, html = request(site + path, {"Accept": "text/html"})
    assert status in (200, 404)
    check_policy(headers["Content-Security-Policy"], html)
    assert headers["X-Frame-Options"] == "DENY"
    assert headers.get_all("X-Content-Type-Options") == ["nosniff"]
    assert headers["Referrer-Policy"] == "no-referrer"


def test_stylesheet_and_downloads_carry_the_headers(site):
    status, headers, _ = request(site + "/static/rolegraph.css")
    assert status == 200 and headers["X-Content-Type-Options"] == "nosniff"
    q = urllib.parse.urlencode({"from": "Data engineer", "to": "Chief data officer", "format": "html"})
    status, headers, html = request(site + "/path?" + q)
    assert status == 200 and headers["Content-Disposition"].startswith("attachment")
    check_policy(headers["Content-Security-Policy"], html)
    assert headers["X-Frame-Options"] == "DENY"


def test_the_check_can_fail():
    with pytest.raises(AssertionError):
        check_policy("default-src 'none'; base-uri 'none'; frame-ancestors 'none'; script-src 'unsafe-inline'", "")
    with pytest.raises(AssertionError):
        check_policy("default-src 'none'; base-uri 'none'; frame-ancestors 'none'; style-src 'self'",
                     "<style>p{}</style>")
    with pytest.raises(AssertionError):
        check_policy("default-src 'none'; base-uri 'none'; frame-ancestors 'none'", '<button onclick="x()">')


def test_sparql_results_stay_readable_cross_origin(site):
    """CORS for data clients as before: a query from another origin gets its answer and the allow header."""
    q = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    status, headers, body = request(f"{site}/sparql?{q}", {"Origin": "https://client.example",
                                                          "Accept": "application/sparql-results+json"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*" and json.loads(body)["boolean"] is True
    status, headers, _ = request(f"{site}/sparql", {"Origin": "https://client.example",
                                                    "Access-Control-Request-Method": "POST",
                                                    "Access-Control-Request-Headers": "Content-Type"},
                                 method="OPTIONS")
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("names", [("Data engineer", "Chief data officer"), ("Data engineer",)])
def test_saved_report_carries_its_policy_in_a_meta(cli, tmp_path, names):
    out = tmp_path / "report.html"
    assert cli("report", *names, "-o", out).exit_code == 0
    html = out.read_text(encoding="utf-8")
    metas = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert len(metas) == 1
    assert html.index("Content-Security-Policy") < html.index("<style>")   # before what it governs
    check_policy(metas[0].replace("&#39;", "'"), html, frame=False)
