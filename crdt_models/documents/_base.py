"""Plumbing shared by the document classes: cached entry tables and typed writes."""

from __future__ import annotations

import enum
import json
import logging
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final, Generic, Literal, TypeVar

from pycrdt import Doc, Map

from crdt_models.documents.changes import ChangeSummary, ChangeTracker
from crdt_models.documents.origin import Origin
from crdt_models.documents.reading import Raw, entry_fields
from crdt_models.documents.schema import EntryKind, RootShape, RootSpec, roots_of
from crdt_models.errors import NotFoundError, ValidationError
from crdt_models.gc_pause import paused_gc
from crdt_models.ids import new_id

__all__ = ["UNSET", "Created", "DocumentBase", "EntryTable", "Unset"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: Past this many changed entries, re-reading the whole root in one JSON pass is faster.
_FULL_RELOAD = 2000


class Unset(enum.Enum):
    """The type of :data:`UNSET`: "leave this field as it is" in update methods."""

    UNSET = enum.auto()


UNSET: Final = Unset.UNSET


@dataclass(frozen=True, slots=True)
class Created:
    """What a ``create_*`` method returns: the new entry's id and the change summary."""

    entry_id: str
    changes: ChangeSummary


class EntryTable(Generic[T]):
    """The parsed entries of one root, cached and refreshed only where a change landed.

    The first read parses the whole root in one JSON pass; later reads re-parse
    only the entries that a transaction (local or remote) touched since.
    Entries that do not parse are kept apart in :meth:`malformed`.
    """

    def __init__(
        self,
        root: Map[Any],
        kind: EntryKind,
        parse: Callable[[str, Raw], T],
        tracker: ChangeTracker,
    ) -> None:
        self._root = root
        self._kind = kind
        self._parse = parse
        self._good: dict[str, T] | None = None
        self._bad: dict[str, ValidationError] = {}
        self._dirty: set[str] = set()
        self._hooks: list[Callable[[Mapping[str, T], Collection[str] | None], None]] = []
        tracker.subscribe(self._on_change)

    def on_refresh(self, hook: Callable[[Mapping[str, T], Collection[str] | None], None]) -> None:
        """Call ``hook(entries, changed_ids)`` after each refresh of the cache, to keep a
        derived index up to date; ``changed_ids`` is None after a full reload."""
        self._hooks.append(hook)

    def _on_change(self, summary: ChangeSummary) -> None:
        if summary.incomplete:
            self._good = None  # reload everything on the next read
        elif self._good is not None:
            self._dirty |= summary.ids(self._kind)

    def _store(self, good: dict[str, T], entry_id: str, value: object) -> None:
        """Parse one entry into ``good`` or :attr:`_bad` (neither may hold it yet)."""
        try:
            good[entry_id] = self._parse(entry_id, entry_fields(value))
        except ValidationError as exc:
            logger.debug("%s %s does not parse: %r", self._kind, entry_id, exc)
            self._bad[entry_id] = exc

    def _refresh(self) -> dict[str, T]:
        changed: set[str] | None
        if self._good is None or len(self._dirty) > _FULL_RELOAD:
            self._good, self._bad, self._dirty, changed = {}, {}, set(), None
            with paused_gc():
                for entry_id, value in json.loads(str(self._root)).items():
                    self._store(self._good, entry_id, value)
        elif self._dirty:
            changed, self._dirty = self._dirty, set()
            for entry_id in changed:
                self._good.pop(entry_id, None)
                self._bad.pop(entry_id, None)
                if entry_id in self._root:
                    self._store(self._good, entry_id, self._root[entry_id])
        else:
            return self._good
        for hook in self._hooks:
            hook(self._good, changed)
        return self._good

    def all(self) -> Mapping[str, T]:
        """Every entry that parses, by id (a read-only view; do not keep it across writes)."""
        return MappingProxyType(self._refresh())

    def malformed(self) -> Mapping[str, ValidationError]:
        """Entries that do not parse, by id, with the first problem found."""
        self._refresh()
        return MappingProxyType(self._bad)

    def get(self, entry_id: str) -> T:
        """One entry; NotFoundError if absent, its ValidationError if malformed."""
        good = self._refresh()
        if entry_id in good:
            return good[entry_id]
        if entry_id in self._bad:
            raise self._bad[entry_id]
        raise NotFoundError(self._kind.value, entry_id)


class DocumentBase:
    """A pycrdt Doc seen through the schema of one shop document.

    ``doc`` is the live pycrdt document (give it to the sync and the store);
    ``tracker`` delivers a :class:`ChangeSummary` per transaction.
    """

    document_name: str = ""

    def __init__(self, doc: Doc[Any] | None = None) -> None:
        self.doc: Doc[Any] = Doc() if doc is None else doc
        self._specs: dict[str, RootSpec] = {s.name: s for s in roots_of(self.document_name)}
        self._roots: dict[str, Map[Any]] = {
            name: self.doc.get(name, type=Map) for name in self._specs
        }
        self.tracker = ChangeTracker(self.doc, self._specs.values())

    def _table(self, root: str, parse: Callable[[str, Raw], T]) -> EntryTable[T]:
        spec = self._specs[root]
        assert spec.shape is RootShape.ENTRIES
        return EntryTable(self._roots[root], spec.kind, parse, self.tracker)

    @contextmanager
    def _write(self, origin: Origin) -> Iterator[None]:
        """One transaction with ``origin``; validate everything before entering it
        (pycrdt has no rollback). Not to be nested in a caller's open transaction."""
        self.tracker.reset()
        with self.doc.transaction(origin=origin):
            yield

    def _entry(self, root: str, entry_id: str) -> Map[Any]:
        value = self._roots[root].get(entry_id)
        if value is None:
            raise NotFoundError(self._specs[root].kind.value, entry_id)
        if not isinstance(value, Map):
            raise ValidationError("entry", "entry.type", f"{entry_id} is not a Map of fields")
        return value

    def _create(
        self,
        root: str,
        fields: Mapping[str, object],
        origin: Origin,
        entry_id: str | None = None,
    ) -> Created:
        ids = None if entry_id is None else [entry_id]
        (created,), changes = self._create_many(root, [fields], origin, ids)
        return Created(created, changes)

    def _create_many(
        self,
        root: str,
        rows: Sequence[Mapping[str, object]],
        origin: Origin,
        ids: Sequence[str] | None = None,
    ) -> tuple[list[str], ChangeSummary]:
        return self._write_many(root, rows, {}, origin, ids)

    def _update(
        self,
        root: str,
        entry_id: str,
        fields: Mapping[str, object | Literal[Unset.UNSET]],
        origin: Origin,
    ) -> ChangeSummary:
        return self._update_many(root, {entry_id: fields}, origin)

    def _update_many(
        self,
        root: str,
        updates: Mapping[str, Mapping[str, object | Literal[Unset.UNSET]]],
        origin: Origin,
    ) -> ChangeSummary:
        return self._write_many(root, [], updates, origin)[1]

    def _write_many(
        self,
        root: str,
        rows: Sequence[Mapping[str, object]],
        updates: Mapping[str, Mapping[str, object | Literal[Unset.UNSET]]],
        origin: Origin,
        ids: Sequence[str] | None = None,
    ) -> tuple[list[str], ChangeSummary]:
        """Create ``rows`` and update entries in one transaction; the new ids come back.

        An update writes the fields that are set and differ from the stored value,
        and only those: rewriting an unchanged value would override a peer's
        concurrent edit. Nothing to create or change: no transaction at all.
        """
        ids = [new_id() for _ in rows] if ids is None else list(ids)
        todo: list[tuple[Map[Any], dict[str, object]]] = []
        for entry_id, fields in updates.items():
            entry = self._entry(root, entry_id)
            current = entry.to_py() or {}
            changed = {
                k: v
                for k, v in fields.items()
                if v is not UNSET and (k not in current or _differs(current[k], v))
            }
            if changed:
                todo.append((entry, changed))
        if not rows and not todo:
            return ids, ChangeSummary(origin=origin, raw_origin=origin)
        target = self._roots[root]
        with self._write(origin):
            for entry_id, fields in zip(ids, rows, strict=True):
                target[entry_id] = Map(dict(fields))
            for entry, changed in todo:
                for key, value in changed.items():
                    entry[key] = value
        return ids, self.tracker.last

    def _set_archived(
        self, root: str, entry_id: str, archived: bool, origin: Origin
    ) -> ChangeSummary:
        return self._update(root, entry_id, {"archived": archived}, origin)


def _differs(old: object, new: object) -> bool:
    """Whether writing ``new`` over ``old`` changes anything (1.0 == 1, but True != 1)."""
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is not type(new) or old != new
    return bool(old != new)
