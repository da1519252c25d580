"""The one place that decides how templates escape data: HTML, SVG and XML are autoescaped; Markdown escapes
its own punctuation; only ``http(s)`` addresses ever become links.

Every template of the project is loaded through :func:`get_template` (reports, the career explorer, the
``/sparql`` page). A name ending in ``.html.j2``, ``.svg.j2`` or ``.xml.j2`` gets Jinja's HTML autoescaping; a
name ending in ``.md.j2`` gets :func:`md_escape` applied to every ``{{ ... }}`` it prints (so no template can
forget it); any other name is refused. Values that are already markup (:class:`markupsafe.Markup`, e.g. an SVG
rendered by the SVG template, or a link built by :func:`md_link`) pass through once, never escaped twice.

>>> get_template("diagram.svg.j2").environment.autoescape("diagram.svg.j2")
True
>>> safe_url("https://example.org/a?b=1"), safe_url("javascript:alert(1)"), safe_url("data:text/html,x")
('https://example.org/a?b=1', None, None)
>>> print(md_escape("[x](javascript:alert(1)) <b>"))
\\[x\\](javascript:alert(1)) \\<b\\>
>>> print(md_link("Official page", "javascript:alert(1)"))
Official page (javascript:alert(1))
>>> print(md_link("https://example.org/", "https://example.org/"))
<https://example.org/>
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parent / "templates"
MARKUP_SUFFIXES = (".html.j2", ".svg.j2", ".xml.j2")
MARKDOWN_SUFFIX = ".md.j2"

# CommonMark punctuation that can start markup inline: links and images ([ ] !), emphasis, code, raw HTML and
# autolinks (< >), headings, tables; with [ and ] escaped a ( can never start a link destination
_MD_SPECIAL = frozenset("\\`*_{}[]<>#|!")
_URL_UNSAFE = re.compile(r"[\x00-\x20\x7f<>\"'`\\]")


def safe_url(value: Any) -> str | None:
    """*value* if it is an absolute ``http`` or ``https`` address with a host and no characters that could end
    an attribute or a Markdown link; otherwise None (the caller shows it as text instead of linking it)."""
    if value is None:
        return None
    text = str(value)
    if not text or _URL_UNSAFE.search(text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return text


def md_escape(value: Any) -> Markup:
    """*value* as CommonMark text: punctuation that could start markup backslash-escaped, line breaks folded
    into spaces (so a value cannot start a heading, list or HTML block). Markup passes through unchanged."""
    if isinstance(value, Markup):
        return value
    text = " ".join(str(value).splitlines()) if value is not None else ""
    return Markup("".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text))


def md_link(text: Any, url: Any) -> Markup:
    """A Markdown link to *url* with *text*, when *url* is http(s); otherwise the text and the address as
    plain (escaped) text, never a link."""
    href = safe_url(url)
    if href is None:
        return Markup(md_escape(text) + (Markup(" (") + md_escape(url) + Markup(")") if url else Markup("")))
    if str(text) == href:   # the address itself: an autolink (safe_url admits no < > or spaces)
        return Markup("<" + href + ">")
    return Markup("[") + md_escape(text) + Markup("](<") + Markup(href) + Markup(">)")


def _md_finalize(value: Any) -> Any:
    return md_escape(value) if value is not None else ""


def _autoescape(name: str | None) -> bool:
    if name is None:
        return True
    if name.endswith(MARKUP_SUFFIXES):
        return True
    raise ValueError(f"template {name!r}: only {', '.join(MARKUP_SUFFIXES)} and {MARKDOWN_SUFFIX} are allowed")


def _environment(**options):
    """A Jinja environment over ``rolegraph/templates`` with the project's filters and *options*."""
    import jinja2

    from . import namespaces as ns
    from .slugs import slugify

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True, undefined=jinja2.StrictUndefined, **options)
    env.filters["signed"] = lambda n: "no change" if not n else (f"+{n}" if n > 0 else str(n))
    env.filters["delta"] = lambda n: "\u00b10" if not n else (f"+{n}" if n > 0 else f"\u2212{-n}")
    env.filters["slug"] = slugify
    env.filters["grade_words"] = lambda n: _reports().grade_words(n)       # "1 grade up", "same grade"
    env.filters["develop_words"] = lambda gaps: _reports().develop_words(gaps)   # "4 skills to develop: ..."
    env.filters["bridge_words"] = lambda basis: _reports().bridge_words(basis)   # no bare relevance score
    env.filters["safe_url"] = safe_url
    env.globals["OGL"] = ns.OGL_V3
    env.globals["site"] = None  # explorer pages set it (links, header); saved reports leave it unset
    return env


def _reports():
    from . import reports  # (imports this module: looked up when a template runs)

    return reports


@cache
def markup_environment():
    """The environment of the HTML, SVG and XML templates: autoescaping always on."""
    return _environment(autoescape=_autoescape)


@cache
def markdown_environment():
    """The environment of the Markdown templates: every printed value goes through :func:`md_escape`."""
    env = _environment(autoescape=False, finalize=_md_finalize)
    env.filters["mdescape"] = md_escape
    env.globals["md_link"] = md_link
    return env


def get_template(name: str):
    """The template *name* from ``rolegraph/templates``, in the environment its suffix calls for."""
    if name.endswith(MARKDOWN_SUFFIX):
        return markdown_environment().get_template(name)
    _autoescape(name)   # refuses a name that is neither
    return markup_environment().get_template(name)
