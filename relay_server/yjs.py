"""The plain y-websocket endpoint ``/yjs/<doc>?token=...``: one document, standard protocol.

For ordinary Yjs clients (a browser or Node ``y-websocket`` provider, a script).
The token was checked during the HTTP handshake (see
:meth:`~relay_server.server.RelayServer.process_request`). The connection
joins the same room as native connections, so both see each other's updates.

Messages are the y-websocket ones: ``[0 SYNC, step, varbytes]`` (step 1, step
2, update) and ``[1 AWARENESS, varbytes]``, relayed unstored to every ``/yjs``
client of the same shop and document, the sender included (a y-websocket
provider reconnects after 30 s without any message). The relay sends its
step 1 first and answers the client's step 1 with step 2. A client whose role
may only read the document (settings for a till) is closed with 1008 if it
sends an update that would change it. A malformed message closes with 1002.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from pycrdt import (
    Doc,
    YMessageType,
    YSyncMessageType,
    create_sync_message,
    create_update_message,
)
from pycrdt._sync import create_sync_step2_message
from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from crdt_models.sync import PeerOrigin, ProtocolError
from crdt_models.sync.errors import FrameError
from crdt_models.sync.guard import (
    apply_guarded,
    is_empty_update,
    update_for_state,
    would_change,
)
from crdt_models.sync.wire import Reader
from relay_server.auth import Grant
from relay_server.errors import RelayError
from relay_server.logcontext import ConnectionLog
from relay_server.native import READ_ONLY_FOR_TILLS
from relay_server.outbox import Outbox
from relay_server.ratelimit import TokenBucket
from relay_server.rooms import Room, RoomFull

if TYPE_CHECKING:
    from relay_server.server import RelayServer

__all__ = ["YjsConnection"]

logger = logging.getLogger(__name__)


class YjsConnection:
    """One ``/yjs/<doc>`` connection, already authenticated by its token."""

    def __init__(
        self, relay: RelayServer, ws: ServerConnection, conn_id: int, grant: Grant, doc_name: str
    ) -> None:
        self.relay = relay
        self.ws = ws
        self.grant = grant
        self.doc_name = doc_name
        address = ws.remote_address[0] if ws.remote_address else "?"
        self.log = ConnectionLog(logger, conn_id, str(address))
        self.log.bind(grant.shop_id, grant.device_id)
        self.label = f"yjs:{conn_id}"
        self.origin = PeerOrigin(self.label)
        self.read_only = not grant.is_owner and doc_name in READ_ONLY_FOR_TILLS
        self.outbox = Outbox(ws, relay.config.max_outbox_bytes, self.log)
        self.bucket = TokenBucket(relay.config.frames_per_second, relay.config.frame_burst)
        self.room: Room | None = None

    def deliver(self, doc: str, update: bytes) -> None:
        if doc == self.doc_name:
            self.outbox.put(create_update_message(update))

    def deliver_awareness(self, doc: str, message: bytes) -> None:
        if doc == self.doc_name:
            self.outbox.put(message)

    def close(self, code: int, reason: str) -> None:
        self.log.info("closing: %s", reason)
        self.outbox.close(code, reason)

    async def run(self) -> None:
        """Join the room, send step 1, then answer messages until the socket closes."""
        try:
            try:
                self.room = await self.relay.rooms.join(self.grant.shop_id, self)
            except RoomFull as exc:
                self.close(1013, str(exc))
                return
            self.relay.track(self)
            doc = self.room.docs[self.doc_name]
            self.outbox.put(create_sync_message(doc))
            async for message in self.ws:
                if self.outbox.closing:
                    break
                if isinstance(message, str):
                    self.close(1003, "binary messages only")
                    break
                delay = self.bucket.reserve()
                if delay:
                    await asyncio.sleep(delay)  # over its rate: stop reading, TCP pushes back
                try:
                    await self._handle(doc, message)
                except ProtocolError as exc:
                    self.log.warning("protocol error %s: %s", exc.code, exc)
                    self.close(1002, f"{exc.code}: {exc}")
                    break
                except RelayError:
                    break  # the room was discarded and closes this connection
        except ConnectionClosed:
            pass
        finally:
            if self.room is not None:
                self.relay.rooms.leave(self.room, self)
            self.relay.forget(self)
            await self.outbox.aclose()

    async def _handle(self, doc: Doc[Any], message: bytes) -> None:
        reader = Reader(message)
        kind = reader.read_var_uint("message type")
        if kind == YMessageType.AWARENESS:
            reader.read_var_bytes("awareness update", self.relay.config.max_frame_bytes)
            reader.finish("awareness message")
            assert self.room is not None
            self.room.broadcast_awareness(self.doc_name, message)
            return
        if kind != YMessageType.SYNC:
            raise FrameError(f"unknown y-websocket message type {kind}")
        step = reader.read_var_uint("sync step")
        payload = reader.read_var_bytes("payload", self.relay.config.max_frame_bytes)
        reader.finish("y-websocket message")
        if step == YSyncMessageType.SYNC_STEP1:
            update = update_for_state(doc, payload)
            self.outbox.put(create_sync_step2_message(update))
            return
        if step not in (YSyncMessageType.SYNC_STEP2, YSyncMessageType.SYNC_UPDATE):
            raise FrameError(f"unknown sync step {step}")
        if is_empty_update(payload):
            return
        if self.read_only:
            if would_change(doc, payload):
                self.log.warning("write to read-only %s refused", self.doc_name)
                self.close(1008, f"{self.doc_name} is read-only for this device")
            return
        assert self.room is not None
        apply_guarded(doc, payload, self.origin)
        await self.room.commit(self.doc_name, payload, self)
