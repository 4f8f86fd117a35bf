"""What the load generator puts on the wire: y-websocket messages, in one of three framings.

- ``plain``: the y-websocket protocol as y-websocket, pycrdt-websocket and the relay's
  ``/yjs/<doc>`` endpoint speak it (one y-protocols message per websocket message).
- ``hocuspocus``: every message is prefixed with the document name (a varstring), and the
  first message on a connection must be an authentication message carrying a token.
- ``native``: the relay's own protocol (``crdt_models.sync`` frames): an AUTH frame with a
  token first, then every y-websocket message inside a DOC frame naming the document. It is
  written out here rather than imported so that the load generator stays one small client
  that frames bytes the same way for every server.

Latency is measured with markers: every update the writer sends creates a product whose id
is ``bench`` + an 8-digit sequence number. Yjs encodes map keys as plain UTF-8 in both update
formats, so a reader finds the markers with a regular expression on the raw message without
applying it, which keeps the client cost tiny and identical for every server, and still works
when a server merges several updates into one message.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from pycrdt import Doc, Map, create_sync_message, create_update_message, write_var_uint

__all__ = [
    "MARKER",
    "Framing",
    "UpdateMaker",
    "empty_sync_step1",
    "is_sync_step2",
    "read_var_string",
    "read_var_uint",
    "write_var_string",
]

MARKER = re.compile(rb"bench(\d{8})")

_SYNC = 0
_STEP2 = 1
_HOCUSPOCUS_AUTH = 2
_HOCUSPOCUS_TOKEN = 0
_NATIVE_DOC = 0  # crdt_models.sync FrameKind.DOC, then varstring doc, then a y message
_NATIVE_AUTH = 4  # FrameKind.AUTH, then varbytes canonical JSON


def write_var_string(text: str) -> bytes:
    """Encode a lib0 varstring (varuint byte length + UTF-8)."""
    data = text.encode()
    return write_var_uint(len(data)) + data


def read_var_uint(data: bytes, pos: int) -> tuple[int, int]:
    """Decode a lib0 varuint at ``pos``; return (value, position after it)."""
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, pos


def read_var_string(data: bytes, pos: int) -> tuple[str, int]:
    """Decode a lib0 varstring at ``pos``; return (text, position after it)."""
    length, pos = read_var_uint(data, pos)
    return data[pos : pos + length].decode(), pos + length


def empty_sync_step1() -> bytes:
    """A sync step 1 from a client that holds nothing (asks the server for everything)."""
    return create_sync_message(Doc())


def is_sync_step2(message: bytes) -> bool:
    """Whether an unframed y-websocket message is a sync step 2 (the answer to a step 1)."""
    return len(message) >= 2 and message[0] == _SYNC and message[1] == _STEP2


@dataclass(frozen=True)
class Framing:
    """How y-websocket messages are framed for one kind of server.

    ``doc`` is the document name used inside Hocuspocus frames; the plain framing names the
    document in the URL instead.
    """

    kind: str  # "plain", "hocuspocus" or "native"
    doc: str = ""
    token: str = "bench"

    def opening(self) -> list[bytes]:
        """Frames a client sends first, before asking for the document (authentication)."""
        if self.kind == "hocuspocus":
            auth = (
                write_var_uint(_HOCUSPOCUS_AUTH)
                + write_var_uint(_HOCUSPOCUS_TOKEN)
                + write_var_string(self.token)
            )
            return [self.wrap(auth)]
        if self.kind == "native":
            payload = json.dumps({"method": "token", "token": self.token}, separators=(",", ":"))
            return [write_var_uint(_NATIVE_AUTH) + write_var_string(payload)]
        return []

    def wrap(self, message: bytes) -> bytes:
        """Frame a y-websocket message (or a Hocuspocus auth message) for this server."""
        if self.kind == "hocuspocus":
            return write_var_string(self.doc) + message
        if self.kind == "native":
            return write_var_uint(_NATIVE_DOC) + write_var_string(self.doc) + message
        return message

    def unwrap(self, data: bytes) -> bytes:
        """The y-websocket message inside a received frame (empty for other frames)."""
        if self.kind == "hocuspocus":
            _, pos = read_var_string(data, 0)
            return data[pos:]
        if self.kind == "native":
            if not data or data[0] != _NATIVE_DOC:
                return b""
            _, pos = read_var_string(data, 1)
            return data[pos:]
        return data


class UpdateMaker:
    """Makes the writer's small updates: one new product per update, keyed by a marker.

    Each update is what a till sends when a product is added: a nested Map with a name and a
    price in the catalogue's ``products`` root, about 60 bytes on the wire.
    """

    def __init__(self) -> None:
        self._doc: Doc[Any] = Doc()
        self._products: Map[Any] = self._doc.get("products", type=Map)
        self._updates: list[bytes] = []
        self._doc.observe(lambda event: self._updates.append(event.update))

    def make(self, seq: int) -> bytes:
        """The update message (unframed) that creates product ``bench<seq>``."""
        with self._doc.transaction():
            self._products[f"bench{seq:08d}"] = Map({"name": "Espresso", "price": 180})
        update = self._updates.pop()
        return create_update_message(update)
