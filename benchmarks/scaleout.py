#!/usr/bin/env python3
"""Scale-out benchmarks: a store folder and a local Oxigraph server against their baselines, in one run.

    python benchmarks/scaleout.py --size esco        # ~1M triples; generates benchmarks/data/esco-s42-d5.* if missing

Figures (each a ratio against a baseline measured in the same run, whole processes, median of --runs after
one warm-up run that also builds the store's caches):

* ``rolegraph --store DIR load FILE --no-validate`` against pyoxigraph's own bulk load of the same file into a
  new on-disk store (``Store(dir).bulk_load``), both whole processes; target <= 2x;
* ``rolegraph --store DIR role|path|related`` against ``python -c "import rdflib, networkx, click"``; target <= 2x;
* ``rolegraph --endpoint URL role|path|related`` on a local Oxigraph server holding the same data (published to it
  from the store with ``rolegraph publish``, so stamped), against the same command with ``--store``; target <= 3x.
  Store and endpoint runs are interleaved, each command's first run (which builds the caches) is recorded apart
  and not in the median, and CPU seconds (user + system of the timed process) are recorded beside wall time.
  Then the stamp is removed and each ``--endpoint`` command runs ``--before-runs`` times more, unstamped: every
  process builds its indexes from the server again, as all did before the stamp (``--before-src DIR`` runs
  that part with the rolegraph package found in DIR, e.g. an older checkout's ``src``).

    python benchmarks/scaleout.py --size esco --data /tmp/esco --store /tmp/esco-store --runs 5

Results go to benchmarks/out/scaleout-<size>.json (git-ignored) and are printed as a Markdown table.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

#: the environment of every timed process: Python may keep the .pyc files it compiles, as an installed rolegraph
#: has them (with PYTHONDONTWRITEBYTECODE set, an editable install recompiles rolegraph in every process while
#: the baseline's libraries have their .pyc from pip)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(cmd: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds user + system, stdout) of *cmd* as a whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env or ENV)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode:
        raise SystemExit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), p.stdout


def summary(walls: list[float], cpus: list[float]) -> dict:
    return {"median": statistics.median(walls), "min": min(walls), "cpu": statistics.median(cpus),
            "runs": len(walls)}


def timed(cmd: list[str], runs: int, warm: int = 1, env: dict | None = None) -> dict:
    """Median wall and CPU time of *cmd* as a whole process over *runs* runs, after *warm* unmeasured runs."""
    walls, cpus = [], []
    for i in range(warm + runs):
        wall, cpu, _ = run_once(cmd, env)
        if i >= warm:
            walls.append(wall)
            cpus.append(cpu)
    return summary(walls, cpus)


def interleaved(cmds: dict[str, list[str]], runs: int, env: dict | None = None) -> dict[str, dict]:
    """Each command of *cmds* run once (its first run, recorded as ``first``; it builds any cache), then *runs*
    rounds running every command once in turn; medians per command. Outputs of commands named ``store X`` and
    ``endpoint X`` must be identical."""
    walls: dict[str, list[float]] = {n: [] for n in cmds}
    cpus: dict[str, list[float]] = {n: [] for n in cmds}
    first, outputs = {}, {}
    for name, cmd in cmds.items():
        wall, cpu, outputs[name] = run_once(cmd, env)
        first[name] = {"median": wall, "cpu": cpu, "runs": 1}
    for _ in range(runs):
        for name, cmd in cmds.items():
            wall, cpu, _ = run_once(cmd, env)
            walls[name].append(wall)
            cpus[name].append(cpu)
    for name in cmds:
        if name.startswith("endpoint ") and outputs[name] != outputs.get("store " + name.split(" ", 1)[1]):
            raise SystemExit(f"{name}: the answer differs from --store's")
    out = {}
    for name in cmds:
        out[name] = summary(walls[name], cpus[name])
        out[f"{name} first"] = first[name]
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="esco", help="tiny, small, medium or esco (default esco)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--defects", type=int, default=5)
    ap.add_argument("--runs", type=int, default=3, help="measured runs per command (default 3)")
    ap.add_argument("--data", type=Path, default=generate.DATA_DIR,
                    help="folder of the generated data, kept between runs (default benchmarks/data)")
    ap.add_argument("--store", type=Path, help="time the commands on this store folder, already loaded with the "
                    "same data (by `rolegraph --store DIR load FILE --no-validate`), instead of loading a new one; "
                    "no load figure")
    ap.add_argument("--no-endpoint", action="store_true", help="skip the local Oxigraph server figures")
    ap.add_argument("--before-runs", type=int, default=1,
                    help="runs of each --endpoint command without the stamp (default 1; 0 skips them)")
    ap.add_argument("--before-src", type=Path, help="run the unstamped --endpoint commands with the rolegraph "
                    "package in this folder (PYTHONPATH), e.g. an older checkout's src")
    a = ap.parse_args(argv)

    stem = generate.stem_for(a.size, a.seed, a.defects)
    nt = a.data / f"{stem}.nt"
    summary_file = a.data / f"{stem}.json"
    if not nt.exists() or not summary_file.exists():
        generate.generate(a.size, a.seed, a.defects, out=a.data, formats=("nt",))
    meta = json.loads(summary_file.read_text())
    sample = meta["sample"]
    py = sys.executable
    exe = str(Path(py).parent / "rolegraph")
    oxigraph = shutil.which("oxigraph") or str(Path(py).parent / "oxigraph")
    work = Path(tempfile.mkdtemp(prefix="rolegraph-scaleout-"))
    out: dict = {"size": a.size, "triples": meta["triples"], "runs": a.runs}
    server = None
    try:
        # load: rolegraph's store load vs pyoxigraph's own bulk load, whole processes, one run each
        bulk = ("import sys, pyoxigraph as ox; s = ox.Store(sys.argv[1]); "
                "s.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_TRIPLES); s.flush(); print(len(s))")
        if a.store is None:
            out["load_baseline"] = timed([py, "-c", bulk, str(work / "bulk"), str(nt)], 1, warm=0)
            store = work / "store"
            out["load"] = timed([exe, "--store", str(store), "load", str(nt), "--no-validate"], 1, warm=0)
        else:
            store = a.store

        commands = {
            "role": ["role", sample["role"]],
            "path": ["path", sample["path_from"], sample["path_to"]],
            "related": ["related", sample["level"]],
        }
        out["load average"] = [os.getloadavg()]
        if a.no_endpoint:
            out["baseline"] = timed([py, "-c", "import rdflib, networkx, click"], a.runs)
            out.update(interleaved({f"store {n}": [exe, "--store", str(store), *args]
                                    for n, args in commands.items()}, a.runs))
            out["load average"].append(os.getloadavg())
            return report(a, out)
        # a local Oxigraph server holding the same data: published from the store by rolegraph (so stamped)
        port = free_port()
        server = subprocess.Popen([oxigraph, "serve", "--location", str(work / "oxigraph"), "--bind",
                                   f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/query"
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2).close()
                break
            except OSError:
                time.sleep(0.1)
        env = {**ENV, "ROLEGRAPH_CACHE_DIR": str(work / "cache")}  # a new cache: the first runs build it
        graph_store = f"http://127.0.0.1:{port}/store"
        out["publish"] = timed([exe, "--store", str(store), "--endpoint", url, "publish", "--graph-store",
                                graph_store], 1, warm=0, env=env)
        cmds = {"import": [py, "-c", "import rdflib, networkx, click"]}
        for name, args in commands.items():
            cmds[f"store {name}"] = [exe, "--store", str(store), *args]
            cmds[f"endpoint {name}"] = [exe, "--endpoint", url, *args]
        out.update(interleaved(cmds, a.runs, env))
        out["baseline"] = out.pop("import")
        del out["import first"]
        if a.before_runs:  # without the stamp: every process builds its indexes from the server (as before)
            from rolegraph.store.stamp import stamp_graph

            urllib.request.urlopen(urllib.request.Request(f"{graph_store}?graph={stamp_graph(None)}",
                                                          method="DELETE"), timeout=60).close()
            before_env = env
            run = [exe]
            if a.before_src:
                before_env = {**env, "PYTHONPATH": str(a.before_src.resolve())}
                run = [py, "-m", "rolegraph"]
            for name, args in commands.items():
                out[f"endpoint {name} unstamped"] = timed([*run, "--endpoint", url, *args], a.before_runs, warm=0,
                                                          env=before_env)
        out["load average"].append(os.getloadavg())
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)
        shutil.rmtree(work, ignore_errors=True)

    return report(a, out)


def report(a: argparse.Namespace, out: dict) -> int:
    """Print the figures of *out* as a Markdown table and keep them in benchmarks/out/."""
    rows = []
    if "load" in out:
        rows.append(("load 1M triples: rolegraph --store DIR load --no-validate", out["load"],
                     "pyoxigraph Store(dir).bulk_load", out["load_baseline"], 2))
    for name in ("role", "path", "related"):
        rows.append((f"--store {name}", out[f"store {name}"], "import rdflib, networkx, click", out["baseline"], 2))
    for name in ("role", "path", "related"):
        if f"endpoint {name}" in out:
            rows.append((f"--endpoint {name} (local Oxigraph server, stamped)", out[f"endpoint {name}"],
                         f"--store {name}", out[f"store {name}"], 3))
    for name in ("role", "path", "related"):
        if f"endpoint {name} unstamped" in out:
            rows.append((f"--endpoint {name}, unstamped (as before)", out[f"endpoint {name} unstamped"],
                         f"--store {name}", out[f"store {name}"], 3))
    lines = ["| figure | rolegraph (s) | CPU (s) | baseline | baseline (s) | ratio | target | met? |",
             "|---|---|---|---|---|---|---|---|"]
    for what, ours, base_name, base, target in rows:
        ratio = ours["median"] / base["median"]
        lines.append(f"| {what} | {ours['median']:.2f} | {ours.get('cpu', float('nan')):.2f} | {base_name} | "
                     f"{base['median']:.2f} | {ratio:.2f}x | <= {target}x | {'yes' if ratio <= target else 'no'} |")
    for key in [k for k in out if k.endswith(" first")] + (["publish"] if "publish" in out else []):
        what = f"({key.replace(' first', '')}: first run, building its caches)" if key.endswith(" first") else \
            "(rolegraph publish of the store to the server, 50,000 triples a request)"
        lines.append(f"| {what} | {out[key]['median']:.2f} | {out[key].get('cpu', float('nan')):.2f} | | | | | |")
    loads = out.get("load average", [])
    table = "\n".join(lines) + ("\n\nload average (1, 5, 15 min) at start and end: " +
                                 " / ".join(", ".join(f"{x:.2f}" for x in la) for la in loads) if loads else "")
    print(table)
    (HERE / "out").mkdir(exist_ok=True)
    (HERE / "out" / f"scaleout-{a.size}.json").write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
