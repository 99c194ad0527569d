"""Every ```python snippet in README.md runs, and a demo it launches serves a
working page: the first button's event completes over a real WebSocket."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap

import pytest
from conftest import ROOT, free_port

SNIPPETS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S)

# launch() is replaced by a non-blocking launch on a free port, followed by a
# real page load and a click on the first button through the WebSocket.
HARNESS = textwrap.dedent('''
    import json, urllib.request, websocket, nbdemo
    _launch = nbdemo.Blocks.launch

    def launch(self, **kw):
        keep = kw.get("prevent_thread_lock")  # the snippet goes on to use the server
        kw.update(prevent_thread_lock=True, quiet=True, inline=False)
        launched = server, url, _ = _launch(self, **kw)
        page = urllib.request.urlopen(url).read().decode()
        assert 'id="nbdemo-config"' in page, page[:300]
        config = json.loads(urllib.request.urlopen(url + "page_config").read())
        clickable = [int(i) for i, c in config["components"].items()
                     if c["kind"] == "button" and "click" in c["props"]["_events"]]
        ws = websocket.create_connection(url.replace("http", "ws") + "ws", timeout=20)
        pending = []

        def recv():  # a frame holds one message or an array of them
            if not pending:
                data = json.loads(ws.recv())
                pending.extend(data if isinstance(data, list) else [data])
            return pending.pop(0)

        assert recv()["type"] == "hello"
        ws.send(json.dumps({"type": "event", "id": min(clickable), "event": "click"}))
        statuses, updates = [], []
        while not statuses or statuses[-1] not in ("complete", "error"):
            msg = recv()
            if msg["type"] == "status":
                statuses.append(msg["status"])
            elif msg["type"] == "update":
                updates.append(msg)
            elif msg["type"] == "error":
                raise AssertionError(msg)
        ws.close()
        print("LAUNCHED", statuses[-1], json.dumps(updates))
        if keep:
            return launched
        self.close()

    nbdemo.Blocks.launch = launch
''')


def test_readme_has_snippets():
    assert len(SNIPPETS) >= 2


@pytest.mark.parametrize("code", SNIPPETS, ids=[f"snippet{i}" for i in range(len(SNIPPETS))])
def test_snippet_runs(code, tmp_path):
    script = tmp_path / "snippet.py"
    script.write_text(HARNESS + "\n" + code)
    env = {**os.environ, "NBDEMO_SERVER_PORT": str(free_port())}
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env,
                       cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr[-3000:]
    if "launch()" in code:
        assert "LAUNCHED complete" in r.stdout, r.stdout + r.stderr[-2000:]
