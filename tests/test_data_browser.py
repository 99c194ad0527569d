"""Dataframe, Plot, HighlightedText, Code and ColorPicker used like a person
would, in real headless Chromium, in both front doors:

- standalone: the gallery's /data_explorer/ page (`python -m nbdemo demo`),
  and a small script demo for the components the explorer does not use
  (HighlightedText, Code, ColorPicker, a read-only and a 5000-row table, a
  PNG plot, an HTML plot in its sandboxed frame, hostile values);
- inline: notebooks/data.ipynb in a real JupyterLab with a real kernel.

The upload is a real CSV (tests/data/measurements.csv, 50 rows); what the
page shows and what the download holds are checked against pandas reading
the same file. Every test saves a screenshot into tests/artifacts/.
"""

from __future__ import annotations

import io
import re
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import pandas as pd
import pytest
from conftest import start_script
from notebook_ui import run_all, wait_kernel
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

T = 60_000  # generous: Chromium, JupyterLab and kernels share 2 cores
CSV = Path(__file__).resolve().parent / "data" / "measurements.csv"


def measurements() -> pd.DataFrame:
    return pd.read_csv(CSV)


def comp(scope: Locator | Page, label: str) -> Locator:
    """The component (`.nbd-comp`) whose visible label is exactly ``label``."""
    return scope.locator(f".nbd-comp:has(> .nbd-label:text-is('{label}'))")


def rows_of(scope: Locator | Page, label: str) -> Locator:
    return comp(scope, label).locator("table[role=grid] tbody tr:has(td[role=gridcell])")


def count_text(n: int, cols: int) -> str:
    return f"{n} {'row' if n == 1 else 'rows'} × {cols} columns"


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("body[data-nbdemo-ready]")).to_have_count(1, timeout=T)
    expect(page.locator("body[data-nbdemo-connected]")).to_have_count(1, timeout=T)


def read_download(page: Page, scope: Locator | Page) -> tuple[str, pd.DataFrame]:
    with page.expect_download(timeout=T) as info:
        scope.get_by_role("button", name="Download CSV").click()
    download = info.value
    text = Path(download.path()).read_text()
    return download.suggested_filename, pd.read_csv(io.StringIO(text))


def plot_loaded(scope: Locator | Page, label: str = "Histogram") -> Locator:
    img = comp(scope, label).locator("img.nbd-plot-img")
    expect(img).to_have_attribute("src", re.compile("."), timeout=T)
    expect(img).to_have_js_property("complete", True, timeout=T)
    expect(img).not_to_have_js_property("naturalWidth", 0, timeout=T)
    return img


def explore(page: Page, scope: Locator | Page, artifacts: Path, name: str) -> None:
    """The whole data explorer story: upload, see the rows and the plot, filter
    by text and by a minimum, download the rows kept, check the CSV."""
    df = measurements()
    scope.get_by_label("CSV file", exact=True).set_input_files(str(CSV))
    table = comp(scope, "Rows")
    expect(table.locator(".nbd-df-count")).to_have_text(count_text(50, 8), timeout=T)
    expect(rows_of(scope, "Rows")).to_have_count(50)
    # the first row is the CSV's first row, each cell an input labelled by row and column
    expect(scope.get_by_label("row 1, column site", exact=True)).to_have_value(df["site"][0])
    expect(scope.get_by_label("row 1, column temperature_c", exact=True)).to_have_value(str(df["temperature_c"][0]))
    expect(scope.get_by_role("gridcell")).to_have_count(50 * 8)
    # the column defaults to the first measurement; the summary and the plot follow
    expect(scope.get_by_label("Column", exact=True)).to_have_value("temperature_c", timeout=T)
    summary = scope.locator(".nbd-prose", has_text="rows ·")
    expect(summary).to_contain_text(f"50 rows · temperature_c: mean {df['temperature_c'].mean():.2f}", timeout=T)
    plot_loaded(scope)

    # text search: rows of one site
    scope.get_by_label("Rows containing", exact=True).fill("north")
    north = df[df["site"] == "north"]
    expect(table.locator(".nbd-df-count")).to_have_text(count_text(len(north), 8), timeout=T)
    expect(rows_of(scope, "Rows")).to_have_count(len(north))
    # and a minimum on the chosen column
    scope.get_by_label("Minimum", exact=True).fill("7.5")
    kept = north[north["temperature_c"] >= 7.5].reset_index(drop=True)
    assert 0 < len(kept) < len(north)
    expect(table.locator(".nbd-df-count")).to_have_text(count_text(len(kept), 8), timeout=T)
    expect(summary).to_contain_text(f"{len(kept)} rows · temperature_c", timeout=T)
    expect(comp(scope, "Histogram").locator("img")).to_have_attribute("src", re.compile("."), timeout=T)
    plot_loaded(scope)

    filename, got = read_download(page, scope)
    assert filename == "filtered.csv"
    pd.testing.assert_frame_equal(got, kept, check_dtype=False)
    table.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"{name}_filtered.png"), full_page=True)


def edit_a_cell(page: Page, scope: Locator | Page) -> None:
    """Editing a cell fires the table's change event: summary, plot and download follow."""
    cell = scope.get_by_label("row 1, column temperature_c", exact=True)
    cell.fill("100")
    cell.press("Enter")
    summary = scope.locator(".nbd-prose", has_text="rows ·")
    expect(summary).to_contain_text("max 100", timeout=T)
    # Enter moved the focus to the same column of the next row
    expect(scope.get_by_label("row 2, column temperature_c", exact=True)).to_be_focused()
    _, got = read_download(page, scope)
    assert got["temperature_c"][0] == 100
    plot_loaded(scope)


# -- standalone: the gallery's /data_explorer/ ---------------------------------------------------


def test_data_explorer_upload_filter_download_plot(page: Page, gallery: str, artifacts):
    open_page(page, f"{gallery}data_explorer/")
    explore(page, page, artifacts, "test_data_explorer_upload_filter_download_plot")
    img = plot_loaded(page)
    src = img.get_attribute("src")
    assert "/file/" in src and src.endswith(".svg"), src
    assert page.js_errors == []


def test_data_explorer_edit_cell_fires_change(page: Page, gallery: str):
    open_page(page, f"{gallery}data_explorer/")
    page.get_by_label("CSV file", exact=True).set_input_files(str(CSV))
    expect(comp(page, "Rows").locator(".nbd-df-count")).to_have_text(count_text(50, 8), timeout=T)
    edit_a_cell(page, page)
    # a number that does not parse is refused in the cell and not sent
    cell = page.get_by_label("row 3, column temperature_c", exact=True)
    before = cell.input_value()
    cell.fill("warm")
    cell.press("Tab")
    expect(cell).to_have_attribute("aria-invalid", "true")
    cell.fill(before)
    cell.press("Tab")
    expect(cell).not_to_have_attribute("aria-invalid", "true")
    assert page.js_errors == []


def test_data_explorer_add_row_and_sort(page: Page, gallery: str):
    open_page(page, f"{gallery}data_explorer/")
    page.get_by_role("button", name="Use sample data").click()
    table = comp(page, "Rows")
    expect(table.locator(".nbd-df-count")).to_have_text(count_text(50, 6), timeout=T)
    # sorting is a view: descending by temperature shows the largest first
    header = table.get_by_role("button", name=re.compile("^temperature_c"))
    header.click()
    header.click()
    expect(table.get_by_role("columnheader", name=re.compile("^temperature_c"))).to_have_attribute("aria-sort", "descending")
    first = float(rows_of(page, "Rows").first.locator("td").nth(3).locator("input").input_value())
    values = [float(v) for v in table.locator("td[data-col='3'] input").evaluate_all("els => els.map(e => e.value)")]
    assert first == max(values)
    # add a row: it is appended and focused, the summary counts it
    table.get_by_role("button", name="+ Add row").click()
    expect(table.locator(".nbd-df-count")).to_have_text(count_text(51, 6), timeout=T)
    expect(page.get_by_label("row 51, column id", exact=True)).to_be_focused()
    expect(page.locator(".nbd-prose", has_text="rows ·")).to_contain_text("51 rows", timeout=T)
    assert page.js_errors == []


# -- standalone: the other components in a script demo ------------------------------------------

APP = r'''
import nbdemo as gr
import pandas as pd
from matplotlib.figure import Figure

HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


class FakePlotlyFigure:
    """Stands in for a plotly figure (plotly is not installed here): Plot
    recognises plotly objects by their module and calls to_html()."""

    def to_html(self, include_plotlyjs=True, full_html=True):
        return ("<!doctype html><html><body><div id='out'>waiting</div><script>"
                "const out = document.getElementById('out'); out.textContent = 'drawn';"
                "try { parent.document.title; out.textContent += ' same-origin'; }"
                "catch (e) { out.textContent += ' isolated'; }"
                "</script></body></html>")


FakePlotlyFigure.__module__ = "plotly.graph_objs._figure"


def png_plot():
    fig = Figure(figsize=(4, 2.5))
    fig.add_subplot().plot([0, 1, 2, 3], [1, 0, 2, 1])
    return fig


def picked_span(evt: gr.SelectData):
    return f"{evt.index}: {evt.value[0]}"


def picked_cell(evt: gr.SelectData):
    return f"{evt.index} = {evt.value}"


big = pd.DataFrame({"i": range(5000), "square": [i * i for i in range(5000)]})

with gr.Blocks() as demo:
    hl = gr.HighlightedText([("Ada Lovelace", "PER"), (" wrote ", None), (HOSTILE, "HTML"),
                             (" in ", None), ("London", "LOC")], label="Entities",
                            show_legend=True, color_map={"PER": "#fde68a"})
    picked = gr.Textbox(label="Picked")
    hl.select(picked_span, None, picked)
    md = gr.Dataframe([["**bold**", HOSTILE, "[link](javascript:window.__pwned=3)"]],
                      headers=["a", "b", "c"], datatype="markdown", label="Markdown cells",
                      interactive=False)
    md_edit = gr.Dataframe([["*em*", HOSTILE]], headers=["x", "y"], datatype="markdown",
                           label="Editable markdown", interactive=True)
    md_out = gr.Textbox(label="Markdown source")
    md_edit.change(lambda df: df["y"][0], md_edit, md_out)
    table = gr.Dataframe(big, label="Big", interactive=False)
    chosen = gr.Textbox(label="Chosen cell")
    table.select(picked_cell, None, chosen)
    code = gr.Code("def f(x):\n    return x\n", language="python", label="Source", interactive=True)
    lines = gr.Textbox(label="Lines")
    code.change(lambda s: str(len(s.splitlines())), code, lines)
    color = gr.ColorPicker("#ff8800", label="Colour")
    hexes = gr.Textbox(label="Hex")
    color.change(lambda c: c, color, hexes)
    submitted = gr.Textbox(label="Submitted")
    color.submit(lambda c: "submitted " + c, color, submitted)
    plot = gr.Plot(label="PNG plot", format="png")
    gr.Button("Draw PNG").click(png_plot, None, plot)
    html_plot = gr.Plot(label="HTML plot")
    gr.Button("Draw HTML").click(lambda: FakePlotlyFigure(), None, html_plot)
    gr.Code("<script>window.__pwned=4</script>", language="html", label="Read-only code", interactive=False)
    upload = gr.File(label="Any file")
    upload.upload(lambda p: None, upload, None)

demo.launch(server_port=PORT)
'''


@pytest.fixture(scope="module")
def script_demo(tmp_path_factory):
    proc, url = start_script(APP, tmp_path_factory.mktemp("data_app"))
    yield url
    proc.stop()


@pytest.fixture
def guarded(page: Page):
    """The page, with every dialog recorded (and dismissed)."""
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    return page


def assert_not_pwned(page: Page) -> None:
    assert page.evaluate("window.__pwned") is None
    assert page.dialogs == []
    assert page.locator("img[onerror], .nbd-app script").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0


def test_hostile_text_in_highlightedtext_and_markdown_cells_does_not_run(guarded: Page, script_demo: str):
    page = guarded
    open_page(page, script_demo)
    hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    ents = comp(page, "Entities")
    # shown as text, spans coloured by label, legend present
    expect(ents.locator("mark.nbd-hl-span")).to_have_count(3)
    expect(ents.locator("mark[data-label=HTML]")).to_contain_text(hostile)
    expect(ents.locator("mark[data-label=PER]")).to_have_css("background-color", "rgb(253, 230, 138)")
    expect(ents.locator(".nbd-hl-legend-item")).to_have_text(["PER", "HTML", "LOC"])
    ents.locator("mark[data-label=LOC]").click()
    expect(page.get_by_label("Picked", exact=True)).to_have_value("4: London", timeout=T)
    # markdown cells are rendered, and sanitized
    cells = comp(page, "Markdown cells")
    expect(cells.locator("td strong")).to_have_text("bold")
    expect(cells.get_by_role("gridcell")).to_have_count(3)
    # an editable markdown cell: rendered until edited, then its source goes to fn
    edit = comp(page, "Editable markdown")
    expect(edit.locator(".nbd-df-rich em")).to_have_text("em")
    edit.get_by_role("button", name="row 1, column y: edit").click()
    src = edit.get_by_label("row 1, column y", exact=True)
    expect(src).to_be_focused()
    expect(src).to_have_value(hostile)
    src.fill(hostile + " again")
    src.press("Enter")
    expect(page.get_by_label("Markdown source", exact=True)).to_have_value(hostile + " again", timeout=T)
    expect(edit.locator(".nbd-df-rich").nth(1)).to_contain_text("again")
    # read-only code shows markup as text
    expect(comp(page, "Read-only code").locator("pre code")).to_have_text("<script>window.__pwned=4</script>")
    page.wait_for_timeout(300)  # let any injected handler fire (it must not)
    assert_not_pwned(page)
    assert page.js_errors == []


def test_large_table_is_paged_and_select_gives_row_and_column(page: Page, script_demo: str):
    open_page(page, script_demo)
    big = comp(page, "Big")
    expect(big.locator(".nbd-df-count")).to_have_text(count_text(5000, 2))
    expect(rows_of(page, "Big")).to_have_count(100)
    pager = big.get_by_role("navigation", name="Table pages")
    expect(pager).to_contain_text("Rows 1–100 of 5000")
    pager.get_by_role("button", name="Next page").click()
    expect(pager).to_contain_text("Rows 101–200 of 5000")
    expect(rows_of(page, "Big")).to_have_count(100)
    cell = big.locator("td[data-row='150'][data-col='1']")
    expect(cell).to_have_text("22500")
    cell.click()
    expect(page.get_by_label("Chosen cell", exact=True)).to_have_value("[150, 1] = 22500", timeout=T)
    # read-only: text cells, no inputs, no add-row button
    expect(big.locator("input")).to_have_count(0)
    expect(big.get_by_role("button", name="+ Add row")).to_have_count(0)
    big.scroll_into_view_if_needed()
    assert page.js_errors == []


def test_code_and_colorpicker(page: Page, script_demo: str):
    open_page(page, script_demo)
    code = page.get_by_label("Source", exact=True)
    expect(code).to_have_value("def f(x):\n    return x\n")
    expect(comp(page, "Source").locator(".nbd-code-lang")).to_have_text("python")
    expect(code).to_have_css("font-family", re.compile("mono", re.I))
    code.press("Control+End")
    code.type("print(f(1))")
    expect(page.get_by_label("Lines", exact=True)).to_have_value("3", timeout=T)
    expect(comp(page, "Source").locator(".nbd-code-gutter")).to_have_text("1\n2\n3")
    # Tab indents inside the editor
    code.press("Enter")
    code.press("Tab")
    assert code.input_value().endswith("print(f(1))\n    ")
    # ColorPicker: the swatch is the labelled control, the hex field edits it
    swatch = page.get_by_label("Colour", exact=True)
    expect(swatch).to_have_attribute("type", "color")
    expect(swatch).to_have_value("#ff8800")
    hexfield = page.get_by_label("Colour (hex)", exact=True)
    hexfield.fill("#3B82F6")
    hexfield.press("Enter")
    expect(page.get_by_label("Hex", exact=True)).to_have_value("#3b82f6", timeout=T)
    expect(page.get_by_label("Submitted", exact=True)).to_have_value("submitted #3b82f6", timeout=T)
    expect(swatch).to_have_value("#3b82f6")
    hexfield.fill("blue")
    hexfield.press("Enter")
    expect(hexfield).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Hex", exact=True)).to_have_value("#3b82f6")
    # the native picker's input event (what dragging in the picker sends)
    swatch.evaluate("(el) => { el.value = '#00ff00'; el.dispatchEvent(new Event('input', {bubbles: true})); }")
    expect(page.get_by_label("Hex", exact=True)).to_have_value("#00ff00", timeout=T)
    expect(hexfield).to_have_value("#00ff00")
    assert page.js_errors == []


def test_png_plot_and_html_plot_in_a_sandboxed_frame(guarded: Page, script_demo: str):
    page = guarded
    open_page(page, script_demo)
    page.get_by_role("button", name="Draw PNG").click()
    img = plot_loaded(page, "PNG plot")
    assert img.get_attribute("src").endswith(".png")
    r = page.request.get(urljoin(page.url, img.get_attribute("src")))
    assert r.ok and r.body()[:8] == b"\x89PNG\r\n\x1a\n"
    page.get_by_role("button", name="Draw HTML").click()
    frame = comp(page, "HTML plot").locator("iframe.nbd-plot-frame")
    expect(frame).to_have_attribute("sandbox", "allow-scripts")
    # its script ran, in an origin that cannot reach this page
    expect(page.frame_locator("iframe.nbd-plot-frame").locator("#out")).to_have_text("drawn isolated", timeout=T)
    comp(page, "HTML plot").scroll_into_view_if_needed()
    assert_not_pwned(page)
    assert page.js_errors == []


def test_html_plot_file_headers(page: Page, script_demo: str):
    """Served for the frame (?frame=1): inline, script in a CSP sandbox without
    allow-same-origin. Without ?frame=1 it stays a sandboxed attachment."""
    open_page(page, script_demo)
    page.get_by_role("button", name="Draw HTML").click()
    frame = comp(page, "HTML plot").locator("iframe.nbd-plot-frame")
    expect(frame).to_have_attribute("src", re.compile(r"frame=1"), timeout=T)
    url = page.evaluate("(el) => el.src", frame.element_handle())
    with urllib.request.urlopen(url) as r:
        csp = r.headers["Content-Security-Policy"]
        assert r.headers["Content-Disposition"].startswith("inline")
    assert "sandbox allow-scripts" in csp and "allow-same-origin" not in csp
    assert "frame-ancestors 'self'" in csp and "default-src 'none'" in csp
    plain = url.replace("?frame=1", "")
    with urllib.request.urlopen(plain) as r:
        assert r.headers["Content-Disposition"].startswith("attachment")
        assert r.headers["Content-Security-Policy"].startswith("sandbox;")


def test_uploaded_html_is_never_served_for_a_frame(page: Page, script_demo: str, tmp_path: Path):
    """?frame=1 is for HTML the app made: an uploaded page stays a sandboxed attachment."""
    open_page(page, script_demo)
    evil = tmp_path / "evil.html"
    evil.write_text("<script>alert(1)</script>")
    page.get_by_label("Any file", exact=True).set_input_files(str(evil))
    link = comp(page, "Any file").locator("a.nbd-file-name")
    expect(link).to_have_attribute("href", re.compile("download=1"), timeout=T)
    url = urljoin(page.url, link.get_attribute("href")).replace("download=1", "frame=1")
    with urllib.request.urlopen(url) as r:
        assert r.headers["Content-Disposition"].startswith("attachment")
        assert r.headers["Content-Security-Policy"].startswith("sandbox;")
        assert "allow-scripts" not in r.headers["Content-Security-Policy"]


# -- inline: notebooks/data.ipynb in JupyterLab -------------------------------------------------


@pytest.fixture(scope="module")
def data_lab(browser, jupyter_lab, artifacts):
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    page = ctx.new_page()
    page.js_errors = []
    page.on("pageerror", lambda e: page.js_errors.append(str(e)))
    # a workspace of its own: the default one would reopen the other tests' notebooks
    page.goto(f"{jupyter_lab.url}lab/workspaces/data/tree/notebooks/data.ipynb?reset&token={jupyter_lab.token}")
    expect(page.locator(".jp-NotebookPanel")).to_have_count(1, timeout=T)
    wait_kernel(page)
    run_all(page)
    app = page.locator(".jp-OutputArea-output .nbd-app")
    try:
        expect(app).to_have_count(1, timeout=T)
        expect(app).to_have_attribute("data-nbdemo-ready", "1", timeout=T)
    except AssertionError:
        page.screenshot(path=str(artifacts / "data_lab_failed_to_render.png"), full_page=True)
        raise
    yield page, app
    ctx.close()
    shutdown_session(jupyter_lab, "notebooks/data.ipynb")


def shutdown_session(lab, path: str) -> None:
    """End the notebook's kernel (through Jupyter's REST API), so it does not
    keep a core busy under the notebook tests that follow."""
    for s in lab.api("api/sessions"):
        if s.get("path") == path:
            req = urllib.request.Request(f"{lab.url}api/sessions/{s['id']}?token={lab.token}", method="DELETE")
            urllib.request.urlopen(req, timeout=30).close()


def nbdemo_errors(page: Page) -> list[str]:
    return [e for e in page.js_errors if "nbd" in e.lower()]


@pytest.mark.jupyter
def test_data_notebook_upload_filter_download_plot_inline(data_lab, artifacts):
    page, app = data_lab
    app.scroll_into_view_if_needed()
    explore(page, app, artifacts, "test_data_notebook_upload_filter_download_plot_inline")
    img = plot_loaded(app)
    assert img.get_attribute("src").startswith("blob:"), "inline plots are widget buffers, not URLs"
    assert nbdemo_errors(page) == []


@pytest.mark.jupyter
def test_data_notebook_edit_cell_inline(data_lab, artifacts):
    page, app = data_lab
    edit_a_cell(page, app)
    comp(app, "Rows").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "test_data_notebook_edit_cell_inline.png"))
    # the kernel sees the edited table: re-run the cell that prints it
    cell = page.locator(".jp-CodeCell").filter(
        has=page.locator(".jp-InputArea-editor", has_text="rows = table.preprocess"))
    editor = cell.locator(".jp-InputArea-editor .cm-content")
    editor.scroll_into_view_if_needed()
    editor.click()
    editor.press("Control+Enter")
    kept = measurements()
    kept = kept[(kept["site"] == "north") & (kept["temperature_c"] >= 7.5)]
    expect(cell.locator(".jp-OutputArea-output").first).to_contain_text(f"table: {len(kept)} rows", timeout=T)
    expect(cell.locator(".jp-OutputArea-output table")).to_contain_text("100.0", timeout=T)  # the edit
    page.screenshot(path=str(artifacts / "test_data_notebook_edit_cell_inline_kernel.png"))
    assert nbdemo_errors(page) == []
