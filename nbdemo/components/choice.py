from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import traitlets as t

from ..errors import Error
from ..events import EventListener
from .base import FormComponent

#: what a single choice may be on the wire (besides a value listed in ``choices``)
_SCALARS = (str, int, float, bool, type(None))


def normalize_choices(choices: Sequence | None) -> list[list]:
    """Gradio accepts values or (label, value) pairs; the wire always carries pairs."""
    out = []
    for c in choices or []:
        if isinstance(c, (tuple, list)) and len(c) == 2:
            out.append([str(c[0]), c[1]])
        else:
            out.append([str(c), c])
    return out


class _Choices(FormComponent):
    choices = t.List().tag(sync=True)
    type = t.Enum(["value", "index"], "value").tag(sync=True)
    select = EventListener("select", "Fires when the user selects or deselects a choice; fn gets SelectData.")

    @t.validate("choices")
    def _v_choices(self, proposal):
        return normalize_choices(proposal["value"])

    def _values(self) -> list:
        return [v for _, v in self.choices]

    def _check(self, v: Any) -> Any:
        if v in self._values() or getattr(self, "allow_custom_value", False):
            return v
        raise Error(f"{self.label or type(self).__name__}: {v!r} is not one of the choices "
                    f"{self._values()!r}")

    def _wire_item(self, v: Any) -> Any:
        if isinstance(v, _SCALARS) or v in self._values():
            return v
        raise ValueError(f"{type(self).__name__} (id {self._id}): bad value {v!r:.80}: "
                         "expected one of the choices")

    def validate_wire(self, payload: Any) -> Any:
        if getattr(self, "multiselect", False) and isinstance(payload, list):
            return [self._wire_item(v) for v in payload]
        return self._wire_item(payload)

    def _out(self, v: Any) -> Any:
        if self.type == "index":
            return self._values().index(v) if v in self._values() else None
        return v


class Checkbox(FormComponent):
    """A checkbox. ``fn`` receives ``bool``; return a bool. Events: change, input, select."""

    _kind = t.Unicode("checkbox").tag(sync=True)
    CLEAR_VALUE = False
    value = t.Bool(False).tag(sync=True)
    select = EventListener("select", "Fires when the user checks or unchecks; fn gets SelectData.")

    def __init__(self, value: bool = False, **kw: Any) -> None:
        super().__init__(value, **kw)

    def preprocess(self, payload: Any) -> bool:
        return bool(payload)

    def postprocess(self, value: Any) -> bool:
        return bool(value)


class CheckboxGroup(_Choices):
    """Several checkboxes. ``choices``: values or (label, value) pairs.

    ``fn`` receives a ``list`` of the checked values (``type="value"``) or of
    their indices (``type="index"``). Return a list of values (or one value).
    Events: change, input, select.
    """

    _kind = t.Unicode("checkboxgroup").tag(sync=True)
    value = t.List().tag(sync=True)

    def __init__(self, choices: Sequence | None = None, *, value: Any = None,
                 type: Literal["value", "index"] = "value", **kw: Any) -> None:
        self.CLEAR_VALUE = []
        super().__init__(value, choices=choices or [], type=type, **kw)

    def validate_wire(self, payload: Any) -> list:
        # the front-end sends the list of checked values
        if payload is None:
            return []
        if not isinstance(payload, list):
            raise ValueError(f"CheckboxGroup (id {self._id}): bad value {payload!r:.80}: "
                             "expected a list of choices")
        return [self._wire_item(v) for v in payload]

    def preprocess(self, payload: Any) -> list:
        return [self._out(self._check(v)) for v in (payload or [])]

    def postprocess(self, value: Any) -> list:
        if value is None:
            return []
        return list(value) if isinstance(value, (list, tuple, set)) else [value]


class Radio(_Choices):
    """One choice among radio buttons. ``fn`` receives the chosen value
    (``type="value"``), its index (``type="index"``), or ``None`` when nothing
    is chosen. Events: change, input, select."""

    _kind = t.Unicode("radio").tag(sync=True)

    def __init__(self, choices: Sequence | None = None, *, value: Any = None,
                 type: Literal["value", "index"] = "value", **kw: Any) -> None:
        super().__init__(value, choices=choices or [], type=type, **kw)

    def preprocess(self, payload: Any) -> Any:
        return None if payload is None else self._out(self._check(payload))


class Dropdown(_Choices):
    """A drop-down list.

    ``choices``: values or (label, value) pairs. ``fn`` receives the chosen
    value (``type="value"``) or its index (``type="index"``); with
    ``multiselect=True`` a list of them. Nothing chosen gives ``None`` (or
    ``[]`` with multiselect) — never an error, unlike Gradio where an empty
    ``Dropdown(value=None)`` can fail on submit. ``allow_custom_value`` lets
    the user type a value not in ``choices`` (then ``type="index"`` gives
    ``None`` for it). A value not in ``choices`` otherwise raises
    :class:`~nbdemo.Error`. Events: change, input, select, focus, blur,
    key_up (a key released in the control; ``gr.KeyUpData`` has ``key`` and
    ``input_value``, the text typed so far; without ``allow_custom_value``
    the control is a list box and ``input_value`` is the chosen label).
    """

    _kind = t.Unicode("dropdown").tag(sync=True)
    multiselect = t.Bool(False).tag(sync=True)
    allow_custom_value = t.Bool(False).tag(sync=True)
    max_choices = t.Int(None, allow_none=True).tag(sync=True)
    filterable = t.Bool(True).tag(sync=True)

    key_up = EventListener("key_up", "Fires when a key is released in the control; fn gets KeyUpData.")

    def __init__(self, choices: Sequence | None = None, *, value: Any = None,
                 type: Literal["value", "index"] = "value", multiselect: bool | None = None,
                 allow_custom_value: bool = False, max_choices: int | None = None,
                 **kw: Any) -> None:
        multiselect = bool(multiselect)
        self.CLEAR_VALUE = [] if multiselect else None
        super().__init__(value, choices=choices or [], type=type, multiselect=multiselect,
                         allow_custom_value=allow_custom_value, max_choices=max_choices, **kw)

    def preprocess(self, payload: Any) -> Any:
        if self.multiselect:
            items = payload if isinstance(payload, list) else ([] if payload is None else [payload])
            if self.max_choices is not None and len(items) > self.max_choices:
                raise Error(f"{self.label or 'Dropdown'}: choose at most {self.max_choices}")
            return [self._out(self._check(v)) for v in items]
        if payload is None or payload == [] or (payload == "" and "" not in self._values()):
            return None
        return self._out(self._check(payload))

    def postprocess(self, value: Any) -> Any:
        if self.multiselect:
            if value is None:
                return []
            return list(value) if isinstance(value, (list, tuple, set)) else [value]
        return value
