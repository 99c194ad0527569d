from __future__ import annotations

import copy
from typing import Any

import traitlets as t

from ..events import EventListener
from .base import Component, _AnyValue


class State(_AnyValue, Component):
    """A hidden value kept per session, on the server: any Python object.

    Each session starts from a deep copy of ``value``; if the object cannot
    be deep-copied (a lock, a model, a connection), the session gets the
    object itself — Gradio instead fails or drops it, nbdemo keeps it and
    says so in this docstring. Inside a dict, list, tuple or set only the
    items that cannot be copied are shared; the rest is copied per session. ``value`` may also be a callable, called once
    per session for its initial value (use it for per-session objects that
    cannot be copied). Inline in a notebook there is one session.
    ``time_to_live`` (seconds) is accepted for Gradio compatibility.
    ``fn`` receives the object; whatever it returns is stored as is (no
    JSON, no copy). Event: change, when a function given it as an output
    returns a different object, or changes the object in place (its contents,
    compared as Gradio does: dicts, lists, tuples and sets item by item, other
    objects by ``hash()`` when they have one); Gradio fires only on a change of
    contents, nbdemo also when a new, equal object is returned.
    """

    _kind = t.Unicode("state").tag(sync=True)
    change = EventListener("change", "Fires when a function stores a different object.")

    def __init__(self, value: Any = None, *, time_to_live: float | None = None,
                 delete_callback: Any = None, render: bool = True, **kw: Any) -> None:
        self._initial = value
        self.time_to_live = time_to_live
        self.delete_callback = delete_callback
        super().__init__(None, render=render, visible=False, **kw)

    def initial(self) -> Any:
        """A fresh initial value for a new session."""
        v = self._initial
        if callable(v):
            return v()
        return _session_copy(v)

    def clear_value(self) -> Any:
        return self.initial()

    def validate_wire(self, payload: Any) -> Any:
        raise ValueError("State values live on the server; the page cannot set them")


def _session_copy(v: Any) -> Any:
    """A deep copy of ``v``; what cannot be copied is shared, but the plain
    containers around it are still copied (so sessions never share a list
    that sits next to a lock)."""
    try:
        return copy.deepcopy(v)
    except Exception:
        pass
    if type(v) is dict:
        return {k: _session_copy(x) for k, x in v.items()}
    if type(v) in (list, tuple, set):
        return type(v)(_session_copy(x) for x in v)
    return v
