from __future__ import annotations

from typing import Any, Literal

import traitlets as t

from ..events import EventListener
from .base import Component


class Button(Component):
    """A button; ``value`` is its text. As an input, ``fn`` receives the text.

    ``variant``: "primary", "secondary" (default) or "stop"; ``size``: "sm",
    "md" or "lg". Event: click.
    """

    _kind = t.Unicode("button").tag(sync=True)
    value = t.Unicode("Run").tag(sync=True)
    variant = t.Enum(["primary", "secondary", "stop", "huggingface"], "secondary").tag(sync=True)
    size = t.Enum(["sm", "md", "lg"], "lg").tag(sync=True)
    link = t.Unicode(None, allow_none=True).tag(sync=True)
    icon = t.Unicode(None, allow_none=True).tag(sync=True)

    click = EventListener("click", "Fires when the button is clicked.")

    def __init__(self, value: str = "Run", *, variant: str = "secondary",
                 size: Literal["sm", "md", "lg"] = "lg", link: str | None = None,
                 **kw: Any) -> None:
        self.CLEAR_VALUE = value
        super().__init__(value, variant=variant, size=size, link=link, **kw)

    def preprocess(self, payload: Any) -> str:
        return "" if payload is None else str(payload)

    def postprocess(self, value: Any) -> str:
        return "" if value is None else str(value)


class DeepLinkButton(Button):
    """A button that copies a link to this page *as it is now* (Gradio's
    ``gr.DeepLinkButton``): the server keeps a snapshot of the session's
    values (and the props its functions changed), and the link
    (``?deep_link=<id>``) opens the demo with them. ``value``: the button's
    text; ``copied_value``: its text for a moment after copying.

    The snapshot lives in the server's memory (the last 1000 per demo) and
    leaves out values that hold files (they belong to the session) and State.
    Inline in a notebook there is no page URL to link to: clicking says so.
    Its ``click`` event fires as for any button.
    """

    _kind = t.Unicode("deeplinkbutton").tag(sync=True)
    copied_value = t.Unicode("Link Copied!").tag(sync=True)

    def __init__(self, value: str = "Share via Link", copied_value: str = "Link Copied!",
                 **kw: Any) -> None:
        super().__init__(value, copied_value=copied_value, **kw)


class ClearButton(Button):
    """A button that resets ``components`` to their empty values.

    ``components``: one component or a list; more with :meth:`add`. The reset
    runs on the server like any event (so State is cleared per session).
    """

    def __init__(self, components: Any = None, value: str = "Clear", **kw: Any) -> None:
        super().__init__(value, **kw)
        self._targets: list[Component] = []
        self._dep = None
        if components is not None:
            self.add(components)

    def add(self, components: Any) -> ClearButton:
        """Also clear ``components`` (one or a list) when clicked."""
        items = components if isinstance(components, (list, tuple, set)) else [components]
        self._targets.extend(c for c in items if c not in self._targets)
        targets = self._targets
        if self._dep is None:
            self._dep = self.click(lambda: _clear(targets), None, [], show_progress="hidden",
                                   api_name=False)
        self._dep.outputs = list(targets)
        return self


def _clear(targets: list[Component]) -> Any:
    values = tuple(c.clear_value() for c in targets)
    return values[0] if len(values) == 1 else values
