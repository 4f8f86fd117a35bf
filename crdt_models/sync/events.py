"""What a :class:`~crdt_models.sync.session.SyncSession` reports to its owner.

Read them with :meth:`~crdt_models.sync.session.SyncSession.events_received`
after each :meth:`~crdt_models.sync.session.SyncSession.receive_frame`, in
order, and act on the ones you care about (``match`` on the class).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from crdt_models.sync.errors import ProtocolError
from crdt_models.sync.frames import ChainPosition, RecordRejection
from crdt_models.sync.payloads import JsonObject

__all__ = [
    "AuthAccepted",
    "AuthRejected",
    "AuthRequested",
    "ControlRequested",
    "ControlResponded",
    "DeviceStatusReceived",
    "DocSynced",
    "DocUpdated",
    "Event",
    "JournalAckReceived",
    "JournalHeadsReceived",
    "JournalRecordsReceived",
    "PeerErrorEvent",
    "PeerOrigin",
    "ProtocolErrorEvent",
    "WriteRefused",
]


@dataclass(frozen=True, eq=False)
class PeerOrigin:
    """The pycrdt transaction origin of every update a session applies.

    Each session has its own (compared by identity), so the owner of a shared
    Doc can tell which session an update came from and fan it out to the
    others only: ``if origin is not session.origin: session.send_update(...)``.
    ``label`` is for logs (``"relay"``, ``"lan:<device id>"``, ``"till:<id>"``).
    """

    label: str


@dataclass(frozen=True)
class DocUpdated:
    """The peer's ``update`` was applied to ``doc`` (in a transaction with ``origin``).

    Fan it out to the other links of the document; the update is never empty.
    """

    doc: str
    update: bytes
    origin: PeerOrigin


@dataclass(frozen=True)
class DocSynced:
    """The peer answered our step 1 for ``doc``: we now hold all it held at that time."""

    doc: str


@dataclass(frozen=True)
class WriteRefused:
    """The peer tried to write ``doc``, which it may only read; nothing was applied.

    The session has queued a non-fatal ERROR frame telling the peer and goes on.
    """

    doc: str
    update: bytes


@dataclass(frozen=True)
class JournalHeadsReceived:
    """The peer's highest contiguous seq per (till, chain): send it what it lacks."""

    heads: tuple[ChainPosition, ...]


@dataclass(frozen=True)
class JournalRecordsReceived:
    """Journal records (canonical JSON lines) to verify and store."""

    records: tuple[bytes, ...]


@dataclass(frozen=True)
class JournalAckReceived:
    """The peer verified and stored records up to ``acked``, and refused ``rejected``."""

    acked: tuple[ChainPosition, ...]
    rejected: tuple[RecordRejection, ...]


@dataclass(frozen=True)
class AuthRequested:
    """The peer presented credentials: check them, then call ``accept_auth`` or ``reject_auth``."""

    payload: JsonObject


@dataclass(frozen=True)
class AuthAccepted:
    """The peer accepted our credentials (call ``open`` before feeding the next frame)."""

    payload: JsonObject


@dataclass(frozen=True)
class AuthRejected:
    """The peer refused our credentials; the session is closed."""

    code: str
    message: str


@dataclass(frozen=True)
class ControlRequested:
    """The peer asks ``name``; answer with ``send_control_response(request_id, ...)``."""

    request_id: int
    name: str
    payload: JsonObject


@dataclass(frozen=True)
class ControlResponded:
    """The answer to our request ``request_id`` named ``name``; ``ok`` False for an error."""

    request_id: int
    name: str
    ok: bool
    payload: JsonObject


@dataclass(frozen=True)
class DeviceStatusReceived:
    """The peer reported its software ``version`` and its ``pending`` (unacknowledged) count."""

    version: str
    pending: int


@dataclass(frozen=True)
class PeerErrorEvent:
    """The peer sent an ERROR frame; when ``fatal``, the session is now closed."""

    code: str
    message: str
    fatal: bool
    doc: str | None


@dataclass(frozen=True)
class ProtocolErrorEvent:
    """The peer sent something invalid; the session is closed and an ERROR frame queued.

    Nothing of the offending frame was applied. Send the queued bytes, then
    close the connection.
    """

    error: ProtocolError

    @property
    def code(self) -> str:
        """The stable code of the error, as sent in the ERROR frame."""
        return self.error.code

    @property
    def reason(self) -> str:
        """A plain-English description for logs."""
        return str(self.error)


Event: TypeAlias = (
    DocUpdated
    | DocSynced
    | WriteRefused
    | JournalHeadsReceived
    | JournalRecordsReceived
    | JournalAckReceived
    | AuthRequested
    | AuthAccepted
    | AuthRejected
    | ControlRequested
    | ControlResponded
    | DeviceStatusReceived
    | PeerErrorEvent
    | ProtocolErrorEvent
)
