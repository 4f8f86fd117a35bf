"""The frame codec: one frame per websocket binary message.

A frame is a varuint *kind* followed by the kind's fields, all lib0-encoded
(varuint, varbytes, varstring = UTF-8 byte length then bytes)::

    DOC              varstring doc, then one y-protocols message exactly as
                     pycrdt / y-websocket encode it: varuint 0 (SYNC),
                     varuint step (0 step 1, 1 step 2, 2 update), varbytes payload
    JOURNAL_HEADS    varuint n, n x position
    JOURNAL_RECORDS  varuint n, n x varbytes record (``Record.to_json_line()``)
    JOURNAL_ACK      varuint n, n x position, varuint m, m x (position,
                     varstring code, varstring message)
    AUTH, AUTH_OK    varbytes JSON payload (see :mod:`.payloads`)
    AUTH_ERROR       varstring code, varstring message
    CONTROL          varuint role (0 request, 1 response ok, 2 response error),
                     varuint id, [request only: varstring name], varbytes JSON payload
    ERROR            varuint fatal (0/1), varstring code, varstring message,
                     varstring doc ("" when the error is not about one document)
    DEVICE_STATUS    varstring version (1 to 64 bytes), varuint pending

    position = varstring till_id, varstring chain, varuint seq

:func:`decode_frame` is strict and bounded (:class:`Limits`): every declared
length and count is checked against the bytes left and the limits before
anything is read, varints must be minimal, nothing may trail the last field,
and the encoding of a decoded frame is the bytes it was decoded from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import ClassVar, TypeAlias

from pycrdt import YMessageType, YSyncMessageType

from crdt_models.sync.errors import FrameError, FrameTooLargeError
from crdt_models.sync.payloads import JsonObject, decode_payload, encode_payload
from crdt_models.sync.wire import Reader, write_var_bytes, write_var_string, write_var_uint

__all__ = [
    "DEFAULT_LIMITS",
    "MAX_FRAME_BYTES",
    "MAX_VERSION_BYTES",
    "AuthErrorFrame",
    "AuthFrame",
    "AuthOkFrame",
    "ChainPosition",
    "ControlRequestFrame",
    "ControlResponseFrame",
    "DeviceStatusFrame",
    "DocFrame",
    "ErrorFrame",
    "Frame",
    "FrameKind",
    "JournalAckFrame",
    "JournalHeadsFrame",
    "JournalRecordsFrame",
    "Limits",
    "RecordRejection",
    "decode_frame",
    "encode_frame",
]


class FrameKind(IntEnum):
    """The first varuint of every frame."""

    DOC = 0
    JOURNAL_HEADS = 1
    JOURNAL_RECORDS = 2
    JOURNAL_ACK = 3
    AUTH = 4
    AUTH_OK = 5
    AUTH_ERROR = 6
    CONTROL = 7
    ERROR = 8
    DEVICE_STATUS = 9


class _ControlRole(IntEnum):
    REQUEST = 0
    RESPONSE_OK = 1
    RESPONSE_ERROR = 2


#: The largest frame any peer (relay, device, LAN peer) sends or accepts once
#: authenticated: one whole document must fit.
MAX_FRAME_BYTES = 64 * 1024 * 1024

#: The longest software version a DEVICE_STATUS frame may carry (UTF-8 bytes).
MAX_VERSION_BYTES = 64


@dataclass(frozen=True)
class Limits:
    """Bounds on what a peer may send; the owner of a session may tighten them.

    ``max_frame_bytes`` bounds a whole frame, and so any update or step 2,
    which a document sends whole: a 100,000-product catalogue is about 31 MB
    in one update, so the default (:data:`MAX_FRAME_BYTES`) leaves it room.
    The others bound a document name, any other string (ids, codes, messages,
    control names) and the number of entries in one journal frame.
    """

    max_frame_bytes: int = MAX_FRAME_BYTES
    max_doc_name_bytes: int = 64
    max_string_bytes: int = 1024
    max_list_items: int = 10_000


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class ChainPosition:
    """A place in one till's journal chain: the highest contiguous ``seq`` held or acked."""

    till_id: str
    chain: str
    seq: int


@dataclass(frozen=True)
class RecordRejection:
    """Why a peer refused the record at ``position`` (``code`` is the journal's error code)."""

    position: ChainPosition
    code: str
    message: str


@dataclass(frozen=True)
class DocFrame:
    """A y-protocols sync message for the document ``doc``.

    ``payload`` is a state vector for step 1 and an update for step 2 and update.
    """

    kind: ClassVar[FrameKind] = FrameKind.DOC
    doc: str
    sync_type: YSyncMessageType
    payload: bytes


@dataclass(frozen=True)
class JournalHeadsFrame:
    """The highest contiguous seq the sender holds, per (till, chain)."""

    kind: ClassVar[FrameKind] = FrameKind.JOURNAL_HEADS
    heads: tuple[ChainPosition, ...]


@dataclass(frozen=True)
class JournalRecordsFrame:
    """Journal records as canonical JSON lines (opaque here; the journal checks them)."""

    kind: ClassVar[FrameKind] = FrameKind.JOURNAL_RECORDS
    records: tuple[bytes, ...]


@dataclass(frozen=True)
class JournalAckFrame:
    """Records the sender has verified and stored (up to each position), and refusals."""

    kind: ClassVar[FrameKind] = FrameKind.JOURNAL_ACK
    acked: tuple[ChainPosition, ...]
    rejected: tuple[RecordRejection, ...] = ()


@dataclass(frozen=True)
class AuthFrame:
    """Credentials (a device token, a LAN proof...): the payload is the owner's business."""

    kind: ClassVar[FrameKind] = FrameKind.AUTH
    payload: JsonObject


@dataclass(frozen=True)
class AuthOkFrame:
    """The credentials were accepted; the payload says what was granted."""

    kind: ClassVar[FrameKind] = FrameKind.AUTH_OK
    payload: JsonObject


@dataclass(frozen=True)
class AuthErrorFrame:
    """The credentials were refused."""

    kind: ClassVar[FrameKind] = FrameKind.AUTH_ERROR
    code: str
    message: str


@dataclass(frozen=True)
class ControlRequestFrame:
    """A request (``name`` like ``"stats"`` or ``"sync_now"``) awaiting one response."""

    kind: ClassVar[FrameKind] = FrameKind.CONTROL
    request_id: int
    name: str
    payload: JsonObject


@dataclass(frozen=True)
class ControlResponseFrame:
    """The response to the request ``request_id``; ``ok`` is False for an error response."""

    kind: ClassVar[FrameKind] = FrameKind.CONTROL
    request_id: int
    ok: bool
    payload: JsonObject


@dataclass(frozen=True)
class ErrorFrame:
    """An error the sender found; when ``fatal``, the sender has closed the session."""

    kind: ClassVar[FrameKind] = FrameKind.ERROR
    code: str
    message: str
    fatal: bool = True
    doc: str | None = None


@dataclass(frozen=True)
class DeviceStatusFrame:
    """A device's report: its software ``version`` and how many of its changes
    (journal records and document changes) the receiver has not acknowledged yet."""

    kind: ClassVar[FrameKind] = FrameKind.DEVICE_STATUS
    version: str
    pending: int


Frame: TypeAlias = (
    DocFrame
    | JournalHeadsFrame
    | JournalRecordsFrame
    | JournalAckFrame
    | AuthFrame
    | AuthOkFrame
    | AuthErrorFrame
    | ControlRequestFrame
    | ControlResponseFrame
    | ErrorFrame
    | DeviceStatusFrame
)


# -- encoding ------------------------------------------------------------------------------


def _position(position: ChainPosition) -> bytes:
    return (
        write_var_string(position.till_id)
        + write_var_string(position.chain)
        + write_var_uint(position.seq)
    )


def _positions(positions: tuple[ChainPosition, ...]) -> bytes:
    return write_var_uint(len(positions)) + b"".join(_position(p) for p in positions)


def encode_frame(frame: Frame) -> bytes:
    """Encode one frame to the bytes of one websocket binary message.

    Raises :class:`FrameError` for a payload that is not JSON without floats.
    """
    head = write_var_uint(frame.kind)
    if isinstance(frame, DocFrame):
        return (
            head
            + write_var_string(frame.doc)
            + write_var_uint(YMessageType.SYNC)
            + write_var_uint(frame.sync_type)
            + write_var_bytes(frame.payload)
        )
    if isinstance(frame, JournalHeadsFrame):
        return head + _positions(frame.heads)
    if isinstance(frame, JournalRecordsFrame):
        records = b"".join(write_var_bytes(record) for record in frame.records)
        return head + write_var_uint(len(frame.records)) + records
    if isinstance(frame, JournalAckFrame):
        rejected = b"".join(
            _position(r.position) + write_var_string(r.code) + write_var_string(r.message)
            for r in frame.rejected
        )
        return head + _positions(frame.acked) + write_var_uint(len(frame.rejected)) + rejected
    if isinstance(frame, AuthFrame | AuthOkFrame):
        return head + write_var_bytes(encode_payload(frame.payload))
    if isinstance(frame, AuthErrorFrame):
        return head + write_var_string(frame.code) + write_var_string(frame.message)
    if isinstance(frame, ControlRequestFrame):
        return (
            head
            + write_var_uint(_ControlRole.REQUEST)
            + write_var_uint(frame.request_id)
            + write_var_string(frame.name)
            + write_var_bytes(encode_payload(frame.payload))
        )
    if isinstance(frame, ControlResponseFrame):
        role = _ControlRole.RESPONSE_OK if frame.ok else _ControlRole.RESPONSE_ERROR
        return (
            head
            + write_var_uint(role)
            + write_var_uint(frame.request_id)
            + write_var_bytes(encode_payload(frame.payload))
        )
    if isinstance(frame, DeviceStatusFrame):
        return head + write_var_string(frame.version) + write_var_uint(frame.pending)
    return (
        head
        + write_var_uint(1 if frame.fatal else 0)
        + write_var_string(frame.code)
        + write_var_string(frame.message)
        + write_var_string(frame.doc or "")
    )


# -- decoding ------------------------------------------------------------------------------


class _Decoder:
    """Reads the fields of one frame under the given limits."""

    def __init__(self, data: bytes, limits: Limits) -> None:
        self.reader = Reader(data)
        self.limits = limits

    def string(self, what: str) -> str:
        return self.reader.read_var_string(what, self.limits.max_string_bytes)

    def count(self, what: str) -> int:
        # Every entry takes at least one byte, so a count past the end is refused
        # before any list is built.
        return self.reader.read_length(what, self.limits.max_list_items)

    def payload(self, what: str) -> JsonObject:
        return decode_payload(self.reader.read_var_bytes(what, self.limits.max_frame_bytes))

    def position(self) -> ChainPosition:
        till_id = self.string("till id")
        chain = self.string("chain")
        return ChainPosition(till_id, chain, self.reader.read_var_uint("seq"))

    def positions(self, what: str) -> tuple[ChainPosition, ...]:
        return tuple(self.position() for _ in range(self.count(what)))

    def doc(self) -> DocFrame:
        raw_name = self.reader.read_var_bytes("document name", self.limits.max_doc_name_bytes)
        try:
            name = raw_name.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FrameError("document name is not valid UTF-8") from exc
        if not name:
            raise FrameError("empty document name")
        if self.reader.read_var_uint("y-protocols message type") != YMessageType.SYNC:
            raise FrameError(f"document {name!r}: not a y-protocols sync message")
        step = self.reader.read_var_uint("y-protocols sync step")
        if step >= len(_SYNC_TYPES):
            raise FrameError(f"document {name!r}: unknown sync step {step}")
        sync_type = _SYNC_TYPES[step]
        payload = self.reader.read_var_bytes("sync payload", self.limits.max_frame_bytes)
        return DocFrame(name, sync_type, payload)

    def journal_heads(self) -> JournalHeadsFrame:
        return JournalHeadsFrame(self.positions("head count"))

    def journal_records(self) -> JournalRecordsFrame:
        count = self.count("record count")
        records = tuple(
            self.reader.read_var_bytes("record", self.limits.max_frame_bytes) for _ in range(count)
        )
        return JournalRecordsFrame(records)

    def journal_ack(self) -> JournalAckFrame:
        acked = self.positions("ack count")
        rejected = tuple(
            RecordRejection(self.position(), self.string("code"), self.string("message"))
            for _ in range(self.count("rejection count"))
        )
        return JournalAckFrame(acked, rejected)

    def auth(self) -> AuthFrame:
        return AuthFrame(self.payload("auth payload"))

    def auth_ok(self) -> AuthOkFrame:
        return AuthOkFrame(self.payload("auth ok payload"))

    def auth_error(self) -> AuthErrorFrame:
        return AuthErrorFrame(self.string("code"), self.string("message"))

    def control(self) -> ControlRequestFrame | ControlResponseFrame:
        role = self.reader.read_var_uint("control role")
        request_id = self.reader.read_var_uint("request id")
        if role == _ControlRole.REQUEST:
            name = self.string("control name")
            return ControlRequestFrame(request_id, name, self.payload("control payload"))
        if role in (_ControlRole.RESPONSE_OK, _ControlRole.RESPONSE_ERROR):
            ok = role == _ControlRole.RESPONSE_OK
            return ControlResponseFrame(request_id, ok, self.payload("control payload"))
        raise FrameError(f"unknown control role {role}")

    def error(self) -> ErrorFrame:
        fatal = self.reader.read_var_uint("fatal flag")
        if fatal > 1:
            raise FrameError(f"fatal flag is {fatal}, not 0 or 1")
        code = self.string("code")
        message = self.string("message")
        doc = self.reader.read_var_string("document name", self.limits.max_doc_name_bytes)
        return ErrorFrame(code, message, bool(fatal), doc or None)

    def device_status(self) -> DeviceStatusFrame:
        version = self.reader.read_var_string("version", MAX_VERSION_BYTES)
        if not version or not version.isprintable():
            raise FrameError("the version must be printable text, not empty")
        return DeviceStatusFrame(version, self.reader.read_var_uint("pending count"))


_SYNC_TYPES = tuple(YSyncMessageType)  # indexed by their value: 0, 1, 2

_DECODERS: dict[int, Callable[[_Decoder], Frame]] = {
    FrameKind.DOC: _Decoder.doc,
    FrameKind.JOURNAL_HEADS: _Decoder.journal_heads,
    FrameKind.JOURNAL_RECORDS: _Decoder.journal_records,
    FrameKind.JOURNAL_ACK: _Decoder.journal_ack,
    FrameKind.AUTH: _Decoder.auth,
    FrameKind.AUTH_OK: _Decoder.auth_ok,
    FrameKind.AUTH_ERROR: _Decoder.auth_error,
    FrameKind.CONTROL: _Decoder.control,
    FrameKind.ERROR: _Decoder.error,
    FrameKind.DEVICE_STATUS: _Decoder.device_status,
}


def decode_frame(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Frame:
    """Decode one received frame, or raise :class:`FrameError` (never anything else).

    Call it on each websocket binary message; :class:`~.session.SyncSession`
    does so for you.
    """
    if len(data) > limits.max_frame_bytes:
        raise FrameTooLargeError(
            f"frame of {len(data)} bytes, more than the limit {limits.max_frame_bytes}"
        )
    decoder = _Decoder(bytes(data), limits)
    kind = decoder.reader.read_var_uint("frame kind")
    read = _DECODERS.get(kind)
    if read is None:
        raise FrameError(f"unknown frame kind {kind}")
    frame = read(decoder)
    decoder.reader.finish(f"a {FrameKind(kind).name} frame")
    return frame
