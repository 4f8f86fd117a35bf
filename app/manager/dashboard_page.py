"""The Dashboard section: the figures of a period (today, yesterday, this week, this
month, this year or any from/to) in the shop's days (its time zone).

While the manager is signed in to the relay, the figures are the relay's
statistics over every till (:func:`app.manager.figures.figures_from_stats`,
from its daily summaries), asked again every few seconds: they move within
seconds of a sale. Otherwise they are computed by
:func:`app.manager.figures.compute_figures` from the local journal (the
records that reached this device), and the header says "as of HH:MM". A row
of big figures (revenue, tickets, average basket, change against the same day
last week or the period before), then charts (revenue per hour for one day,
per day for a period -- per month beyond two months --, per till, per payment
method) and the top products.
"""

from __future__ import annotations

import time
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QMargins, Qt, QTimer
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.payments import journal_method_names
from app.core.periods import Period, PeriodChoice, shop_today
from app.manager.context import ManagerContext
from app.manager.figures import Figures, ProductFigure, compute_figures, figures_from_stats
from app.manager.relay_connection import RelayConnection
from app.manager.table import Column, EntryTableModel
from app.qt.formatting import format_money, format_number, format_percent_bp
from app.qt.i18n import language, tr, translator
from crdt_models.journal.sale import CASH

__all__ = ["DashboardPage"]

#: How often the figures are asked again while signed in to the relay.
LIVE_REFRESH_MS = 2000

_BAR_COLOUR = QColor("#2563eb")
_TOP_PRODUCTS = 10
#: Longer periods are charted per month, not per day.
MAX_DAY_BARS = 62


def _period_name(choice: PeriodChoice) -> str:
    return {
        PeriodChoice.TODAY: tr("Today"),
        PeriodChoice.YESTERDAY: tr("Yesterday"),
        PeriodChoice.THIS_WEEK: tr("This week"),
        PeriodChoice.THIS_MONTH: tr("This month"),
        PeriodChoice.THIS_YEAR: tr("This year"),
        PeriodChoice.CUSTOM: tr("From… to…"),
    }[choice]


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(qdate: QDate) -> date:
    return date(qdate.year(), qdate.month(), qdate.day())


def _day_label(day: date, lang: str) -> str:
    return f"{day.day:02d}/{day.month:02d}" if lang == "fr" else f"{day.day} {day:%b}"


def _month_label(year: int, month: int, lang: str) -> str:
    return f"{month:02d}/{year}" if lang == "fr" else f"{date(year, month, 1):%b} {year}"


class _Figure(QWidget):
    """A big number with its caption."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = QLabel()
        self.value.setProperty("role", "figure")
        self.caption = QLabel()
        self.caption.setProperty("role", "figureCaption")
        layout = QVBoxLayout(self)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)


def _set_chart(view: QChartView, chart: QChart) -> None:
    """Show ``chart`` in ``view`` and delete the chart it replaces (the view only releases it)."""
    old = view.chart()
    view.setChart(chart)
    if old is not None:
        old.deleteLater()


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().hide()
    return chart


class DashboardPage(QWidget):
    """Figures of the chosen period (today by default); :meth:`refresh` recomputes them."""

    def __init__(
        self,
        context: ManagerContext,
        relay: RelayConnection | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.relay = relay
        self.live = False
        self.figures = Figures()
        self.previous = Figures()
        self.computed_at = 0.0
        self.title = QLabel()
        self.title.setProperty("role", "pageTitle")
        self.choice = QComboBox()
        for choice in PeriodChoice:
            self.choice.addItem("", choice)
        self.choice.currentIndexChanged.connect(lambda _i: self.refresh())
        self.first_day = QDateEdit()
        self.last_day = QDateEdit()
        for edit in (self.first_day, self.last_day):
            edit.setCalendarPopup(True)
            edit.setMinimumHeight(40)
        self.choice.setMinimumHeight(40)
        self._set_dates(Period.of(PeriodChoice.TODAY, self.today()))
        self.first_day.dateChanged.connect(lambda _d: self._dates_edited(self.first_day))
        self.last_day.dateChanged.connect(lambda _d: self._dates_edited(self.last_day))
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        self.as_of = QLabel()
        self.as_of.setProperty("role", "hint")
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addStretch(1)
        header.addWidget(self.as_of)
        header.addWidget(self.choice)
        header.addWidget(self.first_day)
        header.addWidget(QLabel("–"))
        header.addWidget(self.last_day)
        header.addWidget(self.refresh_button)

        self.revenue = _Figure()
        self.tickets = _Figure()
        self.basket = _Figure()
        self.trend = _Figure()
        figures = QHBoxLayout()
        for figure in (self.revenue, self.tickets, self.basket, self.trend):
            figures.addWidget(figure)

        self.time_view = QChartView()
        self.till_view = QChartView()
        self.method_view = QChartView()
        for view in (self.time_view, self.till_view, self.method_view):
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(260)
        self.top_model = EntryTableModel(
            [
                Column(lambda: tr("Product"), lambda p: p.label, lambda p: p.label),
                Column(
                    lambda: tr("Quantity"),
                    lambda p: _quantity(p.qty),
                    lambda p: p.qty,
                    numeric=True,
                ),
                Column(
                    lambda: tr("Revenue"),
                    lambda p: format_money(p.revenue, language()),
                    lambda p: p.revenue,
                    numeric=True,
                ),
            ],
            entry_id=lambda p: p.product,
            search_text=lambda p: p.label,
            parent=self,
        )
        self.top_table = QTableView()
        self.top_table.setModel(self.top_model)
        self.top_model.configure_view(self.top_table)
        self.top_title = QLabel()
        self.top_title.setProperty("role", "figureCaption")
        top_box = QWidget()
        top_layout = QVBoxLayout(top_box)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.top_title)
        top_layout.addWidget(self.top_table, 3)
        self.vat_model = EntryTableModel(
            [
                Column(
                    lambda: tr("VAT rate"),
                    lambda row: format_percent_bp(row[0], language()),
                    lambda row: row[0],
                ),
                Column(
                    lambda: tr("Revenue"),
                    lambda row: format_money(row[1], language()),
                    lambda row: row[1],
                    numeric=True,
                ),
            ],
            entry_id=lambda row: str(row[0]),
            search_text=lambda _row: "",
            parent=self,
        )
        self.vat_table = QTableView()
        self.vat_table.setModel(self.vat_model)
        self.vat_model.configure_view(self.vat_table)
        self.vat_title = QLabel()
        self.vat_title.setProperty("role", "figureCaption")
        top_layout.addWidget(self.vat_title)
        top_layout.addWidget(self.vat_table, 1)

        grid = QGridLayout()
        grid.addWidget(self.time_view, 0, 0, 1, 2)
        grid.addWidget(self.till_view, 1, 0)
        grid.addWidget(self.method_view, 1, 1)
        grid.addWidget(top_box, 0, 2, 2, 1)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(2, 2)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(figures)
        layout.addLayout(grid, 1)
        translator().changed.connect(self._on_language)
        self._timer = QTimer(self)
        self._timer.setInterval(LIVE_REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        if relay is not None:
            relay.state_changed.connect(self._on_relay_state)
        self.refresh()

    def _on_relay_state(self, online: bool) -> None:
        if online:
            self._timer.start()
        else:
            self._timer.stop()
        self.refresh()

    def _on_language(self, _lang: str) -> None:
        self._show()

    # -- the period --------------------------------------------------------

    def today(self) -> date:
        """The shop's date now (in its time zone)."""
        return shop_today(self.context.clock(), self.context.settings.zone())

    def period_choice(self) -> PeriodChoice:
        return PeriodChoice(self.choice.currentData())

    def period(self) -> Period:
        """The period shown: the date edits' (a named period follows the date)."""
        return Period(_date(self.first_day.date()), _date(self.last_day.date()))

    def select_period(self, choice: PeriodChoice, period: Period | None = None) -> None:
        """Show a named period, or (``CUSTOM``) ``period``; the figures follow."""
        if period is not None:
            self._set_dates(period)
        self.choice.setCurrentIndex(self.choice.findData(choice))
        self.refresh()

    def _set_dates(self, period: Period) -> None:
        for edit, day in ((self.first_day, period.first), (self.last_day, period.last)):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)

    def _dates_edited(self, edit: QDateEdit) -> None:
        """A date typed or picked: the period becomes custom (a start after the end
        moves the end, and the other way round)."""
        first, last = _date(self.first_day.date()), _date(self.last_day.date())
        if first > last:
            if edit is self.first_day:
                self._set_dates(Period(first, first))
            else:
                self._set_dates(Period(last, last))
        self.choice.blockSignals(True)
        self.choice.setCurrentIndex(self.choice.findData(PeriodChoice.CUSTOM))
        self.choice.blockSignals(False)
        self.refresh()

    # -- figures -----------------------------------------------------------

    def refresh(self) -> None:
        """Recompute the period's figures (and those of the period it is compared with):
        from the relay while signed in, else from the local journal."""
        choice = self.period_choice()
        if choice is not PeriodChoice.CUSTOM:
            self._set_dates(Period.of(choice, self.today()))
        period = self.period()
        if self.relay is not None and self.relay.signed_in:
            self._ask_relay(period)
            return
        self.live = False
        zone = self.context.settings.zone()
        self.figures = compute_figures(self.context.journal_records(*period.bounds(zone)), zone)
        self.previous = compute_figures(
            self.context.journal_records(*period.compared().bounds(zone)), zone
        )
        self.computed_at = self.context.clock()
        self._show()

    def _ask_relay(self, period: Period) -> None:
        assert self.relay is not None
        answers: dict[str, Figures] = {}

        def got(which: str, stats: Any) -> None:
            if self.period() != period:
                return  # the owner chose another period meanwhile
            answers[which] = figures_from_stats(stats)
            if len(answers) == 2:
                unchanged = self.live and (self.figures, self.previous) == (
                    answers["day"],
                    answers["before"],
                )
                self.figures, self.previous = answers["day"], answers["before"]
                self.live = True
                self.computed_at = self.context.clock()
                if unchanged:
                    self._show_as_of()
                else:
                    self._show()

        for which, asked in (("day", period), ("before", period.compared())):
            self.relay.request(
                "stats",
                {
                    "from": asked.first.isoformat(),
                    "to": asked.last.isoformat(),
                    "top": _TOP_PRODUCTS,
                },
                partial(got, which),
                self._relay_failed,
            )

    def _relay_failed(self, message: str) -> None:
        self.as_of.setText("⚠ " + message)

    def till_name(self, till_id: str) -> str:
        """A till's name: the relay's when it named it, else the settings'."""
        return self.figures.till_names.get(till_id) or self.context.till_name(till_id)

    # -- naming ------------------------------------------------------------

    def method_name(self, method_id: str) -> str:
        """A payment method's name (the journal names methods by id; ``cash`` is cash)."""
        names = journal_method_names(self.context.settings)
        return names.get(method_id, tr("Cash") if method_id == CASH else method_id)

    # -- drawing -----------------------------------------------------------

    def _show(self) -> None:
        lang = language()
        f = self.figures
        self.title.setText(tr("Dashboard"))
        for i in range(self.choice.count()):
            self.choice.setItemText(i, _period_name(PeriodChoice(self.choice.itemData(i))))
        for edit in (self.first_day, self.last_day):
            edit.setDisplayFormat("dd/MM/yyyy" if lang == "fr" else "d MMM yyyy")
        self.refresh_button.setText(tr("Refresh"))
        self._show_as_of()
        self.revenue.value.setText(format_money(f.revenue, lang))
        self.revenue.caption.setText(tr("Revenue"))
        self.tickets.value.setText(format_number(f.tickets, lang))
        self.tickets.caption.setText(tr("Tickets"))
        self.basket.value.setText(format_money(f.average_basket, lang))
        self.basket.caption.setText(tr("Average basket"))
        self.trend.value.setText(self._trend_text())
        self.trend.caption.setText(
            tr("vs same day last week") if self.period().one_day else tr("vs previous period")
        )
        self._draw_time()
        self._draw_tills()
        self._draw_methods()
        self.top_title.setText(tr("Top products"))
        self.top_model.reset(self.figures.top_products(_TOP_PRODUCTS))
        self.vat_title.setText(tr("Revenue per VAT rate"))
        self.vat_model.reset(sorted(self.figures.per_vat.items()))

    def _show_as_of(self) -> None:
        if self.live:
            at = time.strftime("%H:%M:%S", time.localtime(self.computed_at))
            self.as_of.setText("● " + tr("Live from the relay, updated at {time}", time=at))
        else:
            as_of = time.strftime("%H:%M", time.localtime(self.computed_at))
            self.as_of.setText(
                tr("As of {time}, from the sales this computer has received", time=as_of)
            )

    def _trend_text(self) -> str:
        before, now = self.previous.revenue, self.figures.revenue
        if before <= 0:
            return "—"
        change = (now - before) * 1000 // before  # tenths of a percent
        sign = "+" if change >= 0 else "−"
        whole, tenth = divmod(abs(change), 10)
        sep = "," if language() == "fr" else "."
        space = "\u00a0" if language() == "fr" else ""
        return f"{sign}{whole}{sep}{tenth}{space}%"

    def _bars(self, title: str, labels: list[str], cents: list[int]) -> QChart:
        chart = _chart(title)
        bars = QBarSet(tr("Revenue"))
        bars.setColor(_BAR_COLOUR)
        for value in cents:
            bars.append(value / 100)
        series = QBarSeries()
        series.append(bars)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append(labels)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        axis_y = QValueAxis()
        axis_y.setRange(0, max([*cents, 100]) / 100 * 1.1)
        axis_y.applyNiceNumbers()
        axis_y.setLabelFormat("%.0f")
        axis_y.setTitleText("€")
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        return chart

    def _draw_time(self) -> None:
        """Revenue per hour for one day; per day for a period (per month beyond
        :data:`MAX_DAY_BARS` days)."""
        period, lang = self.period(), language()
        if period.one_day:
            hours = self.figures.per_hour
            span = range(min([*hours, 8]), max([*hours, 19]) + 1)
            labels = [f"{h}h" if lang == "fr" else f"{h}:00" for h in span]
            chart = self._bars(tr("Revenue per hour"), labels, [hours.get(h, 0) for h in span])
        elif period.days <= MAX_DAY_BARS:
            days = period.each_day()
            chart = self._bars(
                tr("Revenue per day"),
                [_day_label(d, lang) for d in days],
                [self.figures.per_day.get(d, 0) for d in days],
            )
        else:
            months: dict[tuple[int, int], int] = {}
            for day in period.each_day():
                key = (day.year, day.month)
                months[key] = months.get(key, 0) + self.figures.per_day.get(day, 0)
            chart = self._bars(
                tr("Revenue per month"),
                [_month_label(y, m, lang) for y, m in months],
                list(months.values()),
            )
        _set_chart(self.time_view, chart)

    def _draw_tills(self) -> None:
        items = sorted(self.figures.per_till.items(), key=lambda kv: self.till_name(kv[0]))
        _set_chart(
            self.till_view,
            self._bars(
                tr("Revenue per till"),
                [self.till_name(k) for k, _ in items],
                [v for _, v in items],
            ),
        )

    def _draw_methods(self) -> None:
        chart = _chart(tr("Revenue per payment method"))
        series = QPieSeries()
        lang = language()
        for method, cents in sorted(self.figures.per_method.items(), key=lambda kv: -kv[1]):
            if cents > 0:
                series.append(
                    f"{self.method_name(method)}  {format_money(cents, lang)}", cents / 100
                )
        chart.addSeries(series)
        chart.legend().show()
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        _set_chart(self.method_view, chart)

    def product_rows(self) -> list[ProductFigure]:
        """The top products as shown."""
        return self.top_model.entries()


def _quantity(milli: int) -> str:
    """Milli-units as a quantity: ``3``, ``1,25`` / ``1.25``, ``-0,5`` / ``-0.5``."""
    sign = "-" if milli < 0 else ""
    whole, rest = divmod(abs(milli), 1000)
    if rest == 0:
        return sign + format_number(whole, language())
    sep = "," if language() == "fr" else "."
    return f"{sign}{whole}{sep}{rest:03d}".rstrip("0")
