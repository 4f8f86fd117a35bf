"""One connection's outgoing queue: fan-out never waits on a slow reader.

Everything sent to a connection goes through its :class:`Outbox`: ``put`` is
synchronous and never blocks (the room fans out from the event loop); a writer
task drains the queue into the websocket. A reader that lets more than
``max_bytes`` pile up is evicted: the queue is dropped and the connection
closed with 1008, so it never holds much memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

__all__ = ["Outbox"]

logger = logging.getLogger(__name__)

_CLOSE = object()


class Outbox:
    """The bounded send queue and writer task of one websocket connection."""

    def __init__(
        self, ws: ServerConnection, max_bytes: int, log: logging.LoggerAdapter[logging.Logger]
    ) -> None:
        self.ws = ws
        self.max_bytes = max_bytes
        self.log = log
        self._queue: deque[bytes | object] = deque()
        self._bytes = 0
        self._ready = asyncio.Event()
        self._close: tuple[int, str] | None = None
        self._task = asyncio.create_task(self._run())

    @property
    def closing(self) -> bool:
        """True once a close was requested (nothing more is queued)."""
        return self._close is not None

    def put(self, data: bytes) -> None:
        """Queue one binary message; evict the reader if its queue is over the bound."""
        if self._close is not None:
            return
        if self._bytes and self._bytes + len(data) > self.max_bytes:  # one big message may pass
            self.log.warning("slow reader: %d bytes queued, evicting", self._bytes)
            self.close(1008, "too slow: send queue over its limit", drain=False)
            return
        self._queue.append(data)
        self._bytes += len(data)
        self._ready.set()

    def close(self, code: int, reason: str, *, drain: bool = True) -> None:
        """Close the connection, after what is queued when ``drain`` (so an ERROR frame goes)."""
        if self._close is not None:
            return
        self._close = (code, reason.encode("utf-8")[:120].decode("utf-8", "ignore"))
        if drain:
            self._queue.append(_CLOSE)
            self._ready.set()
            return
        # The writer may be stuck in a send the peer never reads: drop it and close now
        # (websockets aborts the connection if the closing handshake times out).
        self._queue.clear()
        self._bytes = 0
        self._task.cancel()
        self._task = asyncio.create_task(self._close_now())

    async def _close_now(self) -> None:
        assert self._close is not None
        with contextlib.suppress(ConnectionClosed):
            await self.ws.close(*self._close)

    async def _run(self) -> None:
        try:
            while True:
                await self._ready.wait()
                self._ready.clear()
                while self._queue:
                    item = self._queue.popleft()
                    if item is _CLOSE:
                        assert self._close is not None
                        await self.ws.close(*self._close)
                        return
                    assert isinstance(item, bytes)
                    self._bytes -= len(item)
                    await self.ws.send(item)
        except ConnectionClosed:
            return

    async def aclose(self, grace: float = 5.0) -> None:
        """Stop the writer when the handler ends; a requested close gets ``grace`` s to finish."""
        if self._close is not None:
            with contextlib.suppress(TimeoutError, ConnectionClosed):
                await asyncio.wait_for(asyncio.shield(self._task), grace)
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
