"""Merging two customer files that are the same person (no Qt).

The documents have no merge operation, so it is built here on their public
writes: the kept customer gets the duplicate's loyalty points and account
balance (counters of the inventory document: the duplicate's counters go to
zero through this device's own contribution, the kept one's grow by as
much), its empty fields are filled from the duplicate's, and the duplicate
is archived (never deleted: past sales still name it).

The customers and inventory documents are separate, so the merge is two
transactions: counters first, then the customer file. If the second one
failed the points would already be on the kept customer, never lost.
"""

from __future__ import annotations

from dataclasses import dataclass

from crdt_models.documents import EntryKind, ShopDocuments
from crdt_models.errors import ValidationError

__all__ = ["MergeResult", "merge_customers"]

_FIELDS = ("first_name", "last_name", "email", "phone", "address", "notes")


@dataclass(frozen=True, slots=True)
class MergeResult:
    """What moved from the duplicate to the kept customer."""

    loyalty: int
    balance: int
    filled: tuple[str, ...]


def merge_customers(shop: ShopDocuments, keep: str, duplicate: str) -> MergeResult:
    """Fold customer ``duplicate`` into ``keep`` and archive ``duplicate``."""
    if keep == duplicate:
        raise ValidationError("duplicate", "merge.same", "choose two different customers")
    kept = shop.customers.customer(keep)
    dup = shop.customers.customer(duplicate)
    if kept.archived or dup.archived:
        raise ValidationError("duplicate", "merge.archived", "merge only active customers")
    inventory = shop.inventory
    moved = {}
    for kind in (EntryKind.LOYALTY, EntryKind.BALANCE):
        amount = inventory.value(kind, duplicate)
        moved[kind] = amount
        if amount:
            inventory.add(kind, keep, amount)
            inventory.add(kind, duplicate, -amount)
    filled = {
        name: getattr(dup, name)
        for name in _FIELDS
        if not getattr(kept, name) and getattr(dup, name)
    }
    if kept.notes and dup.notes and dup.notes not in kept.notes:
        filled["notes"] = f"{kept.notes}\n{dup.notes}"
    if filled:
        shop.customers.update_customer(keep, **filled)
    shop.customers.archive_customer(duplicate)
    return MergeResult(
        loyalty=moved[EntryKind.LOYALTY],
        balance=moved[EntryKind.BALANCE],
        filled=tuple(sorted(filled)),
    )
