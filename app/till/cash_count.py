"""The cash count: each payment method counted against what the journal expects,
and the cash drawer coin by coin and note by note, with a running total.

Every field takes the on-screen keypad (it types into the field last touched)
or a keyboard. The difference of each method shows at once: "✔" in green when
the drawer is right, the signed amount and "✘" in red otherwise (never colour
alone). Cash is counted either by denomination (the cash row then adds them up)
or as one amount typed in the cash row.

``counted(count)`` fires with a checked count body
(:func:`crdt_models.journal.count_body`); ``skipped()`` when the cashier closes
without a count (offered only when the owner's mode allows it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.qt.formatting import format_money
from app.qt.i18n import language, tr
from app.qt.widgets import NumericKeypad
from app.till.session import CountRow
from crdt_models.errors import ValidationError
from crdt_models.journal import CASH, DENOMINATIONS, count_body
from crdt_models.money import parse_money

__all__ = ["CashCountDialog"]

_ROWS = 4  # coins and notes per column of the drawer


class CashCountDialog(QDialog):
    """Count the drawer for ``cashier`` against ``rows`` (see the module docstring)."""

    counted = Signal(object)
    skipped = Signal()

    def __init__(
        self,
        title: str,
        cashier: str,
        rows: Sequence[CountRow],
        *,
        skippable: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.cashier = cashier
        self.rows = list(rows)
        self._current: QLineEdit | None = None
        lang = language()

        #: coin/note value in cents -> its quantity field
        self.quantities: dict[int, QLineEdit] = {}
        self._subtotals: dict[int, QLabel] = {}
        # coins and notes in columns of a few rows, so the dialog fits a till's screen
        columns = [QGridLayout() for _ in range(-(-len(DENOMINATIONS) // _ROWS))]
        for i, unit in enumerate(DENOMINATIONS):
            grid = columns[i // _ROWS]
            field = self._field(tr("How many {unit}", unit=format_money(unit, lang)))
            subtotal = _label("caption")
            _add_row(grid, _label("countUnit", format_money(unit, lang)), field, subtotal)
            self.quantities[unit] = field
            self._subtotals[unit] = subtotal
        drawer = QGroupBox(tr("Cash drawer: coins and notes"))
        drawer_layout = QHBoxLayout(drawer)
        for grid in columns:
            grid.setRowStretch(_ROWS, 1)  # a shorter last column stays at the top
            drawer_layout.addLayout(grid)

        #: journal method name -> its counted field, its difference label
        self.counted_fields: dict[str, QLineEdit] = {}
        self.differences: dict[str, QLabel] = {}
        methods = QGridLayout()
        heads = (tr("Method"), tr("Expected"), tr("Counted"), tr("Difference"))
        _add_row(methods, *(_label("caption", text) for text in heads))
        for count_row in self.rows:
            field = self._field(tr("Counted {method}", method=count_row.name))
            difference = _label("countDifference")
            _add_row(
                methods,
                _label("countUnit", count_row.name),
                _label("countUnit", format_money(count_row.expected, lang)),
                field,
                difference,
            )
            self.counted_fields[count_row.method] = field
            self.differences[count_row.method] = difference
        self.total_label = QLabel()
        self.total_label.setObjectName("countTotal")
        self.error = QLabel()
        self.error.setObjectName("caption")
        self.error.setWordWrap(True)

        self.keypad = NumericKeypad()
        self.keypad.changed.connect(self._typed)
        cancel = QPushButton(tr("Cancel"))
        cancel.clicked.connect(self.reject)
        self.skip_button = QPushButton(tr("Close without a count"))
        self.skip_button.clicked.connect(self.skip)
        self.skip_button.setVisible(skippable)
        self.record_button = QPushButton(tr("Record the count"))
        self.record_button.setObjectName("validateButton")
        self.record_button.clicked.connect(self.apply)
        actions = QHBoxLayout()
        actions.addWidget(cancel)
        actions.addWidget(self.skip_button)
        actions.addWidget(self.record_button, 1)

        left = QVBoxLayout()
        caption = QLabel(title)
        caption.setObjectName("screenTitle")
        left.addWidget(caption)
        left.addLayout(methods)
        left.addWidget(self.total_label)
        left.addWidget(drawer, 1)
        right = QVBoxLayout()
        right.addWidget(self.keypad, 1)
        right.addWidget(self.error)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addLayout(actions)
        self.resize(1200, 760)
        self._refresh()
        first = next(iter(self.counted_fields.values()), None)
        if first is not None:
            self._current = first

    # -- fields and keypad -------------------------------------------------------------

    def _field(self, name: str) -> QLineEdit:
        field = QLineEdit()
        field.setObjectName("countField")
        field.setAccessibleName(name)
        field.setAlignment(Qt.AlignmentFlag.AlignRight)
        field.setMaxLength(12)
        field.installEventFilter(self)
        field.textEdited.connect(self._refresh)
        return field

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        touched = event.type() in (QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress)
        if touched and isinstance(watched, QLineEdit) and watched is not self._current:
            self._current = watched
            self.keypad.set_value(watched.text())
        return super().eventFilter(watched, event)

    def _typed(self, value: str) -> None:
        field = self._current
        if field is not None and not field.isReadOnly() and field.text() != value:
            field.setText(value)
            self._refresh()

    # -- figures -----------------------------------------------------------------------

    def _cash_by_unit(self) -> dict[int, int]:
        """Coin/note value -> quantity typed (ValidationError on a non-number)."""
        out: dict[int, int] = {}
        for unit, field in self.quantities.items():
            text = field.text().strip()
            if not text:
                continue
            if not text.isdigit():
                raise ValidationError("qty", "count.qty", tr("A quantity is a whole number."))
            out[unit] = int(text)
        return out

    def _counted(self) -> dict[str, int | None]:
        """Method -> amount counted, None where nothing was typed yet."""
        out: dict[str, int | None] = {}
        for method, field in self.counted_fields.items():
            text = field.text().strip()
            out[method] = parse_money(text, "counted") if text else None
        return out

    def _refresh(self, _text: str = "") -> None:
        lang = language()
        try:
            by_unit = self._cash_by_unit()
        except ValidationError:
            by_unit = {}
        for unit, label in self._subtotals.items():
            qty = by_unit.get(unit, 0)
            label.setText(format_money(unit * qty, lang) if qty else "")
        cash_field = self.counted_fields.get(CASH)
        if cash_field is not None:
            cash_field.setReadOnly(bool(by_unit))
            if by_unit:
                cash_field.setText(_plain(sum(u * q for u, q in by_unit.items())))
        total = 0
        for row in self.rows:
            label = self.differences[row.method]
            try:
                amount = self._counted()[row.method]
            except ValidationError:
                amount = None
            if amount is None:
                label.setText("")
                label.setProperty("state", "")
            else:
                total += amount
                diff = amount - row.expected
                sign = "+" if diff > 0 else ""
                label.setText(
                    "✔ " + tr("right") if diff == 0 else f"✘ {sign}{format_money(diff, lang)}"
                )
                label.setProperty("state", "ok" if diff == 0 else "off")
            label.style().unpolish(label)
            label.style().polish(label)
        expected = sum(r.expected for r in self.rows)
        self.total_label.setText(
            tr(
                "Counted {counted} · expected {expected}",
                counted=format_money(total, lang),
                expected=format_money(expected, lang),
            )
        )

    def count(self) -> dict[str, Any]:
        """The count typed so far; ValidationError (with a message for the cashier)
        if a field is not a number or a method was not counted."""
        try:
            by_unit = self._cash_by_unit()
            counted = self._counted()
        except ValidationError as exc:
            raise ValidationError(exc.field, exc.code, tr("Type amounts like 12,50.")) from None
        missing = [r.name for r in self.rows if counted[r.method] is None]
        if missing:
            raise ValidationError(
                "counted",
                "count.missing",
                tr(
                    "Count every method (type 0 when there is none): {names}",
                    names=", ".join(missing),
                ),
            )
        amounts = {m: a for m, a in counted.items() if a is not None}
        expected = {r.method: r.expected for r in self.rows}
        return count_body(self.cashier, expected, amounts, by_unit)

    def apply(self) -> None:
        """Check the count; fire ``counted`` with it and close, or say what is wrong."""
        try:
            count = self.count()
        except ValidationError as exc:
            self.error.setText(str(exc))
            return
        self.counted.emit(count)
        self.accept()

    def skip(self) -> None:
        self.skipped.emit()
        self.accept()


def _label(name: str, text: str = "") -> QLabel:
    """A label styled by the theme's ``name``."""
    label = QLabel(text)
    label.setObjectName(name)
    return label


def _add_row(grid: QGridLayout, *widgets: QWidget) -> None:
    """Add ``widgets`` as a new row under what ``grid`` holds, one per column (rows
    close together: the whole count fits a till's 800-pixel-high screen)."""
    grid.setVerticalSpacing(2)
    row = grid.rowCount() if grid.count() else 0
    for column, widget in enumerate(widgets):
        grid.addWidget(widget, row, column)


def _plain(cents: int) -> str:
    """Cents as the keypad types them: ``1250`` -> ``12,50``."""
    return f"{cents // 100},{cents % 100:02d}"
