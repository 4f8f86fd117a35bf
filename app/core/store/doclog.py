"""Each shared document's update log: append, load (snapshot + tail), compact.

A document is stored as a snapshot (all updates up to ``last_update_id``
merged into one) plus the updates appended after it. :func:`compact` folds
the tail into the snapshot with ``pycrdt.merge_updates`` and deletes the
folded rows in the caller's single transaction: a crash at any point leaves
either the old snapshot and the whole tail, or the new snapshot and the rest
of the tail. Loading applies the snapshot then the tail, so both read the
same document.

Functions take an open :class:`~sqlalchemy.orm.Session`; the caller owns the
transaction (see :class:`app.core.store.DeviceStore`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from pycrdt import Doc, merge_updates
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.core.store.models import DocSnapshot, DocUpdate

__all__ = ["append_update", "compact", "doc_names", "load_doc", "read_updates", "update_count"]

logger = logging.getLogger(__name__)


def append_update(session: Session, doc: str, update: bytes) -> None:
    """Add one pycrdt update to ``doc``'s log."""
    session.add(DocUpdate(doc=doc, update=update))


def read_updates(session: Session, doc: str) -> list[bytes]:
    """The snapshot (if any) followed by the updates appended after it."""
    snapshot = session.get(DocSnapshot, doc)
    after = -1 if snapshot is None else snapshot.last_update_id
    tail = session.scalars(
        select(DocUpdate.update)
        .where(DocUpdate.doc == doc, DocUpdate.id > after)
        .order_by(DocUpdate.id)
    ).all()
    head = [] if snapshot is None else [bytes(snapshot.state)]
    return head + [bytes(update) for update in tail]


def load_doc(session: Session, doc: str, into: Doc[Any] | None = None) -> Doc[Any]:
    """``doc`` rebuilt from its snapshot and log tail (into ``into`` if given).

    An update that pycrdt rejects is logged and skipped, so one bad row never
    stops the till from starting.
    """
    target = Doc() if into is None else into
    for update in read_updates(session, doc):
        _apply(target, doc, update)
    return target


def _apply(target: Doc[Any], doc: str, update: bytes) -> None:
    try:
        target.apply_update(update)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # pyo3 PanicException derives from BaseException
        logger.exception("skipping an unreadable stored update of document %r", doc)


def compact(session: Session, doc: str) -> int:
    """Fold ``doc``'s log tail into its snapshot; returns how many updates were folded."""
    snapshot = session.get(DocSnapshot, doc)
    after = -1 if snapshot is None else snapshot.last_update_id
    rows = session.execute(
        select(DocUpdate.id, DocUpdate.update)
        .where(DocUpdate.doc == doc, DocUpdate.id > after)
        .order_by(DocUpdate.id)
    ).all()
    if not rows:
        return 0
    parts = ([] if snapshot is None else [bytes(snapshot.state)]) + [bytes(r[1]) for r in rows]
    merged = merge_updates(*parts)
    last_id = rows[-1][0]
    if snapshot is None:
        session.add(DocSnapshot(doc=doc, state=merged, last_update_id=last_id))
    else:
        snapshot.state = merged
        snapshot.last_update_id = last_id
    session.flush()
    session.execute(delete(DocUpdate).where(DocUpdate.doc == doc, DocUpdate.id <= last_id))
    return len(rows)


def doc_names(session: Session) -> list[str]:
    """Every document that has a snapshot or logged updates, sorted."""
    names: Iterable[str] = session.scalars(
        select(DocUpdate.doc).distinct().union(select(DocSnapshot.doc))
    ).all()
    return sorted(set(names))


def update_count(session: Session, doc: str) -> int:
    """How many updates wait in ``doc``'s tail (to decide when to compact)."""
    return (
        session.scalar(select(func.count()).select_from(DocUpdate).where(DocUpdate.doc == doc)) or 0
    )
