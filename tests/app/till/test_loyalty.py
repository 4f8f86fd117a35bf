"""The loyalty star: visits counted by sales, the star lit at the threshold, the reward
granted, and visits from two tills at once all kept.

The demo shop's programme: a free coffee ("Un café offert") every 10 visits.
"""

from __future__ import annotations

from typing import Any

import pytest
from pycrdt import Doc
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from test_cashier_flow import COCA, scan, sell_one_coca

from app.core.basket import Discount
from app.till.loyalty import count_visit, grant_reward, loyalty_status
from app.till.loyalty_star import RewardDialog
from app.till.session import TillSession
from app.till.window import TillWindow
from crdt_models.documents import RELAY, EntryKind, ShopDocuments
from crdt_models.errors import ValidationError

VISITS = EntryKind.LOYALTY


def customer_with(session: TillSession, visits: int, name: str = "Curie") -> str:
    shop = session.shop
    customer = shop.customers.create_customer(first_name="Marie", last_name=name).entry_id
    shop.inventory.add(VISITS, customer, visits)
    return customer


def next_sale(window: TillWindow) -> None:
    QTest.keyClick(window.receipt.new_sale, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.selling


def test_the_visit_that_reaches_the_threshold_lights_the_star_and_the_reward_uses_it(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    star = window.selling.star
    customer = customer_with(session, 9)
    assert not star.isVisible()  # no customer attached yet
    window.selling.attach_customer(customer)
    assert star.isVisible() and not star.lit
    assert star.text() == "☆" and star.toolTip() == "9 of 10 visits"
    assert star.width() >= 48 and star.height() >= 48

    sell_one_coca(qtbot, window, session)
    sale = session.store.record(1)
    assert sale is not None and sale.body["customer"] == customer
    assert session.shop.inventory.value(VISITS, customer) == 10
    next_sale(window)
    assert not star.isVisible()  # the new sale has no customer

    window.selling.attach_customer(customer)  # the next visit
    assert star.isVisible() and star.lit and star.text() == "★"
    assert star.toolTip() == "Reward earned: Un café offert"

    QTest.mouseClick(star, Qt.MouseButton.LeftButton)
    dialog = window.findChild(RewardDialog)
    assert isinstance(dialog, RewardDialog) and dialog.isVisible()
    assert session.shop.inventory.value(VISITS, customer) == 10  # nothing before the yes
    QTest.mouseClick(dialog.give, Qt.MouseButton.LeftButton)
    assert session.shop.inventory.value(VISITS, customer) == 0
    assert star.isVisible() and not star.lit and star.toolTip() == "0 of 10 visits"
    assert "Reward given" in window.messages.text()


def test_declining_the_reward_keeps_the_visits(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    customer = customer_with(session, 23)
    window.selling.attach_customer(customer)
    dialog = window.selling.star.ask_reward()
    assert dialog is not None
    dialog.reject()
    assert session.shop.inventory.value(VISITS, customer) == 23
    assert window.selling.star.lit


def test_an_unlit_star_says_how_many_visits_are_left(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    window.selling.attach_customer(customer_with(session, 4))
    assert window.selling.star.ask_reward() is None
    assert window.messages.text().endswith("4 of 10 visits: 6 more before the reward.")


def test_no_star_and_no_visit_without_a_programme(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    customer = customer_with(session, 50)
    session.shop.settings.update_loyalty(visits=0)
    window.selling.attach_customer(customer)
    qtbot.waitUntil(lambda: not window.selling.star.isVisible())
    sell_one_coca(qtbot, window, session)
    assert session.shop.inventory.value(VISITS, customer) == 50
    with pytest.raises(ValidationError) as raised:
        grant_reward(session.shop, customer)
    assert raised.value.code == "loyalty.not_earned"
    assert session.shop.inventory.value(VISITS, customer) == 50


def test_the_owner_turning_the_programme_on_shows_the_star_at_once(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    session.shop.settings.update_loyalty(visits=0)
    window.selling.attach_customer(customer_with(session, 5))
    assert not window.selling.star.isVisible()
    session.shop.settings.update_loyalty(visits=5, reward="A croissant")  # arrives from a peer
    qtbot.waitUntil(lambda: window.selling.star.lit)
    assert window.selling.star.toolTip() == "Reward earned: A croissant"


def test_a_refund_keeps_the_visit_and_a_zero_sale_earns_none(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    customer = customer_with(session, 0)
    window.selling.attach_customer(customer)
    sell_one_coca(qtbot, window, session)
    assert session.shop.inventory.value(VISITS, customer) == 1
    sale = session.store.record(1)
    assert sale is not None
    refund = session.refund(sale, "changed their mind")
    assert refund.kind == "refund"
    assert session.shop.inventory.value(VISITS, customer) == 1  # the customer did come
    assert not count_visit(session.shop, refund)

    next_sale(window)
    scan(qtbot, window, COCA)
    window.selling.attach_customer(customer)
    line = session.basket.lines[0].line_id
    session.basket.set_line_discount(line, Discount.percent(10_000))  # 100 %: the reward
    free = session.validate()
    assert free.body["total"] == 0
    assert session.shop.inventory.value(VISITS, customer) == 1


def test_a_visit_counted_on_another_till_lights_the_star(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    customer = customer_with(session, 9)
    window.selling.attach_customer(customer)
    assert not window.selling.star.lit
    other = ShopDocuments.open("till-2", _copies(session.shop))
    other.inventory.add(VISITS, customer, 1)  # a sale on till 2
    _send(other, session.shop)
    qtbot.waitUntil(lambda: window.selling.star.lit)


def test_two_tills_counting_visits_at_once_keep_every_visit(session: TillSession) -> None:
    """Tills count the first visits of a new customer at the same moment: each writes
    the counter's first contribution, and a merge keeps only one of them; settling
    after each merge (as the sync engine does) writes the dropped ones back."""
    customer = session.shop.customers.create_customer(last_name="Lovelace").entry_id
    till_a = ShopDocuments.open("till-a", _copies(session.shop))
    till_b = ShopDocuments.open("till-b", _copies(session.shop))
    session.cashier = session.shop.settings.cashiers()[0]
    sales = []
    for _ in range(3):
        session.basket.customer_id = customer
        session.basket.add_product("p", "Espresso", 150, 1000)
        session.basket.pay("cash", 150, gives_change=True)
        sales.append(session.validate())
    assert session.shop.inventory.value(VISITS, customer) == 3  # this till's own visits
    for sale in sales:
        assert count_visit(till_a, sale)
    for sale in sales[:2]:
        assert count_visit(till_b, sale)
    for _ in range(2):
        _send(till_a, till_b)
        _send(till_b, till_a)
    for shop in (till_a, till_b):
        assert shop.inventory.contributions(VISITS, customer) == {"till-a": 3, "till-b": 2}
    tills = (session.shop, till_a, till_b)  # now the first till, which counted 3 meanwhile
    for _ in range(2):
        for source in tills:
            for target in tills:
                if source is not target:
                    _send(source, target)
    for shop in tills:
        status = loyalty_status(shop, customer)
        assert status is not None and status.visits == 8 and not status.earned


def _copies(shop: ShopDocuments) -> dict[str, Doc[Any]]:
    """Another till's documents: the same state, in Docs of their own."""
    docs: dict[str, Doc[Any]] = {}
    for name, doc in shop.docs.items():
        docs[name] = Doc()
        docs[name].apply_update(doc.get_update())
    return docs


def _send(source: ShopDocuments, target: ShopDocuments) -> None:
    """What the sync engine does with a peer's updates: apply them, then settle."""
    for name, doc in source.docs.items():
        into = target.docs[name]
        update = doc.get_update(into.get_state())
        with into.transaction(origin=RELAY):
            into.apply_update(update)
        target.settle(name)
