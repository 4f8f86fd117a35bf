"""A sale or refund shown again as the till printed it, marked DUPLICATE, to print or save.

The ticket is rendered from the signed journal record (:class:`app.qt.receipt.Receipt`),
so it says exactly what the till validated. The manager has no journal of
its own to record a duplicate in, so this copy is recorded nowhere: the
dialog says so. A numbered, recorded duplicate is made on the till.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.core.payments import journal_method_names
from app.manager.context import ManagerContext
from app.qt.i18n import tr
from app.qt.receipt import Receipt, print_pdf
from crdt_models.errors import NotFoundError, ValidationError
from crdt_models.journal import Record

__all__ = ["ReprintDialog", "duplicate_receipt"]


def duplicate_receipt(context: ManagerContext, record: Record) -> Receipt:
    """The ticket of ``record`` (a sale or refund) as an unrecorded duplicate."""
    body = record.body
    cashier = str(body.get("cashier", ""))
    try:
        cashier_name = context.settings.cashier(cashier).name
    except (NotFoundError, ValidationError):
        cashier_name = cashier
    customer = str(body.get("customer") or "")
    customer_name = ""
    if customer:
        try:
            customer_name = context.customers.customer(customer).display_name
        except (NotFoundError, ValidationError):
            customer_name = customer
    return Receipt(
        shop=context.settings.shop(),
        record=record,
        till_name=context.till_name(record.till_id),
        cashier_name=cashier_name,
        method_names=journal_method_names(context.settings),
        customer_name=customer_name,
        copy=True,
    )


class ReprintDialog(QDialog):
    """The duplicate on screen, with Print… and Save as PDF…; ``last_pdf`` is the last saved."""

    def __init__(self, context: ManagerContext, record: Record, parent: QWidget | None = None):
        super().__init__(parent)
        self.receipt = duplicate_receipt(context, record)
        self.last_pdf: Path | None = None
        self.setWindowTitle(tr("Duplicate of ticket {ticket}", ticket=self.receipt.ticket))
        self.resize(480, 760)
        self.note = QLabel("ℹ " + self.explanation())
        self.note.setWordWrap(True)
        self.note.setProperty("role", "hint")
        self.ticket = QTextBrowser()
        self.ticket.setHtml(self.receipt.to_html())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = QPushButton(tr("Print…"))
        self.pdf_button = QPushButton(tr("Save as PDF…"))
        for button in (self.print_button, self.pdf_button):
            button.setMinimumHeight(40)
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(self.print_preview)
        self.pdf_button.clicked.connect(lambda: self.save_pdf())
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.ticket, 1)
        layout.addWidget(self.buttons)

    @staticmethod
    def explanation() -> str:
        return tr(
            "A copy marked DUPLICATE. The manager keeps no journal, so this copy is not "
            "recorded; a duplicate made on the till is numbered and recorded."
        )

    def save_pdf(self, path: Path | None = None) -> Path | None:
        """Write the duplicate as an 80 mm PDF (asks where unless ``path`` is given)."""
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, tr("Save as PDF…"), f"{self.receipt.ticket}-duplicate.pdf", "PDF (*.pdf)"
            )
            if not chosen:
                return None
            path = Path(chosen)
        self.last_pdf = print_pdf(self.receipt.layout(), path)
        return self.last_pdf

    def print_preview(self) -> None:
        """The system's print preview, then its printer."""
        preview = QPrintPreviewDialog(QPrinter(QPrinter.PrinterMode.HighResolution), self)
        preview.paintRequested.connect(self.ticket.document().print_)
        preview.exec()
