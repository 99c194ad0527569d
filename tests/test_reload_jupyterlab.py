"""A notebook served as an app (`nbdemo run analysis.ipynb --reload`) while it
is edited in a real JupyterLab: saving there updates the open demo page."""

from __future__ import annotations

import json
import os
import sys
import time

import pytest
from conftest import ROOT, Proc, free_port, wait_http
from notebook_ui import wait_kernel
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.jupyter]

T = 60_000


def notebook(word: str) -> str:
    cells = [("markdown", "# Shouting\n\nA prototype that is also an app."),
             ("code", f"import nbdemo as gr\n\ndef shout(text):\n    return text.upper() + '{word}'"),
             ("code", "app = gr.Interface(shout, gr.Textbox(label='text'), "
                      "gr.Textbox(label='loud'), title='Shouter')\napp")]
    return json.dumps({
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}},
        "cells": [{"cell_type": k, "metadata": {}, "source": src,
                   **({"outputs": [], "execution_count": None} if k == "code" else {})}
                  for k, src in cells]}, indent=1)


def test_saving_in_jupyterlab_updates_the_page(jupyter_lab, browser, artifacts):
    folder = jupyter_lab.root / "reload_nb"
    folder.mkdir(exist_ok=True)
    (folder / "analysis.ipynb").write_text(notebook("!"))
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}
    served = Proc([sys.executable, "-m", "nbdemo", "run", "analysis.ipynb", "--reload",
                   "--port", str(port)], env=env, cwd=folder, log=folder.parent / "reload_nb.log")
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_http(url, proc=served.proc)
        deadline = time.monotonic() + 30
        while "* Watching:" not in served.log():
            assert time.monotonic() < deadline, served.log()
            time.sleep(0.05)
        demo = ctx.new_page()
        demo.goto(url)
        expect(demo).to_have_title("Shouter", timeout=T)
        text, loud = demo.get_by_label("text", exact=True), demo.get_by_label("loud", exact=True)
        text.fill("hey")
        demo.get_by_role("button", name="Submit").click()
        expect(loud).to_have_value("HEY!", timeout=T)

        lab = ctx.new_page()
        lab.goto(f"{jupyter_lab.url}lab/tree/reload_nb/analysis.ipynb?token={jupyter_lab.token}")
        wait_kernel(lab)
        editor = lab.locator(".jp-CodeCell .cm-content").filter(has_text="def shout")
        expect(editor).to_be_visible(timeout=T)
        editor.click()
        lab.keyboard.press("Control+a")
        lab.keyboard.insert_text("import nbdemo as gr\n\ndef shout(text):\n"
                                 "    return text.upper() + ' (saved in JupyterLab)'")
        lab.keyboard.press("Control+s")
        deadline = time.monotonic() + 30
        while "saved in JupyterLab" not in (folder / "analysis.ipynb").read_text():
            assert time.monotonic() < deadline, "JupyterLab did not save the notebook"
            time.sleep(0.1)
        lab.screenshot(path=str(artifacts / "reload_jupyterlab_editor.png"))

        # the demo page updates by itself; what was typed stays
        expect(demo.locator("body[data-nbdemo-reloads][data-nbdemo-connected]")).to_have_count(1, timeout=T)
        expect(text).to_have_value("hey")
        demo.get_by_role("button", name="Submit").click()
        expect(loud).to_have_value("HEY (saved in JupyterLab)", timeout=T)
        demo.screenshot(path=str(artifacts / "reload_jupyterlab_page.png"))
        for name in jupyter_lab.api("api/sessions"):
            if name.get("path", "").endswith("reload_nb/analysis.ipynb"):
                import urllib.request

                req = urllib.request.Request(
                    f"{jupyter_lab.url}api/sessions/{name['id']}?token={jupyter_lab.token}",
                    method="DELETE")
                urllib.request.urlopen(req, timeout=10).close()
    finally:
        ctx.close()
        served.stop()
    assert "Traceback" not in served.log(), served.log()
