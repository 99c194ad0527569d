"""The inline front door: a demo rendered in a notebook cell as Jupyter widgets.

The root ``DemoWidget`` carries the layout tree, whose leaves name component
widgets (``anywidget:<model_id>``); the shared JS runtime renders them with
anywidget's ``host.getWidget``. Triggers arrive as custom messages on each
component's comm and run on nbdemo's background loop, so the kernel's shell
thread stays free while a demo function runs.
"""

from __future__ import annotations

import atexit
import logging
import weakref
from typing import Any

import traitlets as t

from .. import files, protocol
from ..components.base import Widget
from ..engine import Session
from .loop import get_loop

log = logging.getLogger("nbdemo")

#: The demo shown by each notebook cell, so re-running a cell replaces it cleanly.
_by_cell: dict[str, DemoWidget] = {}
_views: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class DemoWidget(Widget):
    """The root widget of an inline demo."""

    _kind = t.Unicode("blocks").tag(sync=True)
    _layout = t.Dict().tag(sync=True)
    title = t.Unicode("").tag(sync=True)
    css = t.Unicode("").tag(sync=True)
    fill_height = t.Bool(False).tag(sync=True)
    theme = t.Unicode("default").tag(sync=True)

    def __init__(self, blocks, **kw: Any) -> None:
        super().__init__(**kw)
        self.blocks = blocks
        self.session = NotebookSession(blocks.engine, self)
        self.sync_layout()

    def sync_layout(self) -> None:
        b = self.blocks
        for comp in b.components():
            comp._session = self.session
        for dep in b.dependencies:
            for comp in dep.inputs + dep.outputs:
                comp._session = comp._session or self.session
        self.title = b.title
        self.css = b.css
        self.fill_height = b.fill_height
        self.theme = b.theme
        self._layout = b.layout_tree(lambda c: f"anywidget:{c.model_id}")

    def _handle_front_msg(self, content: dict, buffers) -> None:
        pass

    def close(self) -> None:
        self.session.close()
        super().close()


class NotebookSession(Session):
    """The notebook's one session: values are the component widgets' traits."""

    def __init__(self, engine, root: DemoWidget):
        super().__init__(engine)
        self._root = weakref.ref(root)
        self._seq = 0
        # the session's temp files go when the demo is replaced, or at the latest with the kernel
        atexit.register(self.files.close)

    def get_value(self, component) -> Any:
        if component._kind == "state":
            return super().get_value(component)
        return component.value

    def set_value(self, component, value: Any) -> None:
        if component._kind == "state":
            super().set_value(component, value)
        else:
            component.value = value

    #: send deltas of streamed values on the component's comm (see nbdemo.protocol)
    deltas = True

    def apply(self, updates) -> None:
        for comp, props in updates:
            with comp.hold_sync():
                for name, value in props.items():
                    if files.contains_file(value):
                        old = getattr(comp, name) if name == "value" else None
                        value = files.walk(value, _bytes_from(old))
                    if name == "value" and self._send_delta(comp, value):
                        continue
                    setattr(comp, name, value)

    def _send_delta(self, comp, new: Any) -> bool:
        """Set ``comp.value`` to ``new`` and send the page only a delta (a custom
        message) when that is possible; False if the trait must sync the whole
        value (no comm, nothing to diff, or new files whose bytes need buffers)."""
        if not self.deltas or comp.comm is None:
            return False
        ops = protocol.diff(comp.value, new)
        if ops is None or _has_bytes(ops):
            return False
        # the trait changes without a sync message; the page gets the delta instead
        with comp._lock_property(value=new), comp.hold_trait_notifications():
            comp.set_trait("value", new)
        if ops:
            self._seq += 1
            comp.send({"type": protocol.DELTA, "prop": "value", "ops": ops, "seq": self._seq})
        return True

    def emit(self, msg: dict) -> None:
        if not self.worth_sending(msg):
            return
        root = self._root()
        if root is not None and root.comm is not None:
            root.send(msg)

    def on_trigger(self, component, event: Any, data: Any) -> None:
        """Called on the shell thread by a component's comm; runs the event on the loop."""
        get_loop().call_soon_threadsafe(self._trigger, component._id, event, data)

    def _trigger(self, comp_id: int, event: Any, data: Any) -> None:
        if self.closed:
            return
        try:
            self.engine.trigger(self, comp_id, event, data)
        except ValueError as e:
            self.emit(protocol.error(str(e)))


def _with_bytes(fd: dict) -> dict:
    """A FileData carrying its bytes (sent to the page as a widget buffer)."""
    found = files.lookup(fd["id"])
    return {**fd, "data": found[1].path.read_bytes()} if found else fd


def _bytes_from(old: Any):
    """``_with_bytes``, reusing the bytes the trait's previous value already holds
    (a stream that only adds text does not re-read its files on every yield)."""
    known: dict[str, Any] = {}

    def collect(fd: dict) -> dict:
        if fd.get("data") is not None:
            known[fd["id"]] = fd["data"]
        return fd

    if old is not None and files.contains_file(old):
        files.walk(old, collect)

    def add(fd: dict) -> dict:
        data = known.get(fd["id"])
        return {**fd, "data": data} if data is not None else _with_bytes(fd)

    return add


def _has_bytes(value: Any) -> bool:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return True
    if isinstance(value, (list, tuple)):
        return any(_has_bytes(v) for v in value)
    if isinstance(value, dict):
        return any(_has_bytes(v) for v in value.values())
    return False



def _cell_id() -> str | None:
    try:
        from IPython import get_ipython

        kernel = get_ipython().kernel
        try:
            parent = kernel.get_parent("shell")
        except TypeError:
            parent = kernel.get_parent()
        return (parent or {}).get("metadata", {}).get("cellId")
    except Exception:
        return None


def view_for(blocks) -> DemoWidget:
    """The root widget showing ``blocks`` (made once per demo, refreshed on display).

    If the current cell showed another demo before, that demo's widgets are
    closed: re-running a cell replaces its demo.
    """
    view = _views.get(blocks)
    if view is None or view.comm is None:
        view = DemoWidget(blocks)
        _views[blocks] = view
    else:
        view.sync_layout()
    cell = _cell_id()
    if cell:
        old = _by_cell.get(cell)
        if old is not None and old is not view:
            _retire(old, keep=set(blocks.components()))
        _by_cell[cell] = view
    return view


def _retire(view: DemoWidget, keep: set) -> None:
    blocks = view.blocks
    _views.pop(blocks, None)
    view.close()
    for comp in blocks.components():
        if comp not in keep:
            comp.close()
