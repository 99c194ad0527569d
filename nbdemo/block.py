"""Block: what components and layout containers share (an id, a parent, render())."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from . import context

if TYPE_CHECKING:
    from .layout import BlockContext

_ids = itertools.count(1)


def new_id() -> int:
    """A block id never used before in this process."""
    return next(_ids)


class Block:
    """Base of every component and layout block.

    ``_id`` is unique in the process; it names the block on the wire (both
    front doors) and in the layout tree.
    """

    _id: int
    parent: BlockContext | None

    def _init_block(self, render: bool) -> None:
        run = context.rendering()
        # in a gr.render run, a block with a key= takes the id its key had in
        # the session's previous run (the page keeps it, and its value)
        self._id = run.made(self) if run is not None else new_id()
        self.parent = None
        if render:
            self.render()

    def render(self) -> Block:
        """Place this block in the innermost open ``with`` block (no-op outside one).

        Raises ``ValueError`` if the block is already placed somewhere else
        in the same open demo (a block renders in one place, as in Gradio).
        """
        ctx = context.current()
        if ctx is not None and ctx is not self:
            if self.parent is not None and self.parent is not ctx and _same_tree(self.parent, ctx):
                raise ValueError(f"{self!r} is already rendered in this demo")
            ctx.add_child(self)
        return self

    def unrender(self) -> Block:
        if self.parent is not None:
            self.parent.children.remove(self)
            self.parent = None
        return self

    def layout(self, ref) -> dict:
        raise NotImplementedError


def is_component(obj: object) -> bool:
    """Whether ``obj`` is a component (has a value to pre/postprocess), not a
    layout block; tells them apart without importing the widget classes."""
    return isinstance(obj, Block) and hasattr(obj, "preprocess")


def _same_tree(a: BlockContext, b: BlockContext) -> bool:
    def top(x):
        while x.parent is not None:
            x = x.parent
        return x

    return top(a) is top(b)
