"""Test clients of a running relay: a native-protocol client and a plain y-websocket one.

Real sockets only; every wait polls with a deadline (never a bare sleep).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Mapping
from typing import Any

from pycrdt import (
    Doc,
    YMessageType,
    YSyncMessageType,
    create_sync_message,
    create_update_message,
    handle_sync_message,
)
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from crdt_models.sync import (
    AuthAccepted,
    AuthRejected,
    Event,
    PeerOrigin,
    SyncSession,
)
from crdt_models.sync.payloads import JsonObject
from relay_server.storage import DOC_NAMES

DEADLINE = 10.0


async def eventually(check: Callable[[], bool], timeout: float = DEADLINE) -> None:
    """Poll ``check`` until it is true; fail after ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            raise AssertionError("condition not met before the deadline")
        await asyncio.sleep(0.01)


class NativeClient:
    """A device speaking the native protocol: one SyncSession over the four documents."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.session = SyncSession(origin=PeerOrigin("test-client"))
        self.docs: dict[str, Doc[Any]] = {name: Doc() for name in DOC_NAMES}
        self.events: list[Event] = []
        self.auth: JsonObject | None = None
        self.rejected: AuthRejected | None = None
        self.closed = asyncio.Event()
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def connect(cls, url: str, auth: Mapping[str, Any] | None) -> NativeClient:
        """Connect; send ``auth`` as the first frame (None: send nothing)."""
        client = cls(await connect(url, max_size=None))
        if auth is not None:
            client.session.send_auth(dict(auth))
            await client.flush()
        return client

    async def authenticated(self) -> JsonObject:
        """Wait for AUTH_OK and return its payload (AssertionError if refused)."""
        await eventually(lambda: self.auth is not None or self.rejected is not None)
        assert self.auth is not None, self.rejected
        return self.auth

    async def _read(self) -> None:
        try:
            async for message in self.ws:
                assert isinstance(message, bytes)
                self.session.receive_frame(message)
                for event in self.session.events_received():
                    self.events.append(event)
                    if isinstance(event, AuthAccepted):
                        self.auth = event.payload
                        self.session.open(self.docs)
                    elif isinstance(event, AuthRejected):
                        self.rejected = event
                await self.flush()
        except ConnectionClosed:
            pass
        finally:
            self.closed.set()

    async def flush(self) -> None:
        for data in self.session.data_to_send():
            with contextlib.suppress(ConnectionClosed):
                await self.ws.send(data)

    async def send_raw(self, data: bytes | str) -> None:
        await self.ws.send(data)

    async def edit(self, doc: str, change: Callable[[Doc[Any]], None]) -> None:
        """Make a local change and push it to the relay."""
        state = self.docs[doc].get_state()
        change(self.docs[doc])
        self.session.send_update(doc, self.docs[doc].get_update(state))
        await self.flush()

    async def close_code(self) -> int | None:
        """Wait for the relay to close the connection; its close code."""
        await asyncio.wait_for(self.closed.wait(), DEADLINE)
        return self.ws.close_code

    async def close(self) -> None:
        await self.ws.close()
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader


class YjsClient:
    """A minimal y-websocket client of one document (what a Yjs provider does)."""

    def __init__(self, ws: ClientConnection, doc: Doc[Any]) -> None:
        self.ws = ws
        self.doc = doc
        self.synced = asyncio.Event()
        self.closed = asyncio.Event()
        self.awareness: list[bytes] = []
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def connect(cls, url: str) -> YjsClient:
        client = cls(await connect(url, max_size=None), Doc())
        await client.ws.send(create_sync_message(client.doc))
        return client

    async def _read(self) -> None:
        try:
            async for message in self.ws:
                assert isinstance(message, bytes)
                if message[0] == YMessageType.AWARENESS:
                    self.awareness.append(message)
                if message[0] != YMessageType.SYNC:
                    continue
                reply = handle_sync_message(message[1:], self.doc)
                if reply is not None:
                    await self.ws.send(reply)
                if message[1] == YSyncMessageType.SYNC_STEP2:
                    self.synced.set()
        except ConnectionClosed:
            pass
        finally:
            self.closed.set()

    async def edit(self, change: Callable[[Doc[Any]], None]) -> None:
        state = self.doc.get_state()
        change(self.doc)
        await self.ws.send(create_update_message(self.doc.get_update(state)))

    async def close_code(self) -> int | None:
        await asyncio.wait_for(self.closed.wait(), DEADLINE)
        return self.ws.close_code

    async def close(self) -> None:
        await self.ws.close()
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader
