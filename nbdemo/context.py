"""The stack of open ``with`` blocks (Blocks, Row, Column, …), per thread,
and the ``gr.render`` run going on in this thread, if any."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .blocks import Blocks
    from .layout import BlockContext
    from .renderable import RenderRun

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
    """The outermost open Blocks, which owns the event dependencies; during a
    ``gr.render`` run (which opens no Blocks), the demo being rendered."""
    from .blocks import Blocks

    for ctx in stack():
        if isinstance(ctx, Blocks):
            return ctx
    run = rendering()
    return run.root if run is not None else None


def rendering() -> RenderRun | None:
    """The ``gr.render`` function running in this thread (it runs in one
    thread of the engine's pool), or None."""
    return getattr(_local, "render", None)


def set_rendering(run: RenderRun | None) -> RenderRun | None:
    """Make ``run`` this thread's render run; returns the previous one."""
    previous = rendering()
    _local.render = run
    return previous


def listeners_of(root: Any) -> list:
    """Where a listener of ``root`` is recorded: the demo's ``dependencies``,
    or, during a render run of that demo, the run's own list (listeners made
    by a render belong to one session, never to the demo)."""
    run = rendering()
    if run is not None and root is run.root:
        return run.dependencies
    return root.dependencies
