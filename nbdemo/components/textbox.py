from __future__ import annotations

from typing import Any, Literal

import traitlets as t

from ..events import EventListener
from .base import FormComponent


class Textbox(FormComponent):
    """A text box. ``fn`` receives ``str`` ("" when empty); return any value
    (``str()`` is applied; ``None`` clears it).

    ``lines`` (int): visible rows; with ``lines == 1`` and ``max_lines == 1``
    (the default when ``lines == 1``) it is a single-line input and Enter fires
    ``submit``. ``max_lines``: rows before it scrolls. ``type``: "text",
    "password" or "email". ``placeholder``: hint shown when empty.
    ``max_length``: characters accepted by the control.
    ``show_copy_button`` (or Gradio 6's ``buttons=["copy"]``): a Copy button.
    Events: change, input, submit, focus, blur, select, copy (the Copy button
    put the text on the clipboard; ``gr.CopyData.value`` is that text).
    """

    _kind = t.Unicode("textbox").tag(sync=True)
    CLEAR_VALUE = ""
    value = t.Unicode("").tag(sync=True)
    lines = t.Int(1).tag(sync=True)
    max_lines = t.Int(None, allow_none=True).tag(sync=True)
    placeholder = t.Unicode(None, allow_none=True).tag(sync=True)
    type = t.Enum(["text", "password", "email"], "text").tag(sync=True)
    max_length = t.Int(None, allow_none=True).tag(sync=True)
    autofocus = t.Bool(False).tag(sync=True)
    text_align = t.Enum(["left", "right"], None, allow_none=True).tag(sync=True)
    rtl = t.Bool(False).tag(sync=True)
    show_copy_button = t.Bool(False).tag(sync=True)

    submit = EventListener("submit", "Fires when the user presses Enter (single-line boxes).")
    select = EventListener("select", "Fires when the user selects text; fn gets SelectData.")
    copy = EventListener("copy", "Fires when the Copy button copied the text; fn gets CopyData.")

    def __init__(self, value: str | Any = "", *, lines: int = 1, max_lines: int | None = None,
                 placeholder: str | None = None,
                 type: Literal["text", "password", "email"] = "text",
                 max_length: int | None = None, **kw: Any) -> None:
        super().__init__(value, lines=lines, max_lines=max_lines, placeholder=placeholder,
                         type=type, max_length=max_length, **kw)

    def preprocess(self, payload: Any) -> str:
        return "" if payload is None else str(payload)

    def postprocess(self, value: Any) -> str:
        return "" if value is None else str(value)
