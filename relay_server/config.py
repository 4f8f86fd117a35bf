"""The relay's tunables, with defaults fit for one small server."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RelayConfig"]


@dataclass(frozen=True)
class RelayConfig:
    """Limits and timings of a :class:`~relay_server.server.RelayServer`.

    - ``max_frame_bytes``: the largest websocket message accepted (a bigger one
      closes the connection with 1009).
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
    """

    max_frame_bytes: int = 8 * 1024 * 1024
    max_outbox_bytes: int = 32 * 1024 * 1024
    frames_per_second: float = 200.0
    frame_burst: float = 1000.0
    max_connections_per_shop: int = 256
    max_doc_bytes: int = 64 * 1024 * 1024
    auth_timeout: float = 10.0
    ping_interval: float = 5.0
    ping_timeout: float = 5.0
    revocation_check_interval: float = 1.0
    room_idle_seconds: float = 30.0
    compact_every: int = 200
    account_free_failures: int = 5
    address_free_failures: int = 20
