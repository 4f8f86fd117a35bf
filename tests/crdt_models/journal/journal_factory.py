"""Builders of realistic journals for the journal tests (not a test module)."""

from __future__ import annotations

import random

from crdt_models.journal import (
    CASH,
    ChainHead,
    Payment,
    Record,
    RefundLine,
    SaleLine,
    append_record,
    build_refund_body,
    build_sale_body,
    duplicate_body,
    head_after,
    next_closing_body,
    refund_due,
    ticket_number,
)

TILL = "0191a1b2-till-0003"
TILL_NUMBER = 3
DAY0 = 1_764_316_800  # 2025-11-28 08:00 UTC
RATES = (0, 550, 1000, 2000)
METHODS = ("card", "cheque", "voucher")


class JournalBuilder:
    """Appends records to one till's sales chain, keeping the head."""

    def __init__(self, key: bytes, till_id: str = TILL) -> None:
        self.key = key
        self.head = ChainHead.genesis(till_id, "sales")
        self.records: list[Record] = []

    def append(self, kind: str, body: dict[str, object], ts: int) -> Record:
        record = append_record(self.head, kind, body, ts, self.key)
        self.records.append(record)
        self.head = head_after(record)
        return record

    def sale(
        self, lines: list[SaleLine], payments: list[Payment], ts: int, basket_discount: int = 0
    ) -> Record:
        body = build_sale_body(
            ticket=ticket_number(TILL_NUMBER, self.head.seq + 1),
            cashier="cashier-1",
            lines=lines,
            payments=payments,
            basket_discount=basket_discount,
        )
        return self.append("sale", body, ts)

    def refund(
        self, original: Record, lines: list[RefundLine], ts: int, method: str = CASH
    ) -> Record:
        previous = [
            r.body
            for r in self.records
            if r.kind == "refund" and r.body["original"]["ticket"] == original.body["ticket"]
        ]
        amount = refund_due(original.body, previous, lines)
        body = build_refund_body(
            ticket=ticket_number(TILL_NUMBER, self.head.seq + 1),
            cashier="cashier-1",
            original=original,
            previous_refunds=previous,
            lines=lines,
            payments=[Payment(method, amount)] if amount else [],
            reason="returned",
        )
        return self.append("refund", body, ts)

    def closing(self, period: str, label: str, ts: int) -> Record:
        return self.append("closing", next_closing_body(self.records, period, label), ts)

    def duplicate(self, original: Record, ts: int) -> Record:
        return self.append("duplicate", duplicate_body(self.records, original, "cashier-1"), ts)


def random_sale_inputs(
    rng: random.Random, max_lines: int = 5
) -> tuple[list[SaleLine], list[Payment], int]:
    """A random basket (lines with discounts, several VAT rates) and payments that cover it."""
    lines = []
    for i in range(rng.randint(1, max_lines)):
        qty = rng.choice([1000, 2000, 3000, rng.randint(1, 5000)])
        price = rng.randint(0, 5000)
        gross = (qty * price + 500) // 1000
        lines.append(
            SaleLine(
                f"p{i}", f"Item {i}", qty, price, rng.choice(RATES), rng.randint(0, gross // 3)
            )
        )
    subtotal = sum((ln.qty * ln.unit_price + 500) // 1000 - ln.discount for ln in lines)
    basket_discount = rng.randint(0, subtotal // 5)
    due = subtotal - basket_discount
    card = rng.randint(0, due)
    payments = [Payment(rng.choice(METHODS), card)] if card else []
    if due - card or not payments:
        payments.append(Payment(CASH, due - card + rng.choice([0, 0, 5, 100])))
    payments = [p for p in payments if p.amount > 0]
    return lines, payments, basket_discount


def sample_journal(
    key: bytes,
    days: int = 3,
    sales_per_day: tuple[int, int] = (6, 9),
    max_lines: int = 5,
    seed: int = 7,
) -> JournalBuilder:
    """Days of trading: sales, a refund, a duplicate, a Z each; then month and year closings."""
    rng = random.Random(seed)
    journal = JournalBuilder(key)
    for day in range(days):
        ts = DAY0 + day * 86_400
        sales = []
        for _ in range(rng.randint(*sales_per_day)):
            lines, payments, discount = random_sale_inputs(rng, max_lines)
            ts += rng.randint(30, 900)
            sales.append(journal.sale(lines, payments, ts, basket_discount=discount))
        original = rng.choice(sales)
        ts += 60
        journal.refund(original, [RefundLine(0, original.body["lines"][0]["qty"])], ts)
        ts += 60
        journal.duplicate(rng.choice(sales), ts)
        journal.closing("day", f"2025-11-{28 + day:02d}" if day < 3 else "2025-12-01", ts + 3600)
    journal.closing("month", "2025-11", ts + 3700)
    journal.closing("year", "2025", ts + 3800)
    return journal
