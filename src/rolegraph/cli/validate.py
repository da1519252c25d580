"""The validate command."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .options import format_option


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@format_option("text", "json", "ttl", "turtle")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option("--shapes", type=click.Path(path_type=Path, dir_okay=False),
              help="Validate against these SHACL shapes instead of the bundled ones.")
@click.pass_obj
def validate_cmd(app, paths, fmt, strict, shapes):
    """Check data against the SHACL shapes; report violations and warnings by severity.

    PATHS are Turtle files or folders (the ontology is always added); with none,
    the bundled data (or --data) is checked. Exit status: 0 no violations
    (warnings allowed), 1 violations (or warnings with --strict), 2 unusable
    input such as a missing file or bad Turtle (reported as file:line:column).
    The --format ttl report (turtle is an alias) follows SHACL: its sh:conforms is false whenever
    there is any result, warnings included.

    \b
    Examples:
      rolegraph validate
      rolegraph validate my-release/ --strict
      rolegraph validate data/families/data.ttl data/skills.ttl --format json
    """
    from ..errors import InputError
    from ..graph import RoleGraph

    if shapes is not None and not shapes.is_file():
        raise InputError(f"{shapes}: no such shapes file")
    if shapes is not None:   # bad Turtle in the shapes is unusable input, reported as file:line:column
        from ..store import make_backend

        make_backend("oxigraph").load(shapes)
    graph = RoleGraph.load(paths, backend=app.backend) if paths else app.graph
    report = graph.validate(shapes=shapes)
    if fmt == "json":
        click.echo(report.to_json())
    elif fmt in ("ttl", "turtle"):   # ttl as in export; turtle kept as an alias
        click.echo(report.to_turtle())
    else:
        click.echo(render_text(report))
    failed = not report.conforms or (strict and report.count("Warning") > 0)
    sys.exit(1 if failed else 0)


def render_text(report) -> str:
    """Counts, then each severity's results grouped by shape and path: focus node, offending value, message."""
    lines = []
    n_v, n_w, n_i = (report.count(s) for s in ("Violation", "Warning", "Info"))
    verdict = "conforms" if report.conforms else "does NOT conform"
    lines.append(f"Data {verdict}: {n_v} violations, {n_w} warnings, {n_i} infos "
                 f"({len(report.files)} files checked).")
    for severity, results in report.by_severity().items():
        lines.append(f"\n{severity}s ({len(results)}):")
        for (shape, path), group in report.by_shape(severity).items():
            lines.append(f"  [{shape}]{' ' + path if path else ''}: {len(group)}")
            for r in group:
                focus = r.focus if r.focus.startswith("_:") else f"<{r.focus}>"
                lines.append(f"    {r.focus_label} {focus}")
                check = r.component_name.removesuffix("ConstraintComponent")
                check = "sparql" if check == "SPARQL" else check[:1].lower() + check[1:]
                if r.value is not None and r.value.value != r.focus:
                    lines.append(f"      value: {r.value.short()}  (sh:{check})")
                else:
                    lines.append(f"      (sh:{check})")
                lines.append(f"      {r.message}")
    return "\n".join(lines)


COMMANDS = [validate_cmd]
