"""App: the runnable form of a Blocks tree (blocks by id, dependencies, triggers)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..blocks import Blocks
    from ..events import Dependency


class App:
    """Indexes a demo for the engine. Rebuilt cheaply when the demo gains listeners."""

    def __init__(self, root: Blocks):
        self.root = root
        self._n = -1
        self.refresh()

    def refresh(self) -> None:
        from ..components.base import Component

        root = self.root
        self.blocks: dict[int, Any] = {}
        for b in root.walk():
            self.blocks[b._id] = b
        deps = root.dependencies
        self.dependencies: list[Dependency] = list(deps)
        self.triggers: dict[tuple[int, str], list[int]] = {}
        self.after: dict[int, list[int]] = {}
        index = {id(d): i for i, d in enumerate(deps)}
        for i, dep in enumerate(deps):
            for block, event in dep.triggers:
                self.triggers.setdefault((block._id, event), []).append(i)
            if dep.after is not None and id(dep.after) in index:
                self.after.setdefault(index[id(dep.after)], []).append(i)
            for c in dep.inputs + dep.outputs:
                # components used only in events (e.g. an unrendered State) are still known
                if isinstance(c, Component):
                    self.blocks.setdefault(c._id, c)
        # Gradio: a component with interactive=None is editable when some
        # listener reads it, or when no listener writes it.
        ins = {c._id for d in deps for c in d.inputs}
        outs = {c._id for d in deps for c in d.outputs}
        for b in self.blocks.values():
            if isinstance(b, Component):
                editable = b._id in ins or b._id not in outs
                if b._editable != editable:
                    b._editable = editable
        self._n = len(deps)

    def fresh(self) -> App:
        if self._n != len(self.root.dependencies):
            self.refresh()
        return self

    def component(self, block_id: Any):
        from ..components.base import Component

        if isinstance(block_id, bool) or not isinstance(block_id, int):
            raise ValueError(f"component id must be an int, got {block_id!r:.40}")
        block = self.blocks.get(block_id)
        if not isinstance(block, Component):
            raise ValueError(f"no component with id {block_id} in this demo")
        return block
