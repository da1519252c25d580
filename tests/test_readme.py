"""The README and the docs/ pages: their Python examples run, the commands and options they name exist (and the
README names every one `rolegraph --help` lists), every docs/ page is linked from the README, every link and
#anchor between them resolves, and every image the README shows is committed (and small)."""
from __future__ import annotations

import doctest
import re
from pathlib import Path

import click
import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
ROOT = README.parent
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
SCREENSHOT_BUDGET = 1_500_000   # bytes, docs/screenshots/*.png together (scripts/screenshots.py keeps to it)


def python_blocks(text: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", text, re.S | re.M)


def test_readme_has_a_use_from_python_section():
    text = README.read_text(encoding="utf-8")
    assert "## Use from Python" in text
    assert len(python_blocks(text)) >= 3


def run_python_blocks(path: Path) -> tuple[int, int]:
    """Run *path*'s ```python blocks as one doctest session (later blocks go on from earlier ones):
    (examples, failures)."""
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    globs: dict = {}
    examples = 0
    for i, block in enumerate(python_blocks(path.read_text(encoding="utf-8"))):
        test = parser.get_doctest(block, globs, f"{path.name} python block {i + 1}", str(path), 0)
        examples += len(test.examples)
        runner.run(test, clear_globs=False)
        globs.update(test.globs)
    return examples, runner.failures


def test_readme_python_examples_run():
    examples, failures = run_python_blocks(README)
    assert examples >= 10
    assert failures == 0, f"{failures} README example(s) failed (see the output above)"


def test_there_are_docs_pages():
    assert {p.name for p in PAGES} >= {"serve.md", "scale-out.md", "limits.md", "speed.md", "contributing.md"}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_docs_python_examples_run(page):
    examples, failures = run_python_blocks(page)
    assert failures == 0, f"{failures} example(s) in docs/{page.name} failed (see the output above)"


def test_the_docs_pages_have_python_examples_that_run():
    assert sum(len(python_blocks(p.read_text(encoding="utf-8"))) for p in PAGES) >= 1


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


@pytest.mark.parametrize("doc", [README, *PAGES], ids=lambda p: p.name)
def test_every_command_and_option_the_readme_names_exists(doc):
    from rolegraph.cli import main

    text = doc.read_text(encoding="utf-8")
    ctx = click.Context(main)
    commands = _commands(main, ctx)
    known = _options(main) | {"--help", "--version"}
    for cmd in commands.values():
        known |= _options(cmd)
    named = set(re.findall(r"(?<![\w/.-])rolegraph ([a-z][a-z-]*)\b", text))
    unknown_commands = sorted(n for n in named if n not in commands)
    assert unknown_commands == [], f"{doc.name} names commands that do not exist: {unknown_commands}"
    # options written in code spans or command lines: `--name` (not those of python scripts)
    spans = re.findall(r"`([^`]*)`", text) + re.findall(r"^\$ (.*)$", text, re.M)
    spans = [s for s in spans if not re.search(r"\bpython[\d.]*\s|\.py\b|\bpip\b|pytest", s)]
    opts = {o for s in spans for o in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", s)}
    unknown = sorted(opts - known)
    assert unknown == [], f"{doc.name} names options no command has: {unknown}"


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


# ---------------------------------------------------------------------------- links, anchors and images

def _prose(text: str) -> str:
    """*text* without its fenced code blocks (a '# comment' in a shell block is no heading, a link in one no link)."""
    return re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)


def slugs(text: str) -> set[str]:
    """The #anchors GitHub gives *text*'s headings: lower case, punctuation dropped, spaces to hyphens, and
    -1, -2, ... for repeats."""
    found: set[str] = set()
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*#*$", _prose(text), re.M):
        heading = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)   # a link's text
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        n, candidate = 0, slug
        while candidate in found:
            n += 1
            candidate = f"{slug}-{n}"
        found.add(candidate)
    return found


def links(text: str) -> list[str]:
    """The targets of *text*'s Markdown links and images, and of its <img src> tags."""
    prose = _prose(text)
    return re.findall(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", prose) + re.findall(r"<img\s[^>]*src=\"([^\"]+)\"", prose)


def test_slugs_and_links_are_read_as_github_reads_them():
    text = ("# A `--endpoint URL` page\n## Two\n## Two\n```\n# not a heading [x](nowhere.md)\n```\n"
            "[a](b.md#c) ![i](d.png)")
    assert slugs(text) == {"a---endpoint-url-page", "two", "two-1"}
    assert links(text) == ["b.md#c", "d.png"]


@pytest.mark.parametrize("doc", [README, *PAGES], ids=lambda p: p.name)
def test_every_link_and_anchor_resolves(doc):
    text = doc.read_text(encoding="utf-8")
    broken = []
    for target in links(text):
        if re.match(r"[a-z][a-z+.-]*:", target):   # http:, https:, mailto: -- not checked (no network)
            continue
        path, _, anchor = target.partition("#")
        file = (doc.parent / path).resolve() if path else doc
        if not file.exists() or ROOT not in file.parents:
            broken.append(target)
        elif anchor and file.suffix == ".md" and anchor not in slugs(file.read_text(encoding="utf-8")):
            broken.append(target)
    assert broken == [], f"{doc.name} links to what does not exist: {broken}"


def test_every_docs_page_is_linked_from_the_readme():
    linked = {(ROOT / t.partition("#")[0]).resolve() for t in links(README.read_text(encoding="utf-8"))}
    assert [p.name for p in PAGES if p.resolve() not in linked] == []


def test_every_image_the_readme_shows_is_committed_and_small():
    images = [t for t in links(README.read_text(encoding="utf-8")) if re.search(r"\.(png|svg|jpe?g|gif)$", t)]
    shots = [t for t in images if t.startswith("docs/screenshots/")]
    assert len(shots) >= 10   # the five journeys at a desktop and a phone width
    for target in images:
        data = (ROOT / target).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{target} is not a PNG"
    total = sum(p.stat().st_size for p in (DOCS / "screenshots").glob("*.png"))
    assert 0 < total <= SCREENSHOT_BUDGET


def test_the_reference_says_which_formats_each_command_takes():
    """Issue 25: the README said "every command takes --format", false for serve (none) and for report, export
    and query (formats of their own). The reference's last column must be each command's --format choices."""
    from rolegraph.cli import main

    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Reference: every command and option"):]
    section = section[:section.index("\n## ")]
    rows = {m[0]: m[1] for m in re.findall(r"^\| `rolegraph ([a-z][a-z-]*)[^|]*?` \|.*\| ([^|]+) \|$", section, re.M)}
    commands = _commands(main, click.Context(main))
    assert set(rows) == set(commands)
    for name, cmd in commands.items():
        choices = next((list(p.type.choices) for p in cmd.params if "--format" in getattr(p, "opts", [])), [])
        said = re.findall(r"[a-z][a-z-]*", re.sub(r"\([^)]*\)", "", rows[name]))
        assert said == (choices or ["none"]), f"rolegraph {name}: README says {said}, --format takes {choices}"
