"""Change summaries: which entries a transaction added, changed, archived or restored.

A summary is always derived from the CRDT's own events, so a local write and a
peer's update are described the same way. Every mutation of the document
classes returns the summary of its transaction; :meth:`ChangeTracker.subscribe`
delivers one summary per transaction, whatever its origin, to views that must
refresh when a peer's update lands.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple

from pycrdt import Doc, Map

from crdt_models.documents.origin import Origin
from crdt_models.documents.schema import EntryKind, RootShape, RootSpec

__all__ = ["ChangeSummary", "ChangeTracker", "EntryRef", "Unsubscribe"]

logger = logging.getLogger(__name__)

Unsubscribe = Callable[[], None]


class EntryRef(NamedTuple):
    """One entry of one kind (for the ``shop`` fields: kind SHOP, id ``"shop"``)."""

    kind: EntryKind
    entry_id: str


_EMPTY: frozenset[EntryRef] = frozenset()


def _ids(refs: frozenset[EntryRef], kind: EntryKind) -> frozenset[str]:
    return frozenset(ref.entry_id for ref in refs if ref.kind is kind)


@dataclass(frozen=True, slots=True)
class ChangeSummary:
    """What one transaction (or several, merged with ``|``) did to the entries.

    ``added``: entries that appeared. ``changed``: entries some field of which
    changed (not listed when they are also in ``added``). ``archived`` /
    ``restored``: entries whose ``archived`` flag was set / cleared; they are
    in ``changed`` as well. ``replaced`` (a subset of ``changed``): entries whose
    whole Map was swapped, which only happens when two peers created the same
    id concurrently. ``origin`` is the transaction's :class:`Origin` (None when
    it had another kind of origin, none, or when merging summaries of different
    origins); ``raw_origin`` is the transaction's origin object whatever its
    type, e.g. the sync session's ``PeerOrigin`` that applied a peer's update.
    ``incomplete`` means some event could not be understood (a client wrote
    something outside the schema): re-read everything of the document.
    """

    origin: Origin | None = None
    added: frozenset[EntryRef] = _EMPTY
    changed: frozenset[EntryRef] = _EMPTY
    archived: frozenset[EntryRef] = _EMPTY
    restored: frozenset[EntryRef] = _EMPTY
    replaced: frozenset[EntryRef] = _EMPTY
    raw_origin: object = None
    incomplete: bool = False

    @property
    def is_local(self) -> bool:
        """True for a change made on this device through the document classes."""
        return self.origin is not None and self.origin.is_local

    @property
    def is_empty(self) -> bool:
        """True when nothing changed."""
        return not (self.added or self.changed or self.incomplete)

    def touches(self, kind: EntryKind) -> bool:
        """True when any entry of ``kind`` was added or changed."""
        return self.incomplete or any(ref.kind is kind for ref in self.added | self.changed)

    def ids(self, kind: EntryKind) -> frozenset[str]:
        """Every id of ``kind`` that a view showing ``kind`` must re-read."""
        return _ids(self.added | self.changed, kind)

    def added_ids(self, kind: EntryKind) -> frozenset[str]:
        """Ids of ``kind`` that appeared."""
        return _ids(self.added, kind)

    def changed_ids(self, kind: EntryKind) -> frozenset[str]:
        """Ids of ``kind`` that already existed and changed."""
        return _ids(self.changed, kind)

    def archived_ids(self, kind: EntryKind) -> frozenset[str]:
        """Ids of ``kind`` that were archived."""
        return _ids(self.archived, kind)

    def restored_ids(self, kind: EntryKind) -> frozenset[str]:
        """Ids of ``kind`` that were restored."""
        return _ids(self.restored, kind)

    def __or__(self, other: ChangeSummary) -> ChangeSummary:
        added = self.added | other.added
        return ChangeSummary(
            origin=self.origin if self.origin == other.origin else None,
            added=added,
            changed=(self.changed | other.changed) - added,
            archived=(self.archived - other.restored) | other.archived,
            restored=(self.restored - other.archived) | other.restored,
            replaced=self.replaced | other.replaced,
            raw_origin=self.raw_origin if self.raw_origin == other.raw_origin else None,
            incomplete=self.incomplete or other.incomplete,
        )


@dataclass
class _Pending:
    raw_origin: object = None
    incomplete: bool = False
    added: set[EntryRef] = field(default_factory=set)
    changed: set[EntryRef] = field(default_factory=set)
    archived: set[EntryRef] = field(default_factory=set)
    restored: set[EntryRef] = field(default_factory=set)
    replaced: set[EntryRef] = field(default_factory=set)
    #: Values the events say were overwritten or removed (one deleted item each).
    explained_deletions: int = 0

    def freeze(self) -> ChangeSummary:
        origin = self.raw_origin if isinstance(self.raw_origin, Origin) else None
        return ChangeSummary(
            origin=origin,
            raw_origin=self.raw_origin,
            added=frozenset(self.added),
            changed=frozenset(self.changed - self.added),
            archived=frozenset(self.archived),
            restored=frozenset(self.restored),
            replaced=frozenset(self.replaced - self.added),
            incomplete=self.incomplete,
        )


class ChangeTracker:
    """Turns the pycrdt events of one document into one :class:`ChangeSummary` per transaction.

    Made by each document class; reach it as ``document.tracker``. ``last`` is
    the summary of the latest transaction.
    """

    def __init__(self, doc: Doc[Any], roots: Iterable[RootSpec]) -> None:
        self._pending: _Pending | None = None
        self._listeners: list[Callable[[ChangeSummary], None]] = []
        self.last = ChangeSummary()
        # pycrdt drops a subscription with the Map object that made it: keep them alive.
        self._maps: list[Map[Any]] = []
        for spec in roots:
            root = doc.get(spec.name, type=Map)
            root.observe_deep(partial(self._on_events, spec))
            self._maps.append(root)
        doc.observe(self._on_transaction)

    def subscribe(self, listener: Callable[[ChangeSummary], None]) -> Unsubscribe:
        """Call ``listener`` after every transaction that changed an entry.

        The listener runs inside pycrdt's commit: it must not write to the
        document (schedule the write instead). Returns a function that
        unsubscribes.
        """
        self._listeners.append(listener)
        return partial(self._listeners.remove, listener)

    def reset(self) -> None:
        """Forget ``last``; the document classes call it before each write."""
        self.last = ChangeSummary()

    def _on_events(self, spec: RootSpec, events: list[Any], txn: Any) -> None:
        pending = self._pending
        if pending is None:
            pending = self._pending = _Pending(txn.origin)
        for event in events:
            try:
                self._note(spec, pending, list(event.path), getattr(event, "keys", None))
            except Exception:  # never let bookkeeping break the sync that applied an update
                logger.exception("cannot summarise a change to %r; views reload it all", spec.name)
                pending.incomplete = True

    def _note(
        self, spec: RootSpec, pending: _Pending, path: list[Any], keys: dict[str, Any] | None
    ) -> None:
        pending.explained_deletions += sum(
            1 for change in (keys or {}).values() if change.get("action") in ("update", "delete")
        )
        if spec.shape is RootShape.FIELDS:
            pending.changed.add(EntryRef(spec.kind, spec.name))
        elif not path:
            for key, change in (keys or {}).items():
                ref = EntryRef(spec.kind, key)
                if change.get("action") == "add":
                    pending.added.add(ref)
                else:
                    pending.changed.add(ref)
                    pending.replaced.add(ref)
        else:
            ref = EntryRef(spec.kind, str(path[0]))
            pending.changed.add(ref)
            flag = (keys or {}).get("archived") if len(path) == 1 else None
            if spec.shape is RootShape.ENTRIES and flag is not None:
                if flag.get("newValue") is True:
                    pending.archived.add(ref)
                elif flag.get("action") == "update":
                    pending.restored.add(ref)

    def _on_transaction(self, event: Any) -> None:
        pending, self._pending = self._pending, None
        # yrs does not raise events for everything a remote update does: a value
        # deleted by an update whose replacement waits for a missing update, and
        # that replacement when it is finally integrated, change the document
        # silently (found by the convergence property test). A transaction that
        # deleted more than its events account for, or advanced the state with
        # no event, is reported as incomplete: readers then reload everything.
        deleted = _deleted_count(event.delete_set)
        if pending is None:
            if deleted == 0 and event.before_state == event.after_state:
                return
            pending = _Pending(event.transaction.origin, incomplete=True)
        elif deleted > pending.explained_deletions:
            pending.incomplete = True
        summary = pending.freeze()
        self.last = summary
        for listener in list(self._listeners):
            try:
                listener(summary)
            except Exception:  # a broken view must not break the sync that fed it
                logger.exception("change listener %r failed", listener)


def _read_var_uint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def _deleted_count(delete_set: bytes) -> int:
    """How many items a transaction's (v1-encoded, yrs-made) delete set names."""
    total = 0
    clients, pos = _read_var_uint(delete_set, 0)
    for _ in range(clients):
        _client, pos = _read_var_uint(delete_set, pos)
        ranges, pos = _read_var_uint(delete_set, pos)
        for _ in range(ranges):
            _clock, pos = _read_var_uint(delete_set, pos)
            length, pos = _read_var_uint(delete_set, pos)
            total += length
    return total
