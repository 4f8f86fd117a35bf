"""Printing a ticket where this till's configuration says, without ever blocking a sale.

With no receipt printer configured, a ticket becomes a PDF in the data
directory's ``receipts/`` folder (and the screen is the preview). With one, the
ticket is rendered to ESC/POS and sent on a worker thread (one job at a time:
a printer takes one ticket after the other); the outcome comes back to the
GUI thread as :attr:`TicketPrinter.finished`. A failure is told to the
cashier, who can print again: what was sold is already in the journal,
printing never touches it.

The configuration is this device's own (hardware), kept in its store
(:meth:`app.core.store.DeviceStore.device_setting`), not in the shop's shared
settings.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal

from app.core.errors import StoreError
from app.core.store import DeviceStore
from app.core.ticket_layout import TicketLayout
from app.qt.i18n import tr
from app.qt.receipt import print_pdf
from app.qt.widgets import MessageBar
from app.till.printing.escpos import render_escpos
from app.till.printing.transport import PrinterConfig, PrinterError, PrinterKind, Problem, send

__all__ = [
    "PRINTER_SETTING",
    "PrintOutcome",
    "TicketPrinter",
    "describe_failure",
    "load_printer",
    "save_printer",
]

log = logging.getLogger(__name__)

#: The device setting that holds :meth:`PrinterConfig.to_json`.
PRINTER_SETTING = "printer"


def load_printer(store: DeviceStore) -> PrinterConfig:
    """This till's printer (none when never set, or unreadable: then PDF)."""
    stored = store.device_setting(PRINTER_SETTING)
    if stored is None:
        return PrinterConfig()
    try:
        return PrinterConfig.from_json(stored)
    except ValueError as exc:
        log.warning("printer setting ignored: %s", exc)
        return PrinterConfig()


def save_printer(store: DeviceStore, config: PrinterConfig) -> None:
    """Keep ``config`` as this till's printer (raises StoreError if it cannot)."""
    store.set_device_setting(PRINTER_SETTING, config.to_json())


@dataclass(frozen=True, slots=True)
class PrintOutcome:
    """How one ticket went: printed (``error`` None) or not, and on which printer."""

    title: str
    config: PrinterConfig
    error: PrinterError | None = None
    sale_saved: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


class TicketPrinter(QObject):
    """Prints :class:`TicketLayout` s on this till's printer, or to PDF without one.

    ``finished(PrintOutcome)`` fires on the GUI thread after each printer job;
    failures are also shown on ``messages``.
    """

    finished = Signal(object)
    _job_done = Signal(object)

    def __init__(
        self,
        store: DeviceStore,
        messages: MessageBar,
        pdf_dir: Path,
        parent: QObject | None = None,
        timeout: float = 10.0,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.messages = messages
        self.pdf_dir = pdf_dir
        self.timeout = timeout
        #: Jobs sent to the printer whose outcome has not come back yet.
        self.pending = 0
        self._pool = QThreadPool()
        self._pool.setMaxThreadCount(1)
        self._job_done.connect(self._report, Qt.ConnectionType.QueuedConnection)

    # -- configuration -----------------------------------------------------------------

    @property
    def config(self) -> PrinterConfig:
        """This till's printer (:func:`load_printer`)."""
        return load_printer(self.store)

    def configure(self, config: PrinterConfig) -> None:
        """Keep ``config`` as this till's printer (raises StoreError if it cannot)."""
        save_printer(self.store, config)

    # -- printing ----------------------------------------------------------------------

    def print_layout(
        self,
        layout: TicketLayout,
        *,
        sale_saved: bool = False,
        config: PrinterConfig | None = None,
    ) -> Path | None:
        """Print ``layout`` on ``config`` (default: this till's printer).

        Without a printer: writes a PDF now and returns its path. With one:
        queues the job and returns None at once (``finished`` tells how it
        went). ``sale_saved`` says the ticket is a sale already in the journal
        (a failure message then says so).
        """
        try:
            config = config or self.config
        except StoreError as exc:  # the store cannot be read: print to PDF, say why
            log.error("printer setting unreadable: %s", exc)
            config = PrinterConfig()
        if config.kind is PrinterKind.NONE:
            self.pdf_dir.mkdir(parents=True, exist_ok=True)
            path = print_pdf(layout, self.pdf_dir / f"{layout.title}.pdf")
            self.messages.show_message(tr("Receipt saved as {path}", path=str(path)))
            return path
        data = render_escpos(layout, config.columns)
        self.pending += 1
        timeout = self.timeout
        self._pool.start(
            lambda: self._send(PrintOutcome(layout.title, config, None, sale_saved), data, timeout)
        )
        return None

    def _send(self, outcome: PrintOutcome, data: bytes, timeout: float) -> None:
        """On the worker thread: send, then hand the outcome to the GUI thread."""
        try:
            send(outcome.config, data, timeout)
        except PrinterError as exc:
            outcome = PrintOutcome(outcome.title, outcome.config, exc, outcome.sale_saved)
        except Exception as exc:  # never lost silently, never raised into Qt
            log.exception("printing %s failed", outcome.title)
            error = PrinterError(Problem.OTHER, outcome.config.place, str(exc))
            outcome = PrintOutcome(outcome.title, outcome.config, error, outcome.sale_saved)
        try:
            self._job_done.emit(outcome)
        except RuntimeError:  # the window closed meanwhile
            log.info("printed %s after the window closed", outcome.title)

    def _report(self, outcome: PrintOutcome) -> None:
        self.pending -= 1
        if outcome.error is None:
            self.messages.show_message(tr("Printed on {place}.", place=outcome.config.place))
        else:
            log.warning("printing %s failed: %s", outcome.title, outcome.error)
            self.messages.show_message(describe_failure(outcome), "error")
        self.finished.emit(outcome)


def describe_failure(outcome: PrintOutcome) -> str:
    """What the cashier reads when a ticket did not print (and what to do)."""
    error = outcome.error
    if error is None:
        return ""
    place = error.place.removeprefix("tcp://")
    problem = error.problem
    if problem in (Problem.REFUSED, Problem.UNREACHABLE):
        text = tr("Printer not reachable at {place}", place=place)
    elif problem is Problem.TIMEOUT:
        text = tr("The printer at {place} did not take the ticket (paper? cover?)", place=place)
    elif problem is Problem.NO_DEVICE:
        text = tr("No printer at {place} (unplugged or switched off?)", place=place)
    elif problem is Problem.PERMISSION:
        text = tr("This till may not write to the printer {place}", place=place)
    else:
        text = tr("Printing on {place} failed: {reason}", place=place, reason=error.detail)
    if outcome.sale_saved:
        text += " — " + tr("the sale is saved; print it again (F9) or from past tickets (F8).")
    return text
