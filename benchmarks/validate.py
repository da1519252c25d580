#!/usr/bin/env python3
"""Full validation: ``rolegraph validate`` beside Apache Jena SHACL, as whole processes, same files, same run.

    python benchmarks/validate.py                          # esco (seed 42, 2 of each defect), 2 rounds
    python benchmarks/validate.py --size bundled,medium,esco --defects 0,1,5   # the issue-26 table
    python benchmarks/validate.py --data benchmarks/data --runs 3
    python benchmarks/validate.py --size medium --no-jena

``--size`` and ``--defects`` take comma-separated lists; every (size, defects)
pair is measured in turn and a table at the end gives each one's ratio to Jena
with the load average beside it (the machine may be shared).
The data are made once by ``benchmarks/generate.py`` (or reused: ``--data DIR``
holding ``<size>-s<seed>-d<defects>.ttl``). Size ``bundled`` is the bundled
framework (``data/``; rolegraph reads the folder as ``rolegraph validate``
does); with defects, N of each of the generator's three defects are planted
into a copy of it, written as one Turtle file ``bundled-d<N>.ttl`` (a
requirement without a level, a skill required twice by a level, a level that
drops along a ladder). Each round runs Jena SHACL
(``java -Xmx1g ... shacl.shacl validate``, the ontology and the data as
``--data``, ``ontology/shapes.ttl`` as ``--shapes``) and ``rolegraph --data FILE
validate --format json``, alternating, one process at a time. For each process:
wall time, CPU seconds (user + system, from ``wait4``) and peak RSS; then the
medians, the ratio rolegraph / Jena, and whether the two give the same results
(count by severity, and the same (severity, focus node, constraint component)
triples; blank focus nodes compared as "a blank node"). Jena reads one ``--data``
file, so it gets the ontology and the data joined into one Turtle file (written
before the clock starts). The load average is
printed before and after: the machine may be shared. ``--jena-core`` also times
Jena on the core constraints alone (the shapes without ``sh:sparql``), to see
where its time goes; those results are not compared.

Jena: Debian's ``libapache-jena-java`` (4.5; ``apt-get install libapache-jena-java``)
ships jars only and crashes without a curated classpath (see
``../shared/reference/tech-baseline.md``): the jars of the package and its
dependencies without the log4j bridges, and Xerces' message bundles copied from
``jena-core.jar`` to ``xerces/impl/...`` in a folder first on the classpath.
This script builds that in a temporary folder; without ``java`` or the package
it says so and measures rolegraph alone. Jena is used here only, not in tests.

Results: a table on stdout and ``benchmarks/out/validate-<size>-s<seed>-d<defects>.json`` (one per pair).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT_DIR = HERE / "out"
JAVA_DIR = Path("/usr/share/java")
#: jars left off Jena's classpath: log4j bridges that loop, and extra SLF4J bindings
_DROP = ("log4j-over-slf4j", "slf4j-log4j12", "slf4j-jdk14", "slf4j-jcl", "slf4j-simple", "slf4j-migrator",
         "slf4j-reload4j", "jcl-over-slf4j", "jul-to-slf4j", "maven3-slf4j")
_XERCES = ("org/apache/jena/ext/xerces/impl/msg/", "org/apache/jena/ext/xerces/impl/xpath/regex/")
SH = "http://www.w3.org/ns/shacl#"


def data_file(args, size: str, defects: int) -> list[Path]:
    """The data files of (*size*, *defects*): generated with benchmarks/generate.py unless already in --data;
    ``bundled``: the bundled data folder, or a copy with planted defects (:func:`bundled_with_defects`)."""
    folder = args.data or (HERE / "data")
    if size == "bundled":
        from rolegraph.resources import data_dir

        if not defects:
            return [data_dir()]
        path = folder / f"bundled-d{defects}.ttl"
        if not path.exists():
            folder.mkdir(parents=True, exist_ok=True)
            bundled_with_defects(data_dir(), defects, path)
        return [path]
    name = f"{size}-s{args.seed}" + (f"-d{defects}" if defects else "") + ".ttl"
    path = folder / name
    if not path.exists():
        print(f"generating {path} ...", flush=True)
        subprocess.run([sys.executable, str(HERE / "generate.py"), size, "--seed", str(args.seed),
                        "--defects", str(defects), "--out", str(folder), "--formats", "ttl"], check=True)
    return [path]


LEVELS = ("awareness", "working", "practitioner", "expert")


def bundled_with_defects(folder: Path, defects: int, out: Path) -> None:
    """The bundled data with *defects* of each of the generator's three defects planted, as one Turtle file *out*:
    on distinct ladders (roles in IRI order), a requirement of the second level loses its ``rg:level``, the first
    level requires one of its skills a second time, and the top level requires a skill one level below the level
    before it."""
    from rdflib import RDF, Graph, URIRef

    from rolegraph import namespaces as ns

    g = Graph()
    for f in sorted(folder.rglob("*.ttl")):
        g.parse(f, format="turtle")
    RG = lambda local: URIRef(ns.RG + local)  # noqa: E731
    level = {URIRef(ns.SKILL_LEVEL + name): i for i, name in enumerate(LEVELS)}
    ladders: dict = {}
    for lvl, role in g.subject_objects(RG("ofRole")):
        order = g.value(lvl, RG("order"))
        if order is not None:
            ladders.setdefault(role, []).append((int(order), lvl))

    def reqs(lvl) -> dict:   # skill -> (requirement, its level)
        out = {}
        for r in sorted(g.objects(lvl, RG("requires")), key=str):
            skill, lv = g.value(r, RG("skill")), g.value(r, RG("level"))
            if skill is not None and lv in level:
                out[skill] = (r, lv)
        return out

    todo = ["missing-level", "duplicate", "drop"] * defects
    for role in sorted(ladders, key=str):
        if not todo:
            break
        steps = [lvl for _, lvl in sorted(ladders[role])]
        kind = todo[0]
        if kind == "missing-level" and len(steps) >= 2 and reqs(steps[1]):
            r, lv = next(iter(reqs(steps[1]).values()))
            g.remove((r, RG("level"), lv))
        elif kind == "duplicate" and reqs(steps[0]):
            skill, (r, lv) = next(iter(reqs(steps[0]).items()))
            again = URIRef(str(r) + "--again")
            g.add((steps[0], RG("requires"), again))
            for t in ((again, RDF.type, RG("SkillRequirement")), (again, RG("skill"), skill), (again, RG("level"), lv)):
                g.add(t)
        elif kind == "drop" and len(steps) >= 2:
            top, before = reqs(steps[-1]), reqs(steps[-2])
            shared = [s for s in before if s in top and level[before[s][1]] > 0]
            if not shared:
                continue
            r, lv = top[shared[0]]
            g.remove((r, RG("level"), lv))
            g.add((r, RG("level"), URIRef(ns.SKILL_LEVEL + LEVELS[level[before[shared[0]][1]] - 1])))
        else:
            continue
        todo.pop(0)
    if todo:
        raise SystemExit(f"could not plant {len(todo)} defects into the bundled data")
    g.serialize(destination=str(out), format="turtle")


def _package_jars(package: str) -> list[str]:
    out = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True).stdout.split()
    return [p for p in out if p.startswith(str(JAVA_DIR) + "/") and p.endswith(".jar") and p.count("/") == 4]


def jena_classpath(work: Path) -> str | None:
    """The curated classpath for Debian's Jena SHACL, or None (with a message) when Java or Jena is missing."""
    if shutil.which("java") is None or shutil.which("dpkg") is None or not (JAVA_DIR / "jena-shacl.jar").exists():
        print("Jena SHACL skipped: needs java and Debian's libapache-jena-java "
              "(apt-get install libapache-jena-java)", flush=True)
        return None
    deps = subprocess.run(["apt-cache", "depends", "libapache-jena-java"], capture_output=True, text=True).stdout
    packages = ["libapache-jena-java"] + [line.split()[1] for line in deps.splitlines()
                                          if line.strip().startswith("Depends:")]
    jars = sorted({j for p in packages for j in _package_jars(p)
                   if not any(d in Path(j).name for d in _DROP) and not Path(j).stem[-1].isdigit()})
    bundles = work / "cp"
    with zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as z:
        for name in z.namelist():
            if name.endswith(".properties") and name.startswith(_XERCES):
                target = bundles / "xerces" / name[len("org/apache/jena/ext/xerces/"):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(z.read(name))
    return os.pathsep.join([str(bundles)] + jars)


def core_shapes(path: Path) -> str:
    """The shapes of *path* without their SHACL-SPARQL constraints, as Turtle."""
    from rdflib import Graph, URIRef

    g = Graph().parse(path, format="turtle")
    for _, _, c in list(g.triples((None, URIRef(SH + "sparql"), None))):
        g.remove((None, None, c))
        g.remove((c, None, None))
    g.remove((None, URIRef(SH + "sparql"), None))
    return g.serialize(format="turtle")


def measured(cmd: list[str], out: Path) -> dict:
    """Run *cmd* with stdout to *out*; its wall time, CPU seconds, peak RSS and exit status."""
    with open(out, "wb") as fh:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.PIPE, cwd=ROOT)
        err = proc.stderr.read() if proc.stderr else b""
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
            "exit": proc.returncode, "stderr": err.decode(errors="replace")[-2000:]}


def rolegraph_results(path: Path) -> Counter:
    doc = json.loads(path.read_text())
    return Counter((r["severity"], "_:" if r["focus"].startswith("_:") else r["focus"],
                    r["component"].rsplit("#", 1)[-1]) for r in doc["results"])


def jena_results(path: Path) -> Counter:
    from rdflib import BNode, Graph, URIRef

    g = Graph().parse(path, format="turtle")
    out: Counter = Counter()
    for r in g.objects(None, URIRef(SH + "result")):
        focus = g.value(r, URIRef(SH + "focusNode"))
        out[(str(g.value(r, URIRef(SH + "resultSeverity"))).rsplit("#", 1)[-1],
             "_:" if isinstance(focus, BNode) else str(focus),
             str(g.value(r, URIRef(SH + "sourceConstraintComponent"))).rsplit("#", 1)[-1])] += 1
    return out


def by_severity(results: Counter) -> dict:
    out: Counter = Counter()
    for (severity, _, _), n in results.items():
        out[severity] += n
    return dict(sorted(out.items()))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="esco", help="generator sizes or 'bundled', comma-separated (default esco)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--defects", default="2",
                    help="planted defects of each kind, comma-separated levels such as 0,1,5 (default 2)")
    ap.add_argument("--data", type=Path, help="folder holding (or to receive) the generated files")
    ap.add_argument("--runs", type=int, default=2, help="rounds of (Jena, rolegraph); default 2")
    ap.add_argument("--heap", default="1g", help="Jena's -Xmx (default 1g)")
    ap.add_argument("--no-jena", action="store_true", help="measure rolegraph alone")
    ap.add_argument("--jena-core", action="store_true",
                    help="also time Jena on the core constraints alone (the shapes without sh:sparql)")
    args = ap.parse_args(argv)
    sizes = [s.strip() for s in args.size.split(",") if s.strip()]
    levels = [int(d) for d in args.defects.split(",") if d.strip()]

    work = Path(tempfile.mkdtemp(prefix="rolegraph-validate-bench-"))
    try:
        cp = None if args.no_jena else jena_classpath(work)
        table = []
        for size in sizes:
            for defects in levels:
                report = bench(args, size, defects, cp, work)
                if report is None:
                    return 1
                table.append((size, defects, report))
        print("\nsummary (median wall, rolegraph / Jena, load average before -> after):")
        for size, defects, report in table:
            med, load = report["median"], report["load_average"]
            ratio = report.get("ratio", {})
            jena = (f"Jena {med['jena']['wall']:6.2f} s  ratio {ratio['wall']:.2f}x (CPU {ratio['cpu']:.2f}x)  "
                    if ratio else "")
            print(f"  {size:8s} defects {defects}:  rolegraph {med['rolegraph']['wall']:6.2f} s "
                  f"({med['rolegraph']['rss_mb']:5.0f} MB)  {jena}same results: "
                  f"{'yes' if report.get('same_results', True) else 'NO'}  "
                  f"load {load['before'][0]:.2f} -> {load['after'][0]:.2f}")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def bench(args, size: str, defects: int, cp: str | None, work: Path) -> dict | None:
    """Measure (*size*, *defects*): Jena and rolegraph alternating, *args.runs* rounds; the report (None: failed)."""
    data = data_file(args, size, defects)
    from rolegraph.resources import ontology_files, shapes_file

    files = list(ontology_files())
    for d in data:
        files += sorted(d.rglob("*.ttl")) if d.is_dir() else [d]
    stem = data[0].stem if size != "bundled" or defects else "bundled"
    commands = {"rolegraph": [sys.executable, "-m", "rolegraph", *[a for d in data for a in ("--data", str(d))],
                              "validate", "--format", "json"]}
    if cp:
        # Jena's shacl command reads one --data file (the last one given): the ontology and the data are
        # joined into one Turtle file (the files have no blank node labels or @base; @prefix may repeat)
        joined = work / f"joined-{stem}.ttl"
        with open(joined, "wb") as out:
            for f in files:
                out.write(f.read_bytes() + b"\n")
        java = ["java", f"-Xmx{args.heap}", "-cp", cp, "shacl.shacl", "validate", "--data", str(joined)]
        commands = {"jena": java + ["--shapes", str(shapes_file())], **commands}
        if args.jena_core:
            core = work / "core-shapes.ttl"
            core.write_text(core_shapes(shapes_file()))
            commands["jena-core"] = java + ["--shapes", str(core)]
    load_before = os.getloadavg()
    print(f"{stem} ({size}, defects {defects}); load average before {load_before[0]:.2f} {load_before[1]:.2f} "
          f"{load_before[2]:.2f}", flush=True)
    runs: dict[str, list[dict]] = {k: [] for k in commands}
    results: dict[str, Counter] = {}
    for i in range(args.runs):
        for name, cmd in commands.items():
            out = work / f"{name}-{i}.out"
            m = measured(cmd, out)
            if m["exit"] not in (0, 1):
                print(f"{name} failed (exit {m['exit']}):\n{m['stderr']}", file=sys.stderr)
                return None
            results[name] = (rolegraph_results if name == "rolegraph" else jena_results)(out)
            m.pop("stderr")
            runs[name].append(m)
            print(f"  round {i + 1} {name:9s} wall {m['wall']:6.2f} s  CPU {m['cpu']:6.2f} s  "
                  f"peak RSS {m['rss_mb']:5.0f} MB  {by_severity(results[name])}", flush=True)
    load_after = os.getloadavg()
    summary = {k: {f: statistics.median(m[f] for m in v) for f in ("wall", "cpu", "rss_mb")}
               for k, v in runs.items()}
    report = {"data": stem, "size": size, "defects": defects, "runs": runs, "median": summary,
              "load_average": {"before": load_before, "after": load_after},
              "counts": {k: by_severity(v) for k, v in results.items()}}
    print(f"  medians of {args.runs} (load average after {load_after[0]:.2f} {load_after[1]:.2f} "
          f"{load_after[2]:.2f}):")
    for k, s in summary.items():
        print(f"    {k:9s} wall {s['wall']:6.2f} s  CPU {s['cpu']:6.2f} s  peak RSS {s['rss_mb']:5.0f} MB")
    if "jena" in summary:
        ratio = {f: summary["rolegraph"][f] / summary["jena"][f] for f in ("wall", "cpu")}
        same = results["jena"] == results["rolegraph"]
        report.update(ratio=ratio, same_results=same)
        print(f"    rolegraph / Jena: wall {ratio['wall']:.2f}x, CPU {ratio['cpu']:.2f}x "
              f"(target <= 1x wall, <= 0.5x at ESCO; peak RSS <= 1024 MB)")
        print(f"    same results: {'yes' if same else 'NO'}")
        if not same:
            differ = [k for k in sorted(set(results["jena"]) | set(results["rolegraph"]))
                      if results["jena"][k] != results["rolegraph"][k]]
            for k in differ[:20]:
                print(f"      {k}: Jena {results['jena'][k]}, rolegraph {results['rolegraph'][k]}")
            if len(differ) > 20:
                print(f"      ... and {len(differ) - 20} more")
    OUT_DIR.mkdir(exist_ok=True)
    (OUT_DIR / f"validate-{stem}.json").write_text(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    sys.exit(main())
