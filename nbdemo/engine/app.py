"""App: the runnable form of a Blocks tree (blocks by id, dependencies, triggers)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..block import is_component
from ..events import Dependency, _as_list, every_trigger

if TYPE_CHECKING:
    from ..blocks import Blocks


class App:
    """Indexes a demo for the engine. Rebuilt cheaply when the demo gains listeners.

    Besides the demo's own listeners, ``dependencies`` holds one ``load``
    listener per component whose ``value`` is a callable (Gradio computes it
    when a session starts, again when one of its ``inputs=`` changes, and on
    every tick of its ``every=``).

    A session whose ``gr.render`` functions ran sees the demo through
    :meth:`overlay`: these indexes plus the blocks and listeners its renders
    made (``dependencies`` is then a dict, fn_index → listener).
    """

    def __init__(self, root: Blocks):
        self.root = root
        self._n = -1
        #: grows on every refresh (a session's overlay is rebuilt when it changes)
        self.version = 0
        self.refresh()

    def refresh(self) -> None:
        root = self.root
        self.blocks: dict[int, Any] = {}
        for b in root.walk():
            self.blocks[b._id] = b
        deps = list(root.dependencies)
        n_own = len(deps)
        deps += [value_listener(root, b) for b in list(self.blocks.values())
                 if getattr(b, "_value_fn", None) is not None]
        self.dependencies: list[Dependency] | dict[int, Dependency] = deps
        self._index(enumerate(deps))
        self._set_editable(self.blocks.values())
        self._n = n_own
        self.version += 1

    def _index(self, items: Iterable[tuple[int, Dependency]]) -> None:
        """Build the lookups from (fn_index, listener) pairs."""
        self.triggers: dict[tuple[int, str], list[int]] = {}
        self.after: dict[int, list[int]] = {}
        #: component ids each listener reads (inputs) and writes (outputs), by fn_index
        self.reads: dict[int, frozenset[int]] = {}
        self.writes: dict[int, frozenset[int]] = {}
        self.loads: list[int] = []
        self.unloads: list[int] = []
        items = list(items)
        self._position = {id(d): i for i, d in items}
        timers: dict[int, Any] = {}
        for i, dep in items:
            for block, event in dep.triggers:
                self.triggers.setdefault((block._id, event), []).append(i)
                if event == "load":
                    self.loads.append(i)
                elif event == "unload":
                    self.unloads.append(i)
                elif event == "tick":
                    timers[block._id] = block
            if dep.after is not None and id(dep.after) in self._position:
                self.after.setdefault(self._position[id(dep.after)], []).append(i)
            self.reads[i] = frozenset(c._id for c in dep.inputs)
            self.writes[i] = frozenset(c._id for c in dep.outputs)
            for c in dep.inputs + dep.outputs:
                # components used only in events (e.g. an unrendered State) are still known
                if is_component(c):
                    self.blocks.setdefault(c._id, c)
        for t in timers.values():
            self.blocks.setdefault(t._id, t)
        self.timers = list(timers.values())

    def _set_editable(self, blocks: Iterable[Any]) -> None:
        # Gradio: a component with interactive=None is editable when some
        # listener reads it, or when no listener writes it.
        deps = self.dependencies.values() if isinstance(self.dependencies, dict) else self.dependencies
        ins = {c._id for d in deps for c in d.inputs}
        outs = {c._id for d in deps for c in d.outputs}
        for b in blocks:
            if is_component(b):
                editable = b._id in ins or b._id not in outs
                if b._editable != editable:
                    b._editable = editable

    def fresh(self) -> App:
        if self._n != len(self.root.dependencies):
            self.refresh()
        return self

    def dependency(self, fn_index: int) -> Dependency | None:
        """The listener ``fn_index``, or None when there is none (a rendered
        listener its session re-rendered away)."""
        deps = self.dependencies
        if isinstance(deps, dict):
            return deps.get(fn_index)
        return deps[fn_index] if 0 <= fn_index < len(deps) else None

    def index_of(self, dep: Dependency) -> int | None:
        """The fn_index of listener ``dep`` here, or None."""
        return self._position.get(id(dep))

    def overlay(self, rendered: Iterable[tuple[dict[int, Any], dict[int, Dependency]]]) -> App:
        """This app plus what one session's renders made: for each render,
        (blocks by id, listeners by fn_index). The rendered components'
        editability follows every listener the session has; the demo's own
        components are shared by all sessions and keep theirs."""
        view = object.__new__(App)
        view.root = self.root
        view.base, view.version = self, self.version
        view._n = self._n
        view.blocks = dict(self.blocks)
        view.dependencies = dict(enumerate(self.dependencies))
        made: list[Any] = []
        for blocks, deps in rendered:
            view.blocks.update(blocks)
            made += blocks.values()
            view.dependencies.update(deps)
        view._index(view.dependencies.items())
        view._set_editable(made)
        return view

    def component(self, block_id: Any):
        if isinstance(block_id, bool) or not isinstance(block_id, int):
            raise ValueError(f"component id must be an int, got {block_id!r:.40}")
        block = self.blocks.get(block_id)
        if not is_component(block):
            raise ValueError(f"no component with id {block_id} in this demo")
        return block


def value_listener(root, comp) -> Dependency:
    """The load listener that computes ``comp``'s callable value per session
    (made once per component, so its index stays put)."""
    dep = comp.__dict__.get("_value_dep")
    if dep is None:
        triggers = [(root, "load")]
        inputs, as_dict = _as_list(getattr(comp, "_value_inputs", None))
        triggers += [(c, "change") for c in inputs if hasattr(c, "change")]
        every = getattr(comp, "every", None)  # Gradio's every= on a component with a callable value
        if every is not None:
            triggers.append(every_trigger(every))
        dep = Dependency(root=root, triggers=triggers, fn=comp._value_fn, inputs=inputs,
                         inputs_as_dict=as_dict,
                         outputs=[comp], api_name=False, show_progress="hidden",
                         trigger_mode="always_last", show_api=False)
        dep.extra["value_of"] = comp._id  # runs in every page's sessions
        comp.__dict__["_value_dep"] = dep
        for block, event in triggers[1:]:  # the front-end sends only events with listeners
            events = getattr(block, "_events", None)
            if events is not None and event not in events:
                block._events = [*events, event]
    return dep
