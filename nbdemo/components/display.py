from __future__ import annotations

import inspect
import json
import math
import re
from typing import Any

import traitlets as t

from ..events import EventListener
from .base import Component


class _Display(Component):
    change = EventListener("change", "Fires when the value changes.")


#: Tags that navigate or re-base the page without any script (``<meta
#: http-equiv="refresh">``, ``<base href>``).
_NAVIGATION = re.compile(r"<\s*/?\s*(?:meta|base)\b[^>]*>?", re.IGNORECASE)


def strip_navigation(html: str) -> str:
    """``html`` without ``<meta>`` and ``<base>`` tags (until none is left, so
    ``<me<meta>ta ...>`` cannot reassemble one)."""
    while True:
        out = _NAVIGATION.sub("", html)
        if out == html:
            return out
        html = out


class Markdown(_Display):
    """Markdown rendered in the page (``marked``), then sanitized (DOMPurify)
    so a value cannot run script; ``sanitize_html=False`` opts out (the HTML
    is shown as is, except ``<meta>`` and ``<base>`` tags, which are removed:
    a value must not navigate the page away or re-base its links).

    As an input ``fn`` receives the Markdown source ``str``; return a str
    (its common indentation and surrounding blank lines are removed, as
    Gradio does with ``inspect.cleandoc``).
    ``line_breaks``: single newlines become <br>. ``header_links``: anchors on
    headings. ``show_copy_button`` (or Gradio 6's ``buttons=["copy"]``): a
    Copy button that copies the Markdown source. Events: change, copy (fn gets
    ``gr.CopyData``; ``.value`` is the copied text).
    """

    _kind = t.Unicode("markdown").tag(sync=True)
    CLEAR_VALUE = ""
    value = t.Unicode("").tag(sync=True)
    sanitize_html = t.Bool(True).tag(sync=True)
    line_breaks = t.Bool(False).tag(sync=True)
    header_links = t.Bool(False).tag(sync=True)
    rtl = t.Bool(False).tag(sync=True)
    #: pixels (int) or a CSS length; longer text scrolls (Gradio's ``height``/``max_height``)
    height = t.Union([t.Int(), t.Unicode()], default_value=None, allow_none=True).tag(sync=True)
    show_copy_button = t.Bool(False).tag(sync=True)

    copy = EventListener("copy", "Fires when the Copy button copied the text; fn gets CopyData.")

    def __init__(self, value: str = "", *, sanitize_html: bool = True, line_breaks: bool = False,
                 header_links: bool = False, **kw: Any) -> None:
        kw.setdefault("show_label", False)
        super().__init__(value, sanitize_html=sanitize_html, line_breaks=line_breaks,
                         header_links=header_links, **kw)

    def postprocess(self, value: Any) -> str:
        # the common indentation goes, as in Gradio (inspect.cleandoc): a triple-quoted
        # string indented with the code would otherwise show as a code block
        text = "" if value is None else inspect.cleandoc(str(value))
        return text if self.sanitize_html else strip_navigation(text)


def _jsonable(value: Any) -> Any:
    def fallback(o: Any) -> Any:
        if hasattr(o, "tolist"):  # numpy arrays and scalars, without importing numpy
            return o.tolist()
        if isinstance(o, (set, frozenset)):
            return sorted(o, key=repr)
        if hasattr(o, "isoformat"):
            return o.isoformat()
        return str(o)

    def finite(o: Any) -> Any:
        if isinstance(o, float) and not math.isfinite(o):
            return None
        if isinstance(o, dict):
            return {k: finite(v) for k, v in o.items()}
        if isinstance(o, list):
            return [finite(v) for v in o]
        return o

    return finite(json.loads(json.dumps(value, default=fallback)))


class JSON(_Display):
    """A JSON viewer. Return a dict, list, number, bool, None, or a JSON
    ``str`` (parsed). NumPy values are converted with ``.tolist()``, other
    objects with ``str()``; NaN/inf become null. As an input ``fn`` receives
    the parsed value. ``show_indices``: each list item is shown with its
    index ("0: ..."). Event: change.
    """

    _kind = t.Unicode("json").tag(sync=True)
    value = t.Any(None, allow_none=True).tag(sync=True)
    height = t.Unicode(None, allow_none=True).tag(sync=True)
    show_indices = t.Bool(False).tag(sync=True)

    def __init__(self, value: Any = None, *, open: bool = False, **kw: Any) -> None:
        # Gradio's ``open`` is accepted; it cannot be a trait, which would shadow
        # ``Widget.open()`` (the comm opener), and the viewer always shows it all.
        self.open_on_load = open
        super().__init__(value, **kw)

    def postprocess(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return _jsonable(value)

    def validate_wire(self, payload: Any) -> Any:
        return payload


class Label(_Display):
    """A classification result.

    Return a ``str`` or number (shown as the label), or a dict ``{class:
    confidence}`` with confidences in [0, 1], shown as bars, highest first,
    limited to ``num_top_classes``. As an input ``fn`` receives the ``str``
    label, or the ``{class: confidence}`` dict when there are confidences.
    Events: change, select.
    """

    _kind = t.Unicode("label").tag(sync=True)
    value = t.Dict(None, allow_none=True).tag(sync=True)
    num_top_classes = t.Int(None, allow_none=True).tag(sync=True)
    color = t.Unicode(None, allow_none=True).tag(sync=True)
    show_heading = t.Bool(True).tag(sync=True)
    select = EventListener("select", "Fires when the user clicks a class; fn gets SelectData.")

    def __init__(self, value: Any = None, *, num_top_classes: int | None = None, **kw: Any) -> None:
        super().__init__(value, num_top_classes=num_top_classes, **kw)

    def postprocess(self, value: Any) -> dict | None:
        if value is None:
            return None
        if isinstance(value, dict) and "confidences" in value and "label" in value:
            return _jsonable(value)
        if isinstance(value, dict):
            items = [(str(k), float(v)) for k, v in value.items()]
            bad = [k for k, c in items if not math.isfinite(c)]
            if bad:
                raise ValueError(f"Label: the confidence of {bad[0]!r} is not a finite number")
            items.sort(key=lambda kv: -kv[1])
            if self.num_top_classes is not None:
                items = items[: self.num_top_classes]
            return {"label": items[0][0] if items else None,
                    "confidences": [{"label": k, "confidence": c} for k, c in items]}
        if isinstance(value, (str, int, float)):
            return {"label": str(value), "confidences": None}
        raise ValueError(f"Label cannot show a {type(value).__name__}; return a str, "
                         "a number or a {class: confidence} dict")

    def preprocess(self, payload: Any) -> Any:
        if not payload:
            return None
        if payload.get("confidences"):
            return {c["label"]: c["confidence"] for c in payload["confidences"]}
        return payload.get("label")
