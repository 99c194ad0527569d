"""nbdemo's background asyncio loop in a kernel: events run here, off the shell thread."""

from __future__ import annotations

import asyncio
import threading

_loop: asyncio.AbstractEventLoop | None = None
_lock = threading.Lock()


def get_loop() -> asyncio.AbstractEventLoop:
    """The loop, started on first use in a daemon thread named ``nbdemo-loop``."""
    global _loop
    with _lock:
        if _loop is None or _loop.is_closed():
            loop = asyncio.new_event_loop()
            ready = threading.Event()

            def run() -> None:
                asyncio.set_event_loop(loop)
                loop.call_soon(ready.set)
                loop.run_forever()

            threading.Thread(target=run, name="nbdemo-loop", daemon=True).start()
            ready.wait()
            _loop = loop
        return _loop
