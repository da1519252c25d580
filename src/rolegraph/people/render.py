"""Assessments and team maps as text, Markdown and HTML, through the project's one template factory
(:mod:`rolegraph.templating`: autoescaped HTML, escaped Markdown, only http(s) links)."""
from __future__ import annotations

from typing import Any

from markupsafe import Markup

from .. import templating
from ..errors import escape
from ..output import table


def _page(template: str, title: str, site: dict | None = None, **context: Any) -> str:
    from ..reports import report_csp, stylesheet

    css = Markup(stylesheet()) if template.endswith(".html.j2") and not site else ""
    return templating.get_template(template).render(css=css, csp=report_csp() if css else None, site=site,
                                                     title=title, generated=None, **context)


def assessment_title(a: dict) -> str:
    return "Skills self-assessment" + (f": {a['role_level']}" if a.get("role_level") else "")


def assessment(a: dict, fmt: str, site: dict | None = None) -> str:
    """An assessment (``Assessment.to_dict()``) as ``text``, ``md`` or ``html`` (an evidence pack)."""
    if fmt in ("md", "html"):
        return _page(f"people/assessment.{fmt}.j2", assessment_title(a), site, a=a)
    lines = [f"Fit rule: {a['rule']}", "", "Best-fitting role levels:"]
    rows = [{"level": f["level"], "fit": f"{f['fit']:.2f}", "grades": f["grades"], "met": len(f["met"]),
             "below": len(f["below"]), "missing": len(f["missing"]), "to go": f["steps_to_go"]} for f in a["fits"]]
    lines.append(table(rows, ["level", "fit", "grades", "met", "below", "missing", "to go"]))
    if a["fits"]:
        best = a["fits"][0]
        lines += ["", f"{best['level']}: to develop", table([{"skill": s["skill"], "held": s["held"],
                                                          "required": s["required"], "to go": s["to_go"]}
                                                         for s in best["below"] + best["missing"]],
                                                        ["skill", "held", "required", "to go"])]
    r = a.get("readiness")
    if r:
        lines.append("")
        if r["next"]:
            lines.append(f"Readiness for {r['next']} (next level of {r['current']}): fit {r['fit']:.2f}"
                         + (", ready" if r["ready"] else f", {len(r['gaps'])} skill(s) to develop"))
        else:
            lines.append(f"Readiness: {r['current']}: {r['note']}")
    lines += ["", "Development plan (what unlocks most first):"]
    for i, s in enumerate(a["plan"], 1):
        extra = (f"; completes {', '.join(s['completes'])}" if s["completes"] else "") + (
            f"; closes a gap for {', '.join(s['closes'])}" if s["closes"] else "")
        lines.append(f"  {i}. {s['skill']}: {s['from_level']} -> {s['to_level']}{extra}")
    if not a["plan"]:
        lines.append("  nothing to develop for the targets")
    return "\n".join(escape(line) for line in "\n".join(lines).split("\n")) + "\n"


ROW_HEIGHT, CELL_WIDTH, HEAD = 22, 86, 28


def heatmap_svg(t: dict, title: str = "Team skills heatmap") -> Markup:
    """The coverage of a team (``Team.to_dict()`` or ``Team.aggregate()``) as an SVG heatmap."""
    from .profiles import SCALE
    from .team import heat, text_colour

    size = t["size"] if isinstance(t["size"], int) else 0
    label_width = 12 + 6.6 * max([len(c["skill"]) for c in t["coverage"]] + [10])
    columns = [{"x": label_width + i * CELL_WIDTH + CELL_WIDTH / 2, "label": name} for i, name in enumerate(SCALE)]
    rows = []
    for j, c in enumerate(t["coverage"]):
        y = HEAD + j * ROW_HEIGHT
        cells = []
        for i, n in enumerate(c["by_level"]):
            count = n if isinstance(n, int) else 1   # a hidden count is drawn as the lightest shade
            cells.append({"x": label_width + i * CELL_WIDTH, "fill": heat(count, size or 1),
                          "ink": text_colour(count, size or 1), "text": str(n), "level": SCALE[i],
                          "needed": c["needed"] == SCALE[i]})
        rows.append({"y": y, "skill": c["skill"], "cells": cells})
    return Markup(templating.get_template("people/heatmap.svg.j2").render(
        title=title, rows=rows, columns=columns, width=label_width + CELL_WIDTH * len(SCALE) + 4,
        height=HEAD + ROW_HEIGHT * len(rows) + 4, label_width=label_width, cell_width=CELL_WIDTH,
        row_height=ROW_HEIGHT, head=HEAD))


def team_map(t: "Any", fmt: str, aggregate: bool = False, site: dict | None = None) -> str:
    """A :class:`~rolegraph.people.team.Team` as ``text``, ``csv``, ``html`` or ``svg`` (the heatmap alone);
    with *aggregate* only its shareable view (:meth:`~rolegraph.people.team.Team.aggregate`)."""
    from ..output import to_csv
    from .profiles import SCALE
    from .team import as_rows

    data = t.aggregate() if aggregate else t.to_dict()
    title = "Team capability map" + (" (aggregate)" if aggregate else "")
    if fmt == "csv":
        return to_csv(as_rows(t, aggregate), ["skill", "needed", *SCALE, "holders"])
    if fmt == "svg":
        return str(heatmap_svg(data, title))
    if fmt == "html":
        data.setdefault("levels", list(SCALE))
        return _page("people/team.html.j2", title, site, t=data, svg=heatmap_svg(data, title), aggregate=aggregate)
    lines = [title, f"Members: {data['size']}" + (f" ({data['note']})" if aggregate else ""), "",
             "Coverage (members by held level; needed = highest level the team's role levels require):",
             table(as_rows(t, aggregate), ["skill", "needed", *SCALE, "holders"])]
    if not aggregate:
        spof = data["single_points_of_failure"]
        lines += ["", f"Single points of failure: {len(spof)}"]
        lines += [f"  {s['skill']} ({s['needed']}): only {s['person']}" for s in spof]
        lines += ["", "Succession (fit with the next level of their own role):",
                  table([{"person": s["person"], "role level": s["current"], "next": s["next"],
                          "fit": None if s["fit"] is None else f"{s['fit']:.2f}", "ready": s["ready"]}
                         for s in data["succession"]], ["person", "role level", "next", "fit", "ready"])]
        for b in data["bench"]:
            lines.append(f"  {b['level']}: ready {', '.join(b['ready']) or 'nobody'}; "
                         f"nearly {', '.join(b['nearly']) or 'nobody'}")
    if data["hiring"]:
        lines += ["", "Hiring gaps against the target:",
                  table(data["hiring"], ["level", "wanted", "have", "ready_elsewhere", "hire"],
                        ["role level", "wanted", "have", "ready elsewhere", "to hire"])]
    return "\n".join(escape(line) for line in "\n".join(lines).split("\n")) + "\n"
