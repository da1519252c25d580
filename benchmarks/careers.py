#!/usr/bin/env python3
"""Career advice over all ordered pairs of positions of the bundled data, through the public API (issue #23).

    python benchmarks/careers.py            # the figures, as a table, plus out/careers-<version>.json
    python benchmarks/careers.py --cli 5    # also time `rolegraph path` as a whole process (5 runs) against
                                            # python -c "import rdflib, networkx, click", as a ratio

It runs on the code before issue #23 (paths over positions; no grade held) and after it (paths over
(position, grade held) states; ``rolegraph.careers.grade_routes_from``), so one script gives both sets of
figures. Every figure is counted from the paths the tool recommends by default from each origin:

* pairs: ordered pairs, pairs with a path, refused pairs, and refused pairs whose two positions share a
  published grade (a transfer at that grade; after #23 searched from that shared grade)
* grade as held: walking each path at the grade the person holds in each post (before #23, the tool's own
  assumption -- the top of the origin's band -- and from the bottom of the band; after #23, the grades the
  steps state), paths with a move of 2+ grades, paths gaining more grades than moves, paths whose step
  labels do not add up to the grade gained, and the share of promotion steps labelled +0
* leaps: first moves that are a full reskill (nothing of the destination held) where the origin had a
  ladder step; promotions into another role meeting none of its skills; paths with a move taking a skill
  up more than two levels, and from nothing to expert
* SCS: paths entering an SCS role not along a bridge from G6 (before #23: from the top of the band); bridge
  steps labelled "full reskill"; refused transfers at a shared grade that the skill cap alone refuses
* related (20 per position): lists padded with moves below the threshold, lists whose own next level is
  not in tier 1, lists with an SCS role in tier 1 for someone not at G6, Data scientist's rank for a Data
  analyst
* seconds (wall and CPU) for all-pairs paths in one process (graphs built first, timed separately); the
  target is < 10 s
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

G6 = 7  # grade ranks: AO 2 ... G6 7, SCS 1 8


class Walk:
    """One recommended path: positions, each step's kind and stated grade change, and grades held (if stated)."""

    def __init__(self, nodes, kinds, labels, held=None, moves=None):
        self.nodes, self.kinds, self.labels, self.held, self.moves = nodes, kinds, labels, held, moves


class Before:
    """Paths over positions, each step labelled by the top of the origin's band (issue #10's model)."""

    name = "before"

    def __init__(self, g):
        from rolegraph import careers as C
        from rolegraph.careers import paths as P

        self.C, self.P, self.g = C, P, g
        self.m = C.career_model(g)

    def walks(self, a, grade=None):
        m, P = self.m, self.P
        dist, prev = P.search(m, a)
        out = {}
        for b in dist:
            if b == a:
                continue
            nodes = P._chain(prev, a, b)
            kinds = [self.C.move_kind(m, x, y) for x, y in zip(nodes, nodes[1:])]
            labels = [self.C.grade_change_between(m.bands[x], m.bands[y]) for x, y in zip(nodes, nodes[1:])]
            out[b] = Walk(nodes, kinds, labels)
        return out

    def related(self, p):
        return [(r.to, r.tier, r.viable, r.kind) for r in self.C.related_moves(self.m, p, 20)]

    def reskill_label(self, x, gx, y, gy):
        return self.C.route(self.m, [x, y]).steps[0].full_reskill


class After(Before):
    """Paths over (position, grade held) states (issue #23)."""

    name = "after"

    def walks(self, a, grade=None, rules=None):
        return {b: Walk(r.nodes, [s.kind for s in r.steps], [s.grade_change for s in r.steps], r.held,
                        [s.move for s in r.steps])
                for b, r in self.C.grade_routes_from(self.m, a, grade, rules).items()}

    def reskill_label(self, x, gx, y, gy):
        return self.C.route(self.m, [(x, gx), (y, gy)]).steps[0].full_reskill

    def related(self, p):
        return [(r.to, r.tier, r.viable, r.kind) for r in self.C.related_moves(self.m, p, 20)]


def walk_as_held(bands, nodes, start):
    """Grades held entering each post from *start*: kept if the post's band holds it, else its nearest end."""
    held = [start]
    for v in nodes[1:]:
        lo, hi = bands[v]
        g = held[-1]
        held.append(g if lo <= g <= hi else (lo if g < lo else hi))
    return held


def _in_post(w: Walk, i: int) -> bool:
    """Whether step *i* of *w* is a develop-in-post step (it raises skills before the transfer that follows)."""
    return w.moves is not None and w.moves[i] == "develop in post"


def _after_step(prof, w: Walk, i: int, need) -> tuple:
    """The skills held after step *i* of *w*: the destination's, or for a develop-in-post step the next
    destination's levels less the default cap (2), as the tool states them (rolegraph.careers.held.wait_profile)."""
    y = w.nodes[i + 1]
    if _in_post(w, i):
        from rolegraph.careers.held import wait_profile

        return tuple(p | q for p, q in zip(prof, wait_profile(need[w.nodes[i + 2]], 2)))
    return tuple(p | q for p, q in zip(prof, need[y]))


def measure(api) -> dict:
    m = api.m
    C = api.C
    pos = m.positions
    bands = m.bands
    nodes = m.B.nodes
    need = m.need
    n_pairs = len(pos) * (len(pos) - 1)
    t0, c0 = time.perf_counter(), time.process_time()
    walks = {a: api.walks(a) for a in pos}
    all_pairs_s, all_pairs_cpu = time.perf_counter() - t0, time.process_time() - c0
    with_path = sum(len(w) for w in walks.values())

    def shared_grade(a, b):
        common = set(nodes[a]["ranks"]) & set(nodes[b]["ranks"])
        return min(common) if common else None

    refused = [(a, b) for a in pos for b in pos if a != b and b not in walks[a]]
    refused_shared = [(a, b) for a, b in refused if shared_grade(a, b) is not None]
    refused_by_cap = None
    if api.name == "after":  # the person holds the shared grade: search from it
        from_grade: dict = {}
        lifted: dict = {}
        still, by_cap = [], 0
        wide = C.Rules(max_skill_step=4)
        for a, b in refused_shared:
            g = shared_grade(a, b)
            if (a, g) not in from_grade:
                from_grade[(a, g)] = api.walks(a, g)
            if b not in from_grade[(a, g)]:
                still.append((a, b))
                if (a, g) not in lifted:
                    lifted[(a, g)] = api.walks(a, g, wide)
                by_cap += b in lifted[(a, g)]
        refused_shared, refused_by_cap = still, by_cap

    jump_top = jump_bottom = jump_stated = more_than_moves = not_adding = 0
    promo_steps = promo_zero = ladder_steps = ladder_zero = 0
    reskill_first = first_moves = 0
    promo_no_skill = skill_3 = new_expert = 0
    scs_entries = scs_no_bridge = bridge_reskill = 0
    examples: dict[str, list] = {}

    def example(key, a, b):
        examples.setdefault(key, [])
        if len(examples[key]) < 3:
            examples[key].append(f"{m.label(a)} -> {m.label(b)}")

    for a, ws in walks.items():
        for b, w in ws.items():
            ns_ = w.nodes
            top = walk_as_held(bands, ns_, bands[a][1])
            bottom = walk_as_held(bands, ns_, bands[a][0])
            if any(y - x >= 2 for x, y in zip(top, top[1:])):
                jump_top += 1
            if any(y - x >= 2 for x, y in zip(bottom, bottom[1:])):
                jump_bottom += 1
            held = w.held if w.held is not None else top  # the tool's own assumption before #23
            if any(y - x >= 2 for x, y in zip(held, held[1:])):
                jump_stated += 1
                example("jump", a, b)
            gained = held[-1] - held[0]
            if gained > len(ns_) - 1:
                more_than_moves += 1
            if sum(x or 0 for x in w.labels) != gained or any(
                    lab is not None and lab != y - x for lab, x, y in zip(w.labels, held, held[1:])):
                not_adding += 1
                example("labels", a, b)
            prof = need[a]
            for i, (x, y) in enumerate(zip(ns_, ns_[1:])):
                kind = w.kinds[i]
                up = held[i + 1] - held[i]
                if kind == C.PROMOTION:  # the next level on one's own ladder
                    ladder_steps += 1
                    ladder_zero += w.labels[i] == 0
                if w.moves is not None and "promotion" in w.moves[i]:  # a step the tool calls a promotion
                    promo_steps += 1
                    promo_zero += w.labels[i] == 0
                met_any = bool(prof[0] & need[y][0])
                if i == 0:
                    first_moves += 1
                    if not met_any and x in m.next_level and nodes[x]["role"] != nodes[y]["role"]:
                        reskill_first += 1
                if nodes[x]["role"] != nodes[y]["role"] and up > 0 and not met_any and kind != C.BRIDGE:
                    promo_no_skill += 1
                    example("promotion with no skill", x, y)
                if (need[y][2] & ~prof[0]) | (need[y][3] & ~prof[1]):
                    skill_3 += 1
                if need[y][3] & ~prof[0]:
                    new_expert += 1
                if nodes[y]["kind"] == "scs" and nodes[x]["kind"] == "level":
                    scs_entries += 1
                    if "bridge" not in kind or held[i] != G6:
                        scs_no_bridge += 1
                        example("scs", x, y)
                    elif api.reskill_label(x, held[i], y, held[i + 1]):
                        bridge_reskill += 1
                prof = _after_step(prof, w, i, need)
    # per path, not per step, for the leap figures
    skill_paths = new_expert_paths = skill_paths_levels = in_post_paths = in_post_steps = 0
    for a, ws in walks.items():
        for w in ws.values():
            prof = need[a]
            s3 = ne = s3l = False
            for i, y in enumerate(w.nodes[1:]):
                jump = bool((need[y][2] & ~prof[0]) | (need[y][3] & ~prof[1]))
                s3 |= jump
                s3l |= jump and nodes[y]["kind"] != "scs"
                ne |= bool(need[y][3] & ~prof[0])
                prof = _after_step(prof, w, i, need)
            in_post_paths += any(_in_post(w, i) for i in range(len(w.nodes) - 1))
            in_post_steps += sum(_in_post(w, i) for i in range(len(w.nodes) - 1))
            skill_paths += s3
            skill_paths_levels += s3l
            new_expert_paths += ne

    threshold = m.threshold
    lists = {p: api.related(p) for p in pos}
    padded = sum(1 for ms in lists.values() if any(not viable for _, _, viable, _ in ms))
    missing_next = [p for p, ms in lists.items() if p in m.next_level
                    and not any(to == m.next_level[p] and t == 1 for to, t, _, _ in ms)]
    next_not_tier1 = len(missing_next)
    next_open_not_tier1 = None
    if api.name == "after":  # of those, the ones the person could take at the grade held (the rest need a grade)
        from rolegraph.careers.held import transitions

        next_open_not_tier1 = sum(1 for p in missing_next if any(
            v == m.next_level[p] for v, *_ in transitions(m, p, bands[p][0], need[p], C.Rules())))
    scs_tier1 = sum(1 for p, ms in lists.items() if bands[p][0] != G6 and nodes[p]["kind"] == "level"
                    and any(t == 1 and nodes[to]["kind"] == "scs" for to, t, _, _ in ms))
    by_label = {m.label(p): p for p in pos if nodes[p]["kind"] == "level"}
    da = lists.get(by_label.get("Data analyst"), [])
    ds_rank = next((i for i, (to, *_rest) in enumerate(da, 1) if to == by_label.get("Data scientist")), None)

    agreement = None
    try:
        from rolegraph.careers import meaning as MN
        from rolegraph.careers.engines import similarities

        methods = {"skills": lambda o: similarities(m.B, o), "meaning": lambda o: MN.meaning(api.g, o),
                   "mean of both": lambda o: MN.blended(api.g, o)}
        agreement = {}
        for name, f in methods.items():
            hits = 0
            for x, y in MN.ADVISER_CHECKS:
                s = f(by_label[x])
                order = [q for q, _ in sorted(s.items(), key=lambda t: (-t[1], t[0]))
                         if nodes[q]["role"] != nodes[by_label[x]]["role"]]
                hits += by_label[y] in order[:10]
            agreement[name] = f"{hits} of {len(MN.ADVISER_CHECKS)}"
    except ImportError:  # before #23: no meaning module
        pass

    def share(x, n):
        return round(x / n, 3) if n else None

    return {
        "version": api.name,
        "positions": len(pos),
        "ordered_pairs": n_pairs,
        "pairs_with_path": with_path,
        "refused_pairs": len(refused),
        "refused_sharing_a_published_grade": len(refused_shared),
        "of_which_reachable_with_the_skill_cap_lifted": refused_by_cap,
        "paths_2plus_grade_move_as_stated": jump_stated,
        "paths_2plus_grade_move_from_top_of_band": jump_top,
        "paths_2plus_grade_move_from_bottom_of_band": jump_bottom,
        "paths_gaining_more_grades_than_moves": more_than_moves,
        "paths_whose_labels_do_not_add_up": not_adding,
        "paths_whose_labels_do_not_add_up_share": share(not_adding, with_path),
        "own_ladder_steps": ladder_steps,
        "own_ladder_steps_labelled_0_share": share(ladder_zero, ladder_steps),
        "steps_called_promotion": promo_steps,
        "steps_called_promotion_labelled_0": promo_zero,
        "first_moves_full_reskill_with_a_ladder_step": reskill_first,
        "first_moves_full_reskill_share": share(reskill_first, first_moves),
        "promotions_into_another_role_no_skill_met_not_by_bridge": promo_no_skill,
        "paths_with_a_skill_up_3plus_levels_in_one_move": skill_paths,
        "paths_with_a_skill_up_3plus_levels_not_into_scs": skill_paths_levels,
        "paths_with_a_skill_new_to_expert_in_one_move": new_expert_paths,
        "paths_with_a_skill_new_to_expert_share": share(new_expert_paths, with_path),
        "develop_in_post_steps": in_post_steps,
        "paths_with_a_develop_in_post_step": in_post_paths,
        "scs_entries": scs_entries,
        "scs_entries_not_by_bridge_from_g6": scs_no_bridge,
        "scs_bridge_entries_labelled_full_reskill": bridge_reskill,
        "related_viability_threshold": round(threshold, 4),
        "related_lists_padded_below_threshold": padded,
        "related_lists": len(lists),
        "related_own_next_level_not_in_tier_1": next_not_tier1,
        "related_own_next_level_open_at_grade_held_not_in_tier_1": next_open_not_tier1,
        "related_scs_in_tier_1_not_at_g6": scs_tier1,
        "related_data_scientist_rank_for_data_analyst": ds_rank,
        "adviser_checks_in_top_10_other_roles": agreement,
        "examples": examples,
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
    ap.add_argument("--before", action="store_true", help="measure the position-only search even after #23")
    ap.add_argument("--cli", type=int, default=0, metavar="RUNS", help="also time `rolegraph path` (RUNS runs)")
    a = ap.parse_args(argv)
    from rolegraph import careers
    from rolegraph.graph import RoleGraph

    g = RoleGraph.load()
    cls = After if hasattr(careers, "grade_routes_from") and not a.before else Before
    t0 = time.perf_counter()
    api = cls(g)
    api.m.need  # noqa: B018 -- built before the clock starts
    build_s = time.perf_counter() - t0
    result = measure(api)
    result["graphs_built_seconds"] = round(build_s, 2)
    if a.cli:
        result["cli"] = cli_ratio(a.cli)
    for k, v in result.items():
        print(f"{k:52} {v}")
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / f"careers-{cls.name}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
