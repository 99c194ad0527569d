"""Theme: hues, sizes and fonts turned into the CSS variables nbdemo's renderers use.

A theme yields CSS for the demo's root (``.nbd-app``) that sets nbdemo's
variables (``--nbd-accent``, ``--nbd-bg``, ``--nbd-text``, ``--nbd-radius``,
``--nbd-font``, …) for light pages and, under ``.nbd-dark``, for dark ones.
``.set(name=value)`` takes Gradio's variable names; those with an nbdemo
counterpart (listed in ``VARIABLES``) change it, the others warn, naming them.
A value may refer to a shade or size as Gradio writes it: ``"*primary_200"``,
``"*neutral_800"``, ``"*radius_lg"``.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from typing import Any

from .utils import colors, sizes
from .utils.colors import Color
from .utils.fonts import Font, LocalFont
from .utils.sizes import Size

FontSpec = Font | str | Iterable[Font | str]

#: Gradio's theme variable → the nbdemo CSS variable it sets
VARIABLES: dict[str, str] = {
    "body_background_fill": "--nbd-bg",
    "background_fill_primary": "--nbd-bg",
    "background_fill_secondary": "--nbd-panel",
    "block_background_fill": "--nbd-panel",
    "panel_background_fill": "--nbd-panel",
    "input_background_fill": "--nbd-bg",
    "button_secondary_background_fill": "--nbd-raised",
    "border_color_primary": "--nbd-border",
    "block_border_color": "--nbd-border",
    "input_border_color": "--nbd-border",
    "body_text_color": "--nbd-text",
    "block_label_text_color": "--nbd-text",
    "body_text_color_subdued": "--nbd-muted",
    "block_info_text_color": "--nbd-muted",
    "color_accent": "--nbd-accent",
    "button_primary_background_fill": "--nbd-accent",
    "slider_color": "--nbd-accent",
    "checkbox_background_color_selected": "--nbd-accent",
    "color_accent_soft": "--nbd-accent-soft",
    "button_primary_text_color": "--nbd-primary-text",
    "button_cancel_background_fill": "--nbd-stop",
    "error_text_color": "--nbd-stop",
    "input_border_color_focus": "--nbd-focus",
    "block_radius": "--nbd-radius",
    "button_large_radius": "--nbd-radius",
    "input_radius": "--nbd-radius",
    "layout_gap": "--nbd-gap",
    "font": "--nbd-font",
    "font_mono": "--nbd-mono",
    "body_text_size": "font-size",
}


class ThemeClass:
    """What every theme is (Gradio's ``gr.Theme``)."""

    def to_css(self) -> str:  # pragma: no cover - Base implements it
        raise NotImplementedError

    def push_to_hub(self, *args: Any, **kwargs: Any):
        raise NotImplementedError("nbdemo does not publish themes to the Hugging Face Hub")

    @classmethod
    def from_hub(cls, *args: Any, **kwargs: Any):
        raise NotImplementedError("nbdemo does not download themes from the Hugging Face Hub "
                                  "(nothing leaves the machine); build one with gr.themes.Base(...)")

    @classmethod
    def load(cls, path: str):
        raise NotImplementedError("nbdemo does not read Gradio's theme JSON files yet")


def _hue(value: Color | str, what: str) -> Color:
    if isinstance(value, Color):
        return value
    if isinstance(value, str):
        return colors.named(value)
    raise TypeError(f"{what} takes a gr.themes.Color or a colour name, got {value!r}")


def _size(value: Size | str, kind: str) -> Size:
    if isinstance(value, Size):
        return value
    if isinstance(value, str):
        return sizes.named(kind, value)
    raise TypeError(f"{kind}_size takes a gr.themes.Size or a name such as 'md', got {value!r}")


def _fonts(value: FontSpec) -> str:
    items = [value] if isinstance(value, (str, Font)) else list(value)
    out = []
    for f in items:
        font = f if isinstance(f, Font) else Font(str(f))
        out.append(font.stack())
    return ", ".join(out)


_SANS = (LocalFont("IBM Plex Sans"), "ui-sans-serif", "system-ui", "sans-serif")
_MONO = (LocalFont("IBM Plex Mono"), "ui-monospace", "Consolas", "monospace")


class Base(ThemeClass):
    """A theme from hues, sizes and fonts (Gradio's ``gr.themes.Base``).

    ``primary_hue`` colours the accent (primary buttons, sliders, focus);
    ``secondary_hue`` is kept for ``.set()`` references (``*secondary_500``);
    ``neutral_hue`` gives backgrounds, borders and text. Each is a
    :class:`~nbdemo.themes.Color` or a name ("blue", "emerald", …).
    ``text_size``, ``spacing_size``, ``radius_size``: a
    :class:`~nbdemo.themes.Size` or "sm"/"md"/"lg" (radius also "none",
    "xxl"). ``font``/``font_mono``: a font, a name or a list (a stack).
    Raises ``ValueError`` for an unknown name.
    """

    name = "base"

    def __init__(self, *, primary_hue: Color | str = colors.blue,
                 secondary_hue: Color | str = colors.blue, neutral_hue: Color | str = colors.zinc,
                 text_size: Size | str = sizes.text_md, spacing_size: Size | str = sizes.spacing_md,
                 radius_size: Size | str = sizes.radius_md,
                 font: FontSpec = _SANS, font_mono: FontSpec = _MONO):
        self.primary_hue = _hue(primary_hue, "primary_hue")
        self.secondary_hue = _hue(secondary_hue, "secondary_hue")
        self.neutral_hue = _hue(neutral_hue, "neutral_hue")
        self.text_size = _size(text_size, "text")
        self.spacing_size = _size(spacing_size, "spacing")
        self.radius_size = _size(radius_size, "radius")
        self.font = _fonts(font)
        self.font_mono = _fonts(font_mono)
        #: Gradio variable name → value set with .set() (``*_dark`` names for dark pages)
        self.overrides: dict[str, str] = {}

    def set(self, **variables: str) -> Base:
        """Override theme variables by Gradio's names (``button_primary_background_fill="*primary_700"``,
        ``body_background_fill_dark="#000"``); returns the theme. Names nbdemo's
        renderers have no counterpart for warn, naming them."""
        unused = []
        for name, value in variables.items():
            if value is None:
                continue
            if name.removesuffix("_dark") not in VARIABLES:
                unused.append(name)
            self.overrides[name] = str(value)
        if unused:
            warnings.warn(f"nbdemo's renderers have no counterpart for theme variables "
                          f"{', '.join(sorted(unused))}; they are ignored", UserWarning, stacklevel=2)
        return self

    # -- CSS ---------------------------------------------------------------------
    def _ref(self, value: str) -> str:
        """Resolve Gradio's ``*primary_500`` / ``*neutral_100`` / ``*radius_lg`` references."""
        def one(m: re.Match) -> str:
            kind, step = m.group(1), m.group(2)
            if kind in ("primary", "secondary", "neutral"):
                return getattr(self, f"{kind}_hue").shade(step)
            return getattr(getattr(self, f"{kind}_size"), step, m.group(0))
        return re.sub(r"\*(primary|secondary|neutral|radius|spacing|text)_(\w+)", one, value)

    def variables(self, dark: bool = False) -> dict[str, str]:
        """nbdemo CSS variable → value, for a light (or dark) page."""
        p, n = self.primary_hue, self.neutral_hue
        if dark:
            out = {"--nbd-bg": n.c950, "--nbd-panel": n.c900, "--nbd-raised": n.c800,
                   "--nbd-border": n.c700, "--nbd-text": n.c100, "--nbd-muted": n.c400,
                   "--nbd-accent": p.c500, "--nbd-accent-soft": p.c900, "--nbd-focus": p.c400}
        else:
            out = {"--nbd-bg": "#ffffff", "--nbd-panel": n.c50, "--nbd-raised": n.c100,
                   "--nbd-border": n.c200, "--nbd-text": n.c800, "--nbd-muted": n.c500,
                   "--nbd-accent": p.c600, "--nbd-accent-soft": p.c50, "--nbd-focus": p.c400}
        out.update({"--nbd-radius": self.radius_size.lg, "--nbd-font": self.font,
                    "--nbd-mono": self.font_mono, "font-size": self.text_size.md,
                    "--nbd-gap": f"calc({self.spacing_size.xl} + 2px)"})
        for name, value in self.overrides.items():
            is_dark = name.endswith("_dark")
            target = VARIABLES.get(name.removesuffix("_dark"))
            if target and is_dark == dark:
                out[target] = self._ref(value)
        return out

    def to_css(self) -> str:
        """The CSS that applies this theme to a demo (light, and dark under ``.nbd-dark``)."""
        def block(selector: str, values: dict[str, str]) -> str:
            body = "; ".join(f"{k}: {v}" for k, v in values.items())
            return f"{selector} {{ {body} }}"
        light, dark = self.variables(False), self.variables(True)
        surfaces = {"--nbd-bg", "--nbd-panel", "--nbd-raised", "--nbd-border", "--nbd-text", "--nbd-muted"}
        common = {k: v for k, v in light.items() if k not in surfaces}
        return "\n".join([
            # hues, sizes and fonts: everywhere (inline too)
            block(".nbd-app, .nbd-app .nbd-comp", common),
            # surfaces: where the page (or the demo) chose light or dark; inline
            # without a choice they follow JupyterLab's own theme
            block(".nbd-light .nbd-app, .nbd-light .nbd-app .nbd-comp, "
                  ".nbd-app.nbd-light, .nbd-app.nbd-light .nbd-comp",
                  {k: v for k, v in light.items() if k in surfaces}),
            block(".nbd-dark .nbd-app, .nbd-dark .nbd-app .nbd-comp, "
                  ".nbd-app.nbd-dark, .nbd-app.nbd-dark .nbd-comp", dark),
        ])

    def __repr__(self) -> str:
        return f"{type(self).__name__}(primary_hue={self.primary_hue.name!r}, neutral_hue={self.neutral_hue.name!r})"
