"""The till's working state: the device store, the shop's documents, the cashier,
the basket and the parked baskets; and the commands that touch the journal.

No widgets here: the screens call these methods and show what they return.
:meth:`TillSession.validate` is where a paid basket becomes a durable sale
(:meth:`app.core.store.DeviceStore.validate_sale`). Around the closing: the
cash count (:meth:`TillSession.count_sheet`, :meth:`TillSession.record_cash_count`),
the closings (:meth:`TillSession.close_day`, :meth:`TillSession.close_period`),
the technical events journal (:meth:`TillSession.record_event`), the purge of
acknowledged records and the till's logout.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pycrdt import Doc, Subscription

from app.core.basket import Basket, ParkedBaskets
from app.core.errors import StoreError
from app.core.lan import LanNode
from app.core.payments import journal_method, journal_method_names
from app.core.store import DeviceStore
from app.core.store.database import DATABASE_FILE_NAME
from app.core.sync import RELAY_PEER, DocBridge, OwnerCall, SyncEngine, ensure_may_forget, logout
from app.core.sync.pending import unacknowledged_records
from app.qt.receipt import Receipt
from app.till.catalogue import TillCatalogue
from app.till.loyalty import count_visit
from crdt_models.documents.schema import EntryKind
from crdt_models.documents.settings import (
    CashCountMode,
    Cashier,
    PaymentKind,
    PaymentMethod,
    Till,
    TillRules,
)
from crdt_models.documents.shop import ShopDocuments
from crdt_models.errors import DomainError, NotFoundError, ValidationError
from crdt_models.journal import (
    CASH,
    QTY_ONE,
    ClosingState,
    Payment,
    Record,
    RefundLine,
    build_refund_body,
    duplicate_body,
    event_body,
    expected_amounts,
    next_closing_body,
    refund_due,
    refundable_quantities,
    ticket_number,
)

__all__ = ["CountRow", "TillSession", "has_pin"]

log = logging.getLogger(__name__)

DAY_SECONDS = 86_400


@dataclass(frozen=True, slots=True)
class CountRow:
    """One payment method of a cash count: its journal name, what the receipt calls
    it, whether it is the cash drawer (counted by coin and note), and what the
    journal expects in it (cents)."""

    method: str
    name: str
    is_cash: bool
    expected: int


@dataclass
class TillSession:
    """One open till. Build it with :meth:`open`; :meth:`close` on exit."""

    store: DeviceStore
    shop: ShopDocuments
    catalogue: TillCatalogue
    parked: ParkedBaskets
    basket: Basket
    cashier: Cashier | None = None
    engine: SyncEngine | None = None
    lan: LanNode | None = None
    doc_bridge: DocBridge | None = None
    _persist: list[tuple[Doc[Any], Subscription]] = field(default_factory=list)

    @classmethod
    def open(cls, data_dir: Path | str, *, demo: bool = False) -> TillSession:
        """Open the till in ``data_dir``. With ``demo``, a data directory without
        a store gets the demo shop (saved in the store) and becomes its till 1."""
        directory = Path(data_dir)
        seeded: dict[str, Doc[Any]] | None = None
        till_id = None
        if demo and not (directory / DATABASE_FILE_NAME).exists():
            seeded, till_id = _demo_docs()
        store = DeviceStore.open(directory, till_id=till_id)
        try:
            if seeded is not None:
                for name, doc in seeded.items():
                    store.append_update(name, doc.get_update())
            shop = ShopDocuments.open(store.identity.device_id, store.load_docs())
            persist = [
                (doc, doc.observe(lambda event, name=name: store.append_update(name, event.update)))
                for name, doc in shop.docs.items()
            ]
        except BaseException:
            store.close()
            raise
        session = cls(
            store=store,
            shop=shop,
            catalogue=TillCatalogue(shop.catalogue, shop.inventory.values(EntryKind.STOCK)),
            parked=ParkedBaskets(directory),
            basket=Basket(),
        )
        session._persist = persist
        cashiers = shop.settings.cashiers()
        if len(cashiers) == 1 and not has_pin(cashiers[0]):
            session.cashier = cashiers[0]
        return session

    def close(self) -> None:
        """Stop syncing (nothing unacknowledged is lost) and close the store."""
        if self.doc_bridge is not None:
            self.doc_bridge.close()
        if self.engine is not None:
            self.engine.stop()
        self.store.close()

    # -- sync ---------------------------------------------------------------------

    @property
    def provisioned(self) -> bool:
        """True once this till logged in to a relay (it has an address and a token)."""
        identity = self.store.identity
        return bool(identity.relay_url and identity.relay_token)

    def attach_sync(
        self, engine: SyncEngine, call_in_owner: OwnerCall, lan: LanNode | None = None
    ) -> None:
        """Sync the shop's documents through ``engine`` (started) and, when given, the
        shop's LAN through ``lan`` (started; it relays to the engine itself); call on
        the GUI thread.

        The bridge then stores local changes itself, so this session stops doing it.
        """
        for doc, subscription in self._persist:
            doc.unobserve(subscription)
        self._persist = []
        self.engine, self.lan = engine, lan
        shop = self.shop
        link = lan if lan is not None else engine
        self.doc_bridge = link.attach(shop.docs, call_in_owner, after_remote=shop.settle)
        self.shop.inventory.repair_all()  # in case it stopped between a merge and its repair

    def _journal_changed(self) -> None:
        if self.engine is not None:
            self.engine.journal_changed()
        if self.lan is not None:
            self.lan.journal_changed()

    # -- shop facts ---------------------------------------------------------------

    def till(self) -> Till:
        """This till's entry in the settings (by the store's till id)."""
        try:
            return self.shop.settings.till(self.store.identity.till_id)
        except NotFoundError:
            raise ValidationError(
                "till", "till.unknown", "this till is not in the shop's settings"
            ) from None

    def till_name(self) -> str:
        """This till's name from the settings, or its id while the settings do not
        name it yet (a till just provisioned on a relay)."""
        try:
            return self.till().name
        except ValidationError:
            return self.store.identity.till_id

    def payment_methods(self) -> list[PaymentMethod]:
        return self.shop.settings.payment_methods()

    def method_names(self) -> dict[str, str]:
        """Journal method name -> what the receipt prints."""
        return journal_method_names(self.shop.settings)

    def refresh_catalogue(self) -> None:
        """Re-read the products after the catalogue or settings changed."""
        self.catalogue.refresh()

    def refresh_stock(self) -> None:
        """Re-read the stock counters after the inventory changed (cheap)."""
        self.catalogue.set_stock(self.shop.inventory.values(EntryKind.STOCK))

    # -- cashier ------------------------------------------------------------------

    def sign_in(self, cashier: Cashier, pin: str = "") -> None:
        """Make ``cashier`` the one selling; checks the PIN if they have one.

        In the per-cashier count mode, a cashier who counted their cash since the
        last day closing is locked until the next one (``count.locked``).
        """
        if has_pin(cashier) and not _pin_matches(cashier.pin_hash, pin):
            raise ValidationError("pin", "pin.wrong", "wrong PIN")
        if self.is_locked(cashier):
            raise ValidationError("cashier", "count.locked", "this cashier counted for today")
        if self.cashier is not None and self.cashier.id != cashier.id:
            self.record_event("logout", cashier=self.cashier.id)
        self.cashier = cashier
        self.record_event("login", cashier=cashier.id)

    def is_locked(self, cashier: Cashier) -> bool:
        """True when ``cashier`` counted their cash (per-cashier mode) since the last Z."""
        return self.rules().cash_count is CashCountMode.CASHIER and self.has_counted(cashier.id)

    def sign_out(self) -> None:
        """No cashier until the next one chooses themself."""
        if self.cashier is not None:
            self.record_event("logout", cashier=self.cashier.id)
        self.cashier = None

    # -- selling -------------------------------------------------------------------

    def validate(self) -> Record:
        """Record the paid basket as a sale, durably; then start a new basket.

        A customer attached earns a visit (:func:`app.till.loyalty.count_visit`).
        Raises ValidationError (basket not paid, no cashier) or a store error;
        in both cases nothing was recorded and the basket is kept.
        """
        if self.cashier is None:
            raise ValidationError("cashier", "cashier.none", "choose a cashier first")
        inputs = self.basket.sale_inputs()
        number = self.till().number
        cashier = self.cashier.id
        record = self.store.validate_sale(
            lambda seq: inputs.body(ticket=ticket_number(number, seq), cashier=cashier)
        )
        self._journal_changed()
        self._take_stock(record)
        count_visit(self.shop, record)
        self.basket = Basket()
        return record

    def _take_stock(self, record: Record, direction: int = -1) -> None:
        """Move tracked stock by what ``record`` sold (-1) or took back (+1)."""
        inventory = self.shop.inventory
        stock = inventory.values(EntryKind.STOCK)
        for line in record.body["lines"]:
            product = line["product"]
            if product in stock and line["qty"] % QTY_ONE == 0:
                inventory.add(EntryKind.STOCK, product, direction * (line["qty"] // QTY_ONE))
                stock[product] = inventory.value(EntryKind.STOCK, product)
        self.catalogue.set_stock(stock)  # one read of every counter, not two

    def park(self) -> None:
        """Set the basket aside (kept on disk) and start a new one."""
        name = self.cashier.name if self.cashier else ""
        self.parked.park(self.basket, int(time.time()), name)
        self.basket = Basket()

    def recall(self, basket_id: str) -> None:
        """Bring a parked basket back; the current one must be empty."""
        if not self.basket.is_empty:
            raise ValidationError("basket", "basket.not_empty", "finish or park this sale first")
        self.basket = self.parked.recall(basket_id)

    # -- tickets -------------------------------------------------------------------

    def receipt(self, record: Record, reprint: int = 0) -> Receipt:
        cashier_id = record.body.get("cashier", "")
        try:
            cashier_name = self.shop.settings.cashier(cashier_id).name
        except NotFoundError:
            cashier_name = cashier_id
        customer_name = ""
        if record.body.get("customer"):
            try:
                customer_name = self.shop.customers.customer(record.body["customer"]).display_name
            except NotFoundError:
                customer_name = record.body["customer"]
        return Receipt(
            customer_name=customer_name,
            shop=self.shop.settings.shop(),
            record=record,
            till_name=self.till_name(),
            cashier_name=cashier_name,
            method_names=self.method_names(),
            reprint=reprint,
        )

    def last_tickets(self, limit: int = 20) -> list[Record]:
        """This till's latest sales and refunds, newest first."""
        head = self.store.head().seq
        records = self.store.records(after_seq=max(0, head - 5 * limit))
        return [r for r in reversed(records) if r.kind in ("sale", "refund")][:limit]

    def refunds_of(self, original: Record) -> list[Record]:
        """The refunds of ``original`` recorded on this till."""
        ticket = original.body["ticket"]
        return [
            r
            for r in self.store.records()
            if r.kind == "refund" and r.body["original"]["ticket"] == ticket
        ]

    def refundable(self, original: Record) -> bool:
        """True when some of ``original`` (a sale) has not been refunded yet."""
        if original.kind != "sale":
            return False
        previous = [r.body for r in self.refunds_of(original)]
        return any(q > 0 for q in refundable_quantities(original.body, previous))

    def refund(self, original: Record, reason: str) -> Record:
        """Refund what remains of ``original`` (a sale of this till), given back in cash.

        Records a minus entry referencing the sale and puts tracked stock back.
        Refunds recorded on other tills are not seen yet (no sync): a till
        only refunds its own tickets.
        """
        if self.cashier is None:
            raise ValidationError("cashier", "cashier.none", "choose a cashier first")
        if original.till_id != self.store.identity.till_id:
            raise ValidationError("original", "refund.other_till", "refund it on its own till")
        previous = [r.body for r in self.refunds_of(original)]
        left = refundable_quantities(original.body, previous)
        lines = [RefundLine(i, qty) for i, qty in enumerate(left) if qty > 0]
        if not lines:
            raise ValidationError("original", "refund.done", "this ticket is already refunded")
        number = self.till().number
        cashier = self.cashier.id

        def body(seq: int) -> dict[str, Any]:
            give_back = refund_due(original.body, previous, lines)
            payments = [Payment(CASH, give_back)] if give_back else []
            return build_refund_body(
                ticket=ticket_number(number, seq),
                cashier=cashier,
                original=original,
                previous_refunds=previous,
                lines=lines,
                payments=payments,
                reason=reason,
            )

        record = self.store.append("sales", "refund", body)
        self._journal_changed()
        self._take_stock(record, +1)
        return record

    def close_day(self, label: str, count: dict[str, Any] | None = None) -> Record:
        """Append the day's closing (Z) for the business day ``label`` (YYYY-MM-DD),
        holding the till's cash ``count`` (:func:`~crdt_models.journal.count_body`)
        if one was made; the mode "per till and mandatory" refuses it without one.

        The caller checks first that the relay holds every sale (closing is
        refused offline); this only records it.
        """
        if count is None and self.rules().cash_count is CashCountMode.TILL_MANDATORY:
            raise ValidationError("count", "count.required", "count the cash before closing")
        record = self.store.append(
            "sales",
            "closing",
            lambda _seq: next_closing_body(self.store.records(), "day", label, count),
        )
        self._journal_changed()
        self.record_event("closing", period="day", label=label, seq=record.seq)
        self._purge_after_closing()
        return record

    def _purge_after_closing(self) -> None:
        """The day is closed and the relay holds it: the owner's purge delay applies now
        (a failure only delays it to the next closing; the sale data stays)."""
        try:
            self.purge()
        except StoreError:
            log.warning("the purge after the closing failed; it runs again at the next one")

    def closable_periods(self) -> dict[str, str]:
        """The month and year closings that may be recorded now, period -> label.

        A month closing sums the day closings since the last one (the day must be
        closed: no record since the last Z); it takes the month of the last day
        closed. A year closing sums the month closings likewise.
        """
        state = ClosingState()
        for record in self.store.records():
            state.feed(record)
        out: dict[str, str] = {}
        if state.days and not state.since_day:
            out["month"] = str(state.days[-1]["label"])[:7]
        if state.months and not state.days:
            out["year"] = str(state.months[-1]["label"])[:4]
        return out

    def close_period(self, period: str) -> Record:
        """Append the month (or year) closing offered by :meth:`closable_periods`."""
        label = self.closable_periods().get(period)
        if label is None:
            raise ValidationError("period", "closing.order", f"no {period} to close now")
        record = self.store.append(
            "sales",
            "closing",
            lambda _seq: next_closing_body(self.store.records(), period, label),
        )
        self._journal_changed()
        self.record_event("closing", period=period, label=label, seq=record.seq)
        return record

    # -- cash count ------------------------------------------------------------------

    def rules(self) -> TillRules:
        """The owner's rules for the tills (cash count mode, purge delay)."""
        return self.shop.settings.till_rules()

    def count_sheet(self, cashier: str | None = None) -> list[CountRow]:
        """Every payment method to count, with what the journal expects since the last
        day closing (of ``cashier`` only, when given): the settings' methods in
        their order, then any other method the journal names."""
        expected = expected_amounts(self.store.records(), cashier)
        rows: list[CountRow] = []
        for method in self.payment_methods():
            name = journal_method(method)
            if name not in (r.method for r in rows):
                is_cash = method.kind is PaymentKind.CASH
                rows.append(CountRow(name, method.name, is_cash, expected.get(name, 0)))
        names = self.method_names()
        known = {r.method for r in rows}
        rows += [
            CountRow(m, names.get(m, m), m == CASH, a)
            for m, a in sorted(expected.items())
            if m not in known
        ]
        return rows

    def has_counted(self, cashier_id: str) -> bool:
        """True when ``cashier_id`` recorded a cash count since the last day closing."""
        counted = False
        for record in self.store.records():
            if record.kind == "closing" and record.body["period"] == "day":
                counted = False
            elif record.kind == "cash_count" and record.body["cashier"] == cashier_id:
                counted = True
        return counted

    def uncounted_cashiers(self) -> list[str]:
        """Per-cashier mode: the cashiers who sold since the last day closing and have not
        counted their cash (the Z goes on without them, and says so)."""
        if self.rules().cash_count is not CashCountMode.CASHIER:
            return []
        sold: dict[str, bool] = {}  # cashier id -> counted
        for record in self.store.records():
            if record.kind == "closing" and record.body["period"] == "day":
                sold.clear()
            elif record.kind in ("sale", "refund"):
                sold.setdefault(record.body["cashier"], False)
            elif record.kind == "cash_count":
                sold[record.body["cashier"]] = True
        return sorted(c for c, counted in sold.items() if not counted)

    def record_cash_count(self, count: dict[str, Any]) -> Record:
        """Record a cashier's count before they leave (per-cashier mode) and sign them out:
        they are locked until the next day closing."""
        if self.cashier is None:
            raise ValidationError("cashier", "cashier.none", "choose a cashier first")
        if count.get("cashier") != self.cashier.id:
            raise ValidationError("cashier", "count.cashier", "a cashier counts their own cash")
        record = self.store.append("sales", "cash_count", count)
        self._journal_changed()
        self.sign_out()
        return record

    # -- technical events, purge, logout ---------------------------------------------

    def record_event(self, kind: str, **fields: Any) -> Record | None:
        """Append a technical event (JET). A failure is logged, never raised: the
        event journal must not stop a sale or a closing."""
        try:
            record = self.store.append("events", kind, event_body(kind, **fields))
        except (DomainError, StoreError) as exc:
            log.error("technical event %s not recorded: %s", kind, exc)
            return None
        self._journal_changed()
        return record

    def technical_events(self) -> list[Record]:
        """This till's technical events, newest first."""
        return list(reversed(self.store.records(chain="events")))

    def purge(self, now: int | None = None) -> int:
        """Delete the journal records the relay acknowledged that are older than the
        owner's delay (:meth:`app.core.store.DeviceStore.purge_journal`: never anything
        unacknowledged); records a ``purge`` event; returns how many went."""
        before = (int(time.time()) if now is None else now) - self.rules().purge_days * DAY_SECONDS
        removed = self.store.purge_journal(RELAY_PEER, before)
        if removed:
            self.record_event("purge", records=removed, before=before)
        return removed

    def pending(self) -> int:
        """Sales, events and changes the relay has not acknowledged (the badge's count)."""
        if self.engine is not None:
            return self.engine.status.pending
        return unacknowledged_records(self.store, RELAY_PEER)

    def log_out_till(self, *, force: bool = False) -> None:
        """Forget this till's relay token (the journal and documents stay on it).

        Raises :class:`~app.core.sync.UnacknowledgedSalesError` while the relay has
        not acknowledged every record, unless ``force`` (after a warned, confirmed
        choice); nothing is ever deleted.
        """
        ensure_may_forget(self.store, force=force)
        if self.engine is not None:
            self.engine.logout(force=True)
        else:
            logout(self.store, force=True)

    def reprint(self, original: Record) -> Receipt:
        """Record a duplicate of ``original`` in the journal and return its receipt."""
        if self.cashier is None:
            raise ValidationError("cashier", "cashier.none", "choose a cashier first")
        body = duplicate_body(self.store.records(), original, self.cashier.id)
        self.store.append("sales", "duplicate", body)
        self._journal_changed()
        return self.receipt(original, reprint=body["reprint"])


def has_pin(cashier: Cashier) -> bool:
    """True when the cashier has a real PIN (an Argon2 hash); the demo shop's
    placeholder hash means no PIN yet."""
    return cashier.pin_hash.startswith("$argon2")


def _pin_matches(pin_hash: str, pin: str) -> bool:
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return PasswordHasher().verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


def _demo_docs() -> tuple[dict[str, Doc[Any]], str]:
    """The demo shop's documents and the id of its till 1 (this till)."""
    from crdt_models.documents.demo import build_demo_shop
    from crdt_models.ids import new_id

    shop = ShopDocuments.open(new_id())
    demo = build_demo_shop(shop)
    return shop.docs, demo.tills[0]
