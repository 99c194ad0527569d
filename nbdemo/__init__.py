"""nbdemo: Gradio-style demos that are native to Jupyter.

``import nbdemo as gr`` runs Gradio-style code: ``gr.Interface(fn, inputs,
outputs)`` or ``with gr.Blocks() as demo: ... btn.click(fn, inputs, outputs)``.
A demo shows inline in a notebook cell (as Jupyter widgets) and as a
standalone page (``demo.launch()`` in a script).

The public names load lazily (a module ``__getattr__``, as tornado's
``__init__`` does): ``import nbdemo`` itself imports nothing, so
``import nbdemo.jupyter`` (loaded by every Jupyter server) or
``import nbdemo.protocol`` load only what they need. ``gr.Textbox`` loads the
components, and with them anywidget and ipywidgets (components are widgets);
numpy, PIL, pandas and matplotlib load only when a component needs them;
tornado only when a server starts.
"""

from __future__ import annotations

import importlib
import sys

__version__ = "0.1.0"

#: True while a script runs for the first time; False when reload mode
#: (``nbdemo app.py``) runs it again after a save, so ``if nbdemo.NO_RELOAD:``
#: blocks (loading a model, reading a big file) run once (Gradio's ``gr.NO_RELOAD``).
NO_RELOAD = True

#: public name → the submodule that defines it (relative to nbdemo). A new
#: public name is one line here.
_LAZY: dict[str, str] = {
    "Blocks": ".blocks",
    "Interface": ".interface",
    "TabbedInterface": ".interface",
    "Examples": ".interface",
    "CSVLogger": ".flagging",
    "FlaggingCallback": ".flagging",
    "ChatInterface": ".chat_interface",
    "Row": ".layout",
    "Column": ".layout",
    "Group": ".layout",
    "Tabs": ".layout",
    "Tab": ".layout",
    "TabItem": ".layout",
    "Accordion": ".layout",
    "Sidebar": ".layout",
    "Walkthrough": ".layout",
    "Step": ".layout",
    "Draggable": ".layout",
    "Component": ".components",
    "Textbox": ".components",
    "Number": ".components",
    "Slider": ".components",
    "Checkbox": ".components",
    "CheckboxGroup": ".components",
    "Radio": ".components",
    "Dropdown": ".components",
    "Button": ".components",
    "ClearButton": ".components",
    "DeepLinkButton": ".components",
    "Markdown": ".components",
    "HTML": ".components",
    "JSON": ".components",
    "Label": ".components",
    "State": ".components",
    "Dataset": ".components",
    "Image": ".components",
    "Brush": ".components",
    "Gallery": ".components",
    "ImageEditor": ".components",
    "Sketchpad": ".components",
    "Paint": ".components",
    "ImageMask": ".components",
    "Eraser": ".components",
    "LayerOptions": ".components",
    "File": ".components",
    "Files": ".components",
    "UploadButton": ".components",
    "DownloadButton": ".components",
    "Audio": ".components",
    "Video": ".components",
    "Dataframe": ".components",
    "Plot": ".components",
    "HighlightedText": ".components",
    "Code": ".components",
    "ColorPicker": ".components",
    "Chatbot": ".components",
    "ChatMessage": ".components",
    "MultimodalTextbox": ".components",
    "Timer": ".components",
    "LinePlot": ".components",
    "ScatterPlot": ".components",
    "BarPlot": ".components",
    "NativePlot": ".components",
    "DateTime": ".components",
    "Model3D": ".components",
    "FileExplorer": ".components",
    "BrowserState": ".components",
    "DuplicateButton": ".components",
    "TextArea": ".components",
    "ImageSlider": ".components",
    "Navbar": ".components",
    "Dialogue": ".components",
    "ParamViewer": ".components",
    "AnnotatedImage": ".components",
    "WaveformOptions": ".components",
    "WebcamOptions": ".components",
    "DeletedFileData": ".events",
    "DownloadData": ".events",
    "themes": ".themes",
    "Theme": ".themes",
    "Error": ".errors",
    "set_static_paths": ".files",
    "EventData": ".events",
    "SelectData": ".events",
    "KeyUpData": ".events",
    "LikeData": ".events",
    "RetryData": ".events",
    "UndoData": ".events",
    "EditData": ".events",
    "CopyData": ".events",
    "on": ".events",
    "api": ".api",
    "mcp": ".mcp",
    "render": ".renderable",
    "update": ".events",
    "skip": ".events",
    "validate": ".events",
    "Request": ".events",
    "Progress": ".helpers",
    "Info": ".helpers",
    "Warning": ".helpers",
    "Success": ".helpers",
    "cache": ".memo",
    "load": ".external",
    "Workflow": ".workflow",
    "I18n": ".i18n",
    "Cache": ".memo",
}

#: Gradio's other spellings: alias → public name
_ALIASES: dict[str, str] = {"Text": "Textbox", "DataFrame": "Dataframe", "Json": "JSON"}

__all__ = [*_LAZY, *_ALIASES, "NO_RELOAD", "__version__"]

#: Components are widgets; what their front-ends send is handled by the
#: notebook front door, which plugs itself into the widget base class when it
#: is imported. The public API is where the two meet: a name whose module
#: brought in the widgets brings in that door too (components never import it).
_WIDGETS = "nbdemo.components.base"
_NOTEBOOK_DOOR = ".notebook"


def __getattr__(name: str) -> object:
    if name in _ALIASES:
        value = __getattr__(_ALIASES[name])
    elif name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        if _WIDGETS in sys.modules and f"{__name__}{_NOTEBOOK_DOOR}" not in sys.modules:
            importlib.import_module(_NOTEBOOK_DOOR, __name__)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """jupyter-server finds nbdemo's extension (nbdemo.jupyter) through this."""
    return [{"module": "nbdemo.jupyter"}]
