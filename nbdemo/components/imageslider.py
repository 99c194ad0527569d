"""ImageSlider: two images over each other, a slider reveals one or the other."""

from __future__ import annotations

from typing import Any, Literal

import traitlets as t

from .. import files
from ..events import EventListener
from .base import FormComponent
from .image import image_to_file, load_image


class ImageSlider(FormComponent):
    """Two images (before / after) in one frame; dragging the slider shows
    more of one or the other (Gradio's ``gr.ImageSlider``).

    ``fn`` returns a pair ``(image, image)`` (either may be None), each what
    :class:`~nbdemo.Image` takes (a NumPy array, a PIL image or a path). As an
    input ``fn`` receives a ``tuple`` of two images of ``type`` ("numpy":
    ``np.ndarray`` uint8 (H, W, 3); "pil"; "filepath": ``str``), None for a
    missing one; the user can upload the first image. ``slider_position``:
    where the divider starts, 0-100 (percent from the left); ``max_height``,
    ``height``, ``width``: display size. Events: change, upload, clear.
    """

    HEAVY = True
    _kind = t.Unicode("imageslider").tag(sync=True)
    value = t.List(None, allow_none=True).tag(sync=True)
    type = t.Enum(["numpy", "pil", "filepath"], "numpy").tag(sync=True)
    image_mode = t.Unicode("RGB", allow_none=True).tag(sync=True)
    format = t.Enum(["webp", "png", "jpeg", "jpg"], "webp").tag(sync=True)
    slider_position = t.Float(50).tag(sync=True)
    height = t.Union([t.Int(), t.Unicode()], default_value=None, allow_none=True).tag(sync=True)
    width = t.Union([t.Int(), t.Unicode()], default_value=None, allow_none=True).tag(sync=True)
    max_height = t.Union([t.Int(), t.Unicode()], default_value=500, allow_none=True).tag(sync=True)

    upload = EventListener("upload", "Fires when the user uploads an image.")
    clear = EventListener("clear", "Fires when the user clears the images.")

    def __init__(self, value: Any = None, *, type: Literal["numpy", "pil", "filepath"] = "numpy",
                 image_mode: str | None = "RGB", format: str = "webp",
                 slider_position: float = 50, height: int | str | None = None,
                 width: int | str | None = None, max_height: int | str | None = 500,
                 **kw: Any) -> None:
        if not 0 <= slider_position <= 100:
            raise ValueError(f"ImageSlider: slider_position is 0-100, got {slider_position!r}")
        super().__init__(value, type=type, image_mode=image_mode, format=format,
                         slider_position=float(slider_position), height=height, width=width,
                         max_height=max_height, **kw)

    def postprocess(self, value: Any) -> list | None:
        if value is None:
            return None
        if not isinstance(value, (tuple, list)) or len(value) != 2:
            raise TypeError(f"{self.label or 'ImageSlider'}: return a pair of images "
                            f"(before, after), got {type(value).__name__}")
        label = self.label or "ImageSlider"
        return [image_to_file(v, self.format, label) if v is not None else None for v in value]

    def preprocess(self, payload: Any) -> tuple | None:
        if payload is None:
            return None
        label = self.label or "ImageSlider"
        return tuple(load_image(p, type=self.type, image_mode=self.image_mode, label=label)
                     if p is not None else None for p in payload)

    def validate_wire(self, payload: Any) -> Any:
        if payload is None:
            return None
        what = f"ImageSlider (id {self._id})"
        if not isinstance(payload, list) or len(payload) != 2:
            raise ValueError(f"{what}: expected [image, image], got {str(payload)[:80]!r}")
        return [files.check_file_data(p, what) if p is not None else None for p in payload]

    def api_info(self) -> dict[str, Any]:
        """JSON-schema-ish description of the wire value, for the HTTP API."""
        return {"type": "array", "minItems": 2, "maxItems": 2,
                "items": {"anyOf": [{"type": "null"}, {"type": "object", "description": "FileData"}]}}
