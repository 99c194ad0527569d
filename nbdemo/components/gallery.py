"""Gallery: a grid of images with captions, a large preview, selection. NumPy and
Pillow load lazily."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import traitlets as t

from .. import files
from ..errors import Error
from ..events import EventListener
from .base import Component
from .image import image_to_file, load_image

GalleryType = Literal["filepath", "pil", "numpy"]
_FITS = ["contain", "cover", "fill", "none", "scale-down"]


class Gallery(Component):
    """A grid of images, each with an optional caption.

    ``fn`` may return (and ``value`` may be) a list whose items are images or
    ``(image, caption)`` pairs; an image is what an Image output takes: a
    NumPy array ((H, W), (H, W, 3) or (H, W, 4); uint8, or float in [0, 1]),
    a ``PIL.Image.Image`` or a path (``str``/``Path``). Arrays and PIL images
    are encoded as ``format`` ("webp" as in Gradio, "png", "jpeg"); files are
    sent as they are. ``None`` or ``[]`` empties the gallery. Raises
    :class:`~nbdemo.Error` for a path that is not a file and ``ValueError``
    for an array of another shape.

    As an input (interactive: the user can add images by clicking or drag and
    drop), ``fn`` receives a list of ``(image, caption)`` tuples, ``caption``
    a ``str`` or None, ``image`` by ``type``:

    - "filepath" (default, as in Gradio): a ``str`` path of the file.
    - "pil": a ``PIL.Image.Image`` (RGB, or RGBA/L as stored).
    - "numpy": ``np.ndarray`` uint8, (H, W, 3), or (H, W, 4)/(H, W) when the
      file is RGBA/grayscale.

    ``None`` when the gallery is empty. Clicking an image selects it (event
    ``select``: ``SelectData.index`` is its position in the list,
    ``SelectData.value`` a dict ``{"image": FileData, "caption": str | None}``)
    and, with ``allow_preview``, opens a large preview (arrow keys move,
    Escape closes). ``preview=True`` opens the preview at once;
    ``selected_index`` chooses the image shown in it.

    ``columns``: images per row (default 2), an int or a list for six widths
    of the gallery (<576, <768, <992, <1200, <1400, ≥1400 px; the last repeats,
    as in Gradio). ``rows``: rows visible before scrolling. ``height``: pixels
    or a CSS size of the grid (scrolls beyond). ``object_fit``: how each image
    fills its square tile ("contain", "cover" (default), "fill", "none",
    "scale-down"). Events: select, change, upload, preview_open, preview_close.
    """

    HEAVY = True
    _kind = t.Unicode("gallery").tag(sync=True)
    value = t.List(t.Dict(), None, allow_none=True).tag(sync=True)
    type = t.Enum(["filepath", "pil", "numpy"], "filepath").tag(sync=True)
    format = t.Enum(["webp", "png", "jpeg", "jpg"], "webp").tag(sync=True)
    columns = t.Union([t.Int(), t.List(t.Int())], default_value=2, allow_none=True).tag(sync=True)
    rows = t.Int(None, allow_none=True).tag(sync=True)
    height = t.Union([t.Int(), t.Unicode()], default_value=None, allow_none=True).tag(sync=True)
    object_fit = t.Enum(_FITS, None, allow_none=True).tag(sync=True)
    allow_preview = t.Bool(True).tag(sync=True)
    preview = t.Bool(None, allow_none=True).tag(sync=True)
    selected_index = t.Int(None, allow_none=True).tag(sync=True)
    show_download_button = t.Bool(True).tag(sync=True)

    change = EventListener("change", "Fires when the list of images changes.")
    select = EventListener("select", "Fires when the user clicks an image; SelectData.index is its position.")
    upload = EventListener("upload", "Fires when the user adds images.")
    preview_open = EventListener("preview_open", "Fires when the large preview opens.")
    preview_close = EventListener("preview_close", "Fires when the large preview closes.")

    def __init__(self, value: Any = None, *, type: GalleryType = "filepath", format: str = "webp",
                 columns: int | list[int] | None = 2, rows: int | None = None,
                 height: int | str | None = None,
                 object_fit: Literal["contain", "cover", "fill", "none", "scale-down"] | None = None,
                 allow_preview: bool = True, preview: bool | None = None,
                 selected_index: int | None = None, show_download_button: bool = True,
                 **kw: Any) -> None:
        if isinstance(columns, tuple):
            columns = list(columns)
        super().__init__(value, type=type, format=format, columns=columns, rows=rows,
                         height=height, object_fit=object_fit, allow_preview=allow_preview,
                         preview=preview, selected_index=selected_index,
                         show_download_button=show_download_button, **kw)

    def postprocess(self, value: Any) -> list[dict] | None:
        if value is None:
            return None
        if isinstance(value, (str, Path)) or not hasattr(value, "__iter__") or _is_array(value):
            raise ValueError(f"{self._what()}: expected a list of images or (image, caption) "
                             f"pairs, got {type(value).__name__}")
        out = []
        for i, item in enumerate(value):
            image, caption = item, None
            if isinstance(item, (tuple, list)) and len(item) == 2 \
                    and (item[1] is None or isinstance(item[1], (str, int, float))):
                image, caption = item
            if isinstance(image, dict) and not files.is_file_data(image) and "image" in image:
                image, caption = image["image"], image.get("caption", caption)  # a wire item
            if image is None:
                raise ValueError(f"{self._what()}: item {i} has no image")
            try:
                fd = image_to_file(image, self.format, f"{self._what()} item {i}")
            except Error as e:
                if self._skip_at_build(e):
                    continue
                raise
            out.append({"image": fd, "caption": None if caption is None else str(caption)})
        return out

    def preprocess(self, payload: Any) -> list[tuple[Any, str | None]] | None:
        if not payload:
            return None
        out = []
        for i, item in enumerate(payload):
            fd = item.get("image")
            if self.type == "filepath":
                image: Any = str(files.resolve_input(fd, self._what()))
            else:
                image = load_image(fd, type=self.type, image_mode=None, label=f"{self._what()} item {i}")
            out.append((image, item.get("caption")))
        return out

    def validate_wire(self, payload: Any) -> Any:
        if payload is None:
            return None
        what = f"Gallery (id {self._id})"
        if not isinstance(payload, list) or len(payload) > 10_000:
            raise ValueError(f"{what}: expected a list of images, got {str(payload)[:80]!r}")
        out = []
        for item in payload:
            if not isinstance(item, dict):
                raise ValueError(f"{what}: expected {{'image': file, 'caption': str}}, got {str(item)[:80]!r}")
            caption = item.get("caption")
            if caption is not None and (not isinstance(caption, str) or len(caption) > 10_000):
                raise ValueError(f"{what}: a caption must be a string, got {str(caption)[:80]!r}")
            out.append({"image": files.check_file_data(item.get("image"), what), "caption": caption})
        return out

    def _what(self) -> str:
        return self.label or "Gallery"


def _is_array(value: Any) -> bool:
    return hasattr(value, "__array_interface__") or type(value).__module__.startswith("PIL.")
