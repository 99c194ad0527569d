"""Session: one user's values and State, and how results reach the front-end."""

from __future__ import annotations

import asyncio
import secrets
from typing import Any

from .. import files, i18n, protocol
from ..events import Request
from ..files import FilePolicy, FileStore
from . import rendering

#: seconds a run's first "processing" status waits before a door sends it (see Session.admit)
PROCESSING_GRACE = 0.05


class Session:
    """Per-session values. Front doors subclass it to deliver messages.

    ``values`` holds wire values the user (or a function) set in *this*
    session; a component not in it has its initial value. ``state`` holds
    State objects. ``emit`` and ``apply`` are what a front door implements.
    """

    def __init__(self, engine, session_hash: str | None = None):
        self.engine = engine
        self.session_hash = session_hash or secrets.token_hex(16)
        #: the page of a multipage demo (Blocks.route) this session shows; "" the main page
        self.page = ""
        #: the language gr.I18n texts are shown in (None: no translation)
        self.locale: str | None = None
        self.values: dict[int, Any] = {}
        #: props other than the value that functions changed in this session
        #: (``update(choices=...)``, ``visible``, ``maximum``, ...), by component id
        self.props: dict[int, dict[str, Any]] = {}
        self.state: dict[int, Any] = {}
        #: unfinished runs by event_id, in the order their events arrived
        self.runs: dict[str, Any] = {}
        #: fn_index → how many of this session's runs of that listener are unfinished
        self.active: dict[int, int] = {}
        #: fn_index → the newest trigger kept for after the current run ("always_last")
        self.rerun: dict[int, Any] = {}
        #: the tasks of this session's runs
        self.tasks: set = set()
        #: timers and other tasks that live as long as the session
        self.background: set = set()
        #: what ``fn`` receives for a parameter annotated ``gr.Request``; a
        #: front door fills in headers, client and query parameters
        self.request = Request(session_hash=self.session_hash)
        #: event_id → (a held "processing" status, when it is due: loop time)
        self._held: dict[str, tuple[dict, float]] = {}
        self._release_timer: asyncio.TimerHandle | None = None
        #: runs the front-end has had a non-final status of
        self._shown: set[str] = set()
        self.closed = False
        #: uploads and produced files of this session (removed by close())
        blocks = getattr(engine, "blocks", None)  # its allowed_paths/blocked_paths (launch())
        self.files = FileStore(policy=FilePolicy(getattr(blocks, "allowed_paths", None),
                                                 getattr(blocks, "blocked_paths", None)))
        #: runs whose "generating" status the page already has
        self._generating: set[str] = set()
        #: component id → loop time its current ``.stream()`` started
        self.streams: dict[int, float] = {}
        #: ("in" | "out", component id) → ids of the last files of a stream
        self.stream_files: dict[tuple, list[str]] = {}
        #: stream listeners (fn_index) whose current stream ended in an error
        self.stream_failed: set[int] = set()
        #: render id → what the last run of that ``gr.render`` made in this session
        self.renders: dict[int, rendering.Rendered] = {}
        #: the engine's view of the demo with those renders (``Engine.app_for``)
        self.rendered_app = None

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

    def set_from_client(self, comp_id: Any, value: Any) -> None:
        """Store a value the user entered in component ``comp_id``, after the
        component's own check (type, choices, size) as this session sees it.

        Raises ``ValueError`` (the door replies with an error message) for an
        unknown id, a non-interactive component or a bad value; the stored
        value is then unchanged.
        """
        comp = self.view(self.engine.app_for(self).component(comp_id))
        if comp.interactive is False:
            raise ValueError(f"{type(comp).__name__} (id {comp_id}) is not interactive")
        self.client_value_changing(comp)
        with files.using(self.files):
            value = comp.validate_wire(value)
        self.store_client_value(comp, value)

    def client_value_changing(self, component) -> None:
        """Called before a value from the client is checked (even one refused):
        a door that sends deltas forgets what the page had."""

    def store_client_value(self, component, value: Any) -> None:
        """Keep a checked value from the client (a door may avoid echoing it)."""
        self.set_value(component, value)

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

    def translated(self, updates: list[tuple[Any, dict]]) -> list[tuple[Any, dict]]:
        """``updates`` with gr.I18n texts in this session's ``locale`` (every
        front door's ``apply`` starts with this)."""
        if self.locale is None:
            return updates
        return [(c, i18n.translate(p, self.locale)) for c, p in updates]

    def apply(self, updates: list[tuple[Any, dict]]) -> None:
        """Deliver prop changes ``[(component, {prop: wire value})]`` to the front-end
        (gr.I18n texts in them translated to this session's ``locale``)."""
        updates = self.translated(updates)
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

    def admit(self, msg: dict) -> bool:
        """Whether a front door passes ``msg`` on now (called in its ``emit``,
        on the engine's loop): :meth:`worth_sending`, and a run's first
        "processing" status is held back ``PROCESSING_GRACE`` seconds. A run
        that ends sooner sends only its outputs and its final status, so no
        indicator flashes for a fast function and the event costs the door
        fewer messages; a held status is passed on by :meth:`deliver` when
        the grace is over, or just before the run's next status."""
        if msg.get("type") == protocol.STATUS and not self._pass_status(msg):
            return False
        return self.worth_sending(msg)

    def _pass_status(self, msg: dict) -> bool:
        """False when ``msg`` is held back (a first "processing") or replaced."""
        eid, status = msg.get("event_id"), msg.get("status")
        held = self._held.pop(eid, None)
        if held is not None:
            if status not in protocol.FINAL:
                self.deliver(held[0])  # the run goes on: the page learns it started
        elif status == "processing" and eid not in self._shown and not msg.get("progress"):
            self._held[eid] = (msg, asyncio.get_running_loop().time() + PROCESSING_GRACE)
            if self._release_timer is None:  # one timer per session, not one per run
                self._release_timer = asyncio.get_running_loop().call_later(PROCESSING_GRACE, self._release_due)
            return False
        if status in protocol.FINAL:
            self._shown.discard(eid)
        else:
            self._shown.add(eid)
        return True

    def _release_due(self) -> None:
        """Send the held "processing" statuses whose grace is over."""
        self._release_timer = None
        if self.closed:
            return
        now = asyncio.get_running_loop().time()
        later = None
        for eid, (msg, due) in list(self._held.items()):
            if due <= now:
                del self._held[eid]
                self._shown.add(eid)
                self.deliver(msg)
            else:
                later = due if later is None else min(later, due)
        if later is not None:
            self._release_timer = asyncio.get_running_loop().call_at(later, self._release_due)

    def deliver(self, msg: dict) -> None:
        """Send ``msg`` to the front-end now (doors that use :meth:`admit`)."""
        raise NotImplementedError

    # -- gr.render (see nbdemo.engine.rendering) --------------------------------------
    def show_render(self, rendered, kept: set[int], outside: list) -> None:
        """Show what a render run made, in place of its previous run: by
        default a "render" message (:mod:`nbdemo.protocol`) with the props as
        :meth:`render_props` gives them, then the listened events of the
        components outside the render that its listeners use (``outside``):
        the page learned of those events with the config."""
        self.emit(rendering.message(rendered, kept, self.render_props))
        if outside:
            self.emit(protocol.update([(c._id, {"_events": list(c._events)}) for c in outside]))

    def render_props(self, component, kept: bool) -> dict:
        """``component``'s props for a "render" message. A ``kept`` one is
        already on the page: the props it keeps and this session changed
        are left out (the page holds them, maybe newer than ours)."""
        props = component.props()
        if kept:
            for name in rendering.preserved(component):
                if name in self.props.get(component._id, ()) or (
                        name == "value" and component._id in self.values):
                    props.pop(name, None)
        return props

    def carry(self, old, new, initial: dict | None) -> None:
        """``new`` is ``old`` made again with the same key (same id): keep what
        the user or a function changed of its ``preserved_by_key`` props, and
        drop this session's other changes (the new arguments win). Here
        values live by id, so keeping is not dropping; ``initial`` (``old``'s
        preserved props as built) is for doors that keep values in the objects."""
        keep = set(rendering.preserved(new))
        if "value" not in keep:
            self.values.pop(new._id, None)
            self.state.pop(new._id, None)
        props = self.props.get(new._id)
        if props:
            props = {k: v for k, v in props.items() if k in keep}
            if props:
                self.props[new._id] = props
            else:
                del self.props[new._id]

    def forget(self, ids) -> None:
        """Drop what this session holds for blocks ``ids`` (a re-render
        replaced them): values, props, State (its ``delete_callback`` runs)."""
        for comp_id in ids:
            self.values.pop(comp_id, None)
            self.props.pop(comp_id, None)
            if comp_id in self.state:
                self._drop_state(comp_id, self.state.pop(comp_id))

    def _drop_state(self, comp_id: int, value: Any) -> None:
        comp = self.engine.app_for(self).blocks.get(comp_id)
        cb = getattr(comp, "delete_callback", None)
        if cb is not None:
            try:
                cb(value)
            except Exception:  # a user callback must not break session teardown
                pass

    def emit(self, msg: dict) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.closed = True
        for task in list(self.tasks) + list(self.background):
            task.cancel()
        for comp_id, value in list(self.state.items()):
            self._drop_state(comp_id, value)
        for r in self.renders.values():
            r.discard()
        self.renders.clear()
        self.rendered_app = None
        self.state.clear()
        self.values.clear()
        self.props.clear()
        self.files.close()
