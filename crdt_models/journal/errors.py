"""The exception tree of ``crdt_models.journal``.

- :class:`JournalError` (a :class:`~crdt_models.errors.DomainError`) -- base of
  everything the journal raises on purpose.

  - :class:`MalformedRecordError` -- bytes that are not a journal record
    (bad JSON, a missing or extra field, a float, a hash that is not 64 hex
    digits). ``line`` is the 1-based line number when read from a JSON Lines
    file, else ``None``.
  - :class:`ChainLinkError` -- a record that does not continue a known head
    (wrong sequence, wrong ``prev_hash``, bad hash or signature). ``reason`` is
    one of the verifier's reasons (see :mod:`crdt_models.journal.verify`).
  - :class:`RollbackDetectedError` -- the local journal is behind or diverges
    from a head another party witnessed: it was restored from an older backup,
    and its numbers must not be reused.

A record *body* that is not acceptable (a sale whose payments do not cover
its total, a refund of more than was sold) raises
:class:`~crdt_models.errors.ValidationError` with a field and a stable code,
like every other input check in ``crdt_models``.
"""

from __future__ import annotations

from crdt_models.errors import DomainError

__all__ = ["ChainLinkError", "JournalError", "MalformedRecordError", "RollbackDetectedError"]


class JournalError(DomainError):
    """Base of every error the journal raises on purpose."""


class MalformedRecordError(JournalError, ValueError):
    """Bytes that do not decode to a journal record."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(f"line {line}: {message}" if line is not None else message)
        self.line = line


class ChainLinkError(JournalError):
    """A record does not continue the head it was checked against."""

    def __init__(self, reason: str, seq: int, message: str) -> None:
        super().__init__(f"record {seq}: {reason}: {message}")
        self.reason = reason
        self.seq = seq


class RollbackDetectedError(JournalError):
    """The local journal is older than, or diverges from, a witnessed head."""
