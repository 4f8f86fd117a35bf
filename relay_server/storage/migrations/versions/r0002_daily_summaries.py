"""Daily summaries of the sale facts (per shop and day: totals, tills, payment methods,
VAT rates, hours, products), filled from the facts already stored.

Refunded quantities become negative in ``sale_line_facts`` (they were stored
positive), as the summaries count them.

Revision ID: r0002
Revises: r0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "r0002"
down_revision = "r0001"
branch_labels = None
depends_on = None


def _create(name: str, key: sa.Column[Any] | None, *columns: sa.Column[Any]) -> None:
    """A summary table keyed by shop, day and ``key`` (if any)."""
    keys = [
        sa.Column("shop_id", sa.String(length=36), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        *([key] if key is not None else []),
    ]
    op.create_table(name, *keys, *columns, sa.PrimaryKeyConstraint(*(c.name for c in keys)))


def _cents(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.BigInteger(), nullable=False)


#: The summary tables, in the order they are created.
_TABLES = (
    "day_totals",
    "day_till_totals",
    "day_method_totals",
    "day_vat_totals",
    "day_hour_totals",
    "day_product_totals",
)

_IS_REFUND = (
    "EXISTS (SELECT 1 FROM journal_records j WHERE j.till_id = {t}.till_id"
    " AND j.chain = 'sales' AND j.seq = {t}.seq AND j.kind = 'refund')"
)

_JOIN_FACT = "JOIN sale_facts f ON f.till_id = x.till_id AND f.seq = x.seq"

_BACKFILL = (
    "INSERT INTO day_totals (shop_id, day, total_cents, records, refunds)"
    " SELECT f.shop_id, f.day, SUM(f.total_cents), COUNT(*),"
    f" SUM(CASE WHEN {_IS_REFUND.format(t='f')} THEN 1 ELSE 0 END)"
    " FROM sale_facts f GROUP BY f.shop_id, f.day",
    "INSERT INTO day_till_totals (shop_id, day, till_id, total_cents, records)"
    " SELECT shop_id, day, till_id, SUM(total_cents), COUNT(*)"
    " FROM sale_facts GROUP BY shop_id, day, till_id",
    "INSERT INTO day_method_totals (shop_id, day, method, amount_cents)"
    " SELECT f.shop_id, f.day, x.method, SUM(x.amount_cents)"
    f" FROM sale_payment_facts x {_JOIN_FACT} GROUP BY f.shop_id, f.day, x.method",
    "INSERT INTO day_vat_totals (shop_id, day, rate_bp, gross_cents, vat_cents)"
    " SELECT f.shop_id, f.day, x.rate_bp, SUM(x.gross_cents), SUM(x.vat_cents)"
    f" FROM sale_vat_facts x {_JOIN_FACT} GROUP BY f.shop_id, f.day, x.rate_bp",
    "INSERT INTO day_hour_totals (shop_id, day, hour, total_cents)"
    " SELECT shop_id, day, hour, SUM(total_cents) FROM sale_facts GROUP BY shop_id, day, hour",
    "INSERT INTO day_product_totals (shop_id, day, product_id, name, quantity, amount_cents)"
    " SELECT f.shop_id, f.day, x.product_id, MAX(x.name), SUM(x.quantity), SUM(x.amount_cents)"
    f" FROM sale_line_facts x {_JOIN_FACT} GROUP BY f.shop_id, f.day, x.product_id",
)


def _flip_refund_quantities(sign: str) -> None:
    op.execute(
        f"UPDATE sale_line_facts SET quantity = -quantity WHERE quantity {sign} 0"
        f" AND {_IS_REFUND.format(t='sale_line_facts')}"
    )


def upgrade() -> None:
    _create("day_totals", None, _cents("total_cents"), _cents("records"), _cents("refunds"))
    _create(
        "day_till_totals",
        sa.Column("till_id", sa.String(length=36), nullable=False),
        _cents("total_cents"),
        _cents("records"),
    )
    _create(
        "day_method_totals",
        sa.Column("method", sa.String(length=64), nullable=False),
        _cents("amount_cents"),
    )
    _create(
        "day_vat_totals",
        sa.Column("rate_bp", sa.Integer(), nullable=False),
        _cents("gross_cents"),
        _cents("vat_cents"),
    )
    _create(
        "day_hour_totals", sa.Column("hour", sa.Integer(), nullable=False), _cents("total_cents")
    )
    _create(
        "day_product_totals",
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        _cents("quantity"),
        _cents("amount_cents"),
    )
    _flip_refund_quantities(">")
    for statement in _BACKFILL:
        op.execute(statement)


def downgrade() -> None:
    for name in reversed(_TABLES):
        op.drop_table(name)
    _flip_refund_quantities("<")
