#!/usr/bin/env python3
"""Career-path statistics over all ordered pairs of positions of the bundled data (issue #10).

    python benchmarks/careers.py            # the figures, as a table, plus out/careers.json
    python benchmarks/careers.py --cli 5    # also time `rolegraph path` as a whole process (5 runs) against
                                            # python -c "import rdflib, networkx, click", as a ratio

Figures (each step's grade change as the tool reports it):

* unreachable: ordered pairs (a != b) with no path under the default options
* demotion / multi-grade jump: among pairs whose destination is at the same or a higher grade than the
  origin and that have a path, the share of chosen paths with a step down a grade / a step up more than one
* detours: pairs whose chosen path of 2+ moves costs more than the direct move, priced by the tool itself
  (only where the direct move is allowed by the tool)
* related lists (20 moves per position): the share of listed moves jumping more than one grade (and how many
  in tier 1), moves below the viability threshold in tier 1, median moves per position, positions with < 5
* seconds (wall and CPU) for all-pairs paths in one process (graphs built first, timed separately); the
  target is < 10 s

It runs on the code before issue #10 (``rolegraph.analysis``) and after (``rolegraph.careers``), so the
same script gives both sets of figures.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))


class Before:
    """rolegraph.analysis (before issue #10): top-20 move graph, memoryless costs."""

    name = "before (rolegraph.analysis)"

    def __init__(self, g):
        import networkx as nx

        from rolegraph import analysis as A

        self.A, self.nx, self.g = A, nx, g
        self.B = A.skills_graph(g)
        self.M = A.move_graph(g)
        self.change = A.role_change_cost(g)

    def positions(self):
        return self.A.positions(self.B)

    def grade(self, p):
        return self.B.nodes[p]["grade"]

    def all_routes(self, a):
        """{b: [(grade_change, cost), ...]} for every b reachable from a."""
        _, paths = self.nx.single_source_dijkstra(self.M, a, weight="cost")
        return {b: [(self.M.edges[x, y]["grade_change"], self.M.edges[x, y]["cost"]) for x, y in zip(p, p[1:])]
                for b, p in paths.items() if b != a}

    def direct(self, a, b):
        if self.M.has_edge(a, b):
            return self.M.edges[a, b]["cost"]
        return self.A.gap_cost(self.B, a, b) + self.change

    def related(self, p):
        moves = self.A.related_moves(self.g, p, 20)
        return [(self.A._tier(i), s, self.A.grade_change(self.B, p, q)) for i, (q, s, _) in enumerate(moves, 1)]

    def threshold(self):
        return self.A.viability_threshold(self.g)


class After:
    """rolegraph.careers (issue #10): grade rules, complete move graph, skills kept along a path."""

    name = "after (rolegraph.careers)"

    def __init__(self, g):
        from rolegraph import careers as C

        self.C, self.g = C, g
        self.model = C.career_model(g)

    def positions(self):
        return self.model.positions

    def grade(self, p):
        return self.model.band(p)

    def all_routes(self, a):
        return {b: [(s.grade_change, s.cost) for s in route.steps]
                for b, route in self.C.routes_from(self.model, a).items()}

    def direct(self, a, b):
        move = self.C.direct_move(self.model, a, b)
        return None if move is None else move.cost

    def related(self, p):
        band = self.model.band
        return [(m.tier, m.score, self.C.grade_change_between(band(p), band(m.to)))
                for m in self.C.related_moves(self.model, p, 20)]

    def threshold(self):
        return self.model.threshold


def _upward(api, a, b) -> bool:
    ga, gb = api.grade(a), api.grade(b)
    if ga is None or gb is None:
        return False
    if isinstance(ga, tuple):  # a band (bottom, top): compare the top of a's band with b's band
        return gb[1] >= ga[1]
    return gb >= ga


def measure(api) -> dict:
    pos = api.positions()
    n_pairs = len(pos) * (len(pos) - 1)
    t0, c0 = time.perf_counter(), time.process_time()
    routes = {a: api.all_routes(a) for a in pos}
    all_pairs_s, all_pairs_cpu = time.perf_counter() - t0, time.process_time() - c0
    unreachable = n_pairs - sum(len(r) for r in routes.values())
    up = down = jump = 0
    detours, detour_examples, multi = 0, [], 0
    for a in pos:
        for b, steps in routes[a].items():
            if len(steps) > 1:
                multi += 1
                direct = api.direct(a, b)
                total = sum(c for _, c in steps)
                if direct is not None and total > direct:
                    detours += 1
                    if len(detour_examples) < 3:
                        detour_examples.append((a.rsplit("/", 1)[-1], b.rsplit("/", 1)[-1], total, direct))
            if not _upward(api, a, b):
                continue
            up += 1
            down += any(gc is not None and gc < 0 for gc, _ in steps)
            jump += any(gc is not None and gc > 1 for gc, _ in steps)
    upward_pairs = sum(1 for a in pos for b in pos if a != b and _upward(api, a, b))
    threshold = api.threshold()
    lists = {p: api.related(p) for p in pos}
    moves = [m for ms in lists.values() for m in ms]
    counts = sorted(len(ms) for ms in lists.values())
    return {
        "version": api.name,
        "positions": len(pos),
        "ordered_pairs": n_pairs,
        "unreachable_pairs": unreachable,
        "unreachable_share": round(unreachable / n_pairs, 3),
        "upward_or_lateral_pairs": upward_pairs,
        "upward_or_lateral_unreachable": upward_pairs - up,
        "paths_with_demotion_share": round(down / up, 3) if up else None,
        "paths_with_multi_grade_jump_share": round(jump / up, 3) if up else None,
        "multi_move_paths": multi,
        "detours_costing_more_than_direct": detours,
        "detour_examples": detour_examples,
        "related_moves": len(moves),
        "related_multi_grade_jump_share": round(sum(1 for _, _, gc in moves if gc is not None and gc > 1)
                                                / max(len(moves), 1), 3),
        "related_multi_grade_jumps_in_tier_1": sum(1 for t, _, gc in moves if t == 1 and gc is not None and gc > 1),
        "related_demotions": sum(1 for _, _, gc in moves if gc is not None and gc < 0),
        "related_tier_1_below_threshold": sum(1 for t, s, _ in moves if t == 1 and s < threshold),
        "related_median_per_position": statistics.median(counts),
        "related_positions_under_5": sum(1 for c in counts if c < 5),
        "all_pairs_paths_seconds": round(all_pairs_s, 2),
        "all_pairs_paths_cpu_seconds": round(all_pairs_cpu, 2),  # robust when other processes share the cores
    }


def _median_run(cmd: list[str], runs: int) -> tuple[float, float]:
    """Median wall seconds and median CPU seconds (user + sys of the child) of *runs* runs, after a warm-up."""
    import resource

    subprocess.run(cmd, capture_output=True, check=True)  # warm-up (and it must succeed)
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def cli_ratio(runs: int) -> dict:
    """`rolegraph path` as a whole process against `python -c "import rdflib, networkx, click"` (target <= 2x)."""
    exe = [sys.executable, "-m", "rolegraph"]
    base = _median_run([sys.executable, "-c", "import rdflib, networkx, click"], runs)
    near = _median_run(exe + ["path", "Chief information security officer", "Chief technology officer"], runs)
    far = _median_run(exe + ["path", "Apprentice developer", "Chief technology officer"], runs)
    return {"baseline_import_s": round(base[0], 3), "path_ciso_cto_s": round(near[0], 3),
            "path_apprentice_cto_s": round(far[0], 3), "ratio_wall": round(max(near[0], far[0]) / base[0], 2),
            "baseline_cpu_s": round(base[1], 3), "path_cpu_s": round(max(near[1], far[1]), 3),
            "ratio_cpu": round(max(near[1], far[1]) / base[1], 2), "target": 2.0}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", action="store_true", help="measure rolegraph.analysis even if careers exists")
    ap.add_argument("--cli", type=int, default=0, metavar="RUNS", help="also time `rolegraph path` (RUNS runs)")
    a = ap.parse_args(argv)
    from rolegraph.graph import RoleGraph

    g = RoleGraph.load()
    try:
        import rolegraph.careers  # noqa: F401
        cls = Before if a.before else After
    except ImportError:
        cls = Before
    t0 = time.perf_counter()
    api = cls(g)
    build_s = time.perf_counter() - t0
    result = measure(api)
    result["graphs_built_seconds"] = round(build_s, 2)
    if a.cli:
        result["cli"] = cli_ratio(a.cli)
    for k, v in result.items():
        print(f"{k:40} {v}")
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    tag = "before" if cls is Before else "after"
    (out / f"careers-{tag}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
