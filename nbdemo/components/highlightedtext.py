"""HighlightedText: text with labelled spans (named entities, diffs, scores)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import traitlets as t

from ..errors import Error
from ..events import EventListener
from .base import Component


def _label(v: Any) -> str | float | None:
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, (int, float)) or hasattr(v, "item"):
        f = float(v)
        return f if math.isfinite(f) else None
    return str(v)


def entities_to_pairs(text: str, entities: Sequence[Mapping]) -> list[tuple[str, Any]]:
    """``{"text", "entities"}`` (Gradio's and transformers' NER form) → (text, label) pairs.

    Each entity has ``start`` and ``end`` (character offsets into ``text``) and
    its label under ``"entity"``, ``"entity_group"`` or ``"label"``. Text outside
    entities gets the label None; entities overlapping an earlier one are skipped.
    Raises :class:`~nbdemo.Error` for an entity without offsets.
    """
    pairs: list[tuple[str, Any]] = []
    pos = 0
    spans = []
    for e in entities:
        try:
            start, end = int(e["start"]), int(e["end"])
        except (KeyError, TypeError, ValueError):
            raise Error(f"HighlightedText: each entity needs integer 'start' and 'end', got {e!r:.80}") from None
        label = e.get("entity", e.get("entity_group", e.get("label")))
        spans.append((start, end, label))
    for start, end, label in sorted(spans, key=lambda s: s[0]):
        start, end = max(start, 0), min(end, len(text))
        if start < pos or end <= start:
            continue
        if start > pos:
            pairs.append((text[pos:start], None))
        pairs.append((text[start:end], label))
        pos = end
    if pos < len(text):
        pairs.append((text[pos:], None))
    return pairs


class HighlightedText(Component):
    """Text in which spans carry a label (a category) or a score.

    ``fn`` may return a list of ``(text, label)`` pairs, where ``label`` is a
    ``str`` category, a number in [-1, 1] (a score: shaded from blue, negative,
    to red, positive) or None (plain text); or a dict ``{"text": str,
    "entities": [{"entity" | "entity_group" | "label": str, "start": int,
    "end": int}, ...]}`` (the output of a transformers NER pipeline), turned
    into pairs. As an input ``fn`` receives the list of ``(text, label)``
    tuples.

    ``color_map``: ``{label: CSS color}``; other labels get colors from a
    palette. ``show_legend``: a legend of the labels. ``show_inline_category``:
    each span shows its label after it. ``combine_adjacent``: neighbouring
    spans with the same label merge into one, joined by
    ``adjacent_separator``. Text is shown as text (never parsed as HTML).
    Events: change, select (``SelectData.index`` is the span's index,
    ``.value`` its ``[text, label]``).
    """

    _kind = t.Unicode("highlightedtext").tag(sync=True)
    value = t.List(None, allow_none=True).tag(sync=True)
    color_map = t.Dict(None, allow_none=True).tag(sync=True)
    show_legend = t.Bool(False).tag(sync=True)
    show_inline_category = t.Bool(True).tag(sync=True)
    combine_adjacent = t.Bool(False).tag(sync=True)
    adjacent_separator = t.Unicode("").tag(sync=True)

    change = EventListener("change", "Fires when the value changes.")
    select = EventListener("select", "Fires when the user clicks a span; fn gets SelectData.")

    def __init__(self, value: Any = None, *, color_map: dict[str, str] | None = None,
                 show_legend: bool = False, show_inline_category: bool = True,
                 combine_adjacent: bool = False, adjacent_separator: str = "",
                 **kw: Any) -> None:
        super().__init__(value, color_map=color_map, show_legend=show_legend,
                         show_inline_category=show_inline_category,
                         combine_adjacent=combine_adjacent,
                         adjacent_separator=adjacent_separator, **kw)

    def postprocess(self, value: Any) -> list | None:
        if value is None:
            return None
        if isinstance(value, Mapping):
            if "text" not in value:
                raise Error("HighlightedText: a dict value needs 'text' (and 'entities')")
            pairs = entities_to_pairs(str(value["text"]), value.get("entities") or [])
        elif isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
            pairs = []
            for item in value:
                if isinstance(item, Mapping) and "token" in item:  # the wire form
                    item = (item["token"], item.get("class_or_confidence"))
                if not isinstance(item, (tuple, list)) or len(item) != 2:
                    raise Error(f"HighlightedText: expected (text, label) pairs, got {item!r:.80}")
                pairs.append(("" if item[0] is None else str(item[0]), item[1]))
        else:
            raise Error(f"HighlightedText cannot show a {type(value).__name__}; return a list "
                        "of (text, label) pairs or {'text': ..., 'entities': [...]}")
        pairs = [(text, _label(label)) for text, label in pairs]
        if self.combine_adjacent:
            merged: list[list] = []
            for text, label in pairs:
                if merged and merged[-1][1] == label:
                    merged[-1][0] += self.adjacent_separator + text
                else:
                    merged.append([text, label])
            pairs = [(a, b) for a, b in merged]
        return [{"token": text, "class_or_confidence": label} for text, label in pairs]

    def preprocess(self, payload: Any) -> list[tuple[str, Any]] | None:
        if payload is None:
            return None
        return [(p.get("token", ""), p.get("class_or_confidence")) for p in payload]

    def validate_wire(self, payload: Any) -> list | None:
        if payload is None:
            return None
        bad = ValueError(f"HighlightedText (id {self._id}): expected a list of "
                         "{'token': str, 'class_or_confidence': str | number | null}")
        if not isinstance(payload, list):
            raise bad
        out = []
        for p in payload:
            if not isinstance(p, dict) or not isinstance(p.get("token"), str):
                raise bad
            label = p.get("class_or_confidence")
            if not (label is None or isinstance(label, str)
                    or (isinstance(label, (int, float)) and not isinstance(label, bool)
                        and math.isfinite(label))):
                raise bad
            out.append({"token": p["token"], "class_or_confidence": label})
        return out
