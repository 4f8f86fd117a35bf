"""Product info (Info on a basket line): price, VAT, barcode, category, stock, sold today."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from test_cashier_flow import COCA, scan, select_line, sell_one_coca, tap_product

from app.core.periods import Period, shop_today
from app.qt import i18n
from app.till.product_info import ProductInfoDialog, product_info
from app.till.session import TillSession
from app.till.window import TillWindow


def open_info(window: TillWindow, label: str) -> ProductInfoDialog:
    select_line(window, label)
    button = window.selling.info_button
    assert button.isEnabled() and button.width() >= 48 and button.height() >= 48
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = window.selling.findChild(ProductInfoDialog)
    assert isinstance(dialog, ProductInfoDialog) and dialog.isVisible()
    return dialog


def test_a_tracked_product_shows_its_stock_and_todays_sales(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    sell_one_coca(qtbot, window, session)
    QTest.keyClick(window.receipt.new_sale, Qt.Key.Key_Return)
    scan(qtbot, window, COCA)
    dialog = open_info(window, "Coca-Cola 33 cl")
    assert dialog.windowTitle() == "Product info"
    assert dialog.values == {
        "Price": "€2.50",
        "VAT": "5.5%",
        "Barcode": COCA,
        "Category": "Boissons fraîches",
        "Stock": "23",  # 24, less the one sold
        "Sold today on this till": "1",
    }
    QTest.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)  # one tap closes it
    assert not dialog.isVisible()
    assert [ln.label for ln in session.basket.lines] == ["Coca-Cola 33 cl"]  # basket untouched


def test_an_untracked_product_says_so(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    tap_product(qtbot, window, "Croissant")
    dialog = open_info(window, "Croissant")
    assert dialog.values["Stock"] == "Not tracked"
    assert dialog.values["Barcode"] == "—"
    assert dialog.values["Category"] == "Viennoiseries"
    assert dialog.values["Sold today on this till"] == "0"
    dialog.close_button.click()


def test_a_refund_counts_back_and_french_reads_french(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    sell_one_coca(qtbot, window, session)
    sale = session.store.record(1)
    assert sale is not None
    session.refund(sale, "damaged can")
    QTest.keyClick(window.receipt.new_sale, Qt.Key.Key_Return)
    scan(qtbot, window, COCA)
    select_line(window, "Coca-Cola 33 cl")
    line = session.basket.lines[0]
    info = product_info(session, line)
    assert (info.stock, info.sold_today) == (24, 0)  # sold one, took it back
    i18n.set_language("fr")
    dialog = ProductInfoDialog(info, window.selling)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Fiche produit"
    assert dialog.values["Prix"] == "2,50\u00a0€"
    assert dialog.values["Stock"] == "24"
    tap_product(qtbot, window, "Croissant")
    croissant = product_info(session, session.basket.lines[-1])
    assert ProductInfoDialog(croissant, window.selling).values["Stock"] == "Non suivi"


def test_the_info_button_waits_for_a_line(window: TillWindow) -> None:
    assert not window.selling.info_button.isEnabled()
    assert window.selling.show_product_info() is None


def test_a_product_gone_from_the_catalogue_shows_what_the_line_knows(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    tap_product(qtbot, window, "Croissant")
    line = session.basket.lines[0]
    session.shop.catalogue.archive_product(line.product_id)
    session.refresh_catalogue()
    info = product_info(session, line)
    assert (info.name, info.price, info.vat_bp) == ("Croissant", 120, 550)
    assert (info.barcode, info.category, info.stock) == ("", "", None)


def _today_bounds(zone: ZoneInfo, now: float) -> tuple[int, int]:
    """What the product info counts as today (the shop's day at ``now``)."""
    today = shop_today(now, zone)
    return Period(today, today).bounds(zone)


def test_today_is_the_shops_day_even_on_a_short_one() -> None:
    paris = ZoneInfo("Europe/Paris")
    afternoon = datetime(2025, 3, 30, 14, 0, tzinfo=paris).timestamp()  # clocks went forward
    start, end = _today_bounds(paris, afternoon)
    assert datetime.fromtimestamp(start, paris) == datetime(2025, 3, 30, tzinfo=paris)
    assert end - start == 23 * 3600
    auckland = ZoneInfo("Pacific/Auckland")
    start, end = _today_bounds(auckland, afternoon)  # 1 a.m. on 31 March there
    assert datetime.fromtimestamp(start, auckland).day == 31 and end - start == 86_400
