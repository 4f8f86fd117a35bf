"""The exception tree of ``crdt_models.sync``.

Everything derives from :class:`ProtocolError` (itself a
:class:`~crdt_models.errors.DomainError`). Each class has a stable ``code``
that travels in ERROR frames, so the other end can log or translate it:

- :class:`FrameError` (``frame.malformed``) -- bytes that are not a valid
  frame: truncated or over-long varints, declared lengths past the end,
  unknown kinds, trailing bytes, bad UTF-8 or JSON.

  - :class:`FrameTooLargeError` (``frame.too_large``) -- a frame, a name or
    a list over the bounds in :class:`~crdt_models.sync.frames.Limits`.

- :class:`UnknownDocumentError` (``doc.unknown``) -- a frame names a document
  this session does not sync.
- :class:`InvalidUpdateError` (``doc.invalid_update``) -- pycrdt refused an
  update or a state vector (the document is left unchanged).
- :class:`ReadOnlyDocumentError` (``doc.read_only``) -- the peer tried to
  write a document it may only read. Not fatal: the write is refused and the
  session goes on.
- :class:`UnexpectedFrameError` (``frame.unexpected``) -- a well-formed frame
  at the wrong time (a document frame before the session is open, a control
  response nobody asked for).
- :class:`SessionStateError` (``session.state``) -- raised to the *owner* of a
  session that calls a method the session's state forbids (sending journal
  frames before :meth:`~crdt_models.sync.session.SyncSession.open`).

A :class:`~crdt_models.sync.session.SyncSession` never raises these on bad
input: it reports them as a
:class:`~crdt_models.sync.events.ProtocolErrorEvent`. The codec functions in
:mod:`crdt_models.sync.frames` do raise them.
"""

from __future__ import annotations

from typing import ClassVar

from crdt_models.errors import DomainError

__all__ = [
    "FrameError",
    "FrameTooLargeError",
    "InvalidUpdateError",
    "ProtocolError",
    "ReadOnlyDocumentError",
    "SessionStateError",
    "UnexpectedFrameError",
    "UnknownDocumentError",
]


class ProtocolError(DomainError):
    """Base of every sync protocol error; ``code`` is stable and goes on the wire."""

    code: ClassVar[str] = "protocol.error"


class FrameError(ProtocolError):
    """The bytes received are not a valid frame."""

    code = "frame.malformed"


class FrameTooLargeError(FrameError):
    """A frame, a name, a string or a list is over the session's limits."""

    code = "frame.too_large"


class UnknownDocumentError(ProtocolError):
    """A frame names a document that this session does not sync."""

    code = "doc.unknown"


class InvalidUpdateError(ProtocolError):
    """pycrdt refused an update or a state vector; nothing was applied."""

    code = "doc.invalid_update"


class ReadOnlyDocumentError(ProtocolError):
    """The peer tried to write a document it may only read; nothing was applied."""

    code = "doc.read_only"


class UnexpectedFrameError(ProtocolError):
    """A well-formed frame arrived when the session's state does not allow it."""

    code = "frame.unexpected"


class SessionStateError(ProtocolError):
    """The owner called a session method that the session's state forbids."""

    code = "session.state"
