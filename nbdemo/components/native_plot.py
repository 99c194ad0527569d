"""LinePlot, ScatterPlot, BarPlot: charts of a pandas DataFrame, drawn in the browser.

The wire value is Gradio's ``PlotData``: ``{"columns": [str], "data": [[cell]],
"datatypes": {column: "quantitative"|"temporal"|"nominal"}, "mark":
"line"|"point"|"bar"}``, temporal cells in milliseconds since the epoch (UTC).
The front-end (``js/src/components/nativeplot.js``, a chunk the page loads only
when it has a plot) bins, aggregates, sorts and draws it with uPlot, so a
``gr.update(x_bin=...)`` or ``x_lim=`` changes the chart without resending the
data. pandas is imported only when a DataFrame is converted.
"""

from __future__ import annotations

import json
import warnings
from typing import Any, ClassVar, Literal

import traitlets as t

from .. import context
from ..events import EventListener, _as_list, on
from .base import Component

Aggregate = Literal["sum", "mean", "median", "min", "max", "count"]
_AGGREGATES = ("sum", "mean", "median", "min", "max", "count")
#: Gradio arguments nbdemo accepts but does not draw yet: a warning names them.
_NOT_DRAWN = ("x_label_angle", "y_label_angle", "x_axis_format", "y_axis_format")


def _simple_type(dtype: Any) -> str:
    """pandas dtype → "quantitative" | "temporal" | "nominal" (Gradio's names)."""
    import pandas as pd

    if pd.api.types.is_bool_dtype(dtype):
        return "nominal"
    if pd.api.types.is_numeric_dtype(dtype):
        return "quantitative"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "temporal"
    return "nominal"


def plot_data(df: Any, mark: str) -> dict:
    """A pandas DataFrame → the wire ``PlotData`` dict (see the module docstring).

    Datetime columns become epoch milliseconds; other non-numeric columns are
    "nominal" (shown as categories). Raises ``TypeError`` for a non-DataFrame.
    """
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"a plot's value is a pandas DataFrame, got {type(df).__name__}")
    types = {str(c): _simple_type(df[c].dtype) for c in df.columns}
    out = df.copy(deep=False)
    for c in df.columns:
        if types[str(c)] == "temporal":  # epoch milliseconds (UTC), NaT → null
            col = df[c]
            if getattr(col.dt, "tz", None) is not None:
                col = col.dt.tz_convert("UTC").dt.tz_localize(None)
            ms = col.astype("datetime64[ms]").astype("int64")
            out[c] = ms.astype(object).where(col.notna(), None)
    split = json.loads(out.to_json(orient="split", index=False))
    return {"columns": [str(c) for c in split["columns"]], "data": split["data"],
            "datatypes": types, "mark": mark}


class NativePlot(Component):
    """Base of LinePlot, ScatterPlot and BarPlot (Gradio's "native plots").

    ``value``: a pandas ``DataFrame`` (or a function returning one), drawn
    with columns ``x`` (numbers, datetimes or strings/categories) and ``y``
    (numbers). ``color``: a column whose values split the data into coloured
    series (``color_map`` ``{series: css colour}`` fixes some colours;
    ``colors_in_legend`` limits the legend). ``title``, ``x_title``,
    ``y_title``, ``color_title``: titles (axis titles default to the column
    names). ``x_bin``: group x values into bins (a number for numeric x, a
    duration such as "10m", "1h", "1d" for datetime x) and aggregate y per
    bin and series with ``y_aggregate`` ("sum", "mean", "median", "min",
    "max", "count"; default "sum" when binning, and used for string x too).
    ``x_lim``/``y_lim``: ``[min, max]`` (either may be None; datetime x takes
    epoch milliseconds, as Gradio). ``sort``: order of string x values: "x",
    "y", "-x", "-y" or a list of the categories. ``tooltip``: "axis", "all",
    "none" or a list of extra columns shown on hover. ``height``: pixels.
    ``caption``: text under the chart. ``x_axis_labels_visible``: hide the x
    tick labels. ``buttons``: "fullscreen" and/or "export" (PNG download).
    ``value=fn, inputs=[...]``: ``fn(*inputs)`` computes the data when the
    demo loads and again whenever one of ``inputs`` changes.

    As an input ``fn`` receives the data as a pandas DataFrame (None when
    empty).

    Events: ``change``; ``select`` (the user dragged across the chart:
    ``SelectData.index`` and ``.value`` are ``[x_min, x_max]``, in epoch
    milliseconds for datetime x; clicking a bar of string x gives that
    category as ``.value`` and its position as ``.index``); ``double_click``
    (a double click on the chart, e.g. to reset ``x_lim``).

    .. versionchanged:: 0.1
       As an input, ``fn`` receives a DataFrame (Gradio: its ``PlotData``).
    """

    HEAVY = True
    MARK: ClassVar[str] = "line"
    _kind = t.Unicode("nativeplot").tag(sync=True)
    value = t.Dict(None, allow_none=True).tag(sync=True)
    x = t.Unicode(None, allow_none=True).tag(sync=True)
    y = t.Unicode(None, allow_none=True).tag(sync=True)
    color = t.Unicode(None, allow_none=True).tag(sync=True)
    title = t.Unicode(None, allow_none=True).tag(sync=True)
    x_title = t.Unicode(None, allow_none=True).tag(sync=True)
    y_title = t.Unicode(None, allow_none=True).tag(sync=True)
    color_title = t.Unicode(None, allow_none=True).tag(sync=True)
    x_bin = t.Union([t.Float(), t.Unicode()], default_value=None, allow_none=True).tag(sync=True)
    y_aggregate = t.Enum(_AGGREGATES, None, allow_none=True).tag(sync=True)
    color_map = t.Dict(None, allow_none=True).tag(sync=True)
    colors_in_legend = t.List(t.Unicode(), None, allow_none=True).tag(sync=True)
    x_lim = t.List(None, allow_none=True).tag(sync=True)
    y_lim = t.List(None, allow_none=True).tag(sync=True)
    x_axis_labels_visible = t.Bool(True).tag(sync=True)
    caption = t.Unicode(None, allow_none=True).tag(sync=True)
    sort = t.Union([t.Unicode(), t.List(t.Any())], default_value=None, allow_none=True).tag(sync=True)
    #: Gradio's ``tooltip`` (ipywidgets already has a trait of that name)
    hover_tooltip = t.Union([t.Unicode(), t.List(t.Unicode())], default_value="axis").tag(sync=True)
    height = t.Int(None, allow_none=True).tag(sync=True)
    buttons = t.List(t.Unicode()).tag(sync=True)
    mark = t.Unicode("line").tag(sync=True)

    change = EventListener("change", "Fires when the plot's data changes.")
    select = EventListener("select", "Fires when the user selects a range (drag) or a bar; "
                                     "SelectData.index is [x_min, x_max] or the bar's position.")
    double_click = EventListener("double_click", "Fires when the user double-clicks the chart.")

    def __init__(self, value: Any = None, x: str | None = None, y: str | None = None, *,
                 color: str | None = None, title: str | None = None, x_title: str | None = None,
                 y_title: str | None = None, color_title: str | None = None,
                 x_bin: str | float | None = None, y_aggregate: Aggregate | None = None,
                 color_map: dict[str, str] | None = None,
                 colors_in_legend: list[str] | None = None,
                 x_lim: list[float | None] | None = None, y_lim: list[float | None] | None = None,
                 x_label_angle: float = 0, y_label_angle: float = 0,
                 x_axis_format: str | None = None, y_axis_format: str | None = None,
                 x_axis_labels_visible: bool | Literal["hidden"] = True,
                 caption: str | None = None, sort: str | list[str] | None = None,
                 tooltip: str | list[str] = "axis", height: int | None = None,
                 container: bool = True, buttons: list[str] | None = None,
                 show_fullscreen_button: bool | None = None,
                 show_export_button: bool | None = None, inputs: Any = None,
                 **kw: Any) -> None:
        given = {"x_label_angle": x_label_angle != 0, "y_label_angle": y_label_angle != 0,
                 "x_axis_format": x_axis_format is not None, "y_axis_format": y_axis_format is not None}
        for name in _NOT_DRAWN:
            if given[name]:
                warnings.warn(f"{type(self).__name__}: nbdemo does not draw {name}= yet; it is ignored",
                              UserWarning, stacklevel=2)
        if y_aggregate is not None and y_aggregate not in _AGGREGATES:
            raise ValueError(f"y_aggregate must be one of {', '.join(_AGGREGATES)}, got {y_aggregate!r}")
        if isinstance(sort, str) and sort not in ("x", "y", "-x", "-y"):
            raise ValueError(f"sort must be 'x', 'y', '-x', '-y' or a list of categories, got {sort!r}")
        buttons = _buttons(buttons, show_fullscreen_button, show_export_button)
        self.container = container
        fn = None
        if callable(value) and inputs is not None:
            fn, value = value, None  # computed on load and whenever an input changes (below)
        elif inputs is not None:
            warnings.warn(f"{type(self).__name__}(inputs=...) is used only when value is a function; "
                          "ignored", UserWarning, stacklevel=2)
        super().__init__(value, x=x, y=y, color=color, title=title, x_title=x_title,
                         y_title=y_title, color_title=color_title, x_bin=x_bin,
                         y_aggregate=y_aggregate, color_map=color_map,
                         colors_in_legend=colors_in_legend,
                         x_lim=list(x_lim) if x_lim is not None else None,
                         y_lim=list(y_lim) if y_lim is not None else None,
                         x_axis_labels_visible=x_axis_labels_visible is True, caption=caption,
                         sort=list(sort) if isinstance(sort, tuple) else sort, hover_tooltip=tooltip,
                         height=height, buttons=buttons, mark=self.MARK, **kw)
        if fn is not None:
            self._listen_to_inputs(fn, inputs)

    def _listen_to_inputs(self, fn: Any, inputs: Any) -> None:
        """Gradio's ``value=fn, inputs=[...]``: ``fn(*inputs)`` when the demo
        loads and whenever one of the inputs changes."""
        root = context.root()
        if root is None:
            raise ValueError(f"{type(self).__name__}(value=fn, inputs=...) must be built inside a Blocks")
        ins, _ = _as_list(inputs)
        on([root.load, *(c.change for c in ins)], fn, inputs=ins, outputs=self,
           show_progress="hidden", api_name=False, show_api=False)

    def postprocess(self, value: Any) -> dict | None:
        """A pandas DataFrame (or a ``PlotData`` dict, or None) → the wire value.

        Raises ``TypeError`` for anything else, and ``ValueError`` naming the
        column when ``x``/``y``/``color`` is not a column of the DataFrame.
        """
        if value is None:
            return None
        if isinstance(value, dict) and "columns" in value and "data" in value:
            return {**value, "mark": self.MARK}
        data = plot_data(value, self.MARK)
        for arg in ("x", "y", "color"):
            col = getattr(self, arg)
            if col is not None and col not in data["columns"]:
                raise ValueError(f"{type(self).__name__}: {arg}={col!r} is not a column of the "
                                 f"DataFrame (columns: {', '.join(data['columns'])})")
        return data

    def preprocess(self, payload: Any) -> Any:
        """The wire value → a pandas DataFrame (datetime columns as ``datetime64[ms]``), or None."""
        if payload is None:
            return None
        import pandas as pd

        df = pd.DataFrame(payload["data"], columns=payload["columns"])
        for col, kind in (payload.get("datatypes") or {}).items():
            if kind == "temporal" and col in df:
                df[col] = pd.to_datetime(df[col], unit="ms")
        return df

    def validate_wire(self, payload: Any) -> Any:
        if payload is None:
            return None
        if not (isinstance(payload, dict) and isinstance(payload.get("columns"), list)
                and isinstance(payload.get("data"), list)):
            raise ValueError(f"{type(self).__name__} (id {self._id}): expected PlotData "
                             f"{{columns, data, datatypes}}, got {str(payload)[:80]!r}")
        return payload

    def example_value(self) -> Any:
        import pandas as pd

        return pd.DataFrame({self.x or "x": [1, 2, 3], self.y or "y": [4, 5, 6]})

    def api_info(self) -> dict[str, Any]:
        """JSON-schema-ish description of the wire value, for the HTTP API."""
        return {"type": "object", "description": "PlotData: {columns: [str], data: [[cell]], "
                "datatypes: {column: 'quantitative'|'temporal'|'nominal'}, mark: str}",
                "properties": {"columns": {"type": "array", "items": {"type": "string"}},
                               "data": {"type": "array", "items": {"type": "array"}},
                               "datatypes": {"type": "object"}, "mark": {"type": "string"}}}


def _buttons(buttons, fullscreen, export) -> list[str]:
    """Gradio 6's ``buttons=[...]`` (and Gradio 5's show_*_button) → a list of names."""
    out = []
    for b in buttons or []:
        if isinstance(b, str):
            if b in ("fullscreen", "export"):
                out.append(b)
            else:
                warnings.warn(f"plot buttons are 'fullscreen' and 'export'; {b!r} is not shown",
                              UserWarning, stacklevel=4)
        else:
            raise NotImplementedError("nbdemo plots take the button names 'fullscreen' and "
                                      "'export'; custom gr.Button toolbar buttons are not supported yet")
    if fullscreen and "fullscreen" not in out:
        out.append("fullscreen")
    if export and "export" not in out:
        out.append("export")
    return out


class LinePlot(NativePlot):
    """A line chart of a DataFrame (one line per ``color`` series). See :class:`NativePlot`."""

    MARK = "line"


class ScatterPlot(NativePlot):
    """A scatter chart of a DataFrame (points, coloured by ``color``). See :class:`NativePlot`."""

    MARK = "point"


class BarPlot(NativePlot):
    """A bar chart of a DataFrame (bars side by side per ``color`` series). See :class:`NativePlot`."""

    MARK = "bar"
