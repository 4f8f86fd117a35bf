"""Sending queued websocket messages in order, from a task of their own.

The relay link (:mod:`app.core.sync.link`) and the LAN links
(:mod:`app.core.lan.link`) queue what their session has to send without
waiting; one writer task sends it, and closing sends what is still queued,
for a bounded time.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Protocol

from websockets.exceptions import ConnectionClosed

__all__ = ["FrameWriter"]


class _Sends(Protocol):
    async def send(self, message: bytes) -> None: ...


class FrameWriter:
    """One websocket's outgoing queue and the task that drains it (loop thread only)."""

    def __init__(self) -> None:
        self._outgoing: asyncio.Queue[bytes | None] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    def start(self, ws: _Sends, name: str) -> None:
        """Start sending what is queued (and queued later) on ``ws``."""
        self._task = asyncio.get_running_loop().create_task(self._write(ws), name=name)

    def put(self, data: bytes) -> None:
        """Queue ``data``; sent after everything queued before it."""
        self._outgoing.put_nowait(data)

    async def _write(self, ws: _Sends) -> None:
        with contextlib.suppress(ConnectionClosed):
            while (data := await self._outgoing.get()) is not None:
                await ws.send(data)

    async def stop(self, timeout: float) -> None:
        """Send what is queued (for at most ``timeout`` seconds), then end the task."""
        task, self._task = self._task, None
        if task is None or task.done():
            return
        self._outgoing.put_nowait(None)
        with contextlib.suppress(TimeoutError, ConnectionClosed):
            await asyncio.wait_for(asyncio.shield(task), timeout)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
            await task
