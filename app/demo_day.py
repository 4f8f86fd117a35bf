"""A day of sales on the demo shop, for the manager's screenshots of its tills and journals.

``python -m app.demo_day ROOT`` creates in a new directory ROOT what
``skytill run`` creates (:mod:`app.demo`: a relay with the demo shop and its
owner, Caisse 1) plus Caisse 2, and runs both tills in this process as
:mod:`app.till.main` does, without windows (a
:class:`~app.till.session.TillSession` and its sync engine on an
:class:`~app.qt.bridge.AsyncBridge` each). Each till rings up a day of sales
through the basket (cash with change, card, cheque, meal vouchers, split
payments, a discount); Caisse 1 also refunds a sale and reprints a ticket.
Caisse 2 then closes its day (the Z, once the relay holds every sale, as the
till's closing button checks) and is switched off: its engine stops, so the
relay keeps its last report (version, nothing pending, last sync). It prints
one line, ``ready {json}`` (the relay's URL, the owner's e-mail and password,
each till's id, name and sales-journal head), then keeps the relay and
Caisse 1 online until its standard input closes.

The manager's screenshot script (:mod:`app.manager.screenshots`) runs it as a
child process: the manager and the till are independent packages (the import
contract), and the process boundary keeps them so. Every wait has a deadline;
a failure is printed on stderr and the exit code is 1.
"""

from __future__ import annotations

import json
import random
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from app.core.basket import Discount
from app.core.payments import journal_method
from app.core.sync import SyncEngine
from app.demo import SHOP_NAME, provision_till, running_relay, shop_access
from app.qt.bridge import AsyncBridge
from app.till.session import TillSession
from crdt_models.documents.settings import PaymentKind

__all__ = ["READY", "DemoDayError", "shop_day"]

#: The line's prefix that says the day is done (followed by JSON).
READY = "ready "
#: The second till's name and password (the first is the demo's Caisse 1).
TILL_2 = "Caisse 2"
TILL_2_PASSWORD = "caisse-2-demo"
#: How long each wait may take (seconds).
WAIT = 90.0

#: What customers buy: (product name, most units), a few lines a basket.
_BREAKFAST = [("Croissant", 3), ("Pain au chocolat", 3), ("Espresso", 2), ("Café allongé", 2)]
_BREAD = [("Baguette tradition", 3), ("Baguette", 2), ("Pain de campagne", 1), ("Ficelle", 2)]
_PASTRY = [("Éclair au chocolat", 4), ("Tarte au citron", 3), ("Paris-Brest", 2), ("Macaron", 6)]
_LUNCH = [("Sandwich jambon-beurre", 1), ("Quiche lorraine", 1), ("Croque-monsieur", 1)]
_DRINK = [("Coca-Cola 33 cl", 1), ("Evian 50 cl", 1), ("Orangina 50 cl", 1), ("Cappuccino", 1)]
_SWEET = [("Kinder Bueno", 1), ("Twix", 2), ("Flan pâtissier", 1), ("Chausson aux pommes", 2)]


class DemoDayError(RuntimeError):
    """Something the day needs did not happen in time (the message says what)."""


def wait_until(predicate: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
    """Process Qt events until ``predicate()``; :class:`DemoDayError` naming ``what`` if
    ``timeout`` seconds pass first."""
    app = QCoreApplication.instance()
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise DemoDayError(f"not reached within {timeout:.0f} s: {what}")
        if app is not None:
            app.processEvents()
        time.sleep(0.02)


class OnlineTill:
    """One till as :mod:`app.till.main` runs it, without its window."""

    def __init__(self, data_dir: Path) -> None:
        self.session = TillSession.open(data_dir)
        self.bridge = AsyncBridge()
        self.engine = SyncEngine(self.session.store)
        self.engine.start(self.bridge.loop)
        self.session.attach_sync(self.engine, self.bridge.to_gui)

    @property
    def name(self) -> str:
        return self.session.till_name()

    @property
    def head(self) -> int:
        """The seq of this till's last sales record."""
        return self.session.store.head().seq

    def wait_for_the_shop(self, cashier: int) -> None:
        """Until the relay's documents name this till and hold the products and payments;
        then the shop's ``cashier``-th cashier starts selling."""
        session = self.session
        till_id = session.store.identity.till_id

        def ready() -> bool:
            settings, catalogue = session.shop.settings, session.shop.catalogue
            known = till_id in {t.id for t in settings.tills()}
            return known and bool(settings.payment_methods()) and bool(catalogue.products())

        wait_until(ready, f"till {till_id[:8]} received the shop's documents from the relay")
        session.refresh_catalogue()
        session.sign_in(session.shop.settings.cashiers()[cashier])

    def sync_all(self) -> None:
        """Until the relay holds every change and record of this till (its closing's check)."""
        outcome = self.engine.sync_now().result(WAIT)
        if not outcome.ok:
            raise DemoDayError(f"{self.name}: the relay does not hold everything: {outcome.reason}")

    def switch_off(self) -> None:
        """Stop syncing, as when the till is turned off (the relay keeps its last report)."""
        self.engine.stop()

    def close(self) -> None:
        self.session.close()
        self.bridge.close()


def ring_up_day(till: OnlineTill, sales: int, seed: int) -> None:
    """``sales`` baskets of what a bakery sells, each paid as customers pay."""
    session = till.session
    rng = random.Random(seed)
    methods = {m.kind: journal_method(m) for m in session.payment_methods()}
    for n in range(sales):
        kind = rng.choice(("breakfast", "breakfast", "bread", "bread", "pastry", "lunch"))
        for name, most in _basket(rng, kind):
            tile = next(t for t in session.catalogue.search(name) if t.name == name)
            session.basket.add_product(
                tile.id, tile.name, tile.price, tile.vat_bp, rng.randint(1, most)
            )
        if n == 7:
            session.basket.set_discount(Discount.percent(1000))  # a regular's 10 %
        _pay(session, rng, kind, methods)
        session.validate()


def _basket(rng: random.Random, kind: str) -> list[tuple[str, int]]:
    if kind == "breakfast":
        return rng.sample(_BREAKFAST, 2)
    if kind == "bread":
        return rng.sample(_BREAD, 1) + rng.sample(_PASTRY + _SWEET, rng.randint(0, 1))
    if kind == "pastry":
        return rng.sample(_PASTRY, rng.randint(1, 2))
    return [rng.choice(_LUNCH), rng.choice(_DRINK), *rng.sample(_SWEET, rng.randint(0, 1))]


def _pay(
    session: TillSession, rng: random.Random, kind: str, methods: dict[PaymentKind, str]
) -> None:
    basket = session.basket
    due = basket.totals().remaining
    if kind == "lunch" and rng.random() < 0.7:
        voucher = min(due, 900)  # a meal voucher gives no change: the rest by card
        basket.pay(methods[PaymentKind.VOUCHER], voucher)
        due -= voucher
        if due:
            basket.pay(methods[PaymentKind.CARD], due)
    elif due > 2000 and rng.random() < 0.5:
        basket.pay(methods[PaymentKind.CHEQUE], due)
    elif rng.random() < 0.5:
        note = next(n for n in (200, 500, 1000, 2000, 5000, 10_000) if n >= due)
        tendered = due if rng.random() < 0.3 else note  # the exact change, or a note
        basket.pay(methods[PaymentKind.CASH], tendered, gives_change=True)
    else:
        basket.pay(methods[PaymentKind.CARD], due)


def close_day(till: OnlineTill) -> None:
    """The day's Z, as the till's closing button records it: once the relay holds all."""
    till.sync_all()
    today = datetime.now(till.session.shop.settings.zone()).date()  # the shop's day
    till.session.close_day(today.isoformat())
    till.sync_all()


@contextmanager
def shop_day(root: Path) -> Iterator[dict[str, Any]]:
    """The relay and Caisse 1 online after the day, Caisse 2 closed and off; yields what
    the owner's manager needs: ``relay`` (its URL), ``owner_email``, ``owner_password``
    and ``tills``, each till's ``{"id", "name", "head"}`` (its sales-journal head seq)."""
    from relay_server.provisioning import add_till
    from relay_server.storage import open_storage

    root.mkdir(parents=True, exist_ok=True)
    db_url = f"sqlite:///{root / 'relay.db'}"
    access = shop_access(root, db_url)
    storage = open_storage(db_url)
    try:
        second = add_till(storage, SHOP_NAME, TILL_2, TILL_2_PASSWORD)
    finally:
        storage.close()
    with running_relay(db_url, access.port) as url, ExitStack() as tills:
        provision_till(root / "till", url, access.till_licence, access.till_password)
        provision_till(root / "till-2", url, second.licence_key, TILL_2_PASSWORD)
        first = OnlineTill(root / "till")
        tills.callback(first.close)
        other = OnlineTill(root / "till-2")
        tills.callback(other.close)
        first.wait_for_the_shop(cashier=0)
        other.wait_for_the_shop(cashier=1)
        ring_up_day(first, 32, seed=1)
        ring_up_day(other, 24, seed=2)
        sold = first.session.last_tickets(40)
        first.session.refund(sold[5], "Produit abîmé")
        first.session.reprint(sold[12])
        first.sync_all()
        close_day(other)
        other.switch_off()
        yield {
            "relay": url,
            "owner_email": access.owner_email,
            "owner_password": access.owner_password,
            "tills": [
                {"id": t.session.store.identity.till_id, "name": t.name, "head": t.head}
                for t in (first, other)
            ],
        }


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m app.demo_day ROOT", file=sys.stderr)
        return 2
    _app = QCoreApplication.instance() or QCoreApplication([])  # alive while the tills run
    try:
        with shop_day(Path(argv[0])) as day:
            print(READY + json.dumps(day), flush=True)
            reader = threading.Thread(target=sys.stdin.read, daemon=True)
            reader.start()  # until the screenshots are taken: stdin closes
            wait_until(lambda: not reader.is_alive(), "standard input closed", timeout=3600)
    except DemoDayError as exc:
        print(f"demo day: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
