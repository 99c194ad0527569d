"""Errors a demo function raises to show a message to the person using the demo."""

from __future__ import annotations


class Error(Exception):
    """Raise in ``fn`` to show ``message`` to the user (the run stops, outputs
    keep their values, the next event works).

    ``title`` heads the message; ``duration`` (seconds, None = until closed)
    and ``visible`` follow Gradio's ``gr.Error``. Any *other* exception shows a
    generic "Error" unless the demo was launched with ``show_error=True``;
    its traceback goes to the server log either way.
    """

    def __init__(self, message: str = "Error raised.", duration: float | None = 10,
                 visible: bool = True, title: str = "Error", print_exception: bool = True):
        super().__init__(message)
        self.message = message
        self.duration = duration
        self.visible = visible
        self.title = title
        self.print_exception = print_exception

    def __str__(self) -> str:
        return self.message
