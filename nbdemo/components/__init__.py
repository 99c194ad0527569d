"""nbdemo components: each an anywidget.AnyWidget with preprocess/postprocess."""

from .annotatedimage import AnnotatedImage
from .audio import Audio
from .base import Component, FormComponent
from .button import Button, ClearButton, DeepLinkButton
from .chatbot import Chatbot, ChatMessage
from .choice import Checkbox, CheckboxGroup, Dropdown, Radio
from .code import Code
from .colorpicker import ColorPicker
from .dataframe import Dataframe
from .dataset import Dataset
from .datetime import DateTime
from .dialogue import Dialogue
from .display import JSON, Label, Markdown
from .extras import (
    BrowserState,
    DuplicateButton,
    FileExplorer,
    Model3D,
    Navbar,
    ParamViewer,
    TextArea,
    WaveformOptions,
    WebcamOptions,
)
from .file import DownloadButton, File, Files, UploadButton
from .gallery import Gallery
from .highlightedtext import HighlightedText
from .html import HTML
from .image import Image
from .imageslider import ImageSlider
from .multimodal import MultimodalTextbox
from .native_plot import BarPlot, LinePlot, NativePlot, ScatterPlot
from .number import Number, Slider
from .plot import Plot
from .sketchpad import Brush, Eraser, ImageEditor, ImageMask, LayerOptions, Paint, Sketchpad
from .state import State
from .textbox import Textbox
from .timer import Timer
from .video import Video

__all__ = ["Component", "FormComponent", "Button", "ClearButton", "DeepLinkButton", "Checkbox", "CheckboxGroup",
           "Dropdown", "Radio", "Dataset", "HTML", "JSON", "Label", "Markdown", "Number", "Image",
           "Slider", "State", "Textbox"]
__all__ += ["File", "Files", "UploadButton", "DownloadButton"]
__all__ += ["Chatbot", "ChatMessage", "MultimodalTextbox"]
__all__ += ["Audio", "Video"]
__all__ += ["Brush", "Eraser", "Gallery", "ImageEditor", "ImageMask", "LayerOptions", "Paint", "Sketchpad"]
__all__ += ["Dataframe", "Plot", "HighlightedText", "Code", "ColorPicker"]
__all__ += ["Timer"]
__all__ += ["BarPlot", "DateTime", "LinePlot", "NativePlot", "ScatterPlot"]
__all__ += ["ImageSlider", "Dialogue", "AnnotatedImage"]
__all__ += ["BrowserState", "DuplicateButton", "FileExplorer", "Model3D", "Navbar", "ParamViewer", "TextArea",
            "WaveformOptions", "WebcamOptions"]

#: Gradio's string shortcuts for Interface(inputs="text", ...).
SHORTCUTS = {
    "text": Textbox, "textbox": Textbox, "textarea": lambda **kw: Textbox(lines=7, **kw),
    "password": lambda **kw: Textbox(type="password", **kw), "number": Number, "slider": Slider,
    "checkbox": Checkbox, "checkboxgroup": CheckboxGroup, "radio": Radio,
    "dropdown": Dropdown, "markdown": Markdown, "html": HTML, "json": JSON, "label": Label,
    "state": State, "button": Button, "image": Image,
    "file": File, "files": Files,
    "chatbot": Chatbot, "multimodaltextbox": MultimodalTextbox,
    "audio": Audio, "microphone": lambda **kw: Audio(sources=["microphone"], **kw), "video": Video,
    "sketchpad": Sketchpad, "imageeditor": ImageEditor, "gallery": Gallery, "paint": Paint,
    "imagemask": ImageMask,
}
SHORTCUTS.update({
    "dataframe": Dataframe, "numpy": lambda **kw: Dataframe(type="numpy", **kw),
    "matrix": lambda **kw: Dataframe(type="array", **kw),
    "list": lambda **kw: Dataframe(type="array", col_count=1, **kw),
    "plot": Plot, "highlightedtext": HighlightedText, "highlight": HighlightedText,
    "code": Code, "colorpicker": ColorPicker,
    "lineplot": LinePlot, "scatterplot": ScatterPlot, "barplot": BarPlot, "datetime": DateTime,
    "model3d": Model3D, "fileexplorer": FileExplorer,
    # Gradio's video shortcut for a browser-playable output
    "playable_video": lambda **kw: Video(format="mp4", **kw),
})


def from_shortcut(spec, **kw):
    """A component from a string shortcut ("text", "slider", …) or an instance as is.

    Raises ``ValueError`` naming the known shortcuts for an unknown string.
    """
    if isinstance(spec, Component):
        return spec
    if isinstance(spec, str):
        factory = SHORTCUTS.get(spec.lower())
        if factory is None:
            raise ValueError(f"Unknown component shortcut {spec!r}; known: {', '.join(sorted(SHORTCUTS))}")
        return factory(**kw)
    raise TypeError(f"Expected a component or a shortcut string, got {spec!r}")
