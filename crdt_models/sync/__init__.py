"""The sans-I/O sync protocol: bytes in -> events and bytes out.

One :class:`SyncSession` per link syncs every shared document of a shop
(standard y-protocols messages, each frame naming its document), carries the
journal's replication messages, authentication and control requests. The
relay, the till's relay client and the LAN peer are thin I/O layers around it.
See :mod:`crdt_models.sync.frames` for the wire format.
"""

from crdt_models.sync.errors import (
    FrameError,
    FrameTooLargeError,
    InvalidUpdateError,
    ProtocolError,
    ReadOnlyDocumentError,
    SessionStateError,
    UnexpectedFrameError,
    UnknownDocumentError,
)
from crdt_models.sync.events import (
    AuthAccepted,
    AuthRejected,
    AuthRequested,
    ControlRequested,
    ControlResponded,
    DocSynced,
    DocUpdated,
    Event,
    JournalAckReceived,
    JournalHeadsReceived,
    JournalRecordsReceived,
    PeerErrorEvent,
    PeerOrigin,
    ProtocolErrorEvent,
    WriteRefused,
)
from crdt_models.sync.frames import (
    DEFAULT_LIMITS,
    MAX_FRAME_BYTES,
    AuthErrorFrame,
    AuthFrame,
    AuthOkFrame,
    ChainPosition,
    ControlRequestFrame,
    ControlResponseFrame,
    DocFrame,
    ErrorFrame,
    Frame,
    FrameKind,
    JournalAckFrame,
    JournalHeadsFrame,
    JournalRecordsFrame,
    Limits,
    RecordRejection,
    decode_frame,
    encode_frame,
)
from crdt_models.sync.guard import release_doc
from crdt_models.sync.payloads import JsonObject, JsonValue
from crdt_models.sync.session import SyncSession

__all__ = [
    "DEFAULT_LIMITS",
    "MAX_FRAME_BYTES",
    "AuthAccepted",
    "AuthErrorFrame",
    "AuthFrame",
    "AuthOkFrame",
    "AuthRejected",
    "AuthRequested",
    "ChainPosition",
    "ControlRequestFrame",
    "ControlRequested",
    "ControlResponded",
    "ControlResponseFrame",
    "DocFrame",
    "DocSynced",
    "DocUpdated",
    "ErrorFrame",
    "Event",
    "Frame",
    "FrameError",
    "FrameKind",
    "FrameTooLargeError",
    "InvalidUpdateError",
    "JournalAckFrame",
    "JournalAckReceived",
    "JournalHeadsFrame",
    "JournalHeadsReceived",
    "JournalRecordsFrame",
    "JournalRecordsReceived",
    "JsonObject",
    "JsonValue",
    "Limits",
    "PeerErrorEvent",
    "PeerOrigin",
    "ProtocolError",
    "ProtocolErrorEvent",
    "ReadOnlyDocumentError",
    "RecordRejection",
    "SessionStateError",
    "SyncSession",
    "UnexpectedFrameError",
    "UnknownDocumentError",
    "WriteRefused",
    "decode_frame",
    "encode_frame",
    "release_doc",
]
