"""Run: one trigger of one listener in one session, from any front door.

A run has an ``event_id`` and moves through

    queued(rank, queue_size, eta) → processing(progress) → generating(output)*
                                  → complete(output) | error(message) | cancelled

Every change is one status message to the session (and to any extra
observer, such as an HTTP API stream). A run can be awaited for its final
output with :meth:`Run.result`.
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import time
from collections.abc import Callable
from typing import Any

from .. import protocol

#: The run whose function is executing (set in the function's context, so
#: ``gr.Progress``, ``gr.Info`` and friends find it from any thread).
current_run: contextvars.ContextVar[Run | None] = contextvars.ContextVar("nbdemo_run", default=None)

#: The ``gr.Progress(track_tqdm=True)`` of the running function, for tqdm bars it creates.
current_progress: contextvars.ContextVar[Any] = contextvars.ContextVar("nbdemo_progress", default=None)

#: Progress updates of one run are sent at most this often (seconds).
PROGRESS_INTERVAL = 0.1


class RunError(Exception):
    """Raised by :meth:`Run.result` when the run ended in an error; ``message``
    is what the user was shown (None when the error is hidden)."""

    def __init__(self, message: str | None, title: str | None = None):
        super().__init__(message or "Error")
        self.message = message
        self.title = title


class Run:
    """One execution of a listener (``Dependency``) for one session.

    Attributes a front door may read: ``event_id``, ``fn_index``, ``status``
    (one of :data:`nbdemo.protocol.STATUSES`, or "new" before the first
    message), ``rank``/``queue_size``/``eta`` while queued, ``progress``,
    ``output`` (the outputs' wire values as last written: one per output, in
    ``dep.outputs`` order; None for an output not written), ``message``
    (the error shown), and the times ``created``/``started``/``ended``
    (``time.monotonic()`` seconds).
    """

    def __init__(self, engine, session, fn_index: int, dep, target, data,
                 event_id: str | None = None):
        self.engine = engine
        self.session = session
        self.fn_index = fn_index
        self.dep = dep
        self.target = target
        self.data = data
        self.event_id = event_id or os.urandom(16).hex()  # 128 random bits, like uuid4
        self.status = "new"
        self.rank: int | None = None
        self.queue_size: int | None = None
        self.eta: float | None = None
        self.progress: list[dict] | None = None
        self.output: list[Any] | None = None
        self.message: str | None = None
        self.title: str | None = None
        self.created = time.monotonic()
        self.started: float | None = None
        self.ended: float | None = None
        #: input values by component id, read when the event arrived
        self.inputs: dict[int, Any] = {}
        #: earlier unfinished runs of the same session this one waits for
        self.waits: list[Run] = []
        self.task: asyncio.Task | None = None
        self.observers: list[Callable[[dict], None]] = []
        #: whether the run's ``.then()`` chains and its outputs' ``.change``
        #: listeners follow it (False for an HTTP API call, as in Gradio)
        self.follow_ups = True
        self.loop = asyncio.get_running_loop()
        self._done: asyncio.Future = self.loop.create_future()
        self._targets = dep.extra.get("show_progress_on") or [c._id for c in dep.outputs]
        #: the ids of the components it reads (inputs) and writes (outputs)
        self.reads = frozenset(c._id for c in dep.inputs)
        self.writes = frozenset(c._id for c in dep.outputs)
        #: State output id → digest of its contents before the function ran
        #: (for State outputs with .change listeners; see Engine._call)
        self.tracked: dict[int, bytes] = {}
        self._flush: asyncio.TimerHandle | None = None
        self._last_progress = 0.0

    def __repr__(self) -> str:
        return f"Run({self.event_id[:8]}, fn_index={self.fn_index}, {self.status})"

    # -- state ------------------------------------------------------------------
    def done(self) -> bool:
        return self._done.done()

    async def result(self) -> list[Any] | None:
        """Wait for the end; the outputs' final wire values (see ``output``).

        Raises :class:`RunError` if the run ended in an error and
        ``asyncio.CancelledError`` if it was cancelled.
        """
        await asyncio.shield(self._done)
        if self.status == "error":
            raise RunError(self.message, self.title)
        if self.status == "cancelled":
            raise asyncio.CancelledError(f"run {self.event_id} was cancelled")
        return self.output

    def notify(self, msg: dict) -> None:
        """Send ``msg`` to the session and every observer."""
        self.session.emit(msg)
        for cb in list(self.observers):
            cb(msg)

    def _status(self, status: str, **fields: Any) -> None:
        self.status = status
        self.notify(protocol.status(self.event_id, self.fn_index, status, self._targets,
                                    show_progress=self.dep.show_progress, **fields))

    def queued(self, rank: int | None, queue_size: int | None, eta: float | None) -> None:
        if self.status == "queued" and (rank, queue_size) == (self.rank, self.queue_size):
            return
        self.rank, self.queue_size, self.eta = rank, queue_size, eta
        self._status("queued", rank=rank, queue_size=queue_size, eta=eta)

    def processing(self) -> None:
        self.started = time.monotonic()
        self.rank = self.queue_size = None
        self._status("processing", progress=None, eta=self.eta)

    def generating(self) -> None:
        self._status("generating")

    def finish(self, status: str, *, message: str | None = None, title: str | None = None,
               duration: float | None = None) -> None:
        """End the run (idempotent): the last status message, then waiters wake."""
        if self._done.done():
            return
        if self._flush is not None:
            self._flush.cancel()
            self._flush = None
        self.ended = time.monotonic()
        took = self.ended - self.started if self.started is not None else None
        self.message, self.title = message, title
        fields: dict[str, Any] = {"time": took}
        if status == "error":
            fields.update(message=message, title=title, duration=duration)
        if status != "cancelled" or not self.session.closed:
            self._status(status, **fields)
        else:
            self.status = status
        self._done.set_result(status)

    # -- run-time messages (callable from the function's thread) ------------------
    def set_progress(self, units: list[dict]) -> None:
        """New progress (a list of ProgressUnit dicts); thread-safe, throttled
        to one message per ``PROGRESS_INTERVAL`` with the latest value kept."""
        self._call(self._progress, units)

    def log(self, level: str, message: str, title: str = "", duration: float | None = 10) -> None:
        """A toast (``gr.Info``/``gr.Warning``/``gr.Success``); thread-safe."""
        msg = protocol.log(self.event_id, level, message, title=title, duration=duration)
        self._call(self._log, msg)

    def _call(self, fn, *args) -> None:
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self.loop:
            fn(*args)
        else:
            self.loop.call_soon_threadsafe(fn, *args)

    def _log(self, msg: dict) -> None:
        if not self.done():
            self.notify(msg)

    def _progress(self, units: list[dict]) -> None:
        if self.done() or self.status not in ("processing", "generating"):
            return
        self.progress = units
        wait = self._last_progress + PROGRESS_INTERVAL - time.monotonic()
        if wait <= 0:
            self._send_progress()
        elif self._flush is None:
            self._flush = self.loop.call_later(wait, self._send_progress)

    def _send_progress(self) -> None:
        self._flush = None
        if self.done():
            return
        self._last_progress = time.monotonic()
        self._status("processing", progress=self.progress)
