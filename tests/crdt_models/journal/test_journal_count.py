"""Cash counts: in a day closing (checked against its payments) and as a cashier's
``cash_count`` record; both verify, and neither changes the closings' totals."""

from __future__ import annotations

import pytest
from journal_factory import DAY0, JournalBuilder

from crdt_models.errors import ValidationError
from crdt_models.journal import (
    CASH,
    Payment,
    SaleLine,
    count_body,
    count_difference,
    expected_amounts,
    generate_signing_key,
    next_closing_body,
    public_key_of,
    validate_body,
    verify_chain,
)

KEY = generate_signing_key()
PUB = public_key_of(KEY)
BREAD = SaleLine("bread", "Baguette", 2000, 110, 550)  # 2.20
WINE = SaleLine("wine", "Bordeaux", 1000, 1200, 2000)  # 12.00


def _day() -> JournalBuilder:
    j = JournalBuilder(KEY)
    j.sale([BREAD], [Payment(CASH, 500)], DAY0)  # change 2.80: the drawer keeps 2.20
    j.sale([WINE], [Payment("card", 1200)], DAY0 + 60)
    return j


def test_expected_amounts_start_after_the_last_day_closing() -> None:
    j = _day()
    assert expected_amounts(j.records) == {CASH: 220, "card": 1200}
    j.closing("day", "2025-11-28", DAY0 + 3600)
    assert expected_amounts(j.records) == {}
    j.sale([BREAD], [Payment(CASH, 220)], DAY0 + 86_400)
    assert expected_amounts(j.records) == {CASH: 220}
    assert expected_amounts(j.records, cashier="someone else") == {}


def test_a_day_closing_holds_the_count_and_verifies() -> None:
    j = _day()
    expected = expected_amounts(j.records)
    # 2.20 in the drawer counted as 2 x 1 € + 1 x 0.20 €; the card slips 0.01 short
    count = count_body("cashier-1", expected, {CASH: 220, "card": 1199}, {100: 2, 20: 1})
    assert count_difference(count) == {CASH: 0, "card": -1}
    body = next_closing_body(j.records, "day", "2025-11-28", count)
    closing = j.append("closing", body, DAY0 + 3600)
    assert closing.body["count"]["cash"] == [{"unit": 20, "qty": 1}, {"unit": 100, "qty": 2}]
    assert closing.body["total"] == 1420  # the count changes no total
    j.closing("month", "2025-11", DAY0 + 3700)
    report = verify_chain(j.records, PUB)
    assert report.ok, report


def test_a_count_that_expects_other_amounts_is_refused() -> None:
    j = _day()
    wrong = count_body("cashier-1", {CASH: 999, "card": 1200}, {CASH: 999, "card": 1200})
    with pytest.raises(ValidationError) as caught:
        next_closing_body(j.records, "day", "2025-11-28", wrong)
    assert caught.value.code == "closing.count"
    body = next_closing_body(j.records, "day", "2025-11-28")
    body["count"] = wrong  # as a forged or buggy till would write it
    with pytest.raises(ValidationError):
        validate_body("sales", "closing", body, 3)
    month = next_closing_body([], "day", "2025-11-28")
    month.update(period="month", label="2025-11")
    month["count"] = count_body("c", {}, {CASH: 0})
    with pytest.raises(ValidationError):  # only a day closing holds a count
        validate_body("sales", "closing", month, 1)


@pytest.mark.parametrize(
    ("counted", "cash", "code"),
    [
        ({CASH: 300}, {100: 2}, "count.cash"),  # the coins make 2.00, not 3.00
        ({CASH: 300}, {300: 1}, "count.unit"),  # no 3 € coin
        ({CASH: -1}, None, "body.range"),
        ({}, None, "count.empty"),
    ],
)
def test_a_malformed_count_is_refused(
    counted: dict[str, int], cash: dict[int, int] | None, code: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        count_body("cashier-1", {}, counted, cash)
    assert caught.value.code == code


def test_a_cashiers_count_is_a_sales_record_that_verifies() -> None:
    j = _day()
    count = count_body("cashier-1", expected_amounts(j.records), {CASH: 200, "card": 1200})
    j.append("cash_count", count, DAY0 + 120)
    closing = j.closing("day", "2025-11-28", DAY0 + 3600)
    assert closing.body["tickets"] == 2 and closing.body["total"] == 1420
    assert verify_chain(j.records, PUB).ok
    with pytest.raises(ValidationError):
        validate_body("sales", "cash_count", {**count, "extra": 1}, 4)
