"""nbdemo.engine.pool: the lean thread pool for sync functions."""

from __future__ import annotations

import asyncio
import threading

import pytest

from nbdemo.engine.pool import FunctionPool


def test_results_exceptions_and_threads():
    pool = FunctionPool(max_workers=3)
    barrier = threading.Barrier(3, timeout=10)

    def meet(i):
        barrier.wait()  # three calls inside at once: three threads
        return i, threading.current_thread().name

    async def main():
        got = await asyncio.gather(*[pool.run(lambda i=i: meet(i)) for i in range(3)])
        with pytest.raises(ZeroDivisionError):
            await pool.run(lambda: 1 / 0)
        many = await asyncio.gather(*[pool.run(lambda i=i: i * i) for i in range(500)])
        return got, many

    got, many = asyncio.run(main())
    assert [i for i, _ in got] == [0, 1, 2]
    assert len({name for _, name in got}) == 3
    assert many == [i * i for i in range(500)]
    assert pool._threads == 3  # never more than max_workers
    assert pool._idle + pool._backlog <= 3


def test_a_cancelled_wait_leaves_the_pool_working():
    pool = FunctionPool(max_workers=1)
    release = threading.Event()

    async def main():
        slow = pool.run(lambda: release.wait(10))
        slow.cancel()
        release.set()
        return await pool.run(lambda: "next")

    assert asyncio.run(main()) == "next"
