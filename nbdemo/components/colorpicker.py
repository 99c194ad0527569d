"""ColorPicker: pick a colour; the value is a hex string "#rrggbb"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import traitlets as t

from ..errors import Error
from ..events import EventListener
from .base import FormComponent

_HEX = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def to_hex(value: Any, what: str = "ColorPicker") -> str | None:
    """"#rgb", "#rrggbb" (any case) or an (r, g, b) sequence of ints in 0..255
    → "#rrggbb" in lower case; None stays None. Raises ``ValueError`` otherwise."""
    if value is None:
        return None
    if isinstance(value, str):
        s = value.strip()
        m = _HEX.fullmatch(s)
        if not m:
            raise ValueError(f"{what}: {value!r:.40} is not a hex colour like '#ff8800'")
        digits = m.group(1).lower()
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return "#" + digits
    if isinstance(value, Sequence) and len(value) == 3 and all(
            isinstance(c, int) and not isinstance(c, bool) and 0 <= c <= 255 for c in value):
        return "#" + "".join(f"{c:02x}" for c in value)
    raise ValueError(f"{what}: {value!r:.40} is not a colour; use a hex string like '#ff8800'")


class ColorPicker(FormComponent):
    """A colour: a swatch that opens the browser's colour picker, and its hex code.

    ``fn`` receives a ``str`` "#rrggbb" (lower case), or None when empty.
    Return "#rrggbb", "#rgb" or an (r, g, b) tuple of ints in 0..255; anything
    else raises :class:`~nbdemo.Error`. Events: change, input, submit (Enter
    in the hex field), focus, blur.
    """

    _kind = t.Unicode("colorpicker").tag(sync=True)
    value = t.Unicode(None, allow_none=True).tag(sync=True)

    submit = EventListener("submit", "Fires when the user presses Enter in the hex field.")

    def __init__(self, value: str | None = None, **kw: Any) -> None:
        super().__init__(value, **kw)

    def postprocess(self, value: Any) -> str | None:
        try:
            return to_hex(value, self.label or "ColorPicker")
        except ValueError as e:
            raise Error(str(e)) from None

    def preprocess(self, payload: Any) -> str | None:
        return payload or None

    def validate_wire(self, payload: Any) -> str | None:
        if payload is None or payload == "":
            return None
        if not isinstance(payload, str) or not _HEX.fullmatch(payload):
            raise ValueError(f"ColorPicker (id {self._id}): bad value {payload!r:.40}: "
                             "expected a hex colour '#rrggbb'")
        return to_hex(payload)
