"""The relay server: routes websocket connections, tracks them, revokes them.

- ``/`` (or ``/sync``): the native multiplexed protocol (:mod:`.native`).
- ``/yjs/<doc>?token=...``: plain y-websocket for one document (:mod:`.yjs`);
  the token is checked during the handshake (401 if refused, 404 for an
  unknown document).
- ``GET /healthz``: 200 with ``{"status": "ok", "rooms": n, "connections": m,
  "signup": bool}`` (``signup``: whether a manager may create a shop here).

Use :func:`run_relay` (what ``relay serve`` does) or, in tests and embedding
code, ``async with RelayServer(storage, config).listening(host, port) as (host, port)``.
The websockets library logs through ``relay_server.websockets``, capped at
INFO so that request lines (which hold ``/yjs`` tokens) are never logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import weakref
from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.http11 import Request, Response

from relay_server.auth import Authenticator, Grant, LoginThrottle
from relay_server.config import RelayConfig
from relay_server.fanout import FanOut
from relay_server.journal import JournalService
from relay_server.native import NativeConnection
from relay_server.rooms import RoomRegistry
from relay_server.storage import DOC_NAMES, Storage
from relay_server.yjs import YjsConnection

__all__ = ["RelayServer"]

logger = logging.getLogger(__name__)
_ws_logger = logging.getLogger("relay_server.websockets")
_ws_logger.setLevel(logging.INFO)

Connection = NativeConnection | YjsConnection


def _json_response(status: int, reason: str, body: dict[str, object]) -> Response:
    data = json.dumps(body).encode()
    headers = Headers([("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return Response(status, reason, headers, data)


class RelayServer:
    """Every connection of one relay process, over one :class:`Storage`."""

    def __init__(
        self, storage: Storage, config: RelayConfig | None = None, fanout: FanOut | None = None
    ) -> None:
        self.storage = storage
        self.config = config or RelayConfig()
        self.fanout = fanout
        self.auth = Authenticator(
            storage,
            account_throttle=LoginThrottle(free_failures=self.config.account_free_failures),
            address_throttle=LoginThrottle(free_failures=self.config.address_free_failures),
        )
        self.rooms = RoomRegistry(
            storage,
            max_links=self.config.max_connections_per_shop,
            max_doc_bytes=self.config.max_doc_bytes,
            idle_seconds=self.config.room_idle_seconds,
            compact_every=self.config.compact_every,
            fanout=fanout,
        )
        self.journal = JournalService(storage, self.rooms)
        self.connections: set[Connection] = set()
        self._ids = itertools.count(1)
        # Grants checked during a /yjs handshake, until the handler picks them up (weak: a
        # handshake that fails after the check leaves nothing behind).
        self._yjs_grants: weakref.WeakKeyDictionary[ServerConnection, Grant] = (
            weakref.WeakKeyDictionary()
        )

    # -- connection tracking and revocation --------------------------------------------------

    def track(self, conn: Connection) -> None:
        """Register an authenticated connection (for revocation and health)."""
        self.connections.add(conn)

    def forget(self, conn: Connection) -> None:
        """Unregister a connection that ended."""
        self.connections.discard(conn)

    async def revoke_till(self, till_id: str) -> None:
        """Revoke a till: its tokens stop working and its live connections close now."""
        await asyncio.to_thread(self.storage.accounts.revoke_till, till_id)
        for conn in list(self.connections):
            grant = conn.grant
            if grant is not None and grant.till is not None and grant.till.id == till_id:
                conn.close(1008, "this till has been revoked")

    async def _watch_revocations(self) -> None:
        """Close connections whose token was revoked elsewhere (CLI, another process)."""
        while True:
            await asyncio.sleep(self.config.revocation_check_interval)
            live = {c.grant.token_id: c for c in self.connections if c.grant is not None}
            if not live:
                continue
            try:
                revoked = await asyncio.to_thread(self.storage.accounts.revoked_among, list(live))
            except Exception:
                logger.exception("revocation check failed")
                continue
            for token_id in revoked:
                live[token_id].close(1008, "this device's access has been revoked")

    # -- websockets hooks --------------------------------------------------------------------

    async def process_request(self, ws: ServerConnection, request: Request) -> Response | None:
        """Route the HTTP request: health, y-websocket token check, or native."""
        parts = urlsplit(request.path)
        path = parts.path
        if path == "/healthz":
            body = {
                "status": "ok",
                "rooms": len(self.rooms.rooms),
                "connections": len(self.connections),
                "signup": self.config.allow_signup,
            }
            return _json_response(200, "OK", body)
        if path in ("/", "/sync"):
            return None
        if path.startswith("/yjs/"):
            doc = path.removeprefix("/yjs/")
            if doc not in DOC_NAMES:
                return ws.respond(404, f"no document here: use one of {', '.join(DOC_NAMES)}\n")
            tokens = parse_qs(parts.query).get("token", [])
            if len(tokens) != 1:
                return ws.respond(401, "a token query parameter is required\n")
            address = str(ws.remote_address[0]) if ws.remote_address else "?"
            try:
                grant = await self.auth.resume(tokens[0], address)
            except Exception as exc:  # AuthError, ThrottledError, storage failure
                logger.info("y-websocket handshake refused from %s: %s", address, exc)
                return ws.respond(401, f"{exc}\n")
            self._yjs_grants[ws] = grant
            return None
        return ws.respond(404, "not found\n")

    async def handler(self, ws: ServerConnection) -> None:
        """Serve one accepted websocket."""
        conn_id = next(self._ids)
        assert ws.request is not None
        path = urlsplit(ws.request.path).path
        grant = self._yjs_grants.pop(ws, None)
        if grant is not None:  # authenticated by its token during the handshake
            self.config.allow_documents(ws)
            await YjsConnection(self, ws, conn_id, grant, path.removeprefix("/yjs/")).run()
        else:
            await NativeConnection(self, ws, conn_id).run()

    # -- running -----------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def listening(self, host: str, port: int) -> AsyncIterator[tuple[str, int]]:
        """Listen on ``host:port`` (0 = a free port) while the block runs; yields the address."""
        server: Server = await serve(
            self.handler,
            host,
            port,
            process_request=self.process_request,
            max_size=self.config.max_auth_bytes,  # raised once the device is known
            ping_interval=self.config.ping_interval,
            ping_timeout=self.config.ping_timeout,
            close_timeout=2.0,
            logger=_ws_logger,
        )
        if self.fanout is not None:
            await self.fanout.start(self.rooms.deliver_remote)
        watcher = asyncio.create_task(self._watch_revocations())
        try:
            sock = next(iter(server.sockets))
            address = sock.getsockname()
            yield str(address[0]), int(address[1])
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            server.close()
            await server.wait_closed()
            if self.fanout is not None:
                await self.fanout.close()
