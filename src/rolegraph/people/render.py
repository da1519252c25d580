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
