from __future__ import annotations

import math
import random
from typing import Any

import traitlets as t

from ..errors import Error
from ..events import EventListener
from .base import FormComponent


def _num(value: Any, name: str) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise Error(f"{name}: {value!r} is not a number") from None
    return value


def _check_wire(comp, payload: Any) -> None:
    if isinstance(payload, bool) or (isinstance(payload, float) and not math.isfinite(payload)):
        raise ValueError(f"{type(comp).__name__} (id {comp._id}): bad value {payload!r}: "
                         "expected a finite number")


class Number(FormComponent):
    """A numeric field. ``fn`` receives ``float``, or ``int`` when
    ``precision == 0``, or ``None`` when empty; values are rounded to
    ``precision`` decimals when it is set.

    Raises :class:`~nbdemo.Error` (shown to the user) when the value is
    below ``minimum`` or above ``maximum``. Return an int, a float or None.
    Events: change, input, submit, focus, blur.
    """

    _kind = t.Unicode("number").tag(sync=True)
    value = t.Float(None, allow_none=True).tag(sync=True)
    precision = t.Int(None, allow_none=True).tag(sync=True)
    minimum = t.Float(None, allow_none=True).tag(sync=True)
    maximum = t.Float(None, allow_none=True).tag(sync=True)
    step = t.Float(1).tag(sync=True)
    placeholder = t.Unicode(None, allow_none=True).tag(sync=True)

    submit = EventListener("submit", "Fires when the user presses Enter.")

    def __init__(self, value: float | None = None, *, precision: int | None = None,
                 minimum: float | None = None, maximum: float | None = None,
                 step: float = 1, **kw: Any) -> None:
        super().__init__(value, precision=precision, minimum=minimum, maximum=maximum,
                         step=step, **kw)

    def _round(self, v: float | None) -> float | int | None:
        if v is None:
            return None
        if self.precision is None:
            return v
        if self.precision == 0:
            return int(round(v))
        return round(v, self.precision)

    def validate_wire(self, payload: Any) -> Any:
        _check_wire(self, payload)
        return super().validate_wire(payload)

    def preprocess(self, payload: Any) -> float | int | None:
        v = _num(payload, self.label or "Number")
        if v is None:
            return None
        if self.minimum is not None and v < self.minimum:
            raise Error(f"{self.label or 'Number'}: {v:g} is less than the minimum, {self.minimum:g}")
        if self.maximum is not None and v > self.maximum:
            raise Error(f"{self.label or 'Number'}: {v:g} is more than the maximum, {self.maximum:g}")
        return self._round(v)

    def postprocess(self, value: Any) -> float | None:
        v = _num(value, self.label or "Number")
        if v is None:
            return None
        if isinstance(v, float) and not math.isfinite(v):
            raise Error(f"{self.label or 'Number'}: cannot show {v}")
        v = self._round(v)
        return float(v)


class Slider(FormComponent):
    """A slider from ``minimum`` to ``maximum`` in steps of ``step``.

    ``fn`` receives ``int`` when ``minimum`` and ``step`` are whole numbers and
    the value is whole (as the page shows it), else ``float``. ``randomize``
    starts at a random step. Events: change, input, release (the user let go).
    """

    _kind = t.Unicode("slider").tag(sync=True)
    value = t.Float(0).tag(sync=True)
    minimum = t.Float(0).tag(sync=True)
    maximum = t.Float(100).tag(sync=True)
    step = t.Float(1).tag(sync=True)
    show_reset_button = t.Bool(True).tag(sync=True)

    release = EventListener("release", "Fires when the user releases the slider.")

    def __init__(self, minimum: float = 0, maximum: float = 100, value: float | None = None, *,
                 step: float | None = None, randomize: bool = False, **kw: Any) -> None:
        if step is None:
            step = 1 if float(minimum).is_integer() and float(maximum).is_integer() else (maximum - minimum) / 100
        if randomize:
            n = int((maximum - minimum) // step)
            value = minimum + random.randint(0, max(n, 0)) * step
        if value is None:
            value = minimum
        self.CLEAR_VALUE = minimum
        super().__init__(value, minimum=minimum, maximum=maximum, step=step, **kw)

    def _integral(self) -> bool:
        return float(self.minimum).is_integer() and float(self.step).is_integer()

    def validate_wire(self, payload: Any) -> Any:
        _check_wire(self, payload)
        return super().validate_wire(payload)

    def preprocess(self, payload: Any) -> float | int:
        v = _num(payload, self.label or "Slider")
        if v is None:
            v = self.minimum
        if v < self.minimum or v > self.maximum:
            raise Error(f"{self.label or 'Slider'}: {v:g} is outside [{self.minimum:g}, {self.maximum:g}]")
        if self._integral() and float(v).is_integer():
            return int(v)
        return float(v)

    def postprocess(self, value: Any) -> float:
        v = _num(value, self.label or "Slider")
        return float(self.minimum if v is None else v)
