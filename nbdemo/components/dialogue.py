"""Dialogue: a conversation of several speakers, one line per turn."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import traitlets as t

from ..events import EventListener
from .base import FormComponent


def default_formatter(speaker: str, text: str) -> str:
    """One line as text: ``[speaker] text`` (Gradio's format)."""
    return f"[{speaker}] {text}"


def default_unformatter(line: str, default_speaker: str) -> dict[str, str]:
    """``[speaker] text`` back to ``{"speaker", "text"}``; a line without a
    bracketed speaker belongs to ``default_speaker``."""
    line = line.strip()
    if line.startswith("[") and "]" in line:
        end = line.index("]")
        return {"speaker": line[1:end], "text": line[end + 1:].strip()}
    return {"speaker": default_speaker, "text": line}


class Dialogue(FormComponent):
    """Turns of a conversation, each ``{"speaker": str, "text": str}`` (Gradio's
    ``gr.Dialogue``): a transcript to show, or lines the user writes, picking
    each line's speaker from ``speakers``.

    What ``fn`` receives, by ``type``:

    - "text" (default): one ``str``, the lines formatted by ``formatter``
      (default ``"[speaker] text"``) and joined with ``separator`` ("\\n");
    - "list": a ``list[dict]`` of ``{"speaker", "text"}``.

    ``fn`` may return such a list, or a string (parsed line by line with
    ``unformatter``, default: ``[speaker] text``). ``tags``: words offered
    while typing (e.g. "(laughs)"). ``color_map``: ``{speaker: css colour}``
    for the speaker badges. ``submit_btn``: True or a label for a Submit
    button (Enter in a line submits too). Events: change, input, submit.
    Raises ``ValueError`` for a line that is not ``{"speaker": str, "text": str}``.
    """

    _kind = t.Unicode("dialogue").tag(sync=True)
    CLEAR_VALUE: list = []
    value = t.List(t.Dict()).tag(sync=True)
    type = t.Enum(["list", "text"], "text").tag(sync=True)
    speakers = t.List(t.Unicode(), allow_none=True).tag(sync=True)
    tags = t.List(t.Unicode(), allow_none=True).tag(sync=True)
    separator = t.Unicode("\n").tag(sync=True)
    color_map = t.Dict(None, allow_none=True).tag(sync=True)
    placeholder = t.Unicode(None, allow_none=True).tag(sync=True)
    submit_btn = t.Union([t.Unicode(), t.Bool()], default_value=False, allow_none=True).tag(sync=True)

    submit = EventListener("submit", "Fires when the user presses Enter or the Submit button.")

    def __init__(self, value: list[dict[str, str]] | str | None = None, *,
                 type: Literal["list", "text"] = "text", speakers: list[str] | None = None,
                 formatter: Callable[[str, str], str] | None = None,
                 unformatter: Callable[[str, str], dict] | None = None,
                 tags: list[str] | None = None, separator: str = "\n",
                 color_map: dict[str, str] | None = None, placeholder: str | None = None,
                 submit_btn: str | bool | None = False, **kw: Any) -> None:
        if type not in ("list", "text"):
            raise ValueError(f"Dialogue: type is 'list' or 'text', got {type!r}")
        self.formatter = formatter or default_formatter
        self.unformatter = unformatter or default_unformatter
        kw.setdefault("label", "Dialogue")
        super().__init__(value, type=type, speakers=list(speakers or []), tags=list(tags or []),
                         separator=separator, color_map=color_map, placeholder=placeholder,
                         submit_btn=submit_btn, **kw)

    def _lines(self, value: list | str) -> list[dict[str, str]]:
        if isinstance(value, str):
            default = self.speakers[0] if self.speakers else "Unknown"
            return [self.unformatter(line, default) for line in value.split(self.separator) if line.strip()]
        out = []
        for line in value:
            if not (isinstance(line, dict) and isinstance(line.get("speaker"), str)
                    and isinstance(line.get("text"), str)):
                raise ValueError(f"Dialogue: each line is {{'speaker': str, 'text': str}}, got {line!r}")
            out.append({"speaker": line["speaker"], "text": line["text"]})
        return out

    def postprocess(self, value: Any) -> list[dict[str, str]]:
        return [] if value is None else self._lines(value)

    def preprocess(self, payload: Any) -> str | list[dict[str, str]]:
        lines = self._lines(payload or [])
        if self.type == "list":
            return lines
        if not any(line["text"] for line in lines):
            return ""
        return self.separator.join(self.formatter(line["speaker"], line["text"]) for line in lines)

    def validate_wire(self, payload: Any) -> Any:
        if payload is None:
            return []
        if isinstance(payload, str) or not isinstance(payload, list) or len(payload) > 10_000:
            raise ValueError(f"Dialogue (id {self._id}): expected a list of lines, got {str(payload)[:80]!r}")
        return self._lines(payload)

    def example_value(self) -> Any:
        return self.preprocess([{"speaker": (self.speakers or ["Speaker 1"])[0], "text": "Hello"}])

    def api_info(self) -> dict[str, Any]:
        """JSON-schema-ish description of the wire value, for the HTTP API."""
        return {"type": "array", "items": {"type": "object", "properties": {
            "speaker": {"type": "string"}, "text": {"type": "string"}}}}
