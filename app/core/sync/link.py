"""One websocket link to the relay running a :class:`~crdt_models.sync.SyncSession`.

The thin I/O layer around the sans-I/O session: it connects, authenticates
(the AUTH frame is the first message), opens the session over the documents
it is given, then feeds every received message to the session, hands the
events to its owner one at a time (awaiting each), and writes what the session
queued, in order, from a single writer task. It never decides what to sync:
that is the engine's job (:mod:`.engine`).

Dead links are noticed by websockets' keep-alive pings: with the default
:class:`LinkTimings` a silent relay is detected within about
``ping_interval + ping_timeout`` seconds (DESIGN.md section 9).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pycrdt import Doc
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from app.core.sync.errors import LoginRefusedError, RelayUnreachableError
from app.core.sync.frame_writer import FrameWriter
from crdt_models.sync import (
    MAX_FRAME_BYTES,
    AuthAccepted,
    AuthRejected,
    Event,
    Limits,
    PeerErrorEvent,
    PeerOrigin,
    ProtocolErrorEvent,
    SyncSession,
)
from crdt_models.sync.payloads import JsonObject

__all__ = ["DEFAULT_TIMINGS", "LinkClosed", "LinkTimings", "RelayLink"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LinkTimings:
    """Time limits of one link, in seconds.

    ``ping_interval`` + ``ping_timeout`` bound how long a dead link (relay
    gone, cable pulled) goes unnoticed; ``close_timeout`` bounds the closing
    handshake; ``open_timeout`` bounds TCP + websocket handshake, and
    ``auth_timeout`` the wait for the relay's answer to AUTH.
    """

    open_timeout: float = 5.0
    auth_timeout: float = 10.0
    ping_interval: float = 2.0
    ping_timeout: float = 3.0
    close_timeout: float = 1.0


DEFAULT_TIMINGS = LinkTimings()


@dataclass(frozen=True)
class LinkClosed:
    """Why a link ended: ``reason`` for the status line, ``code`` the relay's when it sent one."""

    reason: str
    code: str | None = None


EventHandler = Callable[[Event], Awaitable[None]]


class RelayLink:
    """One connection to the relay; build it, :meth:`connect`, then :meth:`run`.

    ``auth`` is the AUTH payload (``{"method": "token", "token": ...}`` or a
    till login). All methods run on the engine's event loop.
    """

    def __init__(
        self,
        url: str,
        auth: JsonObject,
        *,
        timings: LinkTimings = DEFAULT_TIMINGS,
        origin: PeerOrigin | None = None,
        guard_updates: bool = True,
    ) -> None:
        self.url = url
        self.timings = timings
        self.session = SyncSession(
            origin=origin or PeerOrigin("relay"),
            limits=Limits(max_frame_bytes=MAX_FRAME_BYTES),
            guard_updates=guard_updates,
        )
        self._auth = auth
        self._ws: ClientConnection | None = None
        self._writer = FrameWriter()
        self._closing: LinkClosed | None = None

    @property
    def is_open(self) -> bool:
        """True from a successful :meth:`connect` until the link is closing."""
        return self._ws is not None and self._closing is None and self.session.is_open

    async def connect(self) -> JsonObject:
        """Connect and authenticate; return the relay's AUTH_OK payload.

        Raises :class:`~.errors.RelayUnreachableError` (no connection, or the
        relay closed it before answering) or :class:`~.errors.LoginRefusedError`
        (the relay refused the credentials). The session is not opened yet:
        call :meth:`open`.
        """
        t = self.timings
        try:
            ws = await connect(
                self.url,
                open_timeout=t.open_timeout,
                ping_interval=t.ping_interval,
                ping_timeout=t.ping_timeout,
                close_timeout=t.close_timeout,
                max_size=MAX_FRAME_BYTES,
                proxy=None,
            )
        except (OSError, TimeoutError, InvalidHandshake, InvalidURI) as exc:
            raise RelayUnreachableError(self.url, _describe(exc)) from exc
        self._ws = ws
        self._writer.start(ws, "relay-link-writer")
        self.session.send_auth(self._auth)
        self.flush()
        try:
            return await asyncio.wait_for(self._await_auth(ws), t.auth_timeout)
        except TimeoutError:
            await self.close()
            raise RelayUnreachableError(self.url, "no answer to the login") from None
        except ConnectionClosed as exc:
            await self.close()
            raise RelayUnreachableError(self.url, _describe(exc)) from exc
        except BaseException:
            await self.close()
            raise

    async def _await_auth(self, ws: ClientConnection) -> JsonObject:
        while True:
            message = await ws.recv()
            if isinstance(message, str):
                raise RelayUnreachableError(self.url, "the server does not speak the protocol")
            self.session.receive_frame(message)
            for event in self.session.events_received():
                match event:
                    case AuthAccepted(payload=payload):
                        return payload
                    case AuthRejected(code=code, message=text):
                        raise LoginRefusedError(code, text)
                    case ProtocolErrorEvent(reason=reason) | PeerErrorEvent(message=reason):
                        self.flush()
                        raise RelayUnreachableError(self.url, f"protocol error: {reason}")

    def open(self, docs: Mapping[str, Doc[Any]]) -> None:
        """Open the session over ``docs`` (sends step 1 for each); call after :meth:`connect`."""
        self.session.open(docs)
        self.flush()

    async def run(self, on_event: EventHandler) -> LinkClosed:
        """Feed received frames to the session and its events to ``on_event`` until closed.

        Returns why the link ended; never raises for anything the relay does.
        """
        ws = self._ws
        if ws is None:
            raise RuntimeError("connect() first")
        try:
            async for message in ws:
                if isinstance(message, str):
                    self.fail("frame.text", "binary frames only")
                    break
                self.session.receive_frame(message)
                for event in self.session.events_received():
                    if isinstance(event, ProtocolErrorEvent):
                        logger.warning("relay sent an invalid frame: %s", event.reason)
                        self._closing = LinkClosed(
                            f"the server sent bad data ({event.code})", event.code
                        )
                    elif isinstance(event, PeerErrorEvent) and event.fatal:
                        self._closing = LinkClosed(event.message, event.code)
                    else:
                        await on_event(event)
                self.flush()
                if self.session.closed or self._closing is not None:
                    break
        except ConnectionClosed:
            pass
        ended = self._closing or _closed_by_relay(ws)
        await self.close()
        return ended

    def fail(self, code: str, message: str) -> None:
        """Close the session for our own reason (tells the relay); :meth:`run` then returns."""
        self.session.fail(code, message)
        self._closing = self._closing or LinkClosed(message, code)
        self.flush()

    def flush(self) -> None:
        """Queue every frame the session has to send, in order."""
        for data in self.session.data_to_send():
            self._writer.put(data)

    async def close(self) -> None:
        """Send what is queued (bounded by ``close_timeout``), then close the websocket."""
        ws = self._ws
        if ws is None:
            return
        self._closing = self._closing or LinkClosed("closed")
        await self._writer.stop(self.timings.close_timeout)
        code = 1002 if self.session.closed else 1000
        with contextlib.suppress(ConnectionClosed, OSError):
            await ws.close(code)


def _closed_by_relay(ws: ClientConnection) -> LinkClosed:
    received = ws.protocol.close_rcvd
    if received is None:
        return LinkClosed("the connection to the server was lost")
    return LinkClosed(received.reason or f"the server closed the connection ({received.code})")


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    text = str(exc)
    return text or type(exc).__name__
