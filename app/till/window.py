"""The till's main window: a top bar, a message bar and one screen at a time.

Screens: cashier chooser -> selling -> payment -> receipt -> selling. The
window wires them to the session, owns the barcode filter and the keyboard
shortcuts, and shows the sync state in the top-right corner.

Shortcuts: F2 search, F3 customer, F4 discount on the sale, F5 sync now, F6 park /
recall, F8 past tickets (duplicate, refund), F9 print the receipt, F10 daily
closing, F12 pay, Esc back, Enter new sale (on the receipt).

The options menu (⚙) holds what is rarer: the month and year closings, the
technical events journal, the cashier's own cash count (per-cashier mode), the
purge of acknowledged records and the till's logout.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.core.errors import StoreError
from app.core.lan import LanNode
from app.core.sync import (
    RELAY_PEER,
    LinkState,
    SyncEngine,
    SyncOutcome,
    SyncStatus,
    UnacknowledgedSalesError,
    ensure_may_forget,
)
from app.qt.bridge import AsyncBridge
from app.qt.formatting import format_datetime
from app.qt.i18n import language, set_language, tr, translator
from app.qt.receipt import Receipt
from app.qt.widgets import MessageBar, SyncBadge, SyncState
from app.till.cash_count import CashCountDialog
from app.till.cashier import CashierScreen
from app.till.catalogue import REBUILD_BATCH
from app.till.closings import ClosingsDialog, closing_report, closing_title
from app.till.dialogs import NoteDialog, PickDialog
from app.till.events_view import EventsDialog
from app.till.logout import LogoutDialog
from app.till.payment import PaymentScreen
from app.till.printer_dialog import PrinterDialog
from app.till.printing.service import TicketPrinter
from app.till.receipt_view import ReceiptScreen
from app.till.scanner import ScannerFilter
from app.till.selling import SellingScreen
from app.till.session import TillSession
from app.till.theme import STYLE_SHEET
from crdt_models.documents import CashCountMode, ChangeSummary, EntryKind
from crdt_models.errors import DomainError
from crdt_models.journal import Record

__all__ = ["TillWindow"]

log = logging.getLogger(__name__)


class TillWindow(QMainWindow):
    def __init__(self, session: TillSession) -> None:
        super().__init__()
        self.session = session
        self.setStyleSheet(STYLE_SHEET)
        self.messages = MessageBar()
        self.sync_badge = SyncBadge()
        self.shop_label = QLabel()
        self.shop_label.setObjectName("tillTitle")
        # a long shop name is cut, never widening the screen
        self.shop_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.cashier_button = QPushButton()
        self.cashier_button.clicked.connect(self.show_cashiers)
        self.park_button = QPushButton()
        self.park_button.clicked.connect(self.park_or_recall)
        self.tickets_button = QPushButton()
        self.tickets_button.clicked.connect(self.ask_ticket)
        self.closing_button = QPushButton()
        self.closing_button.clicked.connect(self.close_day)
        self.sync_button = QPushButton()
        self.sync_button.clicked.connect(self.sync_now)
        self.sync_button.hide()  # shown once a sync engine runs
        self.options_button = QPushButton("⚙")
        self.options_menu = self._options_menu()
        self.options_button.clicked.connect(self._show_options)
        self.language_button = QPushButton()
        self.language_button.clicked.connect(
            lambda: set_language("en" if language() == "fr" else "fr")
        )
        top = QHBoxLayout()
        top.setContentsMargins(8, 6, 8, 6)
        top.addWidget(self.shop_label, 1)
        for b in (
            self.cashier_button,
            self.park_button,
            self.tickets_button,
            self.closing_button,
            self.sync_button,
            self.options_button,
            self.language_button,
        ):
            top.addWidget(b)
        top.addWidget(self.sync_badge)

        self.cashier_screen = CashierScreen(session)
        receipts = session.store.data_dir / "receipts"
        self.printer = TicketPrinter(session.store, self.messages, receipts, self)
        self.selling = SellingScreen(session, self.messages, self.printer)
        self.payment = PaymentScreen(session, self.messages)
        self.receipt = ReceiptScreen(self.messages, self.printer)
        self.stack = QStackedWidget()
        for screen in (self.cashier_screen, self.selling, self.payment, self.receipt):
            self.stack.addWidget(screen)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.messages)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.scanner = ScannerFilter(self)
        self.scanner.scanned.connect(self.on_scan)
        self.scanner.install()
        self.messages.action_clicked.connect(self._search_after_unknown)
        self.cashier_screen.signed_in.connect(self.show_selling)
        self.selling.pay_requested.connect(self.show_payment)
        self.payment.paid.connect(self.validate_sale)
        self.payment.cancelled.connect(self.show_selling)
        self.receipt.done.connect(self.show_selling)
        self.receipt.duplicate_requested.connect(self.duplicate_current)
        self.receipt.refund_requested.connect(self.ask_refund)
        self.stack.currentChanged.connect(lambda _i: self._refresh_bar())
        self._shortcuts()
        # Redraw after document changes (a manager's edit arriving, a stock move),
        # at most once per event-loop turn; the basket is never touched.
        self._catalogue_refresh = self._coalesced(self.refresh_catalogue)
        self._stock_refresh = self._coalesced(self.refresh_stock)
        shop = session.shop
        #: Products changed since the last redraw; None: redraw everything.
        self._changed_products: set[str] | None = set()
        self._unsubscribe = [
            shop.catalogue.tracker.subscribe(self._catalogue_changed),
            shop.settings.tracker.subscribe(self._settings_changed),
            shop.inventory.tracker.subscribe(lambda _c: self._stock_refresh.start()),
        ]
        self.engine: SyncEngine | None = None
        self.lan: LanNode | None = None
        self._bridge: AsyncBridge | None = None
        translator().changed.connect(self.retranslate)
        self.retranslate()
        session.record_event("start", version=__version__)
        if session.cashier is None:
            self.show_cashiers()
        else:
            self.show_selling()
        self.refresh_sync_state()

    # -- screens -----------------------------------------------------------------

    def show_cashiers(self) -> None:
        if self.stack.currentWidget() in (self.payment, self.receipt):
            return
        self.cashier_screen.reload()
        self.stack.setCurrentWidget(self.cashier_screen)

    def show_selling(self) -> None:
        if self.selling.model.basket is not self.session.basket:
            self.selling.set_basket(self.session.basket)
        self.stack.setCurrentWidget(self.selling)

    def show_payment(self) -> None:
        self.payment.start()
        self.stack.setCurrentWidget(self.payment)

    def show_receipt(self, receipt: Receipt, *, past: bool = False) -> None:
        self.receipt.show_receipt(receipt, past=past)
        self.stack.setCurrentWidget(self.receipt)
        self.receipt.new_sale.setFocus()
        self.refresh_sync_state()
        if not past and not receipt.reprint:
            self.receipt.print_new()

    def validate_sale(self) -> None:
        """The basket is paid: record the sale, then show the receipt."""
        try:
            record = self.session.validate()
        except DomainError as exc:
            self.messages.show_message(
                tr("The sale could not be recorded: {reason}", reason=str(exc)), "error"
            )
            return
        except StoreError as exc:
            log.error("sale not recorded: %s", exc)
            self.messages.show_message(
                tr(
                    "The sale could not be saved on this till ({reason}). "
                    "Nothing was recorded: try again.",
                    reason=str(exc),
                ),
                "error",
            )
            return
        self.selling.set_basket(self.session.basket)
        self.show_receipt(self.session.receipt(record))

    # -- actions -------------------------------------------------------------------

    def on_scan(self, code: str) -> None:
        current = self.stack.currentWidget()
        if current is self.receipt:
            self.show_selling()
        elif current is not self.selling:
            return
        self.selling.scan(code)

    def park_or_recall(self) -> PickDialog | None:
        if self.stack.currentWidget() is not self.selling:
            return None
        if not self.session.basket.is_empty:
            try:
                self.session.park()
            except DomainError as exc:
                self.messages.show_message(str(exc), "warning")
                return None
            self.selling.set_basket(self.session.basket)
            self.messages.show_message(
                tr("Sale parked. Recall it with F6 when the basket is empty.")
            )
            self._refresh_bar()
            return None
        if not len(self.session.parked):
            self.messages.show_message(tr("No parked sale."))
            return None
        dialog = PickDialog(
            tr("Recall a parked sale"), PickDialog.parked_rows(list(self.session.parked)), self
        )
        dialog.picked.connect(self.recall)
        dialog.open()
        return dialog

    def recall(self, basket_id: str) -> None:
        try:
            self.session.recall(basket_id)
        except DomainError as exc:
            self.messages.show_message(str(exc), "warning")
            return
        self.selling.set_basket(self.session.basket)
        self._refresh_bar()

    def ask_ticket(self) -> PickDialog | None:
        if self.stack.currentWidget() not in (self.selling, self.receipt):
            return None
        records = self.session.last_tickets()
        if not records:
            self.messages.show_message(tr("No ticket yet on this till."))
            return None
        dialog = PickDialog(tr("Past tickets"), PickDialog.ticket_rows(records), self)
        dialog.picked.connect(lambda seq: self.show_past(int(seq)))
        dialog.open()
        return dialog

    def show_past(self, seq: int) -> None:
        """Show a past ticket (to reprint or refund it)."""
        record = self.session.store.record(seq)
        if record is None:
            return
        self.show_receipt(self.session.receipt(record), past=True)
        self.receipt.refund_button.setEnabled(self.session.refundable(record))

    def ask_refund(self) -> NoteDialog | None:
        """Refund the ticket on screen: ask the reason first (it goes in the journal)."""
        shown = self.receipt.receipt
        if shown is None or shown.record.kind != "sale":
            return None
        dialog = NoteDialog(tr("Reason for the refund"), "", self)
        dialog.chosen.connect(lambda reason: self.refund(shown.record, reason))
        dialog.open()
        return dialog

    def refund(self, original: Record, reason: str) -> None:
        try:
            record = self.session.refund(original, reason or tr("Customer return"))
        except (DomainError, StoreError) as exc:
            self.messages.show_message(
                tr("The refund could not be recorded: {reason}", reason=str(exc)), "error"
            )
            return
        self.show_receipt(self.session.receipt(record))

    def duplicate(self, seq: int) -> None:
        record = self.session.store.record(seq)
        if record is None:
            return
        try:
            receipt = self.session.reprint(record)
        except (DomainError, StoreError) as exc:
            self.messages.show_message(str(exc), "error")
            return
        self.show_receipt(receipt)
        self.receipt.print_receipt()

    def duplicate_current(self) -> None:
        if self.receipt.receipt is not None:
            self.duplicate(self.receipt.receipt.record.seq)

    def ask_printer(self) -> PrinterDialog:
        """This till's receipt printer (and a test page)."""
        dialog = PrinterDialog(
            self.printer, self.session.shop.settings.shop(), self.session.till_name(), self
        )
        dialog.open()
        return dialog

    # -- sync ------------------------------------------------------------------------

    def attach_sync(
        self, engine: SyncEngine, bridge: AsyncBridge, lan: LanNode | None = None
    ) -> None:
        """Show ``engine``'s status, and the shop network's peers when ``lan`` runs
        (delivered to the GUI thread by ``bridge``)."""
        self.engine, self.lan = engine, lan
        self._bridge = bridge

        def refresh(_status: object) -> None:
            bridge.to_gui(lambda: self.show_sync_status(engine.status))

        self.sync_button.show()
        self.selling.model.totals_changed.connect(engine.touch)  # the till is in use
        self._unsubscribe.append(engine.subscribe(refresh))
        if lan is not None:
            self._unsubscribe.append(lan.subscribe(refresh))
        self.show_sync_status(engine.status)

    def show_sync_status(self, status: SyncStatus) -> None:
        lang = language()
        peers = self.lan.status.peer_count if self.lan is not None else 0
        if status.online:
            detail = tr("Connected to the relay")
        elif status.state is LinkState.REFUSED:
            detail = tr("The relay refused this till: {reason}", reason=status.error or "")
        else:
            detail = tr("No connection to the relay") + (
                f" ({status.error})" if status.error else ""
            )
        if status.last_sync:
            detail += "\n" + tr(
                "Last sync: {when}", when=format_datetime(int(status.last_sync), lang)
            )
        if peers:
            detail += "\n" + tr("Shop network: {n} device(s)", n=peers)
        mode = "relay" if status.online else "lan" if peers else "offline"
        self.sync_badge.set_state(SyncState(mode, status.pending, detail))

    def sync_now(self) -> None:
        """Force an exchange with the relay and say how it went (F5)."""
        engine = self.engine
        if engine is None:
            return
        engine.touch()
        future = engine.sync_now()
        self.messages.show_message(tr("Synchronising…"))

        def report(outcome: SyncOutcome) -> None:
            if outcome.ok:
                self.messages.show_message(tr("Everything is on the relay."))
            else:
                self._sync_failed(outcome.reason or "")
                self.messages.show_message(
                    tr("Not synchronised: {reason}. Selling goes on.", reason=outcome.reason or ""),
                    "warning",
                )

        bridge = self._bridge
        assert bridge is not None
        future.add_done_callback(
            lambda f: None if f.cancelled() else bridge.to_gui(partial(report, f.result()))
        )

    def close_day(self) -> CashCountDialog | None:
        """The daily closing (Z): the cash count first when the owner asks for one, then
        the closing, only once the relay holds every sale of this till.

        Offline it is refused with an explanation, and selling goes on. In the mode
        "per till and mandatory" nothing is closed without a count.
        """
        if self.stack.currentWidget() not in (self.selling, self.receipt):
            return None
        if not self.session.basket.is_empty:
            self.messages.show_message(tr("Finish or park the sale in progress first."), "warning")
            return None
        engine = self.engine
        if engine is None or self._bridge is None or not engine.status.online:
            self.messages.show_message(
                tr("Closing needs the internet: keep selling, close later."), "warning"
            )
            return None
        mode = self.session.rules().cash_count
        if mode not in (CashCountMode.TILL, CashCountMode.TILL_MANDATORY):
            self._close_when_relay_holds_all(None)
            return None
        mandatory = mode is CashCountMode.TILL_MANDATORY
        cashier = self.session.cashier
        dialog = CashCountDialog(
            tr("Cash count before the closing"),
            cashier.id if cashier else self.session.store.identity.till_id,
            self.session.count_sheet(),
            skippable=not mandatory,
            parent=self,
        )
        dialog.counted.connect(self._close_when_relay_holds_all)
        dialog.skipped.connect(lambda: self._close_when_relay_holds_all(None))
        if mandatory:
            dialog.rejected.connect(
                lambda: self.messages.show_message(
                    tr("The closing needs a cash count: nothing was closed."), "warning"
                )
            )
        dialog.open()
        return dialog

    def _close_when_relay_holds_all(self, count: dict[str, Any] | None) -> None:
        engine, bridge = self.engine, self._bridge
        if engine is None or bridge is None:
            return
        self.messages.show_message(tr("Checking that the relay holds every sale…"))
        future = engine.sync_now()

        def checked(outcome: SyncOutcome) -> None:
            if not outcome.ok:
                self._sync_failed(outcome.reason or "")
                self.messages.show_message(
                    tr(
                        "Closing needs every sale on the relay ({reason}): try again later.",
                        reason=outcome.reason or "",
                    ),
                    "warning",
                )
                return
            self._record_closing(count)

        future.add_done_callback(
            lambda f: None if f.cancelled() else bridge.to_gui(partial(checked, f.result()))
        )

    def _record_closing(self, count: dict[str, Any] | None = None) -> None:
        today = datetime.now(self.session.shop.settings.zone()).date()  # the shop's day
        label = today.isoformat()
        uncounted = self.session.uncounted_cashiers()
        try:
            record = self.session.close_day(label, count)
        except (DomainError, StoreError) as exc:
            self.messages.show_message(
                tr("The closing could not be recorded: {reason}", reason=str(exc)), "error"
            )
            return
        self.messages.hide()
        self._show_closing(record)
        if uncounted:
            names = {
                c.id: c.name for c in self.session.shop.settings.cashiers(include_archived=True)
            }
            self.messages.show_message(
                tr(
                    "Closed without the cash count of: {names}",
                    names=", ".join(names.get(c, c) for c in uncounted),
                ),
                "warning",
            )
        last_of_month = (today + timedelta(days=1)).month != today.month
        if "month" in self.session.closable_periods() and last_of_month:
            self.offer_closings()  # the last day of the month: offer its closing

    def _show_closing(self, record: Record) -> None:
        body = record.body
        html = closing_report(record, self.session.till_name(), self.session.method_names())
        self.receipt.show_closing(closing_title(body["period"], body["label"]), html)
        self.stack.setCurrentWidget(self.receipt)
        self.receipt.new_sale.setFocus()
        self.refresh_sync_state()

    def offer_closings(self) -> ClosingsDialog | None:
        """The month and year closings that may be recorded now."""
        if self.stack.currentWidget() not in (self.selling, self.receipt):
            return None
        dialog = ClosingsDialog(self.session.closable_periods(), self)
        dialog.chosen.connect(self.close_period)
        dialog.open()
        return dialog

    def close_period(self, period: str) -> None:
        """Record the month (or year) closing and show its totals; after December's
        month closing, offer the year's."""
        try:
            record = self.session.close_period(period)
        except (DomainError, StoreError) as exc:
            self.messages.show_message(
                tr("The closing could not be recorded: {reason}", reason=str(exc)), "error"
            )
            return
        self._show_closing(record)
        if period == "month" and record.body["label"].endswith("-12"):
            self.offer_closings()

    # -- options ------------------------------------------------------------------------

    def _options_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.setStyleSheet("QMenu::item { min-height: 48px; padding: 4px 24px; font-size: 18px; }")
        self.closings_action = menu.addAction("", self.offer_closings)
        self.events_action = menu.addAction("", self.show_events)
        self.own_count_action = menu.addAction("", self.count_own_cash)
        self.purge_action = menu.addAction("", self.purge)
        self.printer_action = menu.addAction("", self.ask_printer)
        menu.addSeparator()
        self.logout_action = menu.addAction("", self.log_out_till)
        return menu

    def _show_options(self) -> None:
        on_screen = self.stack.currentWidget() in (self.selling, self.receipt)
        mode = self.session.rules().cash_count
        self.closings_action.setEnabled(on_screen)
        self.own_count_action.setEnabled(
            on_screen and mode is CashCountMode.CASHIER and self.session.cashier is not None
        )
        self.logout_action.setEnabled(self.session.provisioned)
        self.options_menu.popup(
            self.options_button.mapToGlobal(self.options_button.rect().bottomLeft())
        )

    def show_events(self) -> EventsDialog:
        """The technical events journal (JET), newest first; read-only."""
        names = {c.id: c.name for c in self.session.shop.settings.cashiers(include_archived=True)}
        dialog = EventsDialog(self.session.technical_events(), names, self)
        dialog.open()
        return dialog

    def count_own_cash(self) -> CashCountDialog | None:
        """Per-cashier mode: the cashier counts their cash before leaving, then is
        signed out and locked until the next day closing."""
        cashier = self.session.cashier
        if cashier is None or self.stack.currentWidget() not in (self.selling, self.receipt):
            return None
        if not self.session.basket.is_empty:
            self.messages.show_message(tr("Finish or park the sale in progress first."), "warning")
            return None
        dialog = CashCountDialog(
            tr("{name}: count your cash", name=cashier.name),
            cashier.id,
            self.session.count_sheet(cashier.id),
            skippable=False,
            parent=self,
        )
        dialog.counted.connect(self._record_own_count)
        dialog.open()
        return dialog

    def _record_own_count(self, count: dict[str, Any]) -> None:
        name = self.session.cashier.name if self.session.cashier else ""
        try:
            self.session.record_cash_count(count)
        except (DomainError, StoreError) as exc:
            self.messages.show_message(
                tr("The count could not be recorded: {reason}", reason=str(exc)), "error"
            )
            return
        self.show_cashiers()
        self.messages.show_message(
            tr("Count recorded: {name} is signed out until the day is closed.", name=name)
        )

    def purge(self) -> int:
        """Delete the records the relay acknowledged, older than the owner's delay."""
        days = self.session.rules().purge_days
        try:
            removed = self.session.purge()
        except StoreError as exc:
            self.messages.show_message(tr("Nothing was purged: {reason}", reason=str(exc)), "error")
            return 0
        self.messages.show_message(
            tr(
                "{n} record(s) removed from this till (on the relay, older than {days} days).",
                n=removed,
                days=days,
            )
        )
        return removed

    def log_out_till(self) -> LogoutDialog | None:
        """Log this till out of the relay, after a confirmation; a strong warning, typed
        and confirmed twice, when sales or changes are not acknowledged yet."""
        if not self.session.provisioned:
            self.messages.show_message(tr("This till is not logged in to a relay."))
            return None
        pending = self.session.pending()
        try:
            ensure_may_forget(self.session.store)
        except UnacknowledgedSalesError as exc:
            pending = max(pending, exc.count)
        dialog = LogoutDialog(pending, self)
        dialog.confirmed.connect(self._log_out)
        dialog.open()
        return dialog

    def _log_out(self, force: bool) -> None:
        try:
            self.session.log_out_till(force=force)
        except UnacknowledgedSalesError as exc:
            self.messages.show_message(
                tr("Not logged out: {n} record(s) have not reached the relay yet.", n=exc.count),
                "warning",
            )
            return
        self.close()  # the next start asks for the licence and password

    def _sync_failed(self, reason: str) -> None:
        """A sync the cashier asked for failed: the JET keeps a trace."""
        peer = self.session.store.identity.relay_url or RELAY_PEER
        self.session.record_event("sync_failure", peer=peer, error=reason or "unknown")

    def _catalogue_changed(self, summary: ChangeSummary | None) -> None:
        """Note which products a transaction changed; redraw once per event-loop turn."""
        changed = self._changed_products
        if (
            summary is not None
            and not summary.touches(EntryKind.CATEGORY)  # incomplete touches everything
            and changed is not None
            and len(changed) <= REBUILD_BATCH
        ):
            changed |= summary.ids(EntryKind.PRODUCT)
        else:
            self._changed_products = None
        self._catalogue_refresh.start()

    def _settings_changed(self, summary: ChangeSummary) -> None:
        """Of the settings, only VAT rates change what the products show (their rate,
        whether they can be sold): re-read them all then; anything else (the shop's
        name, a till, a cashier) only redraws the top bar."""
        if summary.touches(EntryKind.VAT_RATE):  # incomplete touches everything
            self._changed_products = None
        self._catalogue_refresh.start()

    def refresh_catalogue(self) -> None:
        """The catalogue or settings changed: redraw the products (the basket in
        progress is left as it is). Products that changed are re-read one by one:
        a price or colour is repainted in place, a product added, renamed, moved or
        archived refills only the buttons shown; a category, a VAT rate or a large
        batch re-read everything and rebuild the tabs too."""
        changed, self._changed_products = self._changed_products, set()
        catalogue, grid = self.session.catalogue, self.selling.grid
        tabs = catalogue.categories
        if changed is None:
            self.session.refresh_catalogue()
            grid.reload()
        elif not catalogue.update(changed):
            grid.update_tiles(changed)
        elif catalogue.categories != tabs:
            grid.reload()
        else:
            grid.refill()
        self._refresh_bar()

    def refresh_stock(self) -> None:
        self.session.refresh_stock()
        self.selling.grid.refresh_stock()

    def _coalesced(self, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(0)
        timer.timeout.connect(slot)
        return timer

    def refresh_sync_state(self) -> None:
        """Without a sync engine the till is offline: it counts what waits."""
        if self.engine is not None:
            self.show_sync_status(self.engine.status)
            return
        acks = self.session.store.journal_acks(RELAY_PEER)
        till = self.session.store.identity.till_id
        head = self.session.store.head()
        pending = head.seq - acks.get((till, "sales"), 0)
        self.sync_badge.set_state(SyncState("offline", pending, tr("No connection to the relay")))

    # -- chrome --------------------------------------------------------------------

    def retranslate(self, _lang: str = "") -> None:
        self.setWindowTitle(tr("Skytill till"))
        self.language_button.setText("EN" if language() == "fr" else "FR")
        self.language_button.setToolTip(tr("Switch language"))
        self.tickets_button.setText(tr("Tickets") + " (F8)")
        self.sync_button.setText(tr("Sync") + " (F5)")
        self.closing_button.setText(tr("Closing") + " (F10)")
        self.options_button.setToolTip(tr("Options"))
        self.options_button.setAccessibleName(tr("Options"))
        self.closings_action.setText(tr("Month and year closings"))
        self.events_action.setText(tr("Technical events journal"))
        self.own_count_action.setText(tr("Count my cash and sign out"))
        self.purge_action.setText(tr("Purge old records"))
        self.logout_action.setText(tr("Log out this till"))
        self.printer_action.setText(tr("Printer"))
        self._refresh_bar()

    def _refresh_bar(self) -> None:
        shop = self.session.shop.settings.shop().name or "Skytill"
        self.shop_label.setText(f"{shop}\n{self.session.till_name()}")  # two lines: never cut
        cashier = self.session.cashier
        self.cashier_button.setText(cashier.name if cashier else tr("Choose a cashier"))
        if self.session.basket.is_empty and len(self.session.parked):
            self.park_button.setText(tr("Recall ({n})", n=len(self.session.parked)) + " (F6)")
        else:
            self.park_button.setText(tr("Park") + " (F6)")
        current = self.stack.currentWidget()
        self.park_button.setEnabled(current is self.selling)
        self.tickets_button.setEnabled(current in (self.selling, self.receipt))
        self.scanner.enabled = self.stack.currentWidget() in (self.selling, self.receipt)

    def _shortcuts(self) -> None:
        def key(seq: str | QKeySequence.StandardKey | Qt.Key, slot: object) -> None:
            shortcut = QShortcut(QKeySequence(seq), self)
            shortcut.activated.connect(slot)

        key(Qt.Key.Key_F2, self._focus_search)
        key(Qt.Key.Key_F3, self._customer)
        key(Qt.Key.Key_F4, self._basket_discount)
        key(Qt.Key.Key_F5, self.sync_now)
        key(Qt.Key.Key_F6, self.park_or_recall)
        key(Qt.Key.Key_F8, self.ask_ticket)
        key(Qt.Key.Key_F9, self._print)
        key(Qt.Key.Key_F10, self.close_day)
        key(Qt.Key.Key_F12, self._pay)
        key(Qt.Key.Key_Escape, self._back)
        # Enter means "new sale" only on the receipt screen (elsewhere it belongs
        # to the search field and to the scanner).
        for enter in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(enter), self.receipt)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.show_selling)

    def _focus_search(self) -> None:
        if self.stack.currentWidget() is self.selling:
            self.selling.grid.search.setFocus()

    def _customer(self) -> None:
        if self.stack.currentWidget() is self.selling:
            self.selling.ask_customer()

    def _basket_discount(self) -> None:
        if self.stack.currentWidget() is self.selling:
            self.selling.ask_basket_discount()

    def _print(self) -> None:
        if self.stack.currentWidget() is self.receipt:
            self.receipt.print_receipt()

    def _pay(self) -> None:
        if self.stack.currentWidget() is self.selling:
            self.selling.request_pay()

    def _back(self) -> None:
        if self.stack.currentWidget() is self.payment:
            self.payment.cancel()
        elif self.stack.currentWidget() is self.receipt:
            self.show_selling()
        elif self.stack.currentWidget() is self.selling:
            self.selling.grid.search.clear()
            self.messages.hide()

    def _search_after_unknown(self) -> None:
        self.messages.hide()
        self._focus_search()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.scanner.uninstall()
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
        super().closeEvent(event)
