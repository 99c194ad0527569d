"""Plot: a matplotlib figure as an image, or a plotly figure in a sandboxed frame.

matplotlib (and plotly) are imported only when a figure is shown.
"""

from __future__ import annotations

import io
import sys
from typing import Any, Literal

import traitlets as t

from .. import files
from ..errors import Error
from ..events import EventListener
from .base import Component

PlotFormat = Literal["svg", "png", "webp", "jpeg"]
_MIME = {"svg": "image/svg+xml", "png": "image/png", "webp": "image/webp", "jpeg": "image/jpeg"}


def _is_matplotlib(value: Any) -> bool:
    return (type(value).__module__ or "").startswith("matplotlib") and hasattr(value, "savefig")


def _is_plotly(value: Any) -> bool:
    return (type(value).__module__ or "").startswith("plotly") and hasattr(value, "to_html")


def render_matplotlib(fig: Any, fmt: str = "svg", dpi: int | None = None) -> bytes:
    """A matplotlib ``Figure`` → the bytes of an SVG, PNG, WebP or JPEG image.

    ``savefig`` picks the canvas for the format (Agg for raster images, the
    SVG backend for SVG), so the global backend (``matplotlib.use``) is never
    changed and no GUI is needed. SVG text is kept as paths (no fonts needed to
    show it). Raises ``ValueError`` for another format.
    """
    if fmt not in _MIME:
        raise ValueError(f"Plot: format must be one of {', '.join(_MIME)}, got {fmt!r}")
    import matplotlib

    buf = io.BytesIO()
    options: dict[str, Any] = {"bbox_inches": "tight"}
    if dpi is not None:
        options["dpi"] = dpi
    if fmt in ("webp", "jpeg"):
        # Pillow encodes these formats; Agg draws the pixels.
        png = io.BytesIO()
        fig.savefig(png, format="png", **options)
        from PIL import Image as PILImage

        img = PILImage.open(io.BytesIO(png.getvalue()))
        if fmt == "jpeg":
            img = img.convert("RGB")
        img.save(buf, format=fmt.upper(), quality=90)
        return buf.getvalue()
    with matplotlib.rc_context({"svg.fonttype": "path"}):
        fig.savefig(buf, format=fmt, **options)
    return buf.getvalue()


def _close_pyplot(fig: Any) -> None:
    """Forget a figure pyplot manages, so a function that makes one per call
    does not grow pyplot's registry (and never shows it twice in a notebook)."""
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None and getattr(fig, "number", None) is not None and plt.fignum_exists(fig.number):
        plt.close(fig)


class Plot(Component):
    """A plot output.

    ``fn`` may return:

    - a matplotlib ``Figure`` (or an ``Axes``: its figure), rendered as
      ``format`` ("svg" by default; "png", "webp", "jpeg") into the session's
      files and shown as an ``<img>``, so nothing in it can run script. A
      figure pyplot manages is closed after it is rendered. Prefer
      ``matplotlib.figure.Figure()`` over ``pyplot`` in demo functions: pyplot
      is not thread-safe and functions run on worker threads.
    - a plotly figure, when plotly is installed: its self-contained HTML
      (plotly.js included, nothing loaded from a CDN) is a session file shown
      in an ``<iframe sandbox="allow-scripts">``, which runs it in an opaque
      origin that cannot reach the demo page.
    - None: an empty plot.

    The wire value is ``{"type": "matplotlib"|"plotly", "format": str, "plot":
    FileData}``; as an input ``fn`` receives that dict (or None).
    ``dpi``: resolution of raster formats. Raises :class:`~nbdemo.Error` for
    other objects. Event: change.

    .. versionchanged:: 0.1
       ``format`` defaults to "svg" (Gradio: "webp"): sharp at any zoom and
       usually smaller for line and bar plots.
    """

    HEAVY = True
    _kind = t.Unicode("plot").tag(sync=True)
    value = t.Dict(None, allow_none=True).tag(sync=True)
    format = t.Enum(list(_MIME), "svg").tag(sync=True)
    dpi = t.Int(None, allow_none=True).tag(sync=True)
    height = t.Union([t.Int(), t.Unicode()], default_value=None, allow_none=True).tag(sync=True)

    change = EventListener("change", "Fires when the plot changes.")

    def __init__(self, value: Any = None, *, format: PlotFormat = "svg", dpi: int | None = None,
                 height: int | str | None = None, **kw: Any) -> None:
        if format == "jpg":
            format = "jpeg"
        if format not in _MIME:
            raise ValueError(f"Plot: format must be one of {', '.join(_MIME)}, got {format!r}")
        super().__init__(value, format=format, dpi=dpi, height=height, **kw)

    def postprocess(self, value: Any) -> dict | None:
        if value is None:
            return None
        if isinstance(value, dict) and files.is_file_data(value.get("plot")):
            return value
        if _is_matplotlib(value) or (type(value).__module__ or "").startswith("matplotlib.axes"):
            fig = value if hasattr(value, "savefig") else value.figure
            data = render_matplotlib(fig, self.format, self.dpi)
            _close_pyplot(fig)
            ext = "jpg" if self.format == "jpeg" else self.format
            fd = files.current().add_bytes(data, f"plot.{ext}", _MIME[self.format])
            return {"type": "matplotlib", "format": self.format, "plot": fd}
        if _is_plotly(value):
            html = value.to_html(include_plotlyjs=True, full_html=True)
            fd = files.current().add_bytes(html.encode("utf-8"), "plot.html", "text/html")
            return {"type": "plotly", "format": "html", "plot": fd}
        raise Error(f"{self.label or 'Plot'} cannot show a {type(value).__name__}; return a "
                    "matplotlib Figure (or a plotly figure when plotly is installed)")

    def preprocess(self, payload: Any) -> dict | None:
        return payload

    def validate_wire(self, payload: Any) -> dict | None:
        if payload is None:
            return None
        what = f"Plot (id {self._id})"
        if not isinstance(payload, dict) or payload.get("type") not in ("matplotlib", "plotly"):
            raise ValueError(f"{what}: expected a plot value, got {str(payload)[:80]!r}")
        return {"type": payload["type"], "format": str(payload.get("format")),
                "plot": files.check_file_data(payload.get("plot"), what)}
