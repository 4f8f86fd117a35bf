"""One LAN connection: the secure channel over a websocket, a SyncSession inside it.

The thin I/O layer around :class:`~crdt_models.lan.SecureChannel` and
:class:`~crdt_models.sync.SyncSession`. Each websocket binary message is one
channel message: first the three handshake messages, then encrypted frames,
each holding one sync frame. The session's frames reach the channel only once
it is established (the channel refuses to encrypt before), so a peer that does
not prove the shop's LAN secret receives handshake bytes and nothing else.

After the channel, both sides exchange a *hello* in the session's AUTH /
AUTH_OK frames (the dialler presents, the listener answers): the random
instance id, the till id and the till signing keys the device knows. The
owner (:class:`~app.core.lan.node.LanNode`) then opens the session on its
Docs and runs :meth:`LanLink.run`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from pycrdt import Doc
from websockets.asyncio.client import ClientConnection
from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from app.core.lan.errors import LanLinkError
from app.core.sync.frame_writer import FrameWriter
from crdt_models.lan import (
    ChannelEstablished,
    ChannelFailed,
    ChannelStateError,
    PlaintextReceived,
    Role,
    SecureChannel,
)
from crdt_models.sync import (
    MAX_FRAME_BYTES,
    AuthAccepted,
    AuthRejected,
    AuthRequested,
    Event,
    Limits,
    PeerErrorEvent,
    PeerOrigin,
    ProtocolErrorEvent,
    SyncSession,
)
from crdt_models.sync.payloads import JsonObject

__all__ = ["MAX_FRAME_BYTES", "LanLink", "LanTimings"]

logger = logging.getLogger(__name__)


Connection = ClientConnection | ServerConnection
EventHandler = Callable[[Event], Awaitable[None]]


@dataclass(frozen=True)
class LanTimings:
    """Time limits of LAN links and the node's cadence, in seconds.

    ``ping_interval + ping_timeout`` bound how long a dead peer goes
    unnoticed; ``handshake_timeout`` bounds the channel handshake and hello;
    dialling a known peer is retried from ``redial_first`` up to
    ``redial_cap``; ``resync`` is the state-vector and heads exchange period.
    """

    open_timeout: float = 3.0
    handshake_timeout: float = 5.0
    ping_interval: float = 1.0
    ping_timeout: float = 2.0
    close_timeout: float = 1.0
    redial_first: float = 0.2
    redial_cap: float = 5.0
    resync: float = 10.0


class LanLink:
    """One authenticated LAN connection (see the module docstring); loop thread only."""

    def __init__(self, ws: Connection, channel: SecureChannel, *, timings: LanTimings) -> None:
        self.ws = ws
        self.channel = channel
        self.timings = timings
        self.session = SyncSession(
            origin=PeerOrigin("lan"), limits=Limits(max_frame_bytes=MAX_FRAME_BYTES)
        )
        self.peer: JsonObject = {}
        self._writer = FrameWriter()
        self._pending: list[Event] = []
        self._failure: str | None = None
        #: Hands one decrypted frame to the session; the node wraps it to know the source.
        self.feed: Callable[[bytes], None] = self.session.receive_frame

    @property
    def is_open(self) -> bool:
        """True while the channel is up and the session open."""
        return self.channel.established and self.session.is_open and self._failure is None

    async def handshake(self, hello: JsonObject) -> JsonObject:
        """Prove the shop secret both ways, then exchange hellos; return the peer's hello.

        Raises :class:`~.errors.LanLinkError` (and closes) on a failed or
        malformed handshake, a refusal, a timeout or a closed connection.
        """
        self._writer.start(self.ws, "lan-link-writer")
        try:
            async with asyncio.timeout(self.timings.handshake_timeout):
                self._send_channel()
                while not self.channel.established:
                    await self._receive_one()
                if self.channel.role is Role.INITIATOR:
                    self.session.send_auth(hello)
                    self.flush()
                    payload = await self._wait_auth(initiator=True)
                else:
                    payload = await self._wait_auth(initiator=False)
                    self.session.accept_auth(hello)
                    self.flush()
        except TimeoutError:
            await self.close()
            raise LanLinkError("lan.timeout", "the peer did not finish the handshake") from None
        except ConnectionClosed:
            await self.close()
            raise LanLinkError("lan.closed", "the peer closed the connection") from None
        except LanLinkError:
            await self.close()
            raise
        self.peer = payload
        label = str(payload.get("instance", "?"))
        self.session.origin = PeerOrigin(f"lan:{label}")
        return payload

    async def _wait_auth(self, *, initiator: bool) -> JsonObject:
        while True:
            for event in self._take_events():
                match event:
                    case AuthAccepted(payload=payload) if initiator:
                        return payload
                    case AuthRequested(payload=payload) if not initiator:
                        return payload
                    case AuthRejected(code=code, message=message):
                        raise LanLinkError("lan.refused", f"{code}: {message}")
                    case ProtocolErrorEvent() | PeerErrorEvent():
                        raise LanLinkError("lan.refused", f"the peer's hello failed: {event}")
                    case _:
                        raise LanLinkError("lan.refused", f"unexpected before hello: {event}")
            await self._receive_one()

    def open(self, docs: Mapping[str, Doc[Any]], *, read_only: Collection[str] = ()) -> None:
        """Open the session on ``docs`` (a step 1 each); the peer may not write ``read_only``."""
        self.session.open(docs, read_only=read_only)
        self.flush()

    async def run(self, on_event: EventHandler) -> str:
        """Feed received frames to the session and hand each event to ``on_event``.

        Returns why the link ended (for logs) once the peer closes, the
        connection dies or a frame fails.
        """
        try:
            for event in self._take_events():
                await on_event(event)
            while self._failure is None and not self.session.closed:
                await self._receive_one()
                for event in self._take_events():
                    await on_event(event)
                self.flush()
        except ConnectionClosed:
            self._failure = self._failure or "the peer went away"
        except LanLinkError as exc:
            self._failure = self._failure or str(exc)
        await self.close()
        return self._failure or "the session closed"

    async def _receive_one(self) -> None:
        message = await self.ws.recv()
        if not isinstance(message, bytes):
            self.channel.fail("a text message on a LAN link")
        else:
            self.channel.receive_data(message)
        for event in self.channel.events_received():
            match event:
                case PlaintextReceived(data=data):
                    self.feed(data)
                    self._pending.extend(self.session.events_received())
                case ChannelFailed(code=code, reason=reason):
                    self._failure = reason
                    raise LanLinkError(code, reason)
                case ChannelEstablished():
                    pass
        self._send_channel()

    def _take_events(self) -> list[Event]:
        events, self._pending = self._pending, []
        return events

    def flush(self) -> None:
        """Encrypt every frame the session queued and hand them to the writer, in order."""
        frames = self.session.data_to_send()
        if frames and self.channel.established:
            try:
                for frame in frames:
                    self.channel.send(frame)
            except ChannelStateError as exc:  # failed meanwhile: nothing more leaves
                self._failure = self._failure or str(exc)
        self._send_channel()

    def _send_channel(self) -> None:
        for data in self.channel.data_to_send():
            self._writer.put(data)

    async def close(self) -> None:
        """Send what is queued (bounded by ``close_timeout``), then close the websocket."""
        await self._writer.stop(self.timings.close_timeout)
        code = 1000 if self.channel.established and self._failure is None else 1008
        with contextlib.suppress(ConnectionClosed, OSError):
            await self.ws.close(code)
