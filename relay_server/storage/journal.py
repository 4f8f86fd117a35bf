"""Verified journal records, stored exactly once, and the sale facts statistics read.

The primary key (till, chain, seq) makes a record impossible to store twice,
whichever connection or process receives it first. Sales and refunds are also
materialized into the ``sale_*_facts`` tables in the same transaction, so the
owner's statistics are SQL aggregates, not journal scans. Days and hours are UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
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
    Till,
)

__all__ = ["FACT_KINDS", "JournalStore"]

#: Record kinds whose amounts count in the statistics.
FACT_KINDS = frozenset({"sale", "refund"})


def _facts(shop_id: str, record: Record) -> list[Any]:
    body = record.body
    when = dt.datetime.fromtimestamp(record.ts, dt.UTC)
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
                quantity=line["qty"],
                amount_cents=line["total"],
            )
        )
    return rows


def _rows(shop_id: str, record: Record) -> list[Any]:
    """The record's row, then its fact rows."""
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
        rows.extend(_facts(shop_id, record))
    return rows


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

    def insert(self, shop_id: str, record: Record) -> bool:
        """Store a verified record (and its facts); False if that place was already taken."""
        return self.insert_many(shop_id, [record])

    def insert_many(self, shop_id: str, records: list[Record]) -> bool:
        """Store verified records in one transaction; False (nothing stored) if any
        of their places was already taken."""
        if not records:
            return True
        try:
            with self._sessions.begin() as session:
                for record in records:
                    rows = _rows(shop_id, record)
                    session.add(rows[0])
                    session.flush()
                    session.add_all(rows[1:])
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

    def stats(self, shop_id: str, first_day: str, last_day: str) -> dict[str, Any]:
        """Revenue of the shop from ``first_day`` to ``last_day`` (ISO dates, inclusive, UTC).

        Amounts in cents (refunds count negative): ``total``, ``count`` (records),
        ``by_day``, ``by_hour`` (``"0"``..``"23"``), ``by_till`` (till id ->
        {number, name, total}), ``by_method``, ``by_vat`` (rate in basis points
        -> {gross, vat}), ``by_product`` (product id -> {name, quantity in
        milli-units, total}).
        """
        in_range = (
            SaleFact.shop_id == shop_id,
            SaleFact.day >= first_day,
            SaleFact.day <= last_day,
        )
        with self._sessions() as session:

            def grouped(*columns: Any) -> Sequence[Any]:
                return session.execute(select(*columns).where(*in_range).group_by(columns[0])).all()

            total = session.execute(
                select(func.coalesce(func.sum(SaleFact.total_cents), 0), func.count()).where(
                    *in_range
                )
            ).one()
            by_day = grouped(SaleFact.day, func.sum(SaleFact.total_cents))
            by_hour = grouped(SaleFact.hour, func.sum(SaleFact.total_cents))
            by_till = session.execute(
                select(Till.id, Till.number, Till.name, func.sum(SaleFact.total_cents))
                .join(Till, Till.id == SaleFact.till_id)
                .where(*in_range)
                .group_by(Till.id, Till.number, Till.name)
            ).all()

            def facts(table: Any, *columns: Any) -> Sequence[Any]:
                return session.execute(
                    select(*columns)
                    .join(
                        SaleFact, (SaleFact.till_id == table.till_id) & (SaleFact.seq == table.seq)
                    )
                    .where(*in_range)
                    .group_by(columns[0])
                ).all()

            by_method = facts(
                SalePaymentFact, SalePaymentFact.method, func.sum(SalePaymentFact.amount_cents)
            )
            by_vat = facts(
                SaleVatFact,
                SaleVatFact.rate_bp,
                func.sum(SaleVatFact.gross_cents),
                func.sum(SaleVatFact.vat_cents),
            )
            by_product = facts(
                SaleLineFact,
                SaleLineFact.product_id,
                func.max(SaleLineFact.name),
                func.sum(SaleLineFact.quantity),
                func.sum(SaleLineFact.amount_cents),
            )
        return {
            "from": first_day,
            "to": last_day,
            "total": int(total[0]),
            "count": int(total[1]),
            "by_day": {d: int(c) for d, c in by_day},
            "by_hour": {str(h): int(c) for h, c in by_hour},
            "by_till": {
                t: {"number": n, "name": name, "total": int(c)} for t, n, name, c in by_till
            },
            "by_method": {m: int(c) for m, c in by_method},
            "by_vat": {str(r): {"gross": int(g), "vat": int(v)} for r, g, v in by_vat},
            "by_product": {
                p: {"name": name, "quantity": int(q), "total": int(c)}
                for p, name, q, c in by_product
            },
        }
