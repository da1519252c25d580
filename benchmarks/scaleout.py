#!/usr/bin/env python3
"""Scale-out benchmarks: a store folder and a local Oxigraph server against their baselines, in one run.

    python benchmarks/scaleout.py --size esco        # ~1M triples; generates benchmarks/data/esco-s42-d5.* if missing

Figures (each a ratio against a baseline measured in the same run, whole processes, median of --runs after
one warm-up run that also builds the store's caches):

* ``rolegraph --store DIR load FILE --no-validate`` against pyoxigraph's own bulk load of the same file into a
  new on-disk store (``Store(dir).bulk_load``), both whole processes; target <= 2x;
* ``rolegraph --store DIR role|path|related`` against ``python -c "import rdflib, networkx, click"``; target <= 2x;
* ``rolegraph --endpoint URL role|path|related`` on a local Oxigraph server holding the same data, against the
  same command with ``--store``; target <= 3x.

Results go to benchmarks/out/scaleout-<size>.json (git-ignored) and are printed as a Markdown table.
"""
from __future__ import annotations

import argparse
import json
import os
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


def timed(cmd: list[str], runs: int, warm: int = 1) -> dict:
    """Median wall time of *cmd* as a whole process over *runs* runs, after *warm* unmeasured runs."""
    times = []
    for i in range(warm + runs):
        t = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True, env=ENV)
        if p.returncode:
            raise SystemExit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-2000:]}")
        if i >= warm:
            times.append(time.perf_counter() - t)
    return {"median": statistics.median(times), "min": min(times), "runs": runs}


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
    a = ap.parse_args(argv)

    stem = generate.stem_for(a.size, a.seed, a.defects)
    nt = a.data / f"{stem}.nt"
    summary = a.data / f"{stem}.json"
    if not nt.exists() or not summary.exists():
        generate.generate(a.size, a.seed, a.defects, out=a.data, formats=("nt",))
    meta = json.loads(summary.read_text())
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
        out["baseline"] = timed([py, "-c", "import rdflib, networkx, click"], a.runs)
        for name, args in commands.items():
            t = time.perf_counter()
            subprocess.run([exe, "--store", str(store), *args], capture_output=True, check=True, env=ENV)
            out[f"store {name} first"] = {"median": time.perf_counter() - t, "runs": 1}
            out[f"store {name}"] = timed([exe, "--store", str(store), *args], a.runs, warm=0)

        if a.no_endpoint:
            return report(a, out)
        # a local Oxigraph server holding the same data (its own offline loader)
        db = work / "oxigraph"
        subprocess.run([oxigraph, "load", "--location", str(db), "--file", str(nt)], check=True, capture_output=True)
        port = free_port()
        server = subprocess.Popen([oxigraph, "serve-read-only", "--location", str(db), "--bind", f"127.0.0.1:{port}"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/query"
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2).close()
                break
            except OSError:
                time.sleep(0.1)
        for name, args in commands.items():
            out[f"endpoint {name}"] = timed([exe, "--endpoint", url, *args], a.runs)
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
        rows.append(("load 1M triples: rolegraph --store DIR load --no-validate", out["load"]["median"],
                     "pyoxigraph Store(dir).bulk_load", out["load_baseline"]["median"], 2))
    for name in ("role", "path", "related"):
        rows.append((f"--store {name}", out[f"store {name}"]["median"], "import rdflib, networkx, click",
                     out["baseline"]["median"], 2))
    for name in ("role", "path", "related"):
        if f"endpoint {name}" in out:
            rows.append((f"--endpoint {name} (local Oxigraph server)", out[f"endpoint {name}"]["median"],
                         f"--store {name}", out[f"store {name}"]["median"], 3))
    lines = ["| figure | rolegraph (s) | baseline | baseline (s) | ratio | target | met? |",
             "|---|---|---|---|---|---|---|"]
    for what, ours, base_name, base, target in rows:
        ratio = ours / base
        lines.append(f"| {what} | {ours:.2f} | {base_name} | {base:.2f} | {ratio:.2f}x | <= {target}x | "
                     f"{'yes' if ratio <= target else 'no'} |")
    for name in ("role", "path", "related"):
        when = "after the load, building the cache" if "load" in out else "in this run"
        lines.append(f"| (first --store {name} {when}) | "
                     f"{out[f'store {name} first']['median']:.2f} | | | | | |")
    table = "\n".join(lines)
    print(table)
    (HERE / "out").mkdir(exist_ok=True)
    (HERE / "out" / f"scaleout-{a.size}.json").write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
