"""One y-websocket client connection, as the load generator uses it for every server.

The client never applies what it receives (that would measure pycrdt, not the server): it
watches for sync step 2 (the answer to its step 1) and for the writers' markers.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from benchmarks.wire import MARKER, Framing, empty_sync_step1, is_sync_step2

__all__ = ["Endpoint", "YClient"]


@dataclass(frozen=True)
class Endpoint:
    """Where one document lives on a server and how to frame messages for it."""

    url: str
    framing: Framing

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Endpoint:
        return cls(url=data["url"], framing=Framing(**data["framing"]))


class YClient:
    """A connection to one document. Open with ``await YClient.open(endpoint)``."""

    def __init__(self, endpoint: Endpoint, connection: ClientConnection) -> None:
        self.endpoint = endpoint
        self._connection = connection
        self.bytes_received = 0
        self.step2: bytes | None = None
        self.resynced = asyncio.Event()

    @classmethod
    async def open(cls, endpoint: Endpoint, *, timeout: float = 30.0) -> YClient:
        """Connect and ask for the whole document (auth first where the framing needs it)."""
        connection = await connect(
            endpoint.url,
            compression=None,
            max_size=None,
            ping_interval=None,
            open_timeout=timeout,
            close_timeout=2,
        )
        client = cls(endpoint, connection)
        for frame in endpoint.framing.opening():
            await connection.send(frame)
        await client.send(empty_sync_step1())
        return client

    async def send(self, message: bytes) -> None:
        """Send one unframed y-websocket message."""
        await self._connection.send(self.endpoint.framing.wrap(message))

    async def wait_synced(self, timeout: float = 60.0) -> None:
        """Read until the server answered the step 1 with a step 2 (kept in ``step2``)."""
        async with asyncio.timeout(timeout):
            while self.step2 is None:
                message = await self._receive()
                if is_sync_step2(message):
                    self.step2 = message

    async def _receive(self) -> bytes:
        data = await self._connection.recv()
        if isinstance(data, str):
            data = data.encode()
        self.bytes_received += len(data)
        return self.endpoint.framing.unwrap(data)

    async def read_markers(self, on_marker: Callable[[int, float], None]) -> None:
        """Call ``on_marker(seq, arrival)`` for every marker seen, until the link closes."""
        recv = self._connection.recv
        clock = time.perf_counter
        finditer = MARKER.findall
        try:
            while True:
                data = await recv()
                now = clock()
                if isinstance(data, bytes):
                    for found in finditer(data):
                        on_marker(int(found), now)
        except ConnectionClosed:  # the step's accounting counts what never arrived
            return

    async def drain(self) -> None:
        """Read and drop everything (echoes of its own updates, acks), as a real client does,
        so the server never stalls on a full socket; note each step 2 in ``resynced``."""
        try:
            while True:
                if is_sync_step2(await self._receive()):
                    self.resynced.set()
        except ConnectionClosed:
            return

    async def close(self) -> None:
        await self._connection.close()
