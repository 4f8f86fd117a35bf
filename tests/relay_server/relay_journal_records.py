"""Signed sales records for the relay's journal tests (real journal code, real keys)."""

from __future__ import annotations

from crdt_models.journal import (
    QTY_ONE,
    ChainHead,
    Payment,
    Record,
    SaleLine,
    append_record,
    build_sale_body,
    head_after,
    ticket_number,
)

#: 2 croissants at 1.20 (VAT 5.5 %) + 1 coffee at 2.00 (VAT 10 %), paid 4.40 by card.
SALE_TOTAL = 440
#: 2024-03-05 09:00:00 UTC.
T0 = 1_709_629_200


def sales(
    till_id: str,
    till_number: int,
    key: bytes,
    count: int,
    ts0: int = T0,
    payments: list[Payment] | None = None,
) -> list[Record]:
    """``count`` chained sales of one till, one hour apart from ``ts0`` (by card by default)."""
    head = ChainHead.genesis(till_id, "sales")
    out = []
    for i in range(count):
        body = build_sale_body(
            ticket=ticket_number(till_number, head.seq + 1),
            cashier="Ann",
            lines=[
                SaleLine("p1", "Croissant", 2 * QTY_ONE, 120, 550),
                SaleLine("p2", "Coffee", QTY_ONE, 200, 1000),
            ],
            payments=payments or [Payment("card", SALE_TOTAL)],
        )
        record = append_record(head, "sale", body, ts0 + i * 3600, key)
        out.append(record)
        head = head_after(record)
    return out
