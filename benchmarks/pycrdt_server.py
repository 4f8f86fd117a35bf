"""pycrdt-websocket's ``WebsocketServer``, the Python reference, served by ``websockets``.

Run by the benchmark runner as ``python -m benchmarks.pycrdt_server PORT``; prints
``listening on HOST:PORT`` once it accepts connections. Rooms are named by the request path,
as pycrdt-websocket's own examples do. It has no persistence and no authentication.

pycrdt-websocket 0.16 hangs when several clients open a new room at the same instant; the load
generator opens every room with one connection before the load starts (it does so for every
server, so the warm-up is the same for all).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys

from pycrdt.websocket import WebsocketServer
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

__all__ = ["main"]


class _Channel:
    """The ``pycrdt.Channel`` protocol over a ``websockets`` server connection."""

    def __init__(self, connection: ServerConnection) -> None:
        self._connection = connection
        self._path = connection.request.path if connection.request else "/"

    @property
    def path(self) -> str:
        return self._path

    def __aiter__(self) -> _Channel:
        return self

    async def __anext__(self) -> bytes:
        try:
            return await self.recv()
        except ConnectionClosed:
            raise StopAsyncIteration from None

    async def send(self, message: bytes) -> None:
        with contextlib.suppress(ConnectionClosed):
            await self._connection.send(message)

    async def recv(self) -> bytes:
        message = await self._connection.recv()
        return message if isinstance(message, bytes) else message.encode()


async def _serve(port: int) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)

    async def handler(connection: ServerConnection) -> None:
        await rooms.serve(_Channel(connection))

    async with (
        WebsocketServer() as rooms,
        serve(handler, "127.0.0.1", port, max_size=None) as server,
    ):
        host, bound = next(iter(server.sockets)).getsockname()[:2]
        print(f"listening on {host}:{bound}", flush=True)
        await stop.wait()


def main(argv: list[str]) -> int:
    """Serve until SIGTERM on the port given (0 picks a free one)."""
    asyncio.run(_serve(int(argv[0]) if argv else 0))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
