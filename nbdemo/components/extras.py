"""Gradio components nbdemo offers in a simpler form, each saying what it lacks.

- :class:`Model3D`: a 3D model file, shown in a 3D view (three.js, loaded on first use).
- :class:`FileExplorer`: files under a folder, picked from a checklist.
- :class:`BrowserState`: state also kept in the browser's localStorage (signed).
- :class:`DuplicateButton`: Hugging Face's "Duplicate this Space" button.
- :class:`Navbar`: links at the top of the page.
- :class:`ParamViewer`: a function's parameters, documented.

Each that lacks part of Gradio's behaviour warns once when built, naming it.
"""

from __future__ import annotations

import fnmatch
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import traitlets as t

from .base import Component
from .button import Button
from .choice import CheckboxGroup
from .file import File
from .state import State
from .textbox import Textbox

MODEL3D_TYPES = [".obj", ".glb", ".gltf", ".stl", ".splat", ".ply"]


class Model3D(File):
    """A 3D model (.obj, .glb, .gltf, .stl, .ply, .splat): ``fn`` receives its path
    (``str``) and returns a path (or None).

    The page and the notebook show the model in a 3D view (three.js, loaded
    only by pages that show a Model3D: ``static/viewer3d.js``, 168 KB gzip)
    that turns with the mouse, above the file's name and download link.
    .splat files (Gaussian splats) have no preview: they show as a file.
    ``clear_color``: the background, ``[r, g, b, a]`` in 0..1 (Gradio's form;
    default transparent). ``camera_position``: ``(alpha, beta, radius)`` —
    alpha in degrees around the vertical axis (90 = from the front; default
    60), beta in degrees down from the top (90 = level with the model;
    default 65), radius in the model's units (default: the whole model in
    view); None keeps a default. Gradio's viewer (Babylon.js) reads the angles
    the same way; its default view differs (nbdemo's is a three-quarter view). ``zoom_speed``, ``pan_speed``: multipliers of the mouse's
    zoom and pan. ``display_mode``: "solid" (default), "wireframe" or
    "point_cloud". ``height``: of the view, pixels or CSS (default 320 px).
    Events: change, upload, clear.
    """

    _kind = t.Unicode("model3d").tag(sync=True)
    clear_color = t.List(allow_none=True, default_value=None).tag(sync=True)
    camera_position = t.List(default_value=[None, None, None]).tag(sync=True)
    zoom_speed = t.Float(1.0).tag(sync=True)
    pan_speed = t.Float(1.0).tag(sync=True)
    display_mode = t.Unicode(None, allow_none=True).tag(sync=True)

    def __init__(self, value: Any = None, *, clear_color: Any = None,
                 camera_position: tuple = (None, None, None), zoom_speed: float = 1,
                 pan_speed: float = 1, display_mode: Literal["solid", "point_cloud", "wireframe"] | None = None,
                 height: int | str | None = None, **kw: Any) -> None:
        if display_mode not in (None, "solid", "point_cloud", "wireframe"):
            raise ValueError(f"Model3D: display_mode is 'solid', 'point_cloud' or 'wireframe', got {display_mode!r}")
        if clear_color is not None and (not isinstance(clear_color, (list, tuple)) or len(clear_color) != 4):
            raise ValueError(f"Model3D: clear_color is [r, g, b, a] with values in 0..1, got {clear_color!r}")
        if not isinstance(camera_position, (list, tuple)) or len(camera_position) != 3:
            raise ValueError(f"Model3D: camera_position is (alpha, beta, radius), got {camera_position!r}")
        kw.setdefault("label", "3D Model")
        super().__init__(value, file_count="single", file_types=MODEL3D_TYPES, type="filepath",
                         height=height, **kw)
        self.clear_color = list(clear_color) if clear_color is not None else None
        self.camera_position = list(camera_position)
        self.zoom_speed = float(zoom_speed)
        self.pan_speed = float(pan_speed)
        self.display_mode = display_mode


class FileExplorer(CheckboxGroup):
    """Files under ``root_dir`` matching ``glob`` (minus ``ignore_glob``), to pick.

    ``file_count="multiple"`` (default): a checklist, ``fn`` receives a
    ``list[str]`` of paths (``root_dir`` joined with each picked file);
    ``"single"``: ``fn`` receives one ``str`` path or None. Values given or
    returned are paths relative to ``root_dir``. The list is read when the
    component is built (Gradio's tree view is not drawn; this is a flat list).
    """

    def __init__(self, glob: str = "**/*", *, value: Any = None,
                 file_count: Literal["single", "multiple"] = "multiple",
                 root_dir: str | Path = ".", ignore_glob: str | None = None, **kw: Any) -> None:
        if file_count not in ("single", "multiple"):
            raise ValueError(f"FileExplorer: file_count is 'single' or 'multiple', got {file_count!r}")
        self.root_dir = Path(root_dir)
        self.glob = glob
        self.ignore_glob = ignore_glob
        self.file_count = file_count
        kw.setdefault("label", "File Explorer")
        if isinstance(value, str):
            value = [value]
        super().__init__(self.files(), value=value, **kw)

    def files(self) -> list[str]:
        """The files to show: relative paths, sorted."""
        if not self.root_dir.is_dir():
            raise ValueError(f"FileExplorer: root_dir {self.root_dir} is not a folder")
        found = []
        for p in sorted(self.root_dir.glob(self.glob)):
            rel = p.relative_to(self.root_dir).as_posix()
            if p.is_file() and not (self.ignore_glob and fnmatch.fnmatch(rel, self.ignore_glob)):
                found.append(rel)
        return found

    def preprocess(self, payload: Any) -> Any:
        picked = super().preprocess(payload) or []
        paths = [str(self.root_dir / p) for p in picked]
        if self.file_count == "single":
            return paths[0] if paths else None
        return paths

    def postprocess(self, value: Any) -> Any:
        if isinstance(value, (str, Path)):
            value = [value]
        rel = []
        for v in value or []:
            p = Path(v)
            rel.append(p.relative_to(self.root_dir).as_posix() if p.is_absolute() else p.as_posix())
        return super().postprocess(rel)


class BrowserState(State):
    """Gradio's ``gr.BrowserState``: a ``gr.State`` whose value the page also
    keeps in the browser's ``localStorage``, so it survives a reload of the
    page (and the browser's restart) on the standalone page.

    ``default_value``: the value of a browser that has none stored yet.
    Values must be JSON (str, number, bool, None, lists and dicts of them);
    ``fn`` receives and returns them as with ``gr.State``. ``storage_key``:
    the localStorage key (default: one per page path and component, so two
    demos on one origin never share it). ``secret``: the key that signs what
    is stored (HMAC-SHA256), so the server takes back only values it wrote
    itself; by default a random key per process, so stored values are dropped
    when the server restarts (as in Gradio, whose default key is random too).
    Give a fixed ``secret`` to keep them across restarts. nbdemo signs but does
    not encrypt: the value is readable in the browser's storage (Gradio
    encrypts it). A value whose JSON is over 4096 characters (``MAX_STORED``)
    is kept for the session only: stored values go back to the server in the
    page's WebSocket URL, so that ``demo.load`` listeners already see them. A stored value that does not verify (changed by hand, or
    signed by another key) is ignored and the session starts from the default.

    Inline in a notebook the value lives in the kernel only (there is one
    session); ``storage_key``/``secret`` have no effect there.
    """

    #: longest JSON kept in the browser (characters): stored values travel back in
    #: the page's WebSocket URL, so that the load listeners already see them
    MAX_STORED = 4096

    #: the process's signing key when a BrowserState has no ``secret``
    _process_secret = secrets.token_bytes(32)

    def __init__(self, default_value: Any = None, *, storage_key: str | None = None,
                 secret: str | None = None, **kw: Any) -> None:
        try:
            json.dumps(default_value)
        except (TypeError, ValueError) as e:
            raise TypeError(f"BrowserState: the default value must be JSON ({e})") from None
        self.storage_key = storage_key
        self.secret = secret
        self._key = secret.encode() if secret else self._process_secret
        super().__init__(default_value, **kw)

    def _mac(self, text: str) -> str:
        return hmac.new(self._key, f"{self._id}:{text}".encode(), hashlib.sha256).hexdigest()

    def sign(self, value: Any) -> str | None:
        """What the page stores for ``value``: its signature and JSON, or None
        when ``value`` is not JSON or its JSON is over ``MAX_STORED`` characters
        (it is then kept for the session only)."""
        try:
            text = json.dumps(value, separators=(",", ":"))
        except (TypeError, ValueError):
            return None
        if len(text) > self.MAX_STORED:
            return None
        return f"{self._mac(text)}.{text}"

    def verify(self, stored: Any) -> Any:
        """The value in ``stored`` (what :meth:`sign` gave); ``ValueError`` when
        it is not one this key signed for this component."""
        if not isinstance(stored, str) or "." not in stored:
            raise ValueError("not a stored BrowserState value")
        mac, text = stored.split(".", 1)
        if not hmac.compare_digest(mac, self._mac(text)):
            raise ValueError("the stored value's signature does not match")
        return json.loads(text)


class TextArea(Textbox):
    """Gradio's ``gr.TextArea``: a :class:`Textbox` of 7 lines by default."""

    def __init__(self, value: Any = None, *, lines: int = 7, **kw: Any) -> None:
        super().__init__(value, lines=lines, **kw)


@dataclass
class WaveformOptions:
    """Gradio's waveform settings for ``gr.Audio(waveform_options=...)``. nbdemo's
    audio player draws no waveform, so ``Audio`` warns that these are ignored."""

    waveform_color: str | None = None
    waveform_progress_color: str | None = None
    trim_region_color: str | None = None
    show_recording_waveform: bool = True
    show_controls: bool = False
    skip_length: float = 5
    sample_rate: int = 44100


@dataclass
class WebcamOptions:
    """Gradio's webcam settings for ``gr.Image(webcam_options=...)`` (``mirror``,
    ``constraints``: getUserMedia constraints)."""

    mirror: bool = True
    constraints: dict | None = None


class DuplicateButton(Button):
    """Hugging Face Spaces' "Duplicate Space" button. Gradio shows it only on
    a Space (``SPACE_ID`` set) and links to the Space's duplicate page; nbdemo
    does the same: elsewhere it is hidden."""

    def __init__(self, value: str = "Duplicate Space", *, variant: str = "huggingface",
                 size: str = "sm", **kw: Any) -> None:
        import os

        space = os.environ.get("SPACE_ID")
        kw.setdefault("visible", bool(space))
        if space:
            kw.setdefault("link", f"https://huggingface.co/spaces/{space}?duplicate=true")
        super().__init__(value, variant="secondary" if variant == "huggingface" else variant,
                         size=size, **kw)


__all__ = ["BrowserState", "DuplicateButton", "FileExplorer", "Model3D", "Navbar", "ParamViewer", "TextArea",
           "WaveformOptions", "WebcamOptions"]


class Navbar(Component):
    """Gradio's navigation bar: links at the top of the page.

    ``value``: ``[(label, url), ...]`` (a path of this app or a full URL; a
    URL opens in a new tab; a path is relative to the app, from any page).
    ``main_page_name``: the label of the link to the demo's main page
    ("Home"), or False for none. The bar also links to the pages added with
    ``Blocks.route`` (those shown in the navbar), and names them on every
    page, as in Gradio.
    A function may return ``gr.Navbar(visible=..., value=..., main_page_name=...)``.
    """

    _kind = t.Unicode("navbar").tag(sync=True)
    value = t.List(t.List(t.Unicode()), allow_none=True).tag(sync=True)
    main_page_name = t.Union([t.Unicode(), t.Bool()], default_value="Home").tag(sync=True)

    def __init__(self, value: list[tuple[str, str]] | None = None, *,
                 main_page_name: str | Literal[False] = "Home", **kw: Any) -> None:
        if main_page_name is True:
            raise ValueError("Navbar: main_page_name is a label or False")
        super().__init__(value, main_page_name=main_page_name, **kw)

    def postprocess(self, value: Any) -> list[list[str]]:
        out = []
        for item in value or []:
            if not isinstance(item, (tuple, list)) or len(item) != 2:
                raise ValueError(f"Navbar: each link is a (label, url) pair, got {item!r}")
            out.append([str(item[0]), str(item[1])])
        return out

    def validate_wire(self, payload: Any) -> Any:
        raise ValueError("a Navbar is set by the app; the page cannot change it")

    def api_info(self) -> dict[str, Any]:
        """JSON-schema-ish description of the wire value, for the HTTP API."""
        return {"type": "array", "items": {"type": "array", "items": {"type": "string"},
                                           "minItems": 2, "maxItems": 2}}


class ParamViewer(Component):
    """A function's parameters, documented (Gradio's ``gr.ParamViewer``).

    ``value``: ``{name: {"type": str, "description": str, "default": str | None}}``
    (each key optional), shown as a list of names with their type; a click
    opens a parameter's description and default. ``header``: the title
    ("Parameters"; None for none). ``language`` and ``linkify`` are kept for
    Gradio's syntax highlighting and links, which nbdemo does not draw.
    """

    _kind = t.Unicode("paramviewer").tag(sync=True)
    value = t.Dict().tag(sync=True)
    header = t.Unicode("Parameters", allow_none=True).tag(sync=True)

    def __init__(self, value: dict | None = None, *, language: str = "python",
                 linkify: list[str] | None = None, header: str | None = "Parameters",
                 anchor_links: bool | str = False, **kw: Any) -> None:
        self.language = language
        self.linkify = list(linkify or [])
        self.anchor_links = anchor_links
        super().__init__(value, header=header, **kw)

    def postprocess(self, value: Any) -> dict:
        out = {}
        for name, param in (value or {}).items():
            if not isinstance(param, dict):
                raise ValueError(f"ParamViewer: {name!r} maps to a dict of type, description, "
                                 f"default; got {param!r}")
            out[str(name)] = {k: (None if param.get(k) is None else str(param.get(k)))
                              for k in ("type", "description", "default")}
        return out

    def validate_wire(self, payload: Any) -> Any:
        raise ValueError("a ParamViewer is set by the app; the page cannot change it")

    def api_info(self) -> dict[str, Any]:
        """JSON-schema-ish description of the wire value, for the HTTP API."""
        return {"type": "object", "additionalProperties": {"type": "object"}}
