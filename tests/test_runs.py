"""Engine tests for runs and the queue, with no transport: the run object and
its states, order within a session, trigger modes, concurrency limits and the
queue-full refusal, batching, progress (and its throttle), toasts, timers,
load/unload, ``gr.Request`` and ``EventData`` placement, bad outputs and the
dispatcher's replies."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from recording import HANG, RecordingSession, settle, until

import nbdemo as gr
from nbdemo.engine import Engine
from nbdemo.engine.dispatch import dispatch
from nbdemo.engine.run import PROGRESS_INTERVAL, RunError


def run_async(coro_fn):
    return asyncio.run(asyncio.wait_for(coro_fn(), HANG * 3))


def fire(demo, comp, values=None, *, show_error=False) -> RecordingSession:
    """Click ``comp`` in a new session of a new engine; the session once every run ended."""
    engine = Engine(demo, show_error=show_error)

    async def main():
        s = RecordingSession(engine, values)
        engine.trigger(s, comp._id, "click")
        await settle(s)
        return s

    return run_async(main)


def counter_demo(**kw):
    with gr.Blocks() as demo:
        n = gr.State(0)
        shown = gr.Number()
        btn = gr.Button()

        def add(v):
            time.sleep(0.002)  # long enough for the burst to overlap
            return v + 1, v + 1

        btn.click(add, n, [n, shown], **kw)
    return demo, n, shown, btn


# -- the run object ---------------------------------------------------------------------------


def test_a_run_has_an_event_id_and_can_be_awaited_for_its_output():
    with gr.Blocks() as demo:
        a = gr.Textbox()
        b = gr.Textbox()
        btn = gr.Button()
        btn.click(lambda x: (x.upper(), x[::-1]), a, [a, b])
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine, {a: "abc"})
        [run] = engine.trigger(s, btn._id, "click")
        out = await run.result()
        return s, run, out

    s, run, out = run_async(main)
    assert out == ["ABC", "cba"]
    assert run.status == "complete"
    assert len(run.event_id) == 32
    msgs = s.status_msgs()
    assert [m["status"] for m in msgs] == ["processing", "complete"]
    assert {m["event_id"] for m in msgs} == {run.event_id}
    assert msgs[-1]["time"] >= 0


def test_awaiting_a_failed_run_raises_with_the_users_message():
    def fail():
        raise gr.Error("no luck")

    with gr.Blocks() as demo:
        btn = gr.Button()
        out = gr.Textbox()
        btn.click(fail, None, out)
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine)
        [run] = engine.trigger(s, btn._id, "click")
        with pytest.raises(RunError, match="no luck"):
            await run.result()
        return s

    s = run_async(main)
    assert s.status_msgs()[-1]["message"] == "no luck"


def test_cancel_a_run_by_event_id_and_unknown_ids_get_an_error():
    release = threading.Event()
    with gr.Blocks() as demo:
        btn = gr.Button()
        out = gr.Textbox()
        btn.click(lambda: release.wait(HANG) and "late", None, out)
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine)
        [run] = engine.trigger(s, btn._id, "click")
        await until(lambda: run.status == "processing")
        with pytest.raises(ValueError, match="no run"):
            dispatch(s, {"type": "cancel", "event_id": "nope"})
        dispatch(s, {"type": "cancel", "event_id": run.event_id})
        with pytest.raises(asyncio.CancelledError):
            await run.result()
        release.set()
        await settle(s)
        return s

    s = run_async(main)
    assert s.statuses() == ["processing", "cancelled"]


# -- order within a session ------------------------------------------------------------------


@pytest.mark.parametrize("mode,expected_runs", [("multiple", 10), (None, 1)])
def test_a_burst_of_clicks_on_a_state_counter(mode, expected_runs):
    demo, n, shown, btn = counter_demo(**({"trigger_mode": mode} if mode else {}))
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine)
        started = [engine.trigger(s, btn._id, "click") for _ in range(10)]  # one tick, no await
        await settle(s)
        return s, started

    s, started = run_async(main)
    assert sum(len(r) for r in started) == expected_runs
    assert s.value(n) == expected_runs  # no increment lost: each run saw the previous one's State
    assert s.value(shown) == expected_runs


def test_rapid_submits_each_read_the_value_sent_with_their_event_in_order():
    seen = []

    def echo(x):
        seen.append(x)
        time.sleep(0.003 * (5 - int(x[1])))  # earlier events are slower
        return x

    with gr.Blocks() as demo:
        box = gr.Textbox()
        out = gr.Textbox()
        box.submit(echo, box, out, trigger_mode="multiple")
    engine = Engine(demo)
    shown = []

    async def main():
        s = RecordingSession(engine)
        for i in range(5):
            dispatch(s, {"type": "event", "id": box._id, "event": "submit", "value": f"v{i}"})
        await settle(s)
        for m in s.updates():
            shown.extend(p["value"] for cid, p in m if cid == out._id)
        return s

    s = run_async(main)
    assert seen == ["v0", "v1", "v2", "v3", "v4"]
    assert shown == ["v0", "v1", "v2", "v3", "v4"]
    assert s.value(out) == "v4"


def test_runs_that_share_nothing_run_concurrently():
    inside = threading.Barrier(2, timeout=HANG)

    def meet(x):
        inside.wait()  # both must be inside at once, or this raises
        return x

    with gr.Blocks() as demo:
        a, b = gr.Textbox(), gr.Textbox()
        oa, ob = gr.Textbox(), gr.Textbox()
        ba, bb = gr.Button(), gr.Button()
        ba.click(meet, a, oa)
        bb.click(meet, b, ob)
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine, {a: "A", b: "B"})
        engine.trigger(s, ba._id, "click")
        engine.trigger(s, bb._id, "click")
        await settle(s)
        return s

    s = run_async(main)
    assert (s.value(oa), s.value(ob)) == ("A", "B")
    assert "error" not in s.statuses()


def test_a_run_reading_what_an_earlier_run_writes_waits_and_reads_its_result():
    release = threading.Event()

    def slow(x):
        release.wait(HANG)
        return x + "!"

    with gr.Blocks() as demo:
        a = gr.Textbox()
        mid = gr.Textbox()
        final = gr.Textbox()
        b1, b2 = gr.Button(), gr.Button()
        b1.click(slow, a, mid)
        b2.click(lambda m: m + "?", mid, final)
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine, {a: "x"})
        [first] = engine.trigger(s, b1._id, "click")
        [second] = engine.trigger(s, b2._id, "click")
        await until(lambda: second.status == "queued")
        assert second.waits == [first]
        release.set()
        await settle(s)
        return s

    s = run_async(main)
    assert s.value(final) == "x!?"


def test_always_last_keeps_only_the_newest_waiting_trigger():
    release = threading.Event()
    seen = []

    def slow(x):
        seen.append(x)
        if len(seen) == 1:
            release.wait(HANG)
        return x

    with gr.Blocks() as demo:
        box = gr.Textbox()
        out = gr.Textbox()
        box.change(slow, box, out)
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine)
        for v in ["a", "b", "c", "d"]:
            dispatch(s, {"type": "event", "id": box._id, "event": "change", "value": v})
        release.set()
        await settle(s)
        return s

    s = run_async(main)
    assert seen == ["a", "d"]
    assert s.value(out) == "d"


# -- the queue -----------------------------------------------------------------------------------


def _limited_demo(release, **queue):
    with gr.Blocks() as demo:
        out = gr.Textbox()
        btn = gr.Button()
        btn.click(lambda: release.wait(HANG) and "done", None, out, concurrency_limit=1)
    if queue:
        demo.queue(**queue)
    return demo, out, btn


def test_queue_reports_rank_and_size_and_a_full_queue_refuses():
    release = threading.Event()
    demo, out, btn = _limited_demo(release, max_size=2)
    engine = Engine(demo)

    async def main():
        sessions = [RecordingSession(engine) for _ in range(5)]
        runs = []
        for s in sessions:
            runs += engine.trigger(s, btn._id, "click")
            await asyncio.sleep(0)
        await until(lambda: sum(r.done() for r in runs) == 2)
        third = sessions[2].status_msgs()[-1]
        release.set()
        await settle(*sessions)
        return sessions, runs, third

    sessions, runs, third = run_async(main)
    finals = [s.statuses()[-1] for s in sessions]
    assert finals == ["complete", "complete", "complete", "error", "error"]
    for s in sessions[3:]:
        msg = s.status_msgs()[-1]
        assert msg["title"] == "Queue is full" and "2 run(s) are already waiting" in msg["message"]
    # the third session waited behind the second: rank 1 of 2
    assert (third["status"], third["rank"], third["queue_size"]) == ("queued", 1, 2)
    assert sessions[1].status_msgs()[0]["rank"] == 0
    # ranks move up as runs leave the queue
    ranks = [m["rank"] for m in sessions[2].status_msgs() if m["status"] == "queued"]
    assert ranks == [1, 0]


def test_eta_comes_from_recent_run_times():
    release = threading.Event()
    release.set()
    demo, out, btn = _limited_demo(release)
    engine = Engine(demo)
    engine.queue.record(0, 2.0)
    gate = threading.Event()
    demo.dependencies[0].fn = lambda: gate.wait(HANG) and "ok"

    async def main():
        a, b = RecordingSession(engine), RecordingSession(engine)
        engine.trigger(a, btn._id, "click")
        await asyncio.sleep(0)
        engine.trigger(b, btn._id, "click")
        await until(lambda: "queued" in b.statuses())
        gate.set()
        await settle(a, b)
        return b

    b = run_async(main)
    queued = b.status_msgs()[0]
    assert queued["eta"] == 4.0  # one run ahead (2 s) and its own (2 s)


def test_queue_false_skips_the_limit():
    inside = threading.Barrier(2, timeout=HANG)
    with gr.Blocks() as demo:
        out = gr.Textbox()
        btn = gr.Button()
        btn.click(lambda: inside.wait() and "x", None, out, concurrency_limit=1, queue=False)
    engine = Engine(demo)

    async def main():
        a, b = RecordingSession(engine), RecordingSession(engine)
        engine.trigger(a, btn._id, "click")
        engine.trigger(b, btn._id, "click")
        await settle(a, b)
        return a, b

    a, b = run_async(main)
    assert a.statuses() == b.statuses() == ["processing", "complete"]


def test_batch_groups_waiting_runs_into_one_call():
    calls = []

    def shout(words):
        calls.append(list(words))
        return [[w.upper() for w in words]]

    with gr.Blocks() as demo:
        inp = gr.Textbox()
        out = gr.Textbox()
        btn = gr.Button()
        btn.click(shout, inp, out, batch=True, max_batch_size=3)
    engine = Engine(demo)

    async def main():
        sessions = [RecordingSession(engine, {inp: w}) for w in ["a", "b", "c", "d"]]
        for s in sessions:
            engine.trigger(s, btn._id, "click")
        await settle(*sessions)
        return sessions

    sessions = run_async(main)
    assert calls == [["a", "b", "c"], ["d"]]
    assert [s.value(out) for s in sessions] == ["A", "B", "C", "D"]


def test_batch_function_returning_the_wrong_shape_is_an_error():
    with gr.Blocks() as demo:
        inp = gr.Textbox()
        out = gr.Textbox()
        btn = gr.Button()
        btn.click(lambda words: words, inp, out, batch=True)
    s = fire(demo, btn, {inp: "a"}, show_error=True)
    assert s.statuses()[-1] == "error"
    assert "batch=True" in s.status_msgs()[-1]["message"]


def test_time_limit_stops_a_run_with_an_error():
    async def slow():
        await asyncio.sleep(HANG)

    with gr.Blocks() as demo:
        btn = gr.Button()
        btn.click(slow, None, None, time_limit=0.05)
    s = fire(demo, btn)
    assert s.statuses()[-1] == "error"
    assert "time_limit" in s.status_msgs()[-1]["message"]


# -- progress and toasts ---------------------------------------------------------------------------


def _progress_runs(fn, inputs=None):
    with gr.Blocks() as demo:
        out = gr.Textbox()
        btn = gr.Button()
        btn.click(fn, inputs, out)
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine)
        engine.trigger(s, btn._id, "click")
        await settle(s)
        await asyncio.sleep(PROGRESS_INTERVAL * 2)  # a pending flush would land now
        return s

    return run_async(main)


def test_progress_reports_fractions_steps_and_descriptions():
    def work(progress=gr.Progress()):
        progress(0.25, desc="Loading")
        time.sleep(PROGRESS_INTERVAL * 1.5)
        progress((3, 10), desc="Files", unit="files")
        time.sleep(PROGRESS_INTERVAL * 1.5)
        return "ok"

    s = _progress_runs(work)
    progress = [m["progress"] for m in s.status_msgs() if m["status"] == "processing" and m.get("progress")]
    assert progress[0] == [{"index": None, "length": None, "unit": "steps", "progress": 0.25, "desc": "Loading"}]
    assert progress[-1] == [{"index": 3, "length": 10, "unit": "files", "progress": None, "desc": "Files"}]
    assert s.statuses()[-1] == "complete"


def test_progress_updates_are_throttled_and_the_last_one_is_not_lost():
    def work(progress=gr.Progress()):
        t0 = time.monotonic()
        for i in range(2000):
            progress(i / 2000)
        work.took = time.monotonic() - t0
        time.sleep(PROGRESS_INTERVAL * 2)  # let the last one through before the run ends
        return "ok"

    s = _progress_runs(work)
    sent = [m for m in s.status_msgs() if m["status"] == "processing" and m.get("progress")]
    # at most one message per interval while it ran, plus the first and the last
    assert 1 <= len(sent) <= work.took / PROGRESS_INTERVAL + 3
    assert sent[-1]["progress"][0]["progress"] == pytest.approx(1999 / 2000)


def test_progress_tqdm_and_track_tqdm_show_nested_bars():
    tqdm = pytest.importorskip("tqdm")
    snapshots = []

    def work(progress=gr.Progress(track_tqdm=True)):
        for _ in progress.tqdm(range(3), desc="outer"):
            for _ in tqdm.tqdm(range(4), desc="inner", disable=False):
                time.sleep(PROGRESS_INTERVAL / 3)
        return "ok"

    s = _progress_runs(work)
    for m in s.status_msgs():
        if m["status"] == "processing" and m.get("progress"):
            snapshots.append([(u["desc"], u["index"], u["length"]) for u in m["progress"]])
    assert any(len(p) == 2 and p[0][0] == "outer" and p[1][0] == "inner" and p[1][2] == 4
               for p in snapshots), snapshots
    outer = [p[0][1] for p in snapshots if p and p[0][0] == "outer"]
    assert outer == sorted(outer) and outer[-1] >= 2  # it advanced to its last step


def test_info_warning_and_success_are_toasts_while_the_run_goes_on():
    def work():
        gr.Info("starting")
        gr.Warning("careful", duration=3)
        gr.Success("done", title="Yay")
        return "ok"

    s = _progress_runs(work)
    logs = [m for m in s.messages if m["type"] == "log"]
    assert [(m["level"], m["message"]) for m in logs] == [
        ("info", "starting"), ("warning", "careful"), ("success", "done")]
    assert logs[1]["duration"] == 3 and logs[2]["title"] == "Yay"
    assert all(m["event_id"] == s.status_msgs()[0]["event_id"] for m in logs)
    # toasts come before the run ends
    kinds = [m["type"] if m["type"] == "log" else m["status"] for m in s.messages if m["type"] != "update"]
    assert kinds[-1] == "complete"


def test_info_outside_a_run_only_logs(caplog):
    caplog.set_level("INFO", "nbdemo")
    gr.Info("nobody listens")
    assert "nobody listens" in caplog.text


# -- timers, load and unload --------------------------------------------------------------------------


def test_timer_ticks_until_a_function_stops_it():
    with gr.Blocks() as demo:
        timer = gr.Timer(0.02)
        n = gr.Number(0)

        def tick(v):
            v += 1
            return v, gr.Timer(active=v < 3)

        timer.tick(tick, n, [n, timer])
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine)
        engine.open(s)
        await until(lambda: s.value(n) == 3)
        await asyncio.sleep(0.15)  # several intervals: an inactive timer does not tick
        value = s.value(n)
        engine.close(s)
        return value, s

    value, s = run_async(main)
    assert value == 3
    assert s.closed and not s.background


def test_load_runs_on_open_and_unload_on_close():
    closed = threading.Event()
    with gr.Blocks() as demo:
        out = gr.Textbox()
        stamp = gr.Textbox(value=lambda: "per session")
        demo.load(lambda: "loaded", None, out)
        demo.unload(closed.set)
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine)
        runs = engine.open(s)
        await settle(s)
        values = s.value(out), s.value(stamp)
        assert not closed.is_set()
        engine.close(s)
        return values, runs

    values, runs = run_async(main)
    assert len(runs) == 2
    assert values == ("loaded", "per session")
    assert closed.wait(HANG)


def test_every_on_a_listener_and_on_a_callable_value():
    counts = {"listener": 0, "value": 0}

    def bump(key):
        counts[key] += 1
        return str(counts[key])

    with gr.Blocks() as demo:
        a = gr.Textbox()
        b = gr.Textbox(value=lambda: bump("value"), every=0.02)
        btn = gr.Button()
        btn.click(lambda: bump("listener"), None, a, every=0.02)
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine)
        engine.open(s)
        await until(lambda: counts["listener"] >= 3 and counts["value"] >= 3)
        await until(lambda: s.value(b) not in ("", "1", "2"))
        engine.close(s)

    run_async(main)


def test_every_takes_a_timer_and_a_callable_value_takes_inputs():
    ticks = []
    with gr.Blocks() as demo:
        timer = gr.Timer(0.02)
        count = gr.Number(2)
        words = gr.Textbox(value=lambda k: ticks.append(k) or "x" * int(k), inputs=count, every=timer)
        stop = gr.Button()
        stop.click(lambda: gr.Timer(active=False), None, timer)
    engine = Engine(demo)
    assert "change" in count._events  # the page sends the input's changes

    async def main():
        s = RecordingSession(engine, {count: 2})
        engine.open(s)
        await until(lambda: len(ticks) >= 3)  # load, then the Timer's ticks
        assert s.value(words) == "xx"
        s.values[count._id] = 4
        engine.trigger(s, count._id, "change")  # an input changes: computed again with it
        await until(lambda: s.value(words) == "xxxx")
        engine.trigger(s, stop._id, "click")
        await settle(s)
        await until(lambda: not s.view(timer).active)
        seen = len(ticks)
        await asyncio.sleep(0.15)  # several intervals: the stopped Timer drives nothing
        engine.close(s)
        return seen

    seen = run_async(main)
    assert len(ticks) <= seen + 1  # at most one tick already on its way
    with pytest.raises(ValueError, match="gr.Timer or a number of seconds"):
        with gr.Blocks():
            gr.Button().click(lambda: 1, every="soon")


def test_validator_stops_fn_with_the_messages_and_show_progress_on_moves_the_progress():
    calls = []

    def check(age, place):
        return [gr.validate(age is None or age > 3, "Age must be at least 3"),
                gr.validate("london" not in place.lower(), "Not London")]

    with gr.Blocks() as demo:
        age, place, out, spinner = gr.Number(), gr.Textbox(), gr.Textbox(), gr.Markdown()
        btn = gr.Button()
        btn.click(lambda a, p: calls.append(1) or f"{a} {p}", [age, place], out, validator=check,
                  show_progress_on=spinner)
        with pytest.raises(TypeError, match="validator= takes a function"):
            btn.click(lambda: 1, validator="no")
    s = fire(demo, btn, {age: 2, place: "London"}, show_error=True)
    assert s.statuses()[-1] == "error" and calls == []
    assert s.status_msgs()[-1]["message"] == "Age must be at least 3\nNot London"
    assert s.status_msgs()[0]["targets"] == [spinner._id]
    s = fire(demo, btn, {age: 30, place: "Oslo"})
    assert s.value(out) == "30 Oslo"
    assert calls == [1]


# -- special arguments ---------------------------------------------------------------------------------


def test_request_and_event_data_are_placed_at_their_parameters():
    got = {}

    def fn(evt: gr.SelectData, text, request: gr.Request, n=0):
        got.update(index=evt.index, text=text, hash=request.session_hash,
                   agent=request.headers.get("User-Agent"), n=n)
        return text

    with gr.Blocks() as demo:
        box = gr.Textbox()
        out = gr.Textbox()
        box.select(fn, [box, out], out)
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine, {box: "hi", out: "5"})
        s.request = gr.Request(headers={"user-agent": "test"}, session_hash=s.session_hash)
        engine.trigger(s, box._id, "select", {"index": 2, "value": "x"})
        await settle(s)
        return s

    s = run_async(main)
    assert got == {"index": 2, "text": "hi", "hash": s.session_hash, "agent": "test", "n": "5"}


# -- bad input and bad output -------------------------------------------------------------------------


@pytest.mark.parametrize("value,why", [(object(), "builtins.object"), (float("nan"), "finite")])
def test_an_output_it_cannot_carry_is_an_error_naming_it_and_the_session_goes_on(value, why):
    with gr.Blocks() as demo:
        out = gr.CheckboxGroup(["a", "b"], label="Result")
        bad, good = gr.Button(), gr.Button()
        bad.click(lambda: [value], None, out)
        good.click(lambda: ["a"], None, out)
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine)
        engine.trigger(s, bad._id, "click")
        await settle(s)
        engine.trigger(s, good._id, "click")
        await settle(s)
        return s

    s = run_async(main)
    errors = [m for m in s.status_msgs() if m["status"] == "error"]
    assert len(errors) == 1
    assert "CheckboxGroup 'Result'" in errors[0]["message"] and why in errors[0]["message"]
    assert s.value(out) == ["a"]


def test_numpy_scalar_output_is_a_clear_error():
    np = pytest.importorskip("numpy")
    with gr.Blocks() as demo:
        out = gr.JSON(label="n")
        btn = gr.Button()
        btn.click(lambda: {"n": np.int64(3)}, None, out, postprocess=False)
    s = fire(demo, btn)
    assert "numpy.int64" in s.status_msgs()[-1]["message"]


def test_dispatch_refuses_unknown_messages_listeners_and_read_only_values():
    with gr.Blocks() as demo:
        box = gr.Textbox(interactive=False)
        btn = gr.Button()
        btn.click(lambda: None)
    engine = Engine(demo)

    async def main():
        s = RecordingSession(engine)
        with pytest.raises(ValueError, match="unknown message type"):
            dispatch(s, {"type": "bogus"})
        with pytest.raises(ValueError, match="JSON object"):
            dispatch(s, [1])
        with pytest.raises(ValueError, match="no listener for event 'submit'"):
            dispatch(s, {"type": "event", "id": btn._id, "event": "submit"})
        with pytest.raises(ValueError, match="not interactive"):
            dispatch(s, {"type": "set", "id": box._id, "value": "x"})
        assert s.value(box) == ""
        assert len(dispatch(s, {"type": "event", "id": btn._id, "event": "click"})) == 1
        await settle(s)

    run_async(main)
