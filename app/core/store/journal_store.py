"""Journal records in SQLite: insert, heads, reads by position, day and kind, export.

Each row keeps the record's canonical JSON line (the bytes that were hashed
and signed, so an export is byte-exact) plus the columns queries need
(till, chain, seq, kind, ts, hash). (till_id, chain, seq) and hash are
unique, so a record is stored exactly once however often it arrives.

Functions take an open :class:`~sqlalchemy.orm.Session`; the caller owns the
transaction. Building records (hashing, signing) is ``crdt_models.journal``'s
job, never this module's.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import BinaryIO

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session

from app.core.store.models import JournalRecordRow
from crdt_models.journal import SALES, ChainHead, Record

__all__ = [
    "export_lines",
    "insert_record",
    "iter_records",
    "purge_acknowledged",
    "record_at",
    "records_between",
    "stored_head",
    "stored_heads",
]


def insert_record(session: Session, record: Record) -> None:
    """Add ``record`` (its canonical line and query columns) to the transaction."""
    session.add(
        JournalRecordRow(
            till_id=record.till_id,
            chain=record.chain,
            seq=record.seq,
            kind=record.kind,
            ts=record.ts,
            hash=record.hash,
            line=record.to_json_line(),
        )
    )


def stored_head(session: Session, till_id: str, chain: str) -> ChainHead:
    """The last stored record of (till_id, chain) as a head; genesis when there is none."""
    row = session.execute(
        select(JournalRecordRow.seq, JournalRecordRow.hash)
        .where(JournalRecordRow.till_id == till_id, JournalRecordRow.chain == chain)
        .order_by(JournalRecordRow.seq.desc())
        .limit(1)
    ).first()
    if row is None:
        return ChainHead.genesis(till_id, chain)
    return ChainHead(till_id=till_id, chain=chain, seq=row.seq, hash=row.hash)


def stored_heads(session: Session) -> list[ChainHead]:
    """The head of every (till, chain) held, this till's and the ones carried for others."""
    last = (
        select(
            JournalRecordRow.till_id,
            JournalRecordRow.chain,
            func.max(JournalRecordRow.seq).label("seq"),
        )
        .group_by(JournalRecordRow.till_id, JournalRecordRow.chain)
        .subquery()
    )
    rows = session.execute(
        select(JournalRecordRow.till_id, JournalRecordRow.chain, last.c.seq, JournalRecordRow.hash)
        .join(
            last,
            (JournalRecordRow.till_id == last.c.till_id)
            & (JournalRecordRow.chain == last.c.chain)
            & (JournalRecordRow.seq == last.c.seq),
        )
        .order_by(JournalRecordRow.till_id, JournalRecordRow.chain)
    )
    return [ChainHead(till_id=t, chain=c, seq=s, hash=h) for t, c, s, h in rows]


def record_at(session: Session, till_id: str, chain: str, seq: int) -> Record | None:
    """The record at one position (a ticket number on the sales chain), or None."""
    line = session.scalar(
        select(JournalRecordRow.line).where(
            JournalRecordRow.till_id == till_id,
            JournalRecordRow.chain == chain,
            JournalRecordRow.seq == seq,
        )
    )
    return None if line is None else Record.from_json_line(bytes(line))


def _lines(session: Session, stmt: Select[tuple[bytes]]) -> Iterator[bytes]:
    for line in session.scalars(stmt.execution_options(yield_per=500)):
        yield bytes(line)


def iter_records(
    session: Session, till_id: str, chain: str, *, after_seq: int = 0, limit: int | None = None
) -> Iterator[Record]:
    """Records of (till_id, chain) with seq > ``after_seq``, in order."""
    stmt = (
        select(JournalRecordRow.line)
        .where(
            JournalRecordRow.till_id == till_id,
            JournalRecordRow.chain == chain,
            JournalRecordRow.seq > after_seq,
        )
        .order_by(JournalRecordRow.seq)
        .limit(limit)
    )
    for line in _lines(session, stmt):
        yield Record.from_json_line(line)


def records_between(
    session: Session,
    start_ts: int,
    end_ts: int,
    *,
    till_id: str | None = None,
    kind: str | None = None,
) -> list[Record]:
    """Records with ``start_ts <= ts < end_ts`` (a business day), optionally one till/kind.

    The caller turns a shop's calendar day into timestamps (it knows the
    shop's time zone); ordered by till, chain and seq.
    """
    stmt = select(JournalRecordRow.line).where(
        JournalRecordRow.ts >= start_ts, JournalRecordRow.ts < end_ts
    )
    if till_id is not None:
        stmt = stmt.where(JournalRecordRow.till_id == till_id)
    if kind is not None:
        stmt = stmt.where(JournalRecordRow.kind == kind)
    stmt = stmt.order_by(JournalRecordRow.till_id, JournalRecordRow.chain, JournalRecordRow.seq)
    return [Record.from_json_line(line) for line in _lines(session, stmt)]


def export_lines(session: Session, till_id: str, chain: str, out: BinaryIO) -> int:
    """Write one chain of a till's journal as JSON Lines to ``out``; returns how many.

    Each line is the record's stored canonical encoding (the bytes that were
    hashed and signed) followed by ``\\n``, in seq order: the format
    ``crdt_models.journal.verify_jsonl`` checks.
    """
    stmt = (
        select(JournalRecordRow.line)
        .where(JournalRecordRow.till_id == till_id, JournalRecordRow.chain == chain)
        .order_by(JournalRecordRow.seq)
    )
    count = 0
    for line in _lines(session, stmt):
        out.write(line + b"\n")
        count += 1
    return count


def _last_day_closing(session: Session, till_id: str) -> int:
    """The seq of (till_id, sales)'s last day closing, 0 if it has none."""
    stmt = (
        select(JournalRecordRow.line)
        .where(
            JournalRecordRow.till_id == till_id,
            JournalRecordRow.chain == SALES,
            JournalRecordRow.kind == "closing",
        )
        .order_by(JournalRecordRow.seq.desc())
    )
    for line in _lines(session, stmt):
        record = Record.from_json_line(line)
        if record.body["period"] == "day":
            return record.seq
    return 0


def purge_acknowledged(
    session: Session, acks: Mapping[tuple[str, str], int], before_ts: int
) -> int:
    """Delete records a peer acknowledged (``acks``: (till, chain) -> highest seq it
    holds) and stamped before ``before_ts``; returns how many went.

    Kept whatever their age: anything not acknowledged; each chain's head (what the
    next record links to, and what a heads exchange announces); on a sales chain
    every closing and every record after the last day closing (the next closings
    are computed from them).
    """
    removed = 0
    for (till_id, chain), acked in sorted(acks.items()):
        head = stored_head(session, till_id, chain).seq
        bound = min(acked, head - 1)
        where = [
            JournalRecordRow.till_id == till_id,
            JournalRecordRow.chain == chain,
            JournalRecordRow.ts < before_ts,
        ]
        if chain == SALES:
            bound = min(bound, _last_day_closing(session, till_id) - 1)
            where.append(JournalRecordRow.kind != "closing")
        if bound < 1:
            continue
        result = session.execute(
            delete(JournalRecordRow).where(*where, JournalRecordRow.seq <= bound)
        )
        removed += result.rowcount  # type: ignore[attr-defined]
    return removed
