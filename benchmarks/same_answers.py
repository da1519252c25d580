#!/usr/bin/env python3
"""Dump career-path answers, so two versions of the code can be diffed for identical answers (issue 23 speed).

    python benchmarks/same_answers.py bundled OUT [routes]  # every ordered pair of the bundled data
    python benchmarks/same_answers.py store DIR OUT [N]  # N (default 200) random pairs of a store, seed 23,
                                                         # plus a few pairs under other rules
    python benchmarks/same_answers.py compare BEFORE AFTER  # 0 different, 0 missing: the same answers

Run it once with the old code (``PYTHONPATH=<old checkout>/src``) and once with the new, then ``diff``.

*bundled*: for every origin, the recommended route to every position it reaches at the default grade
(``grade_routes_from``, the all-pairs walk of ``benchmarks/careers.py``: one search per origin), and for every
ordered pair the answer of ``path_between`` (one search per pair that stops at the destination): (cost,
states as (position, grade held), kinds, moves, grade changes), or "refused". Both views must agree with the old
code's (a route's states are the same in both).

*store*: the whole public answer of :func:`rolegraph.careers.path` (``to_dict()``: cost, steps, grades, kinds,
skills, years, alternatives) for random pairs, or its error line.
"""
from __future__ import annotations

import json
import random
import sys
import time


def _line(key: object, value: object) -> str:
    return json.dumps([key, value], sort_keys=True, default=str)


def bundled(out, routes_only: bool = False) -> int:
    from rolegraph import careers as C
    from rolegraph.careers.paths import path_between
    from rolegraph.careers.results import Rules
    from rolegraph.errors import AnalysisError
    from rolegraph.graph import RoleGraph

    m = C.career_model(RoleGraph.load())
    pos = sorted(m.positions)
    n = 0
    for a in pos:
        routes = C.grade_routes_from(m, a)
        for b in pos:
            r = routes.get(b)
            if r is not None:
                value = [r.total_cost, list(zip(r.nodes, r.held)), [s.kind for s in r.steps],
                         [s.move for s in r.steps], [s.grade_change for s in r.steps]]
                out.write(_line(["routes", a, b], value) + "\n")
            if a == b or routes_only:
                continue
            try:
                found = path_between(m, a, b, rules=Rules())
                out.write(_line(["path_between", a, b], [list(s) for s in found[0]]) + "\n")
            except AnalysisError as e:
                out.write(_line(["path_between", a, b], "refused: " + str(e)) + "\n")
            n += 1
    return n


def store(folder: str, out, count: int) -> int:
    from rolegraph import careers as C
    from rolegraph.careers.moves import move_table
    from rolegraph.errors import RolegraphError
    from rolegraph.graph import RoleGraph

    g = RoleGraph.open(folder)
    m = C.career_model(g)
    pos = sorted(m.positions)
    rnd = random.Random(23)
    # a third uniformly random (mostly refused: the searches that settle everything), the rest the end of a
    # random walk of 2-8 allowed moves (mostly answered, at every distance)
    asks: list[tuple[str, str, dict]] = [(a, b, {}) for a, b in (rnd.sample(pos, 2) for _ in range(count // 3))]
    table = move_table(g)
    while len(asks) < count:
        a = b = rnd.choice(pos)
        for _ in range(rnd.randint(2, 8)):
            nxt = [x for x, _k, _s in table.moves(b)]
            if not nxt:
                break
            b = rnd.choice(nxt)
        if b != a:
            asks.append((a, b, {}))
    # the integrator's command, and a few under other rules (alternatives: searches with a move banned)
    L = "https://w3id.org/rolegraph/ddat/level/"
    asks.append((L + "trainee-vivio-crebras-consultant", L + "head-of-fetraist-sust-developer", {}))
    asks.append((L + "trainee-vivio-crebras-consultant", L + "head-of-fetraist-sust-developer", {"alternatives": 2}))
    others = [{"alternatives": 2}, {"max_skill_step": 4}, {"max_skill_step": 1}, {"max_grade_step": 2},
              {"allow_reskill_promotion": True}, {"grade": "TOP"}]
    for i, (a, b) in enumerate(rnd.sample(pos, 2) for _ in range(4 * len(others))):
        asks.append((a, b, dict(others[i % len(others)])))
    for a, b, kw in asks:
        if kw.get("grade") == "TOP":
            band = m.bands[a]
            kw["grade"] = m.grade_names[band[1]] if band else None
        try:
            value: object = C.path(g, a, b, **kw).to_dict()
        except RolegraphError as e:
            value = "error: " + str(e)
        out.write(_line([a, b, kw], value) + "\n")
    return len(asks)


def compare(before: str, after: str) -> int:
    """Differences between two dumps; a ``path_between`` answer the old dump lacks (``bundled OUT routes``) is
    compared with the old route to that position: the plain search stops once the destination is settled, and
    what it settled never changes after, so its ``path_between`` is the route of the search from the origin."""
    def read(name: str) -> dict:
        with open(name, encoding="utf-8") as fh:
            return {json.dumps(k): v for k, v in (json.loads(line) for line in fh)}

    old, new = read(before), read(after)
    diffs = [k for k in sorted(set(old) | set(new)) if k in old and k in new and old[k] != new[k]]
    missing = [k for k in old if k not in new]
    derived = 0
    for k, v in new.items():
        kind, *rest = json.loads(k)
        if k in old or kind != "path_between":
            continue
        route = old.get(json.dumps(["routes", *rest]))
        want = "refused" if route is None else [list(s) for s in route[1]]
        if (want == "refused") != isinstance(v, str) or want != "refused" and want != v:
            diffs.append(k)
        derived += 1
    extra = [k for k in new if k not in old and not json.loads(k)[0] == "path_between"]
    for k in (diffs + missing + extra)[:20]:
        print("differs:", k, file=sys.stderr)
    print(f"{len(new)} answers compared ({derived} path_between answers against the old route): "
          f"{len(diffs)} different, {len(missing)} missing, {len(extra)} extra")
    return 1 if diffs or missing or extra else 0


def main(argv: list[str]) -> int:
    t = time.perf_counter()
    if len(argv) in (2, 3) and argv[0] == "bundled":
        with open(argv[1], "w", encoding="utf-8") as out:
            n = bundled(out, argv[2:] == ["routes"])
    elif len(argv) == 3 and argv[0] == "compare":
        return compare(argv[1], argv[2])
    elif len(argv) in (3, 4) and argv[0] == "store":
        with open(argv[2], "w", encoding="utf-8") as out:
            n = store(argv[1], out, int(argv[3]) if len(argv) == 4 else 200)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    import rolegraph

    print(f"{n} answers from {rolegraph.__file__} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
