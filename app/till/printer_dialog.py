"""The Printer dialog: this till's receipt printer (none, network, USB) and paper width.

The setting belongs to this device (it is hardware), so it is kept in the
till's own store, never in the shop's shared settings. "Print a test page"
prints on what is typed, before it is saved; Save keeps it.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import StoreError
from app.qt.i18n import tr
from app.till.printing.documents import printer_test_layout
from app.till.printing.service import TicketPrinter
from app.till.printing.transport import DEFAULT_PORT, PrinterConfig, PrinterKind
from crdt_models.documents.settings import ShopInfo

__all__ = ["PrinterDialog"]

DEFAULT_DEVICE = "/dev/usb/lp0"

T = TypeVar("T")


class PrinterDialog(QDialog):
    """Opens with ``open()``; accepted once the setting is kept."""

    def __init__(
        self, printer: TicketPrinter, shop: ShopInfo, till_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.printer = printer
        self.shop, self.till_name = shop, till_name
        self.setWindowTitle(tr("Receipt printer"))
        self.setModal(True)
        current = printer.config

        self.kinds, kind_group, kind_row = self._choices(
            (PrinterKind.NONE, tr("No printer (PDF)")),
            (PrinterKind.NETWORK, tr("Network")),
            (PrinterKind.DEVICE, tr("USB")),
        )
        self.kinds[current.kind].setChecked(True)
        kind_group.buttonToggled.connect(lambda *_: self._show_fields())

        self.host = QLineEdit(current.host)
        self.host.setPlaceholderText("192.168.1.50")
        self.port = QLineEdit(str(current.port))
        self.port.setMaxLength(5)
        self.path = QLineEdit(current.path or DEFAULT_DEVICE)
        self.widths, _, width_row = self._choices((32, tr("58 mm")), (48, tr("80 mm")))
        self.widths.get(current.columns, self.widths[48]).setChecked(True)

        self.form = QFormLayout()
        self.form.addRow(tr("Address"), self.host)
        self.form.addRow(tr("Port"), self.port)
        self.form.addRow(tr("Device"), self.path)
        self.form.addRow(tr("Paper"), width_row)
        self.error = QLabel()
        self.error.setObjectName("caption")
        self.error.setWordWrap(True)

        self.test_button = QPushButton(tr("Print a test page"))
        self.test_button.clicked.connect(self.print_test_page)
        cancel = QPushButton(tr("Cancel"))
        cancel.clicked.connect(self.reject)
        save = QPushButton(tr("Save"))
        save.setObjectName("validateButton")
        save.clicked.connect(self.save)
        actions = QHBoxLayout()
        actions.addWidget(cancel)
        actions.addWidget(self.test_button)
        actions.addWidget(save, 1)

        layout = QVBoxLayout(self)
        title = QLabel(tr("Receipt printer"))
        title.setObjectName("screenTitle")
        layout.addWidget(title)
        layout.addLayout(kind_row)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addLayout(actions)
        self.resize(620, 480)
        self._show_fields()

    def _choices(
        self, *choices: tuple[T, str]
    ) -> tuple[dict[T, QPushButton], QButtonGroup, QHBoxLayout]:
        """A row of big buttons, one per value, of which one at most is checked."""
        buttons: dict[T, QPushButton] = {}
        group = QButtonGroup(self)
        row = QHBoxLayout()
        for value, text in choices:
            button = QPushButton(text)
            button.setCheckable(True)
            button.setObjectName("quickAmount")
            group.addButton(button)
            row.addWidget(button)
            buttons[value] = button
        return buttons, group, row

    def kind(self) -> PrinterKind:
        return _checked_value(self.kinds)

    def config(self) -> PrinterConfig:
        """What the fields say; ValueError (shown to the cashier) when it is not a printer."""
        columns = _checked_value(self.widths)
        kind = self.kind()
        if kind is PrinterKind.NETWORK:
            port = self.port.text().strip() or str(DEFAULT_PORT)
            if not port.isdigit() or not 0 < int(port) < 65536:
                raise ValueError(tr("The port is a number such as 9100."))
            host = self.host.text().strip()
            if not host:
                raise ValueError(tr("Type the printer's address, such as 192.168.1.50."))
            return PrinterConfig(kind, host=host, port=int(port), columns=columns)
        if kind is PrinterKind.DEVICE:
            path = self.path.text().strip()
            if not path.startswith("/"):
                raise ValueError(tr("Type the printer's device, such as /dev/usb/lp0."))
            return PrinterConfig(kind, path=path, columns=columns)
        return PrinterConfig(columns=columns)

    def _checked(self) -> PrinterConfig | None:
        try:
            config = self.config()
        except ValueError as exc:
            self.error.setText(str(exc))
            return None
        self.error.setText("")
        return config

    def print_test_page(self) -> None:
        """Print a test page on the printer as typed (saved or not)."""
        config = self._checked()
        if config is not None:
            self.printer.print_layout(
                printer_test_layout(config, self.shop, self.till_name), config=config
            )

    def save(self) -> None:
        config = self._checked()
        if config is None:
            return
        try:
            self.printer.configure(config)
        except StoreError as exc:
            self.error.setText(str(exc))
            return
        self.accept()

    def _show_fields(self) -> None:
        kind = self.kind()
        for field, shown in (
            (self.host, kind is PrinterKind.NETWORK),
            (self.port, kind is PrinterKind.NETWORK),
            (self.path, kind is PrinterKind.DEVICE),
        ):
            self.form.setRowVisible(field, shown)
        self.test_button.setEnabled(kind is not PrinterKind.NONE)
        self.error.setText("")


def _checked_value(buttons: dict[T, QPushButton]) -> T:
    """The value of the checked button of a :meth:`PrinterDialog._choices` row."""
    return next(value for value, button in buttons.items() if button.isChecked())
