"""DateTime: a date (and time) picker, with Gradio's "now - 1h" expressions."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

import traitlets as t

from ..events import EventListener
from .base import FormComponent

_NOW = re.compile(r"^\s*now\s*(?:-\s*(\d+)\s*([dmhs]))?\s*$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}


class DateTime(FormComponent):
    """A date and time box (Gradio's ``gr.DateTime``).

    The wire value is a string: "YYYY-MM-DD HH:MM:SS" (``include_time=True``,
    the default) or "YYYY-MM-DD", or a relative expression "now", "now - 15m",
    "now - 2h", "now - 7d" (units s, m, h, d), resolved when ``fn`` is called.
    The user types it or picks it with the browser's date picker.

    What ``fn`` receives, by ``type``:

    - "timestamp" (default): a float, seconds since the epoch;
    - "datetime": a ``datetime.datetime`` (aware when ``timezone`` is set);
    - "string": the text as formatted above ("now…" resolved).

    Empty → None. ``fn`` may return a float timestamp, a ``datetime``, a
    string or None. ``timezone``: an IANA name ("Europe/Paris") used to read
    and show times (default: the server's local time). A malformed string
    raises ``ValueError`` naming the expected format. Events: change, input,
    submit (Enter), focus, blur.
    """

    _kind = t.Unicode("datetime").tag(sync=True)
    value = t.Unicode(None, allow_none=True).tag(sync=True)
    include_time = t.Bool(True).tag(sync=True)
    type = t.Enum(["timestamp", "datetime", "string"], "timestamp").tag(sync=True)
    timezone = t.Unicode(None, allow_none=True).tag(sync=True)

    submit = EventListener("submit", "Fires when the user presses Enter.")

    def __init__(self, value: float | str | dt.datetime | None = None, *, include_time: bool = True,
                 type: Literal["timestamp", "datetime", "string"] = "timestamp",
                 timezone: str | None = None, buttons: list | None = None, **kw: Any) -> None:
        if type not in ("timestamp", "datetime", "string"):
            raise ValueError(f"DateTime: type must be 'timestamp', 'datetime' or 'string', got {type!r}")
        if buttons:
            raise NotImplementedError("DateTime(buttons=[gr.Button]): custom toolbar buttons "
                                      "are not supported by nbdemo yet")
        super().__init__(value, include_time=include_time, type=type, timezone=timezone, **kw)

    @property
    def time_format(self) -> str:
        return "%Y-%m-%d %H:%M:%S" if self.include_time else "%Y-%m-%d"

    def _tz(self):
        if not self.timezone:
            return None
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.timezone)

    def parse(self, text: str) -> dt.datetime:
        """A wire string ("2024-05-01 10:00:00", "now - 1h") → a ``datetime``."""
        m = _NOW.match(text)
        if m:
            n, unit = int(m.group(1) or 0), m.group(2) or "s"
            return dt.datetime.now(self._tz()) - dt.timedelta(**{_UNITS[unit]: n})
        for fmt in (self.time_format, "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M",
                    "%Y-%m-%d %H:%M", "%Y-%m-%d"):
            try:
                value = dt.datetime.strptime(text.strip(), fmt)
            except ValueError:
                continue
            tz = self._tz()
            return value.replace(tzinfo=tz) if tz else value
        raise ValueError(f"DateTime: {text!r} is not a date; expected {self.time_format.replace('%', '')} "
                         "or 'now - <n><s|m|h|d>'")

    def preprocess(self, payload: str | None) -> float | dt.datetime | str | None:
        if payload is None or not payload.strip():
            return None
        if self.type == "string" and "now" not in payload:
            return payload
        value = self.parse(payload)
        if self.type == "string":
            return value.strftime(self.time_format)
        if self.type == "datetime":
            return value
        return value.timestamp()

    def postprocess(self, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, str):
            if value.strip():
                self.parse(value)  # a bad string fails here, naming the format
            return value
        if isinstance(value, dt.datetime):
            return value.strftime(self.time_format)
        if isinstance(value, dt.date):
            return dt.datetime(value.year, value.month, value.day).strftime(self.time_format)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return dt.datetime.fromtimestamp(value, tz=self._tz()).strftime(self.time_format)
        raise TypeError(f"DateTime: cannot show a {type(value).__name__}; return a timestamp, "
                        "a datetime or a string")

    def validate_wire(self, payload: Any) -> Any:
        if payload is None:
            return None
        if not isinstance(payload, str) or len(payload) > 64:
            raise ValueError(f"DateTime (id {self._id}): expected a date string, got {str(payload)[:80]!r}")
        return payload

    def example_value(self) -> Any:
        return self.preprocess("2020-10-01 05:20:15" if self.include_time else "2020-10-01")

    def api_info(self) -> dict[str, Any]:
        """JSON-schema-ish description of the wire value, for the HTTP API."""
        fmt = "YYYY-MM-DD HH:MM:SS" if self.include_time else "YYYY-MM-DD"
        return {"type": "string", "description": f"Formatted as {fmt}, or 'now - 1h'"}
