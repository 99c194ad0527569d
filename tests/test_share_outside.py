"""share=True where no Jupyter server with nbdemo's extension runs the kernel
(a kernel started by jupyter_client/nbclient, as VS Code does, and a script):
one clear warning, the demo still shows, nothing fails."""

from __future__ import annotations

import warnings

import nbformat
import pytest
from conftest import ROOT, free_port
from nbclient import NotebookClient

import nbdemo as gr

CELL = '''
import warnings
import nbdemo as gr

with gr.Blocks(title="Outside") as demo:
    gr.Textbox(label="Name")

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    result = demo.launch(share=True)
print("RESULT", tuple(result), demo.share_url)
print("WARNINGS", len(caught))
for w in caught:
    print("WARNING", w.category.__name__, w.message)
'''


def test_share_in_a_kernel_without_a_jupyter_server_warns_once(tmp_path, monkeypatch):
    # a kernel of its own, as VS Code and nbclient start one: no Jupyter server is its parent
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(CELL)]
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = nb.cells[0].outputs
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "RESULT (None, None, None) None" in text
    assert "WARNINGS 1" in text
    warning = next(line for line in text.splitlines() if line.startswith("WARNING "))
    assert "UserWarning" in warning and "share=True made no share link" in warning
    assert ("no Jupyter server with nbdemo's extension started this kernel" in warning
            or "the kernel was not started by a Jupyter server" in warning)
    assert "VS Code, Colab and plain IPython" in warning
    # the demo itself was shown inline
    assert any(o.output_type == "display_data"
               and "application/vnd.jupyter.widget-view+json" in o.get("data", {})
               for o in outputs)
    assert not list((tmp_path / "runtime").glob("nbdemo-*"))  # nothing registered or served


def test_share_in_a_script_warns_and_serves_locally():
    with gr.Blocks() as demo:
        gr.Textbox()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        server, local_url, share_url = demo.launch(share=True, prevent_thread_lock=True, quiet=True,
                                                   server_port=free_port(), inline=False)
    try:
        assert share_url is None and demo.share_url is None and local_url.startswith("http://127.0.0.1:")
        assert [str(w.message)[:40] for w in caught] == ["share=True: nbdemo makes share links for"]
    finally:
        demo.close()


def test_share_expires_needs_share():
    with gr.Blocks() as demo:
        gr.Textbox()
    from nbdemo.notebook import door

    with pytest.raises(TypeError, match="share_expires= .* needs share=True"):
        door.launch(demo, share=False, share_expires=60)


def test_share_on_colab_serves_through_its_kernel_port_proxy(monkeypatch):
    """Colab cannot run here: its front-end's proxyPort is a mock (module
    google.colab.output) that answers with the real server's own address."""
    import sys
    import types
    import urllib.request

    from nbdemo.notebook import door

    asked = []

    def eval_js(code):
        asked.append(code)
        port = int(code.split("proxyPort(")[1].split(",")[0])
        return f"http://127.0.0.1:{port}/"

    google, colab, output = (types.ModuleType(n) for n in
                             ("google", "google.colab", "google.colab.output"))
    output.eval_js = eval_js
    output.enable_custom_widget_manager = lambda: None  # anywidget calls it on Colab
    colab.output, google.colab = output, colab
    for name, mod in (("google", google), ("google.colab", colab), ("google.colab.output", output)):
        monkeypatch.setitem(sys.modules, name, mod)
    with gr.Blocks(title="On Colab") as demo:
        gr.Textbox()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        server, local_url, share_url = door.launch(demo, share=True, share_expires=None)
    try:
        assert asked == [f"google.colab.kernel.proxyPort({server.port}, {{'cache': false}})"]
        assert local_url == demo.local_url == f"http://127.0.0.1:{server.port}/"
        assert share_url is None and demo.share_url is None
        assert len(caught) == 1 and "Colab's kernel port proxy" in str(caught[0].message)
        assert "not for others" in str(caught[0].message)
        with urllib.request.urlopen(local_url, timeout=10) as r:
            assert "<title>On Colab</title>" in r.read().decode()
    finally:
        demo.close()
    with pytest.raises(OSError):
        urllib.request.urlopen(local_url, timeout=5)
