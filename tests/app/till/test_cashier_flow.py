"""Drive the till like a cashier: scan, tap, change quantities, discount, pay, validate.

Everything is real: the demo shop's documents, the device store's SQLite
file, the journal's signed chain, Qt widgets under the offscreen platform.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.core.basket import ParkedBaskets
from app.qt import i18n
from app.till.dialogs import DiscountDialog, PickDialog, QuantityDialog
from app.till.session import TillSession
from app.till.window import TillWindow
from crdt_models.documents.settings import PaymentKind
from crdt_models.journal import verify_chain

COCA = "5449000000996"  # Coca-Cola 33 cl, 2.50, 5.5 %
KINDER = "8000500037560"  # Kinder Bueno, 1.60, 20 %


def scan(qtbot: QtBot, window: TillWindow, code: str) -> None:
    """What a keyboard-wedge scanner does: digits then Enter, to whatever has focus."""
    target: QWidget = QApplication.focusWidget() or window.selling.table
    QTest.keyClicks(target, code)
    QTest.keyClick(target, Qt.Key.Key_Return)


def tap_product(qtbot: QtBot, window: TillWindow, name: str) -> None:
    tile = window.session.catalogue.search(name)[0]
    window.selling.grid.select_category(tile.category)
    button = window.selling.grid.button_for(tile.id)
    assert button is not None
    assert button.width() >= 64 and button.height() >= 64
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def select_line(window: TillWindow, label: str) -> None:
    row = next(i for i, ln in enumerate(window.session.basket.lines) if ln.label == label)
    window.selling.table.selectRow(row)


def test_a_full_sale(qtbot: QtBot, window: TillWindow, session: TillSession) -> None:
    scan(qtbot, window, COCA)
    scan(qtbot, window, KINDER)
    scan(qtbot, window, COCA)
    tap_product(qtbot, window, "Croissant")
    tap_product(qtbot, window, "Cappuccino")
    QTest.mouseClick(window.selling.plus, Qt.MouseButton.LeftButton)  # 2 cappuccinos
    assert [(ln.label, ln.quantity) for ln in session.basket.lines] == [
        ("Coca-Cola 33 cl", 2),
        ("Kinder Bueno", 1),
        ("Croissant", 1),
        ("Cappuccino", 2),
    ]
    assert window.selling.total_label.text() == "€14.80"

    # 10 % off the cappuccinos, typed on the keypad
    select_line(window, "Cappuccino")
    dialog = window.selling.ask_line_discount()
    assert isinstance(dialog, DiscountDialog)
    for key in "10":
        QTest.mouseClick(dialog.keypad.buttons[key], Qt.MouseButton.LeftButton)
    QTest.mouseClick(dialog.percent, Qt.MouseButton.LeftButton)
    dialog.apply()
    # 1.00 off the whole sale
    dialog = window.selling.ask_basket_discount()
    QTest.mouseClick(dialog.amount, Qt.MouseButton.LeftButton)
    QTest.mouseClick(dialog.keypad.buttons["1"], Qt.MouseButton.LeftButton)
    dialog.apply()
    assert window.selling.total_label.text() == "€13.10"

    QTest.mouseClick(window.selling.pay_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.payment
    payment = window.payment
    QTest.mouseClick(payment.quick_buttons[500], Qt.MouseButton.LeftButton)
    QTest.mouseClick(
        payment.method_buttons[payment.method(PaymentKind.CARD).id], Qt.MouseButton.LeftButton
    )
    assert payment.remaining_label.text() == "€8.10"
    QTest.mouseClick(payment.quick_buttons[2000], Qt.MouseButton.LeftButton)
    QTest.mouseClick(
        payment.method_buttons[payment.method(PaymentKind.CASH).id], Qt.MouseButton.LeftButton
    )

    # validated: the receipt screen shows the change and the ticket
    assert window.stack.currentWidget() is window.receipt
    assert window.receipt.change_label.text() == "€11.90"
    record = session.store.record(1)
    assert record is not None and record.kind == "sale"
    body = record.body
    assert body["ticket"] == "T001-00000001"
    assert body["total"] == 1310
    assert body["basket_discount"] == 100
    assert [(ln["label"], ln["total"]) for ln in body["lines"]] == [
        ("Coca-Cola 33 cl", 465),
        ("Kinder Bueno", 149),
        ("Croissant", 111),
        ("Cappuccino", 585),
    ]
    assert [(v["rate_bp"], v["gross"], v["vat"]) for v in body["vat"]] == [
        (550, 576, 30),
        (1000, 585, 53),
        (2000, 149, 25),
    ]
    card = payment.method(PaymentKind.CARD).id
    assert body["payments"] == [
        {"method": card, "amount": 500},
        {"method": "cash", "amount": 2000},
    ]
    assert body["change"] == 1190
    report = verify_chain(session.store.records(), session.store.identity.public_key)
    assert report.ok and report.count == 1

    text = window.receipt.receipt.to_text() if window.receipt.receipt else ""
    assert "TOTAL" in text and "€13.10" in text
    assert "VAT 5.5% on €5.76" in text and "VAT 20% on €1.49" in text
    assert "Change" in text and "€11.90" in text
    assert "Ticket T001-00000001" in text and "Caisse 1" in text and "Camille" in text
    assert "Merci de votre visite !" in text and "Boulangerie du Canal" in text

    # stock of the tracked drinks went down by what was sold
    coca = session.catalogue.by_barcode(COCA)
    assert coca is not None and session.catalogue.stock(coca.id) == 22

    # Enter starts the next sale with an empty basket
    QTest.keyClick(window.receipt.new_sale, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.selling
    assert session.basket.is_empty and window.selling.model.rowCount() == 0


def test_unknown_barcode_says_so_without_blocking(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    scan(qtbot, window, "1234567")
    assert window.messages.isVisible()
    assert "Unknown barcode 1234567" in window.messages.text()
    assert QApplication.activeModalWidget() is None
    scan(qtbot, window, COCA)  # the next scan goes through
    assert [ln.label for ln in session.basket.lines] == ["Coca-Cola 33 cl"]


def test_digits_typed_in_the_search_field_stay_there(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    search = window.selling.grid.search
    search.setFocus()
    QTest.keyClicks(search, "croiss")
    assert search.text() == "croiss"
    assert [b.tile.name for b in window.selling.grid.buttons] == ["Croissant"]
    QTest.keyClick(search, Qt.Key.Key_Return)  # the only match goes in the basket
    search.setFocus()
    QTest.keyClicks(search, KINDER)
    assert search.text() == KINDER
    QTest.keyClick(search, Qt.Key.Key_Return)  # digits + Enter in the field: a scan
    assert [ln.label for ln in session.basket.lines] == ["Croissant", "Kinder Bueno"]


def test_quantity_buttons_and_remove(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    tap_product(qtbot, window, "Baguette tradition")
    select_line(window, "Baguette tradition")
    QTest.mouseClick(window.selling.plus, Qt.MouseButton.LeftButton)
    QTest.mouseClick(window.selling.plus, Qt.MouseButton.LeftButton)
    assert session.basket.lines[0].quantity == 3
    assert window.selling.model.data(window.selling.model.index(0, 1)) == "× 3"
    QTest.mouseClick(window.selling.minus, Qt.MouseButton.LeftButton)
    assert session.basket.lines[0].quantity == 2
    # tap the quantity, type 12 on the keypad
    table = window.selling.table
    cell = table.visualRect(window.selling.model.index(0, 1)).center()
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    dialog = window.selling.findChild(QuantityDialog)
    assert dialog is not None and dialog.isVisible()
    for key in "12":
        QTest.mouseClick(dialog.keypad.buttons[key], Qt.MouseButton.LeftButton)
    dialog.apply()
    assert session.basket.lines[0].quantity == 12
    assert window.selling.total_label.text() == "€15.60"
    QTest.mouseClick(window.selling.remove_button, Qt.MouseButton.LeftButton)
    assert session.basket.is_empty
    assert not window.selling.pay_button.isEnabled()


def test_park_and_recall(qtbot: QtBot, window: TillWindow, session: TillSession) -> None:
    data_dir = session.store.data_dir
    scan(qtbot, window, COCA)
    tap_product(qtbot, window, "Croissant")
    QTest.keyClick(window, Qt.Key.Key_F6)
    assert session.basket.is_empty
    assert len(ParkedBaskets(data_dir)) == 1  # on disk already
    assert "Recall (1)" in window.park_button.text()

    scan(qtbot, window, KINDER)  # serve the next customer meanwhile
    session.basket.pay("cash", 160, gives_change=True)
    window.validate_sale()
    QTest.keyClick(window.receipt.new_sale, Qt.Key.Key_Return)

    dialog = window.park_or_recall()
    assert isinstance(dialog, PickDialog)
    assert dialog.list.count() == 1 and "€3.70" in dialog.list.item(0).text()
    dialog.pick(0)
    assert [ln.label for ln in session.basket.lines] == ["Coca-Cola 33 cl", "Croissant"]
    assert window.selling.total_label.text() == "€3.70"
    assert len(ParkedBaskets(data_dir)) == 0


def sell_one_coca(qtbot: QtBot, window: TillWindow, session: TillSession) -> None:
    scan(qtbot, window, COCA)
    QTest.mouseClick(window.selling.pay_button, Qt.MouseButton.LeftButton)
    cash = window.payment.method(PaymentKind.CASH)
    QTest.mouseClick(window.payment.exact, Qt.MouseButton.LeftButton)
    QTest.mouseClick(window.payment.method_buttons[cash.id], Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.receipt


def open_past_ticket(window: TillWindow, row: int = 0) -> None:
    QTest.mouseClick(window.tickets_button, Qt.MouseButton.LeftButton)
    dialog = window.ask_ticket()
    assert isinstance(dialog, PickDialog)
    dialog.pick(row)
    assert window.receipt.past


def test_duplicate_and_pdf(qtbot: QtBot, window: TillWindow, session: TillSession) -> None:
    sell_one_coca(qtbot, window, session)
    pdf = window.receipt.print_receipt()
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF")

    open_past_ticket(window)
    assert not window.receipt.print_button.isVisibleTo(window)  # a past ticket: duplicate only
    QTest.mouseClick(window.receipt.duplicate_button, Qt.MouseButton.LeftButton)
    receipt = window.receipt.receipt
    assert receipt is not None and receipt.reprint == 1
    assert receipt.to_text().splitlines()[7] == "DUPLICATE no. 1"
    assert window.receipt.last_pdf is not None and window.receipt.last_pdf.name.endswith("dup1.pdf")
    duplicate = session.store.record(2)
    assert duplicate is not None and duplicate.kind == "duplicate"
    assert duplicate.body["original"]["ticket"] == "T001-00000001"
    report = verify_chain(session.store.records(), session.store.identity.public_key)
    assert report.ok and report.count == 2
    assert window.sync_badge.state.pending == 2
    assert "2 to send" in window.sync_badge.text()


def test_refund_a_past_ticket(qtbot: QtBot, window: TillWindow, session: TillSession) -> None:
    sell_one_coca(qtbot, window, session)
    QTest.keyClick(window.receipt.new_sale, Qt.Key.Key_Return)
    coca = session.catalogue.by_barcode(COCA)
    assert coca is not None and session.catalogue.stock(coca.id) == 23

    open_past_ticket(window)
    assert window.receipt.refund_button.isEnabled()
    dialog = window.ask_refund()
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.edit)
    QTest.keyClicks(dialog.edit, "damaged can")
    QTest.keyClick(dialog.edit, Qt.Key.Key_Return)

    refund = session.store.record(2)
    assert refund is not None and refund.kind == "refund", window.messages.text()
    assert refund.body["total"] == -250
    assert refund.body["payments"] == [{"method": "cash", "amount": -250}]
    assert refund.body["original"]["ticket"] == "T001-00000001"
    assert refund.body["reason"] == "damaged can"
    assert window.receipt.change_label.text() == "€2.50"  # to give back
    text = window.receipt.receipt.to_text() if window.receipt.receipt else ""
    assert "REFUND" in text and "of ticket T001-00000001" in text and "-€2.50" in text
    coca = session.catalogue.by_barcode(COCA)
    assert coca is not None and session.catalogue.stock(coca.id) == 24
    report = verify_chain(session.store.records(), session.store.identity.public_key)
    assert report.ok and report.count == 2

    open_past_ticket(window, row=1)  # the sale again: nothing left to refund
    assert not window.receipt.refund_button.isEnabled()


def test_attach_a_customer(qtbot: QtBot, window: TillWindow, session: TillSession) -> None:
    existing = session.shop.customers.create_customer(first_name="Marie", last_name="Curie")
    scan(qtbot, window, COCA)
    dialog = window.selling.ask_customer()
    QTest.keyClicks(dialog.search, "cur")
    assert dialog.list.count() == 1
    QTest.mouseClick(
        dialog.list.viewport(),
        Qt.MouseButton.LeftButton,
        pos=dialog.list.visualItemRect(dialog.list.item(0)).center(),
    )
    assert session.basket.customer_id == existing.entry_id
    assert "Marie Curie" in window.selling.customer_button.text()

    # a new customer, created on the spot (a document edit: works offline)
    dialog = window.selling.ask_customer()
    dialog.first_name.setText("Léa")
    dialog.phone.setText("06 12 34 56 78")
    dialog.create_customer()
    lea = next(c for c in session.shop.customers.customers() if c.first_name == "Léa")
    assert session.basket.customer_id == lea.id

    session.basket.pay("cash", 250, gives_change=True)
    window.validate_sale()
    record = session.store.record(1)
    assert record is not None and record.body["customer"] == lea.id
    receipt = window.receipt.receipt
    assert receipt is not None and "Customer: Léa" in receipt.to_text()


def test_closing_is_refused_offline(qtbot: QtBot, window: TillWindow, session: TillSession) -> None:
    sell_one_coca(qtbot, window, session)
    QTest.keyClick(window.receipt.new_sale, Qt.Key.Key_Return)
    QTest.keyClick(window, Qt.Key.Key_F10)
    assert "Closing needs the internet: keep selling, close later." in window.messages.text()
    assert [r.kind for r in session.store.records()] == ["sale"]  # nothing recorded
    scan(qtbot, window, COCA)  # and selling goes on
    assert len(session.basket.lines) == 1


def test_french_screen(qtbot: QtBot, window: TillWindow) -> None:
    scan(qtbot, window, COCA)
    i18n.set_language("fr")
    assert window.selling.pay_button.text().startswith("Encaisser")
    assert window.selling.total_label.text() == "2,50\u00a0€"
    assert window.sync_badge.text().startswith("○ Hors ligne")
    QTest.mouseClick(window.language_button, Qt.MouseButton.LeftButton)
    assert window.selling.pay_button.text().startswith("Pay")


def test_cashier_with_a_pin(qtbot: QtBot, session: TillSession, english: None) -> None:
    from argon2 import PasswordHasher

    leo = next(c for c in session.shop.settings.cashiers() if c.name == "Léo")
    session.shop.settings.update_cashier(leo.id, pin_hash=PasswordHasher().hash("4321"))
    leo = session.shop.settings.cashier(leo.id)
    w = TillWindow(session)
    qtbot.addWidget(w)
    assert w.stack.currentWidget() is w.cashier_screen
    w.cashier_screen.choose(leo)
    assert w.cashier_screen.pin_host.isVisibleTo(w)
    for key in "1111":
        w.cashier_screen.keypad.press(key)
    w.cashier_screen.submit_pin()
    assert session.cashier is None
    assert "Wrong PIN" in w.cashier_screen.pin_error.text()
    for key in "4321":
        w.cashier_screen.keypad.press(key)
    w.cashier_screen.submit_pin()
    assert session.cashier == leo
    assert w.stack.currentWidget() is w.selling
