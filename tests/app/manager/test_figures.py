"""Dashboard figures equal a recomputation from journal records, to the cent.

Records are made with the journal API (sales and refunds on several tills,
signed and chained); the expected figures are summed here straight from the
record bodies, independently of :mod:`app.manager.figures`. Both ways the
dashboard gets its figures are checked: from the records this computer holds
(:func:`compute_figures`) and from the relay's daily summaries (a real relay
storage, :func:`figures_from_stats`), over random periods of the shop's days
around Paris midnights, the two daylight-saving changes included.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.periods import Period
from app.manager.figures import Figures, compute_figures, figures_from_stats
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
from relay_server.storage import Storage, open_storage

DAY = int(datetime(2026, 11, 27, tzinfo=UTC).timestamp())
KEYS = [generate_signing_key() for _ in range(3)]
PARIS = ZoneInfo("Europe/Paris")
#: Four Paris days around each daylight-saving change of 2026 (29 March: a 23-hour day;
#: 25 October: a 25-hour day); sales fall anywhere in them, often near a midnight.
WINDOWS = [date(2026, 3, 27), date(2026, 10, 23)]
WINDOW_DAYS = 4

line_st = st.tuples(
    st.sampled_from(["p-bread", "p-cake", "p-coffee", "p-soda"]),
    st.integers(1, 4000),  # qty in milli-units (weighed goods too)
    st.integers(0, 5000),  # unit price
    st.sampled_from([550, 1000, 2000]),
)
#: What a sale holds besides its till and time: lines, how it is paid, extra cash
#: tendered, whether its first line is refunded afterwards.
sale_body_st = (
    st.lists(line_st, min_size=1, max_size=4),
    st.sampled_from(["cash", "card", "split"]),
    st.integers(0, 999),
    st.booleans(),
)
sale_st = st.tuples(
    st.integers(0, 2),  # till
    st.integers(0, 86_399),  # second of the day
    *sale_body_st,
)


def _midnight(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=PARIS).timestamp())


@st.composite
def _moment(draw: st.DrawFn, first: date) -> int:
    """Seconds after Paris midnight of ``first``: anywhere in the window, or within
    half an hour of one of its midnights."""
    start = _midnight(first)
    length = _midnight(first + timedelta(days=WINDOW_DAYS)) - start
    if draw(st.booleans()):
        return draw(st.integers(0, length - 1))
    midnight = _midnight(first + timedelta(days=draw(st.integers(1, WINDOW_DAYS - 1))))
    return midnight - start + draw(st.integers(-1800, 1800))


@st.composite
def _period(draw: st.DrawFn, first: date) -> Period:
    start = first + timedelta(days=draw(st.integers(0, WINDOW_DAYS - 1)))
    days = draw(st.integers(1, WINDOW_DAYS))
    return Period(start, start + timedelta(days=days - 1))


@st.composite
def _local_case(draw: st.DrawFn) -> tuple[date, list[tuple[Any, ...]], Period]:
    """(window start, sales with their second in the window, a period of its days)."""
    first = draw(st.sampled_from(WINDOWS))
    moment = _moment(first)
    sales = draw(
        st.lists(
            st.tuples(st.integers(0, 2), moment, *sale_body_st),
            max_size=20,
        )
    )
    return first, sales, draw(_period(first))


def _journal(
    sales: list[tuple[Any, ...]],
    start: int = DAY,
    tills: list[str] | None = None,
) -> list[Record]:
    """Signed chains of the three tills (ids ``tills``) from ``sales`` made at ``start`` + s."""
    tills = tills or [f"till-{i}" for i in range(3)]
    heads = [ChainHead.genesis(tills[i], "sales") for i in range(3)]
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
        sale = append_record(head, "sale", body, start + second, KEYS[till])
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
            record = append_record(head, "refund", refund_body, start + second, KEYS[till])
            records.append(record)
            heads[till] = head_after(record)
    return records


def _expected(
    records: list[Record], zone: tzinfo = UTC, period: Period | None = None
) -> dict[str, Any]:
    """The figures of the records whose day in ``zone`` is in ``period`` (default: all)."""
    revenue = 0
    tickets = 0
    refunds = 0
    per_day: dict[date, int] = defaultdict(int)
    per_hour: dict[int, int] = defaultdict(int)
    per_till: dict[str, int] = defaultdict(int)
    per_method: dict[str, int] = defaultdict(int)
    per_vat: dict[int, int] = defaultdict(int)
    per_product: dict[str, int] = defaultdict(int)
    per_qty: dict[str, int] = defaultdict(int)
    for r in records:
        when = datetime.fromtimestamp(r.ts, zone)
        if period is not None and not period.first <= when.date() <= period.last:
            continue
        total = r.body["total"]
        revenue += total
        tickets += r.kind == "sale"
        refunds += r.kind == "refund"
        per_day[when.date()] += total
        per_hour[when.hour] += total
        per_till[r.till_id] += total
        for p in r.body["payments"]:
            per_method[p["method"]] += p["amount"]
        if r.body.get("change"):
            per_method[CASH] -= r.body["change"]
        for v in r.body["vat"]:
            per_vat[v["rate_bp"]] += v["gross"]
        for line in r.body["lines"]:
            per_product[line["product"]] += line["total"]
            per_qty[line["product"]] += line["qty"] if r.kind == "sale" else -line["qty"]
    return {
        "revenue": revenue,
        "tickets": tickets,
        "refunds": refunds,
        "per_day": dict(per_day),
        "per_hour": dict(per_hour),
        "per_till": dict(per_till),
        "per_method": dict(per_method),
        "per_vat": dict(per_vat),
        "per_product": dict(per_product),
        "per_qty": dict(per_qty),
    }


def _assert_figures(figures: Figures, expected: dict[str, Any]) -> None:
    assert figures.revenue == expected["revenue"]
    assert (figures.tickets, figures.refunds) == (expected["tickets"], expected["refunds"])
    assert figures.per_day == expected["per_day"]
    assert figures.per_hour == expected["per_hour"]
    assert figures.per_till == expected["per_till"]
    assert figures.per_method == expected["per_method"]
    assert figures.per_vat == expected["per_vat"]
    assert {p: f.revenue for p, f in figures.products.items()} == expected["per_product"]
    assert {p: f.qty for p, f in figures.products.items()} == expected["per_qty"]
    # Every breakdown partitions the same revenue.
    breakdowns = (figures.per_day, figures.per_hour, figures.per_till, figures.per_method)
    for breakdown in (*breakdowns, figures.per_vat):
        assert sum(breakdown.values()) == figures.revenue


@settings(max_examples=40, deadline=None)
@given(st.lists(sale_st, min_size=0, max_size=25))
def test_figures_equal_a_recomputation_from_the_records(sales: list[tuple[Any, ...]]) -> None:
    records = _journal(sales)
    figures = compute_figures(records, UTC)
    _assert_figures(figures, _expected(records))
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


@settings(max_examples=40, deadline=None)
@given(_local_case())
def test_figures_of_a_period_of_paris_days_equal_a_recomputation(
    case: tuple[date, list[tuple[Any, ...]], Period],
) -> None:
    first, sales, period = case
    records = _journal(sales, _midnight(first))
    held = [r for r in records if period.bounds(PARIS)[0] <= r.ts < period.bounds(PARIS)[1]]
    _assert_figures(compute_figures(held, PARIS), _expected(records, PARIS, period))


@pytest.fixture(scope="module")
def relay_storage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Storage]:
    """One relay database for the module; each example uses a shop of its own."""
    storage = open_storage(f"sqlite:///{tmp_path_factory.mktemp('relay') / 'relay.db'}")
    yield storage
    storage.close()


@settings(max_examples=30, deadline=None)
@given(case=_local_case())
def test_relay_figures_of_a_period_of_paris_days_equal_a_recomputation(
    relay_storage: Storage, case: tuple[date, list[tuple[Any, ...]], Period]
) -> None:
    first, sales, period = case
    accounts = relay_storage.accounts
    shop = accounts.create_shop(f"Shop {uuid.uuid4().hex}")
    tills = [accounts.add_till(shop.id, f"T{i}", uuid.uuid4().hex, "-").id for i in range(3)]
    records = _journal(sales, _midnight(first), tills)
    for till in tills:  # as tills upload: each its own chain, in frames of a few records
        chain = [r for r in records if r.till_id == till]
        for n in range(0, len(chain), 3):
            assert relay_storage.journal.insert_many(shop.id, chain[n : n + 3], PARIS)
    stats = relay_storage.journal.stats(shop.id, period.first.isoformat(), period.last.isoformat())
    _assert_figures(figures_from_stats(stats), _expected(records, PARIS, period))
