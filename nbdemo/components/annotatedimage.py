"""AnnotatedImage: an image with labelled boxes and masks drawn over it."""

from __future__ import annotations

from typing import Any

import traitlets as t

from ..events import EventListener
from .base import Component
from .image import image_to_file, to_pil

#: label colours when ``color_map`` names none (Tableau 10)
PALETTE = ["#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2",
           "#ff9da6", "#9d755d", "#bab0ac"]


def _rgb(color: str) -> tuple[int, int, int]:
    from PIL import ImageColor

    return ImageColor.getrgb(color)[:3]


class AnnotatedImage(Component):
    """An image with annotations over it (Gradio's ``gr.AnnotatedImage``), an output.

    ``fn`` returns ``(image, [(annotation, label), ...])``: ``image`` as
    :class:`~nbdemo.Image` takes it (array, PIL image, path); each
    ``annotation`` a box ``(x1, y1, x2, y2)`` in pixels or a mask, a NumPy
    array of the image's height and width with values in [0, 1] (the
    label's colour at that opacity). ``color_map``: ``{label: css colour}``;
    other labels take a palette colour. ``show_legend``: a legend of the
    labels; pointing at one highlights its annotations. Event: select
    (``SelectData.index`` is the annotation's position, ``.value`` its label),
    sent by a click on a box or on a legend entry (masks let clicks through).
    Masks travel as PNG images of the session's files, boxes as numbers.
    """

    HEAVY = True
    _kind = t.Unicode("annotatedimage").tag(sync=True)
    value = t.Dict(None, allow_none=True).tag(sync=True)
    show_legend = t.Bool(True).tag(sync=True)
    color_map = t.Dict(None, allow_none=True).tag(sync=True)
    height = t.Union([t.Int(), t.Unicode()], default_value=None, allow_none=True).tag(sync=True)
    width = t.Union([t.Int(), t.Unicode()], default_value=None, allow_none=True).tag(sync=True)

    select = EventListener("select", "Fires when the user clicks an annotation or its legend entry.")

    def __init__(self, value: Any = None, *, format: str = "webp", show_legend: bool = True,
                 color_map: dict[str, str] | None = None, height: int | str | None = None,
                 width: int | str | None = None, **kw: Any) -> None:
        self.format = format
        super().__init__(value, show_legend=show_legend, color_map=color_map, height=height,
                         width=width, **kw)

    def _color(self, label: str, labels: list[str]) -> str:
        named = (self.color_map or {}).get(label)
        return named or PALETTE[labels.index(label) % len(PALETTE)]

    def postprocess(self, value: Any) -> dict | None:
        """``(image, [(box | mask, label), ...])`` → ``{"image": FileData,
        "annotations": [{"label", "color", "box": [x1, y1, x2, y2]} or
        {"label", "color", "mask": FileData}]}``. Raises ``ValueError`` for
        another shape or a mask of another size than the image."""
        if value is None:
            return None
        name = self.label or "AnnotatedImage"
        if not (isinstance(value, (tuple, list)) and len(value) == 2):
            raise ValueError(f"{name}: return (image, [(box or mask, label), ...])")
        base, annotations = value
        image = to_pil(base, name) if not isinstance(base, str) else None
        size = image.size if image is not None else None
        fd = image_to_file(image if image is not None else base, self.format, name)
        labels: list[str] = []
        for _, label in annotations or []:
            if str(label) not in labels:
                labels.append(str(label))
        out = []
        for item in annotations or []:
            if not (isinstance(item, (tuple, list)) and len(item) == 2):
                raise ValueError(f"{name}: each annotation is (box or mask, label), got {item!r:.60}")
            shape, label = item
            label = str(label)
            color = self._color(label, labels)
            if isinstance(shape, (tuple, list)) and len(shape) == 4:
                out.append({"label": label, "color": color, "box": [float(v) for v in shape]})
                continue
            out.append({"label": label, "color": color, "mask": self._mask(shape, color, size, name)})
        return {"image": fd, "annotations": out}

    def _mask(self, mask: Any, color: str, size: tuple[int, int] | None, name: str) -> dict:
        import numpy as np
        from PIL import Image as PILImage

        alpha = np.asarray(mask, dtype=float)
        if alpha.ndim != 2:
            raise ValueError(f"{name}: a mask is a 2-D array (height, width), got shape {alpha.shape}")
        if size is not None and (alpha.shape[1], alpha.shape[0]) != size:
            raise ValueError(f"{name}: a mask of {alpha.shape[1]}x{alpha.shape[0]} for an image of "
                             f"{size[0]}x{size[1]}")
        rgba = np.zeros((*alpha.shape, 4), dtype=np.uint8)
        rgba[..., :3] = _rgb(color)
        rgba[..., 3] = (np.clip(alpha, 0, 1) * 255).astype(np.uint8)
        return image_to_file(PILImage.fromarray(rgba, "RGBA"), "png", name)

    def preprocess(self, payload: Any) -> Any:
        return payload

    def validate_wire(self, payload: Any) -> Any:
        raise ValueError("an AnnotatedImage is an output; the page cannot set it")

    def api_info(self) -> dict[str, Any]:
        """JSON-schema-ish description of the wire value, for the HTTP API."""
        return {"type": "object", "properties": {"image": {"type": "object"},
                                                 "annotations": {"type": "array"}}}
