"""The ``inventory`` document: stock, loyalty points and account balances.

Each is a grow-and-shrink counter per entry (product id for ``stock``,
customer id for ``loyalty`` and ``balance``): a nested Map ``device_id -> int``
in which every device writes only its own key, the value being the sum. Two
devices never write the same key, so no increment is ever lost to
last-writer-wins.

One case remains: two devices that both write the *first* contribution to the
same entry concurrently each create the entry's Map, and Yjs keeps only one of
the two. This class remembers what this device contributed (a ledger rebuilt
from the document at start-up) and :meth:`InventoryDocument.repair` writes back
a contribution that a merge dropped. **Call repair() after applying remote
updates** (the sync engine does it after each batch it applies); it costs
nothing unless a merge replaced an entry's Map.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any

from pycrdt import Doc, Map

from crdt_models.documents._base import DocumentBase
from crdt_models.documents.changes import ChangeSummary, EntryRef
from crdt_models.documents.origin import LOCAL, Origin
from crdt_models.documents.schema import INVENTORY, EntryKind
from crdt_models.errors import ValidationError
from crdt_models.money import MAX_CENTS

__all__ = ["COUNTER_ROOTS", "InventoryDocument"]

logger = logging.getLogger(__name__)

#: The counter roots by the kind of entry they count for.
COUNTER_ROOTS: dict[EntryKind, str] = {
    EntryKind.STOCK: "stock",
    EntryKind.LOYALTY: "loyalty",
    EntryKind.BALANCE: "balance",
}


def _number(value: object) -> int:
    """A contribution as stored (int or float); anything else counts as 0."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    if isinstance(value, float) and not value.is_integer():
        return 0
    return int(value)


def _total(value: object) -> int:
    if isinstance(value, Map):
        value = value.to_py()
    if not isinstance(value, dict):
        return 0
    return sum(_number(v) for v in value.values())


class InventoryDocument(DocumentBase):
    """Counters of the ``inventory`` document, as seen and written by device ``device_id``.

    Counters are integers: units for stock, points for loyalty, cents for
    balance. Every write takes an ``origin``, runs in one transaction and
    returns a :class:`ChangeSummary` whose entries are of kind STOCK, LOYALTY
    or BALANCE.
    """

    document_name = INVENTORY

    def __init__(self, doc: Doc[Any] | None = None, *, device_id: str) -> None:
        if not device_id:
            raise ValueError("device_id must not be empty")
        super().__init__(doc)
        self.device_id = device_id
        self._ledger: dict[EntryRef, int] = {}
        self._suspect: set[EntryRef] = set()
        for kind, root in COUNTER_ROOTS.items():
            for entry_id, value in json.loads(str(self._roots[root])).items():
                if isinstance(value, dict) and device_id in value:
                    self._ledger[EntryRef(kind, entry_id)] = _number(value[device_id])
        self.tracker.subscribe(self._on_change)

    def _on_change(self, summary: ChangeSummary) -> None:
        if summary.incomplete:
            self._suspect |= set(self._ledger)
        elif summary.replaced:
            self._suspect |= {ref for ref in summary.replaced if ref in self._ledger}

    # -- reads -------------------------------------------------------------

    def value(self, kind: EntryKind, entry_id: str) -> int:
        """The counter's value: the sum of every device's contribution (0 if none)."""
        return _total(self._roots[COUNTER_ROOTS[kind]].get(entry_id))

    def values(self, kind: EntryKind) -> dict[str, int]:
        """Every counter of ``kind`` by entry id, in one pass (for lists)."""
        raw = json.loads(str(self._roots[COUNTER_ROOTS[kind]]))
        return {entry_id: _total(value) for entry_id, value in raw.items()}

    def contributions(self, kind: EntryKind, entry_id: str) -> dict[str, int]:
        """Each device's contribution to one counter."""
        value = self._roots[COUNTER_ROOTS[kind]].get(entry_id)
        raw = value.to_py() if isinstance(value, Map) else None
        return {k: _number(v) for k, v in (raw or {}).items()}

    @property
    def needs_repair(self) -> bool:
        """True when a merge replaced an entry this device had contributed to."""
        return bool(self._suspect)

    # -- writes ------------------------------------------------------------

    def add(
        self, kind: EntryKind, entry_id: str, delta: int, *, origin: Origin = LOCAL
    ) -> ChangeSummary:
        """Add ``delta`` (may be negative) to a counter, through this device's own key."""
        if isinstance(delta, bool) or not isinstance(delta, int):
            raise ValidationError("delta", "delta.type", "a counter moves by a whole number")
        if not entry_id:
            raise ValidationError("entry", "entry.empty", "a counter needs an entry id")
        ref = EntryRef(kind, entry_id)
        own = self._ledger.get(ref, 0) + delta
        if abs(own) > MAX_CENTS:
            raise ValidationError("delta", "delta.absurd", "the counter would be out of range")
        if delta == 0:
            return ChangeSummary(origin=origin, raw_origin=origin)
        with self._write(origin):
            self._write_own(ref, own)
        self._ledger[ref] = own
        return self.tracker.last

    def repair(self, *, origin: Origin = LOCAL) -> ChangeSummary:
        """Write back this device's contributions that a merge dropped (see the module
        docstring). A no-op returning an empty summary when nothing was lost."""
        return self._reassert(self._suspect, origin)

    def repair_all(self, *, origin: Origin = LOCAL) -> ChangeSummary:
        """Check every contribution this device ever made, not only the suspect ones
        (for a device that was stopped between applying an update and repair())."""
        return self._reassert(list(self._ledger), origin)

    def _reassert(self, refs: Iterable[EntryRef], origin: Origin = LOCAL) -> ChangeSummary:
        lost = {
            ref: self._ledger[ref]
            for ref in refs
            if self.contributions(ref.kind, ref.entry_id).get(self.device_id) != self._ledger[ref]
        }
        self._suspect.clear()
        if not lost:
            return ChangeSummary(origin=origin, raw_origin=origin)
        logger.info("re-writing %d counter contribution(s) dropped by a merge", len(lost))
        with self._write(origin):
            for ref, own in lost.items():
                self._write_own(ref, own)
        return self.tracker.last

    def _write_own(self, ref: EntryRef, own: int) -> None:
        root = self._roots[COUNTER_ROOTS[ref.kind]]
        entry = root.get(ref.entry_id)
        if isinstance(entry, Map):
            entry[self.device_id] = own
        else:
            root[ref.entry_id] = Map({self.device_id: own})
