"""Editor forms with validation messages next to the field they are about.

A :class:`Form` lays out labelled editors; each row has an error line under
its editor. :meth:`Form.show_error` takes the documents'
:class:`~crdt_models.errors.ValidationError` and puts its translated message
(:func:`error_text`, chosen by ``code``) under the editor named by ``field``;
an error about no field of the form shows at the top of the form.
:class:`SettingsForm` is one settings tab: a form, Save and a "Saved." note.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.manager.context import ManagerContext
from app.qt.i18n import tr, translator
from crdt_models.errors import ValidationError

__all__ = ["Form", "SettingsForm", "error_text"]

W = TypeVar("W", bound=QWidget)


def error_text(exc: ValidationError) -> str:
    """What to tell the owner about ``exc``, in the current language, by its code."""
    messages: dict[str, Callable[[], str]] = {
        "name.empty": lambda: tr("Enter a name."),
        "name.too_long": lambda: tr("This name is too long (120 characters at most)."),
        "name.control": lambda: tr("The name must fit on one line."),
        "text.too_long": lambda: tr("This text is too long (2000 characters at most)."),
        "price.negative": lambda: tr("A price cannot be negative."),
        "price.absurd": lambda: tr("This price is too high (100,000 at most)."),
        "price.type": lambda: tr("Enter a price such as 12.50."),
        "money.format": lambda: tr("Enter an amount such as 12.50."),
        "money.fraction": lambda: tr("Enter an amount in whole cents."),
        "money.absurd": lambda: tr("This amount is too high."),
        "money.type": lambda: tr("Enter an amount such as 12.50."),
        "vat.range": lambda: tr("A VAT rate is between 0 and 100 %."),
        "vat.type": lambda: tr("Enter a VAT rate such as 20 or 5.5."),
        "vat.unknown": lambda: tr("Choose a VAT rate from the settings."),
        "vat.archived": lambda: tr("This VAT rate is archived: choose another one."),
        "color.format": lambda: tr("A colour looks like #1E88E5."),
        "barcode.empty": lambda: tr("The barcode is empty."),
        "barcode.format": lambda: tr("This is not a barcode (digits or code letters only)."),
        "barcode.check_digit": lambda: tr("The barcode's check digit is wrong: check the code."),
        "barcode.too_long": lambda: tr("This barcode is too long."),
        "barcode.duplicate": lambda: tr("Another product already has this barcode."),
        "category.unknown": lambda: tr("Choose a category."),
        "category.archived": lambda: tr("This category is archived: restore it or choose another."),
        "category.in_use": lambda: tr("Active products are still in this category."),
        "email.format": lambda: tr("This is not an e-mail address."),
        "phone.format": lambda: tr("This is not a phone number."),
        "till.number_taken": lambda: tr("Another till already has this number."),
        "pin_hash.empty": lambda: tr("Enter a PIN."),
        "pin.format": lambda: tr("A PIN is 4 to 8 digits."),
        "number.range": lambda: tr("Enter a whole number in the allowed range."),
        "number.type": lambda: tr("Enter a whole number."),
        "csv.header": lambda: tr("The file needs the columns name, price and vat."),
        "csv.duplicate_barcode": lambda: tr("The same barcode appears twice in the file."),
        "merge.same": lambda: tr("Choose two different customers."),
        "merge.archived": lambda: tr("Only active customers can be merged."),
        "delta.absurd": lambda: tr("This amount is too high."),
        "timezone.unknown": lambda: tr("Choose a time zone from the list, such as Europe/Paris."),
    }
    message = messages.get(exc.code)
    return message() if message is not None else tr("This value is not accepted.")


class Form(QWidget):
    """Labelled editors, each with its own error line (hidden while empty)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._general = QLabel()
        self._general.setProperty("role", "fieldError")
        self._general.setWordWrap(True)
        self._general.hide()
        self._layout = QFormLayout()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._general)
        outer.addLayout(self._layout)
        self._labels: dict[str, tuple[QLabel, Callable[[], str]]] = {}
        self._errors: dict[str, QLabel] = {}
        self.editors: dict[str, QWidget] = {}
        translator().changed.connect(self._retranslate)

    def add(self, field: str, label: Callable[[], str], editor: W) -> W:
        """Add a row for ``field`` (the ValidationError field name) and return ``editor``."""
        caption = QLabel(label())
        caption.setBuddy(editor)
        error = QLabel()
        error.setProperty("role", "fieldError")
        error.setObjectName(f"error_{field}")
        error.setWordWrap(True)
        error.hide()
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(editor)
        column.addWidget(error)
        self._layout.addRow(caption, box)
        self._labels[field] = (caption, label)
        self._errors[field] = error
        self.editors[field] = editor
        return editor

    def clear_errors(self) -> None:
        """Hide every error line."""
        for label in (*self._errors.values(), self._general):
            label.clear()
            label.hide()

    def show_error(self, exc: ValidationError) -> None:
        """Show ``exc`` under its field's editor (or at the top) and focus that editor."""
        self.show_message(exc.field, error_text(exc))

    def show_message(self, field: str, text: str) -> None:
        """Show ``text`` as an error under ``field``'s editor (or at the top)."""
        label = self._errors.get(field, self._general)
        label.setText("⚠ " + text)
        label.show()
        editor = self.editors.get(field)
        if editor is not None:
            editor.setFocus()

    def error(self, field: str) -> str:
        """The error shown under ``field`` (``""`` when none)."""
        label = self._errors[field]
        return label.text() if label.isVisibleTo(self) else ""

    def general_error(self) -> str:
        return self._general.text() if self._general.isVisibleTo(self) else ""

    def _retranslate(self, _lang: str) -> None:
        for caption, label in self._labels.values():
            caption.setText(label())


class SettingsForm(QWidget):
    """One settings tab: a :class:`Form`, a Save button and a "Saved." note beside it.

    A subclass adds its editors to :attr:`form`, then calls :meth:`load` and
    :meth:`retranslate`; it implements :meth:`load` and :meth:`write`. A value
    the documents refuse shows next to its field and nothing is written.
    """

    def __init__(self, context: ManagerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.form = Form()
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save)
        self.saved_label = QLabel()
        self.saved_label.setProperty("role", "hint")
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.saved_label)
        row.addStretch(1)
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.form)
        self._layout.addLayout(row)
        self._layout.addStretch(1)
        translator().changed.connect(self._on_language)

    def _on_language(self, _lang: str) -> None:
        self.retranslate()

    def load(self) -> None:
        """Show the settings' current values."""
        raise NotImplementedError

    def write(self) -> None:
        """Write the form's values to the settings; may raise ValidationError."""
        raise NotImplementedError

    def save(self) -> bool:
        self.form.clear_errors()
        self.saved_label.clear()
        try:
            self.write()
        except ValidationError as exc:
            self.form.show_error(exc)
            return False
        self.saved_label.setText("✔ " + tr("Saved."))
        return True

    def retranslate(self) -> None:
        self.save_button.setText(tr("Save"))
