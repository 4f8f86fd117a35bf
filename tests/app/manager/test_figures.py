"""Dashboard figures equal a recomputation from journal records, to the cent.

Records are made with the journal API (sales and refunds on several tills,
signed and chained); the expected figures are summed here straight from the
record bodies, independently of :mod:`app.manager.figures`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.manager.figures import compute_figures
from crdt_models.journal import (
    ChainHead,
    Payment,
    Record,
    SaleLine,
    append_record,
    build_sale_body,
    generate_signing_key,
    head_after,
    ticket_number,
)
from crdt_models.journal.refund import RefundLine, build_refund_body
from crdt_models.journal.sale import CASH, QTY_ONE

DAY = int(datetime(2026, 11, 27, tzinfo=UTC).timestamp())
KEYS = [generate_signing_key() for _ in range(3)]

line_st = st.tuples(
    st.sampled_from(["p-bread", "p-cake", "p-coffee", "p-soda"]),
    st.integers(1, 4000),  # qty in milli-units (weighed goods too)
    st.integers(0, 5000),  # unit price
    st.sampled_from([550, 1000, 2000]),
)
sale_st = st.tuples(
    st.integers(0, 2),  # till
    st.integers(0, 86_399),  # second of the day
    st.lists(line_st, min_size=1, max_size=4),
    st.sampled_from(["cash", "card", "split"]),
    st.integers(0, 999),  # extra cash tendered
    st.booleans(),  # refund the first line afterwards
)


def _journal(sales: list[tuple[Any, ...]]) -> list[Record]:
    heads = [ChainHead.genesis(f"till-{i}", "sales") for i in range(3)]
    records: list[Record] = []
    for till, second, lines, how, extra, refund in sorted(sales, key=lambda s: s[1]):
        sale_lines = [
            SaleLine(product=p, label=p.upper(), qty=q, unit_price=u, vat_bp=v)
            for p, q, u, v in lines
        ]
        gross = sum((q * u * 2 + QTY_ONE) // (2 * QTY_ONE) for _, q, u, _ in lines)
        if gross == 0:
            continue
        if how == "cash":
            payments = [Payment(CASH, gross + extra)]
        elif how == "card":
            payments = [Payment("card", gross)]
        else:
            half = gross // 2
            payments = [
                p for p in (Payment("card", half), Payment(CASH, gross - half + extra)) if p.amount
            ]
        head = heads[till]
        body = build_sale_body(
            ticket=ticket_number(till + 1, head.seq + 1),
            cashier="c1",
            lines=sale_lines,
            payments=payments,
        )
        sale = append_record(head, "sale", body, DAY + second, KEYS[till])
        records.append(sale)
        heads[till] = head_after(sale)
        if refund and sale.body["lines"][0]["total"] > 0:
            head = heads[till]
            amount = sale.body["lines"][0]["total"]
            refund_body = build_refund_body(
                ticket=ticket_number(till + 1, head.seq + 1),
                cashier="c1",
                original=sale,
                previous_refunds=[],
                lines=[RefundLine(line=0, qty=sale.body["lines"][0]["qty"])],
                payments=[Payment(CASH, amount)],
                reason="damaged",
            )
            record = append_record(head, "refund", refund_body, DAY + second, KEYS[till])
            records.append(record)
            heads[till] = head_after(record)
    return records


def _expected(records: list[Record]) -> dict[str, Any]:
    revenue = 0
    tickets = 0
    per_hour: dict[int, int] = defaultdict(int)
    per_till: dict[str, int] = defaultdict(int)
    per_method: dict[str, int] = defaultdict(int)
    per_vat: dict[int, int] = defaultdict(int)
    per_product: dict[str, int] = defaultdict(int)
    for r in records:
        total = r.body["total"]
        revenue += total
        tickets += r.kind == "sale"
        per_hour[datetime.fromtimestamp(r.ts, UTC).hour] += total
        per_till[r.till_id] += total
        for p in r.body["payments"]:
            per_method[p["method"]] += p["amount"]
        if r.body.get("change"):
            per_method[CASH] -= r.body["change"]
        for v in r.body["vat"]:
            per_vat[v["rate_bp"]] += v["gross"]
        for line in r.body["lines"]:
            per_product[line["product"]] += line["total"]
    return {
        "revenue": revenue,
        "tickets": tickets,
        "per_hour": dict(per_hour),
        "per_till": dict(per_till),
        "per_method": dict(per_method),
        "per_vat": dict(per_vat),
        "per_product": dict(per_product),
    }


@settings(max_examples=40, deadline=None)
@given(st.lists(sale_st, min_size=0, max_size=25))
def test_figures_equal_a_recomputation_from_the_records(sales: list[tuple[Any, ...]]) -> None:
    records = _journal(sales)
    figures = compute_figures(records, UTC)
    expected = _expected(records)
    assert figures.revenue == expected["revenue"]
    assert figures.tickets == expected["tickets"]
    assert figures.per_hour == expected["per_hour"]
    assert figures.per_till == expected["per_till"]
    assert figures.per_method == expected["per_method"]
    assert figures.per_vat == expected["per_vat"]
    assert {p: f.revenue for p, f in figures.products.items()} == expected["per_product"]
    # Every breakdown partitions the same revenue.
    for breakdown in (figures.per_hour, figures.per_till, figures.per_method, figures.per_vat):
        assert sum(breakdown.values()) == figures.revenue
    if figures.tickets:
        assert abs(figures.average_basket * figures.tickets - figures.revenue) <= figures.tickets


def test_other_record_kinds_do_not_count() -> None:
    records = _journal([(0, 3600, [("p-bread", 1000, 120, 550)], "card", 0, False)])
    assert compute_figures(records, UTC).revenue == 120
    fake_closing = Record(
        till_id="till-0",
        chain="sales",
        seq=2,
        kind="closing",
        ts=DAY + 4000,
        body={"total": 999_999},
        prev_hash=records[0].hash,
        hash="0" * 64,
        signature="0" * 128,
    )
    figures = compute_figures([*records, fake_closing], UTC)
    assert (figures.revenue, figures.tickets) == (120, 1)
    assert (
        figures.top_products() == [figures.products["p-bread"]]
        and figures.products["p-bread"].qty == 1000
    )
