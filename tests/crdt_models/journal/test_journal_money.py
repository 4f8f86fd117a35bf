"""Sale and refund arithmetic: every basket balances to the cent, refunds mirror it."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from journal_factory import TILL

from crdt_models.errors import ValidationError
from crdt_models.journal import (
    CASH,
    QTY_ONE,
    ChainHead,
    Payment,
    RefundLine,
    SaleLine,
    append_record,
    build_refund_body,
    build_sale_body,
    check_refund,
    generate_signing_key,
    net_payments,
    refund_due,
    refundable_quantities,
)
from crdt_models.journal.refund import validate_refund_body
from crdt_models.journal.sale import validate_sale_body

KEY = generate_signing_key()
RATES = [0, 210, 550, 1000, 2000]
TICKET = "T001-00000001"


@st.composite
def baskets(draw: st.DrawFn) -> tuple[list[SaleLine], int, list[Payment]]:
    """Lines with line discounts, a basket discount, and split payments covering the total."""
    lines = []
    for i in range(draw(st.integers(1, 8))):
        qty = draw(st.one_of(st.sampled_from([1000, 2000, 12000]), st.integers(1, 50_000)))
        price = draw(st.integers(0, 200_000))
        gross = (qty * price + 500) // 1000
        discount = draw(st.integers(0, gross))
        lines.append(
            SaleLine(f"p{i}", f"line {i}", qty, price, draw(st.sampled_from(RATES)), discount)
        )
    subtotal = sum((ln.qty * ln.unit_price + 500) // 1000 - ln.discount for ln in lines)
    basket_discount = draw(st.integers(0, subtotal))
    due = subtotal - basket_discount
    cuts = sorted(draw(st.lists(st.integers(0, due), max_size=3)))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, due], strict=True)]
    methods = draw(st.lists(st.sampled_from(["card", CASH, "cheque"]), min_size=4, max_size=4))
    payments = [Payment(m, p) for m, p in zip(methods, parts, strict=False) if p > 0]
    overpay = draw(st.integers(0, 5000))
    if overpay:
        payments.append(Payment(CASH, overpay))
    return lines, basket_discount, payments


def _sale(lines: list[SaleLine], discount: int, payments: list[Payment]) -> dict[str, Any]:
    return build_sale_body(
        ticket=TICKET, cashier="c", lines=lines, payments=payments, basket_discount=discount
    )


@settings(max_examples=200, deadline=None)
@given(baskets())
def test_every_basket_balances_to_the_cent(
    basket: tuple[list[SaleLine], int, list[Payment]],
) -> None:
    lines, discount, payments = basket
    body = _sale(lines, discount, payments)
    rows = body["lines"]
    assert sum(r["basket_discount"] for r in rows) == discount
    for line, row in zip(lines, rows, strict=True):
        gross = (line.qty * line.unit_price + QTY_ONE // 2) // QTY_ONE
        assert row["total"] == gross - line.discount - row["basket_discount"] >= 0
    total = body["total"]
    assert sum(r["total"] for r in rows) == total
    assert sum(v["gross"] for v in body["vat"]) == total
    assert all(v["net"] + v["vat"] == v["gross"] for v in body["vat"])
    tendered = sum(p["amount"] for p in body["payments"])
    cash = sum(p["amount"] for p in body["payments"] if p["method"] == CASH)
    assert tendered - body["change"] == total
    assert 0 <= body["change"] <= cash
    assert sum(net_payments(body).values()) == total
    validate_sale_body(body, 1)
    append_record(ChainHead.genesis(TILL, "sales"), "sale", body, 1, KEY)


def _sale_record(body: dict[str, Any]) -> Any:
    return append_record(ChainHead.genesis(TILL, "sales"), "sale", body, 1, KEY)


def _refund(record: Any, previous: list[dict[str, Any]], lines: list[RefundLine]) -> dict[str, Any]:
    due = refund_due(record.body, previous, lines)
    return build_refund_body(
        ticket="T001-00000002",
        cashier="c",
        original=record,
        previous_refunds=previous,
        lines=lines,
        payments=[Payment(CASH, due)] if due else [],
        reason="returned",
    )


@settings(max_examples=150, deadline=None)
@given(baskets())
def test_a_full_refund_mirrors_the_sale_exactly(
    basket: tuple[list[SaleLine], int, list[Payment]],
) -> None:
    lines, discount, payments = basket
    sale = _sale_record(_sale(lines, discount, payments))
    refund = _refund(sale, [], [RefundLine(i, ln.qty) for i, ln in enumerate(lines)])
    assert refund["total"] == -sale.body["total"]
    assert [r["total"] for r in refund["lines"]] == [-r["total"] for r in sale.body["lines"]]
    assert refund["vat"] == [
        {"rate_bp": v["rate_bp"], "gross": -v["gross"], "net": -v["net"], "vat": -v["vat"]}
        for v in sale.body["vat"]
    ]
    assert sum(net_payments(refund).values()) == refund["total"]
    validate_refund_body(refund, 2)
    assert refundable_quantities(sale.body, [refund]) == [0] * len(lines)


@settings(max_examples=150, deadline=None)
@given(baskets(), st.data())
def test_refunds_in_steps_give_back_exactly_each_line(
    basket: tuple[list[SaleLine], int, list[Payment]], data: st.DataObject
) -> None:
    lines, discount, payments = basket
    sale = _sale_record(_sale(lines, discount, payments))
    steps = data.draw(st.integers(1, 3))
    parts = []  # per line: the quantity refunded at each step, adding up to what was sold
    for line in lines:
        cuts = sorted(
            data.draw(st.lists(st.integers(0, line.qty), min_size=steps - 1, max_size=steps - 1))
        )
        parts.append([b - a for a, b in zip([0, *cuts], [*cuts, line.qty], strict=True)])
    previous: list[dict[str, Any]] = []
    for step in range(steps):
        lines_now = [RefundLine(i, p[step]) for i, p in enumerate(parts) if p[step]]
        if lines_now:
            previous.append(_refund(sale, previous, lines_now))
    refunded = [0] * len(lines)
    for refund in previous:
        validate_refund_body(refund, 2)
        for row in refund["lines"]:
            refunded[row["line"]] += row["total"]
    assert refunded == [-r["total"] for r in sale.body["lines"]]
    assert sum(r["total"] for r in previous) == -sale.body["total"]
    with pytest.raises(ValidationError) as info:
        check_refund(sale.body, previous, [RefundLine(0, 1)])
    assert info.value.code == "refund.exceeds"


SALE_LINES = [SaleLine("p1", "Bread", 2000, 130, 550), SaleLine("p2", "Wine", 1000, 1250, 2000)]


def test_refund_limits_per_line_across_refunds() -> None:
    sale = _sale_record(_sale(SALE_LINES, 0, [Payment("card", 1510)]))
    first = _refund(sale, [], [RefundLine(0, 1000)])
    assert first["total"] == -130
    assert refundable_quantities(sale.body, [first]) == [1000, 1000]
    for lines in ([RefundLine(0, 1001)], [RefundLine(0, 600), RefundLine(0, 401)]):
        with pytest.raises(ValidationError) as info:
            check_refund(sale.body, [first], lines)
        assert info.value.code == "refund.exceeds"
    second = _refund(sale, [first], [RefundLine(0, 1000), RefundLine(1, 1000)])
    assert second["total"] == -1380
    for bad, code in (
        ([RefundLine(2, 1)], "refund.line"),
        ([RefundLine(0, 0)], "body.range"),
        ([], "refund.empty"),
    ):
        with pytest.raises(ValidationError) as info:
            check_refund(sale.body, [], bad)
        assert info.value.code == code
    other = dict(first, original=dict(first["original"], ticket="T009-00000001"))
    with pytest.raises(ValidationError) as info:
        check_refund(sale.body, [other], [RefundLine(0, 1)])
    assert info.value.code == "refund.other_ticket"


def test_refund_payments_must_match_and_reference_the_original() -> None:
    sale = _sale_record(_sale(SALE_LINES, 0, [Payment("card", 1510)]))
    kw: dict[str, Any] = dict(
        ticket="T001-00000002", cashier="c", original=sale, previous_refunds=[], reason="r"
    )
    with pytest.raises(ValidationError) as info:
        build_refund_body(lines=[RefundLine(1, 1000)], payments=[Payment("card", 1000)], **kw)
    assert info.value.code == "refund.payments"
    body = build_refund_body(lines=[RefundLine(1, 1000)], payments=[Payment("card", 1250)], **kw)
    assert body["original"] == {"till_id": TILL, "seq": 1, "ticket": TICKET}
    assert body["payments"] == [{"method": "card", "amount": -1250}]


def test_weights_are_milli_units() -> None:
    # 1.234 kg of cheese at 24.90/kg = 30.7266 -> 30.73
    body = _sale([SaleLine("cheese", "Comté", 1234, 2490, 550)], 0, [Payment("card", 3073)])
    assert body["total"] == 3073


@pytest.mark.parametrize(
    ("lines", "discount", "payments", "code"),
    [
        (SALE_LINES, 0, [Payment("card", 1000)], "payment.short"),
        (SALE_LINES, 0, [Payment("card", 1600)], "payment.change_not_cash"),
        (SALE_LINES, 0, [Payment("card", 1000), Payment(CASH, 400)], "payment.short"),
        (SALE_LINES, 1511, [Payment("card", 1)], "body.range"),
        ([SaleLine("p", "x", 1000, 100, 550, discount=101)], 0, [], "body.range"),
        ([SaleLine("p", "x", 0, 100, 550)], 0, [], "body.range"),
        ([SaleLine("p", "x", 1000, 100, 10_001)], 0, [], "body.range"),
        ([SaleLine("p", "x", 1000, -1, 550)], 0, [], "body.range"),
        ([SaleLine("p", "", 1000, 1, 550)], 0, [Payment("card", 1)], "body.type"),
        ([], 0, [], "sale.empty"),
        (SALE_LINES, 0, [Payment("card", 0), Payment("card", 1510)], "body.range"),
    ],
)
def test_sale_refuses_what_does_not_add_up(
    lines: list[SaleLine], discount: int, payments: list[Payment], code: str
) -> None:
    with pytest.raises(ValidationError) as info:
        _sale(lines, discount, payments)
    assert info.value.code == code


def test_cash_change_is_tendered_minus_due_and_only_from_cash() -> None:
    body = _sale(SALE_LINES, 10, [Payment("card", 1000), Payment(CASH, 2000)])
    assert (body["total"], body["change"]) == (1500, 1500)
    assert net_payments(body) == {"card": 1000, CASH: 500}


def test_a_tampered_sale_body_is_refused_on_append() -> None:
    body = _sale(SALE_LINES, 0, [Payment("card", 1510)])
    for key, value in (("total", 1509), ("change", 1), ("basket_discount", 1), ("extra", 0)):
        with pytest.raises(ValidationError):
            validate_sale_body({**body, key: value}, 1)
    with pytest.raises(ValidationError) as info:
        validate_sale_body(body, 2)
    assert info.value.code == "ticket.seq"
    bad_line = {**body, "lines": [{**body["lines"][0], "total": 1}, body["lines"][1]]}
    with pytest.raises(ValidationError):
        validate_sale_body(bad_line, 1)


def test_two_tills_refunding_the_same_line_offline_show_up_after_merge() -> None:
    sale = _sale_record(_sale(SALE_LINES, 0, [Payment("card", 1510)]))
    on_till_a = _refund(sale, [], [RefundLine(0, 2000)])
    on_till_b = _refund(sale, [], [RefundLine(0, 2000)])  # did not see till A's refund yet
    assert refundable_quantities(sale.body, [on_till_a, on_till_b]) == [-2000, 1000]
