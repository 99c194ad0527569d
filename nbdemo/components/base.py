"""Component: the base of every nbdemo component (an anywidget.AnyWidget).

Each component holds its *wire value* in the synced ``value`` trait: what the
front-end shows and edits, JSON-shaped. ``preprocess`` turns the wire value
into what ``fn`` receives; ``postprocess`` turns what ``fn`` returns into the
wire value. Inline in a notebook ``component.value`` is the live value the
user sees; in the standalone server each browser session has its own copy and
``component.value`` stays the initial value.
"""

from __future__ import annotations

import inspect
import logging
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import anywidget
import traitlets as t

from .. import _args
from ..block import Block
from ..events import EventListener, _outside

log = logging.getLogger("nbdemo")

_STATIC = Path(__file__).resolve().parent.parent / "static"

#: Traits that belong to ipywidgets/anywidget plumbing, not to the component's props.
_PLUMBING = {"comm", "keys", "log", "layout", "tabbable", "tooltip", "_dom_classes",
             "_esm", "_css", "_anywidget_id", "_view_count"}


def _stub() -> str:
    """The tiny module every widget ships as ``_esm``; it asks the kernel once per
    page for the shared runtime (see ``js/src/stub.js``)."""
    try:
        return (_STATIC / "stub.js").read_text()
    except FileNotFoundError:  # pragma: no cover - a source checkout without a build
        return "export default { render({ el }) { el.textContent = 'nbdemo: JS bundle missing; run npm run build in js/'; } }"


class Widget(anywidget.AnyWidget):
    """An anywidget whose front-end code is nbdemo's shared runtime.

    The runtime dispatches on ``_kind`` to the component's renderer. What the
    front-end sends (custom comm messages: the runtime request, values,
    triggers, uploads) goes to ``Widget.front_door``: the notebook front door
    (``nbdemo.notebook``) sets it when it is imported, so components hold no
    transport code and never import a front door.
    """

    _esm = _stub()
    _kind = t.Unicode("").tag(sync=True)
    #: ``front_door(widget, content, buffers)``, called on the kernel's shell
    #: thread for each custom message from any nbdemo widget's front-end
    front_door: ClassVar[Callable[[Widget, Any, list], None] | None] = None

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_msg(self._on_front_msg)

    def _on_front_msg(self, _widget, content: Any, buffers: list) -> None:
        door = Widget.front_door
        if door is None:
            log.warning("nbdemo: no front door handles widget messages; "
                        "import nbdemo (or nbdemo.notebook) in this kernel")
            return
        door(self, content, buffers)


class Component(Block, Widget):
    """Base of every component.

    Common keyword arguments (Gradio's names), accepted by every component:

    - ``label`` (str): shown above the control and bound to it as its
      accessible name; ``show_label`` hides it visually (it stays the
      control's ``aria-label``).
    - ``info`` (str): help text under the label.
    - ``visible`` (bool, or Gradio 6's "hidden", shown as False), ``interactive`` (bool | None: None means "editable
      if it is an input of some event, read-only otherwise", as in Gradio).
    - ``elem_id`` (str), ``elem_classes`` (list[str]): for custom ``css``.
    - ``scale`` (int): relative width in a Row; ``min_width`` (int, pixels).
    - ``render`` (bool): place the component in the open ``with`` block
      (default True).
    - ``value`` may be a callable: it is called when a session starts (its
      result is the value), with the values of ``inputs=`` (a component, a
      list, or a set for one dict argument), again whenever one of those
      inputs changes, and on every tick of ``every=`` (a ``gr.Timer`` or a
      number of seconds), as in Gradio.
    - ``key`` and ``preserved_by_key`` (props names, default ``"value"``):
      in a ``gr.render`` function, a component made again with the key it
      had in the previous run keeps its identity, and those props keep what
      the user or a function set (see :func:`nbdemo.renderable.render`). Unknown prop
      names in ``preserved_by_key`` raise ``ValueError``.

    A Gradio argument a component does not support yet (``autofocus``,
    ``container``, ``every``, …) emits one ``UserWarning`` naming it and is
    ignored; a name Gradio does not know either raises ``TypeError``.
    """

    EVENTS: ClassVar[tuple[str, ...]] = ()
    #: value a ClearButton resets this component to
    CLEAR_VALUE: ClassVar[Any] = None

    value = t.Any(None, allow_none=True).tag(sync=True)
    label = t.Unicode(None, allow_none=True).tag(sync=True)
    show_label = t.Bool(True).tag(sync=True)
    info = t.Unicode(None, allow_none=True).tag(sync=True)
    #: Gradio 6's ``visible="hidden"`` (in the page but not shown) is stored as False
    visible = t.Union([t.Bool(), t.Enum(["hidden"])], default_value=True).tag(sync=True)
    interactive = t.Bool(None, allow_none=True).tag(sync=True)
    elem_id = t.Unicode(None, allow_none=True).tag(sync=True)
    elem_classes = t.List(t.Unicode()).tag(sync=True)
    scale = t.Int(None, allow_none=True).tag(sync=True)
    min_width = t.Int(160).tag(sync=True)
    _nbd_id = t.Int(0).tag(sync=True)
    #: effective editability when ``interactive`` is None (set from the listeners)
    _editable = t.Bool(True).tag(sync=True)
    #: events that have listeners; the front-end sends only these
    _events = t.List(t.Unicode()).tag(sync=True)

    def __init__(self, value: Any = None, *, label: str | None = None, info: str | None = None,
                 show_label: bool | None = None, visible: bool = True,
                 interactive: bool | None = None, elem_id: str | None = None,
                 elem_classes: list[str] | str | None = None, scale: int | None = None,
                 min_width: int = 160, render: bool = True, key: Any = None,
                 preserved_by_key: list[str] | str | None = "value", **props: Any) -> None:
        if isinstance(elem_classes, str):
            elem_classes = [elem_classes]
        self.key = key
        kept = [preserved_by_key] if isinstance(preserved_by_key, str) else list(preserved_by_key or ())
        unknown = [n for n in kept if n not in self.prop_names()]
        if unknown:
            raise ValueError(f"{type(self).__name__}(preserved_by_key=...): no prop {unknown[0]!r} "
                             f"to preserve")
        self.preserved_by_key = kept
        self.default_value = value
        if "buttons" in props and not self.has_trait("buttons"):
            props.update(self._buttons_as_props(props.pop("buttons")))
        if callable(value) and props.get("every") is not None:
            # Gradio: a callable value is computed again every ``every`` seconds
            # or ``every`` Timer tick (the engine's load listener reads ``self.every``)
            self.every = props.pop("every")
        if callable(value) and "inputs" in props:
            # Gradio: a callable value takes these components' values, and is
            # computed again whenever one of them changes
            self._value_inputs = props.pop("inputs")
        unknown = {k: v for k, v in props.items() if not self.has_trait(k)}
        if unknown:  # never swallowed: Gradio's names warn, others raise TypeError
            props = {k: v for k, v in props.items() if k not in unknown}
            _args.check(type(self).__name__, unknown, _args.GRADIO_COMPONENT_ARGS, stacklevel=4)
        init = dict(label=label, info=info, show_label=True if show_label is None else show_label,
                    visible=visible, interactive=interactive, elem_id=elem_id,
                    elem_classes=elem_classes or [], scale=scale, min_width=min_width, **props)
        if callable(value) and not isinstance(self, _AnyValue):
            # Gradio: a callable value is computed when the demo loads.
            self._value_fn = value
            value = None
        # Set props before the comm opens (Widget.__init__), so the front-end
        # receives one state message, and postprocess sees choices, precision, …
        for name, v in init.items():
            setattr(self, name, v)
        self.value = self._initial(value) if value is not None else self.CLEAR_VALUE
        Widget.__init__(self)
        self._init_block(render)
        self._nbd_id = self._id

    def __new__(cls, *args: Any, **kwargs: Any):
        obj = super().__new__(cls, *args, **kwargs)
        obj._init_kwargs = _given_props(cls, args, kwargs)
        return obj

    def _buttons_as_props(self, buttons: Any) -> dict[str, bool]:
        """Gradio 6's ``buttons=[...]`` → this component's ``show_<name>_button``
        props: the listed buttons shown, the others hidden (None: the defaults).
        A name the component has no button for, or a ``gr.Button`` (a custom
        toolbar button), warns, naming it."""
        if buttons is None:
            return {}
        names = [b for b in buttons if isinstance(b, str)]
        others = [b for b in buttons if not isinstance(b, str)]
        known = {n[len("show_"):-len("_button")] for n in self.trait_names()
                 if n.startswith("show_") and n.endswith("_button")}
        missing = [n for n in names if n not in known]
        if missing or others:
            what = ", ".join([repr(n) for n in missing] + ["gr.Button"] * bool(others))
            warnings.warn(f"{type(self).__name__}(buttons=...): nbdemo has no {what} button here; "
                          "ignored", UserWarning, stacklevel=4)
        return {f"show_{n}_button": n in names for n in known}

    @t.validate("visible")
    def _v_visible(self, proposal):
        return False if proposal["value"] == "hidden" else proposal["value"]

    # -- values ---------------------------------------------------------------
    def _initial(self, value: Any) -> Any:
        """``postprocess`` of the value given at build time. A file that is not
        there (a missing path, a URL on another host) warns, naming it, and the
        component starts empty: Gradio builds such a demo too (the page shows
        a broken link), and one missing sample file should not stop a demo."""
        self._at_build = True  # a component of several files may drop only the missing one
        try:
            return self.postprocess(value)
        except Exception as e:
            if not getattr(e, "unavailable", False):
                raise
            warnings.warn(f"{e}; {type(self).__name__} starts empty", UserWarning,
                          stacklevel=_outside())
            return self.CLEAR_VALUE
        finally:
            self._at_build = False

    def _skip_at_build(self, error: Exception) -> bool:
        """True (after a warning naming it) when ``error`` is a file that is not
        there in the value given at build time, for a component that then
        leaves out that one item; False otherwise (the caller re-raises)."""
        if not (getattr(self, "_at_build", False) and getattr(error, "unavailable", False)):
            return False
        warnings.warn(f"{error}; left out", UserWarning, stacklevel=_outside())
        return True

    def preprocess(self, payload: Any) -> Any:
        """Wire value → what ``fn`` receives. Subclasses document the types."""
        return payload

    def postprocess(self, value: Any) -> Any:
        """What ``fn`` returned → wire value. Subclasses document the types."""
        return value

    def validate_wire(self, payload: Any) -> Any:
        """Check a value sent by a front-end; raise ``ValueError`` with a clear message."""
        try:
            return self.traits()["value"]._validate(self, payload)
        except (t.TraitError, OverflowError) as e:  # OverflowError: a huge int for a Float
            raise ValueError(f"{type(self).__name__} (id {self._id}): bad value "
                             f"{payload!r:.80}: {e}") from None

    def clear_value(self) -> Any:
        return self.CLEAR_VALUE

    def example_value(self) -> Any:
        return self.preprocess(self.value)

    # -- config -----------------------------------------------------------------
    @classmethod
    def prop_names(cls) -> set[str]:
        return {n for n in cls.class_trait_names(sync=True)
                if n not in _PLUMBING and not n.startswith(("_model", "_view"))}

    def props(self) -> dict[str, Any]:
        """The component's synced props, as the front-end receives them."""
        state = {}
        for name in self.prop_names():
            state[name] = getattr(self, name)
        return state

    def layout(self, ref) -> dict:
        return {"type": "component", "id": self._id, "ref": ref(self)}

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"{type(self).__name__}(id={getattr(self, '_id', '?')}{label})"

    # Components are hashable by identity (used as dict keys: {component: value}).
    __hash__ = object.__hash__

    def __eq__(self, other: object) -> bool:
        return self is other


def _given_props(cls, args: tuple, kwargs: dict) -> dict[str, Any]:
    """The props the caller passed explicitly (what ``return gr.Textbox(visible=False)``
    updates, leaving the rest of the output as it is, as in Gradio)."""
    try:
        bound = inspect.signature(cls.__init__).bind_partial(None, *args, **kwargs)
    except TypeError:
        return {}
    given: dict[str, Any] = {}
    params = inspect.signature(cls.__init__).parameters
    for name, value in list(bound.arguments.items())[1:]:
        if params[name].kind is inspect.Parameter.VAR_KEYWORD:
            given.update(value)
        else:
            given[name] = value
    names = cls.prop_names()
    return {k: v for k, v in given.items() if k in names}


class _AnyValue:
    """Marker: a component whose value may legitimately be callable (State)."""


class FormComponent(Component):
    """A component that takes user input and fires change/input events."""

    change = EventListener("change", "Fires when the value changes, by the user or by a function.")
    input = EventListener("input", "Fires when the user changes the value.")
    focus = EventListener("focus", "Fires when the control gets focus.")
    blur = EventListener("blur", "Fires when the control loses focus.")
