"""Gradio API shapes that Gradio's own demos use (issue 11): listener
decorators, gr.on without triggers, visible="hidden", layout events nbdemo
does not send yet (they warn)."""

from __future__ import annotations

import pytest

import nbdemo as gr


def test_listener_decorator_registers_and_returns_the_function():
    with gr.Blocks() as demo:
        name = gr.Textbox(label="name")
        out = gr.Textbox(label="out")
        btn = gr.Button("Go")

        @btn.click(inputs=name, outputs=out)
        def greet(n):
            return f"Hello {n}"

        @name.submit(inputs=[name], outputs=[out], api_name="shout")
        def shout(n):
            return n.upper()

    assert greet("x") == "Hello x"  # still the plain function
    click, submit = demo.dependencies
    assert click.fn is greet and click.triggers == [(btn, "click")]
    assert click.inputs == [name] and click.outputs == [out]
    assert submit.fn is shout and submit.api_name == "shout"
    # an explicit fn=None is still "no Python function", not a decorator
    with demo:
        dep = btn.click(None, None, None)
    assert dep.fn is None


def test_on_without_triggers_listens_to_load_and_every_input():
    with gr.Blocks() as demo:
        a = gr.Number(1, label="a")
        b = gr.Number(2, label="b")
        total = gr.Number(label="total")

        @gr.on(inputs=[a, b], outputs=total)
        def add(x, y):
            return x + y

        st = gr.State(0)
        gr.on(None, lambda s, x: x, [st, a], total)
    dep, dep2 = demo.dependencies
    assert dep.fn is add
    assert dep.triggers == [(demo, "load"), (a, "change"), (b, "change")]
    assert dep2.triggers == [(demo, "load"), (st, "change"), (a, "change")]
    assert "change" in a._events and "change" in b._events


def test_visible_hidden_is_not_shown():
    t = gr.Textbox(visible="hidden")
    assert t.visible is False
    t.visible = True
    t.visible = "hidden"
    assert t.visible is False
    with pytest.raises(Exception, match="visible"):
        t.visible = "sometimes"
    with gr.Blocks():
        with gr.Column(visible="hidden") as col:
            pass
    assert col.props["visible"] is False


def test_layout_events_register_and_reach_the_page():
    from nbdemo.server.handlers import Mount

    with gr.Blocks() as demo:
        with gr.Tabs() as tabs:
            with gr.Tab("One") as one:
                out = gr.Textbox()
            with gr.Tab("Two"):
                pass
        with gr.Accordion("More") as acc:
            pass
        one.select(lambda: "one", None, out)
        gr.on([tabs.change], lambda: "x", None, out)

        @acc.expand(outputs=out)
        def opened():
            return "open"
    assert [d.triggers[0][1] for d in demo.dependencies] == ["select", "change", "expand"]
    tabs_node, acc_node = Mount("/", demo).config()["layout"]["children"]
    assert tabs_node["props"]["_events"] == ["change"]
    assert tabs_node["children"][0]["props"]["_events"] == ["select"]
    assert "_events" not in tabs_node["children"][1]["props"]
    assert acc_node["props"]["_events"] == ["expand"]


def test_js_listeners_keep_the_python_fn():
    with gr.Blocks() as demo:
        t = gr.Textbox()
        b = gr.Button()
        b.click(lambda x: x, t, t, js="(x) => x.toUpperCase()")
        b.click(None, None, None, js="() => alert(1)")
    assert demo.dependencies[0].fn is not None
    assert [d.extra["js"] for d in demo.dependencies] == ["(x) => x.toUpperCase()", "() => alert(1)"]


@pytest.mark.filterwarnings("ignore:nbdemo's Column\\(\\) does not support open=:UserWarning")
def test_layout_outputs_update_per_session_and_the_page_config_builds():
    import asyncio

    from recording import RecordingSession, settle

    from nbdemo.engine import Engine
    from nbdemo.server.handlers import Mount

    with gr.Blocks() as demo:
        with gr.Column() as col:
            gr.Textbox(label="inside")
        with gr.Tabs() as tabs:
            with gr.Tab("A", id="a"):
                pass
            with gr.Tab("B", id="b"):
                pass
        btn = gr.Button()
        btn.click(lambda: (gr.Column(visible=False), gr.Tabs(selected="b")), None, [col, tabs])
        bad = gr.Button()
        bad.click(lambda: gr.Column(open=True), None, col)
    config = Mount("/", demo).config()
    assert str(col._id) not in config["components"]
    assert any(n.get("id") == col._id for n in config["layout"]["children"])
    assert gr.Tab("x", id=3, render=False).update_from(gr.Tab(visible="hidden", id=4)) == \
        {"visible": False, "tab_id": 4}
    engine = Engine(demo)

    async def main():
        s, other = RecordingSession(engine), RecordingSession(engine)
        engine.trigger(s, btn._id, "click")
        engine.trigger(s, bad._id, "click")
        await settle(s, other)
        return s, other

    s, other = asyncio.run(main())
    assert [[col._id, {"visible": False}], [tabs._id, {"selected": "b"}]] in s.updates()
    assert s.props[col._id] == {"visible": False} and other.props == {}
    assert col.props["visible"] is True  # the demo itself is unchanged
    assert any(m["type"] == "status" and m["status"] == "error" for m in s.messages)


def test_warnings_point_at_the_authors_line():
    with gr.Blocks():
        t = gr.Textbox()
        with pytest.warns(UserWarning) as rec:
            t.change(lambda x: x, t, t, stream_every=0.3)  # only .stream() has frames
    assert rec[0].filename == __file__


def test_walkthrough_steps_and_draggable(monkeypatch):
    from nbdemo.layout import Draggable
    from nbdemo.server.handlers import Mount

    monkeypatch.setattr(Draggable, "_warned", False)
    with gr.Blocks() as demo:
        with gr.Walkthrough(selected=1):
            with gr.Step("Image", id=0):
                gr.Textbox(label="a")
            with gr.Step("Prompt", id=1):
                gr.Textbox(label="b")
        with pytest.warns(UserWarning, match="without dragging"):
            with gr.Draggable(orientation="column"):
                gr.Textbox(label="c")
    walk, drag = Mount("/", demo).config()["layout"]["children"]
    assert walk["type"] == "tabs" and walk["props"]["selected"] == 1
    assert [t["props"]["label"] for t in walk["children"]] == ["Image", "Prompt"]
    assert drag["type"] == "column"
    with pytest.raises(ValueError, match="orientation"):
        gr.Draggable(orientation="grid")


def test_layout_events_run_through_the_engine_and_only_those():
    import asyncio

    from recording import RecordingSession, settle

    from nbdemo.engine import Engine

    with gr.Blocks() as demo:
        out = gr.Textbox()
        with gr.Tab("One") as one:
            pass

        @one.select(outputs=out)
        def picked(evt: gr.SelectData):
            return f"{evt.index}:{evt.value}"

        demo.load(lambda: "loaded", None, out)
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine)
        engine.trigger(s, one._id, "select", {"index": 0, "value": "One", "selected": True})
        await settle(s)
        got = s.value(out)
        with pytest.raises(ValueError):  # a page cannot run the demo's load listeners again
            engine.trigger(s, demo._id, "load")
        with pytest.raises(ValueError):  # nor an event the tab has no listener for
            engine.trigger(s, one._id, "change")
        return got

    assert asyncio.run(main()) == "0:One"


@pytest.mark.browser
def test_tab_select_tabs_change_and_accordion_in_the_browser(page, tmp_path):
    from pathlib import Path

    from conftest import start_script
    from playwright.sync_api import expect

    apps = Path(__file__).parent / "apps"
    code = (f"import sys\nsys.path[:0] = [{str(apps.parent.parent)!r}, {str(apps)!r}]\n"
            "import compat_layout\ncompat_layout.build().launch(server_port=PORT)\n")
    proc, url = start_script(code, tmp_path)
    try:
        page.goto(url)
        page.wait_for_selector("body[data-nbdemo-connected]", timeout=30_000)
        log = page.get_by_role("textbox", name="Log")
        page.get_by_role("tab", name="Sent").click()
        expect(log).to_have_value("1:Sent", timeout=30_000)
        expect(page.get_by_role("spinbutton", name="Tab changes")).to_have_value("1")
        page.get_by_role("tab", name="Sent").click()  # already open: no event
        page.get_by_role("tab", name="Inbox").click()
        expect(log).to_have_value("1:Sent 0:Inbox", timeout=30_000)
        expect(page.get_by_role("spinbutton", name="Tab changes")).to_have_value("2")
        page.get_by_text("Details", exact=True).click()
        expect(log).to_have_value("1:Sent 0:Inbox open", timeout=30_000)
        page.get_by_text("Details", exact=True).click()
        expect(log).to_have_value("1:Sent 0:Inbox open closed", timeout=30_000)
        # functions update layout blocks: a Column's visibility, the open tab, the accordion
        extra = page.get_by_text("Extra settings")
        expect(extra).to_be_hidden()
        page.get_by_role("checkbox", name="Show extra").check()
        expect(extra).to_be_visible(timeout=30_000)
        page.get_by_role("checkbox", name="Show extra").uncheck()
        expect(extra).to_be_hidden(timeout=30_000)
        page.get_by_role("button", name="Go to Sent").click()
        expect(page.get_by_role("tab", name="Sent")).to_have_attribute("aria-selected", "true", timeout=30_000)
        expect(page.get_by_text("Two messages")).to_be_visible()
        expect(page.get_by_text("More", exact=True)).to_be_visible()
        assert page.js_errors == []
    finally:
        proc.stop()


def test_blocks_clear_starts_the_demo_over():
    with gr.Blocks() as demo:
        a = gr.Textbox()
        a.change(lambda x: x, a, a)
    with demo.clear():
        b = gr.Number()
    assert demo.children == [b] and demo.dependencies == [] and a.parent is None
