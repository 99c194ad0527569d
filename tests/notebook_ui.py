"""Driving JupyterLab in tests: write a notebook, wait for a kernel, Run All
reliably, end a notebook's kernel. Shared by every browser test that opens a notebook."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, expect

T = 60_000  # ms; generous: JupyterLab, kernels and other tests share 2 cores
STARTED = re.compile(r"\[(\*|\d+)\]")


def write_notebook(path: Path, cells: list[str]) -> None:
    """A Python 3 notebook at ``path`` with one code cell per source in ``cells``."""
    path.write_text(json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {},
                   "outputs": [], "source": src} for i, src in enumerate(cells)],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5}))


def wait_kernel(page: Page) -> None:
    """Idle *and* a Python kernel attached (idle alone comes before the kernel)."""
    expect(page.locator(".jp-Notebook-ExecutionIndicator[data-status=idle]").first).to_be_attached(timeout=T)
    expect(page.locator(".jp-Toolbar-kernelName").first).to_contain_text("Python", timeout=T)


def run_all(page: Page) -> None:
    """Run All Cells, and again if no cell starts: a Run All issued while
    JupyterLab's kernel connection is still settling is sometimes dropped
    (seen about once per full browser run on a loaded machine)."""
    started = page.locator(".jp-CodeCell .jp-InputPrompt").filter(has_text=STARTED)
    for attempt in range(3):
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        try:
            expect(started.first).to_be_attached(timeout=20_000)
            return
        except AssertionError:
            if attempt == 2:
                raise


def shut_down_kernel(jupyter_lab, name: str) -> None:
    """End the kernel of notebooks/<name>: the session's other tests share the server."""
    for s in jupyter_lab.api("api/sessions"):
        if s.get("path", "").endswith(f"notebooks/{name}"):
            req = urllib.request.Request(f"{jupyter_lab.url}api/sessions/{s['id']}?token={jupyter_lab.token}",
                                         method="DELETE")
            urllib.request.urlopen(req, timeout=30).close()
