"""Code: source code shown in a monospace box, read-only or editable."""

from __future__ import annotations

from typing import Any

import traitlets as t

from .base import FormComponent

#: Gradio's language names (shown as a badge; also the editor's data-language).
LANGUAGES = ("python", "c", "cpp", "markdown", "latex", "json", "html", "css", "javascript",
             "jinja2", "typescript", "yaml", "dockerfile", "shell", "r", "sql", "sql-msSQL",
             "sql-mySQL", "sql-mariaDB", "sql-sqlite", "sql-cassandra", "sql-plSQL", "sql-hive",
             "sql-pgSQL", "sql-gql", "sql-gpSQL", "sql-sparkSQL", "sql-esper")


class Code(FormComponent):
    """Source code in a monospace box: editable (a textarea; Tab indents, Esc
    then Tab leaves it) when interactive, read-only otherwise.

    ``fn`` receives the code as a ``str`` ("" when empty); return a ``str``
    (None clears it). ``language``: one of Gradio's language names
    (``Code.LANGUAGES``) or None; it labels the box — nbdemo ships no syntax
    highlighter, so the code is shown uncoloured. ``lines``: visible rows;
    ``max_lines``: rows before it scrolls. ``wrap_lines``: wrap long lines
    instead of scrolling sideways. ``show_line_numbers``: a gutter of line
    numbers. Events: change, input, focus, blur.
    """

    LANGUAGES = LANGUAGES
    #: Gradio's name for the same list
    languages = list(LANGUAGES)
    _kind = t.Unicode("code").tag(sync=True)
    CLEAR_VALUE = ""
    value = t.Unicode("").tag(sync=True)
    language = t.Unicode(None, allow_none=True).tag(sync=True)
    lines = t.Int(5).tag(sync=True)
    max_lines = t.Int(None, allow_none=True).tag(sync=True)
    wrap_lines = t.Bool(False).tag(sync=True)
    show_line_numbers = t.Bool(True).tag(sync=True)

    def __init__(self, value: str | None = None, *, language: str | None = None, lines: int = 5,
                 max_lines: int | None = None, wrap_lines: bool = False,
                 show_line_numbers: bool = True, **kw: Any) -> None:
        if language is not None and language not in LANGUAGES:
            raise ValueError(f"Code: unknown language {language!r}; use one of {', '.join(LANGUAGES)}")
        super().__init__(value, language=language, lines=lines, max_lines=max_lines,
                         wrap_lines=wrap_lines, show_line_numbers=show_line_numbers, **kw)

    def preprocess(self, payload: Any) -> str:
        return "" if payload is None else str(payload)

    def postprocess(self, value: Any) -> str:
        return "" if value is None else str(value)
