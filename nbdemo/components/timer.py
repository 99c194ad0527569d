"""Timer: fires ``tick`` every ``value`` seconds in each open session."""

from __future__ import annotations

from typing import Any

import traitlets as t

from ..events import EventListener
from .base import Component


class Timer(Component):
    """A clock for a demo (Gradio's ``gr.Timer``): ``timer.tick(fn, inputs,
    outputs)`` runs ``fn`` every ``value`` seconds while ``active``.

    ``value``: the interval in seconds (float > 0). ``active``: whether it
    ticks. A function may return ``gr.Timer(active=False)`` or
    ``gr.Timer(value=0.5)`` (or ``gr.update(...)``) to stop, start or retime
    it for that session. The engine drives the ticks server-side, one clock
    per session (page, notebook or API session), so a tick never depends on
    a browser tab's throttled timers; a tick that arrives while the previous
    run is still going is dropped (``trigger_mode="once"``, as in Gradio).
    Not shown on the page.
    """

    _kind = t.Unicode("timer").tag(sync=True)
    value = t.Float(1.0).tag(sync=True)
    active = t.Bool(True).tag(sync=True)
    tick = EventListener("tick", "Fires every `value` seconds while the timer is active.")

    def __init__(self, value: float = 1.0, *, active: bool = True, render: bool = True,
                 **kw: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ValueError(f"Timer value is an interval in seconds > 0, got {value!r}")
        kw.setdefault("visible", False)
        super().__init__(float(value), active=active, render=render, **kw)

    def validate_wire(self, payload: Any) -> Any:
        raise ValueError("a Timer is driven by the server; the page cannot set it")
