"""Stable ids that sort by creation time: UUIDv7 (RFC 9562) as 36-char strings.

Ids made in one process are strictly increasing even within one millisecond
(the 12-bit ``rand_a`` field is used as a counter, as RFC 9562 section 6.2
method 1 allows); ids from different devices are unique by their 62 random bits.
"""

from __future__ import annotations

import os
import threading
import time
import uuid

__all__ = ["id_timestamp_ms", "new_id"]

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def new_id(now_ms: int | None = None) -> str:
    """A new UUIDv7 string. ``now_ms`` is for tests; by default the wall clock."""
    global _last_ms, _counter
    with _lock:
        ms = time.time_ns() // 1_000_000 if now_ms is None else now_ms
        if ms <= _last_ms:
            ms = _last_ms
            _counter += 1
            if _counter > 0xFFF:  # counter exhausted: borrow the next millisecond
                ms += 1
                _counter = 0
        else:
            _counter = int.from_bytes(os.urandom(2), "big") & 0x3FF  # leave headroom
        _last_ms = ms
        counter = _counter
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | counter << 64 | 0b10 << 62 | rand_b
    return str(uuid.UUID(int=value))


def id_timestamp_ms(entry_id: str) -> int:
    """The creation time (ms since the epoch) encoded in a UUIDv7 string."""
    return uuid.UUID(entry_id).int >> 80
