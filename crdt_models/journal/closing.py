"""Closings (daily Z, monthly, yearly) and the perpetual grand totals.

A till's grand totals are never stored as a number anyone could edit: they
are the sums over its sales chain, and every closing carries them so that
the verifier can recompute them and report "grand total mismatch".

- ``grand_total``: signed sum of every sale and refund total since the till
  was provisioned;
- ``grand_total_abs``: sum of their absolute values, which only ever grows.

A **day** closing covers the sales, refunds and duplicates recorded since the
previous day closing. A **month** closing covers the day closings since the
previous month closing, a **year** closing the month closings since the
previous year closing; both sum their parts, and carry the grand totals as of
their last part. Every closing body has the same fields::

    period, label, tickets, refunds, duplicates, vat [{rate_bp, gross, net, vat}],
    payments [{method, amount}], total, grand_total, grand_total_abs

and a day closing may also hold ``count``: the till's cash count made just
before it (:mod:`.count`), whose ``expected`` amounts are this closing's
payments. ``total`` = sum of VAT gross = sum of payments (net of change). Labels are
``YYYY-MM-DD``, ``YYYY-MM`` and ``YYYY`` in the shop's own time zone (the
caller decides which business day a closing belongs to).

When to call what: the till calls :func:`next_closing_body` with its sales
chain to make the body of the closing it is about to append; the verifier
walks the chain with a :class:`ClosingState`; :func:`daily_closing_body` and
:func:`period_closing_body` are the pure computations both use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from crdt_models.errors import ValidationError
from crdt_models.journal.count import validate_count
from crdt_models.journal.fields import get_int, get_list, get_str, only_keys
from crdt_models.journal.record import Record
from crdt_models.journal.sale import net_payments

__all__ = [
    "PERIODS",
    "ClosingState",
    "GrandTotals",
    "daily_closing_body",
    "grand_totals",
    "next_closing_body",
    "period_closing_body",
    "validate_closing_body",
]

#: Closing periods, each closing the one before it.
PERIODS = ("day", "month", "year")
_LABELS = {
    "day": re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"),
    "month": re.compile(r"\d{4}-(0[1-9]|1[0-2])"),
    "year": re.compile(r"\d{4}"),
}
_KEYS = frozenset(
    {
        "period",
        "label",
        "tickets",
        "refunds",
        "duplicates",
        "vat",
        "payments",
        "total",
        "grand_total",
        "grand_total_abs",
        "count",
    }
)
_COUNTERS = ("tickets", "refunds", "duplicates")


@dataclass(frozen=True, slots=True)
class GrandTotals:
    """Perpetual totals of a till, in cents: signed and absolute."""

    total: int = 0
    absolute: int = 0

    def plus(self, amount: int) -> GrandTotals:
        """These totals after one more sale (positive) or refund (negative)."""
        return GrandTotals(self.total + amount, self.absolute + abs(amount))


def _label(period: str, label: str) -> None:
    if period not in _LABELS:
        raise ValidationError("period", "closing.period", f"unknown period {period!r}")
    if not isinstance(label, str) or not _LABELS[period].fullmatch(label):
        raise ValidationError("label", "closing.label", f"{label!r} is not a {period} label")


def _body(
    period: str,
    label: str,
    counts: Mapping[str, int],
    vat: Mapping[int, tuple[int, int, int]],
    payments: Mapping[str, int],
    grand: GrandTotals,
) -> dict[str, Any]:
    total = sum(g for g, _, _ in vat.values())
    return {
        "period": period,
        "label": label,
        **{name: counts.get(name, 0) for name in _COUNTERS},
        "vat": [
            {"rate_bp": bp, "gross": g, "net": n, "vat": v} for bp, (g, n, v) in sorted(vat.items())
        ],
        "payments": [{"method": m, "amount": a} for m, a in sorted(payments.items())],
        "total": total,
        "grand_total": grand.total,
        "grand_total_abs": grand.absolute,
    }


def _add_vat(acc: dict[int, tuple[int, int, int]], rows: Iterable[Mapping[str, Any]]) -> None:
    for row in rows:
        g, n, v = acc.get(row["rate_bp"], (0, 0, 0))
        acc[row["rate_bp"]] = (g + row["gross"], n + row["net"], v + row["vat"])


def _add_payments(acc: dict[str, int], amounts: Mapping[str, int]) -> None:
    for method, amount in amounts.items():
        acc[method] = acc.get(method, 0) + amount


def daily_closing_body(
    label: str, records: Sequence[Record], previous: GrandTotals
) -> dict[str, Any]:
    """The Z of one day: ``records`` are the sales-chain records since the last day closing.

    Sales and refunds add to the VAT, payment and grand totals; duplicates are
    counted; month and year closings among ``records`` are ignored.
    ``previous`` are the grand totals before these records.
    """
    _label("day", label)
    counts = dict.fromkeys(_COUNTERS, 0)
    vat: dict[int, tuple[int, int, int]] = {}
    payments: dict[str, int] = {}
    grand = previous
    for record in records:
        if record.kind == "duplicate":
            counts["duplicates"] += 1
        elif record.kind in ("sale", "refund"):
            counts["tickets" if record.kind == "sale" else "refunds"] += 1
            _add_vat(vat, record.body["vat"])
            _add_payments(payments, net_payments(record.body))
            grand = grand.plus(record.body["total"])
    return _body("day", label, counts, vat, payments, grand)


def period_closing_body(
    period: str, label: str, closings: Sequence[Mapping[str, Any]], previous: GrandTotals
) -> dict[str, Any]:
    """A month (or year) closing: the sum of the day (or month) ``closings`` it covers.

    Its grand totals are those of its last part, or ``previous`` (the grand
    totals at the previous closing of that part's period) if it covers none.
    """
    if period not in ("month", "year"):
        raise ValidationError("period", "closing.period", "period must be month or year")
    _label(period, label)
    part = PERIODS[PERIODS.index(period) - 1]
    counts = dict.fromkeys(_COUNTERS, 0)
    vat: dict[int, tuple[int, int, int]] = {}
    payments: dict[str, int] = {}
    grand = previous
    for closing in closings:
        if closing.get("period") != part:
            raise ValidationError("closings", "closing.part", f"a {period} sums {part} closings")
        for name in _COUNTERS:
            counts[name] += closing[name]
        _add_vat(vat, closing["vat"])
        _add_payments(payments, {p["method"]: p["amount"] for p in closing["payments"]})
        grand = GrandTotals(closing["grand_total"], closing["grand_total_abs"])
    return _body(period, label, counts, vat, payments, grand)


@dataclass
class ClosingState:
    """What a walk over a sales chain knows about closings so far.

    Feed it every record in order (:meth:`feed`); :meth:`expected_closing`
    says what the body of a closing appended now must be.
    """

    grand: GrandTotals = field(default_factory=GrandTotals)
    since_day: list[Record] = field(default_factory=list)
    days: list[Mapping[str, Any]] = field(default_factory=list)
    months: list[Mapping[str, Any]] = field(default_factory=list)
    at_last: dict[str, GrandTotals] = field(default_factory=dict)

    def expected_closing(self, period: str, label: str) -> dict[str, Any]:
        """The body a ``period`` closing labelled ``label`` must have at this point.

        Closings nest: a month closing needs the day closed first (no record
        since the last Z), a year closing needs the month closed first.
        Raises ValidationError ("closing.order") otherwise.
        """
        if period == "day":
            return daily_closing_body(label, self.since_day, self.at_last.get("day", GrandTotals()))
        if period in ("month", "year") and self.since_day:
            raise ValidationError("period", "closing.order", "close the day before the month")
        if period == "year" and self.days:
            raise ValidationError("period", "closing.order", "close the month before the year")
        parts, part = (self.days, "day") if period == "month" else (self.months, "month")
        return period_closing_body(period, label, parts, self.at_last.get(part, GrandTotals()))

    def feed(self, record: Record) -> None:
        """Take one more record of the chain into account."""
        if record.kind in ("sale", "refund"):
            self.grand = self.grand.plus(record.body["total"])
            self.since_day.append(record)
        elif record.kind == "duplicate":
            self.since_day.append(record)
        elif record.kind == "closing":
            period = record.body["period"]
            body = record.body
            self.at_last[period] = GrandTotals(body["grand_total"], body["grand_total_abs"])
            if period == "day":
                self.since_day = []
                self.days.append(body)
            elif period == "month":
                self.days = []
                self.months.append(body)
            else:
                self.months = []


def grand_totals(records: Iterable[Record]) -> GrandTotals:
    """The perpetual grand totals of a sales chain, computed from its records."""
    state = ClosingState()
    for record in records:
        state.feed(record)
    return state.grand


def next_closing_body(
    records: Iterable[Record],
    period: str,
    label: str,
    count: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The body of the ``period`` closing to append after ``records`` (the whole sales
    chain), holding the cash ``count`` made just before it when given (day only)."""
    state = ClosingState()
    for record in records:
        state.feed(record)
    body = state.expected_closing(period, label)
    if count is not None:
        body["count"] = dict(count)
        validate_closing_body(body, 0)
    return body


def validate_closing_body(body: Mapping[str, Any], seq: int) -> None:
    """Check a closing body's shape and that its own totals add up.

    Whether it matches the chain is the verifier's job ("grand total mismatch").
    """
    del seq
    only_keys(body, _KEYS, "closing")
    _label(get_str(body, "period", ""), get_str(body, "label", ""))
    for name in _COUNTERS:
        get_int(body, name, "", minimum=0)
    gross = 0
    for i, row in enumerate(get_list(body, "vat", "")):
        where = f"vat[{i}]."
        if not isinstance(row, dict):
            raise ValidationError(where, "body.type", f"{where} must be an object")
        only_keys(row, {"rate_bp", "gross", "net", "vat"}, where)
        g, n, v = (get_int(row, k, where) for k in ("gross", "net", "vat"))
        get_int(row, "rate_bp", where, minimum=0)
        if n + v != g:
            raise ValidationError(where, "closing.vat", f"{where}: net + vat != gross")
        gross += g
    paid = 0
    for i, row in enumerate(get_list(body, "payments", "")):
        where = f"payments[{i}]."
        if not isinstance(row, dict):
            raise ValidationError(where, "body.type", f"{where} must be an object")
        only_keys(row, {"method", "amount"}, where)
        get_str(row, "method", where)
        paid += get_int(row, "amount", where)
    total = get_int(body, "total", "")
    if not total == gross == paid:
        raise ValidationError("total", "closing.total", "total, VAT and payments differ")
    grand, absolute = get_int(body, "grand_total", ""), get_int(body, "grand_total_abs", "")
    if absolute < abs(grand):
        raise ValidationError("grand_total_abs", "closing.grand", "absolute total below total")
    if "count" in body:
        _check_count(body)


def _check_count(body: Mapping[str, Any]) -> None:
    """A day closing's count expects exactly what the closing's payments kept."""
    if body["period"] != "day":
        raise ValidationError("count", "closing.count", "only a day closing holds a count")
    count = body["count"]
    validate_count(count, "count.")
    paid = {p["method"]: p["amount"] for p in body["payments"]}
    expected = {row["method"]: row["expected"] for row in count["methods"]}
    if {m: a for m, a in paid.items() if a} != {m: a for m, a in expected.items() if a}:
        raise ValidationError("count", "closing.count", "the count expects other amounts")
