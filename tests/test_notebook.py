"""The inline front door, in process: the front-end is simulated by calling
the widgets' message handlers as ipywidgets would on the shell thread.
(The real thing in JupyterLab is tests/test_notebook_browser.py.)"""

from __future__ import annotations

import threading
import time

import pytest

import nbdemo as gr
from nbdemo import notebook


def wait_for(pred, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.01)
    return pred()


@pytest.fixture
def sent(monkeypatch):
    """Messages each widget sends to the front-end: {model_id: [content, ...]}."""
    log: dict[str, list] = {}

    def send(self, content, buffers=None):
        log.setdefault(self.model_id, []).append(content)

    monkeypatch.setattr(gr.Component, "send", send, raising=False)
    monkeypatch.setattr(notebook.DemoWidget, "send", send, raising=False)
    return log


def front(comp, **content):
    comp._on_front_msg(comp, content, [])


def test_layout_names_component_widgets():
    demo = gr.Interface(lambda s: s, "text", "text")
    view = notebook.view_for(demo)
    refs = []

    def collect(node):
        if node["type"] == "component":
            refs.append(node["ref"])
        for c in node.get("children", []):
            collect(c)

    collect(view._layout)
    assert sorted(refs) == sorted(f"anywidget:{c.model_id}" for c in demo.components())
    assert view._kind == "blocks" and view.title == demo.title


def test_runtime_is_sent_on_request(sent):
    box = gr.Textbox()
    front(box, type="runtime")
    (msg,) = sent[box.model_id]
    assert msg["type"] == "runtime" and "export" in msg["code"] and len(msg["code"]) > 10_000
    # every widget ships only the small stub, not the runtime
    assert len(box._esm) < 2000


def test_click_runs_off_the_shell_thread_and_updates_traits(sent):
    threads = []

    def greet(name):
        threads.append(threading.current_thread())
        return f"Hello, {name}!"

    demo = gr.Interface(greet, "text", "text")
    notebook.view_for(demo)
    name, = demo.input_components
    out, = demo.output_components
    front(name, type="set", value="Ada")
    assert name.value == "Ada"
    front(demo.submit_btn, type="event", event="click")
    assert wait_for(lambda: out.value == "Hello, Ada!")
    assert threads and threads[0] is not threading.current_thread()
    root_msgs = sent[notebook.view_for(demo).model_id]
    assert [m["status"] for m in root_msgs if m["type"] == "status"][-1] == "complete"


def test_value_set_from_python_is_what_fn_sees():
    demo = gr.Interface(lambda s: s[::-1], "text", "text")
    notebook.view_for(demo)
    name, = demo.input_components
    name.value = "abc"
    front(demo.submit_btn, type="event", event="click")
    assert wait_for(lambda: demo.output_components[0].value == "cba")


def test_wrong_type_gets_an_error_and_keeps_the_value(sent):
    num = gr.Number(value=3)
    front(num, type="set", value={"not": "a number"})
    assert num.value == 3
    assert sent[num.model_id][-1]["type"] == "error"
    assert "Number" in sent[num.model_id][-1]["message"]


def test_errors_reach_the_root_and_the_next_event_works(sent):
    def f(x):
        if x == "boom":
            raise gr.Error("no booms here")
        return x.upper()

    demo = gr.Interface(f, "text", "text")
    view = notebook.view_for(demo)
    box, = demo.input_components
    front(box, type="event", event="submit", value="boom")
    assert wait_for(lambda: any(m.get("status") == "error" for m in sent.get(view.model_id, [])))
    err = [m for m in sent[view.model_id] if m.get("status") == "error"][0]
    assert err["message"] == "no booms here"
    front(box, type="event", event="submit", value="ok")
    assert wait_for(lambda: demo.output_components[0].value == "OK")


def test_unknown_event_is_reported_to_the_page(sent):
    demo = gr.Interface(lambda s: s, "text", "text")
    view = notebook.view_for(demo)
    front(demo.output_components[0], type="event", event="click")
    assert wait_for(lambda: any(m.get("type") == "error" for m in sent.get(view.model_id, [])))


def test_state_is_kept_in_the_notebook_session():
    with gr.Blocks() as demo:
        count = gr.State(0)
        btn = gr.Button("+1")
        out = gr.Number()
        btn.click(lambda n: (n + 1, n + 1), count, [count, out])
    notebook.view_for(demo)
    for i in range(1, 4):
        front(btn, type="event", event="click")
        assert wait_for(lambda i=i: out.value == i)


def test_rerunning_a_cell_replaces_its_demo(monkeypatch):
    monkeypatch.setattr(notebook, "_cell_id", lambda: "cell-1")
    first = gr.Interface(lambda s: s, "text", "text")
    v1 = notebook.view_for(first)
    second = gr.Interface(lambda s: s, "text", "text")
    v2 = notebook.view_for(second)
    assert v1.comm is None and all(c.comm is None for c in first.components())
    assert v2.comm is not None and all(c.comm is not None for c in second.components())
    # showing the same demo again in the same cell keeps it
    assert notebook.view_for(second) is v2
