"""Daily summaries of the sale facts: kept up to date as facts are stored, read for statistics.

:class:`DaySummaries` sums the facts of the records a transaction stores, one
row per summary key, and adds them to the summary tables with one
``INSERT ... ON CONFLICT DO UPDATE SET x = x + excluded.x`` per table (on
SQLite and PostgreSQL alike): two relays storing sales of the same day add
up, and a record refused as already stored rolls its summaries back with it.
Rows are written in key order, table by table, so that concurrent
transactions lock them in the same order. :func:`period_stats` answers a
period from these tables alone: a year is a few hundred rows per table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import desc, func, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from relay_server.storage.schema import (
    DAY_SUMMARIES,
    DayHourTotal,
    DayMethodTotal,
    DayProductTotal,
    DayTillTotal,
    DayTotal,
    DayVatTotal,
    SaleFact,
    SaleLineFact,
    SalePaymentFact,
    SaleVatFact,
    Till,
)

__all__ = ["DaySummaries", "period_stats"]

#: Columns of each summary table that are sums (the others are its key, and a product's name).
_SUMS: dict[type[Any], tuple[str, ...]] = {
    DayTotal: ("total_cents", "records", "refunds"),
    DayTillTotal: ("total_cents", "records"),
    DayMethodTotal: ("amount_cents",),
    DayVatTotal: ("gross_cents", "vat_cents"),
    DayHourTotal: ("total_cents",),
    DayProductTotal: ("quantity", "amount_cents"),
}


class DaySummaries:
    """What the facts of some records add to the daily summaries, summed per summary row."""

    def __init__(self) -> None:
        self._rows: dict[type[Any], dict[tuple[Any, ...], dict[str, Any]]] = {
            table: {} for table in DAY_SUMMARIES
        }

    def _add(self, table: type[Any], key: dict[str, Any], **amounts: Any) -> None:
        row = self._rows[table].setdefault(tuple(key.values()), dict(key))
        for column in _SUMS[table]:
            row[column] = row.get(column, 0) + amounts[column]
        if "name" in amounts:  # a product's name: the greatest, as the backfill takes
            row["name"] = max(row.get("name", ""), amounts["name"])

    def add(self, facts: Sequence[Any], refund: bool) -> None:
        """Add the fact rows of one record (its :class:`SaleFact` first)."""
        sale: SaleFact = facts[0]
        day = {"shop_id": sale.shop_id, "day": sale.day}
        total = sale.total_cents
        self._add(DayTotal, day, total_cents=total, records=1, refunds=int(refund))
        self._add(DayTillTotal, {**day, "till_id": sale.till_id}, total_cents=total, records=1)
        self._add(DayHourTotal, {**day, "hour": sale.hour}, total_cents=total)
        for fact in facts[1:]:
            if isinstance(fact, SalePaymentFact):
                self._add(
                    DayMethodTotal, {**day, "method": fact.method}, amount_cents=fact.amount_cents
                )
            elif isinstance(fact, SaleVatFact):
                self._add(
                    DayVatTotal,
                    {**day, "rate_bp": fact.rate_bp},
                    gross_cents=fact.gross_cents,
                    vat_cents=fact.vat_cents,
                )
            elif isinstance(fact, SaleLineFact):
                self._add(
                    DayProductTotal,
                    {**day, "product_id": fact.product_id},
                    name=fact.name,
                    quantity=fact.quantity,
                    amount_cents=fact.amount_cents,
                )

    def store(self, session: Session) -> None:
        """Add these sums to the summary tables, in ``session``'s transaction."""
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        greatest = func.greatest if dialect == "postgresql" else func.max
        for table in DAY_SUMMARIES:
            rows = self._rows[table]
            if not rows:
                continue
            statement = insert(table)
            changes: dict[str, Any] = {
                column: getattr(table, column) + getattr(statement.excluded, column)
                for column in _SUMS[table]
            }
            if table is DayProductTotal:
                changes["name"] = greatest(table.name, statement.excluded.name)
            keys = [column.name for column in inspect(table).primary_key]
            session.execute(
                statement.on_conflict_do_update(index_elements=keys, set_=changes),
                [rows[key] for key in sorted(rows)],
            )


def period_stats(
    session: Session, shop_id: str, first_day: str, last_day: str, top: int | None = None
) -> dict[str, Any]:
    """The shop's statistics from ``first_day`` to ``last_day`` (ISO dates, inclusive).

    See :meth:`relay_server.storage.journal.JournalStore.stats` for the answer's shape.
    """

    def where(table: Any) -> tuple[Any, ...]:
        return (table.shop_id == shop_id, table.day >= first_day, table.day <= last_day)

    def grouped(table: Any, key: Any, *sums: Any) -> Sequence[Any]:
        return session.execute(select(key, *sums).where(*where(table)).group_by(key)).all()

    def total(column: Any) -> Any:
        return func.coalesce(func.sum(column), 0)

    totals = session.execute(
        select(total(DayTotal.total_cents), total(DayTotal.records), total(DayTotal.refunds)).where(
            *where(DayTotal)
        )
    ).one()
    by_day = session.execute(select(DayTotal.day, DayTotal.total_cents).where(*where(DayTotal)))
    by_hour = grouped(DayHourTotal, DayHourTotal.hour, func.sum(DayHourTotal.total_cents))
    by_till = session.execute(
        select(Till.id, Till.number, Till.name, func.sum(DayTillTotal.total_cents))
        .join(Till, Till.id == DayTillTotal.till_id)
        .where(*where(DayTillTotal))
        .group_by(Till.id, Till.number, Till.name)
    ).all()
    by_method = grouped(
        DayMethodTotal, DayMethodTotal.method, func.sum(DayMethodTotal.amount_cents)
    )
    by_vat = grouped(
        DayVatTotal,
        DayVatTotal.rate_bp,
        func.sum(DayVatTotal.gross_cents),
        func.sum(DayVatTotal.vat_cents),
    )
    products = (
        select(
            DayProductTotal.product_id,
            func.max(DayProductTotal.name).label("name"),
            func.sum(DayProductTotal.quantity),
            func.sum(DayProductTotal.amount_cents).label("total"),
        )
        .where(*where(DayProductTotal))
        .group_by(DayProductTotal.product_id)
    )
    if top is not None:
        products = products.order_by(desc("total"), "name", DayProductTotal.product_id)
        products = products.limit(top)
    by_product = session.execute(products).all()
    return {
        "from": first_day,
        "to": last_day,
        "total": int(totals[0]),
        "count": int(totals[1]),
        "refunds": int(totals[2]),
        "by_day": {d: int(c) for d, c in by_day},
        "by_hour": {str(h): int(c) for h, c in by_hour},
        "by_till": {t: {"number": n, "name": name, "total": int(c)} for t, n, name, c in by_till},
        "by_method": {m: int(c) for m, c in by_method},
        "by_vat": {str(r): {"gross": int(g), "vat": int(v)} for r, g, v in by_vat},
        "by_product": {
            p: {"name": name, "quantity": int(q), "total": int(c)} for p, name, q, c in by_product
        },
    }
