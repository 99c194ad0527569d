"""Shared fixtures: free ports, real servers in their own process groups,
headless Debian Chromium through Playwright, and a real `jupyter lab`."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("NBDEMO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage", "--disable-quic"]


def pytest_collection_modifyitems(session, config, items):
    """Browser tests run after all the others. Playwright's sync API leaves its
    event loop registered as the main thread's running loop for the rest of the
    session, and asyncio.run() (the engine and component unit tests) then
    refuses to start; test files named before test_engine.py would break it."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 30.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except Exception as e:  # not up yet
            last = e
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer in {timeout}s: {last}")


class Proc:
    """A subprocess in its own process group, ended by PID."""

    def __init__(self, args: list[str], env: dict | None = None, cwd: Path | None = None,
                 log: Path | None = None):
        self.log_path = log
        out = open(log, "wb") if log else subprocess.DEVNULL
        self.proc = subprocess.Popen(args, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                return
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run the README's test command, "
                    "which installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, request, artifacts):
    """A fresh browser context and page; screenshot saved at the end of the test."""
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.js_errors = errors
    yield pg
    try:
        pg.screenshot(path=str(artifacts / f"{request.node.name}.png"), full_page=True)
    finally:
        ctx.close()


def start_script(code: str, tmp_path: Path, port: int | None = None) -> tuple[Proc, str]:
    """Run ``code`` (which must call demo.launch(server_port=PORT)) as a script."""
    port = port or free_port()
    script = tmp_path / "app.py"
    script.write_text(code.replace("PORT", str(port)))
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = Proc([sys.executable, str(script)], env=env, cwd=tmp_path, log=tmp_path / "server.log")
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_http(url, proc=proc.proc)
    except Exception:
        proc.stop()
        raise RuntimeError(proc.log()) from None
    return proc, url


@pytest.fixture(scope="session")
def gallery(tmp_path_factory):
    """`nbdemo demo` running as a real subprocess on a free port."""
    tmp = tmp_path_factory.mktemp("gallery")
    port = free_port()
    proc = Proc([sys.executable, "-m", "nbdemo", "demo", "--port", str(port)],
                env={**os.environ, "PYTHONUNBUFFERED": "1"}, cwd=tmp, log=tmp / "gallery.log")
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_http(url, proc=proc.proc)
        yield url
    finally:
        proc.stop()


def jupyter_env(tmp: Path, lab: bool = False) -> dict:
    """The environment for a Jupyter server with its user config, runtime, data
    and IPython dirs under ``tmp`` (the env's own config, where installing
    nbdemo put its extension's enabling file, stays visible, as for a user).
    ``lab``: also turn off JupyterLab's news toast, which covers cells."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    for var, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                     ("JUPYTER_DATA_DIR", "data"), ("IPYTHONDIR", "ipython")):
        (tmp / sub).mkdir(exist_ok=True)
        env[var] = str(tmp / sub)
    if lab:
        subprocess.run([sys.executable, "-m", "jupyter", "labextension", "disable",
                        "@jupyterlab/apputils-extension:announcements"], env=env, check=True,
                       capture_output=True)
    return env


class JupyterLab:
    def __init__(self, proc: Proc, url: str, token: str, root: Path):
        self.proc, self.url, self.token, self.root = proc, url, token, root

    def api(self, path: str) -> dict:
        with urllib.request.urlopen(f"{self.url}{path}?token={self.token}", timeout=10) as r:
            return json.loads(r.read())


@pytest.fixture(scope="session")
def jupyter_lab(tmp_path_factory):
    """A real `jupyter lab` on a free port with isolated config and the repo's notebooks."""
    tmp = tmp_path_factory.mktemp("jlab")
    root = tmp / "root"
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    env = jupyter_env(tmp, lab=True)
    port = free_port()
    token = "nbdemo-test-token"
    proc = Proc([sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
                 f"--port={port}", f"--IdentityProvider.token={token}",
                 f"--ServerApp.root_dir={root}", "--ServerApp.port_retries=0", "--allow-root",
                 "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
                env=env, cwd=root, log=tmp / "jupyter.log")
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_http(f"{url}api/status?token={token}", timeout=60, proc=proc.proc)
        yield JupyterLab(proc, url, token, root)
    finally:
        proc.stop()


# -- a real nbdemo server in the test process, and page-protocol clients -----------------

@pytest.fixture
def serve():
    """serve(mounts_or_demo, **kw) -> nbdemo Server on a free port, stopped after the test."""
    from nbdemo.server import Server

    servers = []

    def start(target, **kw):
        mounts = target if isinstance(target, dict) else {"/": target}
        kw.setdefault("port", free_port())
        srv = Server(mounts, host="127.0.0.1", quiet=True, **kw).start()
        servers.append(srv)
        return srv

    yield start
    for srv in servers:
        srv.stop()


@pytest.fixture
def clients():
    """clients(port, prefix="/") -> a connected wsclient.Client, closed after the test."""
    from wsclient import Client

    made = []

    def connect(port: int, **kw):
        c = Client(port, **kw)
        made.append(c)
        return c

    yield connect
    for c in made:
        c.close()
