"""The basket: commands, totals to the cent, payments and change, parked baskets."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.basket import Basket, Discount, ParkedBaskets
from crdt_models.errors import NotFoundError, ValidationError
from crdt_models.journal.sale import validate_sale_body

CROISSANT = ("p-croissant", "Croissant", 120, 550)
COFFEE = ("p-coffee", "Espresso", 180, 1000)
MUG = ("p-mug", "Mug", 950, 2000)


def test_same_product_adds_to_its_line() -> None:
    b = Basket()
    first = b.add_product(*CROISSANT)
    again = b.add_product(*CROISSANT)
    b.add_product(*COFFEE)
    assert first == again
    assert [(line.label, line.quantity) for line in b.lines] == [("Croissant", 2), ("Espresso", 1)]
    assert b.totals().total == 2 * 120 + 180


def test_discounted_line_is_not_merged() -> None:
    b = Basket()
    first = b.add_product(*CROISSANT)
    b.set_line_discount(first, Discount.percent(5000))
    second = b.add_product(*CROISSANT)
    assert first != second
    assert b.totals().total == 60 + 120


def test_quantity_buttons_and_removal() -> None:
    b = Basket()
    line = b.add_product(*MUG)
    b.change_quantity(line, +1)
    assert b.line(line).quantity == 2
    b.change_quantity(line, -1)
    b.change_quantity(line, -1)
    assert b.is_empty
    with pytest.raises(NotFoundError):
        b.line(line)


def test_worked_example_with_both_discounts() -> None:
    b = Basket()
    croissants = b.add_product(*CROISSANT, quantity=3)  # 3.60 at 5.5 %
    b.add_product(*COFFEE, quantity=2)  # 3.60 at 10 %
    mug = b.add_product(*MUG)  # 9.50 at 20 %
    b.set_line_discount(mug, Discount.amount(150))  # mug 8.00
    b.set_discount(Discount.percent(1000))  # 10 % of 15.20 = 1.52
    t = b.totals()
    assert t.subtotal == 1670
    assert t.basket_discount == 152
    assert t.discount_total == 302
    assert t.total == 1368
    by_line = {lt.line.line_id: lt.total for lt in t.lines}
    assert by_line[croissants] == 360 - 36
    assert by_line[mug] == 800 - 80
    assert [(v.rate_bp, v.gross, v.vat) for v in t.vat] == [
        (550, 324, 17),
        (1000, 324, 29),
        (2000, 720, 120),
    ]


def test_split_payment_and_cash_change() -> None:
    b = Basket()
    b.add_product(*MUG, quantity=2)  # 19.00
    b.pay("card", 1000)
    assert b.totals().remaining == 900
    with pytest.raises(ValidationError):
        b.sale_inputs()
    with pytest.raises(ValidationError) as err:
        b.pay("card", 1000)
    assert err.value.code == "payment.overpay"
    b.pay("cash", 2000, gives_change=True)
    t = b.totals()
    assert (t.paid, t.remaining, t.change) == (1900, 0, 1100)
    body = b.sale_inputs().body(ticket="T001-00000001", cashier="alice")
    assert (body["total"], body["change"]) == (1900, 1100)
    assert body["payments"] == [
        {"method": "card", "amount": 1000},
        {"method": "cash", "amount": 2000},
    ]
    assert b.is_paid
    with pytest.raises(ValidationError) as err:
        b.pay("cash", 100, gives_change=True)
    assert err.value.code == "payment.nothing_due"


def test_lines_are_frozen_while_paying() -> None:
    b = Basket()
    line = b.add_product(*COFFEE)
    payment = b.pay("card", 100)
    with pytest.raises(ValidationError) as err:
        b.change_quantity(line, +1)
    assert err.value.code == "basket.paying"
    b.remove_payment(payment.payment_id)
    b.change_quantity(line, +1)
    assert b.totals().total == 360


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (lambda: Discount.percent(10_001), "discount.range"),
        (lambda: Discount.amount(-1), "discount.negative"),
        (lambda: Basket().add_product("p", "x", -5, 2000), "money.range"),
        (lambda: Basket().add_product("p", "x", 100, 2000, quantity=0), "quantity.range"),
        (lambda: Basket().pay("cash", 100, gives_change=True), "payment.empty_basket"),
    ],
)
def test_bad_input_is_refused_with_a_code(build: object, code: str) -> None:
    with pytest.raises(ValidationError) as err:
        build()  # type: ignore[operator]
    assert err.value.code == code


def test_discount_never_exceeds_the_amount() -> None:
    b = Basket()
    line = b.add_product(*CROISSANT)
    b.set_line_discount(line, Discount.amount(500))
    b.set_discount(Discount.amount(100))
    t = b.totals()
    assert t.total == 0
    assert t.discount_total == 120


# -- properties ----------------------------------------------------------------

discounts = (
    st.none()
    | st.builds(Discount, st.just("percent"), st.integers(0, 10_000))
    | st.builds(Discount, st.just("amount"), st.integers(0, 50_000))
)

line_specs = st.lists(
    st.tuples(
        st.integers(0, 20_000),  # unit price
        st.integers(1, 30),  # quantity
        st.sampled_from([0, 550, 1000, 2000]),  # VAT
        discounts,
    ),
    min_size=1,
    max_size=12,
)


def _basket(
    specs: list[tuple[int, int, int, Discount | None]], discount: Discount | None
) -> Basket:
    b = Basket()
    for i, (price, qty, vat, line_discount) in enumerate(specs):
        line = b.add_product(f"p{i}", f"Product {i}", price, vat, quantity=qty)
        b.set_line_discount(line, line_discount)
    b.set_discount(discount)
    return b


@settings(max_examples=300, deadline=None)
@given(line_specs, discounts)
def test_totals_always_balance_to_the_cent(
    specs: list[tuple[int, int, int, Discount | None]], discount: Discount | None
) -> None:
    t = _basket(specs, discount).totals()
    assert sum(lt.total for lt in t.lines) == t.total
    assert t.subtotal - t.discount_total == t.total
    assert sum(v.gross for v in t.vat) == t.total
    assert all(v.net + v.vat == v.gross for v in t.vat)
    assert all(lt.total >= 0 for lt in t.lines)
    assert t.basket_discount == sum(lt.basket_discount for lt in t.lines)
    assert 0 <= t.total <= t.subtotal


@settings(max_examples=200, deadline=None)
@given(line_specs, discounts, st.lists(st.integers(1, 5_000), max_size=6), st.integers(0, 10_000))
def test_split_payments_settle_exactly(
    specs: list[tuple[int, int, int, Discount | None]],
    discount: Discount | None,
    card_parts: list[int],
    cash_extra: int,
) -> None:
    b = _basket(specs, discount)
    for part in card_parts:
        if b.totals().remaining <= 0:
            break
        b.pay("card", min(part, b.totals().remaining))
    due = b.totals().remaining
    if due > 0:
        b.pay("cash", due + cash_extra, gives_change=True)
        t = b.totals()
        assert t.change == cash_extra
        assert b.is_paid
    t = b.totals()
    assert t.paid == sum(p.amount for p in b.payments)
    assert t.paid == t.total
    assert sum(p.tendered for p in b.payments) - t.change == t.total
    body = b.sale_inputs().body(ticket="T001-00000007", cashier="c")
    validate_sale_body(body, 7)  # what the journal checks on append
    assert body["total"] == t.total
    assert body["change"] == t.change
    assert [row["total"] for row in body["lines"]] == [lt.total for lt in t.lines]
    assert body["vat"] == [
        {"rate_bp": v.rate_bp, "gross": v.gross, "net": v.net, "vat": v.vat} for v in t.vat
    ]


# -- parked baskets --------------------------------------------------------------


def test_parked_baskets_survive_a_restart(tmp_path: Path) -> None:
    b = Basket()
    line = b.add_product(*CROISSANT, quantity=2)
    b.set_line_note(line, "warm please")
    b.set_discount(Discount.percent(500))
    parked = ParkedBaskets(tmp_path)
    parked.park(b, parked_at=1_700_000_000, cashier="Alice")

    reopened = ParkedBaskets(tmp_path)
    assert len(reopened) == 1
    [entry] = list(reopened)
    assert (entry.cashier, entry.parked_at) == ("Alice", 1_700_000_000)
    back = reopened.recall(b.basket_id)
    assert back.to_dict() == b.to_dict()
    assert back.totals() == b.totals()
    assert len(ParkedBaskets(tmp_path)) == 0
    assert [p.name for p in tmp_path.iterdir()] == [ParkedBaskets.FILE_NAME]


def test_parking_an_empty_basket_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        ParkedBaskets(tmp_path).park(Basket(), parked_at=0)
    with pytest.raises(NotFoundError):
        ParkedBaskets(tmp_path).recall("nope")
