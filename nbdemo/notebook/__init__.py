"""The inline front door: a demo rendered in a notebook cell as Jupyter widgets.

The root ``DemoWidget`` carries the layout tree, whose leaves name component
widgets (``anywidget:<model_id>``); the shared JS runtime renders them with
anywidget's ``host.getWidget``. All of the inline transport is in this
package: :mod:`.comm` handles what every widget's front-end sends (it plugs
itself into ``Widget.front_door`` on import; components hold no transport
code), hands values and triggers to the one dispatcher on nbdemo's background
loop (:mod:`.loop`), so the kernel's shell thread stays free while a demo
function runs; :mod:`.uploads` moves files as widget buffers;
:class:`NotebookSession` (:mod:`.session`) keeps values in the widgets' traits
and sends results back.
"""

from __future__ import annotations

import warnings
import weakref
from typing import Any

import traitlets as t

from .. import i18n
from ..components.base import Widget
from . import comm, door
from .loop import get_loop
from .session import NotebookSession

__all__ = ["DemoWidget", "NotebookSession", "view_for"]

comm.install()

#: The demo shown by each notebook cell, so re-running a cell replaces it cleanly.
_by_cell: dict[str, DemoWidget] = {}
_views: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class DemoWidget(Widget):
    """The root widget of an inline demo."""

    _kind = t.Unicode("blocks").tag(sync=True)
    _layout = t.Dict().tag(sync=True)
    #: gr.render: each render's place (its id, as a str) → the layout its last
    #: run built there for the notebook's session (views rebuild only that part)
    _renders = t.Dict().tag(sync=True)
    title = t.Unicode("").tag(sync=True)
    css = t.Unicode("").tag(sync=True)
    fill_height = t.Bool(False).tag(sync=True)
    theme = t.Unicode("default").tag(sync=True)
    #: the page and share endpoints below the Jupyter server's base_url, when
    #: this kernel serves the demo as a page (nbdemo.notebook.door); {} otherwise
    _door = t.Dict().tag(sync=True)
    #: the app's own JavaScript (Blocks.script) and what its js= listeners need
    _js_module = t.Unicode(None, allow_none=True).tag(sync=True)
    _js_listeners = t.List().tag(sync=True)

    def __init__(self, blocks, **kw: Any) -> None:
        super().__init__(**kw)
        self.blocks = blocks
        self.session = NotebookSession(blocks.engine, self)
        comm.bind(self, self.session)
        self.sync_layout()
        # the notebook's session starts: demo.load listeners, callable values, timers
        get_loop().call_soon_threadsafe(blocks.engine.open, self.session)

    def sync_layout(self) -> None:
        b = self.blocks
        for comp in b.components():
            comm.bind(comp, self.session)
        for dep in b.dependencies:
            for comp in dep.inputs + dep.outputs:
                comm.bind(comp, self.session, replace=False)
        for rendered in self.session.renders.values():
            self._bind(rendered)
        self.title = b.title
        self.css = b.css
        self.fill_height = b.fill_height
        self.theme = b.theme
        self._layout = b.layout_tree(_ref)
        if i18n.active():  # gr.I18n texts, in the kernel's language: inline, the widgets are the state
            self.session.locale = i18n.kernel_locale()
            for comp in b.components():
                for name, value in comp.props().items():
                    if not name.startswith("_") and i18n.has_marker(value):
                        setattr(comp, name, i18n.translate(value, self.session.locale))
        pages = getattr(b, "pages", list)()
        if pages and not getattr(self, "_warned_pages", False):
            self._warned_pages = True
            warnings.warn(f"nbdemo shows the main page of a multipage demo inline; its pages "
                          f"({', '.join(p.path for p in pages)}) are pages of the app that "
                          "demo.launch() serves", UserWarning, stacklevel=3)
        self._js_module = b.script()
        self._js_listeners = b.js_listeners()

    def show_render(self, rendered) -> None:
        """A gr.render run of the notebook's session: its widgets answer to the
        session, and the views replace the render's part of the layout (the
        rest of the demo, and the focus in it, stay)."""
        self._bind(rendered)
        layout = rendered.container.layout(_ref)
        self._renders = {**self._renders, str(rendered.render_id): layout}

    def _bind(self, rendered) -> None:
        for comp in rendered.made:
            if isinstance(comp, Widget):
                comm.bind(comp, self.session)

    def close(self) -> None:
        # runs and timers are stopped, and unload listeners run, on the engine's loop
        get_loop().call_soon_threadsafe(self.blocks.engine.close, self.session)
        super().close()


def _ref(component) -> str:
    """How the root's layout names a component: its widget, for anywidget's host."""
    return f"anywidget:{component.model_id}"


def _cell_id() -> str | None:
    try:
        from IPython import get_ipython

        kernel = get_ipython().kernel
        try:
            parent = kernel.get_parent("shell")
        except TypeError:
            parent = kernel.get_parent()
        return (parent or {}).get("metadata", {}).get("cellId")
    except Exception:
        return None


def view_for(blocks) -> DemoWidget:
    """The root widget showing ``blocks`` (made once per demo, refreshed on display).

    If the current cell showed another demo before, that demo's widgets are
    closed: re-running a cell replaces its demo.
    """
    view = _views.get(blocks)
    if view is None or view.comm is None:
        view = DemoWidget(blocks)
        _views[blocks] = view
    else:
        view.sync_layout()
    served = door.serve(blocks)
    if served is not None:
        view._door = {"id": served.demo_id, "page": served.page,
                      "shares": f"nbdemo/api/demos/{served.demo_id}/shares"}
    cell = _cell_id()
    if cell:
        old = _by_cell.get(cell)
        if old is not None and old is not view:
            _retire(old, keep=set(blocks.components()))
        _by_cell[cell] = view
    return view


def _retire(view: DemoWidget, keep: set) -> None:
    blocks = view.blocks
    _views.pop(blocks, None)
    door.close(blocks)
    view.close()
    for comp in blocks.components():
        if comp not in keep:
            comp.close()
