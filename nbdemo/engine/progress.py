"""``gr.Progress``: what a function reports about its progress, per run.

It lives in the engine because the engine recognises it (a parameter whose
default is a ``Progress`` gets a tracker bound to the run); ``nbdemo.helpers``
re-exports it as the public ``gr.Progress``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from typing import Any

from .run import current_progress


class Progress:
    """Put ``progress=gr.Progress()`` in a function's parameters to report
    progress; the engine passes a fresh tracker for each run (the default
    value is only a marker, as in Gradio).

    - ``progress(0.5, desc="Loading")``: a fraction in 0..1;
    - ``progress((3, 10), unit="files")``: 3 of 10;
    - ``progress(None)``: busy, no fraction;
    - ``for x in progress.tqdm(items, desc="Step")``: one bar per loop
      (nested loops show nested bars).

    ``track_tqdm=True`` also shows every ``tqdm`` bar the function creates
    (needs the ``tqdm`` package). Updates reach the page at most ~10 times a
    second per run; the last one always arrives. Called outside a run,
    progress does nothing.
    """

    def __init__(self, track_tqdm: bool = False):
        self.track_tqdm = track_tqdm
        self._run = None
        self._units: list[dict] = []
        self._lock = threading.Lock()

    def _bound(self, run) -> Progress:
        p = Progress(self.track_tqdm)
        p._run = run
        return p

    def _send(self, call: dict | None = None) -> None:
        """Report the open ``tqdm`` bars, and ``call`` (the unit of a direct
        ``progress(...)`` call) after them. A call's unit is not kept: it shows
        until the next update, as in Gradio, so ``progress(0, desc="Warming
        up")`` before a loop does not stay above the loop's bar."""
        if self._run is not None:
            with self._lock:
                units = [dict(u) for u in self._units]
            self._run.set_progress(units + ([call] if call is not None else []))

    def __call__(self, progress: float | tuple[int, int | None] | None, desc: str | None = None,
                 total: int | None = None, unit: str = "steps", _tqdm: Any = None) -> float | None:
        if isinstance(progress, tuple):
            index, length = progress
            unit_ = {"index": index, "length": length, "unit": unit, "progress": None, "desc": desc}
        elif progress is not None and total is not None:
            unit_ = {"index": progress, "length": total, "unit": unit, "progress": None, "desc": desc}
        else:
            unit_ = {"index": None, "length": None, "unit": unit,
                     "progress": None if progress is None else float(progress), "desc": desc}
        self._send(unit_)
        return progress if not isinstance(progress, tuple) else None

    def tqdm(self, iterable: Iterable | None, desc: str | None = None, total: int | None = None,
             unit: str = "steps", _tqdm: Any = None) -> Iterator:
        """Iterate over ``iterable``, showing a bar of its length (``total``
        when it has no ``len``). ``_tqdm`` is Gradio's internal argument,
        accepted and unused."""
        if iterable is None:
            iterable = range(total or 0)
        if total is None:
            try:
                total = len(iterable)  # type: ignore[arg-type]
            except TypeError:
                total = None
        return self._track(iterable, desc, total, unit)

    def _track(self, iterable: Iterable, desc, total, unit) -> Iterator:
        unit_ = {"index": 0, "length": total, "unit": unit, "progress": None, "desc": desc}
        with self._lock:
            self._units.append(unit_)
        try:
            self._send()
            for i, item in enumerate(iterable):
                yield item
                unit_["index"] = i + 1
                self._send()
        finally:
            with self._lock:
                self._units = [u for u in self._units if u is not unit_]

    # -- tqdm bars inside the function (track_tqdm=True) ---------------------------
    def _tqdm_start(self, bar) -> dict:
        unit_ = {"index": bar.n, "length": bar.total, "unit": str(getattr(bar, "unit", "it")),
                 "progress": None, "desc": bar.desc or None}
        with self._lock:
            self._units.append(unit_)
        self._send()
        return unit_

    def _tqdm_update(self, unit_: dict, bar) -> None:
        unit_["index"], unit_["length"] = bar.n, bar.total
        self._send()

    def _tqdm_close(self, unit_: dict) -> None:
        with self._lock:
            self._units = [u for u in self._units if u is not unit_]
        self._send()


_tqdm_patched = False
_tqdm_lock = threading.Lock()


def patch_tqdm() -> bool:
    """Make tqdm bars report to the ``Progress`` of the run they are created
    in (``track_tqdm=True``); False if tqdm is not installed. Bars created
    outside such a run behave exactly as before."""
    global _tqdm_patched
    with _tqdm_lock:
        if _tqdm_patched:
            return True
        try:
            import tqdm as tqdm_module
        except ImportError:
            return False
        cls = tqdm_module.tqdm
        init, update, close = cls.__init__, cls.update, cls.close

        def __init__(self, *args, **kwargs):
            init(self, *args, **kwargs)
            p = current_progress.get()
            self._nbdemo = (p, p._tqdm_start(self)) if p is not None and p.track_tqdm else None

        def _update(self, n=1):
            out = update(self, n)
            tracked = getattr(self, "_nbdemo", None)
            if tracked is not None:
                tracked[0]._tqdm_update(tracked[1], self)
            return out

        def _close(self):
            tracked = getattr(self, "_nbdemo", None)
            if tracked is not None:
                self._nbdemo = None
                tracked[0]._tqdm_close(tracked[1])
            return close(self)

        cls.__init__, cls.update, cls.close = __init__, _update, _close
        _tqdm_patched = True
        return True
