"""An in-test session for driving nbdemo's engine directly: its "front-end"
is the list of messages it was sent. Shared by the engine and chat tests."""

from __future__ import annotations

import asyncio

from nbdemo.engine import Session

#: bound on every wait below: a hang guard, never a speed assertion
HANG = 10.0


class RecordingSession(Session):
    """A session whose front-end is a list of the messages it was sent."""

    def __init__(self, engine, values: dict | None = None):
        super().__init__(engine)
        self.messages: list[dict] = []
        for comp, value in (values or {}).items():
            self.values[comp._id] = value

    def emit(self, msg: dict) -> None:
        self.messages.append(msg)

    def statuses(self, fn_index: int | None = None) -> list[str]:
        return [m["status"] for m in self.messages if m["type"] == "status"
                and (fn_index is None or m["fn_index"] == fn_index)]

    def status_msgs(self) -> list[dict]:
        return [m for m in self.messages if m["type"] == "status"]

    def updates(self) -> list[list]:
        return [m["updates"] for m in self.messages if m["type"] == "update"]

    def value(self, comp):
        return self.get_value(comp)


async def settle(*sessions: RecordingSession) -> None:
    """Wait until no task of these sessions runs (follow-up events included)."""
    async with asyncio.timeout(HANG):
        while any(s.tasks for s in sessions):
            for s in sessions:
                if s.tasks:
                    await asyncio.gather(*list(s.tasks), return_exceptions=True)


async def until(pred) -> None:
    async with asyncio.timeout(HANG):
        while not pred():
            await asyncio.sleep(0.001)
