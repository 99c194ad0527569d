"""The thread pool for sync functions, lean on the event loop's side.

``loop.run_in_executor`` costs, per call, a ``concurrent.futures.Future``,
its wrapping into an asyncio future, and one wake-up of the loop (a write to
its self-pipe) per result. Under load (benchmarks/bench_load.py: 200 pages
firing events) that hand-off was about a tenth of the loop's time. Here a
call is one queue item and one asyncio future, and results that finish
while the loop is busy come back together: one wake-up for all of them.

Threads start on demand, up to ``max_workers`` (40, Gradio's ``max_threads``),
and are daemons, as ``ThreadPoolExecutor``'s effectively are.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from typing import Any


class FunctionPool:
    """Run sync callables on worker threads; await their results on a loop."""

    def __init__(self, max_workers: int = 40, name: str = "nbdemo-fn"):
        self.max_workers = max_workers
        self.name = name
        self._work: queue.SimpleQueue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._threads = 0
        #: workers waiting for an item no caller has claimed yet
        self._idle = 0
        #: items queued while every worker was busy (the next free worker takes one)
        self._backlog = 0
        #: loop → results waiting to be handed to it, and whether a drain is scheduled
        self._results: dict[asyncio.AbstractEventLoop, list] = {}

    def run(self, fn: Callable[[], Any]) -> asyncio.Future:
        """``fn()`` on a worker thread; a future of the running loop for its result."""
        loop = asyncio.get_running_loop()
        fut = loop.create_future()
        with self._lock:
            start = False
            if self._idle > 0:
                self._idle -= 1  # an idle worker takes this item
            elif self._threads < self.max_workers:
                self._threads += 1
                start = True
            else:
                self._backlog += 1
        self._work.put((loop, fut, fn))
        if start:
            threading.Thread(target=self._worker, name=f"{self.name}-{self._threads}",
                             daemon=True).start()
        return fut

    def _worker(self) -> None:
        while True:
            loop, fut, fn = self._work.get()
            try:
                item = (fut, fn(), None)
            except BaseException as e:  # handed to the awaiting coroutine
                item = (fut, None, e)
            with self._lock:
                pending = self._results.get(loop)
                first = pending is None
                if first:
                    pending = self._results[loop] = []
                pending.append(item)
                if self._backlog > 0:
                    self._backlog -= 1  # this worker goes on with a queued item
                else:
                    self._idle += 1
            if first:
                try:
                    loop.call_soon_threadsafe(self._drain, loop)
                except RuntimeError:  # the loop closed meanwhile: nobody waits
                    with self._lock:
                        self._results.pop(loop, None)
            del loop, fut, fn, item

    def _drain(self, loop) -> None:
        with self._lock:
            items = self._results.pop(loop, [])
        for fut, result, exc in items:
            if fut.cancelled():
                continue
            if exc is not None:
                fut.set_exception(exc)
            else:
                fut.set_result(result)
