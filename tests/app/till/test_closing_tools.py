"""Around the closing: the cash count in each mode, the month closing, the technical
events journal (JET) viewer, the till's logout warning and the purge of old records.

The cash count and the closing it enters go through a real relay (closing needs one);
the rest runs on the demo till's real store.
"""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from test_till_sync import OnlineTill, online_till, relay  # noqa: F401 (fixtures)

from app.till.cash_count import CashCountDialog
from app.till.closings import ClosingsDialog
from app.till.logout import LogoutDialog
from app.till.session import TillSession
from app.till.window import TillWindow
from crdt_models.documents import CashCountMode, PaymentKind
from crdt_models.errors import ValidationError
from crdt_models.journal import (
    CASH,
    Payment,
    Record,
    SaleLine,
    build_sale_body,
    ticket_number,
    verify_chain,
)

COFFEE = SaleLine("coffee", "Café", 1000, 500, 1000)  # 5.00
CAKE = SaleLine("cake", "Tarte", 1000, 1200, 550)  # 12.00


def card_method(session: TillSession) -> str:
    return next(m.id for m in session.payment_methods() if m.kind is PaymentKind.CARD)


def sell(session: TillSession, payments: list[Payment], lines: list[SaleLine]) -> Record:
    cashier = session.cashier.id if session.cashier else "c"
    return session.store.validate_sale(
        lambda seq: build_sale_body(
            ticket=ticket_number(1, seq), cashier=cashier, lines=lines, payments=payments
        )
    )


def fill(dialog: CashCountDialog, *, quantities: dict[int, int], counted: dict[str, str]) -> None:
    """Type like a cashier: tap a field, then the keypad."""
    for unit, qty in quantities.items():
        field = dialog.quantities[unit]
        field.setFocus()
        QTest.mouseClick(field, Qt.MouseButton.LeftButton)
        dialog.keypad.set_value("")
        for key in str(qty):
            QTest.mouseClick(dialog.keypad.buttons[key], Qt.MouseButton.LeftButton)
    for method, text in counted.items():
        field = dialog.counted_fields[method]
        QTest.mouseClick(field, Qt.MouseButton.LeftButton)
        field.setText(text)
        field.textEdited.emit(text)


def test_the_count_shows_each_difference_to_the_cent(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    card = card_method(session)
    sell(session, [Payment(CASH, 2000)], [COFFEE, CAKE])  # 17.00 cash, change 3.00
    sell(session, [Payment(card, 500)], [COFFEE])
    rows = session.count_sheet()
    assert {r.method: r.expected for r in rows if r.expected} == {CASH: 1700, card: 500}
    dialog = CashCountDialog("Count", "c", rows, skippable=False, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    # 17.01 in the drawer: 1 x 10 €, 1 x 5 €, 2 x 1 €, 1 x 0.01 €; the card slips say 5.00
    fill(dialog, quantities={1000: 1, 500: 1, 100: 2, 1: 1}, counted={card: "5,00"})
    assert dialog.counted_fields[CASH].text() == "17,01"
    assert dialog.counted_fields[CASH].isReadOnly()  # the coins and notes make it
    assert dialog.differences[CASH].text() == "✘ +€0.01"
    assert dialog.differences[CASH].property("state") == "off"
    assert dialog.differences[card].text() == "✔ right"
    assert dialog.differences[card].property("state") == "ok"
    assert dialog.total_label.text() == "Counted €22.01 · expected €22.00"
    # every method must be counted (0 when there is none)
    others = [r.method for r in rows if r.method not in (CASH, card)]
    with qtbot.assertNotEmitted(dialog.counted):
        dialog.apply()
    assert "Count every method" in dialog.error.text() and dialog.isVisible()
    for method in others:
        dialog.counted_fields[method].setText("0")
    dialog.counted_fields[card].setText("5,x")
    with pytest.raises(ValidationError):
        dialog.count()
    dialog.counted_fields[card].setText("5")
    with qtbot.waitSignal(dialog.counted) as got:
        dialog.apply()
    count = got.args[0]
    by_method = {r["method"]: r for r in count["methods"]}
    assert by_method[CASH] == {"method": CASH, "expected": 1700, "counted": 1701}
    assert by_method[card]["counted"] == 500
    assert count["cash"] == [
        {"unit": 1, "qty": 1},
        {"unit": 100, "qty": 2},
        {"unit": 500, "qty": 1},
        {"unit": 1000, "qty": 1},
    ]


def test_mandatory_needs_a_count_and_off_skips_it(
    qtbot: QtBot,
    online_till: OnlineTill,  # noqa: F811 (the imported fixture)
) -> None:
    _, session, engine, window = online_till
    settings = session.shop.settings
    qtbot.waitUntil(lambda: engine.status.online, timeout=20_000)
    sell(session, [Payment(CASH, 500)], [COFFEE])
    window.show_selling()

    # mandatory: no way around the count; cancelling it closes nothing
    settings.update_till_rules(cash_count=CashCountMode.TILL_MANDATORY)
    with pytest.raises(ValidationError):
        session.close_day("2025-11-28")
    dialog = window.close_day()
    assert isinstance(dialog, CashCountDialog) and not dialog.skip_button.isVisible()
    dialog.reject()
    assert "needs a cash count" in window.messages.text()
    assert [r.kind for r in session.store.records()] == ["sale"]

    dialog = window.close_day()
    assert isinstance(dialog, CashCountDialog)
    for method, field in dialog.counted_fields.items():
        field.setText("4,90" if method == CASH else "0")
    dialog.apply()
    qtbot.waitUntil(lambda: session.store.records()[-1].kind == "closing", timeout=20_000)
    closing = session.store.records()[-1]
    cash = next(r for r in closing.body["count"]["methods"] if r["method"] == CASH)
    assert cash == {"method": CASH, "expected": 500, "counted": 490}
    assert verify_chain(session.store.records(), session.store.identity.public_key).ok
    assert "Cash count" in window.receipt.view.toPlainText()
    # the relay verified and acknowledged it (it checks bodies with crdt_models)
    qtbot.waitUntil(lambda: engine.status.pending_sales == 0, timeout=20_000)

    # off: the closing goes straight on, without a count
    settings.update_till_rules(cash_count=CashCountMode.OFF)
    window.show_selling()
    assert window.close_day() is None
    qtbot.waitUntil(lambda: len(session.store.records()) == 3, timeout=20_000)
    assert "count" not in session.store.records()[-1].body


def test_a_cashier_counts_and_is_locked_for_the_day(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    session.shop.settings.update_till_rules(cash_count=CashCountMode.CASHIER)
    cashier = session.cashier
    assert cashier is not None
    sell(session, [Payment(CASH, 500)], [COFFEE])
    assert session.uncounted_cashiers() == [cashier.id]
    dialog = window.count_own_cash()
    assert isinstance(dialog, CashCountDialog)
    for method, field in dialog.counted_fields.items():
        field.setText("5" if method == CASH else "0")
    dialog.apply()
    assert session.uncounted_cashiers() == []
    assert session.cashier is None and window.stack.currentWidget() is window.cashier_screen
    assert session.store.records()[-1].kind == "cash_count"
    window.cashier_screen.choose(cashier)  # locked until the day is closed
    assert session.cashier is None
    assert "locked until the day is closed" in window.cashier_screen.notice.text()
    other = next(c for c in session.shop.settings.cashiers() if c.id != cashier.id)
    window.cashier_screen.choose(other)
    sell(session, [Payment(CASH, 500)], [COFFEE])  # ... who goes home without counting
    window.show_selling()
    window._record_closing()  # what the Z does once the relay holds every sale
    assert session.store.records()[-1].kind == "closing"
    assert window.messages.text().endswith(f"Closed without the cash count of: {other.name}")
    assert session.uncounted_cashiers() == []
    window.cashier_screen.choose(cashier)
    assert session.cashier == cashier


def test_month_closing_after_daily_ones(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    assert session.closable_periods() == {}
    sell(session, [Payment(CASH, 500)], [COFFEE])
    session.close_day("2025-11-29")
    sell(session, [Payment(CASH, 1200)], [CAKE])
    assert session.closable_periods() == {}  # the day is not closed yet
    session.close_day("2025-11-30")
    assert session.closable_periods() == {"month": "2025-11"}
    window.show_selling()
    dialog = window.offer_closings()
    assert isinstance(dialog, ClosingsDialog)
    assert dialog.month_button.isEnabled() and not dialog.year_button.isEnabled()
    QTest.mouseClick(dialog.month_button, Qt.MouseButton.LeftButton)
    month = session.store.records()[-1]
    assert month.body["period"] == "month" and month.body["label"] == "2025-11"
    assert month.body["tickets"] == 2 and month.body["total"] == 1700
    assert window.receipt.ticket_label.text() == "Month closed: 2025-11"
    assert "€17.00" in window.receipt.view.toPlainText()
    assert session.closable_periods() == {"year": "2025"}
    session.close_period("year")
    assert session.store.records()[-1].body["total"] == 1700
    assert verify_chain(session.store.records(), session.store.identity.public_key).ok


def test_the_jet_viewer_lists_the_recorded_events(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    session.close_day("2025-11-28")
    session.sign_out()
    dialog = window.show_events()
    qtbot.addWidget(dialog)
    model = dialog.model
    kinds = [model.record_at(row).kind for row in range(model.rowCount())]
    assert kinds == ["logout", "closing", "login", "start"]  # newest first
    name = session.shop.settings.cashiers()[0].name
    assert model.index(0, 2).data() == name
    assert model.index(1, 1).data() == "Closing"
    assert model.index(1, 2).data() == "Day 2025-11-28 · record 1"
    dialog.show_kind("login")
    assert model.rowCount() == 1 and model.index(0, 1).data() == "Cashier signed in"
    dialog.show_kind("")
    assert model.rowCount() == 4


def test_logout_with_pending_sales_warns_and_cancel_keeps_everything(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    # a till logged in to a relay that is not there: its records stay unacknowledged
    store = session.store
    store.provision(
        shop_id="shop", relay_url="ws://127.0.0.1:9/sync", relay_token="token", till_id=None
    )
    sell(session, [Payment(CASH, 500)], [COFFEE])
    pending = session.pending()
    assert pending >= 2  # the sale, and the events (start, login)
    dialog = window.log_out_till()
    assert isinstance(dialog, LogoutDialog)
    assert f"{pending} sale(s) or change(s) have not reached the relay" in dialog.warning.text()
    assert not dialog.confirm_button.isEnabled()  # the word must be typed first
    dialog.reject()
    assert store.identity.relay_token == "token" and session.pending() == pending

    dialog = window.log_out_till()
    assert isinstance(dialog, LogoutDialog)
    QTest.keyClicks(dialog.word, "log out")
    QTest.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "Really log out" in dialog.confirm_button.text()
    assert store.identity.relay_token == "token"  # confirmed once: not yet
    QTest.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert store.identity.relay_token is None  # forgotten; nothing deleted
    assert [r.kind for r in store.records()] == ["sale"]
    assert session.pending() == pending


def test_purge_keeps_what_the_relay_has_not_acknowledged(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    store = session.store
    till = store.identity.till_id
    for _ in range(3):
        sell(session, [Payment(CASH, 500)], [COFFEE])
    session.close_day("2025-11-28")
    sell(session, [Payment(CASH, 500)], [COFFEE])
    store.record_journal_ack("relay", till, "sales", 2)  # the relay holds sales 1 and 2
    later = 10**10  # far beyond the purge delay
    assert session.purge(now=later) == 2
    assert [r.seq for r in store.records()] == [3, 4, 5]
    assert store.records(chain="events")[-1].kind == "purge"
    assert window.purge() == 0  # today, nothing is older than the delay
    assert "0 record(s) removed" in window.messages.text()


def test_a_daily_closing_purges_what_the_relay_acknowledged_long_ago(
    session: TillSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = session.store
    for _ in range(3):
        sell(session, [Payment(CASH, 500)], [COFFEE])
    session.close_day("2025-11-28")  # nothing is old yet: nothing goes
    assert [r.seq for r in store.records()] == [1, 2, 3, 4]
    sell(session, [Payment(CASH, 500)], [COFFEE])
    store.record_journal_ack("relay", store.identity.till_id, "sales", 5)
    later = time.time() + (session.rules().purge_days + 1) * 86_400
    monkeypatch.setattr(time, "time", lambda: later)  # the next closing, months later
    session.close_day("2026-03-01")
    kept = [r.seq for r in store.records()]
    assert 1 not in kept and 2 not in kept and 3 not in kept  # old, acknowledged sales
    assert 6 in kept  # the new closing (not acknowledged yet) stays
    assert [e.kind for e in store.records(chain="events")][-1] == "purge"
