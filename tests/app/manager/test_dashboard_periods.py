"""The dashboard's period selector, driven like an owner: each period shows its own figures,
counted in the shop's days (Paris), whatever the computer's time zone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from app.core.periods import Period, PeriodChoice
from app.manager.context import ManagerContext
from app.manager.dashboard_page import DashboardPage
from app.qt import i18n
from crdt_models.journal import Payment, SaleLine, build_sale_body, ticket_number
from crdt_models.journal.sale import CASH, QTY_ONE

PARIS = ZoneInfo("Europe/Paris")


def _paris(*when: int) -> int:
    year, month, day, hour, minute = when
    return int(datetime(year, month, day, hour, minute, tzinfo=PARIS).timestamp())


#: Friday 27 November 2026, noon in Paris.
NOW = _paris(2026, 11, 27, 12, 0)
#: (when in Paris, price): one sale each, in the periods the test picks.
SALES = [
    (_paris(2026, 11, 27, 0, 30), 100),  # today, 23:30 the day before in UTC
    (_paris(2026, 11, 27, 11, 0), 200),  # today
    (_paris(2026, 11, 26, 23, 50), 400),  # yesterday
    (_paris(2026, 11, 23, 9, 0), 800),  # Monday of this week
    (_paris(2026, 11, 2, 9, 0), 1600),  # this month
    (_paris(2026, 3, 29, 2, 30), 3200),  # this year: the night clocks go forward (03:30)
    (_paris(2026, 1, 1, 0, 10), 6400),  # this year's first minutes
    (_paris(2025, 12, 31, 23, 50), 12800),  # last year
]


@pytest.fixture
def shop_context(tmp_path: Path) -> Iterator[ManagerContext]:
    ctx = ManagerContext.open(tmp_path / "manager", clock=lambda: NOW)
    for n, (ts, price) in enumerate(SALES):
        lines = [
            SaleLine(product=f"p{n}", label=f"P{n}", qty=QTY_ONE, unit_price=price, vat_bp=550)
        ]

        def body(seq: int, lines: list[SaleLine] = lines, price: int = price) -> dict[str, object]:
            return build_sale_body(
                ticket=ticket_number(9, seq),
                cashier="owner",
                lines=lines,
                payments=[Payment(CASH, price)],
            )

        ctx.store.validate_sale(body, ts=ts)
    yield ctx
    ctx.close()


def _choose(page: DashboardPage, choice: PeriodChoice) -> None:
    page.choice.setCurrentIndex(page.choice.findData(choice))


def test_choosing_a_period_changes_the_figures_shown(
    qtbot: QtBot, shop_context: ManagerContext
) -> None:
    page = DashboardPage(shop_context)
    qtbot.addWidget(page)
    page.resize(1440, 900)
    page.show()
    assert page.choice.currentText() == "Today"
    assert page.period() == Period(date(2026, 11, 27), date(2026, 11, 27))
    assert (page.figures.revenue, page.revenue.value.text()) == (300, "€3.00")
    assert page.figures.per_hour == {0: 100, 11: 200}  # Paris hours
    assert page.time_view.chart().title() == "Revenue per hour"
    assert page.trend.caption.text() == "vs same day last week"

    expected = {
        PeriodChoice.YESTERDAY: (400, "€4.00", "Revenue per hour"),
        PeriodChoice.THIS_WEEK: (1500, "€15.00", "Revenue per day"),
        PeriodChoice.THIS_MONTH: (3100, "€31.00", "Revenue per day"),
        PeriodChoice.THIS_YEAR: (12700, "€127.00", "Revenue per month"),
        PeriodChoice.TODAY: (300, "€3.00", "Revenue per hour"),
    }
    for choice, (cents, shown, chart) in expected.items():
        _choose(page, choice)
        assert page.figures.revenue == cents, choice
        assert page.revenue.value.text() == shown
        assert page.time_view.chart().title() == chart
    _choose(page, PeriodChoice.THIS_WEEK)
    assert page.figures.per_day == {
        date(2026, 11, 23): 800,
        date(2026, 11, 26): 400,
        date(2026, 11, 27): 300,
    }
    assert page.trend.caption.text() == "vs previous period"
    assert page.tickets.value.text() == "4"

    # A date typed in the edits makes the period custom: the last night of 2025 to 1 January.
    page.first_day.setDate(QDate(2025, 12, 31))
    assert page.period_choice() is PeriodChoice.CUSTOM
    assert page.period() == Period(date(2025, 12, 31), date(2026, 11, 27))
    page.last_day.setDate(QDate(2026, 1, 1))
    assert page.period() == Period(date(2025, 12, 31), date(2026, 1, 1))
    assert page.figures.per_day == {date(2025, 12, 31): 12800, date(2026, 1, 1): 6400}
    assert page.figures.per_hour == {23: 12800, 0: 6400}
    # A start after the end moves the end with it.
    page.first_day.setDate(QDate(2026, 3, 29))
    assert page.period() == Period(date(2026, 3, 29), date(2026, 3, 29))
    assert page.figures.per_hour == {3: 3200}  # 02:30 does not exist that night: 03:30

    i18n.set_language("fr")
    assert [page.choice.itemText(i) for i in range(page.choice.count())] == [
        "Aujourd'hui",
        "Hier",
        "Cette semaine",
        "Ce mois-ci",
        "Cette année",
        "Du… au…",
    ]
    assert page.revenue.value.text() == "32,00\u00a0€"
    assert page.as_of.text().startswith("À ")
