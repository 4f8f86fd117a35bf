"""The till's product grid follows a manager's catalogue edits as they arrive: a price is
redrawn in place; a product added, renamed, moved or archived refills only the buttons
shown, without re-reading the catalogue; the basket in progress is never touched."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QScrollArea
from pytestqt.qtbot import QtBot
from test_cashier_flow import COCA, scan
from test_catalogue_update import count_calls

from app.qt import i18n
from app.till.catalogue import ALL_CATEGORY, TillCatalogue
from app.till.product_grid import MAX_TILES
from app.till.session import TillSession
from app.till.window import TillWindow
from crdt_models.documents import RELAY


def shown(window: TillWindow) -> list[str]:
    return [b.tile.name for b in window.selling.grid.buttons]


def fresh(session: TillSession, text: str) -> list[str]:
    """What a till started now on the same documents finds among all products."""
    found = TillCatalogue(session.shop.catalogue).search(text, ALL_CATEGORY, MAX_TILES)
    return [t.name for t in found]


def test_a_price_change_is_redrawn_in_place_and_sold_at_the_new_price(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    coca = session.catalogue.by_barcode(COCA)
    assert coca is not None
    grid = window.selling.grid
    grid.select_category(coca.category)
    reloads = count_calls(grid, "reload")
    refills = count_calls(grid, "refill")
    refreshes = count_calls(session.catalogue, "refresh")

    # As a peer's edit arrives: a price only.
    session.shop.catalogue.update_product(coca.id, price=310, origin=RELAY)
    button = grid.button_for(coca.id)
    assert button is not None
    qtbot.waitUntil(lambda: button.tile.price == 310)
    assert (reloads, refills, refreshes) == ([], [], [])  # nothing was rebuilt nor refilled
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    assert session.basket.totals().total == 310  # the tapped button sells the new price

    # A rename moves the product in the sorted grid: the shown buttons are refilled.
    session.shop.catalogue.update_product(coca.id, name="Zz Coca-Cola (frais)", origin=RELAY)
    qtbot.waitUntil(lambda: refills == [True])
    assert shown(window)[-1] == "Zz Coca-Cola (frais)"
    expected = TillCatalogue(session.shop.catalogue).in_category(coca.category)
    assert [b.tile for b in grid.buttons] == expected
    assert (reloads, refreshes) == ([], [])  # no tab rebuilt, no catalogue re-read
    assert session.basket.totals().total == 310  # the line sold before is as it was


def test_products_added_moved_archived_refill_the_grid_and_keep_basket_and_scroll(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    catalogue, grid = session.shop.catalogue, window.selling.grid
    scan(qtbot, window, COCA)
    lines = list(session.basket.lines)
    grid.select_category(ALL_CATEGORY)  # 41 products: the grid scrolls
    scroll = grid.findChild(QScrollArea)
    assert scroll is not None
    bar = scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 200)
    bar.setValue(200)
    refreshes = count_calls(session.catalogue, "refresh")
    reloads = count_calls(grid, "reload")
    by_name = {p.name: p for p in catalogue.products()}
    drinks = by_name["Coca-Cola 33 cl"].category
    pastries = by_name["Croissant"].category
    assert drinks and pastries

    # Several of the manager's edits in one event-loop turn, as a sync delivers them.
    new = catalogue.create_product(
        name="Abricotine",
        price=420,
        vat=by_name["Croissant"].vat,
        barcode="4006381333931",
        category=drinks,
        origin=RELAY,
    ).entry_id
    catalogue.archive_product(by_name["Baguette tradition"].id, origin=RELAY)
    catalogue.update_product(by_name["Croissant"].id, category=drinks, origin=RELAY)
    catalogue.update_product(by_name["Orangina 50 cl"].id, barcode="", origin=RELAY)
    qtbot.waitUntil(lambda: shown(window)[0] == "Abricotine")

    assert [b.tile for b in grid.buttons] == TillCatalogue(catalogue).in_category(ALL_CATEGORY)
    assert "Baguette tradition" not in shown(window)
    assert bar.value() == 200  # the cashier's place in the grid is kept
    assert (refreshes, reloads) == ([], [])
    assert session.basket.lines == lines  # the basket in progress is untouched
    grid.select_category(drinks)
    assert {"Abricotine", "Croissant"} <= set(shown(window))
    grid.select_category(pastries)
    assert "Croissant" not in shown(window)
    tile = session.catalogue.by_barcode("4006381333931")
    assert tile is not None and tile.id == new  # the new product scans at once
    assert session.catalogue.by_barcode(by_name["Orangina 50 cl"].barcode) is None


def test_a_press_on_a_button_another_product_takes_sells_nothing(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    coca = session.catalogue.by_barcode(COCA)
    assert coca is not None
    grid = window.selling.grid
    grid.select_category(coca.category)
    first = grid.buttons[0]
    assert first.tile.id == coca.id
    QTest.mousePress(first, Qt.MouseButton.LeftButton)
    volvic = next(t for t in session.catalogue.in_category(coca.category) if "Volvic" in t.name)
    session.shop.catalogue.update_product(volvic.id, name="Aa Volvic 50 cl", origin=RELAY)
    qtbot.waitUntil(lambda: first.tile.id == volvic.id)  # the button now shows another product
    QTest.mouseRelease(first, Qt.MouseButton.LeftButton)
    assert session.basket.lines == []  # neither Coca-Cola nor Volvic was sold
    QTest.mouseClick(first, Qt.MouseButton.LeftButton)
    assert [line.label for line in session.basket.lines] == ["Aa Volvic 50 cl"]


def test_search_results_follow_a_rename_and_a_restore(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    catalogue, grid = session.shop.catalogue, window.selling.grid
    grid.select_category(ALL_CATEGORY)
    grid.search.setText("coca")
    assert shown(window) == ["Coca-Cola 33 cl", "Coca-Cola zéro 33 cl"]
    refreshes = count_calls(session.catalogue, "refresh")
    orangina = next(p for p in catalogue.products() if p.name == "Orangina 50 cl")
    catalogue.update_product(orangina.id, name="Orangina coca", origin=RELAY)
    qtbot.waitUntil(lambda: len(shown(window)) == 3)
    assert shown(window) == ["Coca-Cola 33 cl", "Coca-Cola zéro 33 cl", "Orangina coca"]
    catalogue.archive_product(orangina.id, origin=RELAY)
    qtbot.waitUntil(lambda: len(shown(window)) == 2)
    catalogue.restore_product(orangina.id, origin=RELAY)
    qtbot.waitUntil(lambda: len(shown(window)) == 3)
    assert shown(window) == fresh(session, "coca")
    assert refreshes == []


def test_a_category_emptied_loses_its_tab_without_reading_everything_again(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    catalogue, grid = session.shop.catalogue, window.selling.grid
    tab = session.catalogue.categories[-1]
    assert tab.id in grid.category_buttons
    refreshes = count_calls(session.catalogue, "refresh")
    for tile in list(session.catalogue.in_category(tab.id)):
        catalogue.archive_product(tile.id, origin=RELAY)
    qtbot.waitUntil(lambda: tab.id not in grid.category_buttons)  # the tabs are rebuilt
    assert session.catalogue.categories == TillCatalogue(catalogue).categories
    assert refreshes == []


def test_a_category_edit_reads_everything_again(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    catalogue, grid = session.shop.catalogue, window.selling.grid
    tab = session.catalogue.categories[0]
    refreshes = count_calls(session.catalogue, "refresh")
    catalogue.update_category(tab.id, name="Viennoiseries du matin", origin=RELAY)
    qtbot.waitUntil(lambda: refreshes == [True])
    assert grid.category_buttons[tab.id].text() == "Viennoiseries du matin"


def test_only_a_vat_rate_among_the_settings_reads_the_products_again(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    settings = session.shop.settings
    refreshes = count_calls(session.catalogue, "refresh")
    settings.update_shop(name="Boulangerie du Quai", origin=RELAY)
    qtbot.waitUntil(lambda: window.shop_label.text().startswith("Boulangerie du Quai\n"))
    assert refreshes == []  # the shop's name is not on the products
    coca = session.catalogue.by_barcode(COCA)
    assert coca is not None
    rate = next(r for r in settings.vat_rates() if r.rate_bp == coca.vat_bp)
    settings.update_vat_rate(rate.id, rate_bp=600, origin=RELAY)
    qtbot.waitUntil(lambda: refreshes == [True])
    tile = session.catalogue.by_barcode(COCA)
    assert tile is not None and tile.vat_bp == 600


def test_a_language_switch_relabels_the_buttons_it_keeps(
    window: TillWindow, session: TillSession
) -> None:
    coca = session.catalogue.by_barcode(COCA)
    assert coca is not None
    grid = window.selling.grid
    grid.select_category(coca.category)
    button = grid.button_for(coca.id)
    assert button is not None and "2.50" in button.accessibleName()
    i18n.set_language("fr")  # the english fixture puts it back
    assert grid.button_for(coca.id) is button  # the same button, relabelled
    assert "2,50" in button.accessibleName()


def test_search_ignores_case_and_accents_and_lists_by_folded_name(session: TillSession) -> None:
    catalogue = session.shop.catalogue
    vat = catalogue.products()[0].vat
    catalogue.create_product(name="Éclair au café", price=290, vat=vat)
    catalogue.create_product(name="eclair vanille", price=280, vat=vat)
    session.catalogue.refresh()
    names = [t.name for t in session.catalogue.search("ECLAIR")]
    assert {"Éclair au café", "eclair vanille"} <= set(names)
    assert names.index("Éclair au café") < names.index("eclair vanille")  # "é" sorts as "e"
    assert [t.name for t in session.catalogue.search("eclair CAFE")] == ["Éclair au café"]
    assert session.catalogue.search("Œclair") == []
