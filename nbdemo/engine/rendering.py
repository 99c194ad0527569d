"""What a ``gr.render`` run made in one session, and how it replaces the last one.

A ``gr.render`` function is a listener of the demo (see :func:`nbdemo.renderable.render`)
whose run returns a :class:`Rendered`: the layout it built and the
components and listeners it made. Those belong to the session the run was
for, never to the demo: :func:`show` hands them to the session (which tells
its front-end), forgets what the previous run of the same render made there,
and the engine then sees the session's listeners through
``Engine.app_for(session)``.

Listeners made by a render get the fn_index ``Engine.slot(render, name)``
(from ``RENDERED`` up), where the name is the listener's ``key=`` or else
its position in the run: the n-th listener of every run of a render (or the
one with a given key) has the same index in every session, so re-rendering
makes no new index, queue statistics or concurrency group (nothing grows
with the number of runs), and a session's runs of "the same" listener share
its ``trigger_mode`` across runs of the render (Gradio's listener ``key=``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .. import protocol
from ..block import is_component
from .app import value_listener

#: the first fn_index of listeners made by ``gr.render`` runs (the demo's own
#: listeners are numbered from 0)
RENDERED = 1 << 20


class Rendered:
    """One run of a render function: ``container`` (a copy of the render's
    Column or Row, same id, holding what the run placed in it), ``made``
    (every block the run created, in order), ``keys`` (key → block, for the
    blocks made with ``key=``) and ``dependencies`` (the listeners it added).

    ``blocks`` indexes what the session may address (the container's content
    and every block made); ``index`` is filled by :func:`show` (fn_index →
    listener); ``tasks`` are the timers this run started in its session;
    ``initial`` holds, for keyed components, their ``preserved_by_key`` props
    as built (to tell later whether the user or a function changed them).
    """

    def __init__(self, render_id: int, container, made: list, keys: dict, dependencies: list):
        self.render_id = render_id
        self.container = container
        self.made = made
        self.keys = keys
        self.dependencies = dependencies
        self.blocks: dict[int, Any] = {b._id: b for b in container.walk()}
        self.blocks.update((b._id, b) for b in made)
        self.index: dict[int, Any] = {}
        self.tasks: set = set()
        self.initial: dict[int, dict[str, Any]] = {
            b._id: {n: getattr(b, n, None) for n in preserved(b)}
            for b in keys.values() if is_component(b)}

    def components(self) -> list:
        """The components shown (placed in the container), in layout order."""
        return [b for b in self.container.walk() if is_component(b)]

    def discard(self) -> None:
        """Stop this run's timers and close the widgets it made (they leave
        ipywidgets' registry of live widgets; inline, their views go)."""
        for task in list(self.tasks):
            task.cancel()
        for b in self.made:
            if is_component(b) and getattr(b, "comm", None) is not None:
                try:
                    b.close()
                except KeyError:  # its comm's manager was replaced (ipykernel imported after it)
                    b.comm = None


def preserved(block) -> list[str]:
    """The props of ``block`` a re-render with the same key keeps (Gradio's
    ``preserved_by_key``, default ``["value"]``)."""
    return getattr(block, "preserved_by_key", ["value"])


def show(engine, session, rendered: Rendered) -> None:
    """Put ``rendered`` in ``session`` in place of the previous run of the same
    render: number its listeners, carry what keyed blocks keep, forget what
    the previous run made, tell the front-end, start its timers and run its
    ``load`` listeners (callable values, ``demo.load`` inside the render)."""
    if session.closed:
        rendered.discard()
        return
    rid = rendered.render_id
    old = session.renders.get(rid)
    deps = list(rendered.dependencies)
    deps += [value_listener(engine.blocks, b) for b in rendered.made
             if getattr(b, "_value_fn", None) is not None]
    for position, dep in enumerate(deps):
        i = engine.slot(rid, ("key", dep.extra["key"]) if "key" in dep.extra else position)
        rendered.index[i] = dep
        dep.extra.setdefault("queue_key", f"render{i}")
    kept: set[int] = set()
    if old is not None:
        kept = {b._id for b in rendered.keys.values() if b._id in old.blocks}
        for bid in kept:
            session.carry(old.blocks[bid], rendered.blocks[bid], old.initial.get(bid))
        session.forget([bid for bid in old.blocks if bid not in kept])
    session.renders[rid] = rendered
    session.rendered_app = None
    engine.app_for(session)  # the rendered components' editability, before they are shown
    outside = {b._id: b for d in deps for b, _ in d.triggers
               if is_component(b) and b._id not in rendered.blocks}
    session.show_render(rendered, kept, list(outside.values()))
    if old is not None:
        old.discard()
    shared = {t._id for t in engine.app.timers}  # ticking since the session opened
    timers = {b._id: b for d in deps for b, e in d.triggers if e == "tick" and b._id not in shared}
    engine.start_timers(session, timers.values(), rendered.tasks)
    for i, dep in rendered.index.items():
        if any(e == "load" for _, e in dep.triggers):
            engine.submit(session, i, None, None)


def message(rendered: Rendered, kept: set[int], props_of) -> dict:
    """The "render" message for ``rendered`` (see :mod:`nbdemo.protocol`):
    ``props_of(component, kept)`` gives each shown component's props."""
    states = set()
    components = {}
    for c in rendered.components():
        if c._kind == "state":  # State stays on the server: no model, no node
            states.add(c._id)
        else:
            components[str(c._id)] = {"kind": c._kind, "props": props_of(c, c._id in kept)}
    layout = without(rendered.container.layout(lambda c: f"c:{c._id}"), states)
    return protocol.render(rendered.render_id, layout, components)


def without(node: dict, ids: Iterable[int]) -> dict:
    """``node`` (a layout tree) without the component nodes whose id is in ``ids``."""
    ids = ids if isinstance(ids, (set, frozenset)) else set(ids)
    if "children" in node:
        node["children"] = [without(c, ids) for c in node["children"]
                            if not (c.get("type") == "component" and c.get("id") in ids)]
    return node
