"""Fonts for themes. nbdemo loads no web fonts (nothing leaves the machine, no
CDN): a font is used by name when the visitor's system has it, else the next
one of the stack (so give fallbacks, as Gradio's own themes do)."""

from __future__ import annotations

import warnings


class Font:
    """A font family by name (a system font, or one the demo's ``css`` provides)."""

    def __init__(self, name: str):
        self.name = name

    def stack(self) -> str:
        generic = {"sans-serif", "serif", "monospace", "cursive", "fantasy", "system-ui",
                   "ui-sans-serif", "ui-serif", "ui-monospace", "ui-rounded"}
        return self.name if self.name in generic else f"'{self.name}'"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"


class LocalFont(Font):
    """A font expected on the visitor's system (Gradio also serves some from its
    own static files; nbdemo does not, so the fallbacks apply when it is missing)."""

    def __init__(self, name: str, weights: tuple[int, ...] = (400, 600)):
        super().__init__(name)
        self.weights = weights


class GoogleFont(Font):
    """Gradio loads this from Google Fonts; nbdemo never contacts another host,
    so it warns and uses the name as a system font (the stack's next font when
    it is not installed)."""

    def __init__(self, name: str, weights: tuple[int, ...] = (400, 600)):
        warnings.warn(f"nbdemo does not load Google Fonts (no requests to other hosts): "
                      f"GoogleFont({name!r}) is used only if installed locally", UserWarning,
                      stacklevel=2)
        super().__init__(name)
        self.weights = weights
