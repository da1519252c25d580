"""Career-path reports and role profiles, as self-contained HTML or CommonMark Markdown.

The data comes from :mod:`rolegraph.careers` and :mod:`rolegraph.browse`; the
layout lives in Jinja2 templates under ``rolegraph/templates/`` (HTML, Markdown
and the SVG path diagram), not in Python strings; :mod:`rolegraph.templating` escapes the data in them (HTML and
SVG autoescaped, Markdown escaped, only http(s) addresses linked).

>>> from rolegraph.graph import RoleGraph
>>> g = RoleGraph.load()
>>> html = render(path_report(g, "Chief information security officer", "Chief technology officer"), "html")
>>> "<svg" in html and "Technology evaluation" in html
True
"""
from __future__ import annotations

import datetime as _dt
import re
import textwrap
from typing import Any, Callable

from markupsafe import Markup

from . import templating
from .graph import RoleGraph

TEMPLATES = templating.TEMPLATES
FORMATS = ("html", "md")

# diagram geometry (px): boxes keep this size and text never shrinks below 12 px; a wide diagram scrolls
_BOX_W, _BOX_H, _GAP_X, _GAP_Y, _PAD, _LABEL_H = 200, 78, 120, 64, 16, 22
#: the box widths (px) at which a screen diagram may be shown whole: report.css has a container query for each
SCREEN_STEPS = tuple(range(400, 2001, 100))

def _env():
    """The environment of the HTML and SVG templates (autoescaped; see :mod:`rolegraph.templating`)."""
    return templating.markup_environment()


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


level_definitions = _level_definitions   # the explorer's level page lists them too


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


def _wrap(label: str, width: int = 22) -> list[str]:
    return textwrap.wrap(label, width)[:3] or [label]


def _grades(g: RoleGraph, name: str) -> str:
    """The grade band of a position, as the career model sees it (e.g. ``HEO-SEO``)."""
    from . import careers

    return careers.career_model(g).grades(careers.resolve_position(g, name)["iri"])


def route_layout(routes: list[list[str]]) -> tuple[dict[str, tuple[int, int]], list[tuple[str, str, int]]]:
    """Place the positions of several routes on a grid, each position and each move once.

    Returns ``{name: (column, row)}`` and the moves ``(from, to, first route using it)``.
    A position's column is its longest distance from the start over all routes (so every
    move points right); the first route's positions form row 0 and each later route puts
    the positions it adds on a row of its own, so stages shared by routes are drawn once.

    >>> cells, moves = route_layout([["A", "B"], ["A", "X", "B"]])
    >>> cells
    {'A': (0, 0), 'B': (2, 0), 'X': (1, 1)}
    >>> moves
    [('A', 'B', 0), ('A', 'X', 1), ('X', 'B', 1)]
    """
    moves: dict[tuple[str, str], int] = {}
    for i, route in enumerate(routes):
        for a, b in zip(route, route[1:]):
            moves.setdefault((a, b), i)
    column: dict[str, int] = {}
    for route in routes:  # first placement: index along the first route that has the position
        for j, n in enumerate(route):
            column.setdefault(n, j)
    for _ in range(len(column)):  # longest-path layering; stops early, and is bounded if routes disagree on order
        changed = False
        for a, b in moves:
            if column[b] <= column[a]:
                column[b] = column[a] + 1
                changed = True
        if not changed:
            break
    row: dict[str, int] = {}
    rows = 0
    for route in routes:
        new = [n for n in route if n not in row]
        for n in new:
            row[n] = rows
        rows += bool(new)
    cells = {n: (column[n], row[n]) for n in column}
    return cells, [(a, b, i) for (a, b), i in moves.items()]


def diagram(g: RoleGraph, routes: list[dict], title: str, vertical: bool = False, ident: str = "diagram",
            strips: bool = True, link: Callable[[str], str] | None = None, css_class: str = "",
            fit: bool = False) -> Markup:
    """An inline SVG of *routes* (the recommended path first, then alternatives) as one graph.

    Each route is ``{"steps": [{"from", "to", "gaps", "grade_change", "from_grade", "to_grade"}, ...]}``; an
    arrow says the grades held before and after its move ("G7 → G6") when the step gives them, since promotions in
    post have no box of their own (else "grade +N"). Every
    position and move is drawn once (see :func:`route_layout`); the recommended path is
    solid, what only alternatives use is dashed. The SVG keeps its natural size: text is
    at least 12 px, and a wide diagram scrolls sideways in its box instead of shrinking.
    *vertical* lays the routes top to bottom (for print, where the page is narrow and
    tall), cut into one SVG per stage with *strips*; *ident* prefixes the SVG's element ids so two diagrams can
    share a page. With *link* (name -> address) every box is a link; *css_class* is added to each SVG's class,
    and with *fit* the class ``fit-<px>``: the smallest of :data:`SCREEN_STEPS` its box needs to show it whole.
    """
    named = [[r["steps"][0]["from"]] + [s["to"] for s in r["steps"] if s["to"] != s["from"]]  # in-post: no box
             for r in routes if r["steps"]]
    step_of = {(s["from"], s["to"]): s for r in routes for s in r["steps"]}
    cells, moves = route_layout(named)
    grades = {n: _grades(g, n) for n in cells}
    cols = max((c for c, _ in cells.values()), default=0) + 1
    nrows = max((r for _, r in cells.values()), default=0) + 1
    on_best = set(named[0]) if named else set()
    row_label = {}
    for i, route in enumerate(named):
        for r in {cells[n][1] for n in route if not any(n in prev for prev in named[:i])}:
            row_label[r] = "Recommended path" if i == 0 else f"Alternative {i} (dashed)"
    # geometry along the routes (main axis) and across them (cross axis)
    if vertical:
        box_m, box_c, gap_m, gap_c, lab_m, lab_c = _BOX_H, _BOX_W, 64, 110, _LABEL_H, 0
    else:
        box_m, box_c, gap_m, gap_c, lab_m, lab_c = _BOX_W, _BOX_H, _GAP_X, _GAP_Y, 0, _LABEL_H

    def m(col: int) -> float:
        return _PAD + lab_m + col * (box_m + gap_m)

    def c(row: int) -> float:
        return _PAD + lab_c + row * (box_c + gap_c + lab_c)

    def xy(mm: float, cc: float) -> tuple[float, float]:
        return (cc, mm) if vertical else (mm, cc)

    boxes = []
    for n, (col, row) in sorted(cells.items(), key=lambda kv: kv[1]):
        bx, by = xy(m(col), c(row))
        boxes.append({"x": bx, "y": by, "lines": _wrap(n), "grades": grades[n], "name": n,
                      "recommended": n in on_best, "href": link(n) if link else None})
    labels = [dict(zip(("x", "y"), (c(r), _PAD + 14) if vertical else (_PAD, c(r) - 7)), text=t)
              for r, t in sorted(row_label.items())]
    # (main, cross) of the cost and grade labels; top to bottom, they sit below the turn of a move that leaves for
    # another lane (at jog_f of the gap), so no line crosses them
    offsets = ((28, 8), (45, 8)) if vertical else ((8, -8), (8, 20))
    jog_f = 0.12 if vertical else 0.3
    arrows = []
    for a, b, route_no in moves:
        (ca, ra), (cb, rb) = cells[a], cells[b]
        m1, c1, m2, c2 = m(ca) + box_m, c(ra) + box_c / 2, m(cb) - 3, c(rb) + box_c / 2
        if ra == rb and cb == ca + 1:
            points, lm, lc = [(m1, c1), (m2, c2)], m1, c1
        elif ra == rb:  # skips stages of its lane: round them through the space below the lane, label there
            j1, j2, below = m1 + gap_m * 0.15, m(cb) - gap_m * 0.15, c(ra) + box_c + gap_c / 2
            points, lm, lc = [(m1, c1), (j1, c1), (j1, below), (j2, below), (j2, c2), (m2, c2)], j1, below
        elif rb > ra:  # out to an alternative's lane: turn just after the start, label in that lane
            jog = m1 + gap_m * jog_f
            points, lm, lc = [(m1, c1), (jog, c1), (jog, c2), (m2, c2)], jog, c2
        else:  # back from an alternative's lane: label in that lane, turn just before the end
            jog = m(cb) - gap_m * jog_f
            points, lm, lc = [(m1, c1), (jog, c1), (jog, c2), (m2, c2)], m1, c1
        s = step_of[(a, b)]
        (cx, cy), (gx, gy) = (xy(lm + om, lc + oc) for om, oc in offsets)
        arrows.append({"points": " ".join("%g,%g" % xy(pm, pc) for pm, pc in points), "recommended": route_no == 0,
                       "develop": len(s.get("gaps") or ()), "grade_change": s.get("grade_change"),
                       "held": (f"{s['from_grade']} \u2192 {s['to_grade']}" if s.get("from_grade") and s.get("to_grade")
                                else None), "cost_xy": (cx, cy),
                       "grade_xy": (gx, gy)})
    main_len = m(cols) - gap_m + _PAD
    cross_len = c(nrows) - gap_c - lab_c + _PAD
    width, height = xy(main_len, cross_len)
    if fit:
        css_class += f" fit-{next((w for w in SCREEN_STEPS if w >= width), SCREEN_STEPS[-1])}"
    context = dict(routes=[{"label": "Recommended path" if i == 0 else f"Alternative {i}", "names": r,
                            "grades": [grades[n] for n in r]} for i, r in enumerate(named)],
                   boxes=boxes, arrows=arrows, labels=labels, width=width, box_w=_BOX_W, box_h=_BOX_H, title=title,
                   css_class=css_class, linked=link is not None)
    template = templating.get_template("diagram.svg.j2")   # autoescaped: names are text, never markup
    if not vertical or not strips:
        return Markup(template.render(context, ident=ident, top=0, height=height))
    # vertical (print): one strip per stage, cut in the gaps between stages, so a page can break between them
    cuts = [0.0] + [m(k) - 14 for k in range(1, cols)] + [height]
    return Markup("\n".join(template.render(context, ident=f"{ident}-{k}", top=a, height=b - a)
                            for k, (a, b) in enumerate(zip(cuts, cuts[1:]))))


def screen_diagram(g: RoleGraph, routes: list[dict], title: str, link: Callable[[str], str] | None = None) -> Markup:
    """The path diagram for screens, which always shows the origin and the destination at full size: left to
    right when its box is wide enough, else top to bottom, else (phones) the recommended path alone top to
    bottom. All three are in the page; the stylesheet's container queries show the first that fits its box
    (classes ``fit-<px>``, :data:`SCREEN_STEPS`), so no script is needed and the text never shrinks."""
    parts = [diagram(g, routes, title, link=link, css_class="dia-across", fit=True)]
    if len(routes) > 1:
        parts.append(diagram(g, routes, title, vertical=True, strips=False, ident="diagram-down", link=link,
                             css_class="dia-down", fit=True))
    parts.append(diagram(g, routes[:1], title, vertical=True, strips=False, ident="diagram-alone", link=link,
                         css_class="dia-alone"))
    return Markup("\n").join(parts)


def move_label(kind: str | None, grade_change: int | None = None, move: str | None = None) -> str:
    """A move's kind in words a line manager reads, never "promotion" for a move that gains no grade.

    >>> move_label("promotion", 1), move_label("promotion", 0)
    ('promotion to the next level of the same role', 'the next level of the same role, at the same grade')
    >>> move_label("promotion", -1)
    "the level below on the same role's ladder (a move down)"
    >>> move_label("change of role", -2), move_label("bridge", 1), move_label("in post", 1)
    ('change of role (a move down)', 'promotion into the Senior Civil Service', 'promotion in the same post')
    """
    down = grade_change is not None and grade_change < 0
    if kind == "promotion":
        return ("the level below on the same role's ladder (a move down)" if down else
                "promotion to the next level of the same role" if grade_change else
                "the next level of the same role, at the same grade")
    if kind == "in post":
        return ("promotion in the same post" if grade_change else
                "develop in post: the skills first, at the same grade" if move == "develop in post" else
                "developing skills in the same post")
    if kind == "bridge":
        return "promotion into the Senior Civil Service" if grade_change else "a route into the Senior Civil Service"
    if kind == "sideways":
        return "the parallel track of the same role" + (" (a move down)" if down else "")
    return f"{kind or 'move'}" + (" (a move down)" if down else "")


def grade_words(change: int | None) -> str:
    """A grade change in words: ``same grade``, ``1 grade up``, ``2 grades down``, ``grade not known``."""
    if change is None:
        return "grade not known"
    if change == 0:
        return "same grade"
    n = abs(change)
    return f"{n} grade{'s' if n != 1 else ''} {'up' if change > 0 else 'down'}"


def develop_counts(gaps: list[dict]) -> dict:
    """Skills to develop in plain counts: ``total``, ``new`` (not held at all), ``raise`` (held at a lower level)
    and ``far`` (raised by two levels or more), so a page can say "4 skills to develop, 2 of them by two levels"."""
    new = sum(1 for gp in gaps if gp.get("from_level") is None)
    far = sum(1 for gp in gaps if gp.get("from_level") is not None and (gp.get("steps") or 0) >= 2)
    return {"total": len(gaps), "new": new, "raise": len(gaps) - new, "far": far}


def develop_words(gaps: list[dict]) -> str:
    """:func:`develop_counts` as one phrase.

    >>> develop_words([{"from_level": None}, {"from_level": "working", "steps": 2}, {"from_level": "working"}])
    '3 skills to develop (1 new to you, 2 to raise, 1 of them by two levels or more)'
    >>> develop_words([])
    'nothing to develop'
    """
    c = develop_counts(gaps)
    if not c["total"]:
        return "nothing to develop"
    parts = ([f"{c['new']} new to you"] if c["new"] else []) + ([f"{c['raise']} to raise"] if c["raise"] else []) + (
        [f"{c['far']} of them by two levels or more"] if c["far"] else [])
    return f"{c['total']} skill{'s' if c['total'] != 1 else ''} to develop ({', '.join(parts)})"


def plain_move(move: dict) -> dict:
    """A related move in plain numbers: of the skills the destination requires (``total``), how many the origin
    already has at the level needed (``met``), how many to develop (``develop``: ``new`` of them not held at all,
    ``far`` raised two levels or more), the grade change and the kind of move in words (``grade``, ``label``)."""
    gaps = move["gaps"]
    total = len(set(move["shared"]) | {gp["skill"] for gp in gaps})
    counts = develop_counts(gaps)
    return {"met": total - len(gaps), "total": total, "develop": len(gaps), "new": counts["new"],
            "far": counts["far"], "develop_words": develop_words(gaps), "grade": grade_words(move.get("grade_change")),
            "label": move_label(move.get("kind"), move.get("grade_change"))}


_INFERRED_BASIS = re.compile(r"Role relevance: .+?: (?P<why>.+?) Grade step: .+? -> [^.]+\. "
                             r"Relevance (?P<rel>\w+) \([0-9.]+\)\.")


def bridge_words(basis: str | None) -> str | None:
    """An inferred bridge's basis without its bookkeeping (the grade step, a bare relevance score); any other basis
    (an official bridge's, or one written by hand) as it is.

    >>> bridge_words("Role relevance: Chief data officer: leads data; X is in the Data job family. "
    ...              "Grade step: G7-G6 -> SCS 1. Relevance direct (0.9).")
    'leads data; X is in the Data job family (a close link)'
    """
    m = _INFERRED_BASIS.fullmatch((basis or "").strip())
    if not m:
        return basis
    why = m["why"].rstrip(".")
    return f"{why} ({'a close link' if m['rel'] == 'direct' else 'a neighbouring field'})"


def grade_basis_words(basis: str | None, band: str | None) -> str | None:
    """How the grade held was chosen, without the CLI's option names: "given", or the bottom of the band.

    >>> grade_basis_words("default: the bottom of X's band HEO-SEO; use --grade to say the grade you hold", "HEO-SEO")
    'the lowest grade of the band HEO-SEO, as no grade was given'
    """
    if basis and basis.startswith("default"):
        return f"the lowest grade of the band {band}, as no grade was given"
    return basis


def few_moves_note(related: dict) -> str | None:
    """The related moves' note (there are fewer than asked for) in plain words, without the threshold's number."""
    if not related.get("note"):
        return None
    n = len(related["moves"])
    return (f"Only {n} move{'s are' if n != 1 else ' is'} listed: no other role open at the grade held or one grade "
            f"up shares as many skills with {related['from']} as roles of the same job family usually do, without "
            f"raising a skill more than two levels at once. Moves to a lower grade are not listed.")


def _route_facts(steps: list[dict], develop: list[dict], years: list[float] | None) -> dict:
    """What a route asks of a person, in counts: moves, promotions, changes of role, skills to develop."""
    moved = [s for s in steps if s["kind"] != "in post"]
    return {"moves": len(steps), "changes": sum(1 for s in steps if s["kind"] in ("change of role", "bridge")),
            "promotions": sum(1 for s in steps if (s.get("grade_change") or 0) > 0),
            "ladder": sum(1 for s in moved if s["kind"] in ("promotion", "sideways")),
            "downs": sum(1 for s in steps if (s.get("grade_change") or 0) < 0),
            "official": any(s.get("bridge") and s["bridge"].get("official") for s in steps),
            "develop": develop_counts(develop), "levels": sum(gp.get("steps") or 0 for gp in develop),
            "years": years}


def _n(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def why_better(best: dict, alt: dict) -> list[str]:
    """Why the recommended route beats an alternative, in plain comparisons of :func:`_route_facts`."""
    out = []
    for key, word in (("moves", "move"), ("changes", "change of role")):
        if best[key] < alt[key]:
            out.append(f"{_n(best[key], word, 'changes of role' if key == 'changes' else None)} instead of "
                       f"{alt[key]}")
    if best["develop"]["total"] < alt["develop"]["total"]:
        out.append(f"{_n(best['develop']['total'], 'skill')} to develop instead of {alt['develop']['total']}")
    elif best["levels"] < alt["levels"]:
        out.append(f"less to learn: {_n(best['levels'], 'skill level')} to gain instead of {alt['levels']}")
    if best["years"] and alt["years"] and best["years"][1] < alt["years"][1]:
        out.append(f"quicker: about {best['years'][0]:g} to {best['years'][1]:g} years instead of "
                   f"{alt['years'][0]:g} to {alt['years'][1]:g} years")
    if best["official"] and not alt["official"]:
        out.append("it uses a route into the Senior Civil Service that the framework publishes")
    return out or ["the two ask about the same of you; the recommended one needs fewer or smaller changes of "
                   "role and promotions, which rolegraph counts as harder than developing a skill"]


def why_route(found: dict, facts: dict) -> list[str]:
    """Why this route, in plain words: where it starts, its moves, why not straight there, its bridge, its time."""
    steps = found["steps"]
    out = []
    if found.get("start"):
        out.append(f"It starts from you: {found['start']}.")
    elif found.get("grade"):
        basis = found.get("grade_basis") or ""
        out.append(f"It starts from {found['from']} at {found['grade']}" + (
            ", the lowest grade of its band: if you hold a higher grade, say so and the route may be shorter."
            if basis.startswith("default") else "."))
    kinds = {"promotion": 0, "in post": 0, "same": 0}
    for s in steps:
        change = s.get("grade_change") or 0
        kinds["in post" if s["kind"] == "in post" and change > 0 else "promotion" if change > 0 else "same"] += 1
    parts = [p for p in (
        _n(kinds["promotion"], "promotion") if kinds["promotion"] else "",
        f"{_n(kinds['in post'], 'promotion')} in the same post" if kinds["in post"] else "",
        f"{_n(kinds['same'] - facts['downs'], 'move')} at the same grade" if kinds["same"] > facts["downs"] else "",
        f"{_n(facts['downs'], 'move')} to a lower grade" if facts["downs"] else "") if p]
    kinds_of = [p for p in (f"{facts['ladder']} up your own role's ladder" if facts["ladder"] else "",
                            _n(facts["changes"], "change of role", "changes of role") if facts["changes"] else "")
                if p]
    out.append(f"It takes {_n(len(steps), 'step')}: {', '.join(parts) or 'none'}"
               + (f"; {' and '.join(kinds_of)}" if kinds_of else "") + "."
               + (" Moving up your own ladder, or across at the same grade, is easier than being promoted into "
                  "another role." if facts["changes"] else ""))
    if len(steps) > 1 and found.get("direct_cost") is None:
        out.append(f"You cannot go straight to {found['to']}: " + (
            "the Senior Civil Service is entered only from G6, along a route the framework publishes or rolegraph "
            "infers." if any(s["kind"] == "bridge" for s in steps) else
            "that move would skip a level of your own role, gain more than one grade at once, or ask you to "
            "raise a skill by more than two levels in one move."))
    elif len(steps) > 1:
        out.append(f"Going straight to {found['to']} is possible, but asks more of you in one move than this "
                   f"route does in its steps.")
    for s in steps:
        if s.get("bridge"):
            out.append(f"It enters {s['to']} from {s['from']} at {s.get('from_grade') or 'its grade'}, along a "
                       + ("route the framework publishes." if s["bridge"].get("official") else
                          "route rolegraph infers from what the two roles do (the framework publishes none)."))
    out.append(f"Along the way: {develop_words(found['develop'])}.")
    if facts["years"]:
        out.append(f"It may take about {facts['years'][0]:g} to {facts['years'][1]:g} years: rolegraph's own "
                   f"estimate, as the framework gives no durations.")
    return out


def path_report(g: RoleGraph, origin: str | None, dest: str, alternatives: int = 2,
                max_grade_step: int = 1, allow_down: bool = False, grade: str | None = None,
                profile: Any = None, link: Callable[[str], str] | None = None) -> dict:
    """The context of a career-path report from *origin* to *dest* for a person holding *grade* (default: the
    bottom of *origin*'s band): summary, path, alternatives, gaps, provenance. With *profile* (a
    :class:`rolegraph.people.Profile`) instead of *origin*, the path starts from the person and the overall
    gap is theirs (:func:`rolegraph.careers.path`). *link* (a position's name -> its address) makes the
    diagram's boxes links (the explorer's level pages)."""
    from . import careers

    found = careers.path(g, origin, dest, alternatives=alternatives, max_grade_step=max_grade_step,
                         allow_down=allow_down, grade=grade, profile=profile).to_dict()
    if profile is None:
        overall = careers.gap(g, origin, dest).to_dict()  # type: ignore[arg-type]
    else:
        overall = _person_gap(g, profile, found, grade)
    routes = [{"steps": found["steps"], "total_cost": found["total_cost"]}] + list(found.get("alternatives") or [])
    used_levels = {x for r in routes for s in r["steps"] for gp in s["gaps"] for x in (gp["from_level"],
                                                                                        gp["to_level"]) if x}
    used_levels |= {x for d in overall["develop"] + overall["met"] for x in (d.get("from_level"), d.get("to_level"))
                    if x}
    nodes = {found["from"], found["to"]} | {s[k] for r in routes for s in r["steps"] for k in ("from", "to")}
    skills = {gp["skill"] for r in routes for s in r["steps"] for gp in s["gaps"]}
    skills |= {name for r in routes for s in r["steps"] for name in s["shared"]}
    title = f"Career path: {found['from']} to {found['to']}"
    best = _route_facts(found["steps"], found["develop"], found.get("years"))
    for r in [found] + list(found.get("alternatives") or []):
        for s in r["steps"]:
            s["label"] = move_label(s["kind"], s.get("grade_change"), s.get("move"))
            s["requirements"] = len(s["shared"]) + len(s["gaps"])
    for alt in found.get("alternatives") or []:
        alt["facts"] = _route_facts(alt["steps"], alt["develop"], alt.get("years"))
        alt["develop_words"] = develop_words(alt["develop"])
        alt["why_plain"] = why_better(best, alt["facts"])
    needed = {x["skill"] for x in overall["develop"] + overall["met"]}
    plain = {"dest_total": len(needed), "dest_met": len(overall["met"]), "dest_develop": len(overall["develop"]),
             "route": develop_words(found["develop"]), "route_total": len(found["develop"]),
             "on_the_way": sum(1 for x in found["develop"] if x["skill"] not in needed),
             "why": why_route(found, best), "moves": best}
    return {
        "kind": "path",
        "title": title,
        "from": found["from"],
        "to": found["to"],
        "from_grades": found["from_grades"],
        "to_grades": found["to_grades"],
        "grade_change": sum(s["grade_change"] or 0 for s in found["steps"]),  # as held: the steps add up
        "grade": found["grade"],
        "grade_basis": grade_basis_words(found["grade_basis"], found["from_grades"]),
        "to_grade": found["to_grade"],
        "years": found["years"],
        "years_basis": found["years_basis"],
        "why_this_route": found["why_this_route"],
        "start": found.get("start"),
        "steps": found["steps"],
        "total_cost": found["total_cost"],
        "develop": found["develop"],
        "direct_cost": found["direct_cost"],
        "rules": found["rules"],
        "threshold": round(careers.career_model(g).threshold, 4),
        "alternatives": found.get("alternatives") or [],
        "overall": overall,
        "plain": plain,
        "notes": found.get("notes") or [],
        "diagram": screen_diagram(g, routes, title, link),
        # print: top to bottom, at most three routes side by side so text stays >= 7 pt on A4 (all are listed)
        "diagram_print": diagram(g, routes[:3], title, vertical=True, ident="diagram-print"),
        "level_definitions": _level_definitions(g, used_levels),
        "role_pages": _sources(g, nodes, ("level", "role")),
        "skill_pages": _sources(g, skills, ("skill",)),
        "release": _release(g),
        "generated": _dt.date.today().isoformat(),
    }


def _person_gap(g: RoleGraph, profile: Any, found: dict, grade: str | None) -> dict:
    """The overall gap from a person's rated skills to the path's destination (as :func:`careers.gap`)."""
    from .careers import Gap, career_model, resolve_position
    from .careers.paths import _gap_rows
    from .careers.person import FROM_PROFILE, person_start

    m = career_model(g)
    start = person_start(m, profile, grade)
    dest = resolve_position(g, found["to"])["iri"]
    develop, met, cost = _gap_rows(m, start.held, dest)
    return Gap(from_=FROM_PROFILE, to=found["to"], develop=develop, met=met, cost=cost).to_dict()


def role_report(g: RoleGraph, name: str, top: int = 10) -> dict:
    """The context of a role profile: ladder with grades, skills per level, and top related moves."""
    from . import browse, careers

    info = browse.role_info(g, name)
    start = info["levels"][-1]["name"] if info["levels"] else info["name"]
    moves = careers.related(g, start, top=top).to_dict()
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
        "moves": [dict(m, plain=plain_move(m)) for m in moves["moves"]],
        "moves_note": few_moves_note(moves),
        "threshold": moves["threshold"]["value"],
        "level_definitions": _level_definitions(g, used),
        "skill_pages": _sources(g, set(skills), ("skill",)),
        "release": _release(g),
        "generated": _dt.date.today().isoformat(),
    }


def stylesheet() -> str:
    """The one stylesheet of the HTML reports and the career explorer."""
    return (TEMPLATES / "report.css").read_text(encoding="utf-8")


def report_csp(frame: bool = False) -> str:
    """The Content-Security-Policy of a saved HTML report: its one inline stylesheet (by hash) and nothing else;
    *frame* adds ``frame-ancestors 'none'`` (for a header; a ``<meta>`` policy ignores it)."""
    from .headers import policy

    return policy(styles=[stylesheet()], frame=frame)


def render(context: dict, fmt: str = "html", template: str | None = None) -> str:
    """Render a report context (from :func:`path_report` or :func:`role_report`) as ``html`` or ``md``.

    *template* names another template for the same context (the explorer's pages, which
    extend the report templates); a context with ``site`` set links to the explorer's
    stylesheet instead of inlining it.
    """
    template = template or f"{context['kind']}.{fmt}.j2"
    # the stylesheet is the project's own file, not data: inlined as it is (its hash is in the report's CSP)
    css = Markup(stylesheet()) if fmt == "html" and not context.get("site") else ""
    return templating.get_template(template).render(css=css, csp=report_csp() if css else None, **context)
