"""The manager's control link to the relay: sign in as the owner, ask, get answers.

:class:`RelayLink` runs on the background asyncio loop (:class:`app.qt.bridge.AsyncBridge`).
It speaks the native protocol through :class:`crdt_models.sync.SyncSession`:
the first frame is AUTH (an owner's e-mail and password, or the token a
previous sign-in returned), then CONTROL requests (``tills``, ``add_till``,
``set_till_password``, ``revoke_till``, ``stats``) each awaiting its
response.

Documents: the session syncs *mirror* documents that live on the loop
thread, so that the GUI's documents are never touched from two threads. The
mirrors start from the state the caller gives (``initial``); each update the
relay sends is applied to its mirror and handed to ``on_update`` (the caller
applies it to its own document on its own thread); :meth:`RelayLink.push`
sends a local update (and applies it to the mirror). The journal is not
synced here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from typing import Any

from pycrdt import Doc
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidURI, WebSocketException

from crdt_models.documents import DOCUMENT_NAMES
from crdt_models.sync import (
    AuthAccepted,
    AuthRejected,
    ControlResponded,
    DocUpdated,
    PeerErrorEvent,
    PeerOrigin,
    ProtocolErrorEvent,
    SyncSession,
)
from crdt_models.sync.payloads import JsonObject

__all__ = ["RelayError", "RelayLink"]

logger = logging.getLogger(__name__)

#: How long to wait for the relay to answer a sign-in or a request.
TIMEOUT = 15.0


class RelayError(Exception):
    """The relay could not be reached, refused the sign-in, or refused a request.

    ``kind`` is ``"unreachable"``, ``"auth"`` or ``"refused"``; the message is the
    relay's own words (English).
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class RelayLink:
    """One signed-in connection to the relay. Make it with :meth:`sign_in`."""

    def __init__(
        self,
        ws: ClientConnection,
        session: SyncSession,
        initial: Mapping[str, bytes],
        on_update: Callable[[str, bytes], None] | None,
    ) -> None:
        self._ws = ws
        self._session = session
        self.docs: dict[str, Doc[Any]] = {name: Doc() for name in DOCUMENT_NAMES}
        for name, state in initial.items():
            self.docs[name].apply_update(state)
        self._on_update = on_update
        self._auth: asyncio.Future[JsonObject] = asyncio.get_running_loop().create_future()
        self._answers: dict[int, asyncio.Future[ControlResponded]] = {}
        self._closed = False
        self._reader = asyncio.create_task(self._read())
        self.grant: JsonObject = {}

    @classmethod
    async def sign_in(
        cls,
        url: str,
        credentials: JsonObject,
        *,
        initial: Mapping[str, bytes] | None = None,
        on_update: Callable[[str, bytes], None] | None = None,
    ) -> RelayLink:
        """Connect to ``url`` and present ``credentials`` (an AUTH payload, such as
        ``{"method": "owner", "email": ..., "password": ..., "device_name": ...}``).

        ``initial`` (document name -> full state as an update) is what this
        device holds: the relay gets what it lacks of it. ``on_update(doc,
        update)`` is called (on the loop thread) for each update the relay
        sends. Raises :class:`RelayError` (``unreachable`` or ``auth``).
        """
        try:
            ws = await asyncio.wait_for(connect(url, max_size=None), TIMEOUT)
        except (OSError, InvalidURI, WebSocketException, TimeoutError) as exc:
            raise RelayError("unreachable", str(exc) or type(exc).__name__) from exc
        link = cls(ws, SyncSession(origin=PeerOrigin("relay")), initial or {}, on_update)
        link._session.send_auth(credentials)
        await link._flush()
        try:
            link.grant = await asyncio.wait_for(asyncio.shield(link._auth), TIMEOUT)
        except BaseException:
            await link.close()
            raise
        return link

    async def request(self, name: str, payload: JsonObject | None = None) -> JsonObject:
        """Ask the relay ``name``; its answer, or :class:`RelayError` (``refused``)."""
        request_id = 0 if self._closed else self._session.send_control_request(name, payload or {})
        if request_id == 0:
            raise RelayError("unreachable", "the connection to the relay is closed")
        answer: asyncio.Future[ControlResponded] = asyncio.get_running_loop().create_future()
        self._answers[request_id] = answer
        await self._flush()
        try:
            response = await asyncio.wait_for(answer, TIMEOUT)
        except TimeoutError as exc:
            raise RelayError("unreachable", "the relay did not answer in time") from exc
        finally:
            self._answers.pop(request_id, None)
        if not response.ok:
            raise RelayError("refused", str(response.payload.get("error", "refused")))
        return response.payload

    @property
    def closed(self) -> bool:
        """True once the connection is gone (revoked, relay down, closed)."""
        return self._closed

    async def push(self, doc: str, update: bytes) -> None:
        """Send a local ``update`` of ``doc`` to the relay."""
        self.docs[doc].apply_update(update)
        self._session.send_update(doc, update)
        await self._flush()

    async def close(self) -> None:
        """Close the connection (safe to call twice)."""
        with contextlib.suppress(WebSocketException, OSError):
            await self._ws.close()
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader

    async def _flush(self) -> None:
        for data in self._session.data_to_send():
            with contextlib.suppress(ConnectionClosed):
                await self._ws.send(data)

    async def _read(self) -> None:
        try:
            async for message in self._ws:
                if not isinstance(message, bytes):
                    continue
                self._session.receive_frame(message)
                for event in self._session.events_received():
                    self._handle(event)
                await self._flush()
        except ConnectionClosed as exc:
            logger.debug("relay connection closed: %s", exc)
        finally:
            self._closed = True
            self._fail_pending(RelayError("unreachable", "the relay closed the connection"))

    def _handle(self, event: object) -> None:
        if isinstance(event, AuthAccepted):
            self._session.open(self.docs)
            if not self._auth.done():
                self._auth.set_result(event.payload)
        elif isinstance(event, AuthRejected):
            if not self._auth.done():
                self._auth.set_exception(RelayError("auth", event.message))
        elif isinstance(event, ControlResponded):
            answer = self._answers.get(event.request_id)
            if answer is not None and not answer.done():
                answer.set_result(event)
        elif isinstance(event, DocUpdated) and self._on_update is not None:
            self._on_update(event.doc, event.update)
        elif isinstance(event, PeerErrorEvent | ProtocolErrorEvent):
            logger.warning("relay link error: %s", event)

    def _fail_pending(self, error: RelayError) -> None:
        if not self._auth.done():
            self._auth.set_exception(error)
        for answer in self._answers.values():
            if not answer.done():
                answer.set_exception(error)
