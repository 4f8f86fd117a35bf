"""The four documents of one shop, opened together for one device."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pycrdt import Doc

from crdt_models.documents.catalogue import CatalogueDocument
from crdt_models.documents.changes import ChangeSummary
from crdt_models.documents.conflicts import Conflict, find_conflicts
from crdt_models.documents.customers import CustomersDocument
from crdt_models.documents.inventory import InventoryDocument
from crdt_models.documents.schema import CATALOGUE, CUSTOMERS, DOCUMENT_NAMES, INVENTORY, SETTINGS
from crdt_models.documents.settings import SettingsDocument

__all__ = ["ShopDocuments"]


@dataclass(frozen=True, slots=True)
class ShopDocuments:
    """A shop's settings, catalogue, customers and inventory as one device sees them.

    Open it once per device with :meth:`open`; hand :attr:`docs` (name -> pycrdt
    Doc) to the store and the sync engine, and use the typed documents for
    everything else.
    """

    settings: SettingsDocument
    catalogue: CatalogueDocument
    customers: CustomersDocument
    inventory: InventoryDocument

    @classmethod
    def open(cls, device_id: str, docs: Mapping[str, Doc[Any]] | None = None) -> ShopDocuments:
        """Wrap the given pycrdt Docs (by document name), or fresh empty ones.

        Load stored state into the Docs *before* opening them (or right after,
        with the STORAGE origin): the inventory reads this device's own
        contributions when it opens.
        """
        docs = dict(docs or {})
        unknown = set(docs) - set(DOCUMENT_NAMES)
        if unknown:
            raise ValueError(f"unknown documents: {sorted(unknown)}")
        settings = SettingsDocument(docs.get(SETTINGS))
        return cls(
            settings=settings,
            catalogue=CatalogueDocument(docs.get(CATALOGUE), settings=settings),
            customers=CustomersDocument(docs.get(CUSTOMERS)),
            inventory=InventoryDocument(docs.get(INVENTORY), device_id=device_id),
        )

    @property
    def docs(self) -> dict[str, Doc[Any]]:
        """The live pycrdt Docs by document name (what the sync protocol names)."""
        return {
            SETTINGS: self.settings.doc,
            CATALOGUE: self.catalogue.doc,
            CUSTOMERS: self.customers.doc,
            INVENTORY: self.inventory.doc,
        }

    def settle(self, doc_name: str) -> ChangeSummary:
        """Mend what merging a peer's update into ``doc_name`` can lose; call it after
        each remote update is applied, outside that update's transaction.

        Two devices creating the same counter entry at once each write a nested
        Map there, and Yjs keeps one: the other device's contribution vanishes.
        This device writes its own lost contributions back (a local change, to
        be synced like any other). Nothing to do for the other documents.
        """
        if doc_name == INVENTORY and self.inventory.needs_repair:
            return self.inventory.repair()
        return ChangeSummary()

    def conflicts(self) -> list[Conflict]:
        """Every conflict to show the owner (see :mod:`crdt_models.documents.conflicts`)."""
        return find_conflicts(self.catalogue, self.customers)
