"""Event listeners, dependencies, ``update()``/``skip()`` and event data.

``btn.click(fn, inputs, outputs)`` records a :class:`Dependency` on the
demo's root :class:`~nbdemo.Blocks`; the engine runs it when the trigger fires
in either front door. Nothing here knows about transports.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from . import context

if TYPE_CHECKING:
    from .block import Block
    from .blocks import Blocks

ShowProgress = Literal["full", "minimal", "hidden"]
TriggerMode = Literal["once", "multiple", "always_last"]

#: Events whose default ``trigger_mode`` is "always_last" (as in Gradio): a
#: burst of changes runs the function for the first and the last value only.
_CONTINUOUS = {"change", "input", "release"}


class EventData:
    """What the front-end sent with an event; add a parameter annotated with
    this class (or a subclass) to ``fn`` to receive it.

    ``target`` is the component that fired; ``_data`` the raw payload.
    """

    def __init__(self, target: Block | None, data: Any):
        self.target = target
        self._data = data


class SelectData(EventData):
    """Payload of ``.select``: ``index`` (int, or [row, col] for tables),
    ``value`` (the selected value) and ``selected`` (bool)."""

    def __init__(self, target: Block | None, data: Any):
        super().__init__(target, data)
        data = data if isinstance(data, dict) else {}
        self.index = data.get("index")
        self.value = data.get("value")
        self.selected = bool(data.get("selected", True))


class KeyUpData(EventData):
    """Payload of ``.key_up``: ``key`` (str) and ``input_value`` (str)."""

    def __init__(self, target: Block | None, data: Any):
        super().__init__(target, data)
        data = data if isinstance(data, dict) else {}
        self.key = data.get("key")
        self.input_value = data.get("input_value")


def update(**props: Any) -> dict:
    """Return this from ``fn`` to change an output's properties, not only its value.

    ``update(value=..., visible=False, interactive=True, label="…",
    choices=[...])``: any property the output component has. Unknown
    property names raise ``ValueError`` when the update is applied, naming the
    component and the property. Properties left out keep their current values.
    """
    return {"__type__": "update", **props}


def skip() -> dict:
    """Return this (for one output, or as the whole result) to leave outputs unchanged."""
    return {"__type__": "update"}


def is_update(value: Any) -> bool:
    return isinstance(value, dict) and value.get("__type__") == "update"


@dataclass(eq=False)
class Dependency:
    """One event listener: triggers → fn(inputs) → outputs.

    Returned by every listener (``btn.click(...)``); chain with
    :meth:`then`, :meth:`success` and :meth:`failure`.
    """

    root: Blocks
    triggers: list[tuple[Block, str]]
    fn: Callable | None
    inputs: list[Block]
    outputs: list[Block]
    inputs_as_dict: bool = False
    api_name: str | None | Literal[False] = None
    show_progress: ShowProgress = "full"
    queue: bool = True
    concurrency_limit: int | None | Literal["default"] = "default"
    concurrency_id: str | None = None
    trigger_mode: TriggerMode = "once"
    preprocess: bool = True
    postprocess: bool = True
    scroll_to_output: bool = False
    show_api: bool = True
    after: Dependency | None = None
    after_when: Literal["always", "success", "failure"] = "always"
    extra: dict = field(default_factory=dict)

    def then(self, fn: Callable | None, inputs=None, outputs=None, **kwargs: Any) -> Dependency:
        """Run ``fn`` after this event finishes, whether it succeeded or not."""
        return _register(self.root, [], fn, inputs, outputs, after=self, after_when="always", **kwargs)

    def success(self, fn: Callable | None, inputs=None, outputs=None, **kwargs: Any) -> Dependency:
        """Run ``fn`` after this event finishes without an error."""
        return _register(self.root, [], fn, inputs, outputs, after=self, after_when="success", **kwargs)

    def failure(self, fn: Callable | None, inputs=None, outputs=None, **kwargs: Any) -> Dependency:
        """Run ``fn`` after this event raised an error."""
        return _register(self.root, [], fn, inputs, outputs, after=self, after_when="failure", **kwargs)

    @property
    def fn_index(self) -> int:
        return self.root.dependencies.index(self)

    def __repr__(self) -> str:
        name = getattr(self.fn, "__name__", None)
        return f"Dependency(fn={name}, triggers={[(b._id, e) for b, e in self.triggers]})"


def _as_list(blocks) -> tuple[list, bool]:
    if blocks is None:
        return [], False
    if isinstance(blocks, (set, frozenset)):
        return sorted(blocks, key=lambda b: b._id), True
    if isinstance(blocks, Sequence) and not isinstance(blocks, (str, bytes)):
        return list(blocks), False
    return [blocks], False


def _root_of(block: Block) -> Blocks | None:
    from .blocks import Blocks

    node = block
    found = None
    while node is not None:
        if isinstance(node, Blocks):
            found = node
        node = node.parent
    return found


def _register(root: Blocks | None, triggers: list[tuple[Block, str]], fn, inputs, outputs, *,
              after: Dependency | None = None, after_when: str = "always",
              trigger_mode: TriggerMode | None = None, **kwargs: Any) -> Dependency:
    from .block import Block

    if fn is not None and not callable(fn):
        raise TypeError(f"fn must be a callable or None, got {type(fn).__name__}")
    ins, as_dict = _as_list(inputs)
    outs, _ = _as_list(outputs)
    for b in ins + outs:
        if not isinstance(b, Block):
            raise TypeError(f"inputs and outputs must be nbdemo components, got {b!r}")
    root = context.root() or root
    if root is None:
        for b, _ in triggers:
            root = _root_of(b)
            if root is not None:
                break
    if root is None:
        raise RuntimeError("Event listeners must be added inside `with nbdemo.Blocks():`, "
                           "or on components already rendered in a Blocks.")
    # Gradio names: `js` (front-end function) and `every` are accepted for
    # compatibility; `js` is not supported yet and raises rather than being ignored.
    if kwargs.pop("js", None):
        raise NotImplementedError("js= event functions are not supported by nbdemo yet")
    cancels = kwargs.pop("cancels", None)
    # Accepted for Gradio compatibility; those that would change what runs
    # when are not built yet, and say so instead of being silently ignored.
    for key in ("every", "batch", "stream_every", "time_limit"):
        if kwargs.pop(key, None):
            warnings.warn(f"nbdemo does not support {key}= on event listeners yet; "
                          "the listener runs on its triggers only", UserWarning, stacklevel=3)
    for key in ("max_batch_size", "show_progress_on", "validator", "key"):
        kwargs.pop(key, None)
    if trigger_mode is None:
        continuous = any(e in _CONTINUOUS for _, e in triggers)
        trigger_mode = "always_last" if continuous else "once"
    dep = Dependency(root=root, triggers=triggers, fn=fn, inputs=ins, outputs=outs,
                     inputs_as_dict=as_dict, after=after, after_when=after_when,
                     trigger_mode=trigger_mode, **kwargs)
    if cancels:
        cancels = list(cancels) if isinstance(cancels, (list, tuple, set, frozenset)) else [cancels]
        for c in cancels:
            if not isinstance(c, Dependency):
                raise TypeError(f"cancels= takes the values listeners return (btn.click(...)), got {c!r}")
        dep.extra["cancels"] = cancels
    root.dependencies.append(dep)
    for block, event in triggers:
        events = getattr(block, "_events", None)
        if events is not None and event not in events:
            block._events = [*events, event]
    return dep


class EventListener:
    """Descriptor that gives a component its ``.click(...)``, ``.change(...)``, … methods."""

    def __init__(self, name: str, doc: str = ""):
        self.name = name
        self.doc = doc

    def __set_name__(self, owner, attr):
        self.name = self.name or attr

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return BoundEvent(obj, self.name, self.doc)


class BoundEvent:
    """``component.click``: call it to add a listener; pass it to :func:`on`."""

    def __init__(self, block: Block, event: str, doc: str = ""):
        self.block = block
        self.event_name = event
        self.__doc__ = doc or f"Add a listener for the '{event}' event."

    def __call__(self, fn: Callable | None = None, inputs=None, outputs=None, *,
                 api_name: str | None | Literal[False] = None,
                 show_progress: ShowProgress = "full", queue: bool = True,
                 concurrency_limit: int | None | Literal["default"] = "default",
                 concurrency_id: str | None = None, trigger_mode: TriggerMode | None = None,
                 preprocess: bool = True, postprocess: bool = True,
                 scroll_to_output: bool = False, show_api: bool = True,
                 **kwargs: Any) -> Dependency:
        """Run ``fn(*inputs)`` when this event fires and write its result to ``outputs``.

        ``inputs``: a component, a list (fn gets one positional argument per
        component) or a set (fn gets one dict ``{component: value}``).
        ``fn`` may return a value, a tuple (one per output), a dict
        ``{component: value}``, ``update(...)`` or ``skip()``, and may be sync,
        async or a generator (each yield updates the outputs).
        ``concurrency_limit``: how many runs of this listener at once across
        all sessions; "default" uses ``Blocks.queue(default_concurrency_limit=)``,
        which is ``None`` (no limit). Gradio's default is 1; nbdemo differs so
        that one visitor's slow call never blocks the others unless you ask.
        ``trigger_mode``: "once" (ignore triggers while running; default for
        click/submit), "always_last" (default for change/input), "multiple".
        ``cancels``: listeners (what ``.click(...)`` etc. returned) whose runs in
        this session stop when this event fires; a stopped run has status
        "cancelled" and keeps what it already wrote (e.g. a partial stream).
        """
        return _register(None, [(self.block, self.event_name)], fn, inputs, outputs,
                         api_name=api_name, show_progress=show_progress, queue=queue,
                         concurrency_limit=concurrency_limit, concurrency_id=concurrency_id,
                         trigger_mode=trigger_mode, preprocess=preprocess,
                         postprocess=postprocess, scroll_to_output=scroll_to_output,
                         show_api=show_api, **kwargs)


def on(triggers: BoundEvent | Sequence[BoundEvent] | None, fn: Callable | None = None,
       inputs=None, outputs=None, **kwargs: Any) -> Dependency:
    """Run ``fn`` when any of ``triggers`` fires (e.g. ``[name.submit, btn.click]``).

    ``triggers=None`` runs ``fn`` whenever any input changes (Gradio's "live"
    mode). Other arguments are those of any listener.
    """
    if triggers is None:
        ins, _ = _as_list(inputs)
        pairs = [(b, "change") for b in ins]
    else:
        items = triggers if isinstance(triggers, Sequence) else [triggers]
        pairs = []
        for t in items:
            if not isinstance(t, BoundEvent):
                raise TypeError(f"triggers must be listeners such as btn.click, got {t!r}")
            pairs.append((t.block, t.event_name))
    return _register(None, pairs, fn, inputs, outputs, **kwargs)
