"""NotebookSession: the notebook's one session, whose values are the widgets' traits."""

from __future__ import annotations

import atexit
import weakref
from typing import Any

from .. import files, protocol
from ..engine import Session


def store_without_echo(component, value: Any) -> None:
    """Set ``component.value`` to a value its front-end sent, without syncing it
    back (the page has it already; an echo could overwrite a newer edit)."""
    with component._lock_property(value=value), component.hold_trait_notifications():
        component.set_trait("value", value)


class NotebookSession(Session):
    """The notebook's one session: values are the component widgets' traits
    (one user: the notebook's), and results reach the page through the comms."""

    #: send deltas of streamed values on the component's comm (see nbdemo.protocol)
    deltas = True

    def __init__(self, engine, root):
        super().__init__(engine)
        self._root = weakref.ref(root)
        self._seq = 0
        # the session's temp files go when the demo is replaced, or at the latest with the kernel
        atexit.register(self.files.close)

    # -- values ----------------------------------------------------------------
    def get_value(self, component) -> Any:
        if component._kind == "state":
            return super().get_value(component)
        return component.value

    def set_value(self, component, value: Any) -> None:
        if component._kind == "state":
            super().set_value(component, value)
        else:
            component.value = value

    def view(self, component):
        # inline the widget is the session's view: what functions changed
        # (choices, interactive, ...) is set on its traits
        return component

    def store_client_value(self, component, value: Any) -> None:
        if component._kind == "state":
            super().store_client_value(component, value)
        else:
            store_without_echo(component, value)

    # -- delivery -----------------------------------------------------------------
    def apply(self, updates) -> None:
        updates = self.translated(updates)  # gr.I18n texts, in the kernel's language
        for comp, props in updates:
            if not hasattr(comp, "hold_sync"):  # a layout block: the root lays it out
                self.deliver(protocol.update([(comp._id, props)]))
                continue
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
        store_without_echo(comp, new)
        if ops:
            self._seq += 1
            comp.send({"type": protocol.DELTA, "prop": "value", "ops": ops, "seq": self._seq})
        return True

    def emit(self, msg: dict) -> None:
        if self.admit(msg):
            self.deliver(msg)

    # -- gr.render ------------------------------------------------------------------
    def show_render(self, rendered, kept: set[int], outside: list) -> None:
        """Inline, the demo root shows it (``DemoWidget.show_render``); outside
        components' events reach the page as their ``_events`` trait."""
        root = self._root()
        if root is not None:
            root.show_render(rendered)

    def carry(self, old, new, initial: dict | None) -> None:
        """Values live in the widgets: ``new`` (a new widget) takes ``old``'s
        preserved props the user or a function changed since it was built."""
        super().carry(old, new, initial)
        if not hasattr(new, "hold_sync"):
            return
        with new.hold_sync():
            for name, built in (initial or {}).items():
                now = getattr(old, name, None)
                if now != built:
                    setattr(new, name, now)

    def deliver(self, msg: dict) -> None:
        root = self._root()
        if root is not None and root.comm is not None:
            root.send(msg)


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
