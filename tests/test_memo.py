"""gr.cache / gr.Cache (nbdemo.memo): hits by content, generators replayed,
LRU limits, per-session entries, and a cached listener in the engine."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from recording import RecordingSession, settle

import nbdemo as gr
from nbdemo.engine import Engine


def test_cache_returns_the_stored_result_for_equal_content():
    calls = []

    @gr.cache
    def mean(image, scale=1):
        calls.append(1)
        return float(image.mean()) * scale

    a = np.arange(12, dtype=np.uint8).reshape(3, 4)
    assert mean(a) == mean(a.copy()) == pytest.approx(5.5)  # equal arrays hash the same
    assert len(calls) == 1
    mean(a, scale=2)
    mean(a + 1)
    assert len(calls) == 3
    assert gr.cache(mean.__wrapped__) is mean  # gr.cache(f) at run time: the same store


def test_generators_and_coroutines_replay_and_key_picks_what_counts():
    runs = []

    @gr.cache(key=lambda kw: kw["prompt"].lower())
    def stream(prompt, temperature=0.5):
        runs.append(prompt)
        yield from (prompt[:i] for i in range(1, len(prompt) + 1))

    assert list(stream("Hey")) == ["H", "He", "Hey"]
    assert list(stream("hey", temperature=0.9)) == ["H", "He", "Hey"]  # same key: replayed
    assert runs == ["Hey"]

    @gr.cache
    async def double(x):
        runs.append(x)
        return 2 * x

    assert asyncio.run(double(4)) == asyncio.run(double(4)) == 8
    assert runs == ["Hey", 4]
    with pytest.raises(TypeError, match="takes a function"):
        gr.cache(3)


def test_manual_cache_with_lru_and_memory_limits():
    c = gr.Cache(max_size=2)
    assert c.get("a") is None
    c.set("a", forecast="fog")
    c.set("b", forecast="sun")
    assert c.get("a") == {"forecast": "fog"}  # "a" is now the most recent
    c.set("c", forecast="rain")
    assert sorted(c.keys()) == ["a", "c"] and len(c) == 2  # "b" was least recently used
    c.clear()
    assert len(c) == 0
    big = gr.Cache(max_memory="1kb")
    big.set(1, data=np.zeros(600, np.uint8))
    big.set(2, data=np.zeros(600, np.uint8))
    assert big.keys() == [2]
    with pytest.raises(ValueError, match="max_size"):
        gr.Cache(max_size=-1)


def test_per_session_entries_in_the_engine():
    computed = []

    def lookup(city, c=gr.Cache(per_session=True)):  # noqa: B008 - the documented use
        hit = c.get(city)
        if hit is not None:
            return f"hit {hit['n']}"
        computed.append(city)
        c.set(city, n=len(computed))
        return f"computed {len(computed)}"

    with gr.Blocks() as demo:
        city = gr.Textbox()
        out = gr.Textbox()
        btn = gr.Button()
        btn.click(lookup, city, out)
    engine = Engine(demo)

    async def main():
        one, two = RecordingSession(engine, {city: "Oslo"}), RecordingSession(engine, {city: "Oslo"})
        seen = []
        for s in (one, one, two):
            engine.trigger(s, btn._id, "click")
            await settle(s)
            seen.append(s.value(out))
        return seen

    assert asyncio.run(main()) == ["computed 1", "hit 1", "computed 2"]
