"""The exception tree of ``app.core``.

Every error raised on purpose by this package derives from :class:`CoreError`:

- :class:`StoreError` -- the device store cannot do what was asked:

  - :class:`StoreLockedError` -- another running process holds the data
    directory (two instances must never share one till identity);
  - :class:`StoreCorruptError` -- the database file is damaged;
  - :class:`ForeignDatabaseError` -- the file is an SQLite database, but not a
    Skytill device store (nothing is changed in it);
  - :class:`SchemaTooNewError` -- the file was written by a newer Skytill;
  - :class:`StoreWriteError` -- a write (a sale, an update) could not be
    stored durably: nothing was recorded;
  - :class:`RollbackDetectedError` -- the database file is older than what
    this device already validated (a restored copy); appending is refused so
    that no ticket number is ever used twice;
  - :class:`TillIdInUseError` -- provisioning tried to give this device
    another till id after it recorded something under the current one.

Messages are written for the person in front of the till: what happened and
what to do. ``crdt_models`` errors (``DomainError``) pass through unchanged.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "CoreError",
    "ForeignDatabaseError",
    "RollbackDetectedError",
    "SchemaTooNewError",
    "StoreCorruptError",
    "StoreError",
    "StoreLockedError",
    "StoreWriteError",
    "TillIdInUseError",
]


class CoreError(Exception):
    """Base of every error ``app.core`` raises on purpose."""


class StoreError(CoreError):
    """The device store cannot do what was asked."""


class StoreLockedError(StoreError):
    """Another process already uses this data directory."""

    def __init__(self, data_dir: Path, pid: int | None) -> None:
        holder = f"process {pid}" if pid is not None else "another process"
        super().__init__(
            f"The data directory {data_dir} is already in use by {holder}. "
            "Close the other Skytill window (or stop that process) and start again."
        )
        self.data_dir = data_dir
        self.pid = pid


class StoreCorruptError(StoreError):
    """The database file is damaged or is not a database at all."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"The database {path} is damaged ({detail}). Nothing was changed; "
            "keep the file and call support to restore it."
        )
        self.path = path
        self.detail = detail


class ForeignDatabaseError(StoreError):
    """The file is an SQLite database that Skytill did not create."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"The file {path} is not a Skytill device store ({detail}). "
            "Nothing was changed in it; choose another data directory."
        )
        self.path = path
        self.detail = detail


class SchemaTooNewError(StoreError):
    """The store was written by a newer version of Skytill."""

    def __init__(self, path: Path, revision: str) -> None:
        super().__init__(
            f"The database {path} was written by a newer Skytill (schema {revision}). "
            "Update Skytill on this device; nothing was changed."
        )
        self.path = path
        self.revision = revision


class StoreWriteError(StoreError):
    """Something could not be stored durably; nothing of it was recorded.

    ``reason`` is a short phrase ("the disk is full"); the message is the one
    a cashier sees.
    """

    def __init__(self, what: str, reason: str) -> None:
        super().__init__(
            f"The {what} could not be saved: {reason}. Nothing was recorded; "
            "free space or call support."
        )
        self.what = what
        self.reason = reason


class RollbackDetectedError(StoreError):
    """The database is older than what this device already validated."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"The database {path} is older than the sales this till already validated "
            f"({detail}). No new sale can be recorded until the missing records are "
            "recovered from the relay; call support."
        )
        self.path = path
        self.detail = detail


class TillIdInUseError(StoreError):
    """This device already recorded journal records under its till id; it cannot change."""

    def __init__(self, till_id: str) -> None:
        super().__init__(
            f"This device already recorded sales as till {till_id}; it cannot become another "
            "till. Log in with that till's licence, or call support."
        )
        self.till_id = till_id
