"""Money: cents from pycrdt numbers, parsing, exact splits and VAT per rate."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crdt_models.errors import ValidationError
from crdt_models.money import (
    MAX_CENTS,
    VatTotal,
    allocate,
    parse_money,
    percent_of,
    round_half_up_div,
    to_cents,
    vat_breakdown,
)


@pytest.mark.parametrize(("value", "cents"), [(150, 150), (150.0, 150), (-3.0, -3), (0, 0)])
def test_to_cents_accepts_ints_and_integral_floats(value: object, cents: int) -> None:
    result = to_cents(value)
    assert result == cents
    assert type(result) is int


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (True, "money.type"),
        ("150", "money.type"),
        (None, "money.type"),
        (12.5, "money.fraction"),
        (math.nan, "money.fraction"),
        (math.inf, "money.fraction"),
        (MAX_CENTS + 1, "money.absurd"),
        (-float(MAX_CENTS + 1), "money.absurd"),
    ],
)
def test_to_cents_refuses(value: object, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        to_cents(value, "price")
    assert (info.value.field, info.value.code) == ("price", code)


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("12", 1200),
        ("12.5", 1250),
        ("12,50", 1250),
        ("-3,20 €", -320),
        ("0,05", 5),
        (" 7 EUR ", 700),
    ],
)
def test_parse_money(text: str, cents: int) -> None:
    assert parse_money(text) == cents


@pytest.mark.parametrize("text", ["", "12.", "1,234.5", "1.234", "abc", "€5", "12,5,0"])
def test_parse_money_refuses(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_money(text)
    assert info.value.code == "money.format"


def test_parse_money_refuses_absurd_amounts() -> None:
    with pytest.raises(ValidationError) as info:
        parse_money("999999999")
    assert info.value.code == "money.absurd"


def test_round_half_up_div_rounds_half_away_from_zero() -> None:
    assert [round_half_up_div(n, 2) for n in (1, 3, -1, -3, 4)] == [1, 2, -1, -2, 2]
    assert round_half_up_div(10, 3) == 3
    with pytest.raises(ValueError):
        round_half_up_div(1, 0)


def test_percent_of() -> None:
    assert percent_of(1000, 1000) == 100
    assert percent_of(5, 1000) == 1  # 0.5 rounds up
    assert percent_of(-5, 1000) == -1


def test_allocate_examples() -> None:
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]  # ties go to the earliest
    assert allocate(-100, [1, 1, 1]) == [-34, -33, -33]
    assert allocate(10, [0, 0]) == [5, 5]
    assert allocate(0, []) == []
    with pytest.raises(ValueError):
        allocate(1, [])
    with pytest.raises(ValueError):
        allocate(1, [1, -1])


@settings(max_examples=200, deadline=None)
@given(
    total=st.integers(-MAX_CENTS, MAX_CENTS),
    weights=st.lists(st.integers(0, 100_000), min_size=1, max_size=12),
)
def test_allocate_parts_sum_exactly_and_stay_proportional(total: int, weights: list[int]) -> None:
    parts = allocate(total, weights)
    assert sum(parts) == total
    ws = weights if sum(weights) else [1] * len(weights)
    for part, w in zip(parts, ws, strict=True):
        exact = total * w / sum(ws)
        assert abs(part - exact) < 1 + 1e-9


def test_vat_breakdown_per_rate_on_the_rate_total() -> None:
    # 3 x 1.20 at 5.5 %: VAT on 3.60 is 0.1877 -> 0.19, not 3 x 0.06 = 0.18
    assert vat_breakdown([(550, 120)] * 3 + [(2000, 250)]) == [
        VatTotal(rate_bp=550, gross=360, net=341, vat=19),
        VatTotal(rate_bp=2000, gross=250, net=208, vat=42),
    ]
    with pytest.raises(ValidationError):
        vat_breakdown([(10_001, 100)])


@settings(max_examples=200, deadline=None)
@given(
    lines=st.lists(
        st.tuples(st.sampled_from([0, 550, 1000, 2000]), st.integers(-100_000, 100_000)),
        max_size=20,
    )
)
def test_vat_breakdown_adds_up(lines: list[tuple[int, int]]) -> None:
    totals = vat_breakdown(lines)
    assert sum(t.gross for t in totals) == sum(amount for _, amount in lines)
    assert all(t.net + t.vat == t.gross for t in totals)
    assert [t.rate_bp for t in totals] == sorted({bp for bp, _ in lines})
    negated = vat_breakdown([(bp, -amount) for bp, amount in lines])
    assert [t.vat for t in negated] == [-t.vat for t in totals]  # refunds round symmetrically
