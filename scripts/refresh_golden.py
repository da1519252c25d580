#!/usr/bin/env python3
"""Regenerate tests/golden/ from the reference facts, so a fresh clone checks data/ without ../shared.

``tests/golden/facts.json`` holds the part of ``../shared/reference/ddat-facts.json`` the tests read:
the framework's counts, skill levels and grade scale; every role with its slug, official page, own-words
summary and either its ordered levels (grades and required skills with their levels) or its Senior Civil
Service links; every skill with the levels it defines and the roles that use it. Facts may be committed
(see ``../shared/reference/README.md``); the change logs, page notes and derived similarity lists are left
out. ``tests/golden/digests.json`` holds a SHA-256 per table derived from those facts (requirements, IRIs,
level order and grades, SCS links, counts) so a test can say which table of ``data/`` drifted.

Run it after the reference facts change, then review the diff of tests/golden/ and commit it::

    python scripts/refresh_golden.py                      # reads ../shared/reference/ddat-facts.json
    python scripts/refresh_golden.py --facts FILE --out tests/golden
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))  # run from a checkout without installing

from rolegraph import namespaces as ns  # noqa: E402
from rolegraph.atomic import write_atomic  # noqa: E402
from rolegraph.slugs import slugify  # noqa: E402

DEFAULT_FACTS = ROOT.parent / "shared" / "reference" / "ddat-facts.json"
DEFAULT_OUT = ROOT / "tests" / "golden"

#: per-role fields left out of the golden copy (long, and no test reads them)
DROP_ROLE = ("roles_sharing_skills_derived", "update_history")
TOP_LEVEL = ("framework", "families", "skills")


def golden_facts(facts: dict) -> dict:
    """The part of the reference facts the tests read (see the module docstring)."""
    out = {k: facts[k] for k in TOP_LEVEL}
    out["families"] = [
        {"name": fam["name"], "roles": [{k: v for k, v in role.items() if k not in DROP_ROLE} for role in fam["roles"]]}
        for fam in facts["families"]]
    return out


def tables(facts: dict) -> dict[str, list[str]]:
    """Tab-separated lines, sorted, of each table the data must hold (IRIs as the data writes them)."""
    roles = [role for fam in facts["families"] for role in fam["roles"]]
    req, levels, scs, iris = [], [], [], []
    for role in roles:
        iris.append(ns.ROLE + role["slug"])
        for lv in role.get("levels") or []:
            level = ns.LEVEL + slugify(lv["name"])
            iris.append(level)
            grades = ",".join(sorted(g.split(" (")[0] for g in lv["grade_if_stated"] or []))
            levels.append(f"{ns.ROLE + role['slug']}\t{lv['number']}\t{level}\t{grades}")
            req.extend(f"{level}\t{ns.SKILL + slugify(s['skill'])}\t{s['level']}" for s in lv["skills"])
        if "scs" in role:
            scs.extend(f"{ns.ROLE + role['slug']}\t{ns.SKILL + slugify(s['skill'])}" for s in role["scs"]["skills"])
    iris.extend(ns.SKILL + slugify(s["name"]) for s in facts["skills"])
    c = facts["framework"]["counts"]
    counts = [f"{k}\t{c[k]}" for k in ("families", "roles", "roles_scs", "role_levels", "skills",
                                       "role_level_skill_pairs")] + [f"scs_links\t{len(scs)}"]
    return {"requirements": sorted(req), "iris": sorted(set(iris)), "levels": sorted(levels),
            "scs_links": sorted(scs), "counts": sorted(counts)}


def digest(lines: list[str]) -> str:
    """SHA-256 of the sorted lines, one per line."""
    return hashlib.sha256("".join(line + "\n" for line in sorted(lines)).encode("utf-8")).hexdigest()


def refresh(facts_path: Path, out: Path) -> list[Path]:
    facts = json.loads(facts_path.read_text(encoding="utf-8"))
    gold = golden_facts(facts)
    out.mkdir(parents=True, exist_ok=True)
    digests = {name: {"lines": len(lines), "sha256": digest(lines)} for name, lines in tables(gold).items()}
    paths = [out / "facts.json", out / "digests.json"]
    write_atomic(paths[0], json.dumps(gold, indent=1, ensure_ascii=False) + "\n")
    write_atomic(paths[1], json.dumps(digests, indent=1, sort_keys=True) + "\n")
    for p in paths:
        p.chmod(0o644)  # readable like the rest of the checkout
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--facts", type=Path, default=DEFAULT_FACTS, help="the reference facts (JSON)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for facts.json and digests.json")
    a = ap.parse_args(argv)
    if not a.facts.is_file():
        print(f"Error: {a.facts}: no such file (give --facts)", file=sys.stderr)
        return 2
    for p in refresh(a.facts, a.out):
        print(f"wrote {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
