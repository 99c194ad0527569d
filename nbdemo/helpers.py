"""What a demo function calls while it runs: ``Progress``, ``Info``,
``Warning``, ``Success``.

They find their run through a context variable the engine sets for the
function (its thread pool copies the context), so they work from sync,
async and generator functions alike. Outside a run they only log.
"""

from __future__ import annotations

import logging

from .engine.progress import Progress
from .engine.run import current_run

log = logging.getLogger("nbdemo")


def _toast(level: str, message: str, duration: float | None, title: str) -> None:
    run = current_run.get()
    if run is None:
        log.info("nbdemo.%s outside a running event: %s", level.capitalize(), message)
        return
    run.log(level, str(message), title=title, duration=duration)


def Info(message: str = "Info issued.", duration: float | None = 10, visible: bool = True,
         title: str = "") -> None:
    """Show ``message`` as an info toast while the function goes on (Gradio's
    ``gr.Info``). ``duration``: seconds on screen (None: until closed);
    ``visible=False`` shows nothing. Outside a running event it only logs."""
    if visible:
        _toast("info", message, duration, title)


def Warning(message: str = "Warning issued.", duration: float | None = 10,  # noqa: A001
            visible: bool = True, title: str = "") -> None:
    """Show ``message`` as a warning toast while the function goes on (Gradio's ``gr.Warning``)."""
    if visible:
        _toast("warning", message, duration, title)


def Success(message: str = "Success.", duration: float | None = 10, visible: bool = True,
            title: str = "") -> None:
    """Show ``message`` as a success toast while the function goes on (Gradio's ``gr.Success``)."""
    if visible:
        _toast("success", message, duration, title)


__all__ = ["Info", "Warning", "Success", "Progress"]
