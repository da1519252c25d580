#!/usr/bin/env python3
"""A warm ``rolegraph path`` on an ESCO-scale store as a whole process, beside the floor, in the same run (issue 23).

    python benchmarks/generate.py esco ...                  # an ESCO-scale store, loaded (its caches prepared)
    python benchmarks/esco_path.py STORE [RUNS]             # this checkout
    python benchmarks/esco_path.py STORE RUNS OLD_SRC OLD_STORE   # and an old checkout's src/ on its own copy
                                                            # of the store (cache keys include the code)
    python benchmarks/esco_path.py bundled RUNS [OLD_SRC bundled]  # the bundled data, no store (target: 2x):
                                                            # from an apprentice developer to the CTO

Each round runs the floor (``python -c "import rdflib, networkx, click"``), then the command with each code
version, so a busy machine slows them alike; it prints the median wall and CPU (user + sys of the child) seconds
and the ratios to the floor's (target: CPU <= 2.5x). One warm-up run of each first (it builds what a changed
code needs, once). The command: from a trainee consultant to the head of a developer role, 8 steps.
"""
from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time

FROM = "https://w3id.org/rolegraph/ddat/level/trainee-vivio-crebras-consultant"
TO = "https://w3id.org/rolegraph/ddat/level/head-of-fetraist-sust-developer"
TARGET = 2.5
#: the bundled data's command (benchmarks/careers.py --cli times it too) and its target
BUNDLED = ["path", "Apprentice developer", "Chief technology officer"]
BUNDLED_TARGET = 2.0


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=True, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2, 4):
        print(__doc__, file=sys.stderr)
        return 2
    runs = int(argv[1]) if len(argv) > 1 else 5
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    cases = {"floor": ([sys.executable, "-c", "import rdflib, networkx, click"], env)}
    exe, path = [sys.executable, "-m", "rolegraph", "--store"], ["path", FROM, TO]

    def command(store: str) -> list[str]:
        return exe[:3] + BUNDLED if store == "bundled" else exe + [store] + path

    if len(argv) == 4:
        cases["before"] = (command(argv[3]), dict(env, PYTHONPATH=argv[2]))
    cases["after" if len(argv) == 4 else "path"] = (command(argv[0]), env)
    for cmd, e in cases.values():
        _run(cmd, e)   # warm-up
    times: dict[str, list[tuple[float, float]]] = {k: [] for k in cases}
    for _ in range(runs):
        for name, (cmd, e) in cases.items():
            times[name].append(_run(cmd, e))
    floor = [statistics.median(x[i] for x in times["floor"]) for i in (0, 1)]
    for name, got in times.items():
        wall, cpu = (statistics.median(x[i] for x in got) for i in (0, 1))
        print(f"{name:7} wall {wall:6.2f} s ({wall / floor[0]:4.1f}x)  cpu {cpu:6.2f} s ({cpu / floor[1]:4.1f}x)"
              f"  runs (wall/cpu): " + " ".join(f"{w:.2f}/{c:.2f}" for w, c in got))
    print(f"target: cpu <= {BUNDLED_TARGET if argv[0] == 'bundled' else TARGET}x the floor's")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
