"""Themes (Gradio's ``gr.themes``): Base and the built-in Default, Soft, Glass,
Monochrome, Citrus, Ocean and Origin, with ``.set(...)``, hues, sizes and fonts.

``gr.Blocks(theme=gr.themes.Soft())``, ``theme="soft"`` or
``demo.launch(theme=...)``: the theme becomes CSS variables on the demo's root,
in the standalone page and inline alike. See :mod:`nbdemo.themes.base`.
"""

from __future__ import annotations

import sys

from .base import VARIABLES, Base, ThemeClass
from .utils import Color, Font, GoogleFont, LocalFont, Size, colors, fonts, sizes

Theme = ThemeClass
themes = sys.modules[__name__]  # gr.themes (nbdemo's lazy names look the module up by this)

_SANS = ("ui-sans-serif", "system-ui", "sans-serif")
_MONO = ("ui-monospace", "Consolas", "monospace")


def _stack(name: str, mono: bool = False) -> tuple:
    return (LocalFont(name), *(_MONO if mono else _SANS))


_SOURCE_SANS = _stack("Source Sans Pro")
_PLEX_MONO = _stack("IBM Plex Mono", True)


class Default(Base):
    """Gradio's default look: orange accents on zinc greys."""

    name = "default"

    def __init__(self, *, primary_hue=colors.orange, secondary_hue=colors.blue,
                 neutral_hue=colors.zinc, text_size=sizes.text_md, spacing_size=sizes.spacing_md,
                 radius_size=sizes.radius_md, font=_SOURCE_SANS, font_mono=_PLEX_MONO):
        super().__init__(primary_hue=primary_hue, secondary_hue=secondary_hue, neutral_hue=neutral_hue,
                         text_size=text_size, spacing_size=spacing_size, radius_size=radius_size,
                         font=font, font_mono=font_mono)


def _preset(name: str, doc: str, **defaults):
    def __init__(self, **kw):
        Base.__init__(self, **{**defaults, **kw})
    return type(name, (Base,), {"__init__": __init__, "__doc__": doc, "name": name.lower()})


Soft = _preset("Soft", "Indigo accents on grey, rounded and soft.", primary_hue=colors.indigo,
               secondary_hue=colors.indigo, neutral_hue=colors.gray, font=_stack("Montserrat"))
Glass = _preset("Glass", "Blue on slate, small radius and tight spacing.", primary_hue=colors.blue,
                secondary_hue=colors.slate, neutral_hue=colors.slate, spacing_size=sizes.spacing_sm,
                radius_size=sizes.radius_sm, text_size=sizes.text_sm, font=_stack("Optima"))
Monochrome = _preset("Monochrome", "Black and white, square corners, a serif font.",
                     primary_hue=colors.neutral, secondary_hue=colors.neutral,
                     neutral_hue=colors.neutral, spacing_size=sizes.spacing_lg,
                     radius_size=sizes.radius_none, font=(LocalFont("Lora"), "ui-serif", "serif"))
Citrus = _preset("Citrus", "Amber accents on stone.", primary_hue=colors.amber,
                 secondary_hue=colors.amber, neutral_hue=colors.stone,
                 spacing_size=sizes.spacing_lg, font=_stack("Ubuntu"))
Ocean = _preset("Ocean", "Emerald and sky on zinc, very rounded.", primary_hue=colors.emerald,
                secondary_hue=colors.sky, neutral_hue=colors.zinc, radius_size=sizes.radius_xxl,
                font=_stack("IBM Plex Sans"))
Origin = _preset("Origin", "Gradio 4's look: orange on grey.", primary_hue=colors.orange,
                 secondary_hue=colors.blue, neutral_hue=colors.gray, font=_stack("Source Sans Pro"))

#: theme names ``Blocks(theme="soft")`` accepts
BUILTIN: dict[str, type[Base]] = {"base": Base, "default": Default, "soft": Soft, "glass": Glass,
                                  "monochrome": Monochrome, "citrus": Citrus, "ocean": Ocean,
                                  "origin": Origin}


def resolve(theme) -> Base | None:
    """``theme=`` as Blocks and launch take it → a theme object, or None for
    nbdemo's own look ("default", None, "light", "dark": the light/dark choice
    is kept apart). Raises ``ValueError`` for an unknown name (Gradio would
    try the Hub; nbdemo does not go online) and ``TypeError`` for other objects."""
    if theme is None or isinstance(theme, ThemeClass):
        return theme
    if isinstance(theme, type) and issubclass(theme, ThemeClass):
        return theme()
    if isinstance(theme, str):
        key = theme.lower().removeprefix("gradio/")
        if key in ("light", "dark", "default"):
            return None
        if key in BUILTIN:
            return BUILTIN[key]()
        raise ValueError(f"unknown theme {theme!r}; built-in: {', '.join(BUILTIN)} "
                         "(nbdemo does not load themes from the Hub)")
    raise TypeError(f"theme= takes a gr.themes theme or a name, got {type(theme).__name__}")


_MARK = ("/* nbdemo theme */\n", "\n/* end nbdemo theme */\n")


def with_theme_css(css: str, theme_css: str) -> str:
    """``css`` with its theme block (between markers) replaced by ``theme_css``
    (put first, so the author's own CSS wins)."""
    start, end = _MARK
    if start in css and end in css:
        css = css[:css.index(start)] + css[css.index(end) + len(end):]
    return f"{start}{theme_css}{end}{css}" if theme_css else css


__all__ = ["Base", "Citrus", "Color", "Default", "Font", "Glass", "GoogleFont", "LocalFont",
           "Monochrome", "Ocean", "Origin", "Size", "Soft", "Theme", "ThemeClass", "VARIABLES",
           "colors", "fonts", "resolve", "sizes", "with_theme_css"]
