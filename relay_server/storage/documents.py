"""The per-shop document update log: append, load, compact.

Every accepted Yjs update of a shared document is appended as one row; a
room loads a document by applying its rows in order. :meth:`Documents.compact`
replaces the rows present at that moment with one ``pycrdt.merge_updates`` of
them, in one transaction, so an update appended concurrently (another relay
process) is never lost.
"""

from __future__ import annotations

import logging

import pycrdt
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from relay_server.storage.schema import DocUpdate

__all__ = ["DOC_NAMES", "Documents"]

logger = logging.getLogger(__name__)

DOC_NAMES = ("catalogue", "customers", "settings", "inventory")


class Documents:
    """Repository of the ``doc_updates`` table."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def append(self, shop_id: str, doc: str, update: bytes) -> None:
        """Append one update (already validated by the caller)."""
        with self._sessions.begin() as session:
            session.add(DocUpdate(shop_id=shop_id, doc=doc, data=update))

    def load(self, shop_id: str, doc: str) -> list[bytes]:
        """Every stored update of the document, oldest first."""
        with self._sessions() as session:
            rows = session.scalars(
                select(DocUpdate.data)
                .where(DocUpdate.shop_id == shop_id, DocUpdate.doc == doc)
                .order_by(DocUpdate.id)
            )
            return list(rows)

    def count(self, shop_id: str, doc: str) -> int:
        """How many update rows the document has (compaction makes it 1)."""
        with self._sessions() as session:
            n = session.scalar(
                select(func.count())
                .select_from(DocUpdate)
                .where(DocUpdate.shop_id == shop_id, DocUpdate.doc == doc)
            )
            return int(n or 0)

    def compact(self, shop_id: str, doc: str) -> int:
        """Merge the document's rows into one; return how many rows were merged."""
        with self._sessions.begin() as session:
            rows = session.execute(
                select(DocUpdate.id, DocUpdate.data)
                .where(DocUpdate.shop_id == shop_id, DocUpdate.doc == doc)
                .order_by(DocUpdate.id)
            ).all()
            if len(rows) < 2:
                return len(rows)
            merged = pycrdt.merge_updates(*(row.data for row in rows))
            ids = [row.id for row in rows]
            session.execute(delete(DocUpdate).where(DocUpdate.id.in_(ids)))
            session.add(DocUpdate(shop_id=shop_id, doc=doc, data=merged))
        logger.debug("compacted %d updates of %s/%s", len(rows), shop_id, doc)
        return len(rows)
