"""Engine: runs event dependencies for sessions.

One engine per demo. ``trigger()`` is called on the event loop of the front
door (tornado's loop for the server, nbdemo's background loop in a kernel).
Sync functions run in a thread pool, never on the loop; async functions run on
the loop; generators stream (each ``yield`` updates the outputs).
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import logging
import threading
import traceback
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .. import files, protocol
from ..errors import Error
from ..events import Dependency, EventData, is_update
from .app import App

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
        self._limits: dict[tuple[int, str], asyncio.Semaphore] = {}

    # -- triggers -----------------------------------------------------------------
    def trigger(self, session, block_id: Any, event: Any, data: Any = None) -> list[asyncio.Task]:
        """Start every listener of ``event`` on component ``block_id``.

        Raises ``ValueError`` for an unknown component or event (the front
        door turns it into an error reply).
        """
        app = self.app.fresh()
        comp = app.component(block_id)
        if not isinstance(event, str) or event not in comp._events:
            known = ", ".join(comp._events) or "none"
            raise ValueError(f"{type(comp).__name__} (id {block_id}) has no listener for "
                             f"event {event!r:.40} (listened events: {known})")
        tasks = []
        for fn_index in app.triggers.get((block_id, event), []):
            task = self.submit(session, fn_index, comp, data)
            if task is not None:
                tasks.append(task)
        return tasks

    def submit(self, session, fn_index: int, target, data) -> asyncio.Task | None:
        dep = self.app.dependencies[fn_index]
        cancels = dep.extra.get("cancels")
        if cancels:
            self.cancel(session, cancels)
        if session.pending.get(fn_index):
            if dep.trigger_mode == "once":
                return None
            if dep.trigger_mode == "always_last":
                session.rerun[fn_index] = (target, data)
                return None
        task = asyncio.get_running_loop().create_task(self._run(session, fn_index, target, data))
        session.tasks.add(task)
        task.add_done_callback(session.tasks.discard)
        running = session.running.setdefault(fn_index, set())
        running.add(task)
        task.add_done_callback(running.discard)
        return task

    def cancel(self, session, dependencies) -> int:
        """Cancel ``session``'s running (and queued re-)runs of ``dependencies``
        (Dependency objects, as given to ``cancels=``); returns how many runs.

        A cancelled run emits status "cancelled"; what it already wrote to its
        outputs stays; its ``.then()``/``.success()`` chains do not run. Other
        sessions' runs are never touched.
        """
        index = {id(d): i for i, d in enumerate(self.app.fresh().dependencies)}
        n = 0
        for dep in dependencies:
            i = index.get(id(dep))
            if i is None:
                continue
            session.rerun.pop(i, None)
            for task in list(session.running.get(i, ())):
                if not task.done():
                    task.cancel()
                    n += 1
        return n

    # -- one run ------------------------------------------------------------------------
    def _limit(self, dep: Dependency) -> asyncio.Semaphore | None:
        limit = dep.concurrency_limit
        if limit == "default":
            limit = getattr(self.blocks, "default_concurrency_limit", None)
        if limit is None:
            return None
        key = (id(asyncio.get_running_loop()), dep.concurrency_id or f"fn{id(dep)}")
        sem = self._limits.get(key)
        if sem is None:
            sem = self._limits[key] = asyncio.Semaphore(int(limit))
        return sem

    async def _run(self, session, fn_index: int, target, data) -> None:
        dep = self.app.dependencies[fn_index]
        event_id = uuid.uuid4().hex
        targets = [c._id for c in dep.outputs]
        session.pending[fn_index] = session.pending.get(fn_index, 0) + 1
        ok = False
        try:
            session.emit(protocol.status(event_id, fn_index, "pending", targets,
                                         show_progress=dep.show_progress))
            try:
                await self._call(session, dep, fn_index, event_id, targets, target, data)
                ok = True
                session.emit(protocol.status(event_id, fn_index, "complete", targets,
                                             show_progress=dep.show_progress))
            except asyncio.CancelledError:
                if not session.closed:
                    session.emit(protocol.status(event_id, fn_index, "cancelled", targets,
                                                 show_progress=dep.show_progress))
                raise
            except Exception as e:  # every error reaches the user; the session goes on
                session.emit(self._error_status(e, event_id, fn_index, targets, dep))
        finally:
            session.pending[fn_index] -= 1
        if session.closed:
            return
        again = session.rerun.pop(fn_index, None)
        if again is not None:
            self.submit(session, fn_index, *again)
        for nxt in self.app.after.get(fn_index, []):
            when = self.app.dependencies[nxt].after_when
            if when == "always" or (when == "success") == ok:
                self.submit(session, nxt, target, data)

    def _error_status(self, e: Exception, event_id, fn_index, targets, dep) -> dict:
        if isinstance(e, Error):
            if e.print_exception:
                log.info("nbdemo.Error in %s: %s", _name(dep.fn), e.message)
            if not e.visible:
                return protocol.status(event_id, fn_index, "error", targets, message=None,
                                       title=None, show_progress=dep.show_progress, duration=0)
            return protocol.status(event_id, fn_index, "error", targets, message=e.message,
                                   title=e.title, show_progress=dep.show_progress,
                                   duration=e.duration)
        log.error("Exception in %s:\n%s", _name(dep.fn), traceback.format_exc())
        message = f"{type(e).__name__}: {e}" if self.show_error else None
        return protocol.status(event_id, fn_index, "error", targets, message=message,
                               title="Error", show_progress=dep.show_progress)

    async def _call(self, session, dep: Dependency, fn_index, event_id, targets, target, data):
        if dep.fn is None:
            return
        loop = asyncio.get_running_loop()
        args = await self._offload(session, dep.inputs, self._inputs, session, dep)
        extra = _event_data_args(dep.fn, target, data)
        args = args + extra
        sem = self._limit(dep)
        if sem is not None:
            await sem.acquire()
        try:
            fn = dep.fn
            if inspect.isasyncgenfunction(fn):
                async for item in fn(*args):
                    await self._apply(session, dep, item)
                    session.emit(protocol.status(event_id, fn_index, "generating", targets,
                                                 show_progress=dep.show_progress))
            elif inspect.iscoroutinefunction(fn):
                await self._apply(session, dep, await fn(*args))
            elif inspect.isgeneratorfunction(fn):
                ctx = contextvars.copy_context()
                gen = await loop.run_in_executor(executor(), ctx.run, fn, *args)
                step = None
                try:
                    while True:
                        step = executor().submit(ctx.run, _next, gen)
                        item = await asyncio.wrap_future(step)
                        if item is _STOP:
                            break
                        await self._apply(session, dep, item)
                        session.emit(protocol.status(event_id, fn_index, "generating", targets,
                                                     show_progress=dep.show_progress))
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
                result = await loop.run_in_executor(executor(), ctx.run, fn, *args)
                if inspect.isawaitable(result):
                    result = await result
                await self._apply(session, dep, result)
        finally:
            if sem is not None:
                sem.release()

    # -- inputs / outputs -------------------------------------------------------------------
    def _inputs(self, session, dep: Dependency) -> list:
        values = []
        for comp in dep.inputs:
            raw = session.get_value(comp)
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
            return await asyncio.get_running_loop().run_in_executor(executor(), ctx.run, fn, *args)
        with files.using(session.files):
            return fn(*args)

    async def _apply(self, session, dep: Dependency, result: Any) -> None:
        """Write ``result`` to ``dep.outputs``; raises ``ValueError`` on a shape mismatch."""
        if not dep.outputs:
            return
        updates, changed = await self._offload(session, dep.outputs, self._updates, session, dep, result)
        if updates:
            session.apply(updates)
        for comp in changed:
            if "change" in comp._events:
                self.submit_all(session, comp, "change")

    def _updates(self, session, dep: Dependency, result: Any) -> tuple[list, list]:
        """The prop updates for ``result`` (postprocessed) and the outputs whose value changed."""
        outputs = dep.outputs
        from ..components.base import Component

        if isinstance(result, dict) and result and all(isinstance(k, Component) for k in result):
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
        updates = []
        changed = []
        for comp, value in pairs:
            if comp._kind == "state":
                if is_update(value):
                    if "value" not in value:
                        continue
                    value = value["value"]
                old = session.get_value(comp)
                session.set_value(comp, value)
                if value is not old:
                    changed.append(comp)
                continue
            props = self._props(dep, comp, value, session.view(comp))
            if props:
                updates.append((comp, props))
                if "value" in props:
                    changed.append(comp)
        return updates, changed

    def submit_all(self, session, comp, event: str) -> None:
        for fn_index in self.app.triggers.get((comp._id, event), []):
            self.submit(session, fn_index, comp, None)

    def _props(self, dep: Dependency, comp, value: Any, view=None) -> dict:
        """The props an output gets for ``value``; ``view`` is ``comp`` as the
        session sees it (pre/postprocessing follow the session's own props)."""
        from ..components.base import Component

        view = comp if view is None else view
        if isinstance(value, Component):
            if value is comp:
                return {}
            props = dict(value._init_kwargs)
            value.close()  # a component returned as an update needs no comm of its own
            value = {"__type__": "update", **props}
        if is_update(value):
            props = {k: v for k, v in value.items() if k != "__type__"}
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
            return props
        return {"value": view.postprocess(value) if dep.postprocess else value}


def _close(gen) -> None:
    try:
        gen.close()
    except Exception:  # a generator's own cleanup failing after a cancel
        log.exception("nbdemo: closing a cancelled generator failed")


def _name(fn) -> str:
    return getattr(fn, "__name__", repr(fn))


def _event_data_args(fn, target, data) -> list:
    """Gradio passes EventData to a parameter annotated with it (e.g. ``evt: gr.SelectData``)."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return []
    out = []
    for p in sig.parameters.values():
        ann = p.annotation
        if isinstance(ann, str):
            ann = {"EventData": EventData, "SelectData": _select(), "gr.SelectData": _select(),
                   "gr.EventData": EventData}.get(ann)
        if isinstance(ann, type) and issubclass(ann, EventData):
            out.append(ann(target, data))
    return out


def _select():
    from ..events import SelectData

    return SelectData
