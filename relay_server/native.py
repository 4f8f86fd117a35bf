"""The native endpoint: one websocket per device carries every document of its shop.

The first message must be an AUTH frame (a till's licence + password, an
owner's email + password, or a device token); anything else, or nothing
within ``auth_timeout``, closes the connection. Then a
:class:`~crdt_models.sync.SyncSession` runs over the shop's room: document
updates are stored and fanned out, journal records verified and acknowledged,
control requests answered. Settings are read-only for tills.

AUTH payloads (JSON objects)::

    {"method": "till", "licence": "...", "password": "...", "public_key": "<64 hex>"}
    {"method": "owner", "email": "...", "password": "...", "device_name": "..."}
    {"method": "token", "token": "..."}
    {"method": "signup", "shop": "...", "email": "...", "password": "...", "device_name": "..."}

A sign-up (only when the relay allows it) creates the shop and its first
owner, then answers like an owner's login; a refusal's AUTH_ERROR code says
why (``signup.disabled``, ``signup.email_taken``, ``signup.shop_taken``,
``signup.password_short``, ``signup.invalid``).

AUTH_OK payload: ``shop_id``, ``role`` ("till" or "owner"), ``device_id``,
``lan_secret``, ``till`` ({id, number, name} or null), ``status_reports``
(true: this relay takes DEVICE_STATUS frames, which an older one refuses as
a protocol error) and, after a password login only, ``token`` (keep it: it
is never shown again).

Close codes: 1008 for authentication, permission, slow readers and revocation;
1002 for a protocol error (malformed frame, invalid update); 1003 for a text
message; 1009 (by websockets) for an oversized frame; 1011 for a storage failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from crdt_models.errors import DomainError
from crdt_models.sync import (
    AuthRequested,
    ControlRequested,
    DeviceStatusReceived,
    DocUpdated,
    JournalAckReceived,
    JournalHeadsReceived,
    JournalRecordsReceived,
    Limits,
    PeerErrorEvent,
    PeerOrigin,
    ProtocolErrorEvent,
    SyncSession,
    WriteRefused,
)
from crdt_models.sync.payloads import JsonObject
from relay_server.auth import Grant
from relay_server.auth.service import SIGNUP_DISABLED
from relay_server.control import handle_control
from relay_server.errors import AuthError, RelayError, SignupRefused, ThrottledError
from relay_server.logcontext import ConnectionLog
from relay_server.outbox import Outbox
from relay_server.ratelimit import TokenBucket
from relay_server.rooms import Room, RoomFull
from relay_server.till_status import connection_ended, record_report

if TYPE_CHECKING:
    from relay_server.server import RelayServer

__all__ = ["NativeConnection", "grant_payload"]

logger = logging.getLogger(__name__)

READ_ONLY_FOR_TILLS = frozenset({"settings"})


def grant_payload(grant: Grant) -> JsonObject:
    """The AUTH_OK payload for a grant."""
    till = grant.till
    payload: JsonObject = {
        "shop_id": grant.shop_id,
        "role": grant.role,
        "device_id": grant.device_id,
        "lan_secret": grant.lan_secret,
        "till": None if till is None else {"id": till.id, "number": till.number, "name": till.name},
        "status_reports": True,
    }
    if grant.token is not None:
        payload["token"] = grant.token
    return payload


class NativeConnection:
    """One native-protocol connection; :meth:`run` lives as long as the websocket."""

    def __init__(self, relay: RelayServer, ws: ServerConnection, conn_id: int) -> None:
        self.relay = relay
        self.ws = ws
        address = ws.remote_address[0] if ws.remote_address else "?"
        self.address = str(address)
        self.log = ConnectionLog(logger, conn_id, self.address)
        self.label = f"native:{conn_id}"
        config = relay.config
        self.session = SyncSession(
            origin=PeerOrigin(self.label), limits=Limits(max_frame_bytes=config.max_frame_bytes)
        )
        self.outbox = Outbox(ws, config.max_outbox_bytes, self.log)
        self.bucket = TokenBucket(config.frames_per_second, config.frame_burst)
        self.grant: Grant | None = None
        self.room: Room | None = None

    # -- Link (what the room calls) ----------------------------------------------------------

    def deliver(self, doc: str, update: bytes) -> None:
        self.session.send_update(doc, update)
        self._flush()

    def deliver_awareness(self, doc: str, message: bytes) -> None:
        pass  # the native protocol carries no awareness

    def close(self, code: int, reason: str) -> None:
        self.log.info("closing: %s", reason)
        self.outbox.close(code, reason)

    # -- life ------------------------------------------------------------------------------

    async def run(self) -> None:
        """Authenticate, join the shop's room, then sync until the socket closes."""
        try:
            if await self._authenticate():
                await self._sync()
        except ConnectionClosed:
            pass
        finally:
            if self.room is not None:
                self.relay.rooms.leave(self.room, self)
            self.relay.forget(self)
            if self.grant is not None and self.grant.till is not None:
                await connection_ended(self.relay, self.grant.till.id)
            await self.outbox.aclose()

    async def _authenticate(self) -> bool:
        try:
            first = await asyncio.wait_for(self.ws.recv(), self.relay.config.auth_timeout)
        except TimeoutError:
            self.close(1008, "authenticate first: no AUTH frame in time")
            return False
        if isinstance(first, str):
            self.close(1003, "binary frames only")
            return False
        self.session.receive_frame(first)
        events = self.session.events_received()
        request = events[0] if events else None
        if not isinstance(request, AuthRequested):
            self._flush()
            self.close(1008, "the first message must be an AUTH frame")
            return False
        try:
            grant = await self._login(request.payload)
        except ThrottledError as exc:
            return self._refuse("auth.throttled", str(exc))
        except SignupRefused as exc:
            return self._refuse(exc.code, str(exc))
        except AuthError as exc:
            return self._refuse("auth.failed", str(exc))
        self.grant = grant
        self.log.bind(grant.shop_id, grant.device_id)
        try:
            self.room = await self.relay.rooms.join(grant.shop_id, self)
        except RoomFull as exc:
            self.session.reject_auth("shop.full", str(exc))
            self._flush()
            self.close(1013, str(exc))
            return False
        self.relay.track(self)
        self.relay.config.allow_documents(self.ws)
        if grant.till is not None:
            await self.room.list_till(grant.till)
        self.session.accept_auth(grant_payload(grant))
        read_only = () if grant.is_owner else READ_ONLY_FOR_TILLS
        self.session.open(self.room.docs, read_only=read_only)
        self.session.send_journal_heads(await self.relay.journal.heads(grant.shop_id))
        self._flush()
        self.log.info("authenticated as %s", grant.role)
        return True

    def _refuse(self, code: str, message: str) -> bool:
        self.log.info("authentication refused: %s", message)
        self.session.reject_auth(code, message)
        self._flush()
        self.close(1008, message)
        return False

    async def _login(self, payload: JsonObject) -> Grant:
        auth = self.relay.auth

        def text(key: str) -> str:
            value = payload.get(key)
            if not isinstance(value, str) or not value or len(value) > 1024:
                raise AuthError(f"AUTH payload needs a string {key!r}")
            return value

        method = payload.get("method")
        name = payload.get("device_name")
        device = name if isinstance(name, str) and 0 < len(name) <= 200 else "manager"
        if method == "token":
            return await auth.resume(text("token"), self.address)
        if method == "owner":
            return await auth.login_owner(text("email"), text("password"), device, self.address)
        if method == "signup":
            if not self.relay.config.allow_signup:
                raise SignupRefused("signup.disabled", SIGNUP_DISABLED)
            shop, email, password = text("shop"), text("email"), text("password")
            return await auth.sign_up(shop, email, password, device, self.address)
        if method == "till":
            key = payload.get("public_key")
            public_key = None
            if key is not None:
                try:
                    public_key = bytes.fromhex(key) if isinstance(key, str) else None
                except ValueError:
                    public_key = None
                if public_key is None or len(public_key) != 32:
                    raise AuthError("public_key must be 64 hex digits (Ed25519)")
            return await auth.login_till(
                text("licence"), text("password"), public_key, self.address
            )
        raise AuthError("unknown AUTH method: use 'till', 'owner', 'token' or 'signup'")

    async def _sync(self) -> None:
        assert self.grant is not None and self.room is not None
        async for message in self.ws:
            if self.outbox.closing:
                return
            if isinstance(message, str):
                self.close(1003, "binary frames only")
                return
            delay = self.bucket.reserve()
            if delay:
                await asyncio.sleep(delay)  # over its rate: stop reading, TCP pushes back
            self.session.receive_frame(message)
            for event in self.session.events_received():
                await self._on_event(event)
            self._flush()
            if self.session.closed and not self.outbox.closing:
                self.close(1002, "sync session closed")
                return

    async def _on_event(self, event: object) -> None:
        assert self.grant is not None and self.room is not None
        match event:
            case DocUpdated(doc=doc, update=update):
                # On RelayError the room was discarded: this connection is being closed.
                with contextlib.suppress(RelayError):
                    await self.room.commit(doc, update, self)
            case WriteRefused(doc=doc):
                self.log.warning("write to read-only %s refused", doc)
            case JournalRecordsReceived(records=records):
                receipt = await self.relay.journal.receive(self.grant.shop_id, records)
                if receipt.rejected:
                    self.log.warning("%d journal records refused", len(receipt.rejected))
                self.session.send_journal_ack(receipt.acked, receipt.rejected)
            case JournalHeadsReceived(heads=heads):
                missing = await self.relay.journal.missing_for(self.grant.shop_id, heads)
                if missing:
                    self.session.send_journal_records(missing)
            case JournalAckReceived():
                pass  # the relay sends records only as a courtesy; nothing waits for acks
            case DeviceStatusReceived(version=version, pending=pending):
                if self.grant.till is not None:  # a manager's report is of no use
                    await record_report(self.relay, self.grant.till.id, version, pending)
            case ControlRequested(request_id=request_id, name=name, payload=payload):
                try:
                    answer = await handle_control(self.relay, self.grant, name, payload)
                    self.session.send_control_response(request_id, answer)
                except (RelayError, DomainError) as exc:
                    self.session.send_control_response(request_id, {"error": str(exc)}, ok=False)
            case ProtocolErrorEvent(code=code, reason=reason):
                self.log.warning("protocol error %s: %s", code, reason)
                self._flush()
                self.close(1002, f"{code}: {reason}"[:120])
            case PeerErrorEvent(code=code, message=message, fatal=fatal):
                self.log.info("peer error %s: %s", code, message)
                if fatal:
                    self.close(1000, "peer closed the session")
            case AuthRequested():
                self.session.fail("auth.repeated", "already authenticated")
                self._flush()
                self.close(1008, "already authenticated")

    def _flush(self) -> None:
        for data in self.session.data_to_send():
            self.outbox.put(data)
