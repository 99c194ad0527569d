"""Colours, sizes and fonts for themes (Gradio's ``gradio.themes.utils``)."""

from . import colors, fonts, sizes
from .colors import Color
from .fonts import Font, GoogleFont, LocalFont
from .sizes import Size

__all__ = ["Color", "Font", "GoogleFont", "LocalFont", "Size", "colors", "fonts", "sizes"]
