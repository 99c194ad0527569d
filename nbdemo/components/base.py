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
from pathlib import Path
from typing import Any, ClassVar

import anywidget
import traitlets as t

from .. import files
from ..block import Block
from ..events import EventListener

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


_runtime_cache: str | None = None


def runtime_source() -> str:
    """The shared JS runtime (``static/runtime.js``), read once per process."""
    global _runtime_cache
    if _runtime_cache is None:
        _runtime_cache = (_STATIC / "runtime.js").read_text()
    return _runtime_cache


class Widget(anywidget.AnyWidget):
    """An anywidget whose front-end code is nbdemo's shared runtime.

    The runtime dispatches on ``_kind`` to the component's renderer.
    """

    _esm = _stub()
    _kind = t.Unicode("").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_msg(self._on_front_msg)

    def _on_front_msg(self, _widget, content, buffers) -> None:
        if not isinstance(content, dict):
            return
        if content.get("type") == "runtime":
            self.send({"type": "runtime", "code": runtime_source()})
        else:
            self._handle_front_msg(content, buffers)

    def _handle_front_msg(self, content: dict, buffers) -> None:
        pass


class Component(Block, Widget):
    """Base of every component.

    Common keyword arguments (Gradio's names), accepted by every component:

    - ``label`` (str): shown above the control and bound to it as its
      accessible name; ``show_label`` hides it visually (it stays the
      control's ``aria-label``).
    - ``info`` (str): help text under the label.
    - ``visible`` (bool), ``interactive`` (bool | None: None means "editable
      if it is an input of some event, read-only otherwise", as in Gradio).
    - ``elem_id`` (str), ``elem_classes`` (list[str]): for custom ``css``.
    - ``scale`` (int): relative width in a Row; ``min_width`` (int, pixels).
    - ``render`` (bool): place the component in the open ``with`` block
      (default True).
    """

    EVENTS: ClassVar[tuple[str, ...]] = ()
    #: value a ClearButton resets this component to
    CLEAR_VALUE: ClassVar[Any] = None

    value = t.Any(None, allow_none=True).tag(sync=True)
    label = t.Unicode(None, allow_none=True).tag(sync=True)
    show_label = t.Bool(True).tag(sync=True)
    info = t.Unicode(None, allow_none=True).tag(sync=True)
    visible = t.Bool(True).tag(sync=True)
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
                 **props: Any) -> None:
        if isinstance(elem_classes, str):
            elem_classes = [elem_classes]
        self.key = key
        #: the notebook session showing this component (set by the notebook front door)
        self._session = None
        self._uploads: dict = {}
        self.default_value = value
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
        self.value = self.postprocess(value) if value is not None else self.CLEAR_VALUE
        Widget.__init__(self)
        self._init_block(render)
        self._nbd_id = self._id

    def __new__(cls, *args: Any, **kwargs: Any):
        obj = super().__new__(cls, *args, **kwargs)
        obj._init_kwargs = _given_props(cls, args, kwargs)
        return obj

    # -- values ---------------------------------------------------------------
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

    # -- front-end messages --------------------------------------------------------
    def _handle_front_msg(self, content: dict, buffers) -> None:
        # Values arrive as custom "set" messages, not as trait syncs: ipywidgets
        # buffers syncs while a message is pending but sends custom messages at
        # once, so a sync could arrive after the click that follows it.
        kind = content.get("type")
        session = self._session
        try:
            with files.using(session.files if session is not None else None):
                if kind == "set" or (kind == "event" and "value" in content):
                    self.set_from_front(content.get("value"))
                if kind == "event" and session is not None:
                    session.on_trigger(self, content.get("event"), content.get("data"))
                elif kind == "upload":
                    self._upload_chunk(content, buffers)
                elif kind == "fetch":
                    self._send_file(content.get("id"))
                elif kind == "resync":  # a streamed delta did not fit the page's value
                    self.send_state("value")
        except ValueError as e:
            self.send({"type": "error", "message": str(e)})

    def set_from_front(self, payload: Any) -> None:
        """Store a value the user entered (validated; no echo to the front-end)."""
        value = self.validate_wire(payload)
        with self._lock_property(value=value), self.hold_trait_notifications():
            self.set_trait("value", value)

    # Files inline travel as widget buffers: uploads in chunks of at most 4 MiB
    # (jupyter-server's kernel WebSocket closes on messages over 10 MiB), files
    # for the page on request ("fetch") or inside output values.
    def _upload_chunk(self, content: dict, buffers) -> None:
        ref = str(content.get("ref"))[:64]
        up = self._uploads.get(ref)
        if content.get("seq") == 0:
            if up is not None:
                up.abort()
            size = content.get("size")
            limit = files.parse_size(getattr(getattr(self._session, "engine", None), "blocks", None)
                                     and self._session.engine.blocks.max_file_size)
            if limit is not None and isinstance(size, int) and size > limit:
                self._uploads.pop(ref, None)
                self.send({"type": "upload-error", "ref": ref,
                           "message": f"File too large: {files.human_size(size)}; the limit is "
                                      f"{files.human_size(limit)}"})
                return
            up = self._uploads[ref] = files.current().writer(str(content.get("name") or "upload"),
                                                             content.get("mime") or None)
            up.limit = limit
        if up is None:
            return  # the rest of a refused upload
        received = sum(len(b) for b in buffers or [])
        if up.limit is not None and up.size + received > up.limit:  # the declared size lied
            up.abort()
            self._uploads.pop(ref, None)
            self.send({"type": "upload-error", "ref": ref,
                       "message": f"File too large; the limit is {files.human_size(up.limit)}"})
            return
        for b in buffers or []:
            up.write(b)
        if content.get("last"):
            del self._uploads[ref]
            self.send({"type": "uploaded", "ref": ref, "file": up.commit()})

    def _send_file(self, file_id: Any) -> None:
        found = files.lookup(file_id) if isinstance(file_id, str) else None
        if found is None:
            self.send({"type": "file", "id": file_id, "error": "no such file"})
            return
        self.send({"type": "file", "id": file_id}, buffers=[found[1].path.read_bytes()])

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
