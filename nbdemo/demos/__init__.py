"""The built-in demo gallery (``nbdemo demo``): one module per demo, each with a ``demo``.

The gallery imports a demo only when it is first opened (or warmed up in the
background after the server answers), so it starts fast and a demo whose
packages are missing shows a page saying what to install while the others work.
notebooks/quickstart.ipynb shows the same demos inline.
"""

from __future__ import annotations

import importlib
import logging
import traceback

from ..server.source import DemoSource

log = logging.getLogger("nbdemo")

#: module name → title, in gallery order
DEMOS = {
    "hello": "Hello, world",
    "calculator": "Calculator",
    "layout": "Blocks layout",
    "visibility": "Show and hide with update()",
    "counter": "Per-session counter (State)",
    "slow": "A slow function",
    "image_filters": "Image filters",
    "data_explorer": "Data explorer",
    "media_files": "Audio, video and files",
    "digits": "Handwritten digits",
    "chat": "Streaming chat",
}

#: module name → one line for the gallery's index
DESCRIPTIONS = {
    "hello": "An Interface in one line: a text in, a greeting out.",
    "calculator": "Numbers, a Radio and examples; dividing by zero raises gr.Error.",
    "layout": "Rows, columns and tabs; a slider, a dropdown and checkboxes feed a JSON summary.",
    "visibility": "gr.update() shows, hides, relabels and reshapes components.",
    "counter": "gr.State keeps a count per browser session.",
    "slow": "A long function with gr.Progress: progress bars and elapsed time.",
    "image_filters": "Upload a photo and apply sepia, grayscale and more with numpy.",
    "data_explorer": "Upload a CSV, filter it with pandas, download the rows, plot a column.",
    "media_files": "Audio effects, a video, files in and a zip archive out.",
    "digits": "Draw a digit; a scikit-learn model trained on its bundled digits guesses it.",
    "chat": "A ChatInterface that streams its reply word by word, with Stop.",
}

#: importable module → (what to pip install, the nbdemo extra that brings it)
PACKAGES = {
    "numpy": ("numpy", "media"),
    "PIL": ("pillow", "media"),
    "pandas": ("pandas", "media"),
    "matplotlib": ("matplotlib", "media"),
    "sklearn": ("scikit-learn", "demo"),
}


#: demos that need more than nbdemo[media]: the extra that brings all they need
EXTRA = {"digits": "demo"}


def load(name: str):
    """The ``demo`` object of ``nbdemo.demos.<name>``.

    Raises ``ModuleNotFoundError`` when a package the demo needs is missing.
    """
    return importlib.import_module(f"{__name__}.{name}").demo


def missing_page(name: str, error: ModuleNotFoundError):
    """A demo page saying which package ``name`` needs and the command that installs it."""
    import nbdemo as gr

    module = (error.name or "").split(".")[0]
    package, extra = PACKAGES.get(module, (module, "demo"))
    extra = EXTRA.get(name, extra)  # one command for everything the demo needs
    with gr.Blocks(title=DEMOS[name]) as page:
        gr.Markdown(
            f"# {DEMOS[name]}\n\n"
            f"This demo needs **{package}**, which is not installed here "
            f"(`import {module}` failed).\n\n"
            f"Install it with\n\n```bash\npip install \"nbdemo[{extra}]\"\n```\n\n"
            "or, in a clone of nbdemo, every package the gallery uses with "
            "`pip install -e \".[demo]\"`; then restart `nbdemo demo`.",
            elem_classes=["nbd-missing"])
    return page


def error_page(name: str, text: str):
    """A demo page showing the traceback of a demo that failed to load."""
    import nbdemo as gr

    with gr.Blocks(title=DEMOS[name]) as page:
        gr.Markdown(f"# {DEMOS[name]}\n\nThis demo failed to load:\n\n```\n{text}\n```",
                    elem_classes=["nbd-missing"])
    return page


def build(name: str):
    """``load(name)``, or a page that says what went wrong (never raises)."""
    try:
        return load(name)
    except ModuleNotFoundError as e:
        if (e.name or "nbdemo").split(".")[0] == "nbdemo":  # a bug, not a missing package
            text = traceback.format_exc()
            log.error("nbdemo gallery: %s failed to load\n%s", name, text)
            return error_page(name, text)
        log.warning("nbdemo gallery: %s needs %s, which is not installed", name, e.name)
        return missing_page(name, e)
    except Exception:
        text = traceback.format_exc()
        log.error("nbdemo gallery: %s failed to load\n%s", name, text)
        return error_page(name, text)


def sources() -> dict[str, DemoSource]:
    """Prefix → a source that builds the demo on first use, for ``Server``."""
    return {f"/{name}/": DemoSource(lambda name=name: build(name), title=title,
                                    description=DESCRIPTIONS[name])
            for name, title in DEMOS.items()}


def gallery() -> dict[str, object]:
    """Prefix → demo, every demo built now (``sources()`` builds them lazily)."""
    return {f"/{name}/": build(name) for name in DEMOS}
