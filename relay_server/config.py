"""The relay's tunables, with defaults fit for one small server."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from crdt_models.sync import MAX_FRAME_BYTES

if TYPE_CHECKING:
    from websockets.asyncio.server import ServerConnection

__all__ = ["RelayConfig"]


@dataclass(frozen=True)
class RelayConfig:
    """Limits and timings of a :class:`~relay_server.server.RelayServer`.

    - ``max_frame_bytes``: the largest websocket message accepted from an
      authenticated device (one whole document: a bigger one closes the
      connection with 1009); ``max_auth_bytes``: the same before the device has
      authenticated (its AUTH frame), so that a stranger cannot make the relay
      read 64 MB.
    - ``max_outbox_bytes``: bytes queued for one slow reader before it is evicted.
    - ``frames_per_second`` / ``frame_burst``: per-connection rate (token bucket);
      a connection over it is read more slowly, not closed.
    - ``max_connections_per_shop``: further connections are refused (1013).
    - ``max_doc_bytes``: per-shop storage quota of one document (its full state).
    - ``auth_timeout``: seconds to wait for the first (auth) message.
    - ``ping_interval`` / ``ping_timeout``: dead-peer detection, in seconds.
    - ``revocation_check_interval``: how often live connections are checked
      against revoked tokens in the database (revocations made by another
      process or the CLI).
    - ``room_idle_seconds``: a shop's documents leave memory this long after
      its last connection closes.
    - ``compact_every``: appended updates of one document before its rows are
      merged into one.
    - ``account_free_failures`` / ``address_free_failures``: failed logins for
      one account / one client address before each further one locks it out
      for an exponentially growing delay (1 s, 2 s, 4 s... up to 15 min).
      Every sign-up counts as a failure of its address.
    - ``allow_signup``: whether anyone may create a shop and its first owner
      from a manager (``relay serve --allow-signup``); off by default, when
      shops are made with ``relay add-owner``. ``/healthz`` says which.
    """

    max_frame_bytes: int = MAX_FRAME_BYTES
    max_auth_bytes: int = 64 * 1024
    max_outbox_bytes: int = 2 * MAX_FRAME_BYTES
    frames_per_second: float = 200.0
    frame_burst: float = 1000.0
    max_connections_per_shop: int = 256
    max_doc_bytes: int = 4 * MAX_FRAME_BYTES
    auth_timeout: float = 10.0
    ping_interval: float = 5.0
    ping_timeout: float = 5.0
    revocation_check_interval: float = 1.0
    room_idle_seconds: float = 30.0
    compact_every: int = 200
    account_free_failures: int = 5
    address_free_failures: int = 20
    allow_signup: bool = False

    def allow_documents(self, ws: ServerConnection) -> None:
        """Lift ``ws``'s message limit from ``max_auth_bytes`` to ``max_frame_bytes``:
        call once the device on it is authenticated."""
        ws.protocol.max_message_size = self.max_frame_bytes
