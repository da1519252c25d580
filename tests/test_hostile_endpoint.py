"""A hostile --endpoint (issue 21 item 7): every answer bounded in time, size and pages, no entity expansion,
no redirect to another origin or one that drops the query. Each case is a fake server on 127.0.0.1."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from rolegraph.errors import QueryError
from rolegraph.store import remote
from rolegraph.store.remote import RemoteBackend

ROW = {"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri", "value": "urn:a"}}]}}


class Hostile(BaseHTTPRequestHandler):
    """Answers by the server's ``mode`` (see the tests); counts requests in ``server.hits``."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        self.do_POST()

    def do_POST(self):
        server = self.server
        server.hits += 1  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        server.bodies.append(self.rfile.read(length))  # type: ignore[attr-defined]
        mode = server.mode  # type: ignore[attr-defined]
        try:
            getattr(self, "answer_" + mode)()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send(self, body: bytes, ctype: str = remote.JSON_RESULTS, **headers: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        self.wfile.write(body)

    def answer_ok(self):
        self._send(json.dumps(ROW).encode())

    def answer_big(self):  # no Content-Length: the size is only known by reading
        self.send_response(200)
        self.send_header("Content-Type", remote.JSON_RESULTS)
        self.send_header("Connection", "close")
        self.end_headers()
        chunk = b" " * (1 << 20)
        for _ in range(64):
            self.wfile.write(chunk)

    def answer_big_declared(self):
        self.send_response(200)
        self.send_header("Content-Type", remote.JSON_RESULTS)
        self.send_header("Content-Length", str(400 << 20))
        self.end_headers()
        self.wfile.write(b" " * (1 << 20))

    def answer_short(self):  # promises more than it sends, then closes
        self.send_response(200)
        self.send_header("Content-Type", "application/n-triples")
        self.send_header("Content-Length", "100000")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(b"<urn:a> <urn:p> <urn:b> .\n")
        self.close_connection = True

    def answer_drip(self):  # the headers at once, then a byte every 0.1 s, for ever
        self.send_response(200)
        self.send_header("Content-Type", remote.JSON_RESULTS)
        self.send_header("Content-Length", "1000000")
        self.end_headers()
        self._drip()

    def answer_header_drip(self):  # even the status line comes a byte at a time
        for byte in b"HTTP/1.1 200 OK\r\nX-Padding: " + b"a" * 100000:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(0.05)

    def _drip(self):
        for _ in range(10000):
            self.wfile.write(b" ")
            self.wfile.flush()
            time.sleep(0.1)

    def answer_maxrows(self):
        self._send(json.dumps(ROW).encode(), X_SPARQL_MaxRows="1")

    def answer_bomb(self):
        body = (b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
                + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&%s;" % bytes([97 + i])) * 10)
                           for i in range(8))
                + b']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                  b'xmlns:ex="http://example.org/"><rdf:Description rdf:about="urn:a">'
                  b'<ex:p>&i;</ex:p></rdf:Description></rdf:RDF>')
        self._send(body, "application/rdf+xml")

    def answer_redirect_away(self):
        self.send_response(302)
        self.send_header("Location", self.server.elsewhere + "/sparql")  # type: ignore[attr-defined]
        self.send_header("Content-Length", "0")
        self.end_headers()

    def answer_redirect_here(self):
        self.send_response(302 if self.command == "POST" else 200)
        if self.command == "POST":
            self.send_header("Location", "/other")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:  # what a dropped query gets: an answer to no query at all
            self.answer_ok()


def _serve(mode: str) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    server.daemon_threads = True
    server.mode, server.hits, server.bodies = mode, 0, []  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def hostile():
    started: list[ThreadingHTTPServer] = []

    def start(mode: str) -> tuple[ThreadingHTTPServer, str]:
        server = _serve(mode)
        started.append(server)
        return server, f"http://127.0.0.1:{server.server_address[1]}/sparql"

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


def _refused(backend: RemoteBackend, query: str, *fragments: str, within: float) -> str:
    start = time.monotonic()
    with pytest.raises(QueryError) as info:
        backend.query(query)
    took = time.monotonic() - start
    message = str(info.value)
    assert took < within, f"took {took:.1f} s"
    assert message.startswith(backend.endpoint) and "\n" not in message
    for f in fragments:
        assert f in message
    return message


def test_a_sane_server_still_answers(hostile):
    _, url = hostile("ok")
    assert RemoteBackend(url).select("SELECT ?s WHERE { ?s ?p ?o }") == [{"s": "urn:a"}]


def test_a_huge_answer_is_cut_at_the_byte_cap(hostile, monkeypatch):
    monkeypatch.setenv(remote.MAX_BYTES_ENV, str(4 << 20))
    for mode in ("big", "big_declared"):
        _, url = hostile(mode)
        _refused(RemoteBackend(url), "SELECT * WHERE { ?s ?p ?o }", "larger than 4 MiB", remote.MAX_BYTES_ENV,
                 within=10)
    assert remote.max_answer_bytes() == 4 << 20
    monkeypatch.delenv(remote.MAX_BYTES_ENV)
    assert remote.max_answer_bytes() == remote.MAX_ANSWER_BYTES


@pytest.mark.parametrize("mode", ["drip", "header_drip"])
def test_a_slow_drip_is_stopped_at_the_timeout(hostile, mode):
    _, url = hostile(mode)
    _refused(RemoteBackend(url, timeout=1.0), "SELECT * WHERE { ?s ?p ?o }", "no answer within 1 s",
             within=4)


def test_a_row_cap_of_one_does_not_page_for_ever(hostile, monkeypatch):
    monkeypatch.setattr(remote, "MAX_PAGES", 25)
    server, url = hostile("maxrows")
    _refused(RemoteBackend(url), "SELECT ?s WHERE { ?s ?p ?o }", "25 pages", "cap on pages", within=20)
    assert server.hits == 26  # the first answer, then at most MAX_PAGES pages


def test_an_answer_cut_short_is_not_taken_for_the_whole(hostile):
    _, url = hostile("short")
    _refused(RemoteBackend(url), "CONSTRUCT WHERE { ?s ?p ?o }", "cut short", "of 100000 bytes", within=5)


def test_an_entity_bomb_is_refused_unexpanded(hostile):
    _, url = hostile("bomb")
    _refused(RemoteBackend(url), "CONSTRUCT WHERE { ?s ?p ?o }", "entities", "refused", within=5)


def test_a_redirect_to_another_origin_is_not_followed(hostile):
    elsewhere, other = hostile("ok")
    server, url = hostile("redirect_away")
    server.elsewhere = other.rsplit("/", 1)[0]  # type: ignore[attr-defined]
    _refused(RemoteBackend(url), "SELECT ?s WHERE { ?s ?p ?o }", "another origin", "not followed", within=5)
    assert elsewhere.hits == 0  # nothing was sent there


def test_a_redirect_that_would_drop_the_query_is_not_followed(hostile):
    server, url = hostile("redirect_here")
    _refused(RemoteBackend(url), "SELECT ?s WHERE { ?s ?p ?o }", "HTTP 302", "query would be dropped", within=5)
    assert server.hits == 1


def test_the_cli_prints_one_error_line(hostile, cli):
    _, url = hostile("drip")
    start = time.monotonic()
    result = cli("--endpoint", url, "--timeout", "1", "roles")
    assert time.monotonic() - start < 10
    assert result.exit_code == 2 and result.stdout == ""
    err = result.stderr.strip()
    assert err.startswith(f"Error: {url}: no answer within 1 s") and "\n" not in err
