"""The built-in demo gallery (``nbdemo demo``): one module per demo, each with a ``demo``.

notebooks/quickstart.ipynb shows the same demos inline.
"""

from __future__ import annotations

import importlib

#: module name → title, in gallery order
DEMOS = {
    "hello": "Hello, world",
    "calculator": "Calculator",
    "layout": "Blocks layout",
    "visibility": "Show and hide with update()",
    "counter": "Per-session counter (State)",
    "slow": "A slow function",
    "image_filters": "Image filters",
    "data_explorer": "Data explorer",
    "media_files": "Audio, video and files",
    "digits": "Handwritten digits",
    "chat": "Streaming chat",
}


def load(name: str):
    """The ``demo`` object of ``nbdemo.demos.<name>``."""
    return importlib.import_module(f"{__name__}.{name}").demo


def gallery() -> dict[str, object]:
    """Prefix → demo, for ``Server``."""
    return {f"/{name}/": load(name) for name in DEMOS}
