from __future__ import annotations

from typing import Any, Literal

import traitlets as t

from ..events import EventListener
from .base import Component


class Dataset(Component):
    """A clickable table of samples (what ``Examples`` shows).

    ``components``: the components whose values the columns hold;
    ``samples``: a list of rows, one value per component. ``fn`` receives the
    clicked row's index (``type="index"``, default for Examples), the row as a
    list (``type="values"``) or both as a tuple (``type="tuple"``).
    Events: click, select.
    """

    _kind = t.Unicode("dataset").tag(sync=True)
    value = t.Int(None, allow_none=True).tag(sync=True)
    headers = t.List().tag(sync=True)
    samples = t.List().tag(sync=True)
    samples_per_page = t.Int(10).tag(sync=True)

    click = EventListener("click", "Fires when a sample is clicked.")
    select = EventListener("select", "Fires when a sample is selected; fn gets SelectData.")

    def __init__(self, *, components: list[Component] | None = None,
                 samples: list[list] | None = None, headers: list[str] | None = None,
                 type: Literal["values", "index", "tuple"] = "values",
                 samples_per_page: int = 10, **kw: Any) -> None:
        self.components = list(components or [])
        self.raw_samples = [list(s) if isinstance(s, (list, tuple)) else [s] for s in (samples or [])]
        self.type = type
        shown = [[_show(c, v) for c, v in zip(self.components, row)] for row in self.raw_samples]
        if headers is None:
            headers = [c.label or "" for c in self.components]
        kw.setdefault("label", "Examples")
        super().__init__(None, headers=headers, samples=shown,
                         samples_per_page=samples_per_page, **kw)

    def preprocess(self, payload: Any) -> Any:
        if payload is None:
            return None
        i = int(payload)
        if not 0 <= i < len(self.raw_samples):
            raise ValueError(f"Dataset: no sample {i}")
        if self.type == "index":
            return i
        if self.type == "tuple":
            return i, self.raw_samples[i]
        return self.raw_samples[i]


def _show(component: Component, value: Any) -> Any:
    try:
        shown = component.postprocess(value)
    except Exception:
        shown = value
    if isinstance(shown, (list, tuple)):
        return ", ".join(str(x) for x in shown)
    if isinstance(shown, dict):
        return str(shown.get("label", shown))
    if isinstance(shown, float) and shown.is_integer():
        return str(int(shown))
    return "" if shown is None else str(shown)
