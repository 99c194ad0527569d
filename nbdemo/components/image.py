"""Image: upload, paste or capture an image; show one. NumPy and Pillow load lazily."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Literal

import traitlets as t

from .. import files
from ..errors import Error
from ..events import EventListener
from .base import FormComponent

ImageType = Literal["numpy", "pil", "filepath"]
_MIME = {"png": "image/png", "webp": "image/webp", "jpeg": "image/jpeg", "jpg": "image/jpeg",
         "gif": "image/gif"}


def load_image(fd: Any, *, type: ImageType, image_mode: str | None, label: str) -> Any:
    """A FileData from the page → what ``fn`` receives for ``type``.

    numpy: ``np.ndarray`` uint8, (H, W, 3) RGB, (H, W, 4) for "RGBA", (H, W)
    for "L"; pil: ``PIL.Image.Image`` in ``image_mode``; filepath: ``str``
    path of a file (PNG when a mode conversion was needed). EXIF rotation is
    applied. Raises :class:`~nbdemo.Error` when the file is not an image.
    """
    if fd is None:
        return None
    path = files.resolve_input(fd, label)
    from PIL import Image as PILImage
    from PIL import ImageOps, UnidentifiedImageError

    try:
        img = PILImage.open(path)
        if type == "filepath" and (image_mode is None or img.mode == image_mode) \
                and not img.getexif().get(0x0112):
            return str(path)
        img = ImageOps.exif_transpose(img)
        if image_mode is not None and img.mode != image_mode:
            img = img.convert(image_mode)
        else:
            img.load()
    except (UnidentifiedImageError, OSError) as e:
        name = fd.get("orig_name") or "the file"
        raise Error(f"{label}: {name} is not an image ({str(e).replace(str(path), name)})") from None
    if type == "pil":
        return img
    if type == "numpy":
        import numpy as np

        return np.array(img)
    stem = Path(fd.get("orig_name") or "image").stem
    return str(files.resolve(image_file(img, "png", name=stem)))


def to_pil(value: Any, label: str = "Image"):
    """NumPy array (uint8, or float in [0, 1]; (H, W), (H, W, 3), (H, W, 4)) or
    PIL image → PIL image. Raises ``ValueError`` for other shapes."""
    from PIL import Image as PILImage

    if isinstance(value, PILImage.Image):
        return value
    import numpy as np

    arr = np.asarray(value)
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (3, 4)):
        raise ValueError(f"{label}: expected an image array of shape (H, W), (H, W, 3) or "
                         f"(H, W, 4), got {arr.shape}")
    if arr.dtype == np.bool_:
        arr = arr.astype(np.uint8) * 255
    elif arr.dtype.kind == "f":
        scale = 255.0 if arr.size == 0 or float(np.nanmax(arr)) <= 1.0 else 1.0
        arr = np.clip(np.nan_to_num(arr) * scale, 0, 255).round().astype(np.uint8)
    elif arr.dtype != np.uint8:
        arr = np.clip(arr, 0, 255).astype(np.uint8)
    return PILImage.fromarray(np.ascontiguousarray(arr))


def image_file(img, fmt: str, name: str = "image") -> dict:
    """Encode a PIL image as ``fmt`` into the current session's files; its FileData."""
    fmt = fmt.lower()
    if fmt == "jpg":
        fmt = "jpeg"
    if fmt == "jpeg" and img.mode not in ("RGB", "L"):
        img = img.convert("RGB")
    buf = io.BytesIO()
    options = {"png": {"compress_level": 1}, "webp": {"quality": 90, "method": 2},
               "jpeg": {"quality": 90}}.get(fmt, {})
    img.save(buf, format=fmt.upper(), **options)
    ext = "jpg" if fmt == "jpeg" else fmt
    return files.current().add_bytes(buf.getbuffer(), f"{name}.{ext}", _MIME.get(fmt))


def image_to_file(value: Any, fmt: str, label: str = "Image") -> dict | None:
    """What ``fn`` returned (array, PIL image, path or URL-less FileData) → FileData."""
    if value is None:
        return None
    stored = files.stored_output(value, label, "image file")
    if stored is not None:
        return stored
    return image_file(to_pil(value, label), fmt)


def webcam_dict(options: Any, mirror_webcam: bool | None = None) -> dict:
    """``webcam_options`` (a ``WebcamOptions``, a dict or None) as the synced
    ``{"mirror": bool, "constraints": dict | None}``; ``mirror_webcam`` is the
    older Gradio argument for ``mirror``. Raises ``TypeError`` for other values
    or unknown keys."""
    if options is None:
        opts: dict = {}
    elif isinstance(options, dict):
        opts = dict(options)
    elif hasattr(options, "mirror") and hasattr(options, "constraints"):
        opts = {"mirror": options.mirror, "constraints": options.constraints}
    else:
        raise TypeError(f"webcam_options must be gr.WebcamOptions or a dict, got {options!r:.60}")
    unknown = set(opts) - {"mirror", "constraints"}
    if unknown:
        raise TypeError(f"webcam_options: unknown key {sorted(unknown)[0]!r} (known: mirror, constraints)")
    if mirror_webcam is not None:
        opts["mirror"] = mirror_webcam
    constraints = opts.get("constraints")
    if constraints is not None and not isinstance(constraints, dict):
        raise TypeError(f"webcam_options: constraints must be a dict, got {constraints!r:.60}")
    return {"mirror": bool(opts.get("mirror", True)), "constraints": constraints}


class Image(FormComponent):
    """An image input or output.

    What ``fn`` receives, by ``type``:

    - "numpy" (default): ``np.ndarray`` uint8 of shape (H, W, 3) RGB; (H, W, 4)
      with ``image_mode="RGBA"``; (H, W) with ``image_mode="L"``.
    - "pil": a ``PIL.Image.Image`` in ``image_mode``.
    - "filepath": a ``str`` path to the image file (converted to PNG when
      ``image_mode`` differs from the file's).

    ``None`` when empty. ``fn`` may return a NumPy array (uint8, or float in
    [0, 1]; (H, W), (H, W, 3) or (H, W, 4)), a PIL image or a path; arrays and
    PIL images are encoded as ``format`` ("webp" default as in Gradio, "png",
    "jpeg"). ``sources``: "upload" (click, drag and drop), "clipboard" (paste),
    "webcam" (where the browser allows camera access). ``height``/``width``:
    display size in pixels (or CSS units). ``placeholder``: the text of the
    empty upload area in place of nbdemo's hint (new lines kept; a line
    starting "# " is its heading, as in Gradio). The image travels as bytes: a
    widget buffer inline, an HTTP upload/download standalone.

    Streaming (Gradio's names): ``img.stream(fn, inputs, outputs,
    stream_every=0.5, time_limit=None)`` on an input with "webcam" among its
    ``sources`` shows a live camera with Start/Stop; while it runs, the page
    captures a frame every ``stream_every`` seconds and sends it as JPEG bytes
    (a binary WebSocket message, a comm buffer inline), and ``fn`` receives
    each frame as for ``type`` above: (H, W, 3) uint8 RGB for "numpy". A frame
    that arrives while ``fn`` is busy replaces the one waiting, so a slow
    ``fn`` drops frames instead of queueing them. ``time_limit`` (seconds)
    ends the stream. ``streaming=True`` makes "webcam" the only default
    source (as in Gradio); on an output it only marks the intent: every
    output Image shows each new frame in place, without flicker. The
    session keeps the last few frames as files (``filepath`` paths of older
    frames are removed: copy a frame you want to keep).
    ``webcam_options`` (``gr.WebcamOptions`` or a dict): ``mirror`` (default
    True, as in Gradio: the preview *and the captured frames* are flipped
    left-right, like a mirror) and ``constraints`` (``getUserMedia`` video
    constraints, e.g. ``{"width": 640, "height": 480}``). Browsers offer the
    camera only to secure pages (https, or localhost); elsewhere the box says so.
    Events: change, input, upload, clear, select, stream.
    """

    HEAVY = True
    _kind = t.Unicode("image").tag(sync=True)
    value = t.Dict(None, allow_none=True).tag(sync=True)
    type = t.Enum(["numpy", "pil", "filepath"], "numpy").tag(sync=True)
    image_mode = t.Unicode("RGB", allow_none=True).tag(sync=True)
    format = t.Enum(["webp", "png", "jpeg", "jpg"], "webp").tag(sync=True)
    sources = t.List(t.Unicode(), ["upload", "webcam", "clipboard"]).tag(sync=True)
    height = t.Union([t.Int(), t.Unicode()], default_value=None, allow_none=True).tag(sync=True)
    width = t.Union([t.Int(), t.Unicode()], default_value=None, allow_none=True).tag(sync=True)
    show_download_button = t.Bool(True).tag(sync=True)
    streaming = t.Bool(False).tag(sync=True)
    webcam_options = t.Dict({"mirror": True, "constraints": None}).tag(sync=True)
    #: {"every": seconds, "time_limit": seconds | None} once a .stream() listener exists
    _stream = t.Dict(None, allow_none=True).tag(sync=True)
    #: the text of the empty upload area (lines; a "# " line is its heading)
    placeholder = t.Unicode(None, allow_none=True).tag(sync=True)

    upload = EventListener("upload", "Fires when the user uploads, pastes or captures an image.")
    stream = EventListener("stream", "Fires for each webcam frame while the user streams "
                                     "(see stream_every and time_limit).")
    clear = EventListener("clear", "Fires when the user clears the image.")
    select = EventListener("select", "Fires when the user clicks the image; SelectData.index is [x, y].")

    def __init__(self, value: Any = None, *, type: ImageType = "numpy",
                 image_mode: str | None = "RGB", format: str = "webp",
                 sources: list[str] | str | None = None, height: int | str | None = None,
                 width: int | str | None = None, show_download_button: bool = True,
                 streaming: bool = False, webcam_options: Any = None,
                 mirror_webcam: bool | None = None, **kw: Any) -> None:
        if isinstance(sources, str):
            sources = [sources]
        if sources is None:
            sources = ["webcam"] if streaming else ["upload", "webcam", "clipboard"]
        if streaming and "webcam" not in sources:
            raise ValueError(f"Image(streaming=True) streams from the webcam: sources must include "
                             f"'webcam', got {list(sources)}")
        super().__init__(value, type=type, image_mode=image_mode, format=format,
                         sources=list(sources), height=height, width=width,
                         show_download_button=show_download_button, streaming=streaming,
                         webcam_options=webcam_dict(webcam_options, mirror_webcam), **kw)

    def stream_value(self, data: bytes | memoryview, mime: str) -> dict:
        """A streamed webcam frame (JPEG, PNG or WebP bytes) → its FileData in
        the current session's files. Raises ``ValueError`` for another type."""
        ext = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}.get(mime)
        if ext is None:
            raise ValueError(f"{type(self).__name__} (id {self._id}): a stream frame must be "
                             f"image/jpeg, image/png or image/webp, got {mime!r:.40}")
        up = files.current().writer(f"frame.{ext}", mime)
        up.write(data)
        return up.commit()

    def preprocess(self, payload: Any) -> Any:
        return load_image(payload, type=self.type, image_mode=self.image_mode,
                          label=self.label or "Image")

    def postprocess(self, value: Any) -> dict | None:
        return image_to_file(value, self.format, self.label or "Image")

    def validate_wire(self, payload: Any) -> Any:
        if payload is None:
            return None
        return files.check_file_data(payload, f"{type(self).__name__} (id {self._id})")
