"""The queue: concurrency limits per ``concurrency_id``, queue positions, ETA.

Gradio's names and semantics: a listener's ``concurrency_limit`` bounds how
many of its runs process at once, across all sessions; listeners that share
a ``concurrency_id`` share one limit; ``Blocks.queue(max_size=)`` bounds how
many runs may wait (a full queue refuses new runs). A run that waits is
"queued" with its ``rank`` (0 = next) in its group, the group's
``queue_size`` and an ``eta`` in seconds from the listener's recent run
times. nbdemo's default is no limit, so nothing waits unless asked.
"""

from __future__ import annotations

import asyncio
from collections import deque

#: how many recent run times make a listener's average (for the ETA)
HISTORY = 20


class QueueFull(Exception):
    """The queue already holds ``max_size`` waiting runs."""


class Group:
    """Runs that share one concurrency limit."""

    def __init__(self, limit: int | None):
        self.limit = limit
        self.active = 0
        self.waiting: deque = deque()  # (run, future)


class Queue:
    """The queue of one demo (shared by every session and front door)."""

    def __init__(self):
        self.groups: dict[str, Group] = {}
        #: fn_index → recent processing times (seconds)
        self.times: dict[int, deque] = {}

    def waiting(self) -> int:
        return sum(len(g.waiting) for g in self.groups.values())

    def average(self, fn_index: int) -> float | None:
        t = self.times.get(fn_index)
        return sum(t) / len(t) if t else None

    def record(self, fn_index: int, seconds: float) -> None:
        self.times.setdefault(fn_index, deque(maxlen=HISTORY)).append(seconds)

    def group(self, key: str, limit: int | None) -> Group:
        g = self.groups.get(key)
        if g is None:
            g = self.groups[key] = Group(limit)
        else:
            g.limit = limit
        return g

    def check_room(self, max_size: int | None) -> None:
        """Raise :class:`QueueFull` when ``max_size`` runs already wait."""
        if max_size is not None and self.waiting() >= max_size:
            raise QueueFull(f"{max_size} run(s) are already waiting; try again in a moment.")

    async def acquire(self, g: Group, run) -> None:
        """Wait for a slot in ``g`` (reporting queue positions), then hold it."""
        if g.limit is None or (g.active < g.limit and not g.waiting):
            g.active += 1
            return
        fut = asyncio.get_running_loop().create_future()
        g.waiting.append((run, fut))
        self._announce(g)
        try:
            await fut
        except asyncio.CancelledError:
            if fut.done() and not fut.cancelled():
                self.release(g)  # the slot was handed over just as we were cancelled
            else:
                self._remove(g, fut)
            raise

    def release(self, g: Group) -> None:
        """Give the slot to the next waiting run, or free it."""
        while g.waiting:
            _, fut = g.waiting.popleft()
            if not fut.done():
                fut.set_result(None)  # the slot passes on: active stays
                self._announce(g)
                return
        g.active -= 1

    def _remove(self, g: Group, fut) -> None:
        g.waiting = deque(item for item in g.waiting if item[1] is not fut)
        self._announce(g)

    def _announce(self, g: Group) -> None:
        """Tell every waiting run of ``g`` its rank, the queue size and its ETA."""
        size = len(g.waiting)
        limit = g.limit or 1
        for rank, (run, _) in enumerate(g.waiting):
            avg = self.average(run.fn_index)
            # the runs ahead (rank // limit rounds of the slots), then its own
            eta = None if avg is None else round(avg * (rank // limit + 2), 2)
            run.queued(rank, size, eta)
