"""``gr.render``: parts of a demo built per session, again on every trigger.

The public decorator is :func:`render` (its docstring has the semantics and
where nbdemo differs from Gradio). A render is a private listener of the demo
(:class:`Renderable`) whose run, in the engine's thread pool, puts that
thread in render mode (:class:`RenderRun`, :func:`nbdemo.context.rendering`):
the blocks and listeners the function makes are collected for the session,
never added to the demo, and :mod:`nbdemo.engine.rendering` puts them in the
session in place of the previous run's. (The module is named as Gradio's is:
``nbdemo.render`` is the decorator; a module of that name would replace it
on the package once imported.)
"""

from __future__ import annotations

import contextlib
import copy
import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Any, Literal

from . import _args, context, files
from .block import Block, new_id
from .engine.rendering import Rendered
from .engine.run import current_run
from .events import BoundEvent, EventListener, _as_list, _register
from .layout import Column, Row

__all__ = ["render", "Renderable", "RenderRun"]

def render(inputs: Any = None, triggers: Any = None, *, queue: bool = True,
           trigger_mode: Literal["once", "multiple", "always_last"] | None = "always_last",
           concurrency_limit: int | None | Literal["default"] = None,
           concurrency_id: str | None = None,
           show_progress: Literal["full", "minimal", "hidden"] = "full",
           **kwargs: Any) -> Callable[[Callable], Callable]:
    """Decorator: parts of a demo built per session, again on every trigger.

    Used as a decorator inside ``with gr.Blocks():``::

        with gr.Blocks() as demo:
            text = gr.Textbox(label="Words")

            @gr.render(inputs=text)
            def words(value):
                for word in value.split():
                    gr.Textbox(word)

    The decorator leaves a Column (a Row when it is used inside a Row) at its
    place in the layout, empty in the demo itself, and adds a listener that runs
    the function with the ``inputs``' values: when a session starts and whenever
    one of the inputs changes (``triggers=None``, the default: ``demo.load`` and
    each input's ``.change``), or on the given ``triggers`` only (a list such as
    ``[btn.click, demo.load]``: add ``demo.load`` to also render when the page
    opens, as in Gradio). Each run's components, layout blocks and listeners
    replace those of the previous run *in that session*: two pages of one demo
    render independently, and what a run made is never added to the demo.

    Inside the function, components and layout blocks (``with gr.Row():``) are
    made as anywhere in a Blocks, and listeners added there work: they may use
    components the run made and components outside the render (a listener on a
    button outside, such as ``merge.click(fn, boxes, out)``, replaces the one
    the previous run added). ``gr.Interface``, ``gr.Examples``, ``gr.Timer`` and
    callable values (``value=fn, every=...``) work inside too.

    ``key=`` on a component made in a render keeps it across runs: a block
    made again with the key it had in the previous run of the same render (in
    the same session, of the same class) takes the previous one's id, so the page
    keeps that component, with its DOM, and the props named by its
    ``preserved_by_key`` (default ``["value"]``) keep what the user or a function
    set them to instead of the new arguments. A block without a key is new on
    every run, and whatever the session held for the blocks and listeners of
    the previous run is forgotten (values, State, timers, widgets): a session's
    memory does not grow with the number of runs.

    Arguments, with Gradio's defaults: ``inputs`` (components; the function
    gets their values, preprocessed, plus ``gr.EventData``/``gr.Request``/
    ``gr.Progress`` parameters as any listener), ``triggers``, ``queue``,
    ``trigger_mode`` (default "always_last": a burst of changes runs it for the
    first and the last value), ``concurrency_limit`` (default None: no limit,
    whatever ``queue(default_concurrency_limit=)`` says), ``concurrency_id``,
    ``show_progress`` (shown over the render's Column while it runs). These
    are all of Gradio's; any other name raises ``TypeError``.

    Where nbdemo differs from Gradio, and why:

    - The function must be a plain function (not ``async``, not a generator):
      Gradio calls it and ignores what an ``async`` one returns, so its page
      silently stays empty; nbdemo raises ``TypeError`` when decorating.
    - A ``gr.render`` inside a render function is not supported yet: its run
      ends with an error naming it.
    - A key keeps a block only if the same session's previous run made a block
      of the same class with it: a key that moves from a Textbox to a Number
      makes a new component (Gradio keeps the id whatever the class, and the
      page's old state meets a component that cannot hold it).
    - Listeners of a render are not in the HTTP API (the render's own listener
      is private too): they exist only in the sessions of pages that ran it.
    - Keyed layout blocks (``gr.Row(key=...)``) keep their id, but the page
      builds them again (an Accordion's open state follows the new arguments).
    - Inline in a notebook (one session: the notebook's) a keyed component is
      a new widget on each run, given what the old one kept: its view is built
      again (the standalone page keeps the element, focus included). Both
      doors rebuild only the render's part of the demo.

    Returns the function unchanged. Raises ``ValueError`` outside a
    ``with gr.Blocks():``, ``TypeError`` for a trigger that is not a listener
    (``btn.click``), for an async or generator function, or for an unknown
    argument.
    """
    _args.check("render", kwargs, ())  # every Gradio argument is supported
    if context.rendering() is not None:
        raise NotImplementedError("gr.render inside a gr.render function is not supported by "
                                  "nbdemo; make the inner part of the outer render")
    root = context.root()
    if root is None:
        raise ValueError("gr.render must be used inside `with gr.Blocks():`")
    ins, _ = _as_list(inputs)
    container = (_RenderRow if isinstance(context.current(), Row) else _RenderColumn)()
    pairs = _triggers(root, ins, triggers)

    def decorate(fn: Callable) -> Callable:
        if not callable(fn):
            raise TypeError(f"gr.render decorates a function, got {fn!r:.60}")
        if inspect.iscoroutinefunction(fn) or inspect.isgeneratorfunction(fn) \
                or inspect.isasyncgenfunction(fn):
            raise TypeError(f"gr.render needs a plain function; {_name(fn)} is async or a "
                            "generator (Gradio would show nothing for it)")
        Renderable(root, fn, container, ins, pairs, queue=queue, trigger_mode=trigger_mode,
                   concurrency_limit=concurrency_limit, concurrency_id=concurrency_id,
                   show_progress=show_progress)
        return fn

    return decorate


def _triggers(root, inputs: list, triggers: Any) -> list[tuple[Block, str]]:
    if triggers is None:  # Gradio: the page's load, and every input's change
        return [(root, "load")] + [(c, "change") for c in inputs
                                   if isinstance(getattr(type(c), "change", None), EventListener)]
    items = triggers if isinstance(triggers, Sequence) and not isinstance(triggers, str) else [triggers]
    pairs = []
    for t in items:
        if not isinstance(t, BoundEvent):
            raise TypeError(f"gr.render: triggers are listeners such as btn.click or demo.load, got {t!r:.60}")
        pairs.append((t.block, t.event_name))
    return pairs


class _Place:
    """A render's place in the layout; its node says so (``"render": true``),
    and the page shows the render's runs there."""

    def layout(self, ref) -> dict:
        return {**super().layout(ref), "render": True}  # type: ignore[misc]


class _RenderColumn(_Place, Column):
    pass


class _RenderRow(_Place, Row):
    pass


class Renderable:
    """One ``@gr.render`` of a demo: its place in the layout (``container``,
    a Column or Row whose id names the render) and its listener (``dependency``),
    whose function is a run of the decorated one (see :meth:`run`)."""

    def __init__(self, root, fn: Callable, container, inputs: list, triggers: list, **listener: Any):
        self.root = root
        self.fn = fn
        self.container = container
        self._id = container._id

        @functools.wraps(fn)  # the listener's signature is fn's (EventData, Request, Progress)
        def run(*args: Any, **kwargs: Any) -> Rendered:
            return self.run(*args, **kwargs)

        self.dependency = _register(root, triggers, run, inputs, [container], api_name=False,
                                    api_visibility="private", show_api=False, postprocess=False,
                                    **listener)
        self.dependency.extra["render"] = self

    def run(self, *args: Any, **kwargs: Any) -> Rendered:
        """Call the function with a fresh copy of the container open and this
        thread in render mode (:func:`nbdemo.context.rendering`); return what
        it made. Called by the engine in its thread pool, for one session."""
        engine_run = current_run.get()
        session = engine_run.session if engine_run is not None else None
        previous = session.renders.get(self._id) if session is not None else None
        container = copy.copy(self.container)
        container.children, container.parent = [], None
        container.props = dict(self.container.props)
        collector = RenderRun(self.root, previous.keys if previous is not None else {})
        stack = context.stack()
        depth = len(stack)
        before = context.set_rendering(collector)
        stack.append(container)
        try:
            # files of the values it builds (gr.Image("cat.png")) are the session's
            with files.using(session.files) if session is not None else contextlib.nullcontext():
                self.fn(*args, **kwargs)
        except BaseException:
            Rendered(self._id, container, collector.blocks, {}, []).discard()
            raise
        finally:
            del stack[depth:]
            context.set_rendering(before)
        rendered = Rendered(self._id, container, collector.blocks, collector.keys,
                            collector.dependencies)
        task = engine_run.task if engine_run is not None else None
        if session is not None and (session.closed or task is not None and task.done()):
            rendered.discard()  # the run was cancelled (or its page left) meanwhile: nobody shows it
        return rendered


class RenderRun:
    """What one run of a render function makes, as it makes it (the thread's
    :func:`nbdemo.context.rendering`): every block (``blocks``), the keyed
    ones (``keys``) and the listeners (``dependencies``). ``previous``: the
    keyed blocks of the session's previous run of the same render."""

    def __init__(self, root, previous: dict):
        self.root = root
        self.previous = previous
        self.keys: dict[Any, Block] = {}
        self.blocks: list[Block] = []
        self.dependencies: list = []

    def made(self, block: Block) -> int:
        """Record a new block; its id (its key's id in the previous run, if any)."""
        self.blocks.append(block)
        key = getattr(block, "key", None)
        if key is None:
            return new_id()
        if key in self.keys:
            block._id = new_id()  # closed with the failed run's other blocks
            raise ValueError(f"key={key!r} is used twice in one run of a gr.render function; "
                             "a key names one block of the render")
        self.keys[key] = block
        old = self.previous.get(key)
        # the same class (by name: anywidget gives each widget a class of its own)
        same = old is not None and type(old).__name__ == type(block).__name__
        return old._id if same else new_id()


def _name(fn: Any) -> str:
    return getattr(fn, "__name__", repr(fn))
