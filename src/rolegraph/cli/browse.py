"""Browse commands: roles, role, skills, skill."""
from __future__ import annotations

import click

from .. import browse
from ..output import table, to_json
from .options import format_option


@click.command("roles")
@click.option("--family", metavar="NAME", help="Only roles of this job family (e.g. Data).")
@format_option("text", "json")
@click.pass_obj
def roles_cmd(app, family, fmt):
    """List roles with their family, number of levels and whether they are Senior Civil Service roles.

    \b
    Examples:
      rolegraph roles
      rolegraph roles --family "Chief digital and data" --format json
    """
    rows = browse.roles(app.graph, family)
    if fmt == "json":
        click.echo(to_json([{k: r[k] for k in ("name", "family", "levels", "scs")} for r in rows]))
    else:
        click.echo(table(rows, ["name", "family", "levels", "scs"], ["role", "family", "levels", "SCS"]))


@click.command("role")
@click.argument("name")
@format_option("text", "json")
@click.pass_obj
def role_cmd(app, name, fmt):
    """Show one role: family, description, official page, grades and each level's skills.

    NAME is a role's name, slug or IRI, in any case; a role level's name
    ("Senior data engineer") shows its role.

    \b
    Examples:
      rolegraph role "Data engineer"
      rolegraph role chief-information-security-officer --format json
    """
    info = browse.role_info(app.graph, name)
    if fmt == "json":
        click.echo(to_json(info))
        return
    kind = "Senior Civil Service role" if info["scs"] else "role"
    click.echo(f"{info['name']}  ({kind}, {info['family']} family)")
    if info.get("matched_level"):
        click.echo(f"(matched the role level \"{info['matched_level']}\")")
    click.echo(_indent(info["description"]))
    click.echo(f"  Official page: {info['source']}")
    if info["professions"]:
        click.echo(f"  Professions: {', '.join(info['professions'])}")
    click.echo(f"  Grades: {', '.join(info['grades']) or 'none published'}")
    for note in info["notes"]:
        click.echo(f"  Note: {note}")
    if info["skills"]:
        click.echo("\nSkills:")
        for s in info["skills"]:
            click.echo(f"  - {s['skill']}")
    for lv in info["levels"]:
        grades = ", ".join(lv["grades"]) or "no grade published"
        click.echo(f"\n{lv['order']}. {lv['name']}  [{grades}]")
        click.echo("\n".join("   " + line for line in table(lv["skills"], ["skill", "level"]).splitlines()))


@click.command("skills")
@click.option("--role", metavar="NAME", help="Only the skills of this role (or role level), with their levels.")
@format_option("text", "json")
@click.pass_obj
def skills_cmd(app, role, fmt):
    """List skills, with how many roles use each; or one role's skills with the level each level needs.

    \b
    Examples:
      rolegraph skills
      rolegraph skills --role "Data engineer" --format json
    """
    rows = browse.skills(app.graph, role)
    if fmt == "json":
        click.echo(to_json(rows))
    elif role:
        for r in rows:
            r["levels"] = ", ".join(f"{x['role_level']}: {x['level']}" if x["role_level"] else "required"
                                    for x in r["role_levels"])
        click.echo(table(rows, ["name", "levels"], ["skill", "required at"]))
    else:
        click.echo(table(rows, ["name", "roles", "levels_defined"], ["skill", "roles", "levels defined"]))


@click.command("skill")
@click.argument("name")
@format_option("text", "json")
@click.pass_obj
def skill_cmd(app, name, fmt):
    """Show one skill: description, official page, levels defined, and the role levels that need it.

    \b
    Examples:
      rolegraph skill "Data modelling"
      rolegraph skill data-modelling --format json
    """
    info = browse.skill_info(app.graph, name)
    if fmt == "json":
        click.echo(to_json(info))
        return
    click.echo(info["name"])
    click.echo(_indent(info["description"]))
    unverified = " (link not verified: the anchor follows the site's pattern)" \
        if "source" in info["provenance"]["unverified"] else ""
    click.echo(f"  Official page: {info['source']}{unverified}")
    click.echo(f"  Levels defined: {', '.join(info['levels_defined']) or 'none (a Senior Civil Service skill)'}")
    click.echo(f"\nUsed by {len(info['used_by'])} role levels and roles:")
    click.echo(table(info["used_by"], ["role", "role_level", "level"], ["role", "role level", "level"]))


def _indent(text: str | None) -> str:
    """Indent every line of a (possibly multi-line, imported) description by two spaces."""
    return "\n".join("  " + line for line in (text or "(no description)").splitlines())


COMMANDS = [roles_cmd, role_cmd, skills_cmd, skill_cmd]
