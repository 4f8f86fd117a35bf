"""A ticket on screen: after a sale (the change due, huge), or a past ticket.

The receipt shows what the journal recorded. With a receipt printer
configured, a new ticket prints by itself (off the GUI thread; a failure
brings the Print button back); without one, Print writes a PDF into the data
directory's ``receipts/`` folder (:class:`~app.till.printing.service.TicketPrinter`).
A past ticket cannot be printed again as such: Duplicate records a duplicate
in the journal and prints it marked DUPLICATE; Refund takes the sale back
(a minus entry).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from app.qt.formatting import format_money
from app.qt.i18n import language, tr, translator
from app.qt.receipt import Receipt
from app.qt.widgets import MessageBar
from app.till.printing.service import PrintOutcome, TicketPrinter
from app.till.printing.transport import PrinterKind

__all__ = ["ReceiptScreen"]


class ReceiptScreen(QWidget):
    """``done`` fires on New sale; ``duplicate_requested`` on Duplicate."""

    done = Signal()
    duplicate_requested = Signal()
    refund_requested = Signal()

    def __init__(
        self, messages: MessageBar, printer: TicketPrinter, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.messages = messages
        self.printer = printer
        printer.finished.connect(self._printed)
        self.receipt: Receipt | None = None
        self.last_pdf: Path | None = None
        #: The ticket on screen: "" not sent to a printer, "sent", "printed" or "failed".
        self.print_state = ""
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
        if receipt is not self.receipt:
            self.print_state = ""
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
        for widget in (self.change_caption, self.change_label):
            widget.setVisible(fresh)
        self._refresh_print_button()
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
        """Print the ticket on screen: on the receipt printer (returns None at once),
        or to a PDF without one (returns its path)."""
        if self.receipt is None:
            return None
        if self.print_state in ("sent", "printed"):  # one original on paper, then duplicates
            self.messages.show_message(tr("This ticket is printed: print a duplicate instead."))
            return None
        path = self.printer.print_layout(self.receipt.layout(), sale_saved=True)
        if path is None:
            self.print_state = "sent"
        else:
            self.last_pdf = path
        self._refresh_print_button()
        return path

    def print_new(self) -> None:
        """A ticket just recorded: print it at once on the receipt printer (without
        one, the PDF stays one tap away)."""
        if self.printer.config.kind is not PrinterKind.NONE:
            self.print_receipt()

    def _printed(self, outcome: PrintOutcome) -> None:
        if self.receipt is not None and outcome.title == self.receipt.layout().title:
            self.print_state = "printed" if outcome.ok else "failed"
            self._refresh_print_button()

    def _refresh_print_button(self) -> None:
        """Print is offered for a new ticket not yet on paper, and after a failure."""
        receipt = self.receipt
        fresh = receipt is not None and not self.past and not receipt.reprint
        self.print_button.setVisible(
            self.print_state == "failed" or (fresh and self.print_state == "")
        )
