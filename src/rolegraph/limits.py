"""Guards for the query engine: limits checked before parsing, and a way to run work that can be stopped.

pyoxigraph's SPARQL parser and planner recurse on the query's structure: 5,000 nested parentheses or
a FILTER of 10,000 ``||`` alternatives overflow the native stack and kill the process (SIGSEGV) with
nothing printed. :func:`check_query` refuses such queries first, with a message saying which limit
was hit and where. :func:`run_isolated` runs a piece of work (a query and the formatting of its
answer) in a forked child process: the parent waits with a deadline, so a time limit can stop it
and Ctrl-C or SIGTERM end it at once (the child is killed), a crash of native code becomes an
error message instead of a dead process, and the child's memory is capped (:data:`MEMORY_HEADROOM`
beyond the loaded graph), so a runaway query stops instead of taking the machine's memory.

>>> check_query("SELECT * WHERE { ?s ?p ?o }")
>>> check_query("ASK {" + "{" * 500 + "}" * 500 + "}")
Traceback (most recent call last):
...
rolegraph.errors.QueryError: the query is nested too deeply (more than 100 levels of brackets, at line 1)
"""
from __future__ import annotations

import faulthandler
import os
import select
import signal
import time
from typing import Any, Callable

from . import cache_codec
from .errors import QueryError, QueryTimeout, RolegraphError
from .store.sparql import tokens

#: the longest query text accepted, in characters
MAX_QUERY_CHARS = 200_000
#: the deepest nesting of (), {} and [] accepted
MAX_NESTING = 100
#: the most operators (||, &&, +, -, *, /, comparisons, path | and /, UNION, MINUS) accepted
MAX_OPERATORS = 2_000

_WORD_OPERATORS = {"UNION", "MINUS"}


def check_query(text: str) -> None:
    """Raise :class:`~rolegraph.errors.QueryError` if *text* is too large, too deeply nested or has too
    many operators for the engine to parse safely. Cheap: one scan, no parsing."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is too large ({len(text):,} characters; the limit is {MAX_QUERY_CHARS:,})")
    opens = text.count("(") + text.count("{") + text.count("[")
    if opens <= MAX_NESTING and len(text) <= MAX_OPERATORS:
        return   # no limit can be reached: skip the scan (most queries; ~40 us saved per query in serve)
    depth = operators = 0
    for m in tokens(text):   # rolegraph's one SPARQL tokenizer: strings, comments, IRIs are single tokens
        kind = m.lastgroup
        if kind == "open":
            depth += 1
            if depth > MAX_NESTING:
                line = text.count("\n", 0, m.start()) + 1
                raise QueryError(f"the query is nested too deeply (more than {MAX_NESTING} levels of brackets, "
                                 f"at line {line})")
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "op" or (kind == "word" and m.group().upper() in _WORD_OPERATORS):
            operators += 1
            if operators > MAX_OPERATORS:
                line = text.count("\n", 0, m.start()) + 1
                raise QueryError(f"the query has too many operators (more than {MAX_OPERATORS:,}, at line {line}): "
                                 "split it, or use VALUES instead of long chains of || or UNION")


#: memory the child may take beyond what the parent already holds, in bytes (a runaway query stops there)
MEMORY_HEADROOM = 4 << 30


def _no_core_dump() -> None:
    """No core file when this process crashes (an engine abort at the memory cap, say): a core of a worker would
    write its memory, the pages and ratings it was answering among it, to disk (Unix; elsewhere nothing)."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (OSError, ValueError, ImportError):
        pass


def _limit_memory(headroom: int) -> None:
    """Cap this process's address space at its current size plus *headroom* (Linux; elsewhere nothing)."""
    try:
        import resource

        with open("/proc/self/statm") as fh:
            size = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        want = size + headroom
        if hard != resource.RLIM_INFINITY:
            want = min(want, hard)
        if soft == resource.RLIM_INFINITY or want < soft:
            resource.setrlimit(resource.RLIMIT_AS, (want, hard))
    except (OSError, ValueError, ImportError):
        pass


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Ask the kernel to SIGKILL this process when its parent dies (Linux ``PR_SET_PDEATHSIG``); if the parent
    is already gone, leave now."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)   # nothing in flight yet: the parent died before the request above took effect


def isolate_child(headroom: int | None, parent: int, ignore_sigint: bool = False) -> None:
    """What every query process does first (the CLI's forked child and ``serve``'s workers alike): die with its
    *parent*, cap its memory at its size now plus *headroom* bytes (None or 0: no cap), leave no core file, print
    no native backtrace (a Rust panic is caught by the caller and reported in one line), and take SIGTERM as a plain
    end. With *ignore_sigint* Ctrl-C is left to the parent (a server, which stops its workers itself)."""
    _die_with_parent(parent)
    os.environ["RUST_BACKTRACE"] = "0"
    os.environ.pop("RUST_LIB_BACKTRACE", None)
    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM)):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN if ignore_sigint else signal.SIG_DFL)
    faulthandler.disable()   # a crash is reported by the parent, in one line
    _no_core_dump()
    if headroom:
        _limit_memory(headroom)


#: the key the child's answer is written under (:mod:`rolegraph.cache_codec`: plain data, never pickle)
_WIRE_KEY = "rolegraph.limits.run_isolated"


def _child(fn: Callable[[], Any], w: int, parent: int) -> None:
    """In the forked child: run *fn*, send ("ok", result) or ("error", kind, exit code, message) up the pipe,
    as plain data (:mod:`rolegraph.cache_codec`), so the parent's reading of it builds data and runs nothing."""
    isolate_child(MEMORY_HEADROOM, parent)
    try:
        payload = cache_codec.encode(("ok", fn()), _WIRE_KEY)
    except RolegraphError as exc:
        payload = cache_codec.encode(("error", type(exc).__name__, exc.exit_code, str(exc)), _WIRE_KEY)
    except RecursionError:
        payload = cache_codec.encode(("error", "QueryError", 2, "the query is nested too deeply to run"), _WIRE_KEY)
    except MemoryError:
        payload = cache_codec.encode(("error", "QueryError", 2, "the query needs more memory than its limit "
                                      f"({MEMORY_HEADROOM / (1 << 30):g} GB beyond the loaded data)"), _WIRE_KEY)
    except BaseException as exc:  # noqa: BLE001 (reported to the parent, which raises it; a Rust panic too)
        payload = cache_codec.encode(("crash", f"{type(exc).__name__}: {exc}"), _WIRE_KEY)
    view = memoryview(payload)
    while view:
        view = view[os.write(w, view[:1 << 20]):]


def run_isolated(fn: Callable[[], Any], timeout: float | None = None, what: str = "the query") -> Any:
    """Run *fn* (which must return plain data: what :mod:`rolegraph.cache_codec` stores) in a forked child
    and return its result.

    Raises :class:`~rolegraph.errors.QueryTimeout` after *timeout* seconds, re-raises the child's
    rolegraph errors (same message and exit code), and turns a crash of the child into a
    :class:`~rolegraph.errors.QueryError`. Ctrl-C and SIGTERM reach the parent at once: the child
    is killed before the exception goes on. Without ``os.fork`` (Windows), *fn* runs here, unlimited.
    """
    if not hasattr(os, "fork"):
        return fn()
    r, w = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:   # the child
        try:
            os.close(r)
            _child(fn, w, parent)
        finally:
            os._exit(0)
    os.close(w)
    deadline = None if timeout is None else time.monotonic() + timeout
    chunks = []
    try:
        while True:
            wait = None if deadline is None else deadline - time.monotonic()
            if wait is not None and wait <= 0:
                raise QueryTimeout(f"{what} took longer than the time limit of {timeout:g} s and was stopped",
                                   "raise it with --timeout")
            ready, _, _ = select.select([r], [], [], wait)
            if ready:
                chunk = os.read(r, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    finally:
        os.close(r)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status) or not chunks:
        sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        if sig == signal.SIGINT:   # Ctrl-C reached the child (same process group) before the parent saw it
            raise KeyboardInterrupt
        name = signal.Signals(sig).name if sig else f"exit {os.WEXITSTATUS(status)}"
        raise QueryError(f"{what} stopped the query engine ({name}); it is probably too large or too complex")
    result = cache_codec.decode(b"".join(chunks), _WIRE_KEY)
    if result[0] == "ok":
        return result[1]
    if result[0] == "crash":
        raise RuntimeError(result[1])
    _, kind, code, message = result
    err = (QueryTimeout if kind == "QueryTimeout" else QueryError)(message)
    err.exit_code = code
    raise err
