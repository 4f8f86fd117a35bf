"""The exception tree of ``crdt_models``.

Every error raised on purpose by this package derives from :class:`DomainError`:

- :class:`ValidationError` -- a value a user or a peer gave is not acceptable
  (negative price, bad barcode, unknown VAT rate...). It names the field and a
  stable ``code`` so a UI can translate it and place it next to the field.
- :class:`NotFoundError` -- an id that names nothing in the document.
- ``crdt_models.sync.errors.ProtocolError`` and
  ``crdt_models.journal.errors.JournalError`` -- the sync protocol and the
  journal, each in its own package, both deriving from :class:`DomainError`.

Callers at the edge (the apps, the relay) catch :class:`DomainError` and show
its message; anything else escaping is a bug.
"""

from __future__ import annotations

__all__ = ["DomainError", "NotFoundError", "ValidationError"]


class DomainError(Exception):
    """Base of every error this package raises on purpose."""


class ValidationError(DomainError, ValueError):
    """A value is not acceptable.

    ``code`` is stable (``"price.negative"``, ``"barcode.check_digit"``...) and
    meant for translation; ``field`` names the offending field; the message is
    plain English for logs and tests.
    """

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.code = code

    def __repr__(self) -> str:
        return f"ValidationError(field={self.field!r}, code={self.code!r}, message={str(self)!r})"


class NotFoundError(DomainError, KeyError):
    """An id names nothing in the document."""

    def __init__(self, kind: str, entry_id: str) -> None:
        super().__init__(f"no {kind} with id {entry_id!r}")
        self.kind = kind
        self.entry_id = entry_id

    def __str__(self) -> str:
        return str(self.args[0])
