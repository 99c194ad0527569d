"""The Jupyter door as people use it, in real Chromium against a real
`jupyter lab` at JupyterHub's "/user/alice/" prefix (extension enabled by the
installed config): the owner runs a notebook, uses the inline demo, opens it
as a page from the inline toolbar and shares it; visitors without a Jupyter
login open the link in fresh browser contexts."""

from __future__ import annotations

import json
import os
import re
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, Proc, free_port, jupyter_env, wait_http
from notebook_ui import T, run_all, wait_kernel
from playwright.sync_api import expect
from test_jupyter_door import DEMO

pytestmark = [pytest.mark.browser, pytest.mark.jupyter]

TOKEN = "door-browser-token"
BASE = "/user/alice/"


@pytest.fixture(scope="module")
def lab_root(tmp_path_factory) -> Path:
    """The server's root: door.ipynb (for JupyterLab) and door7.ipynb (for Notebook 7)."""
    root = tmp_path_factory.mktemp("doorlab") / "root"
    root.mkdir()
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    nb.cells = [nbformat.v4.new_code_cell(DEMO + "\nhello.launch()"),
                nbformat.v4.new_code_cell("other")]
    nbformat.write(nb, root / "door.ipynb")
    nbformat.write(nb, root / "door7.ipynb")
    return root


def api(lab: str, path: str, method: str = "GET"):
    req = urllib.request.Request(f"{lab}{path}?token={TOKEN}", method=method)
    with urllib.request.urlopen(req, timeout=30) as r:
        raw = r.read()
    return json.loads(raw) if raw else None


def wait_session_idle(lab: str, name: str) -> None:
    """Until the notebook's kernel is started, idle and connected (Run All before
    that is sometimes dropped)."""
    deadline = time.monotonic() + T / 1000
    while time.monotonic() < deadline:
        for s in api(lab, "api/sessions"):
            k = s["kernel"]
            if s["path"].endswith(name) and k["execution_state"] == "idle" and k["connections"]:
                return
        time.sleep(0.2)
    raise TimeoutError(f"no idle, connected kernel for {name}")


@pytest.fixture(scope="module")
def lab(lab_root):
    root, tmp = lab_root, lab_root.parent
    env = jupyter_env(tmp, lab=True)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    port = free_port()
    proc = Proc([sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
                 f"--port={port}", f"--IdentityProvider.token={TOKEN}", f"--ServerApp.base_url={BASE}",
                 f"--ServerApp.root_dir={root}", "--ServerApp.port_retries=0", "--allow-root",
                 "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
                env=env, cwd=root, log=tmp / "jupyter.log")
    url = f"http://127.0.0.1:{port}{BASE}"
    try:
        wait_http(f"{url}api/status?token={TOKEN}", timeout=60, proc=proc.proc)
        yield url
    finally:
        proc.stop()


@pytest.fixture(scope="module")
def owner(browser, lab, artifacts):
    """JupyterLab with the notebook run (one page for the module's tests)."""
    ctx = browser.new_context(viewport={"width": 1300, "height": 1000},
                              permissions=["clipboard-read", "clipboard-write"])
    page = ctx.new_page()
    page.goto(f"{lab}lab/tree/door.ipynb?token={TOKEN}")
    wait_kernel(page)
    run_all(page)
    try:
        expect(page.locator(".nbd-door")).to_have_count(2, timeout=T)
    except AssertionError:
        page.screenshot(path=str(artifacts / "door_owner_lab.png"), full_page=True)
        raise
    yield page
    page.screenshot(path=str(artifacts / "door_owner_lab.png"), full_page=True)
    ctx.close()


def demo_root(page):
    """The inline "Door hello" demo (the one with a Name field)."""
    return page.locator(".nbd-app[data-nbdemo-ready]").filter(has=page.get_by_label("Name")).first


def greet(scope, name: str, expected) -> None:
    scope.get_by_label("Name").fill(name)
    scope.get_by_role("button", name="Greet").click()
    expect(scope.get_by_label("Greeting")).to_have_value(expected, timeout=T)


def visitor(browser):
    """A fresh browser context: no Jupyter cookie, no token."""
    ctx = browser.new_context(viewport={"width": 1000, "height": 800})
    return ctx, ctx.new_page()


def make_link(owner) -> str:
    app = demo_root(owner)
    field = app.locator(".nbd-door-link")
    before = field.input_value()
    app.get_by_role("button", name="Share").click()
    expect(field).not_to_have_value(before, timeout=T)  # a new link each time
    expect(field).to_have_value(re.compile(r"/nbdemo/share/"), timeout=T)
    return field.input_value()


def test_owner_uses_inline_demo_and_opens_it_as_a_page(owner, lab, artifacts):
    app = demo_root(owner)
    greet(app, "Ann", "Hello Ann #1")
    with owner.expect_popup() as popup:
        app.get_by_role("link", name="Open as page").click()
    page = popup.value
    expect(page).to_have_url(re.compile(rf"{re.escape(BASE)}nbdemo/[0-9a-f]{{16}}/$"), timeout=T)
    expect(page.locator("body[data-nbdemo-connected]")).to_be_attached(timeout=T)
    greet(page, "Pat", "Hello Pat #1")  # the page is its own session: its own State
    page.screenshot(path=str(artifacts / "door_owner_page.png"), full_page=True)
    page.close()
    greet(app, "Ann", "Hello Ann #2")  # and the notebook's is untouched


def test_index_lists_the_notebooks_demos(owner, lab, artifacts):
    page = owner.context.new_page()
    page.goto(f"{lab}nbdemo/")
    rows = page.locator("tr[data-demo]")
    expect(rows).to_have_count(2, timeout=T)
    expect(page.locator("table")).to_contain_text("Door hello")
    expect(page.locator("table")).to_contain_text("Door other")
    expect(page.locator("table")).to_contain_text("door.ipynb")
    page.screenshot(path=str(artifacts / "door_index.png"), full_page=True)
    page.close()


def test_share_button_copies_a_link_visitors_can_use(owner, lab, browser, artifacts):
    link = make_link(owner)
    assert link.startswith(f"{lab}nbdemo/share/")
    assert owner.evaluate("navigator.clipboard.readText()") == link
    ctx_a, a = visitor(browser)
    ctx_b, b = visitor(browser)
    try:
        for pg in (a, b):
            pg.goto(link)
            expect(pg.locator("body[data-nbdemo-connected]")).to_be_attached(timeout=T)
        greet(a, "Vic", "Hello Vic #1")
        greet(a, "Vic", "Hello Vic #2")
        greet(b, "Wes", "Hello Wes #1")  # each visitor has their own State
        a.screenshot(path=str(artifacts / "door_visitor.png"), full_page=True)
        # with the link's cookies, nothing else of the server answers with data
        for path in ("api/contents", "api/kernels", "api/sessions", "lab", "terminals",
                     "api/terminals", "nbdemo/", "nbdemo/api/demos"):
            r = ctx_a.request.get(f"{lab}{path}", max_redirects=0)
            assert r.status in (302, 403, 404), (path, r.status)
            assert r.status != 302 or "/login" in r.headers["location"], path
            assert "door.ipynb" not in r.text(), path
        # the link logs nobody in: no Jupyter login cookie (username-<host>-<port>)
        assert not [c["name"] for c in ctx_a.cookies() if c["name"].startswith("username-")]
    finally:
        ctx_a.close()
        ctx_b.close()


def test_bad_links_show_a_clear_page(owner, lab, browser, artifacts):
    link = make_link(owner)
    ctx, page = visitor(browser)
    try:
        altered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
        page.goto(altered)
        expect(page.locator("h1")).to_have_text("This share link is not valid")
        page.screenshot(path=str(artifacts / "door_link_invalid.png"))
        # revoked from the index
        index = owner.context.new_page()
        index.goto(f"{lab}nbdemo/")
        token = link.rstrip("/").rsplit("/", 1)[1]
        share_id = token.split(".")[0]
        index.locator(f"form:has(input[name=share][value='{share_id}']) button").click()
        expect(index.locator(f"input[value='{link}']")).to_have_count(0, timeout=T)
        index.close()
        page.goto(link)
        expect(page.locator("h1")).to_have_text("This share link was revoked")
        page.screenshot(path=str(artifacts / "door_link_revoked.png"))
    finally:
        ctx.close()


def test_a_visitors_slow_run_does_not_block_the_notebook(owner, browser, artifacts, tmp_path):
    link = make_link(owner)
    release = tmp_path / "release-2"
    ctx, page = visitor(browser)
    try:
        page.goto(link)
        expect(page.locator("body[data-nbdemo-connected]")).to_be_attached(timeout=T)
        page.get_by_label("Name").fill(str(release))
        page.get_by_role("button", name="Slow").click()
        app = demo_root(owner)
        greet(app, "Zed", re.compile(r"Hello Zed #\d+"))  # inline, while the visitor's run waits
        assert page.get_by_label("Slow result").input_value() == ""
        release.touch()
        expect(page.get_by_label("Slow result")).to_have_value("done release-2", timeout=T)
    finally:
        ctx.close()


def test_notebook7_shows_the_toolbar_too(owner, lab, artifacts):
    """The same notebook in Notebook 7 (served by the same server): the toolbar
    reads Notebook 7's base URL and opens the page."""
    page = owner.context.new_page()
    try:
        page.goto(f"{lab}notebooks/door7.ipynb")
        wait_session_idle(lab, "door7.ipynb")
        run_all(page)
        expect(page.locator(".nbd-door")).to_have_count(2, timeout=T)
        app = demo_root(page)
        greet(app, "Nia", "Hello Nia #1")
        with page.expect_popup() as popup:
            app.get_by_role("link", name="Open as page").click()
        opened = popup.value
        expect(opened.locator("body[data-nbdemo-connected]")).to_be_attached(timeout=T)
        greet(opened, "Oz", "Hello Oz #1")
        opened.close()
        page.screenshot(path=str(artifacts / "door_notebook7.png"), full_page=True)
    finally:
        page.close()
        for s in api(lab, "api/sessions"):
            if s["path"].endswith("door7.ipynb"):
                api(lab, f"api/sessions/{s['id']}", "DELETE")
