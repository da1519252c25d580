"""The import and diff commands: load a release from the official CSV downloads, and compare two releases."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .options import format_option


@click.command("import")
@click.argument("roles_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("skills_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--out", required=True, type=click.Path(path_type=Path),
              help="Folder to write the release's Turtle to (must be new or empty, unless --force).")
@click.option("--release-date", metavar="DATE",
              help="The release's date (YYYY-MM-DD); default: the CSV folder's name if it is a date "
                   "like 2025-10, else the roles file's modification date.")
@click.option("--grades", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV with the header 'Role Level,Grades' giving each role level's grades, e.g. "
                   "'Senior data engineer,\"G7; G6\"' (the CSV downloads carry no grades).")
@click.option("--previous", type=click.Path(exists=True, path_type=Path),
              help="A known release (folder or Turtle) whose SCS professions and, if it is earlier, grades are kept "
                   "for what the CSVs cannot say; default: the bundled data.")
@click.option("--force", is_flag=True, help="Replace the output folder if it already has files.")
@format_option("text", "json")
def import_cmd(roles_csv, skills_csv, out, release_date, grades, previous, force, fmt):
    """Convert the framework's official ROLES.csv and SKILLS.csv downloads into Turtle in OUT.

    The result uses the same model and IRIs as the bundled data, keeps the
    official descriptions (bullet lists as '- ' lines, marked as official text)
    with the Open Government Licence attribution, keeps the professions of
    Senior Civil Service roles and the grades of an earlier release from
    --previous (noted as inferred), and is validated before it is written; on
    any error nothing is written. Load it with `rolegraph --data OUT ...` or compare it
    with `rolegraph diff OUT`.

    \b
    Examples:
      rolegraph import roles.csv skills.csv -o releases/2025-10
      rolegraph import roles.csv skills.csv -o out --release-date 2025-10-01 --grades grades.csv
    """
    from ..importer import STAGES, import_release

    if sys.stderr.isatty():
        with click.progressbar(length=len(STAGES), label="Importing", file=sys.stderr,
                               item_show_func=lambda s: s) as bar:
            def step(stage: str) -> None:  # a stage starts: complete the one before it
                bar.update(0 if stage == STAGES[0] else 1, stage)

            summary = import_release(roles_csv, skills_csv, out, release_date=release_date, grades=grades,
                                     force=force, previous=previous, progress=step)
            bar.update(1, "done")
    else:
        summary = import_release(roles_csv, skills_csv, out, release_date=release_date, grades=grades, force=force,
                                 previous=previous)
    if fmt == "json":
        click.echo(json.dumps(summary.to_dict(), indent=2))
        return
    s = summary
    click.echo(f"Imported release {s.version} ({s.issued}) into {s.out}: {s.families} job families, "
               f"{s.roles + s.scs_roles} roles ({s.scs_roles} Senior Civil Service), {s.levels} role levels, "
               f"{s.skills} skills, {s.requirements} level requirements + {s.scs_links} SCS role-skill links.")
    click.echo(f"Dropped {s.duplicate_role_rows} duplicate row(s) in the roles file and "
               f"{s.duplicate_skill_rows} in the skills file; {s.graded} role levels/roles graded.")
    click.echo(f"Validated: no violations, {s.warnings} warnings (see `rolegraph validate {s.out}`).")


@click.command("diff")
@click.argument("old", type=click.Path(exists=True, path_type=Path))
@click.argument("new", required=False, type=click.Path(exists=True, path_type=Path))
@format_option("text", "json", "md")
@click.option("-v", "--verbose", is_flag=True, help="List description rewrites with word diffs (otherwise counted).")
@click.option("--renames", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV of 'old,new' name pairs (e.g. from the change log) that override rename matching; "
                   "an empty new name says the old one was removed, not renamed.")
@click.pass_obj
def diff_cmd(app, old, new, fmt, verbose, renames):
    """Show what changed from release OLD to release NEW (data folders or Turtle files).

    NEW defaults to the bundled data (or --data). Reports roles, role levels and
    skills added, removed and renamed (with the basis of each rename: given in
    --renames, same IRI, a former name recorded in NEW, or matched on content
    with ties broken by name similarity), family moves, requirement level
    changes, grade changes (where both releases state grades) and description
    rewrites (official text compared only with official text, own summaries
    with own summaries). The md format is grouped like the framework's own
    change notes, ready for release notes.

    \b
    Examples:
      rolegraph diff releases/2025-10
      rolegraph diff releases/2025-10 releases/2026-01 --format md > CHANGES.md
      rolegraph diff releases/2025-10 --format json
      rolegraph diff releases/2025-10 --renames changelog-renames.csv
    """
    from ..diff import diff, read_renames, render_md, render_text
    from ..graph import RoleGraph

    pairs = read_renames(renames) if renames else ()
    old_graph = RoleGraph.load([old], backend=app.backend)
    new_graph = RoleGraph.load([new], backend=app.backend) if new else app.graph
    result = diff(old_graph, new_graph, verbose=verbose, renames=pairs, renames_name=renames.name if renames else "")
    if fmt == "json":
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    elif fmt == "md":
        click.echo(render_md(result))
    else:
        click.echo(render_text(result))


COMMANDS = [import_cmd, diff_cmd]
