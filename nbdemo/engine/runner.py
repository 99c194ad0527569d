"""Engine: turns triggers into runs, and runs them.

One engine per demo, shared by every front door and session. ``trigger()``
and ``dispatch()`` are called on the engine's event loop (tornado's loop for
the server, nbdemo's background loop in a kernel). Sync functions run in a
thread pool, never on the loop; async functions run on the loop; generators
stream (each ``yield`` updates the outputs).

What happens to a trigger (DESIGN.md, "Runs and the queue"):

1. ``trigger_mode``: "once" drops it while a run of the listener is queued
   or running in this session; "always_last" keeps only the newest such
   trigger and runs it when the current run ends; "multiple" runs them all.
2. A :class:`~nbdemo.engine.run.Run` is made and reads its inputs *now*
   (values as they were when the event arrived), except inputs that an
   earlier, unfinished run of the same session writes: it waits for those
   runs and reads them after. A run that writes what an earlier unfinished
   run writes waits for it too, so outputs take effect in event order. Runs
   that share nothing run concurrently.
3. The queue: ``concurrency_limit``/``concurrency_id`` bound the runs that
   process at once, across sessions; a waiting run is "queued" with its
   rank and ETA; ``queue(max_size=)`` refuses runs beyond it ("Queue is
   full"). ``queue=False`` skips the queue.
4. The function runs; ``gr.Progress``, ``gr.Info``/``Warning``/``Success``
   report through the run; its result is postprocessed into the outputs.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import inspect
import logging
import math
import threading
import time
import traceback
import typing
import weakref
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .. import files
from ..block import is_component
from ..errors import Error
from ..events import (
    CopyData,
    DeletedFileData,
    Dependency,
    DownloadData,
    EditData,
    EventData,
    KeyUpData,
    LikeData,
    Request,
    RetryData,
    SelectData,
    UndoData,
    is_update,
)
from .app import App
from .pool import FunctionPool
from .progress import Progress, patch_tqdm
from .queue import Queue, QueueFull
from .rendering import RENDERED, Rendered, show
from .run import Run, current_progress, current_run

log = logging.getLogger("nbdemo")

_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def executor() -> ThreadPoolExecutor:
    """The thread pool for sync functions (40 threads, like Gradio's ``max_threads``)."""
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=40, thread_name_prefix="nbdemo-fn")
        return _executor


#: sync functions and heavy pre/postprocessing (generator steps use ``executor()``:
#: a cancelled step must be waited for before its generator can be closed)
_pool = FunctionPool()

_STOP = object()


def _next(gen):
    try:
        return next(gen)
    except StopIteration:
        return _STOP


class Engine:
    """Runs a demo's listeners. ``show_error``: show exception text to users."""

    def __init__(self, blocks, *, show_error: bool = False):
        self.app = App(blocks)
        self.blocks = blocks
        self.show_error = show_error
        self.queue = Queue()
        self._batches: dict[int, _Batch] = {}
        #: (render id, a listener's key or position in a run of it) → the fn_index
        #: such listeners have, in every session and run (see nbdemo.engine.rendering)
        self._slots: dict[tuple[int, Any], int] = {}

    def app_for(self, session) -> App:
        """The demo as ``session`` sees it: the demo's own listeners, plus those
        its ``gr.render`` functions made (an overlay, rebuilt when they change)."""
        app = self.app.fresh()
        if not session.renders:
            return app
        view = session.rendered_app
        if view is None or view.base is not app or view.version != app.version:
            view = session.rendered_app = app.overlay(
                (r.blocks, r.index) for r in session.renders.values())
        return view

    def slot(self, render_id: int, name: Any) -> int:
        """The fn_index of the listener ``name`` (its ``key=``, or its position)
        a run of render ``render_id`` makes: the same in every run, so a
        session's runs of it share ``trigger_mode``, queue statistics and
        concurrency group, and re-rendering never makes new indexes."""
        key = (render_id, name)
        i = self._slots.get(key)
        if i is None:
            i = self._slots[key] = RENDERED + len(self._slots)
        return i

    # -- sessions -----------------------------------------------------------------
    def open(self, session) -> list[Run]:
        """A session starts (a page connected, a notebook showed the demo): run
        the demo's ``load`` listeners (and callable component values) and
        start its timers. Returns the load runs."""
        app = self.app.fresh()
        # a multipage demo (Blocks.route): a session runs the load listeners of its page only
        page = getattr(session, "page", "")
        loads = [i for i in app.loads if app.dependencies[i].extra.get("page", "") == page
                 or "value_of" in app.dependencies[i].extra]
        runs = [r for i in loads if (r := self.submit(session, i, None, None)) is not None]
        self.start_timers(session, app.timers, session.background)
        return runs

    def start_timers(self, session, timers, into: set) -> None:
        """Fire each timer's ``tick`` listeners in ``session`` until the session
        ends or its task (kept in ``into``) is cancelled."""
        for timer in timers:
            task = asyncio.get_running_loop().create_task(self._tick(session, timer))
            into.add(task)
            task.add_done_callback(into.discard)

    def close(self, session) -> None:
        """A session ends: its runs and timers stop, ``unload`` listeners run
        (in the thread pool, after the fact: no outputs), its files go."""
        app = self.app.fresh()
        for task in list(session.background):
            task.cancel()
        for i in app.unloads:
            fn = app.dependencies[i].fn
            if fn is not None:
                executor().submit(_quietly, fn)
        session.close()

    async def _tick(self, session, timer) -> None:
        """Fire ``timer``'s tick listeners every ``value`` seconds while it is active
        (as this session sees it: a function may change ``value`` or ``active``)."""
        while not session.closed:
            view = session.view(timer)
            interval = view.value if isinstance(view.value, (int, float)) and view.value > 0 else 1.0
            await asyncio.sleep(interval)
            if session.closed:
                return
            if session.view(timer).active:
                for i in self.app_for(session).triggers.get((timer._id, "tick"), []):
                    self.submit(session, i, timer, None)

    # -- triggers -----------------------------------------------------------------
    def trigger(self, session, block_id: Any, event: Any, data: Any = None,
                js_inputs: Any = None) -> list[Run]:
        """Start every listener of ``event`` on component ``block_id``; the runs started.
        ``js_inputs``: ``{fn_index: [values]}`` from listeners' ``js=`` functions
        (see :meth:`_js_inputs`).

        Raises ``ValueError`` for an unknown component or event (the front
        door turns it into an error reply).
        """
        app = self.app_for(session)
        block = app.blocks.get(block_id) if type(block_id) is int else None
        if (block is not None and not is_component(block) and event in LAYOUT_EVENTS
                and event in (getattr(block, "_events", None) or ())):
            # a layout block's own event (Tab.select, Accordion.expand): the page's layout sends it
            return [run for i in app.triggers.get((block_id, event), [])
                    if (run := self.submit(session, i, block, data)) is not None]
        comp = app.component(block_id)
        if not isinstance(event, str) or event not in comp._events:
            known = ", ".join(comp._events) or "none"
            raise ValueError(f"{type(comp).__name__} (id {block_id}) has no listener for "
                             f"event {event!r:.40} (listened events: {known})")
        listeners = app.triggers.get((block_id, event), [])
        overrides = self._js_inputs(session, listeners, js_inputs)
        runs = []
        for fn_index in listeners:
            run = self.submit(session, fn_index, comp, data, overrides.get(fn_index))
            if run is not None:
                runs.append(run)
        return runs

    def stream(self, session, block_id: Any, seq: Any, mime: Any, data: bytes | memoryview) -> list[Run]:
        """One frame of a ``.stream()`` from the page: a webcam image or a
        chunk of microphone audio (``data``, of type ``mime``); the runs started.

        The frame becomes the component's value in this session (its
        ``stream_value`` stores it as a file), then each stream listener is
        triggered. Listeners stream with ``trigger_mode`` "always_last": while
        a run of one goes on, the newest frame waits and replaces any frame
        waiting before it (which is dropped, never queued). ``seq`` 0 starts
        a stream; a listener's ``time_limit`` counts from there, and later
        frames are not given to it; nor after one of its runs failed (see
        :meth:`_stream_failed`). The session keeps only the last
        ``STREAM_FILES`` frames of a component (and outputs of its stream
        runs) as files, so a stream of any length holds bounded disk space.

        Raises ``ValueError`` for an unknown component, one without stream
        listeners, a bad ``seq``, a frame over the demo's ``max_file_size`` or
        one the component cannot read.
        """
        app = self.app.fresh()
        comp = app.component(block_id)
        listeners = app.triggers.get((comp._id, "stream"), [])
        to_value = getattr(comp, "stream_value", None)
        if not listeners or to_value is None:
            raise ValueError(f"{type(comp).__name__} (id {comp._id}) has no .stream() listener")
        if session.view(comp).interactive is False:
            raise ValueError(f"{type(comp).__name__} (id {comp._id}) is not interactive")
        if isinstance(seq, bool) or not isinstance(seq, int) or seq < 0:
            raise ValueError(f"stream: seq must be an int >= 0, got {seq!r:.40}")
        limit = files.parse_size(getattr(self.blocks, "max_file_size", None))
        if limit is not None and len(data) > limit:
            raise ValueError(f"stream frame too large: {files.human_size(len(data))}; the limit "
                             f"(max_file_size) is {files.human_size(limit)}")
        now = asyncio.get_running_loop().time()
        started = session.streams.get(comp._id)
        if seq == 0 or started is None:
            started = session.streams[comp._id] = now
            if session.stream_failed & set(listeners):  # a new stream after an error
                session.stream_failed.difference_update(listeners)
                session.apply([(comp, {"_stream": _stream_config(comp)})])
        live = [i for i in listeners if i not in session.stream_failed
                and (not app.dependencies[i].time_limit or now - started <= app.dependencies[i].time_limit)]
        if not live:
            return []  # past its time limit: the page stops too
        session.client_value_changing(comp)
        with files.using(session.files):
            value = to_value(data, mime if isinstance(mime, str) else "")
        _keep_last(session, ("in", comp._id), [value])
        session.store_client_value(comp, value)
        return [run for i in live if (run := self.submit(session, i, comp, None)) is not None]

    def _js_inputs(self, session, listeners: list[int], js_inputs: Any) -> dict[int, dict]:
        """``js_inputs`` of an event message (what listeners' ``js=`` functions
        returned in the page) as checked wire values by input id, per listener.
        Raises ``ValueError`` for a listener that has no ``js``, a wrong count
        or a value its input component refuses."""
        if js_inputs is None:
            return {}
        if not isinstance(js_inputs, dict):
            raise ValueError("js_inputs must map listener indexes to lists of input values")
        out: dict[int, dict] = {}
        for key, values in js_inputs.items():
            try:
                fn_index = int(key)
            except (TypeError, ValueError):
                raise ValueError(f"js_inputs: bad listener index {key!r:.20}") from None
            dep = self.app.dependencies[fn_index] if fn_index in listeners else None
            if dep is None or "js" not in dep.extra:
                raise ValueError(f"js_inputs: listener {fn_index} of this event has no js function")
            if not isinstance(values, list) or len(values) != len(dep.inputs):
                raise ValueError(f"js_inputs: listener {fn_index} takes {len(dep.inputs)} values")
            checked = {}
            with files.using(session.files):
                for comp, value in zip(dep.inputs, values):
                    if getattr(comp, "_kind", None) != "state":  # State stays on the server
                        checked[comp._id] = session.view(comp).validate_wire(value)
            out[fn_index] = checked
        return out

    def submit(self, session, fn_index: int, target, data,
               js_values: dict[int, Any] | None = None) -> Run | None:
        """A trigger of listener ``fn_index`` in ``session``: the new run, or None
        when its ``trigger_mode`` drops it (or keeps it for later). ``js_values``:
        input values by id that the listener's ``js=`` function gave in the page."""
        app = self.app_for(session)
        dep = app.dependencies[fn_index]
        cancels = dep.extra.get("cancels")
        if cancels:
            self.cancel(session, cancels)
        run = Run(self, session, fn_index, dep, target, data)
        self._snapshot(session, run)
        if js_values:
            run.inputs.update(js_values)
        if session.active.get(fn_index):
            if dep.trigger_mode == "once":
                return None
            if dep.trigger_mode == "always_last":
                session.rerun[fn_index] = run  # replaces an older kept trigger
                return None
        self._start(session, run)
        return run

    def call(self, session, fn_index: int, inputs: dict[int, Any]) -> Run:
        """An HTTP API call of listener ``fn_index`` in ``session``: the new run.

        ``inputs`` maps input component ids to checked wire values; State
        inputs (and any input not given) are read from the session as for a
        page event, after earlier unfinished runs that write them. Unlike
        :meth:`submit`, a call always runs (``trigger_mode`` is about repeated
        clicks, not about clients) and its ``cancels`` are not applied; as in
        Gradio, it starts no ``.then()`` chain and no ``.change`` listener
        (those belong to a page).
        """
        app = self.app.fresh()
        dep = app.dependencies[fn_index]
        run = Run(self, session, fn_index, dep, None, None)
        run.follow_ups = False
        self._snapshot(session, run)
        run.inputs.update(inputs)
        # calls are independent requests: one waits only for earlier runs that
        # write what it still reads from the session (its State inputs)
        late = run.reads - set(inputs)
        run.waits = [r for r in run.waits if r.writes & late]
        self._start(session, run)
        return run

    def refuses(self, fn_index: int) -> str | None:
        """Why a new run of listener ``fn_index`` would be refused at once
        ("Queue is full: ..."), or None. For doors that answer a request
        before the run starts (the HTTP API replies 503)."""
        dep = self.app.fresh().dependencies[fn_index]
        group = None if dep.batch else self._group(dep)
        if group is not None and group.limit is not None \
                and (group.active >= group.limit or group.waiting):
            try:
                self.queue.check_room(getattr(self.blocks, "max_queue_size", None))
            except QueueFull as e:
                return str(e)
        return None

    def _snapshot(self, session, run: Run) -> None:
        """Read the run's inputs now, except those an earlier unfinished run of
        the session writes (read when that run ends); note what it waits for."""
        reads, writes = run.reads, run.writes
        late: set[int] = set()
        for earlier in session.runs.values():
            w = earlier.writes
            if w & reads or w & writes:
                run.waits.append(earlier)
                late |= w & reads
        for comp in run.dep.inputs:
            if comp._id not in late:
                run.inputs[comp._id] = session.get_value(comp)

    def _start(self, session, run: Run) -> None:
        session.runs[run.event_id] = run
        session.active[run.fn_index] = session.active.get(run.fn_index, 0) + 1
        task = asyncio.get_running_loop().create_task(self._execute(session, run))
        run.task = task
        session.tasks.add(task)
        task.add_done_callback(session.tasks.discard)

    def cancel(self, session, dependencies) -> int:
        """Cancel ``session``'s running (and kept) runs of ``dependencies``
        (Dependency objects, as given to ``cancels=``); returns how many runs.

        A cancelled run ends with status "cancelled"; what it already wrote to
        its outputs stays; its ``.then()``/``.success()`` chains do not run.
        Other sessions' runs are never touched.
        """
        app = self.app_for(session)
        wanted = {i for d in dependencies if (i := app.index_of(d)) is not None}
        n = 0
        for i in wanted:
            session.rerun.pop(i, None)
        for run in list(session.runs.values()):
            if run.fn_index in wanted and run.task is not None and not run.task.done():
                run.task.cancel()
                n += 1
        return n

    def cancel_run(self, session, event_id: Any) -> bool:
        """Cancel the run ``event_id`` of ``session``; False if it has no such unfinished run."""
        run = session.runs.get(event_id) if isinstance(event_id, str) else None
        if run is None or run.task is None or run.task.done():
            return False
        run.task.cancel()
        return True

    # -- one run ------------------------------------------------------------------------
    def _group(self, dep: Dependency):
        if not dep.queue:
            return None
        limit = dep.concurrency_limit
        if limit == "default":
            limit = getattr(self.blocks, "default_concurrency_limit", None)
        if limit is None and not dep.batch:
            return None
        return self.queue.group(dep.concurrency_id or dep.extra.get("queue_key") or f"fn{id(dep)}",
                                None if limit is None else int(limit))

    async def _execute(self, session, run: Run) -> None:
        dep, fn_index = run.dep, run.fn_index
        current_run.set(run)
        group = None if dep.batch else self._group(dep)
        held = False
        ok = False
        try:
            try:
                if group is not None and group.limit is not None \
                        and (group.active >= group.limit or group.waiting):
                    self.queue.check_room(getattr(self.blocks, "max_queue_size", None))
                pending = [r._done for r in run.waits if not r.done()]
                if pending:
                    run.queued(None, None, None)  # behind earlier events of this session
                    await asyncio.wait(pending)
                for comp in dep.inputs:
                    if comp._id not in run.inputs:
                        run.inputs[comp._id] = session.get_value(comp)
                if dep.batch:
                    await self._join_batch(run)
                else:
                    if group is not None:
                        await self.queue.acquire(group, run)
                        held = True
                    run.processing()
                    await self._call(session, run)
                ok = True
                run.finish("complete")
            except asyncio.CancelledError:
                run.finish("cancelled")
                raise
            except QueueFull as e:
                run.finish("error", message=str(e), title="Queue is full", duration=10)
            except Exception as e:  # every error reaches the user; the session goes on
                run.finish("error", **self._error_fields(e, dep))
        finally:
            if run.started is not None and run.status in ("complete", "error"):
                self.queue.record(fn_index, time.monotonic() - run.started)
            if held:
                self.queue.release(group)  # after recording: the ETAs it announces use this run
            session.runs.pop(run.event_id, None)
            session.active[fn_index] -= 1
            if not run.done():  # a BaseException other than cancellation
                run.finish("cancelled")
        if dep.streams and run.status == "error" and not session.closed:
            self._stream_failed(session, run)
        if session.closed or not run.follow_ups:
            return
        kept = session.rerun.pop(fn_index, None)
        if kept is not None:
            self._start(session, kept)
        app = self.app_for(session)
        if app.dependency(fn_index) is not dep:
            return  # a listener its session re-rendered away: its chain went with it
        for nxt in app.after.get(fn_index, []):
            when = app.dependencies[nxt].after_when
            if when == "always" or (when == "success") == ok:
                self.submit(session, nxt, run.target, run.data)

    def _stream_failed(self, session, run: Run) -> None:
        """A run of a ``.stream()`` listener ended in an error: as in Gradio, that
        ends the stream for the listener (one error shown, not one per frame).
        The frame waiting for it is dropped and later frames are not given to
        it until the page starts a new stream (``seq`` 0). When every stream
        listener of the component has failed, the page is told to stop
        capturing: the component's ``_stream`` prop gets ``"stopped": "error"``
        in this session."""
        session.rerun.pop(run.fn_index, None)
        session.stream_failed.add(run.fn_index)
        comp = run.target
        if comp is None or not hasattr(comp, "_stream"):
            return
        listeners = self.app.triggers.get((comp._id, "stream"), [])
        if all(i in session.stream_failed for i in listeners):
            session.apply([(comp, {"_stream": {**_stream_config(comp), "stopped": "error"}})])

    def _error_fields(self, e: Exception, dep) -> dict:
        if isinstance(e, Error):
            if e.print_exception:
                log.info("nbdemo.Error in %s: %s", _name(dep.fn), e.message)
            if not e.visible:
                return {"message": None, "title": None, "duration": 0}
            return {"message": e.message, "title": e.title, "duration": e.duration}
        if isinstance(e, (asyncio.TimeoutError, TimeoutError)) and dep.time_limit:
            return {"message": f"{_name(dep.fn)} took longer than its time_limit of "
                               f"{dep.time_limit:g} s and was stopped", "title": "Time limit",
                    "duration": 10}
        if isinstance(e, _OutputError):
            log.error("nbdemo: %s", e)
            return {"message": str(e), "title": "Error", "duration": 10}
        log.error("Exception in %s:\n%s", _name(dep.fn), traceback.format_exc())
        message = f"{type(e).__name__}: {e}" if self.show_error else None
        return {"message": message, "title": "Error", "duration": 10}

    async def _call(self, session, run: Run) -> None:
        dep = run.dep
        if dep.fn is None:
            return
        values = await self._offload(session, dep.inputs, self._inputs, session, run)
        validator = dep.extra.get("validator")
        if validator is not None:
            await _validate(validator, values)
        # State outputs with .change listeners: their contents now, so a change
        # made in place (the same object returned) is seen too, as in Gradio
        run.tracked = {c._id: _fingerprint(session.get_value(c)) for c in dep.outputs
                       if getattr(c, "_kind", None) == "state" and "change" in c._events}
        args, kwargs = _arguments(dep.fn, values, run)
        if dep.time_limit and not dep.streams:  # a stream's time_limit is its length
            await asyncio.wait_for(self._invoke(session, run, args, kwargs), dep.time_limit)
        else:
            await self._invoke(session, run, args, kwargs)

    async def _invoke(self, session, run: Run, args: list, kwargs: dict) -> None:
        fn = run.dep.fn
        loop = asyncio.get_running_loop()
        if inspect.isasyncgenfunction(fn):
            async for item in fn(*args, **kwargs):
                await self._apply(session, run, item)
                run.generating()
        elif inspect.iscoroutinefunction(fn):
            await self._apply(session, run, await fn(*args, **kwargs))
        elif inspect.isgeneratorfunction(fn):
            ctx = contextvars.copy_context()
            gen = await loop.run_in_executor(executor(), lambda: ctx.run(fn, *args, **kwargs))
            step = None
            try:
                while True:
                    step = executor().submit(ctx.run, _next, gen)
                    item = await asyncio.wrap_future(step)
                    if item is _STOP:
                        break
                    await self._apply(session, run, item)
                    run.generating()
            finally:
                # Cancelled while the generator runs in a thread: close it
                # there once that step ends (closing it now would raise
                # "generator already executing").
                if step is not None and not step.done():
                    step.add_done_callback(lambda _f: _close(gen))
                else:
                    gen.close()
        else:
            ctx = contextvars.copy_context()
            result = await _pool.run(lambda: ctx.run(fn, *args, **kwargs))
            if inspect.isawaitable(result):
                result = await result
            await self._apply(session, run, result)

    # -- batches --------------------------------------------------------------------------
    async def _join_batch(self, run: Run) -> None:
        """Wait for the batch that takes ``run`` (``batch=True`` listeners)."""
        b = self._batches.get(run.fn_index)
        if b is None:
            b = self._batches[run.fn_index] = _Batch()
        fut = asyncio.get_running_loop().create_future()
        b.waiting.append((run, fut))
        if b.worker is None or b.worker.done():
            b.worker = asyncio.get_running_loop().create_task(self._batch_worker(run.dep, b))
        await fut

    async def _batch_worker(self, dep: Dependency, b: _Batch) -> None:
        size = max(1, int(dep.max_batch_size or 4))
        while b.waiting:
            await asyncio.sleep(0)  # runs triggered in the same moment join this batch
            items = []
            while b.waiting and len(items) < size:
                run, fut = b.waiting.pop(0)
                if not fut.done():
                    items.append((run, fut))
            if not items:
                continue
            group = self._group(dep)
            if group is not None:
                await self.queue.acquire(group, items[0][0])
            try:
                await self._run_batch(dep, items)
            except Exception as e:
                for _, fut in items:
                    if not fut.done():
                        fut.set_exception(e)
            finally:
                if group is not None:
                    self.queue.release(group)

    async def _run_batch(self, dep: Dependency, items: list) -> None:
        columns: list[list] = [[] for _ in dep.inputs]
        for run, _ in items:
            run.processing()
            values = await self._offload(run.session, dep.inputs, self._inputs, run.session, run)
            for col, v in zip(columns, values):
                col.append(v)
        ctx = contextvars.copy_context()
        result = await _pool.run(lambda: ctx.run(dep.fn, *columns))
        if inspect.isawaitable(result):
            result = await result
        n = len(dep.outputs)
        if not isinstance(result, (list, tuple)) or len(result) != n \
                or any(not isinstance(r, (list, tuple)) or len(r) != len(items) for r in result):
            raise ValueError(f"{_name(dep.fn)} (batch=True) must return a list of {n} list(s), one "
                             f"per output, each with {len(items)} value(s), one per input row")
        for i, (run, fut) in enumerate(items):
            if fut.done():
                continue
            try:
                row = [r[i] for r in result]
                await self._apply(run.session, run, row[0] if n == 1 else tuple(row))
                fut.set_result(None)
            except Exception as e:
                fut.set_exception(e)

    # -- inputs / outputs -------------------------------------------------------------------
    def _inputs(self, session, run: Run) -> list:
        dep = run.dep
        values = []
        for comp in dep.inputs:
            raw = run.inputs[comp._id]
            if comp._kind == "state" or not dep.preprocess:
                values.append(raw)
            else:
                values.append(session.view(comp).preprocess(raw))
        if dep.inputs_as_dict:
            return [dict(zip(dep.inputs, values))]
        return values

    async def _offload(self, session, components, fn, *args):
        """Run a pre/postprocessing step with the session's file store current: on
        the thread pool when a component is HEAVY (images, audio, tables), so
        encoding a 4-megapixel image never blocks the event loop."""
        if any(getattr(c, "HEAVY", False) for c in components):
            ctx = contextvars.copy_context()
            ctx.run(files._current.set, session.files)
            return await _pool.run(lambda: ctx.run(fn, *args))
        with files.using(session.files):
            return fn(*args)

    async def _apply(self, session, run: Run, result: Any) -> None:
        """Write ``result`` to the run's outputs; raises ``ValueError`` on a shape mismatch."""
        dep = run.dep
        if isinstance(result, Rendered):  # a gr.render function's run made a layout
            show(self, session, result)
            return
        if not dep.outputs:
            return
        updates, changed = await self._offload(session, dep.outputs, self._updates, session, run, result)
        if updates:
            if dep.streams:  # a frame's outputs: keep the last few as files, not all
                for comp, props in updates:
                    if files.is_file_data(props.get("value")):
                        _keep_last(session, ("out", comp._id), [props["value"]])
            session.apply(updates)
        if not run.follow_ups:
            return
        for comp in changed:
            if "change" in comp._events:
                self.submit_all(session, comp, "change")

    def _updates(self, session, run: Run, result: Any) -> tuple[list, list]:
        """The prop updates for ``result`` (postprocessed) and the outputs whose value changed."""
        dep = run.dep
        outputs = dep.outputs
        if isinstance(result, dict) and result and all(is_component(k) for k in result):
            pairs = [(c, result[c]) for c in outputs if c in result]
            unknown = [k for k in result if k not in outputs]
            if unknown:
                raise ValueError(f"{_name(dep.fn)} returned a value for {unknown[0]!r}, "
                                 "which is not one of its outputs")
        elif is_update(result) and len(result) == 1 and len(outputs) > 1:
            return [], []  # skip(): leave every output as it is
        elif len(outputs) == 1:
            pairs = [(outputs[0], result)]
        else:
            if not isinstance(result, (tuple, list)) or len(result) != len(outputs):
                got = len(result) if isinstance(result, (tuple, list)) else 1
                raise ValueError(f"{_name(dep.fn)} returned {got} value(s) for "
                                 f"{len(outputs)} outputs; return a tuple with one value per output")
            pairs = list(zip(outputs, result))
        if run.output is None:
            run.output = [None] * len(outputs)
        updates = []
        changed = []
        for comp, value in pairs:
            if not is_component(comp):  # a layout block: its props for this session
                props = comp.update_from(value)
                if props:
                    updates.append((comp, props))
                continue
            if comp._kind == "state":
                if is_update(value):
                    if "value" not in value:
                        continue
                    value = value["value"]
                old = session.get_value(comp)
                session.set_value(comp, value)
                run.output[outputs.index(comp)] = value
                before = run.tracked.get(comp._id)
                if before is not None:  # compare contents: a change in place counts
                    now = run.tracked[comp._id] = _fingerprint(value)
                    if value is not old or now != before:
                        changed.append(comp)
                elif value is not old:
                    changed.append(comp)
                continue
            props = self._props(dep, comp, value, session.view(comp))
            if props:
                updates.append((comp, props))
                if "value" in props:
                    run.output[outputs.index(comp)] = props["value"]
                    changed.append(comp)
        return updates, changed

    def submit_all(self, session, comp, event: str) -> None:
        for fn_index in self.app_for(session).triggers.get((comp._id, event), []):
            self.submit(session, fn_index, comp, None)

    def _props(self, dep: Dependency, comp, value: Any, view=None) -> dict:
        """The props an output gets for ``value``; ``view`` is ``comp`` as the
        session sees it (pre/postprocessing follow the session's own props).

        Raises :class:`_OutputError`, naming the output, when the value cannot
        travel to a page (not JSON: a numpy scalar, an arbitrary object, NaN).
        """
        view = comp if view is None else view
        if is_component(value):
            if value is comp:
                return {}
            props = dict(value._init_kwargs)
            value.close()  # a component returned as an update needs no comm of its own
            value = {"__type__": "update", **props}
        if is_update(value):
            props = {k: v for k, v in value.items() if k != "__type__"}
            adapt = getattr(view, "adapt_update", None)  # a component with free-form props (HTML)
            if adapt is not None:
                props = adapt(props)
            known = comp.prop_names()
            for k in props:
                if k not in known:
                    raise ValueError(f"update(): {type(comp).__name__} has no property {k!r}")
            if "value" in props and dep.postprocess:
                props["value"] = view.postprocess(props["value"])
            traits = comp.traits()
            for k, v in props.items():
                try:
                    props[k] = traits[k]._validate(view, v)
                except Exception as e:
                    raise ValueError(f"update(): bad {k!r} for {type(comp).__name__}: {e}") from None
        else:
            props = {"value": view.postprocess(value) if dep.postprocess else value}
        for k, v in props.items():
            bad = _not_json(v)
            if bad is not None:
                label = f" {comp.label!r}" if getattr(comp, "label", None) else ""
                raise _OutputError(
                    f"{_name(dep.fn)} returned a value that the output {type(comp).__name__}{label} "
                    f"(id {comp._id}) cannot carry in {k!r}: {bad}")
        return props


class _Batch:
    def __init__(self):
        self.waiting: list = []
        self.worker: asyncio.Task | None = None


class _OutputError(ValueError):
    """A function's result cannot be carried by its output component."""


_JSON_SCALARS = (str, int, bool, type(None))


def _not_json(value: Any, depth: int = 0) -> str | None:
    """Why ``value`` is not a JSON value (None if it is). bytes are allowed:
    they are file contents the notebook door sends as buffers."""
    kind = type(value)
    if kind in _JSON_SCALARS:
        return None
    if kind is float:
        return None if math.isfinite(value) else f"{value!r} is not a finite number"
    if depth > 64:
        return "it is nested more than 64 levels deep"
    if kind is list or kind is tuple:
        for v in value:
            why = _not_json(v, depth + 1)
            if why is not None:
                return why
        return None
    if kind is dict:
        for k, v in value.items():
            if not isinstance(k, str):
                return f"a dict key {k!r:.40} is not a string"
            why = _not_json(v, depth + 1)
            if why is not None:
                return why
        return None
    if kind in (bytes, bytearray, memoryview):
        return None
    return f"a {kind.__module__}.{kind.__qualname__} ({value!r:.40}) is not a JSON value"


#: files a session keeps per streaming component (its last frames) and per
#: output of a stream's runs: enough for the runs that may still read them
#: (one running and one waiting per listener) and for a page a few frames behind
STREAM_FILES = 8


def _stream_config(comp) -> dict:
    """The component's ``_stream`` prop as its listeners made it (without the
    "stopped" mark an earlier error left on a notebook widget)."""
    return {k: v for k, v in (comp._stream or {}).items() if k != "stopped"}


def _keep_last(session, key: tuple, values: list) -> None:
    """Note the files of ``values`` under ``key``; remove the oldest beyond ``STREAM_FILES``."""
    ring = session.stream_files.setdefault(key, [])
    ring.extend(v["id"] for v in values if files.is_file_data(v))
    while len(ring) > STREAM_FILES:
        session.files.remove(ring.pop(0))


def _fingerprint(value: Any, depth: int = 0) -> bytes:
    """A digest of ``value``'s contents (Gradio's ``deep_hash``): dicts, lists,
    tuples and sets by their items, other hashable objects by ``hash()``
    (which a class may define over its fields), the rest by identity."""
    h = hashlib.blake2b(digest_size=16)
    kind = type(value)
    if kind in (str, int, float, bool, bytes) or value is None:
        h.update(repr(value).encode())
    elif depth > 64:
        h.update(str(id(value)).encode())
    elif isinstance(value, dict):
        h.update(b"{")
        for k, v in value.items():
            h.update(_fingerprint(k, depth + 1) + _fingerprint(v, depth + 1))
    elif isinstance(value, (list, tuple)):
        h.update(b"[")
        for v in value:
            h.update(_fingerprint(v, depth + 1))
    elif isinstance(value, (set, frozenset)):
        h.update(b"<" + b"".join(sorted(_fingerprint(v, depth + 1) for v in value)))
    else:
        try:
            h.update(f"{kind.__qualname__}:{hash(value)}".encode())
        except TypeError:  # unhashable: only a new object counts as a change
            h.update(str(id(value)).encode())
    return h.digest()


def _quietly(fn) -> None:
    try:
        fn()
    except Exception:  # an unload callback failing must not break teardown
        log.exception("nbdemo: an unload function failed")


def _close(gen) -> None:
    try:
        gen.close()
    except Exception:  # a generator's own cleanup failing after a cancel
        log.exception("nbdemo: closing a cancelled generator failed")


def _name(fn) -> str:
    return getattr(fn, "__name__", repr(fn))


#: events a page's layout sends for layout blocks (Tab, Tabs, Accordion), by name
LAYOUT_EVENTS = frozenset({"select", "change", "expand", "collapse"})


# -- validators (Gradio 6's validator= and gr.validate) -----------------------------------


async def _validate(validator, values: list) -> None:
    """Run a listener's ``validator`` with its input values (as ``fn`` gets
    them); a ``gr.validate(False, message)`` in what it returns (one, or one
    per input) stops the run with an :class:`~nbdemo.Error` listing the
    messages, so ``fn`` does not run. An exception it raises stops the run too."""
    try:  # Gradio calls it loosely: a validator may take only the first inputs
        params = list(inspect.signature(validator).parameters.values())
        if not any(p.kind is p.VAR_POSITIONAL for p in params):
            values = values[:len([p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)])]
    except (TypeError, ValueError):
        pass
    if inspect.iscoroutinefunction(validator):
        result = await validator(*values)
    else:
        ctx = contextvars.copy_context()
        result = await _pool.run(lambda: ctx.run(validator, *values))
    items = result if isinstance(result, (list, tuple)) else [result]
    problems = [str(v.get("message") or "invalid") for v in items
                if isinstance(v, dict) and v.get("__type__") == "validate" and not v.get("is_valid")]
    if problems:
        raise Error("\n".join(problems), title="Invalid input")


# -- special arguments (EventData, Request, Progress) ---------------------------------------

#: fn → its parameters' roles; weak, so the listeners of past gr.render runs
#: (new functions on every run) leave with their runs
_special_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

#: special parameter types by name, for annotations left as strings
_BY_NAME = {c.__name__: c for c in (EventData, SelectData, KeyUpData, LikeData, RetryData,
                                    UndoData, EditData, CopyData, DeletedFileData, DownloadData,
                                    Request)}


def _annotation(p: inspect.Parameter, hints: dict) -> Any:
    ann = hints.get(p.name, p.annotation)
    if isinstance(ann, str):  # `from __future__ import annotations` and no resolvable hints
        name = ann.replace("Optional[", "").rstrip("]").split("|")[0].strip().split(".")[-1]
        ann = _BY_NAME.get(name)
    for arg in typing.get_args(ann) or ():  # Optional[X], X | None
        if isinstance(arg, type) and issubclass(arg, (EventData, Request)):
            return arg
    return ann


def _specials(fn) -> list:
    """For each parameter of ``fn`` in order: ("input",), ("event", cls),
    ("request",) or ("progress", Progress), with the parameter's kind and name."""
    try:
        found = _special_cache.get(fn)
    except TypeError:  # not weakly referenceable (a builtin): not cached
        found = None
    if found is not None:
        return found
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return []
    try:
        hints = typing.get_type_hints(fn)
    except Exception:
        hints = {}
    out = []
    for p in sig.parameters.values():
        ann = _annotation(p, hints)
        if isinstance(p.default, Progress):
            role: tuple = ("progress", p.default)
        elif isinstance(ann, type) and issubclass(ann, EventData):
            role = ("event", ann)
        elif isinstance(ann, type) and issubclass(ann, Request):
            role = ("request",)
        else:
            role = ("input",)
        out.append((role, p.kind, p.name))
    try:
        _special_cache[fn] = out
    except TypeError:
        pass
    return out


def _arguments(fn, values: list, run: Run) -> tuple[list, dict]:
    """The arguments for ``fn``: input values in order, with EventData, Request
    and Progress placed at their own parameters (by annotation or default),
    wherever those stand."""
    params = _specials(fn)
    if all(role[0] == "input" for role, _, _ in params):
        return values, {}
    args: list = []
    kwargs: dict = {}
    rest = list(values)
    for role, kind, name in params:
        if kind is inspect.Parameter.VAR_POSITIONAL:
            args.extend(rest)
            rest = []
            continue
        if kind is inspect.Parameter.VAR_KEYWORD:
            continue
        if role[0] == "input":
            if rest and kind is not inspect.Parameter.KEYWORD_ONLY:
                args.append(rest.pop(0))
            continue
        if role[0] == "event":
            with files.using(run.session.files):  # event data may name a file of the session
                value: Any = role[1](run.target, run.data)
        elif role[0] == "request":
            value = run.session.request
        else:
            value = role[1]._bound(run)
            if value.track_tqdm and patch_tqdm():
                current_progress.set(value)
        if kind is inspect.Parameter.KEYWORD_ONLY or len(args) < _position(params, name):
            kwargs[name] = value
        else:
            args.append(value)
    args.extend(rest)
    return args, kwargs


def _position(params: list, name: str) -> int:
    for i, (_, _, n) in enumerate(params):
        if n == name:
            return i
    return len(params)
