"""Session: one user's values and State, and how results reach the front-end."""

from __future__ import annotations

import secrets
from typing import Any

from .. import protocol
from ..files import FileStore


class Session:
    """Per-session values. Front doors subclass it to deliver messages.

    ``values`` holds wire values the user (or a function) set in *this*
    session; a component not in it has its initial value. ``state`` holds
    State objects. ``emit`` and ``apply`` are what a front door implements.
    """

    def __init__(self, engine, session_hash: str | None = None):
        self.engine = engine
        self.session_hash = session_hash or secrets.token_hex(16)
        self.values: dict[int, Any] = {}
        #: props other than the value that functions changed in this session
        #: (``update(choices=...)``, ``visible``, ``maximum``, ...), by component id
        self.props: dict[int, dict[str, Any]] = {}
        self.state: dict[int, Any] = {}
        self.pending: dict[int, int] = {}
        self.rerun: dict[int, tuple] = {}
        self.tasks: set = set()
        #: fn_index → this session's running tasks of that dependency (for ``cancels=``)
        self.running: dict[int, set] = {}
        self.closed = False
        #: uploads and produced files of this session (removed by close())
        self.files = FileStore()
        #: runs whose "generating" status the page already has
        self._generating: set[str] = set()

    # -- values ----------------------------------------------------------------
    def get_value(self, component) -> Any:
        if component._kind == "state":
            if component._id not in self.state:
                self.state[component._id] = component.initial()
            return self.state[component._id]
        if component._id in self.values:
            return self.values[component._id]
        return component.value

    def set_value(self, component, value: Any) -> None:
        if component._kind == "state":
            self.state[component._id] = value
        else:
            self.values[component._id] = value

    # -- delivery (front doors override) -------------------------------------------
    def view(self, component):
        """``component`` as this session sees it: with the props its functions
        changed (so a Dropdown whose ``choices`` an update replaced checks the
        new choices). A shallow clone; it has no comm and is never displayed."""
        over = self.props.get(component._id)
        if not over:
            return component
        clone = type(component).__new__(type(component))
        clone.__dict__.update(component.__dict__)
        clone._trait_values = {**component._trait_values, **over, "comm": None}
        return clone

    def remember(self, component, props: dict) -> None:
        """Keep what an update gives ``component`` in this session: its value,
        and its other props (see :meth:`view`)."""
        if "value" in props:
            self.set_value(component, props["value"])
        rest = {k: v for k, v in props.items() if k != "value"}
        if rest:
            self.props.setdefault(component._id, {}).update(rest)

    def apply(self, updates: list[tuple[Any, dict]]) -> None:
        """Deliver prop changes ``[(component, {prop: wire value})]`` to the front-end."""
        for comp, props in updates:
            self.remember(comp, props)
        self.emit(protocol.update([(c._id, p) for c, p in updates]))

    def worth_sending(self, msg: dict) -> bool:
        """False for a repeated "generating" status of the same run: the engine
        reports one per yield, the page needs it once (the rest would cost ~170
        bytes per streamed token). Front doors call this in ``emit``."""
        if msg.get("type") != protocol.STATUS:
            return True
        event_id = msg.get("event_id")
        if msg.get("status") == "generating":
            if event_id in self._generating:
                return False
            self._generating.add(event_id)
        else:
            self._generating.discard(event_id)
        return True

    def emit(self, msg: dict) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.closed = True
        for task in list(self.tasks):
            task.cancel()
        for comp_id, value in list(self.state.items()):
            comp = self.engine.app.blocks.get(comp_id)
            cb = getattr(comp, "delete_callback", None)
            if cb is not None:
                try:
                    cb(value)
                except Exception:  # a user callback must not break session teardown
                    pass
        self.state.clear()
        self.values.clear()
        self.props.clear()
        self.files.close()
