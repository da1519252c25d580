#!/usr/bin/env python3
"""Career explorer: server-side time per page on the bundled data, beside the library call it is built on.

    python benchmarks/explorer.py               # 15 warm requests per page; the median is shown
    python benchmarks/explorer.py --repeat 31

Each page is requested through the explorer's ASGI app in-process (routing, library
calls, Jinja rendering; no network), after one warm-up request that builds the graph's
analysis caches, as a running server would have. The baseline in the same run is the
library call the page shows (what ``rolegraph role``/``skill``/``path``/``related``/``report``
compute), so the ratio is the cost of the page around its answer. Target: every page
under 100 ms. Results: a table on stdout and ``benchmarks/out/explorer.json``.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

TARGET_MS = 100.0
CISO, CTO = "Chief information security officer", "Chief technology officer"


def request(app, url: str) -> tuple[int, int]:
    """One GET through the ASGI app; returns (status, body bytes)."""
    parts = urlsplit(url)
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": parts.path, "raw_path": parts.path.encode(), "query_string": parts.query.encode(),
             "root_path": "", "headers": [(b"host", b"127.0.0.1"), (b"accept", b"text/html")],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
    out = {"status": 0, "size": 0}

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            out["status"] = message["status"]
        elif message["type"] == "http.response.body":
            out["size"] += len(message.get("body", b""))

    asyncio.run(app(scope, receive, send))
    return out["status"], out["size"]


def median_ms(fn, repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=15, help="warm requests per page (default 15)")
    a = ap.parse_args(argv)

    from rolegraph import browse, careers, reports
    from rolegraph.explorer import app, search
    from rolegraph.graph import RoleGraph

    g = RoleGraph.load()
    asgi = app(g)
    pages = [  # (page, address, baseline: the library call behind it)
        ("home", "/", lambda: browse.roles(g)),
        ("search", "/?q=chief+tecnology+oficer", lambda: search(g, "chief tecnology oficer")),
        ("role", "/role/data-engineer", lambda: reports.role_report(g, "Data engineer")),
        ("SCS role", "/role/chief-technology-officer", lambda: reports.role_report(g, CTO)),
        ("skill", "/skill/data-modelling", lambda: browse.skill_info(g, "Data modelling")),
        ("path form", "/path", lambda: [e.label for k in ("level", "role") for e in g.entities(k)]),
        ("path", "/path?from=Data+engineer&to=Chief+data+officer&alternatives=2",
         lambda: reports.path_report(g, "Data engineer", "Chief data officer", alternatives=2)),
        ("path (download md)", "/path?from=Data+engineer&to=Chief+data+officer&alternatives=2&format=md",
         lambda: reports.path_report(g, "Data engineer", "Chief data officer", alternatives=2)),
        ("related", "/related?from=Senior+data+engineer", lambda: careers.related(g, "Senior data engineer")),
        ("404", "/role/chief-tecnology-oficer", lambda: search(g, "chief tecnology oficer", limit=8)),
        ("search (grade)", "/?q=G7+data", lambda: search(g, "G7 data")),
        ("level", "/level/senior-data-analyst", lambda: careers.related(g, "Senior data analyst", top=10)),
        ("compare", "/compare?a=Senior+data+analyst&b=Lead+data+scientist",
         lambda: (careers.gap(g, "Senior data analyst", "Lead data scientist"),
                  careers.gap(g, "Lead data scientist", "Senior data analyst"))),
        ("skills A to Z", "/skills", lambda: browse.skills(g)),
        ("roles by grade", "/roles?family=Data&grade=G7", lambda: browse.roles(g, "Data")),
    ]
    rows = []
    for name, url, baseline in pages:
        status, size = request(asgi, url)
        ours = median_ms(lambda: request(asgi, url), a.repeat)
        base = median_ms(baseline, a.repeat)
        rows.append({"page": name, "url": url, "status": status, "bytes": size, "ms": round(ours, 2),
                     "baseline_ms": round(base, 2), "ratio": round(ours / base, 2) if base else None,
                     "target_met": ours < TARGET_MS})
    print(f"{'page':20} {'status':>6} {'ms':>8} {'library ms':>11} {'ratio':>6}  target <{TARGET_MS:.0f} ms")
    for r in rows:
        print(f"{r['page']:20} {r['status']:>6} {r['ms']:>8.1f} {r['baseline_ms']:>11.1f} {r['ratio']:>5}x  "
              f"{'met' if r['target_met'] else 'MISSED'}")
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / "explorer.json").write_text(json.dumps({"python": platform.python_version(), "machine": platform.machine(),
                                                   "repeat": a.repeat, "pages": rows}, indent=2) + "\n")
    return 0 if all(r["target_met"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
