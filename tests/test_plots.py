"""Native plots (LinePlot, ScatterPlot, BarPlot) and DateTime: their values,
and tests/apps/compat_plots.py in real Chromium (hover, drag-select, bar
select, double-click, and the chart chunk loaded only on pages with a plot)."""

from __future__ import annotations

import datetime as dt
import gzip
import re
import sys
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest
from conftest import start_script

import nbdemo as gr

sys.path.insert(0, str(Path(__file__).parent / "apps"))

T = 30_000  # ms; a hang guard: 2 shared cores


# -- values ----------------------------------------------------------------------

def test_plot_value_is_gradio_plotdata():
    df = pd.DataFrame({"t": pd.to_datetime(["2024-01-01 00:00", "2024-01-01 01:00"]),
                       "v": [1.5, 2], "c": ["a", "b"]})
    for cls, mark in ((gr.LinePlot, "line"), (gr.ScatterPlot, "point"), (gr.BarPlot, "bar")):
        p = cls(df, x="t", y="v", color="c")
        assert p.value == {"columns": ["t", "v", "c"],
                           "data": [[1704067200000, 1.5, "a"], [1704070800000, 2.0, "b"]],
                           "datatypes": {"t": "temporal", "v": "quantitative", "c": "nominal"},
                           "mark": mark}
        back = p.preprocess(p.value)
        pd.testing.assert_frame_equal(back, df.astype({"t": "datetime64[ms]", "v": float}),
                                      check_dtype=False)
        assert back["t"].dtype.kind == "M"
    assert gr.LinePlot().value is None and gr.LinePlot().preprocess(None) is None


def test_plot_checks_columns_and_arguments():
    df = pd.DataFrame({"a": [1], "b": [2]})
    with pytest.raises(ValueError, match="y='nope' is not a column"):
        gr.LinePlot(df, x="a", y="nope")
    with pytest.raises(TypeError, match="pandas DataFrame"):
        gr.BarPlot([[1, 2]], x="a", y="b")
    with pytest.raises(ValueError, match="y_aggregate"):
        gr.BarPlot(df, x="a", y="b", y_aggregate="avg")
    with pytest.raises(ValueError, match="sort"):
        gr.BarPlot(df, x="a", y="b", sort="up")
    with pytest.warns(UserWarning, match="x_label_angle"):
        gr.BarPlot(df, x="a", y="b", x_label_angle=45)
    with pytest.warns(UserWarning, match="'actions' is not shown"):
        p = gr.ScatterPlot(df, x="a", y="b", buttons=["actions", "export"])
    assert p.buttons == ["export"]
    assert gr.LinePlot(df, x="a", y="b", show_fullscreen_button=True).buttons == ["fullscreen"]


def test_plot_update_keeps_data_props_apart():
    # returning gr.LinePlot(x_lim=...) updates only x_lim (what the select demo does)
    upd = gr.LinePlot(x_lim=[1, 2])
    assert upd._init_kwargs == {"x_lim": [1, 2]}


def test_plot_value_fn_with_inputs_recomputes_on_change():
    with gr.Blocks() as demo:
        n = gr.Slider(1, 5, value=2, label="n")
        plot = gr.BarPlot(lambda k: pd.DataFrame({"x": list("ab"), "y": [k, 2 * k]}),
                          x="x", y="y", inputs=[n])
    dep, = demo.dependencies
    assert [(b, e) for b, e in dep.triggers] == [(demo, "load"), (n, "change")]
    assert dep.inputs == [n] and dep.outputs == [plot]
    assert plot.postprocess(dep.fn(3))["data"] == [["a", 3], ["b", 6]]
    with pytest.warns(UserWarning, match="inputs=...\\) is used only when value is a function"):
        gr.BarPlot(None, x="x", y="y", inputs=[n])


@pytest.mark.parametrize(("kind", "check"), [
    ("timestamp", lambda v: v == dt.datetime(2024, 5, 1, 10, 30, 5).timestamp()),
    ("datetime", lambda v: v == dt.datetime(2024, 5, 1, 10, 30, 5)),
    ("string", lambda v: v == "2024-05-01 10:30:05"),
])
def test_datetime_types(kind, check):
    d = gr.DateTime("2024-05-01 10:30:05", type=kind)
    assert d.value == "2024-05-01 10:30:05"
    assert check(d.preprocess(d.value))
    assert d.preprocess("") is None and d.preprocess(None) is None


def test_datetime_now_expressions_timezone_and_errors():
    d = gr.DateTime(type="datetime", timezone="UTC")
    got = d.preprocess("now - 2h")
    expect = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=2)
    assert got.tzinfo is not None and abs((got - expect).total_seconds()) < 60
    assert gr.DateTime(0.0, timezone="UTC").value == "1970-01-01 00:00:00"
    assert gr.DateTime(dt.date(2024, 2, 3), include_time=False).value == "2024-02-03"
    assert gr.DateTime(include_time=False, type="string").preprocess("now")[:4].isdigit()
    with pytest.raises(ValueError, match="expected Y-m-d H:M:S"):
        gr.DateTime().preprocess("tomorrow")
    with pytest.raises(ValueError, match="type must be"):
        gr.DateTime(type="epoch")
    with pytest.raises(ValueError, match="expected a date string"):
        gr.DateTime().validate_wire(12)


# -- in the browser ------------------------------------------------------------------

APPS = Path(__file__).parent / "apps"


def serve_app(tmp_path: Path, module: str, expr: str = "demo"):
    """Run ``tests/apps/<module>.py``'s ``expr`` with ``launch()`` as a script (its own process)."""
    code = (f"import sys\nsys.path[:0] = [{str(APPS.parent.parent)!r}, {str(APPS)!r}]\nimport {module}\n"
            f"{module}.{expr}.launch(server_port=PORT)\n")
    return start_script(code, tmp_path)


@pytest.fixture
def plots_page(page, tmp_path):
    proc, url = serve_app(tmp_path, "compat_plots")
    page.goto(url)
    page.wait_for_selector("body[data-nbdemo-connected]", timeout=T)
    page.wait_for_selector(".nbd-nativeplot canvas", timeout=T)
    yield page
    proc.stop()


def _drag(page, over, x0: float, x1: float) -> None:
    box = over.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * x0, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * x1, y, steps=6)
    page.mouse.up()


@pytest.mark.browser
def test_plots_hover_select_and_reset(plots_page):
    from playwright.sync_api import expect

    page = plots_page
    line = page.locator(".nbd-nativeplot").filter(has_text="Temperature")
    expect(line.locator("canvas")).to_have_count(1)
    over = line.locator(".u-over")
    box = over.bounding_box()
    # hover: a tooltip with the x value, each city's temperature and the extra column
    page.mouse.move(box["x"] + 2, box["y"] + box["height"] / 2)
    tip = line.locator(".nbd-plot-tip")
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("time: 2024-03-01 00:00:00")
    expect(tip).to_contain_text("Oslo: ")
    expect(tip).to_contain_text("rain: ")
    # drag across the first day: select fires with the range; the listener zooms
    selection = page.get_by_label("Selection")
    _drag(page, over, 0.25, 0.5)
    expect(selection).to_have_value(re.compile(r"^0[12] \d\d:\d\d to 0[12] \d\d:\d\d$"),
                                    timeout=T)
    # after the zoom the x axis spans only the selection: the first tick is no longer midnight
    page.mouse.move(box["x"] + 2, box["y"] + box["height"] / 2)
    expect(tip).not_to_contain_text("2024-03-01 00:00:00")
    over.dblclick()
    expect(selection).to_have_value("reset", timeout=T)
    # a bar: click selects its category (sorted by total rain, descending)
    bars = page.locator(".nbd-nativeplot").filter(has_text="Rain by city").locator(".u-over")
    bb = bars.bounding_box()
    page.mouse.click(bb["x"] + bb["width"] / 6, bb["y"] + bb["height"] - 5)
    expect(selection).to_have_value(re.compile(r"^bar (Oslo|Lima|Pune)$"), timeout=T)
    # scatter: a drag gives a numeric range
    _drag(page, page.locator(".nbd-nativeplot").filter(has_text="Rain vs temp").locator(".u-over"), 0.1, 0.4)
    expect(selection).to_have_value(re.compile(r"^temp \d+\.\d to \d+\.\d$"), timeout=T)
    assert page.js_errors == []


@pytest.mark.browser
def test_datetime_filters_the_plot(plots_page):
    from playwright.sync_api import expect

    page = plots_page
    start = page.get_by_label("Start")
    start.fill("2024-03-02 12:00:00")
    start.press("Enter")
    line = page.locator(".nbd-nativeplot").filter(has_text="Temperature")
    # the chart is drawn again with the new x_lim: hover its left edge until the tip shows the start
    deadline = time.monotonic() + T / 1000
    text = ""
    while "time: 2024-03-02 12:00:00" not in text and time.monotonic() < deadline:
        page.wait_for_timeout(100)
        box = line.locator(".u-over").bounding_box(timeout=T)
        if box is None:  # between two drawings
            continue
        page.mouse.move(box["x"] + 2, box["y"] + box["height"] / 2)
        tip = line.locator(".nbd-plot-tip")
        text = tip.inner_text(timeout=T) if tip.count() else ""
    assert "time: 2024-03-02 12:00:00" in text, text
    expect(line.locator(".nbd-plot-tip")).to_be_visible()
    assert page.js_errors == []


@pytest.mark.browser
def test_chart_chunk_only_on_pages_with_a_plot(page, tmp_path):
    """The page without plots stays small; uPlot comes as its own chunk."""

    def load(module: str, expr: str) -> dict[str, int]:
        sizes: dict[str, int] = {}

        def seen(resp):
            if "/static/" in resp.url:
                sizes[resp.url.rsplit("/", 1)[1]] = len(gzip.compress(resp.body()))
        page.on("response", seen)
        sub = tmp_path / expr.strip("()")
        sub.mkdir()
        proc, url = serve_app(sub, module, expr)
        try:
            page.goto(url)
            page.wait_for_selector("body[data-nbdemo-connected]", timeout=T)
            page.wait_for_load_state("networkidle")
        finally:
            page.remove_listener("response", seen)
            proc.stop()
        return sizes

    no_plot = load("compat_plots", "without_plots()")
    assert not any(n.startswith("chunk-chart") for n in no_plot), no_plot
    assert sum(no_plot.values()) <= 60 * 1024, no_plot  # gzip, as the server sends it
    with_plot = load("compat_plots", "demo")
    assert any(n.startswith("chunk-chart") for n in with_plot), with_plot
    print(f"\npage without plots: {no_plot}\npage with plots: {with_plot}")
    assert page.js_errors == []


def test_no_warnings_building_the_test_app():
    import compat_plots

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compat_plots.build()
