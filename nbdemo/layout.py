"""Layout blocks: Row, Column, Group, Tabs/Tab, Accordion, Sidebar.

Layout blocks are plain Python objects, not widgets: the demo's root widget
receives the whole tree as one ``_layout`` trait and lays out the component
widgets inside it, in the notebook and in the standalone page alike.
"""

from __future__ import annotations

import inspect
import warnings
from typing import Any, Literal

from . import _args, context
from .block import Block
from .events import EventListener


class BlockContext(Block):
    """A block that holds children and is used as ``with Row(): ...``."""

    kind = "column"

    def __init__(self, *, visible: bool = True, elem_id: str | None = None,
                 elem_classes: list[str] | str | None = None, render: bool = True,
                 key: Any = None, **props: Any) -> None:
        self.children: list[Block] = []
        unknown = {k: v for k, v in props.items() if k not in _known_props(type(self))}
        if unknown:  # never swallowed: Gradio's names warn, others raise TypeError
            props = {k: v for k, v in props.items() if k not in unknown}
            _args.check(type(self).__name__, unknown, _args.GRADIO_COMPONENT_ARGS, stacklevel=4)
        if isinstance(elem_classes, str):
            elem_classes = [elem_classes]
        if visible == "hidden":  # Gradio 6: in the page, not shown
            visible = False
        self.props: dict[str, Any] = {"visible": visible, "elem_id": elem_id,
                                      "elem_classes": elem_classes or [], **props}
        self.key = key
        #: events that have listeners (Tab.select, Accordion.expand, …); the page sends only these
        self._events: list[str] = []
        self._init_block(render)

    def __new__(cls, *args: Any, **kwargs: Any):
        obj = super().__new__(cls)
        obj._init_kwargs = _given(cls, args, kwargs)
        return obj

    def update_from(self, value: Any) -> dict[str, Any]:
        """What a function returned for this block as an output
        (``gr.Column(visible=False)``, ``gr.Tabs(selected=1)``,
        ``gr.update(open=True)``) → the props to change, for one session.

        Raises ``ValueError`` for another kind of value or a prop the block
        does not have.
        """
        if isinstance(value, BlockContext):
            given = dict(value._init_kwargs)
        elif isinstance(value, dict) and value.get("__type__") == "update":
            given = {k: v for k, v in value.items() if k != "__type__"}
        elif value is None:
            return {}
        else:
            raise ValueError(f"{type(self).__name__} is a layout block: return "
                             f"gr.{type(self).__name__}(visible=...) or gr.update(...), "
                             f"not a {type(value).__name__}")
        out: dict[str, Any] = {}
        for name, v in given.items():
            name = {"id": "tab_id"}.get(name, name)
            if name in ("render", "key"):
                continue
            if name not in self.props:
                raise ValueError(f"update(): {type(self).__name__} has no property {name!r}")
            out[name] = False if name == "visible" and v == "hidden" else v
        return out

    def __enter__(self):
        context.stack().append(self)
        return self

    def __exit__(self, *exc) -> None:
        stack = context.stack()
        if stack and stack[-1] is self:
            stack.pop()

    def add_child(self, child: Block) -> None:
        if child.parent is not None and child in child.parent.children:
            child.parent.children.remove(child)
        child.parent = self
        self.children.append(child)

    def layout(self, ref) -> dict:
        props = dict(self.props)
        if self._events:
            props["_events"] = list(self._events)
        return {"type": self.kind, "id": self._id, "props": props,
                "children": [c.layout(ref) for c in self.children]}

    def walk(self):
        """Yield every block below this one, depth first."""
        for child in self.children:
            yield child
            if hasattr(child, "walk"):  # a layout block, or a component with children (gr.HTML)
                yield from child.walk()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(id={self._id})"


def _given(cls, args: tuple, kwargs: dict) -> dict[str, Any]:
    """The arguments a layout block was made with (what returning it updates)."""
    try:
        sig = inspect.signature(cls.__init__)
        bound = sig.bind_partial(None, *args, **kwargs)
    except TypeError:
        return dict(kwargs)
    given: dict[str, Any] = {}
    for name, value in list(bound.arguments.items())[1:]:
        if sig.parameters[name].kind is inspect.Parameter.VAR_KEYWORD:
            given.update(value)
        else:
            given[name] = value
    return given


def _known_props(cls) -> set[str]:
    """The props a layout class takes: the named parameters of the ``__init__``
    of it and its bases, and what it passes under another name (``_renamed``)."""
    names = set(getattr(cls, "_renamed", ()))
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is not None:
            names.update(p.name for p in inspect.signature(init).parameters.values()
                         if p.kind is p.KEYWORD_ONLY or p.kind is p.POSITIONAL_OR_KEYWORD)
    return names


class Row(BlockContext):
    """Children side by side; wraps on narrow screens.

    ``equal_height`` stretches children to the tallest one. ``variant``
    is "default", "panel" or "compact", as in Gradio.
    """

    kind = "row"

    def __init__(self, *, variant: Literal["default", "panel", "compact"] = "default",
                 equal_height: bool = False, height: int | str | None = None, **kw: Any):
        super().__init__(variant=variant, equal_height=equal_height, height=height, **kw)


class Column(BlockContext):
    """Children stacked vertically. In a Row, ``scale`` is the relative
    width (0 = do not grow) and ``min_width`` the minimum width in pixels."""

    kind = "column"

    def __init__(self, *, scale: int = 1, min_width: int = 320,
                 variant: Literal["default", "panel", "compact"] = "default", **kw: Any):
        super().__init__(scale=scale, min_width=min_width, variant=variant, **kw)


class Group(BlockContext):
    """Children shown as one panel, without gaps between them."""

    kind = "group"


class Tabs(BlockContext):
    """A tab strip; its children are ``Tab`` blocks. ``selected`` is the
    index or ``id`` of the open tab (default the first)."""

    kind = "tabs"
    select = EventListener("select", "Fires when the user opens a tab; SelectData.index is its "
                                     "position, .value its label.")
    change = EventListener("change", "Fires when the user opens another tab.")

    def __init__(self, *, selected: int | str | None = None, **kw: Any):
        super().__init__(selected=selected, **kw)


class Tab(BlockContext):
    """One tab. Outside a ``Tabs``, consecutive Tab blocks are grouped into
    one tab strip automatically, as in Gradio."""

    kind = "tab"
    select = EventListener("select", "Fires when the user opens this tab; SelectData.index is its "
                                     "position, .value its label.")
    _renamed = ("tab_id",)

    def __init__(self, label: str | None = None, *, id: int | str | None = None,
                 interactive: bool = True, **kw: Any):
        super().__init__(label=label or "", tab_id=id, interactive=interactive, **kw)

    def render(self) -> Block:
        ctx = context.current()
        if ctx is not None and not isinstance(ctx, Tabs):
            # Gradio allows bare Tab blocks: group runs of them in an implicit Tabs.
            last = ctx.children[-1] if ctx.children else None
            if not (isinstance(last, Tabs) and getattr(last, "_implicit", False)):
                last = Tabs(render=False)
                last._implicit = True
                ctx.add_child(last)
            last.add_child(self)
            return self
        return super().render()


TabItem = Tab


class Walkthrough(Tabs):
    """Gradio's step-by-step layout: its ``Step`` children show one at a time,
    with a header to move between them (nbdemo draws it as a tab strip).
    ``selected``: the open step's index or ``id``."""


class Step(Tab):
    """One step of a :class:`Walkthrough` (a tab of it)."""


class Draggable(BlockContext):
    """Gradio's ``gr.Draggable``: children the user can reorder by dragging,
    side by side (``orientation="row"``) or stacked ("column"). nbdemo lays
    them out without the dragging yet and warns once, naming it."""

    _warned = False

    def __init__(self, *, orientation: Literal["row", "column"] = "row", **kw: Any):
        if orientation not in ("row", "column"):
            raise ValueError(f"Draggable: orientation is 'row' or 'column', got {orientation!r}")
        if not Draggable._warned:
            Draggable._warned = True
            warnings.warn("nbdemo lays out gr.Draggable's children without dragging yet",
                          UserWarning, stacklevel=2)
        self.kind = orientation
        super().__init__(**kw)


class Accordion(BlockContext):
    """A collapsible section with a ``label``; ``open`` sets its initial state."""

    kind = "accordion"
    expand = EventListener("expand", "Fires when the user opens the accordion.")
    collapse = EventListener("collapse", "Fires when the user closes the accordion.")

    def __init__(self, label: str | None = None, *, open: bool = True, **kw: Any):
        super().__init__(label=label or "", open=open, **kw)


class Sidebar(BlockContext):
    """A collapsible panel on the left (or ``position="right"``) of the demo."""

    kind = "sidebar"

    def __init__(self, label: str | None = None, *, open: bool = True,
                 position: Literal["left", "right"] = "left", width: int | str = 320, **kw: Any):
        super().__init__(label=label or "", open=open, position=position, width=width, **kw)
