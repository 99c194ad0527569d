"""Sketchpad and ImageEditor: draw on a canvas; ``fn`` gets the composite image.

The canvas lives in the browser. When the user lifts the brush (pointerup),
the page encodes the whole canvas as PNG and uploads it like an Image upload
(a widget buffer inline, an HTTP upload standalone); the value is that
FileData, and ``fn`` receives it decoded exactly as :class:`~nbdemo.Image`
would. NumPy and Pillow load lazily.
"""

from __future__ import annotations

import re
from typing import Any, Literal

import traitlets as t

from .. import files
from ..events import EventListener
from .base import FormComponent
from .image import ImageType, image_to_file, load_image

_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
#: Colours offered when ``Brush(colors=None)``.
DEFAULT_COLORS = ["#000000", "#ffffff", "#dc2626", "#ea580c", "#facc15", "#16a34a", "#2563eb",
                  "#9333ea"]


_FUNC = re.compile(r"(rgba?|hsla?)\(\s*([^,)]+),\s*([^,)]+),\s*([^,)]+?)\s*(?:,\s*([0-9.]+%?)\s*)?\)",
                   re.IGNORECASE)


def _css_color(c: Any) -> str:
    """A colour as CSS: a string as is (``"#1f2937"``, ``"red"``, ``"rgb(…)"``) or
    Gradio's ``(color, opacity)`` pair, opacity in [0, 1]: a hex colour becomes
    ``rgba(…)``, an ``rgb[a]()``/``hsl[a]()`` colour gets its alpha multiplied
    by the opacity, any other CSS colour (a name) is mixed with transparent
    (``color-mix()``)."""
    if isinstance(c, str) and c.strip():
        return c.strip()
    if not (isinstance(c, (tuple, list)) and len(c) == 2 and isinstance(c[0], str) and c[0].strip()
            and isinstance(c[1], (int, float)) and not isinstance(c[1], bool) and 0 <= c[1] <= 1):
        raise ValueError(f"Brush: a colour is a CSS colour string or (colour, opacity in [0, 1]), "
                         f"got {c!r}")
    color, opacity = c[0].strip(), float(c[1])
    if _HEX.fullmatch(color):
        h = color[1:]
        if len(h) in (3, 4):
            h = "".join(ch * 2 for ch in h)
        alpha = int(h[6:8], 16) / 255 if len(h) == 8 else 1.0
        r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
        return f"rgba({r}, {g}, {b}, {alpha * opacity:.3g})"
    m = _FUNC.fullmatch(color)
    if m:
        fn, x, y, z, a = m.groups()
        alpha = 1.0 if a is None else (float(a[:-1]) / 100 if a.endswith("%") else float(a))
        base = fn.lower().rstrip("a")
        return f"{base}a({x.strip()}, {y.strip()}, {z.strip()}, {alpha * opacity:.3g})"
    return f"color-mix(in srgb, {color} {opacity * 100:g}%, transparent)"


class Brush:
    """Brush options of a :class:`Sketchpad` (Gradio's ``gr.Brush``).

    ``default_size``: brush diameter in canvas pixels, or "auto" (1/30 of the
    canvas's shorter side, at least 2). ``colors``: the colours offered as
    swatches (CSS colour strings, or ``(hex, opacity)`` pairs); None for a
    default palette. ``default_color``: the starting colour, "auto" for the
    first of ``colors``. ``color_mode``: "defaults" also offers a colour
    picker for any colour; "fixed" offers only ``colors``.
    Raises ``ValueError`` for a size that is not a positive int or a bad colour.
    """

    def __init__(self, default_size: int | Literal["auto"] = "auto", colors: list | None = None,
                 default_color: str | Literal["auto"] | None = "auto",
                 color_mode: Literal["fixed", "defaults"] = "defaults") -> None:
        if default_size != "auto" and (isinstance(default_size, bool) or not isinstance(default_size, int)
                                       or default_size < 1):
            raise ValueError(f"Brush: default_size must be a positive int or 'auto', got {default_size!r}")
        if color_mode not in ("fixed", "defaults"):
            raise ValueError(f"Brush: color_mode must be 'fixed' or 'defaults', got {color_mode!r}")
        self.default_size = default_size
        self.colors = [_css_color(c) for c in (DEFAULT_COLORS if colors is None else colors)]
        if default_color in (None, "auto"):
            default_color = self.colors[0] if self.colors else "#000000"
        self.default_color = _css_color(default_color)
        self.color_mode = color_mode

    def to_dict(self) -> dict:
        return {"default_size": self.default_size, "colors": self.colors,
                "default_color": self.default_color, "color_mode": self.color_mode}

    def __repr__(self) -> str:
        return (f"Brush(default_size={self.default_size!r}, colors={self.colors!r}, "
                f"default_color={self.default_color!r}, color_mode={self.color_mode!r})")


class Eraser:
    """The eraser of a :class:`Sketchpad`/:class:`ImageEditor` (Gradio's
    ``gr.Eraser``): ``default_size``, its diameter in canvas pixels or "auto"
    (as the brush's). Erasing brings back what was under the strokes: the
    canvas colour, or the image last put on the canvas (uploaded, pasted or
    given by a function). ``eraser=False`` on the component offers none.
    Raises ``ValueError`` for a size that is not a positive int or "auto"."""

    def __init__(self, default_size: int | Literal["auto"] = "auto") -> None:
        if default_size != "auto" and (isinstance(default_size, bool) or not isinstance(default_size, int)
                                       or default_size < 1):
            raise ValueError(f"Eraser: default_size must be a positive int or 'auto', got {default_size!r}")
        self.default_size = default_size

    def to_dict(self) -> dict:
        return {"default_size": self.default_size}

    def __repr__(self) -> str:
        return f"Eraser(default_size={self.default_size!r})"


class LayerOptions:
    """Gradio's ``gr.LayerOptions`` for an ImageEditor's layers panel
    (``allow_additional_layers``, ``layers``: names, ``disabled``). nbdemo's
    editor has a single layer, so ``ImageEditor(layers=...)`` warns that it is
    not supported and draws on one layer; the object itself keeps the options."""

    def __init__(self, allow_additional_layers: bool = True, layers: list[str] | None = None,
                 disabled: bool = False) -> None:
        self.allow_additional_layers = allow_additional_layers
        self.layers = list(layers) if layers else ["Layer 1"]
        self.disabled = disabled

    def __repr__(self) -> str:
        return (f"LayerOptions(allow_additional_layers={self.allow_additional_layers!r}, "
                f"layers={self.layers!r}, disabled={self.disabled!r})")


def _canvas_size(size: Any) -> list[int]:
    try:
        w, h = (int(v) for v in size)
    except (TypeError, ValueError):
        raise ValueError(f"canvas_size must be (width, height) in pixels, got {size!r}") from None
    if not (1 <= w <= 8192 and 1 <= h <= 8192):
        raise ValueError(f"canvas_size must be between 1 and 8192 pixels per side, got {size!r}")
    return [w, h]


class Sketchpad(FormComponent):
    """A canvas to draw on with a brush (mouse, pen or touch); ``fn`` gets the drawing.

    What ``fn`` receives is the **composite image** (the canvas as the user
    sees it), by ``type`` exactly as :class:`~nbdemo.Image` gives it:

    - "numpy" (default): ``np.ndarray`` uint8, (H, W, 4) RGBA with the default
      ``image_mode="RGBA"``; (H, W, 3) for "RGB"; (H, W) for "L" (0 black …
      255 white, what a digit classifier wants).
    - "pil": a ``PIL.Image.Image`` in ``image_mode``.
    - "filepath": a ``str`` path to a PNG file.

    (H, W) is ``canvas_size`` reversed; ``None`` until the user draws (and
    after Clear). ``fn`` may return what an Image output takes (NumPy uint8 or
    float in [0, 1], PIL image, path) to put an image on the canvas, which the
    user can then draw over; it is encoded as ``format`` ("webp" as in Gradio,
    "png", "jpeg"). A Gradio EditorValue dict returned by ``fn``
    (``{"background", "layers", "composite"}``) shows its ``composite``.

    .. versionchanged:: nbdemo
       Gradio 4+ passes ``fn`` an EditorValue dict (``background``, ``layers``,
       ``composite``). nbdemo passes the composite alone: it is what nearly
       every demo uses (``value["composite"]`` is the first line of most
       Gradio sketch demos), it keeps ``type``/``image_mode`` meaning what
       they mean for Image, and it moves one image per stroke instead of
       three.

    ``canvas_size``: (width, height) of the drawing in pixels (default
    (800, 800) as in Gradio); the canvas is shown scaled to fit its column.
    ``canvas_color``: the background, a CSS colour (default white, so the
    composite is opaque; Gradio's is transparent); None for transparent.
    ``brush``: a :class:`Brush` (size, colours, colour picker or not).
    ``eraser``: an :class:`Eraser` (its size; default "auto"), or False for none.
    ``height``/``width``: display size limits (pixels or CSS units).
    ``sources``: ImageEditor only: "upload" (click to pick a file, drag and
    drop) and "clipboard" (paste) put an image on the canvas, resized to it.
    The canvas has the accessible name of ``label`` (role "img").
    Events: change, input (after each stroke and on Clear), clear, upload,
    apply (an edit was saved as the value: in nbdemo after each stroke, since
    every stroke is saved; Gradio fires it when its editor saves).
    """

    HEAVY = True
    _kind = t.Unicode("sketchpad").tag(sync=True)
    value = t.Dict(None, allow_none=True).tag(sync=True)
    type = t.Enum(["numpy", "pil", "filepath"], "numpy").tag(sync=True)
    image_mode = t.Unicode("RGBA", allow_none=True).tag(sync=True)
    format = t.Enum(["webp", "png", "jpeg", "jpg"], "webp").tag(sync=True)
    canvas_size = t.List(t.Int(), [800, 800], minlen=2, maxlen=2).tag(sync=True)
    canvas_color = t.Unicode("#ffffff", allow_none=True).tag(sync=True)
    brush = t.Dict().tag(sync=True)
    #: the eraser's options (Eraser.to_dict), or None for no eraser
    eraser = t.Dict(None, allow_none=True).tag(sync=True)
    sources = t.List(t.Unicode(), []).tag(sync=True)
    height = t.Union([t.Int(), t.Unicode()], default_value=None, allow_none=True).tag(sync=True)
    width = t.Union([t.Int(), t.Unicode()], default_value=None, allow_none=True).tag(sync=True)
    show_download_button = t.Bool(True).tag(sync=True)

    clear = EventListener("clear", "Fires when the user clears the canvas.")
    upload = EventListener("upload", "Fires when the user puts an uploaded or pasted image on the canvas.")
    apply = EventListener("apply", "Fires when an edit (a stroke) is saved as the value.")

    #: the sources this component offers by default
    DEFAULT_SOURCES: tuple[str, ...] = ()

    def __init__(self, value: Any = None, *, type: ImageType = "numpy",
                 image_mode: str | None = "RGBA", format: str = "webp",
                 canvas_size: tuple[int, int] = (800, 800), canvas_color: str | None = "#ffffff",
                 brush: Brush | None = None, eraser: Eraser | None | Literal[False] = None,
                 sources: list[str] | str | None = None,
                 height: int | str | None = None, width: int | str | None = None,
                 show_download_button: bool = True, **kw: Any) -> None:
        if brush is None or brush is True:
            brush = Brush()
        if not isinstance(brush, Brush):
            raise ValueError(f"brush must be a gr.Brush, got {brush!r}")
        if eraser is None or eraser is True:
            eraser = Eraser()
        if eraser is not False and not isinstance(eraser, Eraser):
            raise ValueError(f"eraser must be a gr.Eraser or False, got {eraser!r}")
        if isinstance(sources, str):
            sources = [sources]
        # the editor offers upload and paste; a webcam source is not offered (yet)
        sources = [s for s in (self.DEFAULT_SOURCES if sources is None else sources)
                   if s in ("upload", "clipboard")]
        super().__init__(value, type=type, image_mode=image_mode, format=format,
                         canvas_size=_canvas_size(canvas_size),
                         canvas_color=None if canvas_color is None else _css_color(canvas_color),
                         brush=brush.to_dict(), eraser=eraser.to_dict() if eraser else None,
                         sources=sources, height=height, width=width,
                         show_download_button=show_download_button, **kw)

    def preprocess(self, payload: Any) -> Any:
        return load_image(payload, type=self.type, image_mode=self.image_mode,
                          label=self.label or type(self).__name__)

    def postprocess(self, value: Any) -> dict | None:
        if isinstance(value, dict) and not files.is_file_data(value) \
                and {"background", "layers", "composite"} & set(value):
            value = value.get("composite") if value.get("composite") is not None else value.get("background")
        return image_to_file(value, self.format, self.label or type(self).__name__)

    def validate_wire(self, payload: Any) -> Any:
        if payload is None:
            return None
        return files.check_file_data(payload, f"{type(self).__name__} (id {self._id})")


class ImageEditor(Sketchpad):
    """An image to draw on: a :class:`Sketchpad` that also takes an uploaded or
    pasted image as its background (``sources``: "upload", "clipboard", the
    default). Its simplest form: one brush layer, no crop, no layers panel.
    ``fn`` receives the composite, as with Sketchpad (see there for why).
    """

    DEFAULT_SOURCES = ("upload", "clipboard")


class Paint(Sketchpad):
    """Gradio's ``gr.Paint``: a canvas to paint on, no image source (a
    :class:`Sketchpad`; see there for what ``fn`` receives)."""


class ImageMask(ImageEditor):
    """Gradio's ``gr.ImageMask``: an image to paint a mask over. An
    :class:`ImageEditor` whose brush defaults to one fixed colour (black);
    ``fn`` receives the composite, as for the editor (see :class:`Sketchpad`).
    """

    def __init__(self, value: Any = None, *, brush: Brush | None = None, **kw: Any) -> None:
        if brush is None:
            brush = Brush(colors=["#000000"], color_mode="fixed")
        super().__init__(value, brush=brush, **kw)
