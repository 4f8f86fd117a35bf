"""Verified journal records, stored exactly once, and the sale facts statistics read.

The primary key (till, chain, seq) makes a record impossible to store twice,
whichever connection or process receives it first. Sales and refunds are also
materialized into the ``sale_*_facts`` tables and added to the daily summaries
(:mod:`relay_server.storage.summaries`) in the same transaction, so the owner's
statistics over any period read a few rows per day, not every sale. Days and
hours are the shop's local time (its time zone when the record was stored: a
record keeps the day it was counted in).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from crdt_models.journal import ChainHead, Record, net_payments
from crdt_models.journal.record import GENESIS_HASH
from relay_server.storage.schema import (
    JournalRow,
    SaleFact,
    SaleLineFact,
    SalePaymentFact,
    SaleVatFact,
)
from relay_server.storage.summaries import DaySummaries, period_stats

__all__ = ["FACT_KINDS", "JournalStore"]

#: Record kinds whose amounts count in the statistics.
FACT_KINDS = frozenset({"sale", "refund"})
REFUND = "refund"


def _facts(shop_id: str, record: Record, zone: dt.tzinfo) -> list[Any]:
    """The fact rows of a sale or refund, its :class:`SaleFact` first (refunds negative)."""
    body = record.body
    when = dt.datetime.fromtimestamp(record.ts, zone)
    sign = -1 if record.kind == REFUND else 1
    key = {"till_id": record.till_id, "seq": record.seq}
    rows: list[Any] = [
        SaleFact(
            **key,
            shop_id=shop_id,
            day=when.date().isoformat(),
            hour=when.hour,
            total_cents=int(body["total"]),
        )
    ]
    # What each method kept: cash tendered less the change given back.
    for i, (method, amount) in enumerate(sorted(net_payments(body).items())):
        rows.append(SalePaymentFact(**key, position=i, method=method, amount_cents=amount))
    for vat in body.get("vat", []):
        rows.append(
            SaleVatFact(
                **key, rate_bp=vat["rate_bp"], gross_cents=vat["gross"], vat_cents=vat["vat"]
            )
        )
    for i, line in enumerate(body.get("lines", [])):
        rows.append(
            SaleLineFact(
                **key,
                position=i,
                product_id=line["product"],
                name=line["label"],
                quantity=sign * line["qty"],
                amount_cents=line["total"],
            )
        )
    return rows


def rows_of(shop_id: str, record: Record, zone: dt.tzinfo) -> list[Any]:
    """The record's row, then its fact rows (days and hours in ``zone``)."""
    rows: list[Any] = [
        JournalRow(
            till_id=record.till_id,
            chain=record.chain,
            seq=record.seq,
            shop_id=shop_id,
            kind=record.kind,
            ts=record.ts,
            hash=record.hash,
            line=record.to_json_line(),
        )
    ]
    if record.kind in FACT_KINDS:
        rows.extend(_facts(shop_id, record, zone))
    return rows


def summaries_of(records: list[Record], rows: list[list[Any]]) -> DaySummaries:
    """What the records (and their :func:`rows_of`, in the same order) add to the summaries."""
    summaries = DaySummaries()
    for record, record_rows in zip(records, rows, strict=True):
        if record.kind in FACT_KINDS:
            summaries.add(record_rows[1:], refund=record.kind == REFUND)
    return summaries


class JournalStore:
    """Repository of the ``journal_records`` table and the sale fact tables."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def head(self, till_id: str, chain: str) -> ChainHead:
        """Where the stored chain stands (genesis if empty). Records are stored gap-free."""
        with self._sessions() as session:
            row = session.execute(
                select(JournalRow.seq, JournalRow.hash)
                .where(JournalRow.till_id == till_id, JournalRow.chain == chain)
                .order_by(JournalRow.seq.desc())
                .limit(1)
            ).first()
        if row is None:
            return ChainHead(till_id, chain, 0, GENESIS_HASH)
        return ChainHead(till_id, chain, row.seq, row.hash)

    def stored_line(self, till_id: str, chain: str, seq: int) -> bytes | None:
        """The stored record at this place (its JSON line), if any."""
        with self._sessions() as session:
            return session.scalar(
                select(JournalRow.line).where(
                    JournalRow.till_id == till_id, JournalRow.chain == chain, JournalRow.seq == seq
                )
            )

    def insert(self, shop_id: str, record: Record, zone: dt.tzinfo) -> bool:
        """Store a verified record (and its facts); False if that place was already taken."""
        return self.insert_many(shop_id, [record], zone)

    def insert_many(self, shop_id: str, records: list[Record], zone: dt.tzinfo) -> bool:
        """Store verified records, their facts and summaries in one transaction; False
        (nothing stored) if any of their places was already taken. Days and hours
        are counted in ``zone``, the shop's time zone."""
        if not records:
            return True
        rows = [rows_of(shop_id, record, zone) for record in records]
        try:
            with self._sessions.begin() as session:
                session.add_all([record_rows[0] for record_rows in rows])
                session.flush()  # the records before the facts that refer to them
                session.add_all([fact for record_rows in rows for fact in record_rows[1:]])
                session.flush()
                summaries_of(records, rows).store(session)
        except IntegrityError:
            return False
        return True

    def heads(self, shop_id: str) -> list[tuple[str, str, int]]:
        """(till id, chain, highest seq) of every chain of the shop the relay holds."""
        with self._sessions() as session:
            rows = session.execute(
                select(JournalRow.till_id, JournalRow.chain, func.max(JournalRow.seq))
                .where(JournalRow.shop_id == shop_id)
                .group_by(JournalRow.till_id, JournalRow.chain)
                .order_by(JournalRow.till_id, JournalRow.chain)
            ).all()
        return [(r[0], r[1], int(r[2])) for r in rows]

    def records_after(self, till_id: str, chain: str, seq: int, limit: int) -> list[bytes]:
        """Up to ``limit`` stored records after ``seq``, as JSON lines, oldest first."""
        with self._sessions() as session:
            return list(
                session.scalars(
                    select(JournalRow.line)
                    .where(
                        JournalRow.till_id == till_id,
                        JournalRow.chain == chain,
                        JournalRow.seq > seq,
                    )
                    .order_by(JournalRow.seq)
                    .limit(limit)
                )
            )

    def count(self, till_id: str, chain: str) -> int:
        """How many records of this chain are stored."""
        with self._sessions() as session:
            n = session.scalar(
                select(func.count())
                .select_from(JournalRow)
                .where(JournalRow.till_id == till_id, JournalRow.chain == chain)
            )
            return int(n or 0)

    def stats(
        self, shop_id: str, first_day: str, last_day: str, top: int | None = None
    ) -> dict[str, Any]:
        """Revenue of the shop from ``first_day`` to ``last_day`` (ISO dates, inclusive),
        from the daily summaries.

        Amounts in cents (refunds count negative): ``total``, ``count`` (records:
        sales and refunds), ``refunds`` (among them), ``by_day`` (ISO date ->
        total, days with records only), ``by_hour`` (``"0"``..``"23"``, local
        hours summed over the period), ``by_till`` (till id -> {number, name,
        total}), ``by_method`` (what each method kept), ``by_vat`` (rate in basis
        points -> {gross, vat}), ``by_product`` (product id -> {name, quantity in
        milli-units, refunds negative, total}; with ``top``, only the ``top`` products
        of the highest total, ties by name).
        """
        with self._sessions() as session:
            return period_stats(session, shop_id, first_day, last_day, top)
