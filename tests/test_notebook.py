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
    # the value is stored on nbdemo's loop, in order with the click that follows it
    front(name, type="set", value="Ada")
    front(demo.submit_btn, type="event", event="click")
    assert wait_for(lambda: out.value == "Hello, Ada!")
    assert name.value == "Ada"
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


# -- the door: every message goes through the one dispatcher, in order -------------------------


def test_a_value_for_a_non_interactive_component_is_refused(sent):
    # the standalone server always refused this; inline used to accept it
    with gr.Blocks() as demo:
        box = gr.Textbox("fixed", interactive=False)
        out = gr.Textbox()
        box.submit(lambda s: s, box, out)
    notebook.view_for(demo)
    front(box, type="set", value="changed")
    assert wait_for(lambda: any(m["type"] == "error" for m in sent.get(box.model_id, [])))
    (err,) = [m for m in sent[box.model_id] if m["type"] == "error"]
    assert "not interactive" in err["message"]
    assert box.value == "fixed"
    # the session goes on: a trigger still runs, with the value the kernel holds
    front(box, type="event", event="submit")
    assert wait_for(lambda: out.value == "fixed")


def test_an_event_for_an_unknown_component_gets_an_error(sent):
    demo = gr.Interface(lambda s: s, "text", "text")
    view = notebook.view_for(demo)
    # on the root's comm a message names its component; this one names none of the demo's
    front(view, type="event", id=987654321, event="click")
    assert wait_for(lambda: any(m["type"] == "error" for m in sent.get(view.model_id, [])))
    (err,) = [m for m in sent[view.model_id] if m["type"] == "error"]
    assert "no component with id 987654321" in err["message"]
    # a component shown on its own is in no demo: it has no listeners
    loose = gr.Button("alone")
    front(loose, type="event", event="click")
    (err,) = sent[loose.model_id]
    assert err["type"] == "error" and "not part of a demo" in err["message"]
    # the demo still works
    front(demo.input_components[0], type="event", event="submit", value="ok")
    assert wait_for(lambda: demo.output_components[0].value == "ok")


def test_a_component_speaks_only_for_itself(sent):
    demo = gr.Interface(lambda s: s.upper(), "text", "text")
    notebook.view_for(demo)
    (inp,), (out,) = demo.input_components, demo.output_components
    front(inp, type="set", id=out._id, value="mine")  # the id is the comm's, not the message's
    front(demo.submit_btn, type="event", event="click")
    assert wait_for(lambda: out.value == "MINE")


def test_sets_and_triggers_are_handled_in_arrival_order_on_the_loop():
    seen, threads = [], []
    with gr.Blocks() as demo:
        box = gr.Textbox()
        btn = gr.Button()
        out = gr.Textbox()
        btn.click(lambda s: seen.append(s) or s, box, out, trigger_mode="multiple")
    notebook.view_for(demo)
    box.observe(lambda change: threads.append(threading.current_thread().name), "value")
    for i in range(5):  # one burst, as fast as the shell thread delivers it
        front(box, type="set", value=f"v{i}")
        front(btn, type="event", event="click")
    assert wait_for(lambda: len(seen) == 5)
    assert sorted(seen) == [f"v{i}" for i in range(5)]  # each run read the value set before its click
    assert set(threads) == {"nbdemo-loop"}


def test_a_component_on_its_own_keeps_what_the_user_enters(sent):
    box = gr.Textbox("a")
    changes = []
    box.observe(lambda change: changes.append(change["new"]), "value")
    front(box, type="set", value="b")
    assert box.value == "b" and changes == ["b"]  # at once: no demo, no loop
    assert sent.get(box.model_id) is None  # no echo to the page
    fixed = gr.Textbox("x", interactive=False)
    front(fixed, type="set", value="y")
    assert fixed.value == "x" and "not interactive" in sent[fixed.model_id][-1]["message"]


def test_unknown_and_malformed_messages_get_an_error(sent):
    box = gr.Textbox()
    front(box, type="telepathy")
    box._on_front_msg(box, ["not", "a", "dict"], [])
    errors = [m for m in sent[box.model_id] if m["type"] == "error"]
    assert len(errors) == 2
    assert "unknown message type 'telepathy'" in errors[0]["message"]


def test_a_cancel_for_an_unknown_run_gets_an_error(sent):
    demo = gr.Interface(lambda s: s, "text", "text")
    view = notebook.view_for(demo)
    front(view, type="cancel", event_id="no-such-run")
    assert wait_for(lambda: any(m["type"] == "error" for m in sent.get(view.model_id, [])))


def test_every_kind_the_door_handles_is_a_protocol_record():
    from nbdemo import protocol
    from nbdemo.notebook import comm

    kinds = {v for k, v in vars(protocol).items() if k.isupper() and isinstance(v, str)}
    assert set(comm.HANDLERS) <= kinds
    for kind in ("upload", "uploaded", "upload-error", "fetch", "file"):
        assert kind in kinds
    assert "seq" in protocol.DeltaMsg.__annotations__
    assert set(protocol.UploadMsg.__annotations__) == {"type", "ref", "seq", "size", "name", "mime", "last"}


def test_components_hold_no_transport_code():
    from nbdemo.components.base import Component, Widget

    for name in ("_handle_front_msg", "set_from_front", "_upload_chunk", "_send_file"):
        assert not hasattr(Component, name), name
    assert not hasattr(gr.Textbox(), "_uploads")
    assert Widget.front_door is notebook.comm.on_msg


def test_inline_session_runs_load_and_timers_and_unload_on_close():
    closed = threading.Event()
    with gr.Blocks() as demo:
        greeting = gr.Textbox()
        ticks = gr.Number(0)
        timer = gr.Timer(0.02)
        demo.load(lambda: "loaded", None, greeting)
        timer.tick(lambda n: n + 1, ticks, ticks)
        demo.unload(closed.set)
    view = notebook.view_for(demo)
    assert wait_for(lambda: greeting.value == "loaded")
    assert wait_for(lambda: ticks.value >= 3)  # the widget's own trait: inline, traits are the state
    view.close()
    assert closed.wait(10)
    assert wait_for(lambda: view.session.closed)
    settled = ticks.value
    time.sleep(0.1)
    assert ticks.value == settled  # no more ticks once the demo is closed
