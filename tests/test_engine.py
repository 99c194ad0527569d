"""Unit tests for nbdemo.engine: the Engine driven directly on an asyncio loop,
with a Session subclass that records what it would send to a front-end."""

from __future__ import annotations

import asyncio
import logging
import threading

import pytest
from recording import HANG, RecordingSession, settle, until  # noqa: F401

import nbdemo as gr
from nbdemo.engine import Engine


async def wait_event(ev: threading.Event) -> bool:
    return await asyncio.to_thread(ev.wait, HANG)


async def stays_unset(ev: threading.Event) -> bool:
    """True if ``ev`` gets set within a short grace period. Used to show that
    something does *not* start: a slow machine can only make such a check
    pass wrongly, never fail wrongly; the positive side of each test waits on
    events without a time limit other than the hang guard."""
    return await asyncio.to_thread(ev.wait, 0.3)


def click(demo_or_engine, button, values=None, *, event="click", show_error=False):
    """Fire ``event`` on ``button`` in a fresh session, run to completion, return the session."""
    engine = demo_or_engine if isinstance(demo_or_engine, Engine) else Engine(demo_or_engine, show_error=show_error)

    async def main():
        s = RecordingSession(engine, values)
        engine.trigger(s, button._id, event)
        await settle(s)
        return s

    return asyncio.run(main())


# -- kinds of functions ------------------------------------------------------------------------


def test_sync_function_updates_output_and_reports_status():
    loop_threads = []

    def shout(text):
        loop_threads.append(threading.current_thread())
        return text.upper() + "!"

    with gr.Blocks() as demo:
        inp = gr.Textbox()
        out = gr.Textbox()
        btn = gr.Button()
        btn.click(shout, inp, out)
    s = click(demo, btn, {inp: "hi"})
    assert s.updates() == [[[out._id, {"value": "HI!"}]]]
    assert s.statuses() == ["processing", "complete"]
    assert s.status_msgs()[0]["targets"] == [out._id]
    assert s.status_msgs()[0]["event_id"] == s.status_msgs()[1]["event_id"]
    assert s.value(out) == "HI!"
    assert out.value == ""  # the component's own value is not a session's
    assert loop_threads[0] is not threading.main_thread()  # ran in the pool, not on the loop


def test_async_function():
    async def fn(x):
        await asyncio.sleep(0)
        return f"async {x}"

    with gr.Blocks() as demo:
        inp = gr.Textbox()
        out = gr.Textbox()
        btn = gr.Button()
        btn.click(fn, inp, out)
    s = click(demo, btn, {inp: "a"})
    assert s.updates() == [[[out._id, {"value": "async a"}]]]
    assert s.statuses() == ["processing", "complete"]


def test_generator_streams_each_yield():
    def count(n):
        for i in range(int(n)):
            yield f"step {i}"

    with gr.Blocks() as demo:
        n = gr.Number(3)
        out = gr.Textbox()
        btn = gr.Button()
        btn.click(count, n, out)
    s = click(demo, btn)
    assert [u[0][1]["value"] for u in s.updates()] == ["step 0", "step 1", "step 2"]
    assert s.statuses() == ["processing", "generating", "generating", "generating", "complete"]
    assert s.value(out) == "step 2"


def test_async_generator_streams_each_yield():
    async def count():
        for i in range(3):
            await asyncio.sleep(0)
            yield str(i), i

    with gr.Blocks() as demo:
        out = gr.Textbox()
        num = gr.Number()
        btn = gr.Button()
        btn.click(count, None, [out, num])
    s = click(demo, btn)
    assert s.updates() == [[[out._id, {"value": str(i)}], [num._id, {"value": float(i)}]] for i in range(3)]
    assert s.statuses()[-1] == "complete"
    assert s.statuses().count("generating") == 3


def test_generator_error_midway_keeps_streamed_updates():
    def gen():
        yield "first"
        raise gr.Error("stopped here")

    with gr.Blocks() as demo:
        out = gr.Textbox()
        btn = gr.Button()
        btn.click(gen, None, out)
    s = click(demo, btn)
    assert s.updates() == [[[out._id, {"value": "first"}]]]
    assert s.statuses() == ["processing", "generating", "error"]
    assert s.status_msgs()[-1]["message"] == "stopped here"


def test_fn_none_completes_without_updates():
    with gr.Blocks() as demo:
        out = gr.Textbox()
        btn = gr.Button()
        btn.click(None, None, out)
    s = click(demo, btn)
    assert s.statuses() == ["processing", "complete"]
    assert s.updates() == []


# -- return values -------------------------------------------------------------------------------


def test_tuple_and_list_fill_outputs_in_order():
    with gr.Blocks() as demo:
        a = gr.Textbox()
        n = gr.Number()
        b1 = gr.Button()
        b2 = gr.Button()
        b1.click(lambda: ("x", 1), None, [a, n])
        b2.click(lambda: ["y", 2], None, [a, n])
    s = click(demo, b1)
    assert s.updates() == [[[a._id, {"value": "x"}], [n._id, {"value": 1.0}]]]
    s = click(demo, b2)
    assert s.value(a) == "y" and s.value(n) == 2.0


def test_dict_return_updates_only_named_outputs():
    with gr.Blocks() as demo:
        a = gr.Textbox("keep")
        b = gr.Textbox()
        btn = gr.Button()
        btn.click(lambda: {b: "set"}, None, [a, b])
    s = click(demo, btn)
    assert s.updates() == [[[b._id, {"value": "set"}]]]
    assert s.value(a) == "keep"


def test_dict_return_with_a_non_output_is_an_error():
    with gr.Blocks() as demo:
        a = gr.Textbox()
        other = gr.Textbox()
        btn = gr.Button()
        btn.click(lambda: {other: "x"}, None, a)
    s = click(demo, btn, show_error=True)
    assert s.statuses() == ["processing", "error"]
    assert "not one of its outputs" in s.status_msgs()[-1]["message"]
    assert s.updates() == []


def test_update_changes_props_and_value():
    with gr.Blocks() as demo:
        a = gr.Textbox()
        btn = gr.Button()
        btn.click(lambda: gr.update(visible=False, value=5, label="New"), None, a)
    s = click(demo, btn)
    assert s.updates() == [[[a._id, {"visible": False, "value": "5", "label": "New"}]]]
    assert s.value(a) == "5"


def test_update_without_value_leaves_value():
    with gr.Blocks() as demo:
        a = gr.Textbox("orig")
        btn = gr.Button()
        btn.click(lambda: gr.update(interactive=False), None, a)
    s = click(demo, btn)
    assert s.updates() == [[[a._id, {"interactive": False}]]]
    assert s.value(a) == "orig"


def test_update_with_unknown_property_is_an_error():
    with gr.Blocks() as demo:
        a = gr.Textbox()
        btn = gr.Button()
        btn.click(lambda: gr.update(bogus=1), None, a)
    s = click(demo, btn, show_error=True)
    assert s.statuses() == ["processing", "error"]
    assert "Textbox has no property 'bogus'" in s.status_msgs()[-1]["message"]


def test_update_with_bad_property_value_is_an_error():
    with gr.Blocks() as demo:
        a = gr.Textbox()
        btn = gr.Button()
        btn.click(lambda: gr.update(lines="many"), None, a)
    s = click(demo, btn, show_error=True)
    assert s.statuses() == ["processing", "error"]
    assert "bad 'lines'" in s.status_msgs()[-1]["message"]


@pytest.mark.parametrize("n_outputs", [1, 2])
def test_skip_leaves_outputs_unchanged(n_outputs):
    with gr.Blocks() as demo:
        outs = [gr.Textbox(f"v{i}") for i in range(n_outputs)]
        btn = gr.Button()
        btn.click(lambda: gr.skip(), None, outs)
    s = click(demo, btn)
    assert s.updates() == []
    assert s.statuses() == ["processing", "complete"]
    assert [s.value(o) for o in outs] == [f"v{i}" for i in range(n_outputs)]


def test_skip_for_one_of_several_outputs():
    with gr.Blocks() as demo:
        a = gr.Textbox("a")
        b = gr.Textbox("b")
        btn = gr.Button()
        btn.click(lambda: (gr.skip(), "new"), None, [a, b])
    s = click(demo, btn)
    assert s.updates() == [[[b._id, {"value": "new"}]]]


def test_component_instance_as_update_sets_only_given_props():
    with gr.Blocks() as demo:
        a = gr.Textbox("x", lines=5)
        btn = gr.Button()
        btn.click(lambda: gr.Textbox(visible=False), None, a)
    s = click(demo, btn)
    assert s.updates() == [[[a._id, {"visible": False}]]]


def test_component_instance_as_update_with_value_and_choices():
    with gr.Blocks() as demo:
        dd = gr.Dropdown(["a"], multiselect=True)
        btn = gr.Button()
        btn.click(lambda: gr.Dropdown(choices=["b", "c"], value=["c"]), None, dd)
    s = click(demo, btn)
    [[[cid, props]]] = s.updates()
    assert cid == dd._id
    assert props == {"choices": [["b", "b"], ["c", "c"]], "value": ["c"]}


def test_returning_the_output_itself_changes_nothing():
    with gr.Blocks() as demo:
        a = gr.Textbox("same")
        btn = gr.Button()
        btn.click(lambda: a, None, a)
    s = click(demo, btn)
    assert s.updates() == []


def test_postprocess_false_sends_raw_value():
    with gr.Blocks() as demo:
        n = gr.Number()
        btn = gr.Button()
        btn.click(lambda: 7, None, n, postprocess=False)
    s = click(demo, btn)
    assert s.updates() == [[[n._id, {"value": 7}]]]


# -- errors ----------------------------------------------------------------------------------------


def test_wrong_tuple_length_is_an_error_with_a_clear_message(caplog):
    def three():
        return "x", 1, 2

    with gr.Blocks() as demo:
        a = gr.Textbox()
        n = gr.Number()
        btn = gr.Button()
        btn.click(three, None, [a, n])
    s = click(demo, btn, show_error=True)
    assert s.statuses() == ["processing", "error"]
    msg = s.status_msgs()[-1]["message"]
    assert "three returned 3 value(s) for 2 outputs" in msg
    assert s.updates() == []
    # without show_error the user sees a generic error; the log has the details
    with caplog.at_level(logging.ERROR, logger="nbdemo"):
        s = click(demo, btn)
    assert s.status_msgs()[-1]["message"] is None
    assert "three returned 3 value(s) for 2 outputs" in caplog.text


def test_single_value_for_several_outputs_is_an_error():
    with gr.Blocks() as demo:
        a = gr.Textbox()
        b = gr.Textbox()
        btn = gr.Button()
        btn.click(lambda: "only one", None, [a, b])
    s = click(demo, btn, show_error=True)
    assert "returned 1 value(s) for 2 outputs" in s.status_msgs()[-1]["message"]


def test_nbdemo_error_message_is_shown():
    def fn():
        raise gr.Error("Please enter a name", title="Missing")

    with gr.Blocks() as demo:
        out = gr.Textbox()
        btn = gr.Button()
        btn.click(fn, None, out)
    s = click(demo, btn)
    last = s.status_msgs()[-1]
    assert last["status"] == "error"
    assert last["message"] == "Please enter a name"
    assert last["title"] == "Missing"


@pytest.mark.parametrize("kwargs, duration, message", [
    ({}, 10, "m"), ({"duration": None}, None, "m"), ({"duration": 3}, 3, "m"),
    ({"visible": False}, 0, None)])
def test_error_duration_and_visible_reach_the_page(kwargs, duration, message):
    def fn():
        raise gr.Error("m", **kwargs)

    with gr.Blocks() as demo:
        btn = gr.Button()
        btn.click(fn, None, None)
    last = click(demo, btn).status_msgs()[-1]
    assert last["status"] == "error"
    assert last["duration"] == duration and last["message"] == message


def test_error_from_preprocess_is_shown():
    with gr.Blocks() as demo:
        n = gr.Number(50, maximum=10, label="Qty")
        out = gr.Textbox()
        btn = gr.Button()
        btn.click(lambda x: x, n, out)
    s = click(demo, btn)
    assert s.statuses() == ["processing", "error"]
    assert s.status_msgs()[-1]["message"] == "Qty: 50 is more than the maximum, 10"


def test_other_exceptions_are_generic_unless_show_error():
    def fn():
        raise RuntimeError("database password is hunter2")

    with gr.Blocks() as demo:
        out = gr.Textbox()
        btn = gr.Button()
        btn.click(fn, None, out)
    s = click(demo, btn)
    last = s.status_msgs()[-1]
    assert last["status"] == "error"
    assert last["message"] is None
    assert last["title"] == "Error"
    assert "hunter2" not in repr(s.messages)
    s = click(demo, btn, show_error=True)
    assert s.status_msgs()[-1]["message"] == "RuntimeError: database password is hunter2"


def test_next_event_works_after_an_error():
    calls = []

    def flaky(x):
        calls.append(x)
        if len(calls) == 1:
            raise ValueError("first call fails")
        return "ok"

    with gr.Blocks() as demo:
        inp = gr.Textbox()
        out = gr.Textbox()
        btn = gr.Button()
        btn.click(flaky, inp, out)
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine)
        engine.trigger(s, btn._id, "click")
        await settle(s)
        engine.trigger(s, btn._id, "click")
        await settle(s)
        return s

    s = asyncio.run(main())
    assert s.statuses() == ["processing", "error", "processing", "complete"]
    assert s.value(out) == "ok"
    assert len(calls) == 2


# -- chains --------------------------------------------------------------------------------------


def _chain_demo(fail: bool):
    log = []

    def first():
        log.append("first")
        if fail:
            raise gr.Error("no")
        return "done"

    with gr.Blocks() as demo:
        out = gr.Textbox()
        second = gr.Textbox()
        btn = gr.Button()
        ev = btn.click(first, None, out)
        ev.then(lambda: log.append("then"))
        ev.success(lambda v: (log.append(f"success saw {v}"), "after")[1], out, second)
        ev.failure(lambda: log.append("failure"))
    return demo, btn, second, log


def test_then_and_success_run_after_success():
    demo, btn, second, log = _chain_demo(fail=False)
    s = click(demo, btn)
    assert log[0] == "first"
    assert sorted(log[1:]) == ["success saw done", "then"]
    assert s.value(second) == "after"


def test_then_and_failure_run_after_failure():
    demo, btn, second, log = _chain_demo(fail=True)
    s = click(demo, btn)
    assert log[0] == "first"
    assert sorted(log[1:]) == ["failure", "then"]
    assert s.value(second) == ""


def test_chain_of_then_runs_in_order():
    log = []
    with gr.Blocks() as demo:
        btn = gr.Button()
        (btn.click(lambda: log.append(1))
            .then(lambda: log.append(2))
            .then(lambda: log.append(3)))
    click(demo, btn)
    assert log == [1, 2, 3]


# -- inputs -------------------------------------------------------------------------------------


def test_inputs_as_set_gives_a_dict():
    seen = {}

    def fn(data):
        seen.update(data)
        return f"{data[name]} is {data[age]}"

    with gr.Blocks() as demo:
        name = gr.Textbox("Ada")
        age = gr.Number(36, precision=0)
        out = gr.Textbox()
        btn = gr.Button()
        btn.click(fn, {name, age}, out)
    s = click(demo, btn)
    assert seen == {name: "Ada", age: 36}
    assert s.value(out) == "Ada is 36"


def test_preprocess_false_gives_wire_value():
    with gr.Blocks() as demo:
        n = gr.Number(3, precision=0)
        out = gr.JSON()
        btn = gr.Button()
        btn.click(lambda x: {"type": type(x).__name__}, n, out, preprocess=False)
    s = click(demo, btn)
    assert s.value(out) == {"type": "float"}


def test_select_data_reaches_an_annotated_parameter():
    got = {}

    def on_select(value, evt: gr.SelectData):
        got.update(value=value, index=evt.index, selected=evt.value, target=evt.target)
        return evt.value

    with gr.Blocks() as demo:
        radio = gr.Radio(["a", "b"])
        out = gr.Textbox()
        radio.select(on_select, radio, out)
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine)
        engine.trigger(s, radio._id, "select", {"index": 1, "value": "b", "selected": True})
        await settle(s)
        return s

    s = asyncio.run(main())
    assert got == {"value": None, "index": 1, "selected": "b", "target": radio}
    assert s.value(out) == "b"


# -- trigger modes and concurrency --------------------------------------------------------------------


def _blocking_demo(**kw):
    entered = threading.Event()
    release = threading.Event()
    seen = []

    def slow(x):
        seen.append(x)
        entered.set()
        release.wait(HANG)
        return x

    with gr.Blocks() as demo:
        inp = gr.Textbox()
        out = gr.Textbox()
        btn = gr.Button()
        btn.click(slow, inp, out, **kw)
    return demo, inp, btn, out, entered, release, seen


def test_trigger_mode_once_drops_retriggers_while_running():
    demo, inp, btn, out, entered, release, seen = _blocking_demo()
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine)
        first = engine.trigger(s, btn._id, "click")
        assert await wait_event(entered)
        again = engine.trigger(s, btn._id, "click")
        release.set()
        await settle(s)
        after = engine.trigger(s, btn._id, "click")
        await settle(s)
        return first, again, after, s

    first, again, after, s = asyncio.run(main())
    assert len(first) == 1 and again == [] and len(after) == 1
    assert len(seen) == 2
    assert s.statuses() == ["processing", "complete", "processing", "complete"]


def test_trigger_mode_always_last_reruns_once_with_latest_value():
    demo, inp, btn, out, entered, release, seen = _blocking_demo(trigger_mode="always_last")
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine, {inp: "a"})
        engine.trigger(s, btn._id, "click")
        assert await wait_event(entered)
        for v in ("b", "c", "d"):
            s.values[inp._id] = v
            assert engine.trigger(s, btn._id, "click") == []
        release.set()
        await settle(s)
        return s

    s = asyncio.run(main())
    assert seen == ["a", "d"]
    assert s.value(out) == "d"


def test_trigger_mode_multiple_runs_every_trigger():
    demo, inp, btn, out, entered, release, seen = _blocking_demo(trigger_mode="multiple")
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine, {inp: "a"})
        engine.trigger(s, btn._id, "click")
        assert await wait_event(entered)
        assert len(engine.trigger(s, btn._id, "click")) == 1
        release.set()
        await settle(s)

    asyncio.run(main())
    assert seen == ["a", "a"]


def _two_session_demo(**kw):
    entered = {"1": threading.Event(), "2": threading.Event()}
    release = threading.Event()

    def work(who):
        entered[who].set()
        release.wait(HANG)
        return who

    with gr.Blocks() as demo:
        who = gr.Textbox()
        out = gr.Textbox()
        btn = gr.Button()
        btn.click(work, who, out, **kw)
    return demo, who, out, btn, entered, release


def _pending_seen(s: RecordingSession) -> bool:
    return "queued" in s.statuses()


def test_concurrency_limit_one_serialises_sessions():
    demo, who, out, btn, entered, release = _two_session_demo(concurrency_limit=1)
    engine = Engine(demo)

    async def main():
        s1 = RecordingSession(engine, {who: "1"})
        s2 = RecordingSession(engine, {who: "2"})
        engine.trigger(s1, btn._id, "click")
        assert await wait_event(entered["1"])
        engine.trigger(s2, btn._id, "click")
        # s2's run reports "queued" when it waits for the limit;
        # its function cannot start until s1's call returns.
        await until(lambda: _pending_seen(s2))
        assert not await stays_unset(entered["2"])
        assert s2.statuses() == ["queued"]
        [queued] = s2.status_msgs()
        assert (queued["rank"], queued["queue_size"]) == (0, 1)
        release.set()
        await settle(s1, s2)
        return s1, s2

    s1, s2 = asyncio.run(main())
    assert entered["2"].is_set()
    assert s1.value(out) == "1" and s2.value(out) == "2"


def test_default_concurrency_limit_from_queue():
    demo, who, out, btn, entered, release = _two_session_demo()
    demo.queue(default_concurrency_limit=1)
    engine = Engine(demo)

    async def main():
        s1 = RecordingSession(engine, {who: "1"})
        s2 = RecordingSession(engine, {who: "2"})
        engine.trigger(s1, btn._id, "click")
        assert await wait_event(entered["1"])
        engine.trigger(s2, btn._id, "click")
        await until(lambda: _pending_seen(s2))
        assert not await stays_unset(entered["2"])
        release.set()
        await settle(s1, s2)

    asyncio.run(main())
    assert entered["2"].is_set()


def test_no_concurrency_limit_lets_sessions_overlap():
    demo, who, out, btn, entered, release = _two_session_demo(concurrency_limit=None)
    engine = Engine(demo)

    async def main():
        s1 = RecordingSession(engine, {who: "1"})
        s2 = RecordingSession(engine, {who: "2"})
        engine.trigger(s1, btn._id, "click")
        engine.trigger(s2, btn._id, "click")
        # both functions are inside at once: neither returns before `release`
        both = await wait_event(entered["1"]) and await wait_event(entered["2"])
        release.set()
        await settle(s1, s2)
        return both, s1, s2

    both, s1, s2 = asyncio.run(main())
    assert both
    assert s1.value(out) == "1" and s2.value(out) == "2"


def test_shared_concurrency_id_limits_two_listeners_together():
    entered = {"a": threading.Event(), "b": threading.Event()}
    release = threading.Event()

    def make(name):
        def fn():
            entered[name].set()
            release.wait(HANG)
        return fn

    with gr.Blocks() as demo:
        ba = gr.Button()
        bb = gr.Button()
        ba.click(make("a"), concurrency_limit=1, concurrency_id="gpu")
        bb.click(make("b"), concurrency_limit=1, concurrency_id="gpu")
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine)
        engine.trigger(s, ba._id, "click")
        assert await wait_event(entered["a"])
        engine.trigger(s, bb._id, "click")
        await until(lambda: s.statuses(1) == ["queued"])
        assert not await stays_unset(entered["b"])
        release.set()
        await settle(s)

    asyncio.run(main())
    assert entered["b"].is_set()


# -- sessions -----------------------------------------------------------------------------------


def test_sessions_have_their_own_values_and_state():
    def add(item, items):
        items = items + [item]
        return items, ", ".join(items)

    with gr.Blocks() as demo:
        inp = gr.Textbox()
        items = gr.State([])
        out = gr.Textbox()
        btn = gr.Button()
        btn.click(add, [inp, items], [items, out])
    engine = Engine(demo)

    async def main():
        s1 = RecordingSession(engine, {inp: "apple"})
        s2 = RecordingSession(engine, {inp: "pear"})
        for _ in range(2):
            engine.trigger(s1, btn._id, "click")
            await settle(s1)
        engine.trigger(s2, btn._id, "click")
        await settle(s2)
        return s1, s2

    s1, s2 = asyncio.run(main())
    assert s1.value(items) == ["apple", "apple"]
    assert s2.value(items) == ["pear"]
    assert s1.value(out) == "apple, apple"
    assert s2.value(out) == "pear"
    assert items.initial() == []
    assert out.value == ""


def test_state_mutated_in_place_is_per_session():
    def append(lst):
        lst.append(len(lst))
        return lst

    with gr.Blocks() as demo:
        st = gr.State([])
        btn = gr.Button()
        btn.click(append, st, st)
    engine = Engine(demo)

    async def main():
        s1, s2 = RecordingSession(engine), RecordingSession(engine)
        for s in (s1, s1, s2):
            engine.trigger(s, btn._id, "click")
            await settle(s)
        return s1, s2

    s1, s2 = asyncio.run(main())
    assert s1.value(st) == [0, 1]
    assert s2.value(st) == [0]


def test_session_close_cancels_runs_and_calls_delete_callback():
    deleted = []
    entered = threading.Event()
    release = threading.Event()

    def slow(x):
        entered.set()
        release.wait(HANG)
        return x + 1

    with gr.Blocks() as demo:
        st = gr.State(1, delete_callback=deleted.append)
        btn = gr.Button()
        btn.click(slow, st, st)
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine)
        [run] = engine.trigger(s, btn._id, "click")
        assert await wait_event(entered)
        s.close()
        release.set()
        with pytest.raises(asyncio.CancelledError):
            await run.task
        return s

    s = asyncio.run(main())
    assert deleted == [1]
    assert s.closed and s.state == {}
    assert s.statuses() == ["processing"]  # nothing is sent to a closed session


# -- unknown targets -------------------------------------------------------------------------------


@pytest.mark.parametrize("block_id,event,match", [
    (10**9, "click", "no component with id"),
    ("1", "click", "component id must be an int"),
    (True, "click", "component id must be an int"),
    (None, "click", "component id must be an int"),
    ("BTN", "nope", "has no listener for event 'nope'"),
    ("BTN", None, "has no listener for event None"),
    ("TB", "submit", "has no listener for event 'submit'"),
])
def test_unknown_component_or_event_raises_value_error(block_id, event, match):
    with gr.Blocks() as demo:
        tb = gr.Textbox()
        btn = gr.Button()
        btn.click(lambda x: x, tb, tb)
    block_id = {"BTN": btn._id, "TB": tb._id}.get(block_id, block_id)
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine)
        with pytest.raises(ValueError, match=match):
            engine.trigger(s, block_id, event)
        assert s.tasks == set()

    asyncio.run(main())


def test_listener_added_after_engine_creation_is_found():
    with gr.Blocks() as demo:
        out = gr.Textbox()
        btn = gr.Button()
    engine = Engine(demo)
    btn.click(lambda: "late", None, out)
    s = click(engine, btn)
    assert s.value(out) == "late"


# -- change events ---------------------------------------------------------------------------------


def test_change_listeners_fire_when_a_function_changes_an_output():
    with gr.Blocks() as demo:
        a = gr.Textbox()
        b = gr.Textbox()
        c = gr.Textbox()
        btn = gr.Button()
        btn.click(lambda: "x", None, a)
        a.change(lambda v: v + "y", a, b)
        b.change(lambda v: v + "z", b, c)
    s = click(demo, btn)
    assert (s.value(a), s.value(b), s.value(c)) == ("x", "xy", "xyz")
    assert s.statuses(1) == ["processing", "complete"]
    assert s.statuses(2) == ["processing", "complete"]


def test_change_does_not_fire_for_a_props_only_update():
    fired = []
    with gr.Blocks() as demo:
        a = gr.Textbox()
        btn = gr.Button()
        btn.click(lambda: gr.update(visible=False), None, a)
        a.change(lambda: fired.append(1))
    click(demo, btn)
    assert fired == []


def test_state_change_fires_only_for_a_different_object():
    fired = []
    with gr.Blocks() as demo:
        st = gr.State(0)
        lst = gr.State([])
        b_new = gr.Button()
        b_same = gr.Button()
        b_new.click(lambda n: n + 1, st, st)
        b_same.click(lambda v: v, lst, lst)
        st.change(fired.append, st)
        lst.change(lambda v: fired.append("lst"), lst)
    click(demo, b_new)
    click(demo, b_same)
    assert fired == [1]


def test_state_change_fires_for_a_change_made_in_place():
    """Gradio's to-do list pattern: a function changes the State's object in
    place and returns it; the contents changed, so .change fires (Gradio
    compares a deep hash). An object that hashes by its fields counts too."""
    fired = []

    class Box:
        def __init__(self, n):
            self.n = n

        def __hash__(self):
            return self.n

    with gr.Blocks() as demo:
        tasks = gr.State([{"name": "wash", "done": False}])
        box = gr.State(Box(1))
        done = gr.Button()
        same = gr.Button()
        bump = gr.Button()

        def mark(items):
            items[0]["done"] = True
            return items

        def bump_box(b):
            b.n += 1
            return b

        done.click(mark, tasks, tasks)
        same.click(lambda items: items, tasks, tasks)
        bump.click(bump_box, box, box)
        tasks.change(lambda items: fired.append(items[0]["done"]), tasks)
        box.change(lambda b: fired.append(b.n), box)

    async def main():
        e = Engine(demo)
        s = RecordingSession(e)
        for b in (same, done, same, bump):
            e.trigger(s, b._id, "click")
            await settle(s)

    asyncio.run(main())
    assert fired == [True, 2]  # the unchanged returns fired nothing


def test_on_with_several_triggers():
    with gr.Blocks() as demo:
        tb = gr.Textbox()
        btn = gr.Button()
        out = gr.Textbox()
        gr.on([tb.submit, btn.click], lambda x: x.upper(), tb, out)
    assert click(demo, tb, {tb: "ab"}, event="submit").value(out) == "AB"
    assert click(demo, btn, {tb: "cd"}).value(out) == "CD"
    assert "submit" in tb._events and "click" in btn._events


def test_on_without_triggers_runs_on_input_change():
    with gr.Blocks() as demo:
        a = gr.Number(1)
        b = gr.Number(2)
        total = gr.Number()
        dep = gr.on(None, lambda x, y: x + y, [a, b], total)
    # Gradio: no triggers means the demo's load and every input's change
    assert dep.triggers == [(demo, "load"), (a, "change"), (b, "change")]
    assert dep.trigger_mode == "always_last"
    assert click(demo, b, {b: 5.0}, event="change").value(total) == 6.0


# -- nesting ------------------------------------------------------------------------------------------


def test_rendered_blocks_and_interface_join_the_outer_demo():
    with gr.Blocks() as inner:
        it = gr.Textbox()
        io = gr.Textbox()
        ib = gr.Button()
        ib.click(lambda x: x + "!", it, io)
    with gr.Blocks() as outer:
        gr.Markdown("outer")
        inner.render()
        iface = gr.Interface(lambda s: s[::-1], "text", "text")
    fns = {d.fn for d in outer.dependencies}
    assert inner.dependencies[0] in outer.dependencies
    assert iface.dependency in outer.dependencies
    assert len(fns) == len(outer.dependencies)
    engine = Engine(outer)
    assert click(engine, ib, {it: "q"}).value(io) == "q!"
    iin, iout = iface.input_components[0], iface.output_components[0]
    assert click(engine, iface.submit_btn, {iin: "abc"}).value(iout) == "cba"
    assert click(engine, iin, {iin: "xyz"}, event="submit").value(iout) == "zyx"


def test_listeners_inside_a_nested_with_blocks_join_the_outer_demo():
    with gr.Blocks() as outer:
        with gr.Blocks():
            x = gr.Textbox()
            y = gr.Textbox()
            btn = gr.Button()
            btn.click(lambda v: v * 2, x, y)
    assert click(outer, btn, {x: "ab"}).value(y) == "abab"


def test_interface_clear_button_resets_inputs_and_outputs():
    iface = gr.Interface(lambda s: s, "text", "text")
    iin, iout = iface.input_components[0], iface.output_components[0]
    s = click(iface, iface.clear_btn, {iin: "typed", iout: "shown"})
    assert (s.value(iin), s.value(iout)) == ("", "")


def test_interface_live_runs_on_change():
    iface = gr.Interface(lambda s: s.upper(), "text", "text", live=True)
    iin, iout = iface.input_components[0], iface.output_components[0]
    assert iface.submit_btn is None
    assert click(iface, iin, {iin: "go"}, event="change").value(iout) == "GO"


def test_examples_fill_inputs():
    with gr.Blocks() as demo:
        a = gr.Textbox()
        n = gr.Number()
        ex = gr.Examples([["hi", 1], ["yo", 2]], [a, n])
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine)
        s.values[ex.dataset._id] = 1
        engine.trigger(s, ex.dataset._id, "click")
        await settle(s)
        return s

    s = asyncio.run(main())
    assert (s.value(a), s.value(n)) == ("yo", 2.0)
