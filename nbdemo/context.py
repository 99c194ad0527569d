"""The stack of open ``with`` blocks (Blocks, Row, Column, …), per thread."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .blocks import Blocks
    from .layout import BlockContext

_local = threading.local()


def stack() -> list[BlockContext]:
    s = getattr(_local, "stack", None)
    if s is None:
        s = _local.stack = []
    return s


def current() -> BlockContext | None:
    s = stack()
    return s[-1] if s else None


def root() -> Blocks | None:
    """The outermost open Blocks, which owns the event dependencies."""
    from .blocks import Blocks

    for ctx in stack():
        if isinstance(ctx, Blocks):
            return ctx
    return None
