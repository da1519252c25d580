"""The security headers of every page rolegraph serves, and the Content-Security-Policy of saved reports.

No page needs script (the ``/sparql`` query page has one small script, allowed by its hash); styles come
from ``/static/rolegraph.css`` or, in a saved report, one ``<style>`` block allowed by its hash. So the
policy is ``default-src 'none'`` plus exactly those, framing is refused (``frame-ancestors 'none'`` and
``X-Frame-Options: DENY``), types are never sniffed and no page address leaks in a Referer.

>>> sha256_source("a")
"'sha256-ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs='"
>>> print(policy(styles=["a"], frame=False).replace("; ", ";\\n"))
default-src 'none';
style-src 'sha256-ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs=';
img-src data:;
base-uri 'none';
form-action 'none'
"""
from __future__ import annotations

import base64
import hashlib
from typing import Iterable

#: sent with every page beside its Content-Security-Policy
COMMON = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"}


def sha256_source(text: str) -> str:
    """The CSP source expression that allows one inline ``<script>`` or ``<style>`` whose content is *text*."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def policy(*, scripts: Iterable[str] = (), styles: Iterable[str] = (), own_styles: bool = False,
           own_scripts: bool = False, forms: bool = False, frame: bool = True) -> str:
    """A Content-Security-Policy: nothing but the inline *scripts* and *styles* given (by hash), the site's own
    stylesheets with *own_styles* and script files with *own_scripts*, forms to the site itself with *forms*, and
    (*frame*) no framing. Images: only ``data:`` (the pages' empty favicon)."""
    parts = ["default-src 'none'"]
    script = (["'self'"] if own_scripts else []) + [sha256_source(s) for s in scripts]
    if script:
        parts.append("script-src " + " ".join(script))
    style = (["'self'"] if own_styles else []) + [sha256_source(s) for s in styles]
    if style:
        parts.append("style-src " + " ".join(style))
    parts += ["img-src data:", "base-uri 'none'", "form-action " + ("'self'" if forms else "'none'")]
    if frame:   # ignored in a <meta> policy, so only in headers
        parts.append("frame-ancestors 'none'")
    return "; ".join(parts)


#: the career explorer's pages: its stylesheet, its one script file (the forms' autocomplete), its forms
EXPLORER_CSP = policy(own_styles=True, own_scripts=True, forms=True)


def page_headers(csp: str = EXPLORER_CSP) -> dict[str, str]:
    """The headers of a served page with the policy *csp*."""
    return {"Content-Security-Policy": csp, **COMMON}
