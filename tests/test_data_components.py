"""Unit tests for the data components: Dataframe (every ``type=``, JSON safety,
datatype coercion, headers, counts, wire validation), Plot (matplotlib to SVG,
PNG, WebP and JPEG; plotly when installed), HighlightedText (pairs, entities,
combine_adjacent), Code and ColorPicker. Files land in a real FileStore;
nothing is mocked."""

from __future__ import annotations

import asyncio
import datetime
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

import nbdemo as gr
from nbdemo import files
from nbdemo.components import from_shortcut
from nbdemo.components.dataframe import cell, coerce
from nbdemo.engine import Engine, Session
from nbdemo.files import FileStore

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def store():
    s = FileStore()
    with files.using(s):
        yield s
    s.close()


def wire_json(value) -> str:
    """The value as the server would send it: strict JSON (no NaN/inf)."""
    return json.dumps(value, allow_nan=False)


# -- Dataframe: values to the wire ---------------------------------------------------------


def test_dataframe_from_pandas_is_json_safe_nan_inf_numpy_datetimes():
    df = pd.DataFrame({
        "n": [1.5, np.nan, np.inf],
        "i": np.array([1, 2, 3], dtype=np.int64),
        "when": pd.to_datetime(["2024-01-02 03:04:05", None, "2024-12-31 00:00:00"]),
        "s": ["a", None, "c"],
        "b": [True, False, True],
        "ni": pd.array([1, None, 3], dtype="Int64"),
    })
    v = gr.Dataframe(df).value
    wire_json(v)  # raises on NaN/inf or numpy objects
    assert v["headers"] == ["n", "i", "when", "s", "b", "ni"]
    assert v["data"][0] == [1.5, 1, "2024-01-02T03:04:05", "a", True, 1]
    assert v["data"][1] == [None, 2, None, None, False, None]
    assert v["data"][2][0] is None  # inf
    assert type(v["data"][0][1]) is int and type(v["data"][0][4]) is bool


@pytest.mark.parametrize("value, expected", [
    (np.float64("nan"), None), (float("-inf"), None), (np.int32(7), 7), (np.bool_(False), False),
    (np.float32(2.5), 2.5), (np.str_("x"), "x"), (np.datetime64("2024-03-01"), "2024-03-01T00:00:00"),
    (np.datetime64("NaT"), None), (pd.NaT, None), (pd.NA, None), (None, None),
    (datetime.date(2024, 5, 6), "2024-05-06"), (datetime.datetime(2024, 5, 6, 7, 8), "2024-05-06T07:08:00"),
    (pd.Timestamp("2024-01-01 10:00"), "2024-01-01T10:00:00"), (b"caf\xc3\xa9", "café"),
    (__import__("decimal").Decimal("1.25"), 1.25), ({"a": 1}, "{'a': 1}"),
])
def test_cell_conversion(value, expected):
    out = cell(value)
    assert out == expected and type(out) is type(expected)


def test_dataframe_from_numpy_array_and_list_of_lists_uses_headers_then_numbers():
    d = gr.Dataframe(np.arange(6).reshape(2, 3), headers=["x", "y"])
    assert d.value == {"headers": ["x", "y", "3"], "data": [[0, 1, 2], [3, 4, 5]]}
    d2 = gr.Dataframe([[1, "a"], [2, "b", "extra"]])
    assert d2.value == {"headers": ["1", "2", "3"], "data": [[1, "a", None], [2, "b", "extra"]]}


def test_dataframe_numpy_float_nan_and_datetime_arrays():
    v = gr.Dataframe(np.array([[1.0, np.nan], [np.inf, -2.5]])).value
    assert v["data"] == [[1.0, None], [None, -2.5]]
    v = gr.Dataframe(np.array([["2024-01-01", "NaT"]], dtype="datetime64[ns]")).value
    assert v["data"] == [["2024-01-01T00:00:00", None]]


def test_dataframe_flat_list_is_one_row_and_dict_of_columns():
    assert gr.Dataframe([1, 2, 3]).value["data"] == [[1, 2, 3]]
    v = gr.Dataframe({"a": [1, 2], "b": np.array([0.5, np.nan])}).value
    assert v == {"headers": ["a", "b"], "data": [[1, 0.5], [2, None]]}


def test_dataframe_columns_of_a_dataframe_win_over_headers_and_index_is_dropped():
    df = pd.DataFrame({"a": [1, 2]}, index=["r1", "r2"])
    v = gr.Dataframe(df, headers=["ignored"]).value
    assert v == {"headers": ["a"], "data": [[1], [2]]}


def test_dataframe_series_and_multiindex_columns():
    assert gr.Dataframe(pd.Series([1, 2], name="s")).value == {"headers": ["s"], "data": [[1], [2]]}
    df = pd.DataFrame([[1, 2]], columns=pd.MultiIndex.from_tuples([("a", "x"), ("a", "y")]))
    assert gr.Dataframe(df).value["headers"] == ["a / x", "a / y"]


def test_dataframe_empty_value_from_headers_counts_and_datatype():
    assert gr.Dataframe().value == {"headers": ["1", "2", "3"], "data": [["", "", ""]]}
    d = gr.Dataframe(headers=["a", "b"], row_count=(2, "fixed"), datatype=["number", "bool"])
    assert d.value == {"headers": ["a", "b"], "data": [[None, False], [None, False]]}
    assert d.row_count == [2, "fixed"] and d.col_count == [2, "dynamic"]
    assert gr.Dataframe(col_count=(4, "fixed"), row_count=0).value == {"headers": ["1", "2", "3", "4"], "data": []}
    assert gr.Dataframe(headers=["a"]).postprocess(None) == {"headers": ["a"], "data": [[""]]}


@pytest.mark.parametrize("kw", [{"row_count": "many"}, {"col_count": (2, "elastic")},
                                {"datatype": "float"}, {"datatype": ["str", "nope"]},
                                {"type": "polars"}, {"row_count": True}])
def test_dataframe_rejects_bad_options(kw):
    with pytest.raises(ValueError, match="Dataframe"):
        gr.Dataframe(**kw)


def test_dataframe_rejects_other_objects_and_3d_arrays():
    with pytest.raises(gr.Error, match="Dataframe cannot show"):
        gr.Dataframe().postprocess(object())
    with pytest.raises(ValueError, match="2-D"):
        gr.Dataframe().postprocess(np.zeros((2, 2, 2)))


# -- Dataframe: round trips per type ---------------------------------------------------------


def test_dataframe_pandas_round_trip_keeps_values_and_dtypes():
    df = pd.DataFrame({"name": ["ada", "bob"], "score": [1.5, 2.0], "n": [3, 4], "ok": [True, False]})
    d = gr.Dataframe(df)
    out = d.preprocess(json.loads(wire_json(d.value)))  # through JSON, as over the wire
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["name", "score", "n", "ok"]
    assert out["score"].dtype == np.float64 and out["n"].dtype == np.int64 and out["ok"].dtype == bool
    assert out["name"].tolist() == ["ada", "bob"]
    assert out.equals(df.astype({"name": out["name"].dtype}))


def test_dataframe_pandas_nan_comes_back_as_nan_and_dates_as_datetime64():
    df = pd.DataFrame({"x": [1.0, np.nan], "when": pd.to_datetime(["2024-01-01", None])})
    d = gr.Dataframe(df, datatype=["number", "date"])
    out = d.preprocess(d.value)
    assert np.isnan(out["x"][1]) and out["x"][0] == 1.0
    assert out["when"].dtype.kind == "M"
    assert out["when"][0] == pd.Timestamp("2024-01-01") and pd.isna(out["when"][1])


def test_dataframe_numpy_round_trip():
    arr = np.array([[1.0, 2.5], [np.nan, 4.0]])
    d = gr.Dataframe(arr, type="numpy")
    out = d.preprocess(d.value)
    assert isinstance(out, np.ndarray) and out.dtype == np.float64 and out.shape == (2, 2)
    np.testing.assert_array_equal(out, arr)


def test_dataframe_numpy_mixed_columns_give_an_object_array():
    d = gr.Dataframe([["a", 1], ["b", 2]], type="numpy")
    out = d.preprocess(d.value)
    assert out.dtype == object and out.shape == (2, 2) and out[1, 0] == "b" and out[1, 1] == 2


def test_dataframe_array_round_trip():
    rows = [[1, "x", True], [2.5, None, False]]
    d = gr.Dataframe(rows, type="array", headers=["a", "b", "c"])
    assert d.preprocess(d.value) == rows


def test_dataframe_empty_tables_for_every_type():
    d = gr.Dataframe(headers=["a", "b"], row_count=0)
    assert d.preprocess(d.value).shape == (0, 2)
    assert gr.Dataframe(headers=["a", "b"], row_count=0, type="numpy").preprocess(None).shape == (0, 2)
    assert gr.Dataframe(headers=["a"], row_count=0, type="array").preprocess(None) == []


# -- Dataframe: datatype coercion ---------------------------------------------------------------


def test_dataframe_datatype_coerces_what_the_page_sends():
    d = gr.Dataframe(headers=["n", "b", "s", "d"], datatype=["number", "bool", "str", "date"])
    payload = {"headers": ["n", "b", "s", "d"],
               "data": [["1,250", "yes", 7, "2024-02-03"], ["oops", "false", None, "not a date"],
                        [" 2.5 ", "", "x", None]]}
    payload = d.validate_wire(payload)
    df = d.preprocess(payload)
    assert df["n"].dtype == np.float64
    assert df["n"][0] == 1250 and np.isnan(df["n"][1]) and df["n"][2] == 2.5
    assert df["b"].tolist() == [True, False, None]
    assert df["s"].tolist() == ["7", None, "x"]
    assert df["d"].dtype.kind == "M" and df["d"][0] == pd.Timestamp("2024-02-03") and pd.isna(df["d"][1])
    arr = gr.Dataframe(headers=["n", "b"], datatype=["number", "bool"], type="array").preprocess(
        {"headers": ["n", "b"], "data": [["3", "TRUE"], ["x", 0]]})
    assert arr == [[3, True], [None, False]]


def test_dataframe_datatype_applies_to_outputs_too():
    v = gr.Dataframe([["1", 2, 1]], datatype=["number", "str", "bool"]).value
    assert v["data"] == [[1, "2", True]]


@pytest.mark.parametrize("v, dt, out", [("3", "number", 3), ("3.5", "number", 3.5), ("", "number", None),
                                         ("inf", "number", None), (True, "number", 1), ("no", "bool", False),
                                         ("maybe", "bool", None), (5, "str", "5"), (5, None, 5),
                                         (None, "str", None), (1.5, "markdown", "1.5")])
def test_coerce(v, dt, out):
    assert coerce(v, dt) == out and type(coerce(v, dt)) is type(out)


def test_dataframe_without_datatype_keeps_types_pandas_infers():
    d = gr.Dataframe(pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}))
    edited = {"headers": ["a", "b"], "data": [[10, "x"], [2, "y"]]}  # a number typed into "a"
    df = d.preprocess(d.validate_wire(edited))
    assert df["a"].dtype == np.int64 and df["a"].tolist() == [10, 2]


# -- Dataframe: wire validation -------------------------------------------------------------------


@pytest.mark.parametrize("bad", [
    [[1, 2]], "table", {"headers": ["a"]}, {"headers": [1], "data": []},
    {"headers": ["a"], "data": [[1, 2]]}, {"headers": ["a"], "data": [[{"x": 1}]]},
    {"headers": ["a"], "data": [[float("nan")]]}, {"headers": ["a"], "data": [["ok"], "row"]},
    {"headers": ["a"], "data": [[[1]]]},
])
def test_dataframe_validate_wire_rejects(bad):
    with pytest.raises(ValueError, match="Dataframe"):
        gr.Dataframe().validate_wire(bad)


def test_dataframe_validate_wire_pads_short_rows_and_keeps_values():
    d = gr.Dataframe(headers=["a", "b"])
    assert d.validate_wire({"headers": ["a", "b"], "data": [[1], ["x", True]]}) == \
        {"headers": ["a", "b"], "data": [[1, None], ["x", True]]}
    assert d.validate_wire(None) == d.clear_value()


def test_dataframe_large_table_postprocess():
    df = pd.DataFrame({"i": np.arange(100_000), "x": np.linspace(0, 1, 100_000)})
    v = gr.Dataframe().postprocess(df)
    assert len(v["data"]) == 100_000 and v["data"][-1] == [99_999, 1.0]


def test_dataframe_in_the_engine_fn_gets_a_dataframe_and_returns_one():
    with gr.Blocks() as demo:
        table = gr.Dataframe(pd.DataFrame({"a": [1, 2, 3]}))
        out = gr.Dataframe()
        btn = gr.Button()
        btn.click(lambda df: df[df["a"] > 1] * 10, table, out)
    engine = Engine(demo)

    class S(Session):
        def emit(self, msg):
            pass

    async def main():
        s = S(engine)
        engine.trigger(s, btn._id, "click")
        while s.tasks:
            await asyncio.gather(*list(s.tasks))
        return s

    s = asyncio.run(main())
    assert s.get_value(out) == {"headers": ["a"], "data": [[20], [30]]}
    s.close()


# -- Plot ---------------------------------------------------------------------------------------


def figure(title: str = "plot"):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot()
    ax.plot([0, 1, 2], [1, 3, 2])
    ax.set_title(title)
    return fig


def plot_bytes(value: dict) -> bytes:
    return files.resolve(value["plot"]).read_bytes()


def test_plot_matplotlib_to_svg_by_default(store):
    v = gr.Plot().postprocess(figure())
    assert v["type"] == "matplotlib" and v["format"] == "svg"
    assert v["plot"]["mime_type"] == "image/svg+xml" and v["plot"]["orig_name"] == "plot.svg"
    data = plot_bytes(v)
    body = data[data.index(b"<svg"):]
    assert body.startswith(b"<svg")
    assert ET.fromstring(data).tag.endswith("svg")
    wire_json(v)


def test_plot_svg_carries_no_script_even_from_hostile_text(store):
    data = plot_bytes(gr.Plot().postprocess(figure('<script>alert("x")</script><img onerror=alert(1)>')))
    root = ET.fromstring(data)
    tags = {el.tag.rsplit("}", 1)[-1].lower() for el in root.iter()}
    assert "script" not in tags and "img" not in tags and "foreignobject" not in tags
    assert not [a for el in root.iter() for a in el.attrib if a.lower().startswith("on")]


@pytest.mark.parametrize("fmt, magic", [("png", PNG_MAGIC), ("jpeg", b"\xff\xd8\xff"), ("jpg", b"\xff\xd8\xff")])
def test_plot_matplotlib_raster_formats(store, fmt, magic):
    v = gr.Plot(format=fmt).postprocess(figure())
    assert plot_bytes(v).startswith(magic)


def test_plot_webp(store):
    data = plot_bytes(gr.Plot(format="webp").postprocess(figure()))
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def test_plot_png_dpi_sets_the_size(store):
    from PIL import Image as PILImage

    small = PILImage.open(files.resolve(gr.Plot(format="png", dpi=50).postprocess(figure())["plot"]))
    large = PILImage.open(files.resolve(gr.Plot(format="png", dpi=150).postprocess(figure())["plot"]))
    assert large.width > 2 * small.width


def test_plot_accepts_axes_and_none(store):
    fig = figure()
    v = gr.Plot().postprocess(fig.axes[0])
    assert v["type"] == "matplotlib"
    assert gr.Plot().postprocess(None) is None


def test_plot_closes_pyplot_figures_and_keeps_the_backend(store):
    import matplotlib
    import matplotlib.pyplot as plt

    backend = matplotlib.get_backend()
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [1, 2])
    assert plt.fignum_exists(fig.number)
    v = gr.Plot(format="png").postprocess(fig)
    assert plot_bytes(v).startswith(PNG_MAGIC)
    assert not plt.fignum_exists(fig.number)
    assert matplotlib.get_backend() == backend


def test_plot_rejects_other_objects(store):
    with pytest.raises(gr.Error, match="matplotlib"):
        gr.Plot().postprocess([1, 2, 3])
    with pytest.raises(ValueError, match="format"):
        gr.Plot(format="gif")


def test_plot_validate_wire_knows_only_this_sessions_files(store):
    p = gr.Plot()
    v = p.postprocess(figure())
    assert p.validate_wire(v)["plot"]["id"] == v["plot"]["id"]
    with pytest.raises(ValueError, match="Plot"):
        p.validate_wire({"type": "matplotlib", "plot": {"_file": True, "id": "nope"}})
    with pytest.raises(ValueError, match="Plot"):
        p.validate_wire({"type": "bokeh", "plot": v["plot"]})


def test_plot_plotly_figure_is_self_contained_html(store):
    go = pytest.importorskip("plotly.graph_objects")
    v = gr.Plot().postprocess(go.Figure(go.Scatter(x=[1, 2], y=[3, 4])))
    assert v["type"] == "plotly" and v["plot"]["mime_type"] == "text/html"
    html = plot_bytes(v).decode()
    assert "<html" in html and "cdn.plot.ly" not in html


# -- HighlightedText ------------------------------------------------------------------------------


def test_highlightedtext_pairs_round_trip():
    h = gr.HighlightedText([("The ", None), ("cat", "ANIMAL"), (" sat", None), ("!", 0.5)])
    assert h.value == [{"token": "The ", "class_or_confidence": None},
                       {"token": "cat", "class_or_confidence": "ANIMAL"},
                       {"token": " sat", "class_or_confidence": None},
                       {"token": "!", "class_or_confidence": 0.5}]
    assert h.preprocess(h.value) == [("The ", None), ("cat", "ANIMAL"), (" sat", None), ("!", 0.5)]


def test_highlightedtext_entities_dict_becomes_pairs():
    text = "Ada Lovelace met Babbage in London"
    value = {"text": text, "entities": [
        {"entity": "LOC", "start": 28, "end": 34},  # out of order
        {"entity_group": "PER", "start": 0, "end": 12},
        {"label": "PER", "start": 17, "end": 24},
        {"entity": "X", "start": 2, "end": 6},  # overlaps the first: skipped
    ]}
    pairs = gr.HighlightedText().preprocess(gr.HighlightedText(value).value)
    assert pairs == [("Ada Lovelace", "PER"), (" met ", None), ("Babbage", "PER"), (" in ", None),
                     ("London", "LOC")]
    assert "".join(t for t, _ in pairs) == text


def test_highlightedtext_combine_adjacent():
    pairs = [("New", "LOC"), ("York", "LOC"), (" is ", None), ("big", None), ("!", "X")]
    h = gr.HighlightedText(pairs, combine_adjacent=True, adjacent_separator=" ")
    assert h.preprocess(h.value) == [("New York", "LOC"), (" is  big", None), ("!", "X")]
    assert len(gr.HighlightedText(pairs).value) == 5


def test_highlightedtext_keeps_markup_as_plain_text():
    h = gr.HighlightedText([("<img src=x onerror=alert(1)>", "HTML")])
    assert h.value[0]["token"] == "<img src=x onerror=alert(1)>"


@pytest.mark.parametrize("bad", ["text", [("a",)], {"entities": []}, 3,
                                 {"text": "abc", "entities": [{"entity": "X"}]}])
def test_highlightedtext_rejects_bad_values(bad):
    with pytest.raises(gr.Error, match="HighlightedText"):
        gr.HighlightedText().postprocess(bad)


@pytest.mark.parametrize("bad", ["x", [{"token": 1}], [{"token": "a", "class_or_confidence": [1]}],
                                 [{"token": "a", "class_or_confidence": float("nan")}], [["a", "b"]]])
def test_highlightedtext_validate_wire(bad):
    with pytest.raises(ValueError, match="HighlightedText"):
        gr.HighlightedText().validate_wire(bad)
    ok = [{"token": "a", "class_or_confidence": "B"}, {"token": "c", "class_or_confidence": -0.5}]
    assert gr.HighlightedText().validate_wire(ok) == ok


# -- Code ---------------------------------------------------------------------------------------


def test_code_values_and_language():
    c = gr.Code("print(1)\n", language="python", lines=3)
    assert c.value == "print(1)\n" and c.language == "python" and c.lines == 3
    assert c.preprocess(c.value) == "print(1)\n"
    assert c.preprocess(None) == "" and c.postprocess(None) == "" and c.postprocess(12) == "12"
    assert gr.Code().value == ""
    for ev in ("change", "input", "focus", "blur"):
        assert callable(getattr(c, ev))


def test_code_rejects_unknown_language_and_non_str_from_the_page():
    with pytest.raises(ValueError, match="language"):
        gr.Code(language="brainfuck")
    with pytest.raises(ValueError, match="Code"):
        gr.Code().validate_wire(["x"])


# -- ColorPicker ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value, out", [("#FF8800", "#ff8800"), ("#abc", "#aabbcc"), (" #123456 ", "#123456"),
                                        ((255, 0, 16), "#ff0010"), (None, None)])
def test_colorpicker_normalizes(value, out):
    assert gr.ColorPicker().postprocess(value) == out
    assert gr.ColorPicker(value).value == out


@pytest.mark.parametrize("bad", ["red", "#12345", "#ggg", "ff8800", "#ff8800aa", (256, 0, 0), (1, 2), 7,
                                 "javascript:alert(1)"])
def test_colorpicker_rejects_bad_colours(bad):
    with pytest.raises(gr.Error, match="colou?r"):
        gr.ColorPicker().postprocess(bad)


@pytest.mark.parametrize("bad", ["red", "#12", 12, ["#fff"], "#ff8800;x"])
def test_colorpicker_validate_wire_rejects_bad_hex(bad):
    with pytest.raises(ValueError, match="ColorPicker"):
        gr.ColorPicker().validate_wire(bad)


def test_colorpicker_validate_wire_and_preprocess():
    cp = gr.ColorPicker()
    assert cp.validate_wire("#A0B1C2") == "#a0b1c2"
    assert cp.validate_wire("") is None and cp.validate_wire(None) is None
    assert cp.preprocess("#a0b1c2") == "#a0b1c2" and cp.preprocess(None) is None


# -- shortcuts and import weight -------------------------------------------------------------------


@pytest.mark.parametrize("name, cls, type_", [("dataframe", gr.Dataframe, "pandas"), ("numpy", gr.Dataframe, "numpy"),
                                               ("matrix", gr.Dataframe, "array"), ("list", gr.Dataframe, "array"),
                                               ("plot", gr.Plot, None), ("highlightedtext", gr.HighlightedText, None),
                                               ("highlight", gr.HighlightedText, None), ("code", gr.Code, None),
                                               ("colorpicker", gr.ColorPicker, None)])
def test_shortcuts(name, cls, type_):
    comp = from_shortcut(name)
    assert isinstance(comp, cls)
    if type_:
        assert comp.type == type_
    assert gr.DataFrame is gr.Dataframe


def test_building_a_data_demo_stays_light():
    code = ("import sys, nbdemo as gr\n"
            "gr.Interface(lambda *a: a, ['dataframe', 'code', 'colorpicker'],"
            " ['dataframe', 'plot', 'highlightedtext'])\n"
            "gr.Dataframe(headers=['a', 'b'], datatype='number', type='numpy')\n"
            "heavy = [m for m in ('numpy', 'PIL', 'pandas', 'matplotlib') if m in sys.modules]\n"
            "print(','.join(heavy))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
