#!/usr/bin/env python3
"""rolegraph's benchmark suite: each figure beside its naive baseline, measured in the same run.

    python benchmarks/run.py --size esco           # ~1M triples; a few minutes on 2 cores
    python benchmarks/run.py --size medium --cap 600

Every measured step runs in a fresh Python process (so imports, caches and
memory do not leak between steps); the child reports its wall time for the
timed section and its peak RSS (``resource.getrusage``). Baselines:

* load: ``RoleGraph.load(files)`` (oxigraph) vs rdflib's default parser and
  memory store (``RoleGraph.load(files, backend="rdflib")``, i.e. ``Graph.parse``)
* validation: ``rolegraph.validation.validate`` vs plain ``pyshacl.validate``
  over the same data (an rdflib graph of ontology + data) and the same shapes.
  Plain pyshacl runs each SHACL-SPARQL constraint once per focus node through
  rdflib's engine; it is stopped at ``--cap`` seconds and then reported as a
  lower bound (">"), so its ratio is an upper bound ("<").
* named queries (``rolegraph.queries``): the same text and bindings on the
  oxigraph backend vs the rdflib backend (rdflib's SPARQL engine)
* related moves for every position and one career path (``rolegraph.careers``)
  vs networkx's bipartite projection (``overlap_weighted_projected_graph``,
  Jaccard) and Dijkstra on it, also capped
* read commands on the bundled data as whole processes vs
  ``python -c "import rdflib, networkx, click"`` (1 warm-up, then the median)

Results: a table on stdout, and ``benchmarks/out/<size>-s<seed>.json`` / ``.md``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT_DIR = HERE / "out"

TARGETS = {  # figure -> (limit, unit) on a 2-core machine at ESCO scale
    "load": (3.0, "s"), "moves": (10.0, "s"), "path": (1.0, "s"), "validate": (0.5, "x"), "memory": (1024, "MB"),
    "cli": (2.0, "x"),
}


# =========================================================================== children (one per measured step)

def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


CPU = {}   # process CPU seconds of the last timed section (robust when other processes share the cores)


def _timed(fn):
    c, t = time.process_time(), time.perf_counter()
    value = fn()
    CPU["last"] = time.process_time() - c
    return time.perf_counter() - t, value


def _median_runs(fn, repeat: int) -> tuple[float, float, object]:
    """(cold seconds, median of *repeat* warm runs, last value)."""
    cold, value = _timed(fn)
    warm = [_timed(fn)[0] for _ in range(repeat)]
    return cold, statistics.median(warm) if warm else cold, value


def child_load(a) -> dict:
    from rolegraph.graph import RoleGraph

    secs, g = _timed(lambda: RoleGraph.load([a.data], backend=a.backend))
    return {"seconds": secs, "cpu": CPU["last"], "triples": len(g)}


QUERIES = [  # (named query, parameters) -- parameters filled from the data's sample nodes
    ("level-skills", {"level": "sample.level"}),
    ("top-skills", {"min_roles": 3}),
    ("similar-roles", {"role": "sample.role", "min_shared": 3}),
]


def _query_bindings(params: dict, meta: dict):
    from rolegraph import namespaces as ns
    from rolegraph.store import Iri, Lit

    out = {}
    for k, v in params.items():
        if isinstance(v, int):
            out[k] = Lit(str(v), datatype=ns.XSD + "integer")
        else:
            out[k] = Iri(meta["sample"][v.split(".", 1)[1]])
    return out


def child_queries(a) -> dict:
    from rolegraph import queries
    from rolegraph.graph import RoleGraph

    meta = json.loads(Path(a.meta).read_text())
    load_s, g = _timed(lambda: RoleGraph.load([a.data], backend=a.backend))
    out = {"load_seconds": load_s, "queries": {}}
    for name, params in QUERIES:
        text = queries.get(name).text
        bindings = _query_bindings(params, meta)
        # each query's start, so that a capped run still reports the finished queries and a bound for the rest
        print(json.dumps({"partial": True, "running": name, "timed_since": time.time(), **out}), flush=True)
        cold, warm, rows = _median_runs(lambda: queries.run(g, text, bindings).rows(), a.repeat)
        out["queries"][name] = {"cold": cold, "seconds": warm, "rows": len(rows)}
    out.pop("running", None)
    return out


def child_validate(a) -> dict:
    from rolegraph.graph import RoleGraph
    from rolegraph.validation import validate

    load_s, g = _timed(lambda: RoleGraph.load([a.data]))
    secs, report = _timed(lambda: validate(g))
    return {"seconds": secs, "cpu": CPU["last"], "load_seconds": load_s, "violations": report.count("Violation"),
            "warnings": report.count("Warning")}


def child_pyshacl(a) -> dict:
    import pyshacl
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    from rolegraph import namespaces as ns
    from rolegraph.resources import ontology_files, shapes_file

    def parse():
        data = Graph()
        for f in [*ontology_files(), Path(a.data)]:
            data.parse(f, format="nt" if str(f).endswith(".nt") else "turtle")
        return data

    load_s, data = _timed(parse)
    shapes = Graph().parse(shapes_file(), format="turtle")
    # in case the cap stops us: when the timed section began
    print(json.dumps({"partial": True, "load_seconds": load_s, "timed_since": time.time()}), flush=True)
    secs, (_conforms, report, _text) = _timed(lambda: pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True))
    cpu = CPU["last"]
    SH = ns.SH
    sev = [str(report.value(r, URIRef(SH + "resultSeverity"))).rsplit("#", 1)[-1]
           for r in report.subjects(RDF.type, URIRef(SH + "ValidationResult"))]
    return {"seconds": secs, "cpu": cpu, "load_seconds": load_s, "violations": sev.count("Violation"),
            "warnings": sev.count("Warning")}


def child_moves(a) -> dict:
    """rolegraph.careers: build its graphs and model, related moves from every position, then one path."""
    from rolegraph import careers
    from rolegraph.graph import RoleGraph

    meta = json.loads(Path(a.meta).read_text())
    g = RoleGraph.load([a.data])
    t0, c0 = time.perf_counter(), time.process_time()
    skills_s, B = _timed(lambda: careers.skills_graph(g))
    move_s, M = _timed(lambda: careers.career_model(g))
    pos = careers.positions(B)
    rel_s, moves = _timed(lambda: [careers.related_moves(M, p, 20) for p in pos])
    all_s, all_cpu = time.perf_counter() - t0, time.process_time() - c0
    src, dst = meta["sample"]["path_from"], meta["sample"]["path_to"]
    path_cold, path_warm, found = _median_runs(lambda: careers.path_between(M, src, dst), a.repeat)
    path_cpu = CPU["last"]
    report_s, _ = _timed(lambda: careers.path(g, src, dst))
    return {"seconds": all_s, "cpu": all_cpu, "path_cpu": path_cpu, "skills_graph": skills_s, "move_graph": move_s,
            "related_all": rel_s, "positions": len(pos), "moves_listed": sum(len(m) for m in moves),
            "move_graph_edges": sum(len(careers.successors(M, p, careers.Rules())) for p in pos),
            "path_seconds": path_warm, "path_cold": path_cold,
            "path_report_seconds": report_s, "path_hops": len(found[0]) - 1}


def child_networkx(a) -> dict:
    """The naive way: networkx's Jaccard projection of the position/skill graph, then Dijkstra on it."""
    import networkx as nx
    from networkx.algorithms import bipartite

    from rolegraph.graph import RoleGraph

    meta = json.loads(Path(a.meta).read_text())
    g = RoleGraph.load([a.data])
    pairs = g.select("SELECT ?p ?s WHERE { ?p rg:requires/rg:skill ?s }")   # not timed: extraction
    print(json.dumps({"partial": True, "pairs": len(pairs), "timed_since": time.time()}), flush=True)
    t0 = time.perf_counter()
    Bg = nx.Graph()
    pos = sorted({r["p"] for r in pairs})
    Bg.add_nodes_from(pos, bipartite=0)
    Bg.add_nodes_from({r["s"] for r in pairs}, bipartite=1)
    Bg.add_edges_from((r["p"], r["s"]) for r in pairs)
    P = bipartite.overlap_weighted_projected_graph(Bg, pos, jaccard=True)
    proj_s = time.perf_counter() - t0
    print(json.dumps({"partial": True, "projection_seconds": proj_s, "edges": P.number_of_edges()}), flush=True)
    rel_s, _ = _timed(lambda: [sorted(P[p].items(), key=lambda t: -t[1]["weight"])[:20] for p in pos])
    for u, v, d in P.edges(data=True):
        d["dist"] = 1.0 - d["weight"]
    src, dst = meta["sample"]["path_from"], meta["sample"]["path_to"]
    path_s, found = _timed(lambda: nx.dijkstra_path(P, src, dst, weight="dist"))
    return {"seconds": proj_s + rel_s, "projection_seconds": proj_s, "edges": P.number_of_edges(),
            "positions": len(pos), "path_seconds": path_s, "path_hops": len(found) - 1}


CHILDREN = {"load": child_load, "queries": child_queries, "validate": child_validate, "pyshacl": child_pyshacl,
            "moves": child_moves, "networkx": child_networkx}


def run_child(step: str, data: Path, meta: Path, backend: str = "oxigraph", cap: float | None = None,
              repeat: int = 3, mem_gb: float | None = None) -> dict:
    """Run *step* in a fresh interpreter; its last JSON line, plus peak RSS, or {"capped": True, ...}."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", step, "--data", str(data), "--meta", str(meta),
           "--backend", backend, "--repeat", str(repeat)]
    if mem_gb:
        cmd += ["--mem-gb", str(mem_gb)]
    t = time.perf_counter()
    peak_kb = 0
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT) as p:
        try:
            out, err = p.communicate(timeout=cap)
            rc, capped = p.returncode, False
        except subprocess.TimeoutExpired:
            try:   # the stopped child's peak RSS so far (the kernel's high-water mark)
                status = Path(f"/proc/{p.pid}/status").read_text()
                peak_kb = int(next(x for x in status.splitlines() if x.startswith("VmHWM")).split()[1])
            except (OSError, StopIteration, ValueError):
                pass
            stopped = time.time()
            p.kill()   # only the child this function started
            out, err = p.communicate()
            rc, capped = None, True
    wall = time.perf_counter() - t
    lines = [json.loads(x) for x in out.splitlines() if x.startswith("{")]
    res = {}
    for x in lines:
        res.update(x)
    res.pop("partial", None)
    if not capped:   # the partial progress markers are stale once the child has finished
        res.pop("running", None)
        res.pop("timed_since", None)
    res["process_wall"] = wall
    if capped:
        res.update(capped=True, cap=cap)
        if "timed_since" in res:   # the timed section had run this long when it was stopped
            res["lower_bound"] = stopped - res["timed_since"]
        if peak_kb:
            res["maxrss_mb"] = round(peak_kb / 1024, 1)
    elif rc != 0:
        res.update(error=(err.strip().splitlines() or ["exit %s" % rc])[-1])
    return res


def _child_main(a) -> int:
    if a.mem_gb:   # a hard memory cap, so a runaway baseline fails instead of swapping the machine
        lim = int(a.mem_gb * 1024 ** 3)
        resource.setrlimit(resource.RLIMIT_AS, (lim, lim))
    try:
        res = CHILDREN[a.child](a)
    except MemoryError:
        res = {"error": f"out of memory at the {a.mem_gb} GB cap"}
    res["maxrss_mb"] = round(_maxrss_mb(), 1)
    print(json.dumps(res), flush=True)
    return 0


# =========================================================================== CLI processes

def cli_runs(runs: int, sample: dict) -> dict:
    """Whole-process wall time of read commands on the bundled data vs importing rdflib, networkx, click."""
    exe = Path(sys.executable).parent / "rolegraph"
    base = [sys.executable, "-c", "import rdflib, networkx, click"]
    cmds = {
        "baseline: python -c 'import rdflib, networkx, click'": base,
        "rolegraph --help": [str(exe), "--help"],
        "rolegraph role 'Data engineer'": [str(exe), "role", "Data engineer"],
        "rolegraph query level-skills": [str(exe), "query", "level-skills"],
        "rolegraph path 'Data engineer' 'Head of data engineering'":
            [str(exe), "path", "Data engineer", "Head of data engineering"],
    }
    out = {}
    for name, cmd in cmds.items():
        times, rc = [], 0
        for i in range(runs + 1):   # the first run warms the page cache and .pyc files
            t = time.perf_counter()
            p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
            if i:
                times.append(time.perf_counter() - t)
            rc = rc or p.returncode
        out[name] = {"median": statistics.median(times), "min": min(times), "runs": runs, "exit": rc,
                     "error": (p.stderr.strip().splitlines() or [""])[-1] if rc else None}
    return out


# =========================================================================== report

def machine() -> dict:
    from importlib.metadata import version

    mem = ""
    try:
        mem = next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal"))
        mem = f"{int(mem.split()[1]) / 1024 ** 2:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    cpu = ""
    try:
        cpu = next(x.split(":", 1)[1].strip() for x in Path("/proc/cpuinfo").read_text().splitlines()
                   if x.startswith("model name"))
    except (OSError, StopIteration):
        pass
    pk = {}
    for name in ("rolegraph", "pyoxigraph", "rdflib", "pyshacl", "networkx", "click"):
        try:
            pk[name] = version(name)
        except Exception:
            pk[name] = "?"
    return {"nproc": os.cpu_count(), "memory": mem, "cpu": cpu, "os": platform.platform(),
            "python": platform.python_version(), "packages": pk}


def _s(x) -> str:
    if x is None:
        return "-"
    if x < 0.001:
        return f"{x * 1e6:.0f} µs"
    return f"{x * 1000:.1f} ms" if x < 0.1 else (f"{x:.3f} s" if x < 1 else f"{x:.2f} s")


def _fig(r: dict, key: str = "seconds") -> tuple[float | None, bool]:
    """(value, is a lower bound)"""
    if r.get("capped"):
        return r.get("lower_bound", r["cap"]), True
    return r.get(key), False


def _ratio(ours, base) -> str:
    (v, _), (b, lower) = ours, base
    if v is None or b is None or not b:
        return "-"
    return ("< " if lower else "") + f"{v / b:.2f}x"


def table(res: dict) -> str:
    rows = []
    meta = res["data"]

    def add(what, ours, base, target="", cpu=""):
        (v, lo1), (b, lo2) = ours, base
        rows.append((what, ("> " if lo1 else "") + _s(v), cpu, ("> " if lo2 else "") + _s(b), _ratio(ours, base),
                     target))

    L = res["steps"]
    c = lambda r, k="cpu": _s(r.get(k))  # noqa: E731
    add("load (Turtle)", _fig(L["load_ox"]), _fig(L["load_rdflib"]), "<= 3 s", c(L["load_ox"]))
    if "load_ox_nt" in L:
        add("load (N-Triples)", _fig(L["load_ox_nt"]), _fig(L["load_rdflib_nt"]), "<= 3 s", c(L["load_ox_nt"]))
    qo, qr = L["queries_ox"].get("queries", {}), L["queries_rdflib"].get("queries", {})
    for name in qo:
        if name in qr:
            base = (qr[name]["seconds"], False)
        elif L["queries_rdflib"].get("running") == name:   # stopped by the cap while running this one
            base = (L["queries_rdflib"].get("lower_bound"), True)
        else:
            base = (None, False)
        add(f"query {name} (warm; baseline: 1 warm run)", (qo[name]["seconds"], False), base)
    add("full validation", _fig(L["validate"]), _fig(L["pyshacl"]), "<= 0.5x", c(L["validate"]))
    mv, nx_ = L["moves"], L["networkx"]
    add(f"related moves, all {mv.get('positions', meta['role_levels'])} positions (graphs built)", _fig(mv),
        _fig(nx_), "<= 10 s", c(mv))
    add("one path (move graph built)", _fig(mv, "path_seconds"),
        (None, False) if nx_.get("capped") or nx_.get("error") else _fig(nx_, "path_seconds"), "<= 1 s",
        c(mv, "path_cpu"))
    lines = ["| figure | rolegraph (wall) | rolegraph (CPU) | naive baseline (wall) | ratio | target |",
             "|---|---|---|---|---|---|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    lines += ["", "| process (fresh) | peak RSS | notes |", "|---|---|---|"]
    for k, r in L.items():
        note = f"stopped at the {r['cap']:.0f} s cap" if r.get("capped") else (r.get("error") or "")
        if "violations" in r:
            note += f" {r['violations']} violations, {r['warnings']} warnings found"
        if r.get("load_seconds"):
            note += f"; load before it {_s(r['load_seconds'])} (not in the figure)"
        lines.append(f"| {k} | {r.get('maxrss_mb', '-')} MB | {note} |")
    if res.get("cli"):
        lines += ["", "| command (bundled data, whole process) | median | min | ratio to baseline |",
                  "|---|---|---|---|"]
        base = next(iter(res["cli"].values()))["median"]
        for k, r in res["cli"].items():
            extra = f" (exit {r['exit']}: {r['error']})" if r["exit"] else ""
            lines.append(f"| `{k}` | {r['median'] * 1000:.0f} ms | {r['min'] * 1000:.0f} ms | "
                         f"{r['median'] / base:.2f}x{extra} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="rolegraph benchmarks (see benchmarks/README.md)")
    ap.add_argument("--size", default="esco", help="tiny, small, medium or esco (default esco)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--defects", type=int, default=5, help="planted defects of each kind (default 5)")
    ap.add_argument("--repeat", type=int, default=3, help="warm runs per query/path; the median is shown")
    ap.add_argument("--cap", type=float, default=180, help="seconds after which a baseline is stopped (default 180)")
    ap.add_argument("--mem-cap-gb", type=float, default=8, help="address-space cap for the networkx baseline")
    ap.add_argument("--cli-runs", type=int, default=7, help="runs per CLI command (after one warm-up)")
    ap.add_argument("--nt", action="store_true", help="also time loading the N-Triples file")
    ap.add_argument("--only", default="", help="comma-separated step names to run (default all)")
    # child mode
    ap.add_argument("--child", choices=list(CHILDREN), help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    ap.add_argument("--meta", help=argparse.SUPPRESS)
    ap.add_argument("--backend", default="oxigraph", help=argparse.SUPPRESS)
    ap.add_argument("--mem-gb", type=float, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        return _child_main(a)

    sys.path.insert(0, str(HERE))
    import generate

    stem = generate.stem_for(a.size, a.seed, a.defects)
    ttl, nt, js = (generate.DATA_DIR / f"{stem}.{x}" for x in ("ttl", "nt", "json"))
    gen_s = None
    if not (ttl.is_file() and nt.is_file() and js.is_file()):
        print(f"generating {stem} ...", file=sys.stderr)
        gen_s, _ = _timed(lambda: generate.generate(a.size, a.seed, a.defects))
    meta = json.loads(js.read_text())
    print(f"data: {ttl.relative_to(ROOT)}: {meta['triples']:,} triples, {meta['roles']:,} roles, "
          f"{meta['role_levels']:,} role levels, {meta['skills']:,} skills, {meta['requirements']:,} requirements",
          file=sys.stderr)

    plan = [  # (key, step, file, backend, capped)
        ("load_ox", "load", ttl, "oxigraph", False),
        ("load_rdflib", "load", ttl, "rdflib", True),
        *([("load_ox_nt", "load", nt, "oxigraph", False), ("load_rdflib_nt", "load", nt, "rdflib", True)]
          if a.nt else []),
        ("queries_ox", "queries", ttl, "oxigraph", False),
        ("queries_rdflib", "queries", nt, "rdflib", True),
        ("validate", "validate", ttl, "oxigraph", False),
        ("pyshacl", "pyshacl", nt, "rdflib", True),
        ("moves", "moves", ttl, "oxigraph", False),
        ("networkx", "networkx", ttl, "oxigraph", True),
    ]
    only = set(filter(None, a.only.split(",")))
    steps = {}
    for key, step, f, backend, capped in plan:
        if only and key not in only and step not in only:
            continue
        print(f"  {key} ...", end="", flush=True, file=sys.stderr)
        # the rdflib query baseline takes tens of seconds a query at ESCO scale: one warm run after the cold one
        repeat = 1 if key == "queries_rdflib" else a.repeat
        steps[key] = run_child(step, f, js, backend, cap=a.cap if capped else None, repeat=repeat,
                               mem_gb=a.mem_cap_gb if step == "networkx" else None)
        r = steps[key]
        print(" " + ("stopped at cap" if r.get("capped") else r.get("error") or _s(r.get("seconds"))),
              f"({r.get('maxrss_mb', '?')} MB)", file=sys.stderr)
    cli = None
    if a.cli_runs and (not only or "cli" in only):
        print("  cli ...", file=sys.stderr)
        cli = cli_runs(a.cli_runs, meta["sample"])
    res = {"args": vars(a), "data": meta, "loadavg_after": Path("/proc/loadavg").read_text().split()[:3],
           "generate_seconds": gen_s, "machine": machine(), "steps": steps,
           "cli": cli, "when": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / f"{stem}.json").write_text(json.dumps(res, indent=1))
    text = table(res) if not only else json.dumps(steps, indent=1)
    (OUT_DIR / f"{stem}.md").write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
