"""Real SPARQL servers for the tests: Oxigraph's server and OpenLink Virtuoso 7, on loopback, on free ports.

Each is started in a private temporary folder and stopped at the end. When a
server's program is missing the tests that need it skip, saying which one and
how to install it; with the environment variable ``CI`` set, a missing server
fails instead (CI must run them: ``.ci/run`` installs Virtuoso).
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


@dataclass
class Server:
    """A running server: its query endpoint, Graph Store URL, login for writes and the graph to use."""

    name: str
    query: str
    graph_store: str
    graph: str | None
    user: str | None = None
    password: str | None = None
    process: subprocess.Popen | None = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def missing(what: str, how: str):
    """Skip (locally) or fail (with CI set) because the server program *what* is not installed."""
    message = f"{what} is not installed ({how})"
    if os.environ.get("CI"):
        pytest.fail(message + "; CI must run the real servers")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float, log: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise RuntimeError(f"server exited with status {process.returncode}: {text}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"server did not answer {url} within {seconds} s")


def start_oxigraph(folder: Path) -> Server:
    """``oxigraph serve`` (the PyPI ``oxigraph`` package) on a loopback port, data in *folder*."""
    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(exe).exists():
        missing("Oxigraph server (the oxigraph command)", "pip install oxigraph; it is in the test extra")
    port = free_port()
    log = folder / "oxigraph.log"
    proc = subprocess.Popen([exe, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"],
                            stdout=log.open("wb"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base + "/query?query=ASK%7B%7D", proc, 30, log)
    return Server("oxigraph", base + "/query", base + "/store", None, process=proc)


def virtuoso_ini(folder: Path, sql_port: int, http_port: int) -> str:
    """Debian's virtuoso.ini with its database in *folder* and both ports on 127.0.0.1 only."""
    text = VIRTUOSO_INI.read_text(encoding="utf-8", errors="replace")
    text = text.replace("/var/lib/virtuoso-opensource-7/db/", f"{folder}/")
    section = None
    out = []
    for line in text.splitlines():
        m = re.match(r"\s*\[(.+)\]", line)
        if m:
            section = m.group(1)
        if re.match(r"\s*ServerPort\s*=", line) and section in ("Parameters", "HTTPServer"):
            line = f"ServerPort = 127.0.0.1:{sql_port if section == 'Parameters' else http_port}"
        out.append(line)
    return "\n".join(out) + "\n"


def start_virtuoso(folder: Path) -> Server:
    """OpenLink Virtuoso 7 (Debian's virtuoso-opensource) with a private ini in *folder*, on loopback."""
    exe = shutil.which("virtuoso-t")
    if exe is None or not VIRTUOSO_INI.is_file():
        missing("Virtuoso (virtuoso-t)", "apt-get install virtuoso-opensource; .ci/run does this")
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(virtuoso_ini(folder, sql_port, http_port), encoding="utf-8")
    log = folder / "virtuoso.out"
    proc = subprocess.Popen([exe, "+configfile", str(ini), "+foreground"], cwd=folder,
                            stdout=log.open("wb"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http_port}"
    wait_until_up(base + "/sparql?query=ASK%7B%7D", proc, 120, folder / "virtuoso.log")
    # writes need the Digest-authenticated Graph Store; dba/dba is the fresh database's own login
    return Server("virtuoso", base + "/sparql", base + "/sparql-graph-crud-auth", "https://rolegraph.test/ddat",
                  user="dba", password="dba", process=proc)


@contextlib.contextmanager
def asgi_app(app, lifespan: str = "auto"):
    """*app* (an ASGI app) under uvicorn in a thread, on a free loopback port; yields its base URL."""
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan=lifespan))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    try:
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
