"""Queries answered inside the serving process (``rolegraph serve --processes N``), one at a time, no worker hop.

The policy with ``--processes N`` (see :mod:`.supervisor`, which starts and replaces the processes):

* N server processes share the listening socket; the kernel hands each new connection to one of them. Each
  holds its own copy of the graph and runs one query at a time in its own query thread (the engine releases
  the GIL, so the event loop keeps reading requests and sending answers meanwhile). Requests for that process
  wait in the same bounded FIFO queue as with workers (``queue``, ``queue_wait``: **503 with Retry-After**).
* A query that runs longer than ``timeout`` gets **503 with Retry-After**; a thread cannot be stopped, so the
  process then answers every request still waiting in it with 503 and Retry-After, and exits; the supervisor
  starts a fresh one. The other processes keep answering throughout; clients whose keep-alive connection
  was on the stopped process reconnect and land on another.
* The whole process's address space is capped (``memory_mb`` above what it holds after loading). A query
  that needs more gets a 500 and the process is replaced the same way when Python sees the failure; when the
  engine's own allocation fails it aborts the process at once, the client's connection closes without an
  answer, and the supervisor starts a fresh process. Either way memory stays bounded and the other processes
  keep answering; only the worker mode (the default) turns every such case into a clear 500.
* Answers are capped at ``max_result_bytes`` exactly as in the workers (:func:`.workers.execute`).

Compared with ``--workers`` (the default: one server process handing each query to a worker process over a
socket), this saves the hop (pickling, two socket round trips, a process wake-up) on every query, at the
price of coarser isolation: a runaway query also drops the idle keep-alive connections of its process.
"""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

from .workers import Answer, Job, Limits, Slots, execute

STOPPED = object()   # put in the queue once no query thread is left: every waiter gets 503


class InlinePool(Slots):
    """``limits.workers`` query threads in this process behind the bounded FIFO queue (see the module docstring)."""

    def __init__(self, graph, limits: Limits = Limits(), on_stuck: Callable[[], None] = lambda: None):
        super().__init__(limits)
        self.graph, self.on_stuck = graph, on_stuck
        self.triples = len(graph)
        self.threads: list[ThreadPoolExecutor] = []
        self.live = 0
        self.stopped = False

    async def start(self) -> None:
        for i in range(max(1, self.limits.workers)):
            thread = ThreadPoolExecutor(1, thread_name_prefix=f"rolegraph-query-{i}")
            self.threads.append(thread)
            self.idle.put_nowait(thread)
        self.live = len(self.threads)

    def _lose(self) -> None:
        """A query thread is stuck (or the memory cap was hit): retire this process (see the module docstring)."""
        self.live -= 1
        if self.live <= 0:
            self.idle.put_nowait(STOPPED)
        if not self.stopped:
            self.stopped = True
            self.on_stuck()

    def _lose_unless_done(self, future) -> None:
        if not future.done():
            self._lose()

    async def run(self, job: Job) -> Answer:
        """*job*'s answer from a query thread (503 with Retry-After when saturated, too slow or stopping)."""
        slot = await self.acquire()
        if isinstance(slot, Answer):
            return slot
        if slot is STOPPED:
            self.idle.put_nowait(STOPPED)   # for the next waiter
            return self.busy()
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(slot, execute, self.graph, job, self.limits.max_result_bytes)
        try:
            async with asyncio.timeout(self.limits.timeout):
                answer = await asyncio.shield(future)
        except TimeoutError:
            self._lose()
            return self.timed_out()
        except MemoryError:
            answer = Answer(500, b"MemoryError")
        except asyncio.CancelledError:   # the client went away: the slot frees when the query ends, or is lost
            future.add_done_callback(lambda _: self.idle.put_nowait(slot))
            loop.call_later(self.limits.timeout, self._lose_unless_done, future)
            raise
        self.idle.put_nowait(slot)
        if answer.status == 500 and b"MemoryError" in answer.body:   # the process may be short of memory now
            if not self.stopped:
                self.stopped = True
                self.on_stuck()
            return Answer.error(500, f"the query needed more than the {self.limits.memory_mb} MB memory limit")
        return answer

    async def close(self) -> None:
        for thread in self.threads:
            thread.shutdown(wait=False, cancel_futures=True)
