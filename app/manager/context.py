"""What every manager page works on: the shop's documents and the device store.

:meth:`ManagerContext.open` opens the device store of a data directory, loads
the four shared documents from it and keeps them durable: every transaction
on a document appends its update to the store. Pages read and write the
documents through their typed classes and refresh from the ``*_feed``
signals (:class:`~app.manager.change_feed.ChangeFeed`), which deliver each
document's change summaries on the GUI thread.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from typing import Any

from pycrdt import Doc, TransactionEvent

from app.core.store import DeviceStore
from app.manager.change_feed import ChangeFeed
from app.qt.i18n import tr
from crdt_models.documents import DOCUMENT_NAMES, ShopDocuments
from crdt_models.journal import Record

__all__ = ["ManagerContext"]

logger = logging.getLogger(__name__)


class ManagerContext:
    """The documents of one shop as this manager holds them, and its store.

    ``clock`` gives unix seconds (tests pass a fixed one). Close it with
    :meth:`close` (it releases the data directory).
    """

    def __init__(
        self,
        store: DeviceStore,
        docs: dict[str, Doc[Any]],
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.clock = clock
        self.shop = ShopDocuments.open(store.identity.device_id, docs)
        self.settings = self.shop.settings
        self.catalogue = self.shop.catalogue
        self.customers = self.shop.customers
        self.inventory = self.shop.inventory
        self.catalogue_feed = ChangeFeed(self.catalogue.tracker)
        self.customers_feed = ChangeFeed(self.customers.tracker)
        self.settings_feed = ChangeFeed(self.settings.tracker)
        self.inventory_feed = ChangeFeed(self.inventory.tracker)
        self._unsubscribe: list[Callable[[], None]] = []
        for name, doc in docs.items():
            self._persist(name, doc)

    @classmethod
    def open(
        cls, data_dir: str | os.PathLike[str], *, clock: Callable[[], float] = time.time
    ) -> ManagerContext:
        """Open the store in ``data_dir`` and load the shop's documents from it."""
        store = DeviceStore.open(data_dir)
        try:
            docs = {name: store.load_doc(name) for name in DOCUMENT_NAMES}
        except BaseException:
            store.close()
            raise
        return cls(store, docs, clock=clock)

    @property
    def device_id(self) -> str:
        """This manager's device id (its key in the inventory counters)."""
        return self.store.identity.device_id

    def _persist(self, name: str, doc: Doc[Any]) -> None:
        def save(event: TransactionEvent) -> None:
            self.store.append_update(name, event.update)

        subscription = doc.observe(save)
        self._unsubscribe.append(lambda: doc.unobserve(subscription))

    def stop_saving(self) -> None:
        """Stop storing the documents' updates here: the sync engine's bridge stores them
        once it is attached (it must be the only one, or updates are stored twice)."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()

    def journal_records(self, start_ts: int, end_ts: int) -> list[Record]:
        """Journal records of every till held locally with ``start_ts <= ts < end_ts``."""
        return self.store.records_between(start_ts, end_ts)

    def latest_record_times(self) -> dict[str, int]:
        """Per till held locally: the time of its latest record (the newest head of its
        chains), read from the heads only, not from the whole journal."""
        latest: dict[str, int] = {}
        for head in self.store.journal_heads():
            record = self.store.record(head.seq, chain=head.chain, till_id=head.till_id)
            if record is not None:
                latest[head.till_id] = max(latest.get(head.till_id, 0), record.ts)
        return latest

    def till_name(self, till_id: str) -> str:
        """A till's name from the settings; "This computer" for this device's own journal;
        otherwise the start of the id (a till the settings do not know)."""
        for till in self.settings.tills(include_archived=True):
            if till.id == till_id:
                return till.name
        if till_id == self.store.identity.till_id:
            return tr("This computer")
        return till_id[:8]

    def customer_records(self, customer_id: str, limit: int) -> list[Record]:
        """The latest sales and refunds naming ``customer_id`` held locally, newest first."""
        records = self.store.records_between(0, int(self.clock()) + 1)
        mine = [
            r
            for r in records
            if r.kind in ("sale", "refund") and r.body.get("customer") == customer_id
        ]
        return sorted(mine, key=lambda r: r.ts, reverse=True)[:limit]

    def close(self) -> None:
        """Stop saving and release the store; safe to call twice."""
        for feed in (
            self.catalogue_feed,
            self.customers_feed,
            self.settings_feed,
            self.inventory_feed,
        ):
            feed.close()
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        self.store.close()
