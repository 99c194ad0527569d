"""Where a served demo comes from: built on first use, replaceable while served.

A ``Mount`` (see :mod:`nbdemo.server.handlers`) holds a ``DemoSource``, not
the ``Blocks`` itself, so that

- the gallery starts without importing any demo (``nbdemo demo`` answers in
  well under two seconds; numpy, pandas, scikit-learn load when a demo is
  first opened), and its index shows titles and descriptions without
  building anything;
- reload mode (:mod:`nbdemo.reload`) swaps in the demo of the re-run script
  while the server keeps running, and tells the open pages.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

__all__ = ["DemoSource"]


class DemoSource:
    """The demo of one mount.

    ``build``: a callable returning the ``Blocks``, called once, on the first
    ``get()`` (from whichever thread asks first; the others wait). ``title``
    and ``description``: what an index lists before the demo is built.

    ``replace(blocks)`` serves another demo from now on and calls every
    ``on_replace`` listener with ``(old, new)`` (``old`` is None when the demo
    was never built). ``error`` is the text of the last failed reload
    (``None`` when the served demo is current); listeners hear about errors
    through ``on_error``.
    """

    def __init__(self, build: Callable[[], Any], *, title: str = "nbdemo",
                 description: str = "") -> None:
        self._build = build
        self._blocks: Any = None
        self._lock = threading.Lock()
        self.title = title
        self.description = description
        self.error: str | None = None
        #: callables (old Blocks | None, new Blocks), called by replace()
        self.on_replace: list[Callable[[Any, Any], None]] = []
        #: callables (error text | None), called by set_error()
        self.on_error: list[Callable[[str | None], None]] = []

    @classmethod
    def of(cls, blocks: Any) -> DemoSource:
        """A source that already holds ``blocks``."""
        src = cls(lambda: blocks, title=getattr(blocks, "title", "nbdemo"),
                  description=getattr(blocks, "description", None) or "")
        src._blocks = blocks
        return src

    @property
    def built(self) -> bool:
        return self._blocks is not None

    def get(self) -> Any:
        """The demo, built now if it was not yet."""
        blocks = self._blocks
        if blocks is not None:
            return blocks
        with self._lock:
            if self._blocks is None:
                self._blocks = self._build()
            return self._blocks

    def replace(self, blocks: Any) -> None:
        """Serve ``blocks`` from now on (reload); clears ``error``."""
        with self._lock:
            old, self._blocks = self._blocks, blocks
        self.title = getattr(blocks, "title", self.title)
        self.error = None
        for cb in list(self.on_replace):
            cb(old, blocks)

    def set_error(self, text: str | None) -> None:
        """Record (or clear, with None) a failed reload; the served demo stays."""
        self.error = text
        for cb in list(self.on_error):
            cb(text)
