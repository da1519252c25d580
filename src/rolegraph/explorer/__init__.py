"""The career explorer: server-rendered pages over the graph, for ``rolegraph serve``.

``routes(graph)`` gives the Starlette routes; the server mounts them beside ``/sparql``:

* ``/`` — search roles, role levels and skills by name (``?q=``), and browse the job families
* ``/role/<slug>`` — a role's ladder, grades, skills per level, related moves (a level's slug shows its role)
* ``/skill/<slug>`` — a skill's levels and who needs it at which level
* ``/path?from=NAME&to=NAME[&grade=G]`` — the career-path report (a form without names); ``&format=html|md``
  downloads it
* ``/related?from=NAME[&grade=G]`` — ranked, tiered moves with their reasons
* ``/assess`` — rate your skills and see fit, gaps, readiness and a plan (POST only; :mod:`.assess`)
* ``/static/rolegraph.css`` — the one stylesheet (shared with the saved reports)

Pages come from the same Jinja templates and library calls as ``rolegraph report``,
``path`` and ``related``; names resolve as in the CLI. No page needs JavaScript.
Unknown names and addresses get a 404 page with suggestions (:func:`not_found`). Every page is autoescaped
(:mod:`rolegraph.templating`) and sent with a strict Content-Security-Policy, ``X-Frame-Options: DENY``,
``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: no-referrer`` (:mod:`rolegraph.headers`).

>>> from rolegraph.graph import RoleGraph
>>> sorted(r.path for r in routes(RoleGraph.load()))[:3]
['/', '/assess', '/path']
"""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Callable

from .. import browse, careers, reports, templating
from ..errors import RolegraphError, UnknownName
from ..graph import RoleGraph
from ..headers import page_headers
from ..slugs import slugify
from . import assess as assess_page
from .search import Hit, search

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute

CSS_PATH = "/static/rolegraph.css"
SITE = {"root": "/", "css": CSS_PATH}
MAX_ALTERNATIVES = 5

__all__ = ["routes", "not_found", "Explorer", "search", "Hit"]


class Explorer:
    """The explorer's pages over one graph: each method takes query values and returns ``(status, html)``.

    Kept apart from Starlette so the benchmark and tests can render pages directly.
    Rendering holds a lock: the graph's lazily built analysis caches are shared.
    """

    def __init__(self, graph: RoleGraph):
        self.g = graph
        self.lock = threading.Lock()

    def _page(self, template: str, status: int = 200, /, **context) -> tuple[int, str]:
        context.setdefault("generated", None)
        return status, templating.get_template(f"explorer/{template}").render(site=SITE, **context)

    def _names(self) -> dict[str, list[str]]:
        """Position names for the forms' suggestion lists (datalist)."""
        return {"positions": [e.label for k in ("level", "role") for e in self.g.entities(k)]}

    # ---------------------------------------------------------------- pages

    def home(self, q: str = "") -> tuple[int, str]:
        hits = search(self.g, q) if q.strip() else []
        families: dict[str, list[dict]] = {}
        for r in browse.roles(self.g):
            families.setdefault(r["family"], []).append(dict(r, slug=slugify(r["name"])))
        return self._page("home.html.j2", title="Find a role or skill" if not q else f"Search: {q}", q=q,
                          hits=hits, families=families, searched=bool(q.strip()))

    def role(self, slug: str) -> tuple[int, str]:
        try:
            ent = self.g.resolve(slug, ("role", "level"))
        except UnknownName:
            return self.not_found(f"/role/{slug}", slug)
        context = reports.role_report(self.g, ent.iri)
        if ent.kind == "level":
            context["role"]["matched_level"] = ent.label
        return 200, reports.render(dict(context, site=SITE))

    def skill(self, slug: str) -> tuple[int, str]:
        try:
            info = browse.skill_info(self.g, slug)
        except UnknownName:
            return self.not_found(f"/skill/{slug}", slug)
        return self._page("skill.html.j2", title=info["name"], skill=info)

    def path(self, origin: str = "", dest: str = "", alternatives: int = 2,
             fmt: str | None = None, grade: str = "") -> tuple[int, str]:
        """The path form; with both names, the path report below it (or as a download with *fmt*).

        *grade*: the grade the person holds in *origin* (empty: the bottom of its band).
        """
        form = {"from": origin, "to": dest, "alternatives": alternatives, "grade": grade}
        errors = self._position_errors(("from", origin), ("to", dest)) if (origin or dest) else []
        errors += self._grade_errors(origin, grade) if origin and grade and not errors else []
        if errors or not (origin and dest):
            return (404 if any(e["unknown"] for e in errors) else 400 if errors else 200), self._page(
                "path_form.html.j2", title="Plan a career path", form=form, errors=errors, **self._names())[1]
        try:
            context = reports.path_report(self.g, origin, dest, alternatives=alternatives, grade=grade or None)
        except RolegraphError as exc:
            errors = [{"field": "to", "message": str(exc)[:1].upper() + str(exc)[1:], "unknown": False,
                       "suggestions": []}]
            return 400, self._page("path_form.html.j2", title="Plan a career path", form=form, errors=errors,
                                   **self._names())[1]
        if fmt in reports.FORMATS:
            return 200, reports.render(context, fmt)
        return 200, reports.render(dict(context, site=SITE, form=form, errors=[], **self._names()),
                                   template="explorer/path.html.j2")

    def related(self, origin: str = "", top: int = 20, grade: str = "") -> tuple[int, str]:
        form = {"from": origin, "grade": grade}
        errors = self._position_errors(("from", origin)) if origin else []
        unknown = bool(errors)
        errors += self._grade_errors(origin, grade) if origin and grade and not errors else []
        result = None
        if origin and not errors:
            result = careers.related(self.g, origin, top=top, grade=grade or None).to_dict()
        status = 404 if unknown else 400 if errors else 200
        title = f"Related moves from {result['from']}" if result else "Related moves"
        return status, self._page("related.html.j2", title=title, form=form, errors=errors, result=result,
                                  **self._names())[1]

    def _grade_errors(self, origin: str, grade: str) -> list[dict]:
        """A form error on the grade field when *grade* is not a grade of *origin*'s band."""
        m = careers.career_model(self.g)
        names = [m.grade_names[k] for k in sorted(m.grade_names)]
        if grade.casefold() not in {n.casefold() for n in names}:  # the message never repeats the input
            return [{"field": "grade", "message": "Not a grade: give one of " + ", ".join(names), "unknown": False,
                     "suggestions": []}]
        try:
            careers.start_grade(m, careers.resolve_position(self.g, origin)["iri"], grade)
        except RolegraphError as exc:  # names the role level and its band (data), not the input
            return [{"field": "grade", "message": str(exc)[:1].upper() + str(exc)[1:], "unknown": False,
                     "suggestions": []}]
        return []

    def not_found(self, path: str, term: str | None = None) -> tuple[int, str]:
        """A 404 page; *term* (or the address's last part) is looked up for suggestions."""
        term = term if term is not None else path.rstrip("/").rsplit("/", 1)[-1]
        words = " ".join(term.replace("-", " ").replace("_", " ").split())
        hits = search(self.g, words, limit=8) if words else []
        return self._page("not_found.html.j2", 404, title="Page not found", path=path, term=words, hits=hits)

    def _position_errors(self, *fields: tuple[str, str]) -> list[dict]:
        errors = []
        for field, name in fields:
            if not name.strip():
                errors.append({"field": field, "message": f"Enter a role or role level ({field})",
                               "unknown": False, "suggestions": []})
                continue
            try:
                careers.resolve_position(self.g, name)
            except UnknownName as exc:
                errors.append({"field": field, "unknown": True, "suggestions": exc.suggestions,
                               "message": f'There is no role or role level called "{name}"'})
            except RolegraphError as exc:
                errors.append({"field": field, "unknown": False, "suggestions": [], "message": str(exc)})
        return errors


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        return min(high, max(low, int(value))) if value not in (None, "") else default
    except ValueError:
        return default


def routes(graph: RoleGraph) -> list["BaseRoute"]:
    """The explorer's Starlette routes over *graph* (``/``, ``/role/…``, ``/skill/…``, ``/path``, ``/related``,
    ``/static/rolegraph.css``). Unknown addresses are the server's: give it :func:`not_found` as its 404 handler."""
    from starlette.responses import HTMLResponse, Response
    from starlette.routing import Route

    ex = Explorer(graph)
    css = reports.stylesheet()

    def page(render: Callable[["Request"], tuple[int, str]]):
        def endpoint(request: "Request") -> "Response":  # sync: Starlette runs it in its thread pool
            with ex.lock:
                status, body = render(request)
            return HTMLResponse(body, status_code=status, headers=page_headers())
        return endpoint

    def path(request: "Request") -> "Response":
        p = request.query_params
        fmt = p.get("format")
        with ex.lock:
            status, body = ex.path(p.get("from", "").strip(), p.get("to", "").strip(),
                                   _int(p.get("alternatives"), 2, 0, MAX_ALTERNATIVES),
                                   fmt if fmt in reports.FORMATS else None, p.get("grade", "").strip()[:40])
        if status == 200 and fmt in reports.FORMATS:
            name = f"career-path-{slugify(p['from'])}-to-{slugify(p['to'])}.{fmt}"
            media = "text/html" if fmt == "html" else "text/markdown"
            return Response(body, media_type=f"{media}; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{name}"',
                                     **page_headers(reports.report_csp(frame=True))})
        return HTMLResponse(body, status_code=status, headers=page_headers())

    def stylesheet(request: "Request") -> "Response":
        return Response(css, media_type="text/css; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=3600", **page_headers()})

    return [
        Route("/", page(lambda r: ex.home(r.query_params.get("q", ""))), methods=["GET", "HEAD"]),
        Route("/role/{slug}", page(lambda r: ex.role(r.path_params["slug"])), methods=["GET", "HEAD"]),
        Route("/skill/{slug}", page(lambda r: ex.skill(r.path_params["slug"])), methods=["GET", "HEAD"]),
        Route("/path", path, methods=["GET", "HEAD"]),
        Route("/related", page(lambda r: ex.related(r.query_params.get("from", "").strip(),
                                                    _int(r.query_params.get("top"), 20, 1, 100),
                                                    r.query_params.get("grade", "").strip()[:40])),
              methods=["GET", "HEAD"]),
        Route(CSS_PATH, stylesheet, methods=["GET", "HEAD"]),
        *assess_page.routes(graph, SITE, ex.lock),
    ]


def not_found(graph: RoleGraph):
    """A Starlette 404 handler for the server: the explorer's page-not-found with suggestions (HTML clients),
    plain text otherwise."""
    from starlette.responses import HTMLResponse, PlainTextResponse

    ex = Explorer(graph)

    async def handler(request: "Request", exc) -> "Response":
        if "text/html" not in request.headers.get("accept", "text/html"):
            return PlainTextResponse("Not found", status_code=404, headers=page_headers())
        with ex.lock:
            status, body = ex.not_found(request.url.path)
        return HTMLResponse(body, status_code=status, headers=page_headers())

    return handler


def app(graph: RoleGraph):
    """A Starlette app of the explorer alone (tests, the benchmark); ``rolegraph serve`` mounts :func:`routes`."""
    from starlette.applications import Starlette

    return Starlette(routes=routes(graph), exception_handlers={404: not_found(graph)})
