"""Career-path reports and role profiles, as self-contained HTML or CommonMark Markdown.

The data comes from :mod:`rolegraph.analysis` and :mod:`rolegraph.browse`; the
layout lives in Jinja2 templates under ``rolegraph/templates/`` (HTML, Markdown
and the SVG path diagram), not in Python strings.

>>> from rolegraph.graph import RoleGraph
>>> g = RoleGraph.load()
>>> html = render(path_report(g, "Chief information security officer", "Chief technology officer"), "html")
>>> "<svg" in html and "Technology evaluation" in html
True
"""
from __future__ import annotations

import datetime as _dt
import textwrap
from functools import cache
from pathlib import Path

from .graph import RoleGraph

TEMPLATES = Path(__file__).resolve().parent / "templates"
FORMATS = ("html", "md")

# diagram geometry (px)
_BOX_W, _BOX_H, _GAP_X, _ROW_H, _PAD = 190, 74, 96, 110, 16


@cache
def _env():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "svg"), default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["signed"] = lambda n: "no change" if not n else (f"+{n}" if n > 0 else str(n))
    env.filters["delta"] = lambda n: "\u00b10" if not n else (f"+{n}" if n > 0 else f"\u2212{-n}")
    env.filters["mdescape"] = _md_escape
    return env


def _md_escape(text) -> str:
    """Escape CommonMark punctuation that could start markup in running text."""
    out = []
    for ch in str(text):
        out.append("\\" + ch if ch in "\\`*_{}[]<>#|!" else ch)
    return "".join(out)


def _release(g: RoleGraph) -> dict:
    rows = g.select("""
        SELECT ?label ?version ?issued ?licence ?source WHERE {
            ?r a rg:Release ; skos:prefLabel ?label .
            OPTIONAL { ?r schema:version ?version }
            OPTIONAL { ?r dcterms:issued ?issued }
            OPTIONAL { ?r dcterms:license ?licence }
            OPTIONAL { ?r dcterms:source ?source }
        } LIMIT 1""")
    return rows[0] if rows else {"label": "unknown release", "version": None, "issued": None, "licence": None,
                                 "source": None}


def _level_definitions(g: RoleGraph, used: set[str]) -> list[dict]:
    rows = g.select("""
        SELECT ?name ?rank ?definition WHERE {
            ?l a rg:SkillLevel ; skos:notation ?name ; rg:rank ?rank ; skos:definition ?definition }
        ORDER BY ?rank""")
    return [r for r in rows if r["name"] in used]


def _sources(g: RoleGraph, names: set[str], kinds: tuple[str, ...]) -> list[dict]:
    """Official pages for the named roles/levels/skills (a level links to its role's page)."""
    out = {}
    for name in names:
        try:
            ent = g.resolve(name, kinds)
        except Exception:  # a name the analysis printed always resolves; be safe in a report
            continue
        # (a UNION, not the path rg:ofRole?/dcterms:source: Virtuoso ignores a bound ?n on a `?` path)
        rows = g.select("SELECT ?src WHERE { { ?n dcterms:source ?src } UNION { ?n rg:ofRole/dcterms:source ?src } }",
                        n=ent.iri)
        if rows:
            out[ent.label] = rows[0]["src"]
    return [{"name": k, "url": v} for k, v in sorted(out.items(), key=lambda kv: kv[0].casefold())]


def _wrap(label: str, width: int = 24) -> list[str]:
    return textwrap.wrap(label, width)[:3] or [label]


def _grades(g: RoleGraph, name: str) -> str:
    ent = g.resolve(name, ("level", "role"))
    rows = g.select("""SELECT ?n WHERE { ?x rg:grade ?gr . ?gr skos:notation ?n ; rg:rank ?rank } ORDER BY ?rank""",
                    x=ent.iri)
    return ", ".join(r["n"] for r in rows)


def diagram(g: RoleGraph, routes: list[dict], title: str) -> str:
    """An inline SVG of *routes* (the recommended path first, then alternatives), one row each.

    Each route is ``{"steps": [{"from", "to", "cost", "grade_change"}, ...]}``.
    """
    rows = []
    width = 0
    for i, route in enumerate(routes):
        names = [route["steps"][0]["from"]] + [s["to"] for s in route["steps"]] if route["steps"] else []
        y = _PAD + i * _ROW_H
        boxes = [{"x": _PAD + j * (_BOX_W + _GAP_X), "y": y, "lines": _wrap(n), "grades": _grades(g, n),
                  "name": n} for j, n in enumerate(names)]
        arrows = [{"x1": b["x"] + _BOX_W, "x2": b["x"] + _BOX_W + _GAP_X - 4, "y": y + _BOX_H / 2,
                   "cost": s["cost"], "grade_change": s.get("grade_change")}
                  for b, s in zip(boxes, route["steps"])]
        rows.append({"boxes": boxes, "arrows": arrows, "recommended": i == 0, "y": y,
                     "label": "Recommended path" if i == 0 else f"Alternative {i}"})
        width = max(width, _PAD * 2 + len(boxes) * _BOX_W + max(0, len(boxes) - 1) * _GAP_X)
    height = _PAD * 2 + len(rows) * _ROW_H - (_ROW_H - _BOX_H) + 14
    return _env().get_template("diagram.svg.j2").render(
        rows=rows, width=width, height=height, box_w=_BOX_W, box_h=_BOX_H, title=title)


def path_report(g: RoleGraph, origin: str, dest: str, alternatives: int = 2,
                max_grade_step: int | None = None) -> dict:
    """The context of a career-path report from *origin* to *dest*: summary, path, alternatives, gaps, provenance."""
    from . import analysis

    found = analysis.path(g, origin, dest, alternatives=alternatives, max_grade_step=max_grade_step)
    overall = analysis.gap(g, origin, dest)
    routes = [{"steps": found["steps"], "total_cost": found["total_cost"]}] + list(found.get("alternatives") or [])
    used_levels = {x for r in routes for s in r["steps"] for gp in s["gaps"] for x in (gp["from_level"],
                                                                                        gp["to_level"]) if x}
    used_levels |= {x for d in overall["develop"] + overall["met"] for x in (d.get("from_level"), d.get("to_level"))
                    if x}
    nodes = {found["from"], found["to"]} | {s[k] for r in routes for s in r["steps"] for k in ("from", "to")}
    skills = {gp["skill"] for r in routes for s in r["steps"] for gp in s["gaps"]}
    skills |= {name for r in routes for s in r["steps"] for name in s["shared"]}
    title = f"Career path: {found['from']} to {found['to']}"
    return {
        "kind": "path",
        "title": title,
        "from": found["from"],
        "to": found["to"],
        "from_grades": _grades(g, found["from"]),
        "to_grades": _grades(g, found["to"]),
        "grade_change": sum(s.get("grade_change") or 0 for s in found["steps"]),
        "steps": found["steps"],
        "total_cost": found["total_cost"],
        "alternatives": found.get("alternatives") or [],
        "overall": overall,
        "notes": found.get("notes") or [],
        "diagram": diagram(g, routes, title),
        "level_definitions": _level_definitions(g, used_levels),
        "role_pages": _sources(g, nodes, ("level", "role")),
        "skill_pages": _sources(g, skills, ("skill",)),
        "release": _release(g),
        "generated": _dt.date.today().isoformat(),
    }


def role_report(g: RoleGraph, name: str, top: int = 10) -> dict:
    """The context of a role profile: ladder with grades, skills per level, and top related moves."""
    from . import analysis, browse

    info = browse.role_info(g, name)
    start = info["levels"][-1]["name"] if info["levels"] else info["name"]
    moves = analysis.related(g, start, top=top)
    skills = sorted({s["skill"] for lv in info["levels"] for s in lv["skills"]} |
                    {s["skill"] for s in info["skills"]}, key=str.casefold)
    matrix = [{"skill": s, "levels": [next((x["level"] for x in lv["skills"] if x["skill"] == s), None)
                                      for lv in info["levels"]]} for s in skills]
    used = {lv for row in matrix for lv in row["levels"] if lv}
    return {
        "kind": "role",
        "title": f"Role profile: {info['name']}",
        "role": info,
        "matrix": matrix,
        "moves_from": start,
        "moves": moves["moves"],
        "level_definitions": _level_definitions(g, used),
        "skill_pages": _sources(g, set(skills), ("skill",)),
        "release": _release(g),
        "generated": _dt.date.today().isoformat(),
    }


def render(context: dict, fmt: str = "html") -> str:
    """Render a report context (from :func:`path_report` or :func:`role_report`) as ``html`` or ``md``."""
    template = f"{context['kind']}.{fmt}.j2"
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8") if fmt == "html" else ""
    return _env().get_template(template).render(css=css, **context)
