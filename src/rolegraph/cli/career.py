"""Career commands: shared, gap, related, path, core-skills. Parse, call rolegraph.careers, format.

Names are role levels or Senior Civil Service roles; a name that is both a role
and a role level ("Data engineer") means the level, and another role's name
means its first level. The output says what a name resolved to.
"""
from __future__ import annotations

from pathlib import Path

import click

from ..output import table, to_json
from .options import format_option


def _levels(value) -> str:
    return "required (no level)" if value is None else value


def _echo_notes(result: dict) -> None:
    for note in result.get("resolved", []):
        click.echo(f"Note: {note}")


def _gap_table(rows: list[dict], steps: bool = True) -> str:
    rows = [{"skill": r["skill"], "from": "-" if r.get("new") else _levels(r["from_level"]),
             "to": _levels(r["to_level"]),
             "steps": r.get("steps")} for r in rows]
    cols = ["skill", "from", "to"] + (["steps"] if steps else [])
    return table(rows, cols)


def _read_person(g, profile):
    """The profile file *profile* (a path) read for a search, or None; notes go to standard error."""
    if profile is None:
        return None
    from ..errors import one_line
    from ..people import read_profile

    p = read_profile(g, profile)
    for note in p.notes:
        click.echo(f"Note: {one_line(note)}", err=True)
    return p


def _names(names: tuple[str, ...], profile, what: str) -> tuple[str | None, str]:
    """(FROM, TO) of ``[FROM] TO``: exactly one of FROM and --profile."""
    if profile is not None:
        if len(names) != 1:
            raise click.UsageError(f"with --profile give only TO (the profile is where you start), not FROM: "
                                   f"{what}" if len(names) == 2 else f"with --profile give TO: {what}")
        return None, names[0]
    if len(names) != 2:
        raise click.UsageError(f"give FROM and TO, or --profile FILE and TO: {what}")
    return names[0], names[1]


_PROFILE_HELP = ("Start from your self-rated profile (CSV/TSV/JSON/Turtle, as for assess) instead of a role "
                 "level: your grade, your skills, your role level or the best-fitting one. Read, used and "
                 "forgotten: never cached, logged or stored.")


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
    from .. import careers

    r = careers.shared(app.graph, a, b).to_dict()
    if fmt == "json":
        click.echo(to_json(r))
        return
    _echo_notes(r)
    if not r["shared"]:
        click.echo(f"{r['a']} and {r['b']} share no skill (see: rolegraph gap {_quote(r['a'])} {_quote(r['b'])})")
        return
    n = len(r["shared"])
    click.echo(f"{r['a']} and {r['b']} share {n} skill{'s' if n != 1 else ''}:")
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
    from .. import careers

    r = careers.gap(app.graph, origin, dest).to_dict()
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
@click.argument("name", required=False)
@click.option("--profile", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE", help=_PROFILE_HELP)
@click.option("--top", default=20, show_default=True, type=int, help="How many moves to list.")
@click.option("--grade", metavar="GRADE", help="The grade you hold in NAME (e.g. SEO); default: the bottom of "
                                                  "NAME's band, stated in the answer.")
@format_option("text", "json")
@click.pass_obj
def related_cmd(app, name, profile, top, grade, fmt):
    """Ranked next moves from a role level or SCS role, in tiers, with reasons.

    Moves start from the grade you hold (--grade; by default the bottom of
    NAME's band) and keep the default rules (never to a lower grade, at most
    one grade up; one level at a time in one's own role; a skill raised at most
    two levels; SCS roles only along a bridge from G6). Score = the share of the
    destination's level-weighted skill requirements NAME already meets; a
    bridge's score is its strength. Viable moves (score at or above the
    calibrated threshold, stated in the output) rank first, then NAME's next
    level, management twin and bridges into SCS roles, then other moves that
    share a skill. Tiers: 1 = ranks 1-5 (never below the threshold), 2 = 6-10,
    3 = 11-20.

    \b
    Examples:
      rolegraph related "Senior data engineer"
      rolegraph related "Head of data engineering" --top 5 --format json
      rolegraph related "Lead data engineer" --grade G6
      rolegraph related --profile me.csv
    """
    from .. import careers

    if (name is None) == (profile is None):
        raise click.UsageError("give NAME or --profile FILE (exactly one)")
    r = careers.related(app.graph, name, top, grade, profile=_read_person(app.graph, profile)).to_dict()
    if fmt == "json":
        click.echo(to_json(r))
        return
    _echo_notes(r)
    th = r["threshold"]
    if r.get("start"):
        click.echo(f"Starting {r['start']}")
    click.echo(f"Grade held in {r['from']}: {r['grade']} ({r['grade_basis']})")
    click.echo(f"Moves from {r['from']} ({r['from_grades']}; viable at score >= {th['value']}, the "
               f"{th['percentile']}th percentile of {th['of']})")
    rows = []
    for m in r["moves"]:
        gaps = ", ".join(f"{x['skill']} +{x['steps']}" for x in m["gaps"][:3]) + (
            f", +{len(m['gaps']) - 3} more" if len(m["gaps"]) > 3 else "")
        rows.append({"rank": m["rank"], "tier": m["tier"], "to": m["to"], "grades": m["to_grades"],
                     "score": m["score"] if m["viable"] else f"{m['score']:.3f}*", "kind": _move_kind(m),
                     "shared": len(m["shared"]), "gap": m["gap_cost"],
                     "grade": "?" if m["grade_change"] is None else f"{m['grade_change']:+d}", "to develop": gaps})
    click.echo(table(rows, ["rank", "tier", "to", "grades", "score", "kind", "shared", "gap", "grade", "to develop"],
                     ["#", "tier", "move to", "grades", "score", "kind", "shared", "gap", "grade", "main gaps"]))
    if any(not m["viable"] for m in r["moves"]):
        click.echo("* below the viability threshold")
    for m in r["moves"]:
        if m.get("bridge"):
            b = m["bridge"]
            click.echo(f"Bridge to {m['to']} ({'official' if b['official'] else 'inferred'}, strength "
                       f"{b['strength']}): {b['basis']}")
    if r["note"]:
        click.echo(f"Note: {r['note']}")
    for title, aims in (("Your own ladder", r["ladder"]), ("Senior Civil Service roles to aim for", r["scs_aims"])):
        if aims:
            click.echo(f"{title}:")
        for x in aims:
            when = "open now" if x["open_now"] else f"from {x['via']} at {x['needs_grade']}"
            click.echo(f"  {x['to']} ({x['to_grades']}; {x['kind']}): {when}")


def _cost_text(c: dict) -> str:
    parts = [f"{c['develop']} to develop"] + ([f"{c['role_change']} role change"] if c["role_change"] else []) + (
        [f"{c['bridge']} bridge"] if c["bridge"] else []) + (
        [f"{c['promotion']} promotion"] if c.get("promotion") else []) + (
        [f"{c['in_post']} in post"] if c.get("in_post") else [])
    return " + ".join(parts)


def _held(s: dict) -> str:
    if s.get("from_grade") is None or s.get("to_grade") is None:
        return "grade ?"
    return f"{s['from_grade']} -> {s['to_grade']} ({s['grade_change']:+d})"


_KIND_TEXT = {"promotion": "next level on own ladder", "in post": "same post"}


def _quote(name: str) -> str:
    return f'"{name}"' if " " in name else name


def _kind_text(s: dict) -> str:
    """A step's kind; a move down its own ladder is never "next level" (nor a promotion)."""
    if s["kind"] == "promotion" and (s.get("grade_change") or 0) < 0:
        return "level below on own ladder"
    return _KIND_TEXT.get(s["kind"], s["kind"])


def _move_kind(m: dict) -> str:
    """A related move's kind for the table: "promotion" only when it gains a grade."""
    change = m.get("grade_change")
    if m["kind"] == "promotion" and change is not None and change <= 0:
        return "next level" if change == 0 else "level below"
    return m["kind"]


def _years(y) -> str:
    return "" if not y else f", about {y[0]:g}-{y[1]:g} years"


def _echo_path(p: dict, title: str) -> None:
    click.echo(f"{title}: total cost {p['total_cost']} level steps, {len(p['steps'])} move(s){_years(p.get('years'))}")
    for i, s in enumerate(p["steps"], 1):
        click.echo(f"  {i}. {s['from']} ({s['from_grades']}) -> {s['to']} ({s['to_grades']}){_years(s.get('years'))}")
        click.echo(f"     {s.get('move') or s['kind']}, {_held(s)}; {_kind_text(s)}; "
                   f"cost {s['cost']} = {_cost_text(s['cost_parts'])}")
        if s.get("bridge"):
            b = s["bridge"]
            click.echo(f"     {'official' if b['official'] else 'inferred'} bridge (strength {b['strength']}): "
                       f"{b['basis']}")
        click.echo(f"     already has ({len(s['shared'])}): {', '.join(s['shared']) or 'none'}")
        gaps = ", ".join(f"{x['skill']} ({x['from_level'] or 'new'} -> {x['to_level'] or 'required'})"
                         for x in s["gaps"])
        click.echo(f"     to develop on this step ({len(s['gaps'])}): {gaps or 'nothing'}")
        if s.get("note"):
            click.echo(f"     {s['note']}")


@click.command("path")
@click.argument("names", nargs=-1, metavar="[FROM] TO")
@click.option("--profile", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE", help=_PROFILE_HELP)
@click.option("--alternatives", default=0, show_default=True, type=click.IntRange(0, 10), metavar="K",
              help="Also show the K next-cheapest paths (at most 10, as in reports), each with why the "
                   "recommended path beats it.")
@click.option("--max-grade-step", default=1, show_default=True, type=int, metavar="N",
              help="Allow moves that raise the grade by up to N grades.")
@click.option("--allow-down", is_flag=True, help="Allow moves to a lower grade (and down one's own ladder).")
@click.option("--grade", metavar="GRADE", help="The grade you hold in FROM (e.g. SEO); default: the bottom of "
                                                  "FROM's band, stated in the answer.")
@click.option("--max-skill-step", default=2, show_default=True, type=click.IntRange(1, 4), metavar="N",
              help="Raise a skill by at most N levels in one move (4: any, e.g. new -> expert).")
@click.option("--allow-reskill-promotion", is_flag=True,
              help="Allow a promotion into another role that meets none of its skills.")
@click.option("--timeout", type=click.FloatRange(0.1, None), metavar="SECONDS",
              help="Stop the search after this many seconds (exit 2).")
@format_option("text", "json")
@click.pass_obj
def path_cmd(app, names, profile, alternatives, max_grade_step, allow_down, grade, max_skill_step,
             allow_reskill_promotion, fmt, timeout):
    """The cheapest career path from FROM to TO through role levels and SCS roles.

    The path starts from the grade you hold (--grade; by default the bottom of
    FROM's band, stated in the answer). Each step is a transfer at grade, a
    one-grade promotion, or an in-post promotion (the next grade of the same
    post's band), and shows the grade held before and after it, so the steps
    add up. By default: at most one grade up per step and never down; a skill
    raised by at most two levels per move; no promotion into another role
    meeting none of its skills; SCS roles entered only along a bridge from G6.
    Within a role you move one level at a time; "X - management" sits beside X.
    A move's cost, in level steps, is what you have not developed yet on this
    path (skills stay with you), plus a fixed role-change cost when you change
    role, plus more for a weaker bridge into an SCS role, plus one per grade
    gained (and the role-change cost again for a promotion into another role).

    \b
    Examples:
      rolegraph path "Chief information security officer" "Chief technology officer"
      rolegraph path "Data engineer" "Head of data engineering" --format json
      rolegraph path "Senior data engineer" "Chief data officer" --alternatives 2
      rolegraph path "Lead developer" "Senior data engineer" --allow-down
      rolegraph path "Security architect" "Chief information security officer" --grade G7
      rolegraph path --profile me.csv "Lead data engineer"

    With --profile FILE instead of FROM, the path starts from you: the grade
    in your profile (or --grade), the skills you rated (what you already
    meet is not to develop; the skill cap counts from your real level) and
    your role level, or the best-fitting one (the answer says which).
    """
    from .. import careers

    g = app.graph
    origin, dest = _names(names, profile, "rolegraph path [FROM] TO")
    person = _read_person(g, profile)

    def search() -> dict:
        return careers.path(g, origin, dest, alternatives, max_grade_step, allow_down, grade, max_skill_step,
                            allow_reskill_promotion, profile=person).to_dict()

    if timeout is None:
        r = search()
    else:   # in a child process that the time limit can stop (see rolegraph.limits)
        from ..limits import run_isolated

        r = run_isolated(search, timeout, what="the path search")
    if fmt == "json":
        click.echo(to_json(r))
        return
    _echo_notes(r)
    if r.get("start"):
        click.echo(f"Starting {r['start']}")
    click.echo(f"Grade held in {r['from']}: {r['grade']} ({r['grade_basis']})")
    _echo_path(r, f"{r['from']} at {r['grade']} ({r['from_grades']}) -> {r['to']} at {r['to_grade']} "
                  f"({r['to_grades']})")
    if len(r["steps"]) > 1 and r["direct_cost"] is not None:
        click.echo(f"  The direct move would cost {r['direct_cost']} level steps.")
    dev = ", ".join(f"{x['skill']} ({x['from_level'] or 'new'} -> {x['to_level'] or 'required'})" for x in r["develop"])
    click.echo(f"  To develop along the whole path ({len(r['develop'])}): {dev or 'nothing'}")
    click.echo("Why this route:")
    for line in r["why_this_route"]:
        click.echo(f"  {line}")
    click.echo(f"  Years: {r['years_basis']['source']}.")
    for i, alt in enumerate(r["alternatives"], 1):
        click.echo("")
        _echo_path(alt, f"Alternative {i}")
        click.echo(f"  The recommended path is better: {'; '.join(alt['why'])}")


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
    from .. import careers

    rows = [r.to_dict() for r in careers.core_skills(app.graph, top)]
    if fmt == "json":
        click.echo(to_json(rows))
        return
    click.echo(f"Measure: {careers.CORE_MEASURE}")
    click.echo(table(rows, ["skill", "score", "roles", "families"]))


COMMANDS = [shared_cmd, gap_cmd, related_cmd, path_cmd, core_skills_cmd]
