"""The sans-I/O sync session: one per link (websocket, LAN connection).

Feed it each received frame with :meth:`SyncSession.receive_frame`, then read
:meth:`SyncSession.events_received` (what happened) and
:meth:`SyncSession.data_to_send` (frames to write, one websocket binary message
each). It never touches a socket, a clock or an event loop, and never raises on
bad input: a bad frame becomes a :class:`~.events.ProtocolErrorEvent`, an ERROR
frame to send, and a closed session; no document is changed by it.

A link's life::

    session = SyncSession(origin=PeerOrigin("relay"))
    session.send_auth({"token": ...})         # client side
    ... AuthRequested -> accept_auth(...)       # server side, then open(...)
    ... AuthAccepted  -> open(docs)             # client side
    open(docs, read_only={"settings"})          # sends step 1 for each document

Both sides call :meth:`~SyncSession.open` once authenticated (a server right
after :meth:`~SyncSession.accept_auth`, a client on :class:`~.events.AuthAccepted`
before it feeds the next frame); links that need no authentication (tests, a
pipe) just open. Document, journal and control frames are refused before then.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from pycrdt import Doc, YSyncMessageType

from crdt_models.sync.errors import (
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
    DeviceStatusReceived,
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
    AuthErrorFrame,
    AuthFrame,
    AuthOkFrame,
    ChainPosition,
    ControlRequestFrame,
    ControlResponseFrame,
    DeviceStatusFrame,
    DocFrame,
    ErrorFrame,
    Frame,
    JournalAckFrame,
    JournalHeadsFrame,
    JournalRecordsFrame,
    Limits,
    RecordRejection,
    decode_frame,
    encode_frame,
)
from crdt_models.sync.guard import (
    apply_guarded,
    apply_unguarded,
    is_empty_update,
    update_for_state,
    would_change,
)
from crdt_models.sync.payloads import JsonObject

__all__ = ["SyncSession"]

logger = logging.getLogger(__name__)

_BEFORE_OPEN = (AuthFrame, AuthOkFrame, AuthErrorFrame, ErrorFrame)


class SyncSession:
    """The protocol state of one link: documents, journal, auth and control frames.

    ``origin`` tags every transaction that applies the peer's updates (a fresh
    :class:`~.events.PeerOrigin` by default); ``limits`` bound what the peer
    may send; ``guard_updates=False`` skips the twin that guarantees a refused
    update changes nothing (see :mod:`.guard`), for peers that are trusted.
    """

    def __init__(
        self,
        *,
        origin: PeerOrigin | None = None,
        limits: Limits = DEFAULT_LIMITS,
        guard_updates: bool = True,
    ) -> None:
        self.origin = origin if origin is not None else PeerOrigin("peer")
        self.limits = limits
        self._apply = apply_guarded if guard_updates else apply_unguarded
        self._docs: dict[str, Doc[Any]] = {}
        self._read_only: frozenset[str] = frozenset()
        self._awaiting_step2: set[str] = set()
        self._control_ids = itertools.count(1)
        self._control_pending: dict[int, str] = {}
        self._events: list[Event] = []
        self._outgoing: list[bytes] = []
        self._open = False
        self._closed = False

    # -- state -------------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        """True once :meth:`open` was called and until the session closes."""
        return self._open and not self._closed

    @property
    def closed(self) -> bool:
        """True after a protocol error, a fatal peer error, a refused auth or :meth:`fail`."""
        return self._closed

    @property
    def docs(self) -> Mapping[str, Doc[Any]]:
        """The documents this session syncs (empty until :meth:`open`)."""
        return self._docs

    def open(self, docs: Mapping[str, Doc[Any]], *, read_only: Collection[str] = ()) -> None:
        """Start syncing ``docs`` (name -> Doc, possibly shared with other sessions).

        Sends step 1 for each document. The peer may write none of the
        documents named in ``read_only``. Call once, when the link is
        authenticated. Updates from the peer are tried on a twin of each Doc
        first (see :mod:`.guard`); call :func:`~.guard.release_doc` on a Doc
        you stop syncing before the process ends, or it is never freed.
        """
        if self._open or self._closed:
            raise SessionStateError("open() may be called once, on a session not closed")
        unknown = set(read_only) - set(docs)
        if unknown:
            raise UnknownDocumentError(f"read-only documents not synced: {sorted(unknown)}")
        self._docs = dict(docs)
        self._read_only = frozenset(read_only)
        self._open = True
        self.resync()

    def resync(self, doc: str | None = None) -> None:
        """Send step 1 (our state vector) for ``doc``, or for every document.

        The periodic state-vector exchange and "sync now": the peer answers with
        what we lack, and a :class:`~.events.DocSynced` follows for each.
        """
        if not self.is_open:
            return
        for name in self._docs if doc is None else (self._doc_named(doc),):
            state = self._docs[name].get_state()
            self._send(DocFrame(name, YSyncMessageType.SYNC_STEP1, state))
            self._awaiting_step2.add(name)

    def fail(self, code: str, message: str) -> None:
        """Close the session for a reason of the owner's (token revoked, quota); tells the peer."""
        if self._closed:
            return
        self._send(ErrorFrame(code, message, fatal=True))
        self._closed = True

    # -- receiving ---------------------------------------------------------------------------

    def receive_frame(self, data: bytes) -> None:
        """Handle one received frame (one websocket binary message). Never raises.

        Ignored once the session is closed.
        """
        if self._closed:
            return
        try:
            frame = decode_frame(data, self.limits)
            if not self._open and not isinstance(frame, _BEFORE_OPEN):
                raise UnexpectedFrameError(
                    f"{type(frame).__name__} before the session was authenticated and opened"
                )
            self._handle(frame)
        except ProtocolError as error:
            logger.debug("sync session %s: protocol error: %s", self.origin.label, error)
            self._events.append(ProtocolErrorEvent(error))
            self._send(ErrorFrame(error.code, str(error), fatal=True))
            self._closed = True

    def events_received(self) -> list[Event]:
        """Return and forget the events since the last call, oldest first."""
        events, self._events = self._events, []
        return events

    def data_to_send(self) -> list[bytes]:
        """Return and forget the frames to send since the last call, in order."""
        data, self._outgoing = self._outgoing, []
        return data

    def _handle(self, frame: Frame) -> None:
        match frame:
            case DocFrame():
                self._handle_doc(frame)
            case JournalHeadsFrame(heads=heads):
                self._events.append(JournalHeadsReceived(heads))
            case JournalRecordsFrame(records=records):
                self._events.append(JournalRecordsReceived(records))
            case JournalAckFrame(acked=acked, rejected=rejected):
                self._events.append(JournalAckReceived(acked, rejected))
            case AuthFrame(payload=payload):
                self._events.append(AuthRequested(payload))
            case AuthOkFrame(payload=payload):
                self._events.append(AuthAccepted(payload))
            case AuthErrorFrame(code=code, message=message):
                self._events.append(AuthRejected(code, message))
                self._closed = True
            case ControlRequestFrame(request_id=request_id, name=name, payload=payload):
                self._events.append(ControlRequested(request_id, name, payload))
            case ControlResponseFrame(request_id=request_id, ok=ok, payload=payload):
                if request_id not in self._control_pending:
                    raise UnexpectedFrameError(f"response to unknown control request {request_id}")
                name = self._control_pending.pop(request_id)
                self._events.append(ControlResponded(request_id, name, ok, payload))
            case DeviceStatusFrame(version=version, pending=pending):
                self._events.append(DeviceStatusReceived(version, pending))
            case ErrorFrame(code=code, message=message, fatal=fatal, doc=doc):
                self._events.append(PeerErrorEvent(code, message, fatal, doc))
                self._closed = self._closed or fatal

    def _handle_doc(self, frame: DocFrame) -> None:
        name = frame.doc
        doc = self._docs.get(name)
        if doc is None:
            raise UnknownDocumentError(f"no document {name!r} on this link")
        if frame.sync_type == YSyncMessageType.SYNC_STEP1:
            update = update_for_state(doc, frame.payload)
            self._send(DocFrame(name, YSyncMessageType.SYNC_STEP2, update))
            return
        update = frame.payload
        answered = frame.sync_type == YSyncMessageType.SYNC_STEP2 and name in self._awaiting_step2
        if answered:
            self._awaiting_step2.discard(name)
        if name in self._read_only:
            if would_change(doc, update):
                refusal = ReadOnlyDocumentError(f"the peer may not write {name!r}")
                self._events.append(WriteRefused(name, update))
                self._send(ErrorFrame(refusal.code, str(refusal), fatal=False, doc=name))
                return
        elif not is_empty_update(update):
            self._apply(doc, update, self.origin)
            self._events.append(DocUpdated(name, update, self.origin))
        if answered:
            self._events.append(DocSynced(name))

    # -- sending -----------------------------------------------------------------------------

    def send_update(self, doc: str, update: bytes) -> None:
        """Send a local or fanned-out ``update`` of ``doc`` to the peer.

        Ignored before :meth:`open` (the step-1 exchange at open covers it),
        after close, and for an empty update.
        """
        if not self.is_open or is_empty_update(update):
            return
        self._send(DocFrame(self._doc_named(doc), YSyncMessageType.SYNC_UPDATE, update))

    def send_journal_heads(self, heads: Iterable[ChainPosition]) -> None:
        """Tell the peer the highest contiguous seq we hold per (till, chain)."""
        if self._ready_to_send():
            self._send(JournalHeadsFrame(tuple(heads)))

    def send_journal_records(self, records: Iterable[bytes]) -> None:
        """Send journal records (``Record.to_json_line()`` bytes), oldest first."""
        if self._ready_to_send():
            self._send(JournalRecordsFrame(tuple(records)))

    def send_journal_ack(
        self, acked: Iterable[ChainPosition], rejected: Iterable[RecordRejection] = ()
    ) -> None:
        """Acknowledge records verified and stored up to ``acked``; name the ones refused."""
        if self._ready_to_send():
            self._send(JournalAckFrame(tuple(acked), tuple(rejected)))

    def send_control_request(self, name: str, payload: JsonObject | None = None) -> int:
        """Ask the peer ``name`` (``"stats"``, ``"sync_now"``...); returns the request id.

        The answer arrives as :class:`~.events.ControlResponded` with this id.
        Returns 0 and sends nothing if the session is closed.
        """
        if not self._ready_to_send():
            return 0
        request_id = next(self._control_ids)
        self._send(ControlRequestFrame(request_id, name, payload or {}))
        self._control_pending[request_id] = name
        return request_id

    def send_control_response(
        self, request_id: int, payload: JsonObject | None = None, *, ok: bool = True
    ) -> None:
        """Answer the peer's control request ``request_id`` (``ok=False`` for an error)."""
        if self._ready_to_send():
            self._send(ControlResponseFrame(request_id, ok, payload or {}))

    def send_device_status(self, version: str, pending: int) -> None:
        """Report our software ``version`` and how many of our changes await the peer's ack."""
        if self._ready_to_send():
            self._send(DeviceStatusFrame(version, pending))

    def send_auth(self, payload: JsonObject) -> None:
        """Present our credentials; the peer answers AuthAccepted or AuthRejected."""
        if not self._closed:
            self._send(AuthFrame(payload))

    def accept_auth(self, payload: JsonObject | None = None) -> None:
        """Accept the peer's credentials (then call :meth:`open`)."""
        if not self._closed:
            self._send(AuthOkFrame(payload or {}))

    def reject_auth(self, code: str, message: str) -> None:
        """Refuse the peer's credentials and close the session."""
        if not self._closed:
            self._send(AuthErrorFrame(code, message))
            self._closed = True

    def _ready_to_send(self) -> bool:
        if self._closed:
            return False
        if not self._open:
            raise SessionStateError("journal and control frames need an open session")
        return True

    def _doc_named(self, name: str) -> str:
        if name not in self._docs:
            raise UnknownDocumentError(f"no document {name!r} on this link")
        return name

    def _send(self, frame: Frame) -> None:
        self._outgoing.append(encode_frame(frame))
