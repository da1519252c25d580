"""The career explorer: server-rendered pages over the graph, for ``rolegraph serve``.

``routes(graph)`` gives the Starlette routes; the server mounts them beside ``/sparql``:

* ``/`` — search roles, role levels and skills by name, acronym or grade (``?q=CISO``, ``?q=G7+data``), every
  match a page of 20 at a time (``&page=``), and browse the job families
* ``/role/<slug>`` — a role's ladder, grades, skills per level, related moves (a role level's own slug, when it
  names no role, goes to its level page)
* ``/level/<slug>`` — one role level: its role and grades, the skills it needs, the moves from *this* level, and a
  form to plan a path from here
* ``/skill/<slug>`` — a skill's levels and who needs it at which level
* ``/path?from=NAME&to=NAME[&grade=G]`` — the career-path report (a form without names); ``&format=html|md``
  downloads it
* ``/related?from=NAME[&grade=G]`` — ranked, tiered moves with their reasons
* ``/assess`` — rate your skills and see fit, gaps, readiness and a plan (POST only; :mod:`.assess`)
* ``/skills?family=NAME`` — every skill A to Z, optionally only those a job family's roles need
* ``/roles?family=NAME&grade=G7`` — every role level and Senior Civil Service role, filtered by family and grade
* ``/compare?a=NAME&b=NAME`` — two positions side by side: grades, the skills both need, what each lacks of the
  other's requirements, and paths both ways
* ``/level/<slug>/job-description`` (also ``.jsonld``), ``/level/<slug>/scoring-sheet.csv`` -- a job description
  and interview scoring sheet (:mod:`.jobs`)
* ``/accessibility``, ``/privacy`` — the accessibility statement and what the site stores (nothing about you)
* ``/static/rolegraph.css`` — the one stylesheet (shared with the saved reports)

Pages come from the same Jinja templates and library calls as ``rolegraph report``,
``path`` and ``related``; names resolve as in the CLI. No page needs JavaScript.
Unknown names and addresses get a 404 page with suggestions (:func:`not_found`). Every page is autoescaped
(:mod:`rolegraph.templating`) and sent with a strict Content-Security-Policy, ``X-Frame-Options: DENY``,
``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: no-referrer`` (:mod:`rolegraph.headers`).

>>> from rolegraph.graph import RoleGraph
>>> sorted(r.path for r in routes(RoleGraph.load()))[:3]
['/', '/accessibility', '/assess']
"""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Callable

from .. import browse, careers, crosswalk, reports, templating
from ..acronyms import grade_token
from ..errors import RolegraphError, UnknownName
from ..graph import RoleGraph
from ..headers import page_headers
from ..reports import plain_move
from ..slugs import slugify
from . import assess as assess_page
from . import catalogue
from . import jobs as jobs_pages
from .search import PAGE_SIZE, Hit, grade_names, page_of, page_url, search

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute

CSS_PATH = "/static/rolegraph.css"
JS_PATH = "/static/autocomplete.js"
SITE = {"root": "/", "css": CSS_PATH}
MAX_ALTERNATIVES = 5

__all__ = ["routes", "not_found", "Explorer", "search", "Hit", "plain_move"]


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

    def _names(self) -> dict[str, list[dict]]:
        """The forms' suggestions (datalist): each position name once (a name that is a role and a level means the
        level, as the CLI resolves it), with its role and grades, and its short forms (CISO)."""
        return {"positions": self.g.cached("explorer-datalist", self._build_names)}

    def _build_names(self) -> list[dict]:
        from ..acronyms import acronyms
        from .search import positions_info

        info, out = positions_info(self.g), {}
        scs = {r["iri"] for r in browse.roles(self.g) if r["scs"]}
        for kind in ("level", "role"):
            for e in self.g.entities(kind):
                if e.label in out:
                    continue
                role, grades = info.get(e.iri, (None, ()))
                detail = ("role level" + (f" of {role}" if role and role != e.label else "") if kind == "level"
                          else "Senior Civil Service role" if e.iri in scs else "role")
                out[e.label] = {"name": e.label, "detail": ", ".join([detail, *grades]),
                                "short": " ".join(acronyms(e.label)) if kind == "role" else ""}
        return sorted(out.values(), key=lambda p: p["name"].casefold())

    # ---------------------------------------------------------------- pages

    def home(self, q: str = "", page: int = 1) -> tuple[int, str]:
        found = search(self.g, q) if q.strip() else []
        hits, page, pages = page_of(found, page)
        families: dict[str, list[dict]] = {}
        for r in browse.roles(self.g):
            families.setdefault(r["family"], []).append(dict(r, slug=slugify(r["name"])))
        return self._page("home.html.j2", title="Find a role or skill" if not q else f"Search: {q}", q=q,
                          hits=hits, total=len(found), page=page, pages=pages, first=(page - 1) * PAGE_SIZE + 1,
                          families=families, searched=bool(q.strip()))

    def role(self, slug: str) -> tuple[int, str]:
        try:
            ent = self.g.resolve(slug, ("role", "level"))
        except UnknownName:
            return self.not_found(f"/role/{slug}", slug)
        if ent.kind == "level":   # the level the user named has its own page
            return 302, f"{SITE['root']}level/{ent.slug}"
        context = reports.role_report(self.g, ent.iri)
        return 200, reports.render(dict(context, site=SITE))

    def level(self, slug: str) -> tuple[int, str]:
        """One role level: what it needs, its grades, its place on the ladder and the moves from it."""
        try:
            ent = self.g.resolve(slug, ("level",))
        except UnknownName:
            try:   # a Senior Civil Service role is a position without levels: its role page says it all
                return 302, f"{SITE['root']}role/{self.g.resolve(slug, ('role',)).slug}"
            except UnknownName:
                return self.not_found(f"/level/{slug}", slug)
        info = browse.role_info(self.g, ent.iri)
        here = next(lv for lv in info["levels"] if lv["name"] == ent.label)
        moves = careers.related(self.g, ent.iri, top=10).to_dict()
        used = {s["level"] for s in here["skills"] if s["level"]}
        here = dict(here, skills=[dict(s, meaning=catalogue.meaning(self.g, s["skill"], s["level"])[0])
                                  for s in here["skills"]])
        return self._page("level.html.j2", title=ent.label, level=here, role=info,
                          moves=[dict(m, plain=plain_move(m)) for m in moves["moves"]],
                          moves_note=reports.few_moves_note(moves),
                          level_definitions=reports.level_definitions(self.g, used), form={"to": ""}, errors=[],
                          crosswalk=crosswalk.mappings_of(self.g, ent.iri), **self._names())

    def skill(self, slug: str) -> tuple[int, str]:
        try:
            info = browse.skill_info(self.g, slug)
        except UnknownName:
            return self.not_found(f"/skill/{slug}", slug)
        return self._page("skill.html.j2", title=info["name"], skill=info,
                          crosswalk=crosswalk.mappings_of(self.g, info["iri"]),
                          meanings=catalogue.level_meanings(self.g, info["name"]))

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
            context = reports.path_report(self.g, origin, dest, alternatives=alternatives, grade=grade or None,
                                          link=None if fmt in reports.FORMATS else self._position_url)
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
            result["moves"] = [dict(m, plain=plain_move(m)) for m in result["moves"]]
            result["note"] = reports.few_moves_note(result)
            result["grade_basis"] = reports.grade_basis_words(result["grade_basis"], result["from_grades"])
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

    def skills(self, family: str = "") -> tuple[int, str]:
        """Every skill A to Z, optionally of one job family."""
        try:
            chosen = catalogue.check_family(self.g, family.strip())
        except UnknownName:
            return self._filter_error("skills.html.j2", "Skills A to Z", family=family)
        listed = catalogue.skills_a_to_z(self.g, chosen)
        letters: dict[str, list[dict]] = {}
        for s in listed:
            letters.setdefault(s["letter"], []).append(s)
        title = f"Skills A to Z: {chosen}" if chosen else "Skills A to Z"
        return self._page("skills.html.j2", title=title, letters=letters, count=len(listed), errors=[],
                          filters={"family": chosen or ""}, families=catalogue.families(self.g))

    def roles(self, family: str = "", grade: str = "") -> tuple[int, str]:
        """Every role level and Senior Civil Service role, filtered by job family and grade."""
        grades = grade_names(self.g)
        try:
            chosen = catalogue.check_family(self.g, family.strip())
        except UnknownName:
            return self._filter_error("roles.html.j2", "Roles by family and grade", family=family, grade=grade)
        picked = grade_token(grade, grades) if grade.strip() else None
        if grade.strip() and picked is None:
            return self._filter_error("roles.html.j2", "Roles by family and grade", family=chosen or "",
                                      grade=grade, field="grade")
        listed = catalogue.positions(self.g, chosen, picked)
        by_role: dict[str, list[dict]] = {}
        for p in listed:
            by_role.setdefault(p["role"], []).append(p)
        title = ("Roles" + (f" in {chosen}" if chosen else "") + (f" at {picked}" if picked else "")
                 if chosen or picked else "Roles by family and grade")
        return self._page("roles.html.j2", title=title, by_role=by_role, count=len(listed), errors=[],
                          filters={"family": chosen or "", "grade": picked or ""},
                          families=catalogue.families(self.g), grades=grades)

    def _filter_error(self, template: str, title: str, field: str = "family", **filters: str) -> tuple[int, str]:
        value = filters.get(field, "")
        kind = "job family" if field == "family" else "grade"
        errors = [{"field": field, "unknown": True, "suggestions": [],
                   "message": f'There is no {kind} called "{value}": choose one from the list'}]
        context = {"letters": {}, "count": 0} if template == "skills.html.j2" else {"by_role": {}, "count": 0}
        return self._page(template, 404, title=title, errors=errors, filters=dict(filters, **{field: ""}),
                          families=catalogue.families(self.g), grades=grade_names(self.g), **context)

    def compare(self, a: str = "", b: str = "") -> tuple[int, str]:
        """Two positions side by side (a form without both names)."""
        form = {"a": a, "b": b}
        errors = self._position_errors(("a", a), ("b", b)) if (a or b) else []
        result = None
        if a and b and not errors:
            try:
                result = compare_positions(self.g, a, b)
            except RolegraphError as exc:
                errors = [{"field": "b", "message": str(exc)[:1].upper() + str(exc)[1:], "unknown": False,
                           "suggestions": []}]
        status = 404 if any(e["unknown"] for e in errors) else 400 if errors else 200
        title = f"Compare {result['a']['name']} and {result['b']['name']}" if result else "Compare two roles"
        return status, self._page("compare.html.j2", title=title, form=form, errors=errors, result=result,
                                  **self._names())[1]

    def statement(self, which: str) -> tuple[int, str]:
        """The accessibility statement or the privacy statement (``which``: accessibility, privacy)."""
        titles = {"accessibility": "Accessibility statement", "privacy": "Privacy: what this site stores"}
        return self._page(f"{which}.html.j2", title=titles[which])

    def not_found(self, path: str, term: str | None = None) -> tuple[int, str]:
        """A 404 page; *term* (or the address's last part) is looked up for suggestions."""
        term = term if term is not None else path.rstrip("/").rsplit("/", 1)[-1]
        words = " ".join(term.replace("-", " ").replace("_", " ").split())
        hits = search(self.g, words, limit=8) if words else []
        return self._page("not_found.html.j2", 404, title="Page not found", path=path, term=words, hits=hits)

    def _position_url(self, name: str) -> str:
        """The page of the position *name*: its level page, or a Senior Civil Service role's page."""
        ent = self.g.resolve(careers.resolve_position(self.g, name)["iri"], ("level", "role"))
        return page_url(ent.kind, ent.slug)

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


def compare_positions(g: RoleGraph, a: str, b: str) -> dict:
    """Positions *a* and *b* side by side: each one's name, page, grades and requirements; every skill either
    needs with the level each needs; and, each way, how many of the other's requirements are already met."""
    from .search import positions_info

    info = positions_info(g)
    sides = {}
    for key, name in (("a", a), ("b", b)):
        p = careers.resolve_position(g, name)
        ent = g.resolve(p["iri"], ("level", "role"))
        sides[key] = {"name": p["label"], "url": page_url(ent.kind, ent.slug),
                      "role": info.get(p["iri"], (None, ()))[0], "grades": list(info.get(p["iri"], (None, ()))[1])}
    if careers.resolve_position(g, a)["iri"] == careers.resolve_position(g, b)["iri"]:
        raise RolegraphError(f'"{a}" and "{b}" are the same position: choose two different ones')
    to_b = careers.gap(g, a, b).to_dict()
    to_a = careers.gap(g, b, a).to_dict()
    needs = {"a": {x["skill"]: x["to_level"] for x in to_a["develop"] + to_a["met"]},
             "b": {x["skill"]: x["to_level"] for x in to_b["develop"] + to_b["met"]}}
    for key, way in (("a", to_a), ("b", to_b)):
        sides[key].update(total=len(needs[key]), met_by_other=len(way["met"]), develop_from_other=len(way["develop"]),
                          develop_words=reports.develop_words(way["develop"]))
    skills = sorted(set(needs["a"]) | set(needs["b"]), key=str.casefold)
    rows = [{"skill": s, "a": needs["a"].get(s, False), "b": needs["b"].get(s, False)} for s in skills]
    both = [r for r in rows if r["a"] is not False and r["b"] is not False]
    return {"a": sides["a"], "b": sides["b"], "rows": rows, "both": len(both),
            "only_a": sum(1 for r in rows if r["b"] is False), "only_b": sum(1 for r in rows if r["a"] is False)}


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        return min(high, max(low, int(value))) if value not in (None, "") else default
    except ValueError:
        return default


def routes(graph: RoleGraph) -> list["BaseRoute"]:
    """The explorer's Starlette routes over *graph* (``/``, ``/role/…``, ``/skill/…``, ``/path``, ``/related``,
    ``/static/rolegraph.css``). Unknown addresses are the server's: give it :func:`not_found` as its 404 handler."""
    from starlette.responses import HTMLResponse, RedirectResponse, Response
    from starlette.routing import Route

    ex = Explorer(graph)
    css = reports.stylesheet()

    def page(render: Callable[["Request"], tuple[int, str]]):
        def endpoint(request: "Request") -> "Response":  # sync: Starlette runs it in its thread pool
            with ex.lock:
                status, body = render(request)
            if status in (301, 302, 303):
                return RedirectResponse(body, status_code=status, headers=page_headers())
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

    script = (templating.TEMPLATES / "autocomplete.js").read_text(encoding="utf-8")

    def autocomplete(request: "Request") -> "Response":
        return Response(script, media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=3600", **page_headers()})

    def stylesheet(request: "Request") -> "Response":
        return Response(css, media_type="text/css; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=3600", **page_headers()})

    return [
        Route("/", page(lambda r: ex.home(r.query_params.get("q", ""), _int(r.query_params.get("page"), 1, 1, 10**6))),
              methods=["GET", "HEAD"]),
        Route("/role/{slug}", page(lambda r: ex.role(r.path_params["slug"])), methods=["GET", "HEAD"]),
        Route("/level/{slug}", page(lambda r: ex.level(r.path_params["slug"])), methods=["GET", "HEAD"]),
        Route("/skill/{slug}", page(lambda r: ex.skill(r.path_params["slug"])), methods=["GET", "HEAD"]),
        Route("/path", path, methods=["GET", "HEAD"]),
        Route("/related", page(lambda r: ex.related(r.query_params.get("from", "").strip(),
                                                    _int(r.query_params.get("top"), 20, 1, 100),
                                                    r.query_params.get("grade", "").strip()[:40])),
              methods=["GET", "HEAD"]),
        Route("/skills", page(lambda r: ex.skills(r.query_params.get("family", ""))), methods=["GET", "HEAD"]),
        Route("/roles", page(lambda r: ex.roles(r.query_params.get("family", ""), r.query_params.get("grade", ""))),
              methods=["GET", "HEAD"]),
        Route("/compare", page(lambda r: ex.compare(r.query_params.get("a", "").strip(),
                                                    r.query_params.get("b", "").strip())),
              methods=["GET", "HEAD"]),
        Route("/accessibility", page(lambda r: ex.statement("accessibility")), methods=["GET", "HEAD"]),
        Route("/privacy", page(lambda r: ex.statement("privacy")), methods=["GET", "HEAD"]),
        Route(CSS_PATH, stylesheet, methods=["GET", "HEAD"]),
        *assess_page.routes(graph, SITE, ex.lock),
        *jobs_pages.routes(ex, SITE),
        Route(JS_PATH, autocomplete, methods=["GET", "HEAD"]),
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


#: pages of at least this many bytes are sent gzip-compressed to clients that accept it (a path page: 58 KB -> 7 KB)
GZIP_MINIMUM = 1024


def app(graph: RoleGraph):
    """A Starlette app of the explorer alone (tests, the benchmark); ``rolegraph serve`` mounts :func:`routes`
    (and compresses pages the same way)."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.gzip import GZipMiddleware

    return Starlette(routes=routes(graph), exception_handlers={404: not_found(graph)},
                     middleware=[Middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM)])
