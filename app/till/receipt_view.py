"""A ticket on screen: after a sale (the change due, huge), or a past ticket.

The receipt shows what the journal recorded. Print writes a PDF into the
data directory's ``receipts/`` folder (no ESC/POS printer support yet). A
past ticket cannot be printed again as such: Duplicate records a duplicate
in the journal and prints it marked DUPLICATE; Refund takes the sale back
(a minus entry).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from app.qt.formatting import format_money
from app.qt.i18n import language, tr, translator
from app.qt.widgets import MessageBar
from app.till.receipt import Receipt, print_pdf

__all__ = ["ReceiptScreen"]


class ReceiptScreen(QWidget):
    """``done`` fires on New sale; ``duplicate_requested`` on Duplicate."""

    done = Signal()
    duplicate_requested = Signal()
    refund_requested = Signal()

    def __init__(self, messages: MessageBar, pdf_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.messages = messages
        self.pdf_dir = pdf_dir
        self.receipt: Receipt | None = None
        self.last_pdf: Path | None = None
        self.change_caption = QLabel()
        self.change_caption.setObjectName("totalCaption")
        self.change_label = QLabel()
        self.change_label.setObjectName("changeLabel")
        self.ticket_label = QLabel()
        self.ticket_label.setObjectName("screenTitle")
        self.new_sale = QPushButton()
        self.new_sale.setObjectName("newSaleButton")
        self.new_sale.clicked.connect(self.done)
        self.print_button = QPushButton()
        self.print_button.clicked.connect(self.print_receipt)
        self.duplicate_button = QPushButton()
        self.duplicate_button.clicked.connect(self.duplicate_requested)
        self.refund_button = QPushButton()
        self.refund_button.clicked.connect(self.refund_requested)
        self.past = False
        left = QVBoxLayout()
        left.addWidget(self.ticket_label)
        left.addSpacing(24)
        left.addWidget(self.change_caption)
        left.addWidget(self.change_label)
        left.addStretch(1)
        left.addWidget(self.print_button)
        left.addWidget(self.duplicate_button)
        left.addWidget(self.refund_button)
        left.addWidget(self.new_sale)
        self.view = QTextBrowser()
        self.view.setObjectName("receipt")
        self.view.setFixedWidth(460)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 8, 24, 16)
        layout.setSpacing(32)
        layout.addLayout(left, 1)
        layout.addWidget(self.view, 0, Qt.AlignmentFlag.AlignHCenter)
        translator().changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self, _lang: str = "") -> None:
        self.new_sale.setText(tr("New sale") + "  (" + tr("Enter") + ")")
        self.print_button.setText(tr("Print the receipt") + "  (F9)")
        self.duplicate_button.setText(tr("Print a duplicate"))
        self.refund_button.setText(tr("Refund this ticket"))
        if self.receipt is not None:
            self.show_receipt(self.receipt, past=self.past)

    def show_receipt(self, receipt: Receipt, *, past: bool = False) -> None:
        """Show ``receipt``: just recorded (``past=False``) or looked up (``past=True``)."""
        self.receipt = receipt
        self.past = past
        lang = language()
        body = receipt.body
        refund = receipt.record.kind == "refund"
        if past:
            self.ticket_label.setText(tr("Ticket {ticket}", ticket=receipt.ticket))
        elif receipt.reprint:
            self.ticket_label.setText(
                tr("Duplicate printed: ticket {ticket}", ticket=receipt.ticket)
            )
        elif refund:
            self.ticket_label.setText(tr("Refund recorded: ticket {ticket}", ticket=receipt.ticket))
        else:
            self.ticket_label.setText(tr("Sale recorded: ticket {ticket}", ticket=receipt.ticket))
        if refund:
            self.change_caption.setText(tr("To give back"))
            amount = -body["total"]
        else:
            self.change_caption.setText(tr("Change to give"))
            amount = body.get("change", 0)
        self.change_label.setText(format_money(amount, lang))
        fresh = not past and not receipt.reprint
        for widget in (self.change_caption, self.change_label, self.print_button):
            widget.setVisible(fresh)
        self.duplicate_button.show()
        self.refund_button.setVisible(past and receipt.record.kind == "sale")
        self.view.setHtml(receipt.to_html())

    def show_closing(self, title: str, html: str) -> None:
        """Show a closing report (no change to give, nothing to reprint)."""
        self.receipt = None
        self.past = False
        self.ticket_label.setText(title)
        for widget in (
            self.change_caption,
            self.change_label,
            self.print_button,
            self.duplicate_button,
            self.refund_button,
        ):
            widget.hide()
        self.view.setHtml(html)

    def print_receipt(self) -> Path | None:
        """Print to a PDF file (the fallback without a receipt printer)."""
        if self.receipt is None:
            return None
        self.pdf_dir.mkdir(parents=True, exist_ok=True)
        suffix = f"-dup{self.receipt.reprint}" if self.receipt.reprint else ""
        path = self.pdf_dir / f"{self.receipt.ticket}{suffix}.pdf"
        self.last_pdf = print_pdf(self.receipt, path)
        self.messages.show_message(tr("Receipt saved as {path}", path=str(path)))
        return path
