"""gr.render (nbdemo/renderable.py, nbdemo/engine/rendering.py): render runs driven
through the engine with recording sessions (no transport), the standalone
session's "render" message, and the inline door in process. The demos are in
tests/apps/render_apps.py; the page in Chromium is tests/test_render_browser.py."""

from __future__ import annotations

import asyncio
import gc
import sys
import time
import warnings
from pathlib import Path

import pytest
from ipywidgets.widgets.widget import _instances as live_widgets
from recording import RecordingSession, settle, until

import nbdemo as gr
from nbdemo.engine import Engine, runner
from nbdemo.engine.rendering import RENDERED

sys.path.insert(0, str(Path(__file__).parent / "apps"))
import render_apps as apps  # noqa: E402


def renders(s: RecordingSession) -> list[dict]:
    return [m for m in s.messages if m["type"] == "render"]


def shown(msg: dict) -> list[tuple[str, object]]:
    """(kind, value) of each component a render message shows, in layout order."""
    ids: list[int] = []

    def walk(node):
        for c in node.get("children", []):
            if c["type"] == "component":
                ids.append(c["id"])
            walk(c)

    walk(msg["layout"])
    comps = msg["components"]
    return [(comps[str(i)]["kind"], comps[str(i)]["props"].get("value")) for i in ids]


def rendered(s: RecordingSession):
    """The session's (only) render: what its last run made."""
    (r,) = s.renders.values()
    return r


def rendered_place(demo) -> int:
    """The id of the (only) render's Column in ``demo``."""
    (dep,) = [d for d in demo.dependencies if "render" in d.extra]
    return dep.extra["render"].container._id


def errors(s: RecordingSession) -> list:
    return [m.get("message") for m in s.messages
            if m.get("status") == "error" or m["type"] == "error"]


def by_value(demo, value):
    return next(c for c in demo.components() if c.value == value)


def by_label(comps, label):
    return next(c for c in comps if c.label == label)


def run(main):
    """Run ``main(engine_factory)`` on a fresh loop (sessions end with it)."""
    return asyncio.run(main())


# -- a run: what it makes, where it goes --------------------------------------------------


def test_runs_on_load_and_on_each_change_of_its_input():
    demo = apps.words()
    sentence = next(c for c in demo.components() if c.label == "Sentence")

    async def main():
        e = Engine(demo)
        s = RecordingSession(e)
        e.open(s)
        await settle(s)
        first = renders(s)[-1]
        assert shown(first) == [("markdown", "No words yet.")]
        s.set_from_client(sentence._id, "the quick fox")
        e.trigger(s, sentence._id, "change")
        await settle(s)
        return s, first

    s, first = run(main)
    last = renders(s)[-1]
    assert len(renders(s)) == 2
    assert shown(last) == [("markdown", "3 word(s)"), ("textbox", "the"),
                           ("textbox", "quick"), ("textbox", "fox")]
    # at the render's place: its Column (the demo's own node, empty in the config)
    place = next(c for c in demo.children if c._id == last["id"])
    assert last["id"] == first["id"] and last["layout"]["id"] == place._id
    assert last["layout"]["render"] is True and place.children == []
    row = last["layout"]["children"][1]
    assert row["type"] == "row" and len(row["children"]) == 3
    # nothing the runs made joined the demo
    assert len(demo.components()) == 2  # the Sentence and the Markdown below
    assert errors(s) == []


def test_listeners_made_in_a_run_use_components_inside_and_outside():
    demo = apps.votes()
    picked = next(c for c in demo.components() if c.label == "Picked")

    async def main():
        e = Engine(demo)
        s = RecordingSession(e)
        e.open(s)
        await settle(s)
        r = rendered(s)
        green = by_value(r, "Vote green")
        e.trigger(s, green._id, "click")
        await settle(s)
        tally = by_label(r.components(), "Tally")
        return s, r, tally

    s, r, tally = run(main)
    assert s.value(picked) == "green"  # outside the render
    assert s.value(tally) == "last vote: green"  # made in the same run
    assert len(r.dependencies) == 6  # two per button
    assert all(i >= RENDERED for i in r.index)
    assert errors(s) == []


def test_a_listener_on_a_component_outside_is_replaced_by_the_next_run():
    demo = apps.rows()
    add, save = by_value(demo, "Add row"), by_value(demo, "Save")
    saved = next(c for c in demo.components() if c.label == "Saved")

    async def main():
        e = Engine(demo)
        s = RecordingSession(e)
        e.open(s)
        await settle(s)
        e.trigger(s, add._id, "click")
        await settle(s)
        rows = rendered(s).components()
        for i, box in enumerate(rows):
            s.set_from_client(box._id, f"v{i}")
        e.trigger(s, save._id, "click")
        await settle(s)
        return s, e

    s, e = run(main)
    # one Save listener (the last run's, with its three rows), not one per run
    assert s.value(saved) == "v0 | v1 | v2"
    assert len(e.app_for(s).triggers[(save._id, "click")]) == 1
    # the page learned that Save now has a click listener
    assert [save._id, {"_events": ["click"]}] in [u for m in s.updates() for u in m]


def test_explicit_triggers_replace_load_and_change():
    with gr.Blocks() as demo:
        text = gr.Textbox()
        go = gr.Button("Go")

        @gr.render(inputs=text, triggers=[go.click])
        def echo(value):
            gr.Markdown(f"got {value}")

    async def main():
        e = Engine(demo)
        s = RecordingSession(e)
        e.open(s)
        await settle(s)
        assert renders(s) == []  # no demo.load among the triggers
        s.set_from_client(text._id, "x")
        e.trigger(s, text._id, "change") if "change" in text._events else None
        await settle(s)
        assert renders(s) == []
        e.trigger(s, go._id, "click")
        await settle(s)
        return s

    s = run(main)
    assert shown(renders(s)[-1]) == [("markdown", "got x")]


def test_event_data_reaches_a_render_function():
    with gr.Blocks() as demo:
        pick = gr.Radio(["a", "b"], label="Pick")

        @gr.render(triggers=[pick.select])
        def chosen(evt: gr.SelectData):
            gr.Markdown(f"index {evt.index}, value {evt.value}")

    async def main():
        e = Engine(demo)
        s = RecordingSession(e)
        e.open(s)
        e.trigger(s, pick._id, "select", {"index": 1, "value": "b"})
        await settle(s)
        return s

    s = run(main)
    assert shown(renders(s)[-1]) == [("markdown", "index 1, value b")]


# -- keys ------------------------------------------------------------------------------------


def test_a_keyed_component_keeps_its_id_and_what_the_user_typed():
    demo = apps.rows()
    add, remove = by_value(demo, "Add row"), by_value(demo, "Remove row")

    async def main():
        e = Engine(demo)
        s = RecordingSession(e)
        e.open(s)
        await settle(s)
        row1, row2 = rendered(s).components()
        s.set_from_client(row1._id, "alpha")
        e.trigger(s, add._id, "click")
        await settle(s)
        after_add = rendered(s).components()
        for _ in range(2):
            e.trigger(s, remove._id, "click")
            await settle(s)
        return s, (row1, row2), after_add, rendered(s).components()

    s, (row1, row2), after_add, after_remove = run(main)
    assert [c._id for c in after_add[:2]] == [row1._id, row2._id]  # same ids: the page keeps them
    assert after_add[0] is not row1  # a new object, made by the new run
    assert s.value(after_add[0]) == "alpha" and s.value(after_add[2]) == ""
    msg = renders(s)[1]
    props = {int(i): c["props"] for i, c in msg["components"].items()}
    assert "value" not in props[row1._id]  # the page holds it (maybe newer than the server)
    assert props[row2._id]["value"] == ""  # never changed: the new arguments' value
    assert [c._id for c in after_remove] == [row1._id]
    assert s.value(after_remove[0]) == "alpha"


def test_unkeyed_components_are_new_on_every_run():
    demo = apps.words()
    sentence = next(c for c in demo.components() if c.label == "Sentence")

    async def main():
        e = Engine(demo)
        s = RecordingSession(e)
        ids = []
        for text in ("a b", "a b c"):
            s.set_from_client(sentence._id, text)
            e.trigger(s, sentence._id, "change")
            await settle(s)
            boxes = [c for c in rendered(s).components() if c._kind == "textbox"]
            s.set_from_client(boxes[0]._id, "typed")
            ids.append([c._id for c in boxes])
        return s, ids

    s, (first, second) = run(main)
    assert not set(first) & set(second)
    assert first[0] not in s.values  # forgotten with its run
    assert shown(renders(s)[-1])[1] == ("textbox", "a")  # the new box shows its own value


def test_preserved_by_key_names_what_a_keyed_component_keeps():
    with gr.Blocks() as demo:
        n = gr.Number(1, precision=0)

        @gr.render(inputs=n)
        def boxes(count):
            gr.Textbox(f"v{count}", label=f"L{count}", key="kept", preserved_by_key=["value", "label"])
            gr.Textbox(f"w{count}", label="nothing kept", key="fresh", preserved_by_key=None)

    async def main():
        e = Engine(demo)
        s = RecordingSession(e)
        e.open(s)
        await settle(s)
        kept, fresh = rendered(s).components()
        s.set_from_client(kept._id, "typed")
        s.set_from_client(fresh._id, "typed too")
        s.remember(kept, {"label": "changed by a function"})
        s.set_from_client(n._id, 2)
        e.trigger(s, n._id, "change")
        await settle(s)
        return s, rendered(s).components()

    s, (kept, fresh) = run(main)
    assert s.value(kept) == "typed" and s.view(kept).label == "changed by a function"
    assert s.value(fresh) == "w2"  # preserved_by_key=None: the new value wins
    props = renders(s)[-1]["components"]
    assert "value" not in props[str(kept._id)]["props"] and "label" not in props[str(kept._id)]["props"]
    assert props[str(fresh._id)]["props"]["value"] == "w2"


def test_a_key_given_to_another_kind_of_component_makes_a_new_one():
    with gr.Blocks() as demo:
        flag = gr.Checkbox(False)

        @gr.render(inputs=flag)
        def one(number):
            (gr.Number if number else gr.Textbox)(key="x")

    async def main():
        e = Engine(demo)
        s = RecordingSession(e)
        e.open(s)
        await settle(s)
        (before,) = rendered(s).components()
        s.set_from_client(flag._id, True)
        e.trigger(s, flag._id, "change")
        await settle(s)
        (after,) = rendered(s).components()
        return before, after

    before, after = run(main)
    assert before._kind == "textbox" and after._kind == "number" and before._id != after._id


def test_a_key_used_twice_in_one_run_is_an_error_and_the_last_render_stays():
    with gr.Blocks() as demo:
        n = gr.Number(1, precision=0)

        @gr.render(inputs=n)
        def twice(count):
            for _ in range(int(count)):
                gr.Textbox(key="same")

    async def main():
        e = Engine(demo, show_error=True)
        s = RecordingSession(e)
        e.open(s)
        await settle(s)
        good = rendered(s)
        s.set_from_client(n._id, 2)
        e.trigger(s, n._id, "change")
        await settle(s)
        return s, good

    s, good = run(main)
    assert rendered(s) is good and len(renders(s)) == 1
    (message,) = errors(s)
    assert "key='same' is used twice" in message


# -- per session, and nothing left behind ------------------------------------------------


def test_two_sessions_render_independently():
    demo = apps.words()
    sentence = next(c for c in demo.components() if c.label == "Sentence")

    async def main():
        e = Engine(demo)
        a, b = RecordingSession(e), RecordingSession(e)
        for s, text in ((a, "one two"), (b, "three")):
            e.open(s)
            s.set_from_client(sentence._id, text)
            e.trigger(s, sentence._id, "change")
        await settle(a, b)
        box_a = rendered(a).components()[1]
        with pytest.raises(ValueError, match="no component"):
            b.set_from_client(box_a._id, "not yours")
        return a, b

    a, b = run(main)
    assert [v for _, v in shown(renders(a)[-1])] == ["2 word(s)", "one", "two"]
    assert [v for _, v in shown(renders(b)[-1])] == ["1 word(s)", "three"]


def test_many_re_renders_leave_nothing_behind():
    """100 runs in one session: the session's values, props and State, the
    listeners the engine knows, ipywidgets' live widgets, the engine's
    fn_index slots, queue groups and cache of functions' signatures all stay
    as after the first runs."""
    with gr.Blocks() as demo:
        n = gr.Number(0)
        out = gr.Textbox()
        demo.queue(default_concurrency_limit=4)

        @gr.render(inputs=n)
        def many(count):
            kept = gr.Textbox(label="kept", key="kept")
            gone = gr.Textbox(f"{count}", label="gone")
            gr.State(count)
            b = gr.Button(f"b{count}")
            b.click(lambda x, y: x + y, [kept, gone], out, every=60)  # a timer per run
            gr.Textbox(lambda: "computed", label="callable")

    def sizes(e, s):
        gc.collect()  # what a past run made is garbage in cycles (widgets)
        return (len(s.values), len(s.props), len(s.state), len(s.renders),
                len(e.app_for(s).dependencies), len(e.app_for(s).blocks),
                len(live_widgets), len(e._slots), len(e.queue.groups),
                len(s.background) + sum(len(r.tasks) for r in s.renders.values()),
                len(runner._special_cache))

    async def main():
        e = Engine(demo)
        s = RecordingSession(e)
        e.open(s)
        seen = []
        for i in range(1, 101):
            s.set_from_client(n._id, i)
            e.trigger(s, n._id, "change")
            await settle(s)
            r = rendered(s)
            s.set_from_client(r.components()[1]._id, "typed")  # a value the next run forgets
            b = next(c for c in r.components() if c._kind == "button")
            e.trigger(s, b._id, "click")
            await settle(s)
            if i in (3, 100):
                seen.append(sizes(e, s))
        e.close(s)
        return s, seen

    s, (early, late) = run(main)
    assert early[:-1] == late[:-1], (early, late)
    # the signature cache is the process's: other tests' functions leave it as they
    # are collected, so it may shrink meanwhile; it must not grow with the runs
    assert late[-1] <= early[-1], (early, late)
    assert errors(s) == []
    assert not s.renders and len(live_widgets) < late[6]  # closing the session closed them


def test_a_listener_key_keeps_its_fn_index_across_runs():
    with gr.Blocks() as demo:
        n = gr.Number(1, precision=0)

        @gr.render(inputs=n)
        def listeners(count):
            b = gr.Button("b")
            for _ in range(int(count)):  # more listeners before the keyed one each run
                b.click(lambda: None)
            b.click(lambda: None, key="named")

    async def main():
        e = Engine(demo)
        s = RecordingSession(e)
        seen = []
        for count in (1, 3):
            s.set_from_client(n._id, count)
            e.trigger(s, n._id, "change")
            await settle(s)
            r = rendered(s)
            seen.append(next(i for i, d in r.index.items() if d.extra.get("key") == "named"))
        return seen

    first, second = run(main)
    assert first == second


def test_a_run_that_ends_after_its_page_left_leaves_no_widgets():
    import threading

    release, made = threading.Event(), threading.Event()
    with gr.Blocks() as demo:
        @gr.render()
        def slow():
            release.wait(10)
            for _ in range(5):
                gr.Textbox()
            made.set()

    async def main():
        e = Engine(demo)
        s = RecordingSession(e)
        gc.collect()
        before = len(live_widgets)
        (started,) = e.open(s)
        await until(lambda: started.status == "processing")
        e.close(s)  # the page left while the function runs
        release.set()
        assert await asyncio.to_thread(made.wait, 10)
        # the function ends in its thread: what it made is closed (a hang guard bounds the wait)
        await until(lambda: len(live_widgets) == before)

    run(main)


def test_a_run_of_a_replaced_listener_keeps_working():
    """A listener's run still going when its render runs again ends normally
    (its outputs outside the render get its result); its .then goes with it."""
    started = asyncio.Event()
    release = None
    with gr.Blocks() as demo:
        n = gr.Number(1, precision=0)
        out = gr.Textbox()
        after = gr.Textbox()

        @gr.render(inputs=n)
        def slow(count):
            b = gr.Button("go")

            async def wait():
                started.set()
                await release.wait()
                return f"done {count}"

            b.click(wait, None, out).then(lambda: "then ran", None, after)

    async def main():
        nonlocal release
        release = asyncio.Event()
        e = Engine(demo)
        s = RecordingSession(e)
        e.open(s)
        await settle(s)
        go = rendered(s).components()[0]
        e.trigger(s, go._id, "click")
        await started.wait()
        s.set_from_client(n._id, 2)
        e.trigger(s, n._id, "change")
        await until(lambda: len(renders(s)) == 2)
        release.set()
        await settle(s)
        return s

    s = run(main)
    assert s.value(out) == "done 1"
    assert s.value(after) == ""  # the replaced listener's chain is gone with it
    assert errors(s) == []


# -- inside a render: State, timers, Interface, callable values ---------------------------


def test_timers_and_callable_values_inside_a_render_stop_with_their_run():
    ticks = []
    with gr.Blocks() as demo:
        n = gr.Number(1, precision=0)

        @gr.render(inputs=n)
        def clock(count):
            t = gr.Timer(0.02)
            t.tick(lambda c=count: ticks.append(c))
            gr.Textbox(lambda c=count: f"computed {c}", label="computed")

    async def main():
        e = Engine(demo)
        s = RecordingSession(e)
        e.open(s)
        await until(lambda: 1 in ticks)
        s.set_from_client(n._id, 2)
        e.trigger(s, n._id, "change")
        await until(lambda: 2 in ticks)
        box = by_label(rendered(s).components(), "computed")
        await until(lambda: s.value(box) == "computed 2")
        ticks.clear()
        await until(lambda: len(ticks) >= 5)
        e.close(s)
        return s

    run(main)
    assert set(ticks) == {2}  # the first run's timer stopped


def test_interface_and_examples_inside_a_render_get_their_listeners_per_session():
    with gr.Blocks() as demo:
        @gr.render()
        def inner():
            gr.Interface(lambda x: x[::-1], gr.Textbox(label="in"), gr.Textbox(label="out"),
                         examples=[["abc"]])

    async def main():
        e = Engine(demo)
        s = RecordingSession(e)
        e.open(s)
        await settle(s)
        comps = [b for b in rendered(s).made if hasattr(b, "preprocess")]
        inp, out = by_label(comps, "in"), by_label(comps, "out")
        submit = next(c for c in comps if c._kind == "button" and c.value == "Submit")
        s.set_from_client(inp._id, "hello")
        e.trigger(s, submit._id, "click")
        await settle(s)
        return s, out

    s, out = run(main)
    assert s.value(out) == "olleh"
    assert demo.dependencies and len(demo.dependencies) == 1  # only the render's own listener
    assert errors(s) == []


def test_a_render_driven_by_state_that_its_own_listeners_write():
    """Gradio's to-do list pattern: buttons made by the render change (in
    place) the State the render reads, which renders again."""
    with gr.Blocks() as demo:
        tasks = gr.State(["wash", "cook"])

        @gr.render(inputs=tasks)
        def todo(items):
            for item in items:
                done = gr.Button(f"done {item}")

                def finish(item=item):
                    items.remove(item)  # in place, and returned: Gradio's to-do list does so
                    return items

                done.click(finish, None, tasks)

    async def main():
        e = Engine(demo)
        s = RecordingSession(e)
        e.open(s)
        await settle(s)
        e.trigger(s, by_value(rendered(s), "done wash")._id, "click")
        await settle(s)
        return s

    s = run(main)
    assert [v for _, v in shown(renders(s)[-1])] == ["done cook"]


# -- arguments ---------------------------------------------------------------------------


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="inside `with gr.Blocks"):
        gr.render()
    with gr.Blocks():
        with pytest.raises(TypeError, match="unexpected keyword argument 'every'"):
            gr.render(every=1)
        with pytest.raises(TypeError, match="triggers are listeners"):
            gr.render(triggers=["click"])
        with pytest.raises(TypeError, match="plain function"):
            @gr.render()
            async def later():
                pass
        with pytest.raises(ValueError, match="preserved_by_key"):
            gr.Textbox(preserved_by_key=["no_such_prop"])


def test_a_render_inside_a_render_says_it_is_not_supported():
    with gr.Blocks() as demo:
        @gr.render()
        def outer():
            @gr.render()
            def inner():
                pass

    async def main():
        e = Engine(demo, show_error=True)
        s = RecordingSession(e)
        e.open(s)
        await settle(s)
        return s

    (message,) = errors(run(main))
    assert "gr.render inside a gr.render" in message


def test_the_render_listener_is_not_in_the_api_and_config_names_its_place():
    from nbdemo.api import describe

    demo = apps.words()
    app = Engine(demo).app
    assert [ep.visibility for ep in describe.endpoints(app)] == ["private"]
    # gradio_client looks up every listener's outputs among the config's components
    cfg = describe.config(app)
    (dep,) = cfg["dependencies"]
    place = next(c for c in cfg["components"] if c["id"] == dep["outputs"][0])
    assert place["type"] == "column" and place["skip_api"] is True


# -- the front doors ---------------------------------------------------------------------


def test_the_page_session_sends_a_render_message_with_file_urls(tmp_path):
    from PIL import Image

    from nbdemo.server.session import ServerSession

    photo = tmp_path / "dot.png"
    Image.new("RGB", (2, 2), "red").save(photo)
    with gr.Blocks() as demo:
        @gr.render()
        def pictures():
            gr.Image(str(photo), label="photo")
            gr.State("hidden")

    sent: list[str] = []

    async def main():
        e = Engine(demo)
        s = ServerSession(e, sent.append)
        e.open(s)
        await until(lambda: any('"render"' in m for m in sent))
        e.close(s)
        return s

    s = run(main)
    import json

    msgs = []
    for frame in sent:
        data = json.loads(frame)
        msgs += data if isinstance(data, list) else [data]
    (msg,) = [m for m in msgs if m["type"] == "render"]
    (comp,) = msg["components"].values()  # no State: it stays on the server
    url = comp["props"]["value"]["url"]
    assert url.startswith(f"/file/{s.session_hash}/")  # the session's file, not the app's


def test_inline_a_render_message_carries_the_run_and_keyed_values_survive(monkeypatch):
    from nbdemo import notebook

    synced: list[str] = []  # the root's layout traits that changed (each change syncs)
    monkeypatch.setattr(gr.Component, "send", lambda self, *a, **k: None, raising=False)
    monkeypatch.setattr(notebook.DemoWidget, "send", lambda self, *a, **k: None, raising=False)
    demo = apps.rows()
    add = by_value(demo, "Add row")
    save = by_value(demo, "Save")
    saved = next(c for c in demo.components() if c.label == "Saved")

    def refs(node, out):
        if node["type"] == "component":
            out.append(node["ref"])
        for c in node.get("children", []):
            refs(c, out)
        return out

    def wait_for(pred, timeout=10.0):
        deadline = time.monotonic() + timeout
        while not pred() and time.monotonic() < deadline:
            time.sleep(0.01)
        return pred()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        view = notebook.view_for(demo)
    view.observe(lambda change: synced.append(change["name"]), names=["_layout", "_renders"])
    try:
        assert wait_for(lambda: len(view.session.renders) == 1)
        row1, row2 = next(iter(view.session.renders.values())).components()
        old_ref = f"anywidget:{row1.model_id}"
        place = str(rendered_place(demo))
        assert wait_for(lambda: f"anywidget:{row2.model_id}" in refs(view._renders[place], []))
        row1._on_front_msg(row1, {"type": "set", "value": "alpha"}, [])
        assert wait_for(lambda: row1.value == "alpha")
        synced.clear()
        add._on_front_msg(add, {"type": "event", "event": "click"}, [])
        assert wait_for(lambda: len(next(iter(view.session.renders.values())).components()) == 3)
        new1 = next(iter(view.session.renders.values())).components()[0]
        assert new1 is not row1 and new1._id == row1._id and new1.value == "alpha"
        # the views get the render's part only, in _renders (a new _layout would
        # rebuild the whole demo, losing the focus)
        assert wait_for(lambda: f"anywidget:{new1.model_id}" in refs(view._renders[place], []))
        assert "_renders" in synced and "_layout" not in synced
        assert old_ref not in refs(view._renders[place], []) and row1.comm is None  # closed
        save._on_front_msg(save, {"type": "event", "event": "click"}, [])
        assert wait_for(lambda: saved.value == "alpha |  | ")
    finally:
        try:
            view.close()
        except KeyError:  # ipykernel (imported by the door) replaced the comm manager it was in
            pass
