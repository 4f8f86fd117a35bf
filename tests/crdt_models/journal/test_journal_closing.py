"""Daily, monthly and yearly closings, and the perpetual grand totals they carry."""

from __future__ import annotations

import dataclasses

import pytest
from journal_factory import DAY0, TILL, JournalBuilder, sample_journal

from crdt_models.errors import ValidationError
from crdt_models.journal import (
    CASH,
    ChainHead,
    GrandTotals,
    Payment,
    Record,
    RefundLine,
    SaleLine,
    append_record,
    daily_closing_body,
    generate_signing_key,
    grand_totals,
    head_after,
    next_closing_body,
    period_closing_body,
    public_key_of,
    verify_chain,
)
from crdt_models.journal.keys import sign_digest

KEY = generate_signing_key()
PUB = public_key_of(KEY)
BREAD = SaleLine("bread", "Baguette", 2000, 110, 550)  # 2.20, 5.5 %
WINE = SaleLine("wine", "Bordeaux", 1000, 1200, 2000)  # 12.00, 20 %


def _three_days() -> JournalBuilder:
    j = JournalBuilder(KEY)
    # day 1: two sales, one partly refunded, one duplicate
    s1 = j.sale([BREAD, WINE], [Payment("card", 1420)], DAY0)
    j.sale([BREAD], [Payment(CASH, 500)], DAY0 + 60)  # change 280
    j.refund(s1, [RefundLine(1, 1000)], DAY0 + 120, method="card")  # -12.00
    j.duplicate(s1, DAY0 + 130)
    j.closing("day", "2025-11-28", DAY0 + 3600)
    # day 2: nothing sold, the Z is still recorded
    j.closing("day", "2025-11-29", DAY0 + 86_400)
    # day 3: one sale with a basket discount, paid cash and card
    j.sale(
        [WINE, BREAD],
        [Payment("card", 1000), Payment(CASH, 1000)],
        DAY0 + 2 * 86_400,
        basket_discount=20,
    )
    j.closing("day", "2025-11-30", DAY0 + 2 * 86_400 + 3600)
    j.closing("month", "2025-11", DAY0 + 2 * 86_400 + 3700)
    return j


def test_daily_z_totals_by_vat_rate_and_payment_method() -> None:
    j = _three_days()
    z1 = j.records[4].body
    assert z1 == {
        "period": "day",
        "label": "2025-11-28",
        "tickets": 2,
        "refunds": 1,
        "duplicates": 1,
        "vat": [
            # the sum of each ticket's VAT (11 + 11), not 5.5 % of 4.40 recomputed (23)
            {"rate_bp": 550, "gross": 440, "net": 418, "vat": 22},
            {"rate_bp": 2000, "gross": 0, "net": 0, "vat": 0},
        ],
        "payments": [{"method": "card", "amount": 220}, {"method": CASH, "amount": 220}],
        "total": 440,
        "grand_total": 440,
        "grand_total_abs": 1420 + 220 + 1200,
    }
    z2 = j.records[5].body
    assert (z2["tickets"], z2["vat"], z2["payments"], z2["total"]) == (0, [], [], 0)
    assert (z2["grand_total"], z2["grand_total_abs"]) == (440, 2840)
    z3 = j.records[7].body
    assert z3["total"] == 1400 and z3["grand_total"] == 1840
    assert z3["payments"] == [{"method": "card", "amount": 1000}, {"method": CASH, "amount": 400}]
    assert z3["grand_total_abs"] == 2840 + 1400


def test_month_sums_its_days_and_carries_the_last_grand_totals() -> None:
    j = _three_days()
    days = [r.body for r in j.records if r.kind == "closing" and r.body["period"] == "day"]
    month = j.records[-1].body
    assert month["period"] == "month" and month["label"] == "2025-11"
    assert month["tickets"] == sum(d["tickets"] for d in days) == 3
    assert month["refunds"] == 1 and month["duplicates"] == 1
    assert month["total"] == sum(d["total"] for d in days) == 1840
    assert sum(v["gross"] for v in month["vat"]) == month["total"]
    assert sum(p["amount"] for p in month["payments"]) == month["total"]
    assert (month["grand_total"], month["grand_total_abs"]) == (1840, 4240)
    assert month == period_closing_body("month", "2025-11", days, GrandTotals())


def test_grand_totals_across_days_months_and_years() -> None:
    j = sample_journal(KEY, days=4)
    report = verify_chain(j.records, PUB)
    assert report.ok, report
    closings = [r.body for r in j.records if r.kind == "closing"]
    days = [c for c in closings if c["period"] == "day"]
    assert len(days) == 4
    running = 0
    absolute = []
    for day in days:
        running += day["total"]
        assert day["grand_total"] == running
        absolute.append(day["grand_total_abs"])
    assert absolute == sorted(absolute)  # the absolute grand total only grows
    expected = grand_totals(j.records)
    assert report.grand_totals == expected
    assert expected.total == sum(r.body["total"] for r in j.records if r.kind in ("sale", "refund"))
    year = closings[-1]
    assert year["period"] == "year" and year["total"] == closings[-2]["total"] == running
    assert (year["grand_total"], year["grand_total_abs"]) == (expected.total, expected.absolute)


def test_a_new_period_starts_from_the_previous_closing() -> None:
    j = _three_days()
    j.sale([BREAD], [Payment("card", 220)], DAY0 + 40 * 86_400)
    z = next_closing_body(j.records, "day", "2026-01-07")
    assert (z["tickets"], z["total"], z["grand_total"]) == (1, 220, 2060)
    j.append("closing", z, DAY0 + 40 * 86_400 + 60)
    january = next_closing_body(j.records, "month", "2026-01")
    assert (january["tickets"], january["total"], january["grand_total"]) == (1, 220, 2060)
    with pytest.raises(ValidationError):  # January's day is closed, its month is not
        next_closing_body(j.records, "year", "2025")
    assert daily_closing_body("2026-01-08", [], GrandTotals(5, 7))["grand_total_abs"] == 7


@pytest.mark.parametrize(
    ("period", "label"),
    [("day", "2025-11"), ("month", "2025-13"), ("year", "25"), ("week", "2025-W01")],
)
def test_closing_labels_are_checked(period: str, label: str) -> None:
    with pytest.raises(ValidationError):
        next_closing_body([], period, label)


def test_a_closing_body_that_does_not_add_up_is_refused() -> None:
    j = _three_days()
    body = next_closing_body(j.records, "day", "2025-12-01")
    head = j.head
    for key, value in (("total", 1), ("grand_total_abs", -1), ("tickets", -1), ("extra", 0)):
        with pytest.raises(ValidationError):
            append_record(head, "closing", {**body, key: value}, DAY0, KEY)


def _forge_closing(j: JournalBuilder, index: int, changes: dict[str, object]) -> list[Record]:
    """What an insider holding the till's key could write: a re-signed closing."""
    records = list(j.records[:index])
    head = head_after(records[-1]) if records else ChainHead.genesis(TILL, "sales")
    for record in j.records[index:]:
        body = {**record.body, **changes} if len(records) == index else record.body
        new = append_record(head, record.kind, body, record.ts, KEY)
        records.append(new)
        head = head_after(new)
    return records


def test_a_re_signed_closing_with_wrong_grand_totals_is_a_grand_total_mismatch() -> None:
    j = _three_days()
    changes: list[tuple[int, dict[str, object]]] = [
        (4, {"grand_total": 441}),
        (7, {"grand_total_abs": 99_999}),
        (8, {"total": 0, "vat": [], "payments": []}),
    ]
    for index, change in changes:
        forged = _forge_closing(j, index, change)
        report = verify_chain(forged, PUB)
        assert (report.ok, report.first_bad_seq, report.reason) == (
            False,
            index + 1,
            "grand total mismatch",
        )
        assert report.count == index


def test_a_re_signed_sale_that_does_not_add_up_is_an_invalid_body() -> None:
    j = _three_days()
    sale = j.records[0]
    body = {**sale.body, "total": sale.body["total"] + 100}
    digest = dataclasses.replace(sale, body=body).content_hash()
    forged = dataclasses.replace(
        sale, body=body, hash=digest, signature=sign_digest(KEY, bytes.fromhex(digest)).hex()
    )
    report = verify_chain([forged, *j.records[1:]], PUB)
    assert (report.first_bad_seq, report.reason) == (1, "invalid body")


def test_totals_are_only_checked_from_the_genesis() -> None:
    j = _three_days()
    start = head_after(j.records[4])
    report = verify_chain(j.records[5:], PUB, start=start)
    assert report.ok and report.count == len(j.records) - 5 and report.grand_totals is None
    events = ChainHead.genesis(TILL, "events")
    login = append_record(events, "login", {"cashier": "c"}, DAY0, KEY)
    assert verify_chain([login], PUB).grand_totals is None


def test_closings_nest_day_then_month_then_year() -> None:
    j = JournalBuilder(KEY)
    j.sale([BREAD], [Payment("card", 220)], DAY0)
    with pytest.raises(ValidationError) as info:
        next_closing_body(j.records, "month", "2025-11")
    assert info.value.code == "closing.order"
    j.closing("day", "2025-11-28", DAY0 + 60)
    with pytest.raises(ValidationError) as info:
        next_closing_body(j.records, "year", "2025")
    assert info.value.code == "closing.order"
    j.closing("month", "2025-11", DAY0 + 120)
    j.closing("year", "2025", DAY0 + 180)
    assert verify_chain(j.records, PUB).ok
    # a till that skipped the rule is caught by the verifier
    early = JournalBuilder(KEY)
    early.sale([BREAD], [Payment("card", 220)], DAY0)
    month = period_closing_body("month", "2025-11", [], GrandTotals())
    early.append("closing", month, DAY0 + 60)
    report = verify_chain(early.records, PUB)
    assert (report.first_bad_seq, report.reason) == (2, "invalid body")
