"""Cheap checks on untrusted Yjs bytes before pycrdt sees them.

pycrdt (yrs) pre-allocates from the first count it reads: the 4-byte update
``c5 b3 d0 76`` costs it about 5 s and 500 MB, and the 6-byte state vector
``c5 b3 d0 76 ac 0e`` more than a second, before it notices that the bytes run
out. Each entry counted takes at least one byte, so a count larger than the
bytes that follow is refused here, which bounds pycrdt's work by the frame size.
"""

from __future__ import annotations

from crdt_models.sync import InvalidUpdateError
from crdt_models.sync.errors import FrameError
from crdt_models.sync.wire import Reader

__all__ = ["check_leading_count"]


def check_leading_count(data: bytes, what: str) -> None:
    """Raise InvalidUpdateError if ``data`` (an update or a state vector) declares
    more entries than it has bytes left."""
    reader = Reader(data)
    try:
        count = reader.read_var_uint(what)
    except FrameError as exc:
        raise InvalidUpdateError(f"{what}: {exc}") from exc
    if count > reader.remaining:
        raise InvalidUpdateError(f"{what}: declares {count} entries in {reader.remaining} bytes")
