"""Dataframe: a table shown read-only or edited cell by cell. pandas and NumPy load lazily."""

from __future__ import annotations

import datetime as _dt
import decimal
import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import traitlets as t

from ..errors import Error
from ..events import EventListener
from .base import Component

DataframeType = Literal["pandas", "numpy", "array"]
DATATYPES = ("str", "number", "bool", "date", "markdown", "html")
_TRUE = {"true", "t", "yes", "y", "1", "on"}
_FALSE = {"false", "f", "no", "n", "0", "off", ""}


def _count(value: Any, name: str, default: int) -> list:
    """Gradio's ``row_count``/``col_count``: an int, or ``(n, "dynamic"|"fixed")``."""
    if value is None:
        return [default, "dynamic"]
    if isinstance(value, bool):
        raise ValueError(f"Dataframe: {name} must be an int or (int, 'dynamic'|'fixed'), got {value!r}")
    if isinstance(value, int):
        return [value, "dynamic"]
    if isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 2 \
            and isinstance(value[0], int) and value[1] in ("dynamic", "fixed"):
        return [int(value[0]), value[1]]
    raise ValueError(f"Dataframe: {name} must be an int or (int, 'dynamic'|'fixed'), got {value!r}")


def _limited(count: Any, limits: Any, name: str) -> Any:
    """A count with Gradio 6's ``row_limits``/``column_limits``: ``(n, n)`` makes
    the count n, "fixed" (the user cannot add more); other limits warn, naming
    themselves, and are not enforced."""
    if limits is None:
        return count
    if not (isinstance(limits, (tuple, list)) and len(limits) == 2):
        raise ValueError(f"Dataframe: {name} is (min, max), got {limits!r}")
    low, high = limits
    if low is not None and low == high:
        return (int(low), "fixed")
    warnings.warn(f"nbdemo's Dataframe() does not enforce {name}={tuple(limits)!r} yet (only "
                  "(n, n), a fixed count); ignored", UserWarning, stacklevel=4)
    return count


def cell(v: Any) -> Any:
    """One value → a JSON-safe cell: None, bool, int, finite float or str.

    NaN, inf, ``None``, ``pandas.NA`` and ``NaT`` become None; NumPy scalars
    become Python numbers; datetimes, dates and times become ISO 8601 strings;
    ``Decimal`` becomes float; bytes are decoded as UTF-8; anything else is ``str()``.
    """
    if v is None or isinstance(v, (str, bool)):
        return str(v) if isinstance(v, str) and type(v) is not str else v
    if isinstance(v, int):
        return int(v)
    if isinstance(v, float):  # numpy.float64 is a float
        return float(v) if math.isfinite(v) else None
    if isinstance(v, (_dt.datetime, _dt.date, _dt.time)):  # pandas.Timestamp is a datetime
        try:
            return None if v != v else v.isoformat()  # NaT != NaT
        except (TypeError, ValueError):
            return None
    kind = type(v).__name__
    if kind in ("NAType", "NaTType"):
        return None
    if kind == "datetime64":  # a NumPy datetime64 scalar (its .item() may be an int of ns)
        item = v.astype("datetime64[us]").item()
        return item.isoformat() if item is not None else None
    if isinstance(v, decimal.Decimal):
        return cell(float(v))
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).decode("utf-8", "replace")
    if type(v).__module__ == "numpy" and hasattr(v, "item"):  # numpy ints, bools, …
        return cell(v.item())
    if isinstance(v, _dt.timedelta) or kind == "Timedelta":
        return str(v)
    return str(v)


def _number(v: Any) -> int | float | None:
    if v is None or isinstance(v, bool):
        return None if v is None else int(v)
    if isinstance(v, (int, float)):
        return v if not isinstance(v, float) or math.isfinite(v) else None
    s = str(v).strip().replace(",", "") if isinstance(v, str) else ""
    if not s:
        return None
    try:
        return int(s)
    except ValueError:
        pass
    try:
        f = float(s)
    except ValueError:
        return None
    return f if math.isfinite(f) else None


def _bool(v: Any) -> bool | None:
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return bool(v)
    s = str(v).strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False if s else None
    return None


def coerce(v: Any, datatype: str | None) -> Any:
    """A JSON-safe cell converted to ``datatype`` for the wire (None: leave as is).

    number: int or float (None when it does not parse); bool: True/False
    ("true", "yes", "1", … parse); str, markdown, html, date: ``str`` (None stays None).
    """
    if datatype is None or v is None:
        return v
    if datatype == "number":
        return _number(v)
    if datatype == "bool":
        return _bool(v)
    return v if isinstance(v, str) else str(v)


class Dataframe(Component):
    """A table: an input the user edits cell by cell, or an output.

    The wire value is ``{"headers": [str, ...], "data": [[cell, ...], ...]}``
    where each cell is None, bool, int, float or str (NaN and inf travel as
    null, NumPy scalars as numbers, datetimes as ISO 8601 strings).

    What ``fn`` receives, by ``type``:

    - "pandas" (default): a ``pandas.DataFrame`` whose columns are named by the
      headers (a default RangeIndex), with dtypes per ``datatype``: "number" →
      int64 or float64 (missing or unparsable → NaN), "bool" → bool (object
      when a cell is empty), "date" → datetime64 (unparsable → NaT),
      "str"/"markdown"/"html" → object holding ``str`` (or None). Columns without a
      datatype keep the types pandas infers from the cells (in the page, a
      column whose cells are all numbers accepts only numbers or empty cells).
    - "numpy": a 2-D ``np.ndarray``: float64 (missing → NaN) when every column
      is numeric, else dtype object holding the pandas values.
    - "array": a ``list`` of rows, each a ``list`` of cells coerced per
      ``datatype`` (numbers as int/float or None, bools, dates as ISO strings).

    ``fn`` may return a ``pandas.DataFrame`` (its index is not shown; call
    ``reset_index()`` to show it), a pandas ``Styler`` (its data), a 2-D
    ``np.ndarray``, a list of rows (a flat list is one row), a dict of
    columns ``{name: [values]}``, the wire dict, or None (an empty table with
    the headers). Values without headers take ``headers``, then "1", "2", ….

    ``headers``: column names. ``datatype``: one of "str", "number", "bool",
    "date", "markdown" (rendered, sanitized), "html" (sanitized) for every
    column, or a list with one per column. ``row_count``/``col_count``:
    ``(n, "dynamic")`` lets the user add rows/columns, ``(n, "fixed")`` does not;
    ``n`` is the size of the empty table shown when there is no value.
    ``show_search="search"``: a search box above the table that shows only the
    rows containing its text (case-insensitive; the view only, as sorting:
    the value and ``fn`` keep every row); "filter" does the same (Gradio also
    adds per-column filter buttons: a warning says they are missing).
    Gradio 6's spellings work too: ``column_count`` (for ``col_count``), and
    ``row_limits``/``column_limits`` ``(n, n)`` for a fixed count (other limits
    warn: neither Gradio nor nbdemo enforces them yet).
    ``max_height``: pixels (or CSS length) before the table scrolls.
    ``wrap``: wrap long cells instead of cutting them off. ``column_widths``:
    pixels or CSS widths per column. ``show_row_numbers``: a leading column of
    row numbers. Large tables are shown 100 rows per page; sorting by a
    header changes the view only, never the value.

    Events: change, input (the user edited a cell or added a row/column),
    select (``SelectData.index`` is ``[row, col]``, ``.value`` the cell),
    edit (the user changed a cell; ``gr.EditData.index`` is ``[row, col]``,
    ``.value`` the new value and ``.previous_value`` the old one).

    .. versionchanged:: 0.1
       ``datatype`` defaults to None ("use the cells' own types"), not Gradio's
       "str": with "str" a number the user types reaches ``fn`` as a string.
    """

    HEAVY = True
    _kind = t.Unicode("dataframe").tag(sync=True)
    value = t.Dict(None, allow_none=True).tag(sync=True)
    headers = t.List(t.Unicode(), None, allow_none=True).tag(sync=True)
    datatype = t.Union([t.Unicode(), t.List(t.Unicode(allow_none=True))], default_value=None,
                       allow_none=True).tag(sync=True)
    row_count = t.List([1, "dynamic"]).tag(sync=True)
    col_count = t.List([3, "dynamic"]).tag(sync=True)
    #: "search": a box above the table; rows shown contain its text (the view only)
    show_search = t.Enum(["none", "search", "filter"], "none").tag(sync=True)
    type = t.Enum(["pandas", "numpy", "array"], "pandas").tag(sync=True)
    max_height = t.Union([t.Int(), t.Unicode()], default_value=500, allow_none=True).tag(sync=True)
    wrap = t.Bool(False).tag(sync=True)
    column_widths = t.List(t.Union([t.Int(), t.Unicode()]), None, allow_none=True).tag(sync=True)
    show_row_numbers = t.Bool(False).tag(sync=True)

    change = EventListener("change", "Fires when the table changes, by the user or by a function.")
    input = EventListener("input", "Fires when the user edits a cell or adds a row or column.")
    select = EventListener("select", "Fires when the user clicks a cell; SelectData.index is [row, col].")
    edit = EventListener("edit", "Fires when the user changes a cell; fn gets EditData.")

    def __init__(self, value: Any = None, *, headers: list[str] | None = None,
                 row_count: int | tuple[int, str] = (1, "dynamic"),
                 col_count: int | tuple[int, str] | None = None,
                 datatype: str | list[str] | None = None, type: DataframeType = "pandas",
                 max_height: int | str | None = 500, wrap: bool = False,
                 column_widths: list[int | str] | None = None, show_row_numbers: bool = False,
                 column_count: int | None = None,
                 show_search: Literal["none", "search", "filter"] = "none",
                 row_limits: tuple[int | None, int | None] | None = None,
                 column_limits: tuple[int | None, int | None] | None = None,
                 **kw: Any) -> None:
        if headers is not None:
            headers = [str(h) for h in headers]
        # Gradio 6: column_count is col_count's new name; limits (min, max) equal to
        # the count fix it; other limits are not enforced (Gradio does not either)
        if column_count is not None:
            col_count = column_count
        if show_search not in ("none", "search", "filter"):
            raise ValueError(f"Dataframe: show_search must be 'none', 'search' or 'filter', got {show_search!r}")
        if show_search == "filter":
            warnings.warn("nbdemo's Dataframe(show_search='filter') shows the search box without "
                          "Gradio's per-column filter buttons yet", UserWarning, stacklevel=3)
        row_count = _limited(row_count, row_limits, "row_limits")
        col_count = _limited(col_count, column_limits, "column_limits")
        rows = _count(row_count, "row_count", 1)
        cols = _count(col_count, "col_count", len(headers) if headers else 3)
        _check_datatype(datatype)
        if type not in ("pandas", "numpy", "array"):
            raise ValueError(f"Dataframe: type must be 'pandas', 'numpy' or 'array', got {type!r}")
        self.CLEAR_VALUE = _empty(headers, rows[0], cols[0], datatype)
        super().__init__(value, headers=headers, row_count=rows, col_count=cols,
                         datatype=datatype, type=type, max_height=max_height, wrap=wrap,
                         column_widths=column_widths, show_row_numbers=show_row_numbers,
                         show_search=show_search, **kw)

    @t.validate("row_count")
    def _v_rows(self, proposal):
        return _count(proposal["value"], "row_count", 1)

    @t.validate("col_count")
    def _v_cols(self, proposal):
        return _count(proposal["value"], "col_count", 3)

    @t.validate("datatype")
    def _v_datatype(self, proposal):
        _check_datatype(proposal["value"])
        return proposal["value"]

    # -- datatypes ------------------------------------------------------------------
    def _dtypes(self, n: int) -> list[str | None]:
        dt = self.datatype
        if dt is None or isinstance(dt, str):
            return [dt] * n
        return [dt[i] if i < len(dt) else None for i in range(n)]

    def _headers_for(self, n: int) -> list[str]:
        given = list(self.headers or [])[:n]
        return given + [str(i + 1) for i in range(len(given), n)]

    # -- values ---------------------------------------------------------------------
    def postprocess(self, value: Any) -> dict:
        """What ``fn`` returned → ``{"headers": [...], "data": [[...]]}`` (see the class doc)."""
        if value is None:
            return self.clear_value()
        headers, rows = _table(value, self._headers_for)
        dtypes = self._dtypes(len(headers))
        if any(d is not None for d in dtypes):
            rows = [[coerce(c, dtypes[j] if j < len(dtypes) else None) for j, c in enumerate(r)]
                    for r in rows]
        return {"headers": headers, "data": rows}

    def validate_wire(self, payload: Any) -> dict:
        """A table sent by the page: headers are strings, rows lists of JSON scalars.

        Rows shorter than the headers are padded with None; longer ones are an
        error. Raises ``ValueError`` naming the first bad part.
        """
        what = f"Dataframe (id {self._id})"
        if payload is None:
            return self.clear_value()
        if not isinstance(payload, dict) or not isinstance(payload.get("headers"), list) \
                or not isinstance(payload.get("data"), list):
            raise ValueError(f"{what}: expected {{'headers': [...], 'data': [[...]]}}, got {str(payload)[:80]!r}")
        headers = payload["headers"]
        if not all(isinstance(h, str) for h in headers):
            raise ValueError(f"{what}: every header must be a string")
        n = len(headers)
        data = []
        for i, row in enumerate(payload["data"]):
            if not isinstance(row, list) or len(row) > n:
                raise ValueError(f"{what}: row {i + 1} must be a list of at most {n} cells")
            for c in row:
                if not (c is None or isinstance(c, (str, bool, int))
                        or (isinstance(c, float) and math.isfinite(c))):
                    raise ValueError(f"{what}: row {i + 1} holds {c!r:.40}; cells are "
                                     "text, numbers, booleans or null")
            data.append(row + [None] * (n - len(row)))
        return {"headers": list(headers), "data": data}

    def preprocess(self, payload: Any) -> Any:
        """The wire table → a DataFrame, ndarray or list of rows (see the class doc)."""
        if payload is None:
            payload = self.clear_value()
        headers = list(payload.get("headers") or [])
        dtypes = self._dtypes(len(headers))
        rows = [[coerce(c, dtypes[j] if j < len(dtypes) else None) for j, c in enumerate(r)]
                for r in payload.get("data") or []]
        if self.type == "array":
            return rows
        df = _to_pandas(headers, rows, dtypes)
        if self.type == "pandas":
            return df
        import numpy as np

        if len(df.columns) and all(d == "number" or (d is None and df.iloc[:, j].dtype.kind in "iuf")
                                   for j, d in enumerate(dtypes)):
            return df.to_numpy(dtype=np.float64, na_value=np.nan)
        if not len(df.columns):
            return np.empty((len(rows), 0), dtype=np.float64)
        return df.to_numpy(dtype=object)

    def example_value(self) -> Any:
        return self.preprocess(self.value)


def _check_datatype(dt: Any) -> None:
    items = [dt] if dt is None or isinstance(dt, str) else dt
    if not isinstance(items, (list, tuple)):
        raise ValueError(f"Dataframe: datatype must be a str or a list of str, got {dt!r}")
    for d in items:
        if d is not None and d not in DATATYPES:
            raise ValueError(f"Dataframe: unknown datatype {d!r}; use one of {', '.join(DATATYPES)}")


def _empty(headers: list[str] | None, rows: int, cols: int, datatype: Any) -> dict:
    cols = len(headers) if headers else cols
    headers = list(headers or [str(i + 1) for i in range(cols)])
    dts = [datatype] * cols if datatype is None or isinstance(datatype, str) else \
        [datatype[i] if i < len(datatype) else None for i in range(cols)]
    blank = {"number": None, "bool": False}
    return {"headers": headers, "data": [[blank.get(d, "") for d in dts] for _ in range(rows)]}


def _table(value: Any, headers_for) -> tuple[list[str], list[list]]:
    """Any accepted table value → (headers, JSON-safe rows)."""
    kind = type(value).__name__
    module = type(value).__module__ or ""
    if module.startswith("pandas") and kind == "Styler":
        value = value.data
        kind, module = type(value).__name__, type(value).__module__ or ""
    if module.startswith("pandas") and kind == "Series":
        value = value.to_frame()
        kind = "DataFrame"
    if module.startswith("pandas") and kind == "DataFrame":
        headers = [str(c) if not isinstance(c, tuple) else " / ".join(map(str, c))
                   for c in value.columns]
        cols = []
        for j in range(value.shape[1]):
            col = value.iloc[:, j]
            if col.dtype.kind == "M":  # datetime64: Timestamps, NaT → None
                col = col.astype(object)
            cols.append([cell(v) for v in col.tolist()])
        return headers, [list(r) for r in zip(*cols)] if cols else [[] for _ in range(len(value))]
    if isinstance(value, Mapping):
        if "data" in value and ("headers" in value or set(value) <= {"data", "headers", "metadata"}):
            data = value.get("data") or []
            rows = _rows(data)
            headers = [str(h) for h in value.get("headers") or []] or headers_for(_width(rows))
            return headers, _pad(rows, len(headers))
        # a dict of columns
        headers = [str(k) for k in value]
        cols = [list(v) if isinstance(v, Sequence) and not isinstance(v, str) or hasattr(v, "tolist")
                else [v] for v in value.values()]
        cols = [c.tolist() if hasattr(c, "tolist") else c for c in cols]
        n = max((len(c) for c in cols), default=0)
        rows = [[cell(c[i]) if i < len(c) else None for c in cols] for i in range(n)]
        return headers, rows
    if module == "numpy" and kind == "ndarray":
        if value.ndim == 1:
            value = value.reshape(1, -1)
        elif value.ndim != 2:
            raise ValueError(f"Dataframe: expected a 2-D array, got shape {value.shape}")
        if value.dtype.kind == "M":
            value = value.astype("datetime64[us]")
        rows = [[cell(c) for c in r] for r in value.tolist()]
        return headers_for(value.shape[1]), rows
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        rows = _rows(value)
        return headers_for(_width(rows)), _pad(rows, _width(rows))
    raise Error(f"Dataframe cannot show a {kind}; return a pandas DataFrame, a 2-D NumPy "
                "array or a list of rows")


def _rows(data: Any) -> list[list]:
    data = list(data)
    if data and not any(isinstance(r, (list, tuple)) or hasattr(r, "tolist") for r in data):
        data = [data]  # a flat list is one row (as in Gradio)
    out = []
    for r in data:
        if hasattr(r, "tolist"):
            r = r.tolist()
        out.append([cell(c) for c in (r if isinstance(r, (list, tuple)) else [r])])
    return out


def _width(rows: list[list]) -> int:
    return max((len(r) for r in rows), default=0)


def _pad(rows: list[list], n: int) -> list[list]:
    return [r[:n] + [None] * (n - len(r)) for r in rows]


def _to_pandas(headers: list[str], rows: list[list], dtypes: list[str | None]):
    import pandas as pd

    df = pd.DataFrame(rows, columns=headers) if rows else pd.DataFrame(columns=headers)
    for j, d in enumerate(dtypes):
        if d is None and not rows:
            continue
        col = df.iloc[:, j]
        if d == "number":
            col = pd.to_numeric(col, errors="coerce")
        elif d == "bool":
            col = col.astype(bool) if col.notna().all() else col.astype(object)
        elif d == "date":
            col = _dates(col) if rows else col.astype("datetime64[ns]")
        elif d in ("str", "markdown", "html"):
            col = col.astype(object).where(col.notna(), None)
        elif d is None:
            col = col.infer_objects()
        df.isetitem(j, col)
    return df


def _dates(col):
    import pandas as pd

    try:
        return pd.to_datetime(col, errors="coerce", format="mixed")
    except TypeError:  # pandas < 2 has no format="mixed"
        return pd.to_datetime(col, errors="coerce")
