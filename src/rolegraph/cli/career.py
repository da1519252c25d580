"""Career commands: shared, gap, related, path, core-skills. Parse, call rolegraph.analysis, format.

Names are role levels or Senior Civil Service roles; a name that is both a role
and a role level ("Data engineer") means the level, and another role's name
means its first level. The output says what a name resolved to.
"""
from __future__ import annotations

import click

from ..output import table, to_json
from .options import format_option


def _levels(value) -> str:
    return "required (no level)" if value is None else value


def _echo_notes(result: dict) -> None:
    for note in result.get("resolved", []):
        click.echo(f"Note: {note}")


def _gap_table(rows: list[dict], steps: bool = True) -> str:
    rows = [{"skill": r["skill"], "from": "-" if r.get("new") else _levels(r["from_level"]), "to": _levels(r["to_level"]),
             "steps": r.get("steps")} for r in rows]
    cols = ["skill", "from", "to"] + (["steps"] if steps else [])
    return table(rows, cols)


def _indent(text: str, n: int = 2) -> str:
    return "\n".join(" " * n + line for line in text.splitlines())


@click.command("shared")
@click.argument("a")
@click.argument("b")
@format_option("text", "json")
@click.pass_obj
def shared_cmd(app, a, b, fmt):
    """Skills role levels (or SCS roles) A and B share, with each side's level.

    \b
    Examples:
      rolegraph shared "Chief information security officer" "Chief technology officer"
      rolegraph shared "Data engineer" "Data architect" --format json
    """
    from .. import analysis

    r = analysis.shared(app.graph, a, b)
    if fmt == "json":
        click.echo(to_json(r))
        return
    _echo_notes(r)
    click.echo(f"{r['a']} and {r['b']} share {len(r['shared'])} skill(s):")
    if r["shared"]:
        rows = [{"skill": s["skill"], "a": _levels(s["a_level"]), "b": _levels(s["b_level"])} for s in r["shared"]]
        click.echo(table(rows, ["skill", "a", "b"], ["skill", r["a"], r["b"]]))


@click.command("gap")
@click.argument("origin", metavar="FROM")
@click.argument("dest", metavar="TO")
@format_option("text", "json")
@click.pass_obj
def gap_cmd(app, origin, dest, fmt):
    """What FROM must develop to meet TO: new skills, level increases, skills met, and the gap's cost.

    Cost = level steps to develop (awareness -> practitioner is 2 steps; a new
    skill counts its full level, awareness 1 .. expert 4; SCS skills, which
    have no level, count as expert).

    \b
    Examples:
      rolegraph gap "Chief information security officer" "Chief technology officer"
      rolegraph gap "Senior data engineer" "Lead data engineer" --format json
    """
    from .. import analysis

    r = analysis.gap(app.graph, origin, dest)
    if fmt == "json":
        click.echo(to_json(r))
        return
    _echo_notes(r)
    new = sum(1 for d in r["develop"] if d["new"])
    click.echo(f"From {r['from']} to {r['to']}: gap cost {r['cost']} level steps "
               f"({new} new skill(s), {len(r['develop']) - new} to raise, {len(r['met'])} met)")
    if r["develop"]:
        click.echo("\nTo develop:")
        click.echo(_indent(_gap_table(r["develop"])))
    if r["met"]:
        click.echo("\nAlready met:")
        click.echo(_indent(_gap_table(r["met"], steps=False)))


@click.command("related")
@click.argument("name")
@click.option("--top", default=20, show_default=True, type=int, help="How many moves to list.")
@format_option("text", "json")
@click.pass_obj
def related_cmd(app, name, top, fmt):
    """Ranked next moves from a role level or SCS role, in tiers, with reasons.

    Score = the share of the destination's level-weighted skill requirements
    NAME already meets. Moves are listed when viable (score at or above the
    calibrated threshold, stated in the output), plus NAME's next level and
    its bridges into SCS roles; moves down are left out. Tiers: 1 = ranks 1-5,
    2 = 6-10, 3 = 11-20.

    \b
    Examples:
      rolegraph related "Senior data engineer"
      rolegraph related "Head of data engineering" --top 5 --format json
    """
    from .. import analysis

    r = analysis.related(app.graph, name, top)
    if fmt == "json":
        click.echo(to_json(r))
        return
    _echo_notes(r)
    th = r["threshold"]
    click.echo(f"Moves from {r['from']} (viable at score >= {th['value']}, the {th['percentile']}th percentile of "
               f"{th['of']})")
    rows = []
    for m in r["moves"]:
        gaps = ", ".join(f"{x['skill']} +{x['steps']}" for x in m["gaps"][:3]) + (
            f", +{len(m['gaps']) - 3} more" if len(m["gaps"]) > 3 else "")
        rows.append({"rank": m["rank"], "tier": m["tier"], "to": m["to"], "score": m["score"], "kind": m["kind"],
                     "shared": len(m["shared"]), "gap": m["gap_cost"],
                     "grade": "?" if m["grade_change"] is None else f"{m['grade_change']:+d}", "to develop": gaps})
    click.echo(table(rows, ["rank", "tier", "to", "score", "kind", "shared", "gap", "grade", "to develop"],
                     ["#", "tier", "move to", "score", "kind", "shared", "gap", "grade", "main gaps"]))
    for m in r["moves"]:
        if m.get("bridge"):
            click.echo(f"Bridge to {m['to']} (inferred, score {m['bridge']['score']}): {m['bridge']['basis']}")


def _echo_path(p: dict, title: str) -> None:
    click.echo(f"{title}: total cost {p['total_cost']}, {len(p['steps'])} move(s)")
    for i, s in enumerate(p["steps"], 1):
        grade = "grade unknown" if s["grade_change"] is None else f"grade {s['grade_change']:+d}"
        click.echo(f"  {i}. {s['from']} -> {s['to']}  [{s['kind']}, cost {s['cost']}, {grade}]")
        if s.get("bridge"):
            click.echo(f"     inferred bridge (score {s['bridge']['score']}): {s['bridge']['basis']}")
        click.echo(f"     shared ({len(s['shared'])}): {', '.join(s['shared']) or 'none'}")
        gaps = ", ".join(f"{x['skill']} ({x['from_level'] or 'new'} -> {x['to_level'] or 'required'})"
                         for x in s["gaps"])
        click.echo(f"     to develop ({len(s['gaps'])}): {gaps or 'nothing'}")


@click.command("path")
@click.argument("origin", metavar="FROM")
@click.argument("dest", metavar="TO")
@click.option("--alternatives", default=0, show_default=True, type=click.IntRange(max=10), metavar="K",
              help="Also show the K next-cheapest paths (at most 10, as in reports).")
@click.option("--max-grade-step", type=int, metavar="N",
              help="Leave out moves that raise the grade by more than N grades.")
@click.option("--timeout", type=click.FloatRange(0.1, None), metavar="SECONDS",
              help="Stop the search after this many seconds (exit 2).")
@format_option("text", "json")
@click.pass_obj
def path_cmd(app, origin, dest, alternatives, max_grade_step, fmt, timeout):
    """The cheapest career path from FROM to TO through role levels and SCS roles.

    A promotion along a role's ladder costs its gap (level steps to develop); a
    change of role costs its gap plus a fixed role-change cost (the median gap
    of a ladder step). Ordinary levels reach SCS roles through the inferred
    bridges in data/bridges.ttl, shown with their basis and score.

    \b
    Examples:
      rolegraph path "Chief information security officer" "Chief technology officer"
      rolegraph path "Data engineer" "Head of data engineering" --format json
      rolegraph path "Senior data engineer" "Chief data officer" --alternatives 2 --max-grade-step 1
    """
    from .. import analysis

    if timeout is None:
        r = analysis.path(app.graph, origin, dest, alternatives, max_grade_step)
    else:   # in a child process that the time limit can stop (see rolegraph.limits)
        from ..limits import run_isolated

        g = app.graph
        r = run_isolated(lambda: analysis.path(g, origin, dest, alternatives, max_grade_step), timeout,
                         what="the path search")
    if fmt == "json":
        click.echo(to_json(r))
        return
    _echo_notes(r)
    _echo_path(r, f"{r['from']} -> {r['to']}")
    for i, alt in enumerate(r["alternatives"], 1):
        click.echo("")
        _echo_path(alt, f"Alternative {i}")


@click.command("core-skills")
@click.option("--top", default=20, show_default=True, type=int, help="How many skills to list.")
@format_option("text", "json")
@click.pass_obj
def core_skills_cmd(app, top, fmt):
    """Skills ranked by how transferable they are (the measure is stated in the output).

    \b
    Examples:
      rolegraph core-skills --top 10
      rolegraph core-skills --format json
    """
    from .. import analysis

    rows = analysis.core_skills(app.graph, top)
    if fmt == "json":
        click.echo(to_json(rows))
        return
    click.echo(f"Measure: {analysis.CORE_MEASURE}")
    click.echo(table(rows, ["skill", "score", "roles", "families"]))


COMMANDS = [shared_cmd, gap_cmd, related_cmd, path_cmd, core_skills_cmd]
