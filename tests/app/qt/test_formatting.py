"""Money, numbers and percentages in French and English."""

from __future__ import annotations

import time

import pytest

from app.qt.formatting import (
    format_datetime,
    format_money,
    format_number,
    format_percent_bp,
    format_recent,
)


def plain(text: str) -> str:
    """Show no-break spaces as ordinary spaces, as a reader sees them."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(
    ("cents", "fr", "en"),
    [
        (1250, "12,50 €", "€12.50"),
        (5, "0,05 €", "€0.05"),
        (0, "0,00 €", "€0.00"),
        (123456, "1 234,56 €", "€1,234.56"),
        (-350, "-3,50 €", "-€3.50"),
        (100_000_000, "1 000 000,00 €", "€1,000,000.00"),
    ],
)
def test_money(cents: int, fr: str, en: str) -> None:
    assert plain(format_money(cents, "fr")) == fr
    assert format_money(cents, "en") == en


def test_french_amount_never_wraps() -> None:
    assert " " not in format_money(123456, "fr")


@pytest.mark.parametrize(
    ("bp", "fr", "en"),
    [(2000, "20 %", "20%"), (550, "5,5 %", "5.5%"), (1000, "10 %", "10%"), (210, "2,1 %", "2.1%")],
)
def test_percent(bp: int, fr: str, en: str) -> None:
    assert plain(format_percent_bp(bp, "fr")) == fr
    assert format_percent_bp(bp, "en") == en


def test_numbers_and_dates() -> None:
    assert plain(format_number(12345, "fr")) == "12 345"
    assert format_number(-12345, "en") == "-12,345"
    ts = int(time.mktime((2026, 11, 28, 14, 58, 0, 0, 0, -1)))
    assert format_datetime(ts, "fr") == "28/11/2026 14:58"
    assert format_datetime(ts, "en") == "28 Nov 2026 14:58"


def test_recent_times_say_today_or_yesterday() -> None:
    now = time.mktime((2026, 11, 28, 18, 0, 0, 0, 0, -1))
    today = int(time.mktime((2026, 11, 28, 14, 3, 0, 0, 0, -1)))
    yesterday = int(time.mktime((2026, 11, 27, 9, 12, 0, 0, 0, -1)))
    older = int(time.mktime((2026, 11, 26, 23, 59, 0, 0, 0, -1)))
    assert format_recent(today, "en", now) == "today 14:03"
    assert format_recent(today, "fr", now) == "aujourd'hui 14:03"
    assert format_recent(yesterday, "en", now) == "yesterday 09:12"
    assert format_recent(yesterday, "fr", now) == "hier 09:12"
    assert format_recent(older, "en", now) == "26 Nov 2026 23:59"
    assert format_recent(older, "fr", now) == "26/11/2026 23:59"
