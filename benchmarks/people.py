#!/usr/bin/env python3
"""People and teams (issue 24): whole-process times of `rolegraph assess` and `rolegraph team`, as ratios to
the floor ``python -c "import rdflib, networkx, click"`` measured in the same run.

    python benchmarks/people.py                # assess (bundled data) and a team of 500 x 40 ratings
    python benchmarks/people.py --esco         # also one profile on an ESCO-sized store folder, warm
    python benchmarks/people.py --runs 7       # more runs (the median is reported)

Targets: assess <= 2x the floor; the team <= 5x; ESCO-scale assess <= 3x (warm: the store folder's cache is
filled by one run first). The team is generated here: 500 people, each at a random role level, rating that
level's skills (some a level below or above) plus other skills up to 40 ratings, one CSV profile each.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
RG = [sys.executable, "-m", "rolegraph"]
FLOOR = [sys.executable, "-c", "import rdflib, networkx, click"]
LEVELS = ("not yet", "awareness", "working", "practitioner", "expert")


def timed(cmd: list[str], runs: int) -> float:
    """The median wall time of *runs* runs of *cmd* (which must succeed)."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - t)
        if r.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed: {r.stderr.decode()[-500:]}")
    return statistics.median(times)


def requirements(g) -> dict[str, dict[str, int]]:
    from rolegraph.careers.model import career_model

    m = career_model(g)
    return {m.B.nodes[p]["label"]: {m.B.nodes[s]["label"]: int(d["weight"] or 4) for s, d in m.B.adj[p].items()}
            for p in m.positions if m.B.nodes[p]["kind"] == "level"}


def profile_rows(rng: random.Random, need: dict[str, int], skills: list[str], n: int) -> list[tuple[str, int]]:
    rows = {s: max(0, min(4, r + rng.choice((-1, 0, 0, 1)))) for s, r in need.items()}
    while len(rows) < n:
        rows.setdefault(rng.choice(skills), rng.randint(0, 4))
    return list(rows.items())[:n]


def write_csv(path: Path, rows: list[tuple[str, int]], level: str | None = None) -> None:
    lines = ([f"# role level: {level}"] if level else []) + ["skill,level"]
    lines += ['"' + s.replace('"', '""') + f'",{LEVELS[r]}' for s, r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_team(g, d: Path, people: int, ratings: int, seed: int = 24) -> Path:
    rng = random.Random(seed)
    req = requirements(g)
    skills = sorted({s for need in req.values() for s in need})
    levels = sorted(req)
    (d / "profiles").mkdir(parents=True)
    roster = ["person,role level"]
    for i in range(people):
        level = rng.choice(levels)
        roster.append(f'p{i:04d},"{level}"')
        write_csv(d / "profiles" / f"p{i:04d}.csv", profile_rows(rng, req[level], skills, ratings))
    (d / "roster.csv").write_text("\n".join(roster) + "\n", encoding="utf-8")
    return d / "roster.csv"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--people", type=int, default=500)
    ap.add_argument("--ratings", type=int, default=40)
    ap.add_argument("--esco", action="store_true", help="also assess one profile on an ESCO-sized store folder")
    a = ap.parse_args(argv)
    from rolegraph.graph import RoleGraph

    g = RoleGraph.load()
    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        rng = random.Random(7)
        req = requirements(g)
        me = d / "me.csv"
        need = req["Senior data engineer"]
        write_csv(me, profile_rows(rng, need, sorted(need), len(need)), "Data engineer")
        roster = make_team(g, d / "team", a.people, a.ratings)
        floor = timed(FLOOR, a.runs)
        assess = timed(RG + ["assess", str(me), "--format", "json"], a.runs)
        team = timed(RG + ["team", str(roster), "--profiles", str(d / "team" / "profiles"), "--format", "json"],
                     a.runs)
        out = {"floor_s": round(floor, 3), "assess_s": round(assess, 3), "assess_ratio": round(assess / floor, 2),
               "team_s": round(team, 3), "team_ratio": round(team / floor, 2), "people": a.people,
               "ratings": a.ratings, "runs": a.runs}
        if a.esco:
            sys.path.insert(0, str(HERE))
            import generate

            paths, _ = generate.generate("esco", out=d / "esco", formats=("ttl",))
            store = d / "esco-store"
            subprocess.run(RG + ["--store", str(store), "load", "--no-validate", str(paths["ttl"])], check=True,
                           stdout=subprocess.DEVNULL)
            eg = RoleGraph.open(store)
            ereq = requirements(eg)
            name = sorted(ereq)[len(ereq) // 2]
            write_csv(me, list(ereq[name].items()))
            cmd = RG + ["--store", str(store), "assess", str(me), "--format", "json"]
            timed(cmd, 1)   # warm: fills the store folder's cache
            esco = timed(cmd, a.runs)
            out.update({"esco_levels": len(ereq), "esco_assess_s": round(esco, 3),
                        "esco_ratio": round(esco / floor, 2)})
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
