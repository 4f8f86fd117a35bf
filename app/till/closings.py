"""Closings beyond the day: the month and year closings the till offers, and the
report shown after any closing (the Z of :func:`app.qt.closing_report.closing_html`,
then the cash count it holds).

A month closing sums the day closings since the last month closing, a year
closing the month closings (:meth:`app.till.session.TillSession.closable_periods`
says which may be recorded now). ``chosen(period)`` fires with ``"month"`` or
``"year"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from app.qt.closing_report import closing_html
from app.qt.formatting import format_money
from app.qt.i18n import language, tr
from crdt_models.journal import Record, count_difference

__all__ = ["ClosingsDialog", "closing_report", "closing_title"]


def closing_title(period: str, label: str) -> str:
    """ "Day closed: 2024-05-31", "Month closed: 2024-05", "Year closed: 2024"."""
    if period == "month":
        return tr("Month closed: {label}", label=label)
    if period == "year":
        return tr("Year closed: {label}", label=label)
    return tr("Day closed: {label}", label=label)


def closing_report(record: Record, till_name: str, method_names: Mapping[str, str]) -> str:
    """A closing as HTML: its totals, then the cash count it holds (if any)."""
    html = closing_html(record, till_name, method_names)
    count = record.body.get("count")
    if not count:
        return html
    lang = language()
    difference = count_difference(count)
    rows = [
        "<tr><th align='left'>{}</th><th align='right'>{}</th><th align='right'>{}</th>"
        "<th align='right'>{}</th></tr>".format(
            *(escape(t) for t in (tr("Method"), tr("Expected"), tr("Counted"), tr("Difference")))
        )
    ]
    for row in count["methods"]:
        diff = difference[row["method"]]
        mark = "✔" if diff == 0 else "✘ " + format_money(diff, lang)
        cells = (
            method_names.get(row["method"], row["method"]),
            format_money(row["expected"], lang),
            format_money(row["counted"], lang),
            mark,
        )
        rows.append(
            "<tr><td>{}</td><td align='right'>{}</td><td align='right'>{}</td>"
            "<td align='right'>{}</td></tr>".format(*(escape(c) for c in cells))
        )
    for coin in count["cash"]:
        text = f"{coin['qty']} × {format_money(coin['unit'], lang)}"
        rows.append(f"<tr><td colspan='4'>&nbsp;&nbsp;{escape(text)}</td></tr>")
    return (
        html
        + f'<p align="center"><b>{escape(tr("Cash count"))}</b></p>'
        + '<table width="100%" cellspacing="0" cellpadding="1">'
        + "".join(rows)
        + "</table>"
    )


class ClosingsDialog(QDialog):
    """Offer the month and year closings that ``periods`` (period -> label) allow."""

    chosen = Signal(str)

    def __init__(self, periods: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Month and year closings"))
        self.setModal(True)
        title = QLabel(tr("Month and year closings"))
        title.setObjectName("screenTitle")
        self.month_button = QPushButton()
        self.year_button = QPushButton()
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        for period, button in (("month", self.month_button), ("year", self.year_button)):
            button.setObjectName("methodButton")
            label = periods.get(period)
            button.setEnabled(label is not None)
            if period == "month":
                text = tr("Close the month {label}", label=label) if label else tr("Month closing")
                hint = tr("Available once a day is closed, with no sale since.")
            else:
                text = tr("Close the year {label}", label=label) if label else tr("Year closing")
                hint = tr("Available once a month is closed, with no day closed since.")
            button.setText(text)
            button.clicked.connect(lambda _=False, p=period: self._choose(p))
            layout.addWidget(button)
            if label is None:
                caption = QLabel(hint)
                caption.setObjectName("caption")
                caption.setWordWrap(True)
                layout.addWidget(caption)
        cancel = QPushButton(tr("Not now"))
        cancel.clicked.connect(self.reject)
        layout.addStretch(1)
        layout.addWidget(cancel)
        self.resize(560, 400)

    def _choose(self, period: str) -> None:
        self.chosen.emit(period)
        self.accept()
