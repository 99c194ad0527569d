"""nbdemo: Gradio-style demos that are native to Jupyter.

``import nbdemo as gr`` runs Gradio-style code: ``gr.Interface(fn, inputs,
outputs)`` or ``with gr.Blocks() as demo: ... btn.click(fn, inputs, outputs)``.
A demo shows inline in a notebook cell (as Jupyter widgets) and as a
standalone page (``demo.launch()`` in a script).

Importing nbdemo loads anywidget and ipywidgets (components are widgets) and
nothing heavier; tornado loads only when a server starts.
"""

from .blocks import Blocks
from .chat_interface import ChatInterface
from .components import (
    HTML,
    JSON,
    Audio,
    Brush,
    Button,
    Chatbot,
    ChatMessage,
    Checkbox,
    CheckboxGroup,
    ClearButton,
    Code,
    ColorPicker,
    Component,
    Dataframe,
    Dataset,
    DownloadButton,
    Dropdown,
    File,
    Files,
    Gallery,
    HighlightedText,
    Image,
    ImageEditor,
    Label,
    Markdown,
    MultimodalTextbox,
    Number,
    Plot,
    Radio,
    Sketchpad,
    Slider,
    State,
    Textbox,
    UploadButton,
    Video,
)
from .errors import Error
from .events import EventData, KeyUpData, SelectData, on, skip, update
from .interface import Examples, Interface, TabbedInterface
from .layout import Accordion, Column, Group, Row, Sidebar, Tab, TabItem, Tabs

__version__ = "0.1.0"


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """jupyter-server finds nbdemo's extension (nbdemo.jupyter) through this."""
    return [{"module": "nbdemo.jupyter"}]

Text = Textbox
DataFrame = Dataframe

__all__ = [
    "Blocks", "Interface", "TabbedInterface", "Examples",
    "Row", "Column", "Group", "Tabs", "Tab", "TabItem", "Accordion", "Sidebar",
    "Textbox", "Text", "Number", "Slider", "Checkbox", "CheckboxGroup", "Radio", "Dropdown",
    "Button", "ClearButton", "Markdown", "HTML", "JSON", "Label", "State", "Dataset", "Image",
    "Component", "Error", "EventData", "SelectData", "KeyUpData", "on", "update", "skip",
    "__version__",
]
__all__ += ["Brush", "Gallery", "ImageEditor", "Sketchpad"]
__all__ += ["File", "Files", "UploadButton", "DownloadButton"]
__all__ += ["Audio", "Video"]
__all__ += ["Dataframe", "DataFrame", "Plot", "HighlightedText", "Code", "ColorPicker"]
__all__ += ["ChatInterface", "Chatbot", "ChatMessage", "MultimodalTextbox"]
