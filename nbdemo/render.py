"""``gr.render``: dynamic layouts. Not supported by nbdemo yet.

Gradio re-runs a ``@gr.render(inputs=..., triggers=...)`` function per
session, replacing the components and listeners it made last time (keeping
values by ``key=``). nbdemo's engine knows a demo's listeners once for all
sessions, and its page and notebook hosts know the components a demo has when
it is shown, so a per-session layout needs both to learn of components
and listeners made during a run (and to forget them). Until then ``gr.render``
raises, naming what it is, rather than showing a demo that silently lacks
part of its page.
"""

from __future__ import annotations

from typing import Any


def render(inputs: Any = None, triggers: Any = None, **kwargs: Any):
    """Gradio's ``@gr.render``: raises ``NotImplementedError`` (see the module docstring)."""
    raise NotImplementedError(
        "gr.render (layouts re-rendered per session on their triggers) is not supported by "
        "nbdemo yet; build the components up front and show or hide them with "
        "gr.update(visible=...) instead")
