"""A newcomer's first command, as CI runs it: the README's first ```bash block,
exactly as written, on a fresh clone in a fresh venv, then every gallery demo
opened in real Chromium.

A green CI can hide a missing install step (CI's environment keeps what
earlier runs installed); this test sees only what the README's command
installs. pip may use its local cache; the package index is reachable.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, Proc, free_port, wait_http
from playwright.sync_api import expect

from nbdemo.demos import DEMOS

# pip installs in a fresh venv: a longer hang guard than the suite default (pyproject)
pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(1500)]

T = 60_000


def first_command() -> str:
    """The README's first ```bash block (one command line)."""
    block = re.search(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(), re.S).group(1)
    lines = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
    assert len(lines) == 1, f"the README's first command should be one line: {lines}"
    return lines[0]


def test_readme_first_command_is_the_gallery():
    assert first_command().endswith("nbdemo demo")


def start_in_fresh_venv(tmp: Path, command: str):
    """``command`` (bash) in a fresh venv on a fresh clone, until the gallery answers;
    yields (url, proc)."""
    clone = tmp / "nbdemo"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    venv = tmp / "venv"
    subprocess.run([shutil.which("python3") or sys.executable, "-m", "venv", str(venv)],
                   check=True, timeout=120)
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", VIRTUAL_ENV=str(venv),
               PYTHONUNBUFFERED="1", PIP_DISABLE_PIP_VERSION_CHECK="1",
               NBDEMO_SERVER_PORT=str(free_port()))  # where the "next free port" search starts
    log = tmp / "command.log"
    proc = Proc(["bash", "-c", command], env=env, cwd=clone, log=log)
    try:
        deadline = time.monotonic() + 900  # pip install, then the server
        url = None
        while url is None:
            if proc.proc.poll() is not None:
                pytest.fail(f"{command!r} exited with {proc.proc.returncode}:\n"
                            f"{proc.log()[-5000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"the gallery did not start:\n{proc.log()[-5000:]}")
            m = re.search(r"nbdemo gallery \(\d+ demos\) on (http://127\.0\.0\.1:\d+/)", proc.log())
            url = m.group(1) if m else None
            time.sleep(0.5)
        wait_http(url, proc=proc.proc)
        # the gallery runs from the venv's own install of the clone, not this checkout
        where = subprocess.run([str(venv / "bin" / "python"), "-c",
                                "import nbdemo; print(nbdemo.__file__)"],
                               capture_output=True, text=True, env=env, cwd=tmp, check=True)
        assert Path(where.stdout.strip()).is_relative_to(clone), where.stdout
        yield url, proc
    finally:
        proc.stop()


@pytest.fixture(scope="module")
def fresh_gallery(tmp_path_factory):
    """The README's first command running in a fresh venv on a fresh clone; its URL."""
    yield from start_in_fresh_venv(tmp_path_factory.mktemp("fresh"), first_command())


@pytest.fixture(scope="module")
def bare_gallery(tmp_path_factory):
    """`pip install -e . && nbdemo demo`: nbdemo without its extras."""
    yield from start_in_fresh_venv(tmp_path_factory.mktemp("bare"), "pip install -e . && nbdemo demo")


def test_every_gallery_demo_opens(fresh_gallery, page, artifacts):
    url, proc = fresh_gallery
    page.goto(url)
    expect(page.locator(".nbd-demo-list a")).to_have_count(len(DEMOS), timeout=T)
    for name, title in DEMOS.items():
        page.goto(f"{url}{name}/")
        expect(page.locator("body[data-nbdemo-ready]")).to_have_count(1, timeout=T)
        expect(page.locator("body[data-nbdemo-connected]")).to_have_count(1, timeout=T)
        expect(page).to_have_title(title)
        expect(page.locator(".nbd-block[data-nbd-id]").first).to_be_visible(timeout=T)
        # every package the gallery needs was installed: no "needs pip install" page
        expect(page.locator(".nbd-missing")).to_have_count(0)
        page.screenshot(path=str(artifacts / f"fresh_venv_{name}.png"), full_page=True)
        assert page.js_errors == [], (name, page.js_errors)
    assert "Traceback" not in proc.log(), proc.log()[-5000:]


#: gallery demos that need a package outside nbdemo's core, and the extra that brings it
NEEDS = {"image_filters": "media", "data_explorer": "media", "media_files": "media",
         "digits": "demo"}  # numpy and scikit-learn


def test_without_extras_each_demo_says_what_to_install(bare_gallery, page, artifacts):
    url, proc = bare_gallery
    for name, title in DEMOS.items():
        page.goto(f"{url}{name}/")
        expect(page.locator("body[data-nbdemo-ready]")).to_have_count(1, timeout=T)
        expect(page).to_have_title(title)
        missing = page.locator(".nbd-missing")
        if name in NEEDS:
            expect(missing).to_contain_text(f'pip install "nbdemo[{NEEDS[name]}]"')
            expect(missing).to_contain_text('pip install -e ".[demo]"')
            page.screenshot(path=str(artifacts / f"bare_venv_{name}.png"), full_page=True)
        else:
            expect(missing).to_have_count(0)
        assert page.js_errors == [], (name, page.js_errors)
    # the demos that need nothing more work
    page.goto(f"{url}hello/")
    expect(page.locator("body[data-nbdemo-connected]")).to_have_count(1, timeout=T)
    page.get_by_label("name", exact=True).fill("Ada")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_label("output", exact=True)).to_have_value("Hello, Ada!", timeout=T)
    assert "Traceback" not in proc.log(), proc.log()[-5000:]
