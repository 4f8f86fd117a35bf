"""The asyncio bridge: coroutines run off the GUI thread, results come back on it."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from app.qt.bridge import AsyncBridge


@pytest.fixture
def bridge() -> Iterator[AsyncBridge]:
    b = AsyncBridge()
    yield b
    b.close()


def test_result_reaches_the_gui_thread(qtbot: QtBot, bridge: AsyncBridge) -> None:
    gui = threading.get_ident()
    seen: dict[str, int] = {}

    async def work() -> int:
        seen["worker"] = threading.get_ident()
        await asyncio.sleep(0)
        return 42

    def on_result(value: int) -> None:
        seen["callback"] = threading.get_ident()
        seen["value"] = value

    bridge.submit(work(), on_result)
    qtbot.waitUntil(lambda: "value" in seen, timeout=5000)
    assert seen["value"] == 42
    assert seen["callback"] == gui
    assert seen["worker"] != gui


def test_errors_reach_the_error_callback(qtbot: QtBot, bridge: AsyncBridge) -> None:
    errors: list[BaseException] = []

    async def fail() -> None:
        raise ValueError("no network")

    bridge.submit(fail(), on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], ValueError)


def test_close_cancels_pending_work(qtbot: QtBot) -> None:
    bridge = AsyncBridge()
    results: list[object] = []
    started = threading.Event()

    async def forever() -> None:
        started.set()
        await asyncio.sleep(3600)

    future = bridge.submit(forever(), results.append, results.append)
    assert started.wait(5)
    bridge.close()
    assert future.cancelled()
    assert results == []
    with pytest.raises(RuntimeError):
        bridge.submit(forever())
