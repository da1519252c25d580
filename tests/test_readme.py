"""The README's Python examples run, and its command reference matches `rolegraph --help`."""
from __future__ import annotations

import doctest
import re
from pathlib import Path

import click
import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def python_blocks(text: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", text, re.S | re.M)


def test_readme_has_a_use_from_python_section():
    text = README.read_text(encoding="utf-8")
    assert "## Use from Python" in text
    assert len(python_blocks(text)) >= 3


def test_readme_python_examples_run():
    text = README.read_text(encoding="utf-8")
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    globs: dict = {}
    examples = 0
    for i, block in enumerate(python_blocks(text)):
        test = parser.get_doctest(block, globs, f"README.md python block {i + 1}", str(README), 0)
        examples += len(test.examples)
        runner.run(test, clear_globs=False)
        globs.update(test.globs)  # later blocks go on from earlier ones
    assert examples >= 10
    assert runner.failures == 0, f"{runner.failures} README example(s) failed (see the output above)"


def test_the_doctest_runner_above_can_fail():
    runner = doctest.DocTestRunner()
    runner.run(doctest.DocTestParser().get_doctest(">>> 1 + 1\n3\n", {}, "x", "x", 0), out=lambda s: None)
    assert runner.failures == 1


# ---------------------------------------------------------------------------- commands and options

def _commands(group: click.Group, ctx: click.Context) -> dict[str, click.Command]:
    return {name: group.get_command(ctx, name) for name in group.list_commands(ctx)}


def _options(cmd: click.Command) -> set[str]:
    found = set()
    for p in cmd.params:
        if isinstance(p, click.Option):
            found.update(o for o in p.opts + p.secondary_opts if o.startswith("--") and o != "--help")
    if isinstance(cmd, click.Group):   # a command group (crosswalk): its subcommands' options too
        for sub in cmd.commands.values():
            found |= _options(sub)
    return found


def test_every_command_and_option_in_help_is_in_the_readme():
    from rolegraph.cli import main

    text = README.read_text(encoding="utf-8")
    ctx = click.Context(main)
    missing = []
    for opt in sorted(_options(main)):
        if not re.search(re.escape(opt) + r"\b", text):
            missing.append(f"rolegraph {opt}")
    for name, cmd in _commands(main, ctx).items():
        if not re.search(rf"rolegraph {re.escape(name)}\b", text):
            missing.append(f"rolegraph {name}")
        for opt in sorted(_options(cmd)):
            if not re.search(re.escape(opt) + r"(?![\w-])", text):
                missing.append(f"rolegraph {name} {opt}")
    assert missing == [], "documented nowhere in README.md: " + ", ".join(missing)


def test_every_command_and_option_the_readme_names_exists():
    from rolegraph.cli import main

    text = README.read_text(encoding="utf-8")
    ctx = click.Context(main)
    commands = _commands(main, ctx)
    known = _options(main) | {"--help", "--version"}
    for cmd in commands.values():
        known |= _options(cmd)
    named = set(re.findall(r"(?<![\w/.-])rolegraph ([a-z][a-z-]*)\b", text))
    unknown_commands = sorted(n for n in named if n not in commands)
    assert unknown_commands == [], f"README.md names commands that do not exist: {unknown_commands}"
    # options written in code spans or command lines: `--name` (not those of python scripts)
    spans = re.findall(r"`([^`]*)`", text) + re.findall(r"^\$ (.*)$", text, re.M)
    spans = [s for s in spans if not re.search(r"\bpython[\d.]*\s|\.py\b|\bpip\b|pytest", s)]
    opts = {o for s in spans for o in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", s)}
    unknown = sorted(opts - known)
    assert unknown == [], f"README.md names options no command has: {unknown}"


@pytest.mark.parametrize("command", ["queries", "query", "path", "related"])
def test_help_no_longer_calls_commands_later(command):
    from click.testing import CliRunner

    from rolegraph.cli import main

    out = CliRunner().invoke(main, ["--help"]).output
    assert "later commands" not in out
    assert command in out


def test_readme_security_section_names_the_headers_serve_sends():
    """The README's Security section and SECURITY.md exist, and the headers it lists are the ones sent."""
    from rolegraph.headers import COMMON, EXPLORER_CSP

    text = README.read_text(encoding="utf-8")
    assert "## Security" in text
    section = text[text.index("## Security"):text.index("\n## ", text.index("## Security") + 3)]
    assert "SECURITY.md" in section and "rolegraph serve --help" in section
    for name, value in COMMON.items():
        assert f"`{name}: {value}`" in section
    assert "default-src 'none'" in EXPLORER_CSP and "`Content-Security-Policy` (`default-src 'none'" in section
    security = (README.parent / "SECURITY.md").read_text(encoding="utf-8")
    assert "privately" in security and "Include" in security
