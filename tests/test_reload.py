"""Reload mode: `nbdemo app.py` / `nbdemo run app.py --reload` / `nbdemo run
notebook.ipynb` serve a file's demo; saving the file updates the open page
without a refresh (keeping what was typed), an error shows in the terminal
and the page while the last working demo stays served, and fixing the file
recovers. `if nbdemo.NO_RELOAD:` blocks run once."""

from __future__ import annotations

import json
import os
import re
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import ROOT, Proc, free_port, wait_http
from playwright.sync_api import Page, expect

from nbdemo.reload import App, LoadError

T = 30_000

APP = textwrap.dedent('''
    import nbdemo as gr

    if gr.NO_RELOAD:
        runs = []          # defined once; reloads keep it
    runs.append(1)

    def greet(name):
        return f"Hello, {name}! (run {len(runs)})"

    demo = gr.Interface(greet, gr.Textbox(label="name"), gr.Textbox(label="greeting"),
                        title="Greeter")
    demo.launch()          # reload mode serves the demo; this does not block
''')


def write(path: Path, text: str) -> None:
    """Save like an editor: the whole file at once."""
    tmp = path.with_name(path.name + ".tmp~")
    tmp.write_text(text)
    os.replace(tmp, path)


def notebook(cells: list[tuple[str, str]]) -> str:
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": kind, "metadata": {}, "source": src,
         **({"outputs": [], "execution_count": None} if kind == "code" else {})}
        for kind, src in cells]})


# -- App: running a file, without a server -------------------------------------------

def test_app_runs_script_no_reload_once_and_launch_does_not_block(tmp_path):
    path = tmp_path / "app.py"
    path.write_text(APP)
    app = App(path)
    first = app.load()
    assert first.blocks.title == "Greeter"
    assert first.blocks.fns if hasattr(first.blocks, "fns") else True
    second = app.load()
    assert second.blocks is not first.blocks
    # NO_RELOAD ran once: the same list, appended to on each run
    import nbdemo

    assert nbdemo.NO_RELOAD is False
    assert app._namespace["runs"] == [1, 1]


def test_app_script_argv_and_main_guard(tmp_path):
    path = tmp_path / "tool.py"
    path.write_text(textwrap.dedent('''
        import sys
        import nbdemo as gr
        ARGS = sys.argv[1:]
        with gr.Blocks(title=" ".join(ARGS)) as ui:
            gr.Textbox()
        if __name__ == "__main__":
            raise SystemExit("the main guard must not run")
    '''))
    loaded = App(path, argv=["--name", "Gretel"]).load()
    assert loaded.blocks.title == "--name Gretel"  # the only Blocks, though not named demo


def test_app_errors_name_the_problem(tmp_path):
    path = tmp_path / "app.py"
    path.write_text("import nbdemo as gr\n\nx = 1 +\n")
    with pytest.raises(LoadError, match=r"(?s)app\.py.*line 3.*SyntaxError") as e:
        App(path).load()
    assert "ast.py" not in e.value.text and "Traceback" not in e.value.text
    path.write_text("import nbdemo as gr\n\ndef f():\n    return 1 / 0\n\nf()\n")
    with pytest.raises(LoadError) as e:
        App(path).load()
    assert "ZeroDivisionError" in e.value.text and "line 4" in e.value.text
    assert "reload.py" not in e.value.text  # only the user's frames
    path.write_text("import nbdemo as gr\na = gr.Blocks()\nb = gr.Blocks()\n")
    with pytest.raises(LoadError, match="defines no demo.*a, b.*--demo-name"):
        App(path).load()
    assert App(path, demo_name="b").load().blocks is not None
    with pytest.raises(LoadError, match="no Blocks/Interface named 'c'; it defines a, b"):
        App(path, demo_name="c").load()


def test_app_notebook_serves_last_displayed_demo(tmp_path):
    path = tmp_path / "analysis.ipynb"
    path.write_text(notebook([
        ("markdown", "# Analysis\n\nThis is not Python."),
        ("code", "%matplotlib inline\nimport nbdemo as gr\n!echo skipped"),
        ("code", "%%bash\necho a cell magic"),
        ("code", "first = gr.Interface(lambda x: x, 'text', 'text', title='First')\nfirst"),
        ("code", "second = gr.Interface(lambda x: x, 'text', 'text', title='Second')\nsecond\n"),
        ("code", "value = 41 + 1\nvalue"),
    ]))
    assert App(path).load().blocks.title == "Second"
    assert App(path, demo_name="first").load().blocks.title == "First"
    path.write_text(notebook([("code", "import nbdemo as gr\n"
                                       "x = gr.Interface(str, 'text', 'text', title='L')\n"
                                       "x.launch()\nprint('after launch')")]))
    assert App(path).load().blocks.title == "L"


# -- the served page, in Chromium ------------------------------------------------------

class Served:
    def __init__(self, args: list[str], folder: Path):
        self.port = free_port()
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}
        self.log_path = folder / "nbdemo.log"
        self.proc = Proc([sys.executable, "-m", "nbdemo", *args, "--port", str(self.port)],
                         env=env, cwd=folder, log=self.log_path)
        self.url = f"http://127.0.0.1:{self.port}/"
        try:
            wait_http(self.url, proc=self.proc.proc)
            self.wait_log("* Watching:")
        except Exception:
            self.proc.stop()
            raise

    def log(self) -> str:
        return self.proc.log()

    def wait_log(self, text: str, count: int = 1, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while self.log().count(text) < count:
            assert self.proc.proc.poll() is None, self.log()
            assert time.monotonic() < deadline, f"{text!r} x{count} not in the log:\n{self.log()}"
            time.sleep(0.05)


@pytest.fixture
def served(tmp_path):
    made: list[Served] = []

    def start(args: list[str]) -> Served:
        s = Served(args, tmp_path)
        made.append(s)
        return s

    yield start
    for s in made:
        s.proc.stop()


def reloads(page: Page, n: int):
    expect(page.locator(f'body[data-nbdemo-reloads="{n}"][data-nbdemo-connected]')).to_have_count(1, timeout=T)


@pytest.mark.browser
@pytest.mark.parametrize("command", [["app.py"], ["run", "app.py", "--reload"]],
                         ids=["nbdemo app.py", "nbdemo run --reload"])
def test_save_updates_open_page(command, served, page: Page, tmp_path, artifacts):
    app = tmp_path / "app.py"
    app.write_text(APP)
    s = served(command)
    page.goto(s.url)
    expect(page.locator("body[data-nbdemo-connected]")).to_have_count(1, timeout=T)
    name, greeting = page.get_by_label("name", exact=True), page.get_by_label("greeting", exact=True)
    name.fill("Ada")
    page.get_by_role("button", name="Submit").click()
    expect(greeting).to_have_value("Hello, Ada! (run 1)", timeout=T)

    # save a new version: a new greeting and a new component, no manual refresh
    write(app, APP.replace('f"Hello, {name}!', 'f"Hi there, {name}!').replace(
        'title="Greeter")', 'title="Greeter", article="Version two")'))
    reloads(page, 1)
    expect(page.get_by_text("Version two")).to_be_visible(timeout=T)
    expect(name).to_have_value("Ada")        # what was typed is kept
    expect(greeting).to_have_value("")       # a read-only output starts fresh
    page.get_by_role("button", name="Submit").click()
    expect(greeting).to_have_value("Hi there, Ada! (run 2)", timeout=T)  # NO_RELOAD kept `runs`
    expect(page).to_have_title("Greeter")

    # a syntax error: in the terminal and on the page; the last demo keeps working
    write(app, APP + "\nthis is not python(\n")
    error = page.get_by_role("alert").filter(has_text="Reload failed")
    expect(error).to_contain_text("SyntaxError", timeout=T)
    s.wait_log("Reload failed")
    assert "SyntaxError" in s.log()
    page.screenshot(path=str(artifacts / f"reload_error_{command[0]}.png"), full_page=True)
    name.fill("Grace")
    page.get_by_role("button", name="Submit").click()
    expect(greeting).to_have_value("Hi there, Grace! (run 2)", timeout=T)

    # a runtime error too
    write(app, APP.replace("demo = gr.Interface", "1 / 0\ndemo = gr.Interface"))
    expect(error).to_contain_text("ZeroDivisionError", timeout=T)

    # fixing the file recovers
    write(app, APP.replace('f"Hello, {name}!', 'f"Welcome back, {name}!'))
    reloads(page, 2)
    expect(error).to_have_count(0)
    expect(name).to_have_value("Grace")
    page.get_by_role("button", name="Submit").click()
    expect(greeting).to_have_value(re.compile(r"Welcome back, Grace! \(run \d\)"), timeout=T)
    assert page.js_errors == [], page.js_errors
    assert s.proc.proc.poll() is None


@pytest.mark.browser
def test_first_run_error_then_fix(served, page: Page, tmp_path):
    app = tmp_path / "app.py"
    app.write_text("import nbdemo as gr\nraise RuntimeError('not ready yet')\n")
    s = served(["app.py"])
    assert "RuntimeError: not ready yet" in s.log()
    page.goto(s.url)
    expect(page.get_by_role("alert")).to_contain_text("RuntimeError: not ready yet", timeout=T)
    write(app, APP)
    reloads(page, 1)
    expect(page.get_by_role("alert").filter(has_text="Reload failed")).to_have_count(0)
    page.get_by_label("name", exact=True).fill("Linus")
    page.get_by_role("button", name="Submit").click()
    # NO_RELOAD blocks run until a run succeeds
    expect(page.get_by_label("greeting", exact=True)).to_have_value("Hello, Linus! (run 1)", timeout=T)


@pytest.mark.browser
def test_notebook_served_and_reloaded(served, page: Page, tmp_path, artifacts):
    nb = tmp_path / "analysis.ipynb"

    def cells(word: str) -> str:
        return notebook([
            ("markdown", "# An analysis\n\nProse, not code."),
            ("code", "import nbdemo as gr\n\ndef shout(text):\n"
                     f"    return text.upper() + '{word}'"),
            ("code", "draft = gr.Interface(str, 'text', 'text', title='Draft')\ndraft"),
            ("code", "app = gr.Interface(shout, gr.Textbox(label='text'), "
                     "gr.Textbox(label='loud'), title='Shouter')\napp"),
        ])

    nb.write_text(cells("!"))
    s = served(["run", "analysis.ipynb", "--reload"])
    page.goto(s.url)
    expect(page).to_have_title("Shouter", timeout=T)  # the last displayed demo
    text, loud = page.get_by_label("text", exact=True), page.get_by_label("loud", exact=True)
    text.fill("hey")
    page.get_by_role("button", name="Submit").click()
    expect(loud).to_have_value("HEY!", timeout=T)
    write(nb, cells("!!!"))  # what JupyterLab's save does to the file
    reloads(page, 1)
    expect(text).to_have_value("hey")
    page.get_by_role("button", name="Submit").click()
    expect(loud).to_have_value("HEY!!!", timeout=T)
    page.screenshot(path=str(artifacts / "reload_notebook.png"), full_page=True)
    assert page.js_errors == [], page.js_errors


@pytest.mark.browser
def test_run_notebook_without_reload(served, page: Page, tmp_path):
    nb = tmp_path / "nb.ipynb"
    nb.write_text(notebook([("code", "import nbdemo as gr\n"
                                     "demo = gr.Interface(lambda x: x[::-1], gr.Textbox(label='in'), "
                                     "gr.Textbox(label='out'), title='Reverse')")]))
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}
    proc = Proc([sys.executable, "-m", "nbdemo", "run", "nb.ipynb", "--port", str(port)],
                env=env, cwd=tmp_path, log=tmp_path / "run.log")
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_http(url, proc=proc.proc)
        page.goto(url)
        page.get_by_label("in", exact=True).fill("stressed")
        page.get_by_role("button", name="Submit").click()
        expect(page.get_by_label("out", exact=True)).to_have_value("desserts", timeout=T)
        assert "Watching" not in proc.log()
    finally:
        proc.stop()
