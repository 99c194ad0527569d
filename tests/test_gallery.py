"""The gallery (`nbdemo demo`) without a browser: it starts without importing
any demo, its index lists titles and descriptions, each page links back, and a
demo whose package is missing shows what to install while the others work."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import urllib.request

import pytest
from conftest import ROOT, Proc, free_port, wait_http

from nbdemo.demos import DEMOS, DESCRIPTIONS, EXTRA, PACKAGES, build, sources


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read().decode()


def test_every_demo_has_a_description():
    assert set(DESCRIPTIONS) == set(DEMOS)
    assert all(DESCRIPTIONS[name].strip() for name in DEMOS)


def test_sources_build_nothing_until_asked():
    srcs = sources()
    assert [s.title for s in srcs.values()] == list(DEMOS.values())
    assert not any(s.built for s in srcs.values())
    hello = srcs["/hello/"]
    demo = hello.get()
    assert hello.built and hello.get() is demo
    assert demo.title == DEMOS["hello"]


@pytest.mark.parametrize("name", list(DEMOS))
def test_page_title_matches_gallery_entry(name):
    assert build(name).title == DEMOS[name]


def run_isolated(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120)


@pytest.mark.parametrize("module", sorted(PACKAGES))
def test_missing_package_shows_what_to_install(module):
    # ``None`` in sys.modules makes ``import <module>`` fail as if it were not installed
    r = run_isolated(f"""
        import sys, json
        sys.modules[{module!r}] = None
        from nbdemo.demos import build, DEMOS
        out = {{}}
        for name in DEMOS:
            demo = build(name)
            texts = [c.value for c in demo.components() if type(c).__name__ == "Markdown"]
            out[name] = [demo.title, " ".join(t for t in texts if isinstance(t, str))]
        print(json.dumps(out))
    """)
    assert r.returncode == 0, r.stderr
    import json

    pages = json.loads(r.stdout.strip().splitlines()[-1])
    package, extra = PACKAGES[module]
    needing = [n for n, (_, text) in pages.items()
               if f'pip install "nbdemo[{EXTRA.get(n, extra)}]"' in text]
    assert needing, f"no demo page asks for nbdemo[{extra}] without {module}: {pages}"
    for name in needing:
        assert f"**{package}**" in pages[name][1]
        assert pages[name][0] == DEMOS[name]
    # the demos that need no extra package still build for real
    for name in ("hello", "calculator", "layout", "counter", "chat"):
        assert "pip install" not in pages[name][1], name


def test_gallery_starts_lazily_and_serves_every_page(tmp_path):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    proc = Proc([sys.executable, "-m", "nbdemo", "demo", "--port", str(port)], env=env,
                cwd=tmp_path, log=tmp_path / "gallery.log")
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_http(url, proc=proc.proc, timeout=60)
        index = get(url)
        for name, title in DEMOS.items():
            assert f'<a href="{name}/">{title}</a>' in index
            assert DESCRIPTIONS[name].replace("'", "&#39;") in index
        for name, title in DEMOS.items():
            page = get(f"{url}{name}/")
            assert f"<title>{title}</title>" in page
            assert '<nav class="nbd-nav"><a href="../">&larr; nbdemo gallery</a></nav>' in page
    finally:
        proc.stop()
    assert "Traceback" not in proc.log(), proc.log()


def test_interface_outputs_are_read_only_as_in_gradio():
    demo = build("image_filters")
    (out,) = demo.output_components
    assert out.interactive is False  # the page shows a placeholder, not an upload box
    assert all(c.interactive is None for c in demo.input_components)
