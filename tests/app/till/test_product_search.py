"""Product search with filters: in the name (and a barcode's start), in the barcode only, in
the description, within the chosen category tab; and the description in product info."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from test_cashier_flow import COCA, scan, tap_product
from test_product_info import open_info

from app.qt import i18n
from app.till.catalogue import ALL_CATEGORY, SearchField
from app.till.product_info import ProductInfoDialog, product_info
from app.till.session import TillSession
from app.till.window import TillWindow

DESCRIPTION = SearchField.DESCRIPTION


def _names(session: TillSession, text: str, category: str, field: SearchField) -> list[str]:
    return [t.name for t in session.catalogue.search(text, category, field=field)]


def _category(session: TillSession, name: str) -> str:
    return next(c.id for c in session.catalogue.categories if c.name == name)


def test_description_search_folds_accents_and_case_within_the_category(
    session: TillSession,
) -> None:
    viennoiseries = _category(session, "Viennoiseries")
    assert _names(session, "BEURRE", viennoiseries, DESCRIPTION) == [
        "Croissant",
        "Pain au chocolat",
    ]
    assert _names(session, "beurre", ALL_CATEGORY, DESCRIPTION) == [
        "Croissant",
        "Pain au chocolat",
        "Sandwich jambon-beurre",  # "beurre d'Isigny": another family
    ]
    # accents and ligatures typed or not: "pâte feuilletée", "œuf", "Allergènes"
    assert _names(session, "pate feuilletee", ALL_CATEGORY, DESCRIPTION) == ["Pain au chocolat"]
    assert "Croissant" in _names(session, "OEUF", viennoiseries, DESCRIPTION)
    assert _names(session, "allergenes soja", ALL_CATEGORY, DESCRIPTION) == ["Pain au chocolat"]
    # the description filter does not look at names, the name filter not at descriptions
    assert _names(session, "croissant", ALL_CATEGORY, DESCRIPTION) == []
    assert _names(session, "beurre", ALL_CATEGORY, SearchField.NAME) == [
        "LU Petit Beurre",
        "Sandwich jambon-beurre",
    ]


def test_barcode_filter_matches_the_start_of_barcodes_only(session: TillSession) -> None:
    drinks = _category(session, "Boissons fraîches")
    by_code = SearchField.BARCODE
    assert _names(session, "5449", drinks, by_code) == ["Coca-Cola 33 cl", "Coca-Cola zéro 33 cl"]
    assert _names(session, "5449", _category(session, "Confiserie"), by_code) == []
    assert _names(session, "0000996", ALL_CATEGORY, by_code) == []  # inside, not at the start
    assert _names(session, "coca", drinks, by_code) == []  # names are not barcodes
    assert _names(session, "3124", ALL_CATEGORY, by_code) == [
        "Oasis tropical 50 cl",
        "Orangina 50 cl",
    ]
    # the name filter (the default) still finds a barcode's start, as before
    assert [t.name for t in session.catalogue.search("5449", drinks)] == [
        "Coca-Cola 33 cl",
        "Coca-Cola zéro 33 cl",
    ]


def test_an_edited_description_is_searched_at_once(session: TillSession) -> None:
    catalogue = session.shop.catalogue
    brioche = next(p for p in catalogue.products() if p.name == "Brioche")
    assert _names(session, "beurre", ALL_CATEGORY, DESCRIPTION)  # the index is made
    assert _names(session, "vanille", ALL_CATEGORY, DESCRIPTION) == []
    catalogue.update_product(brioche.id, description="Brioche à la vanille de Madagascar")
    assert session.catalogue.update([brioche.id])  # in place, as a manager's edit arrives
    assert _names(session, "VANILLE madagascar", ALL_CATEGORY, DESCRIPTION) == ["Brioche"]
    catalogue.create_product(
        name="Financier", price=180, vat=brioche.vat, description="Poudre d'amande, vanille"
    )
    session.refresh_catalogue()  # a new product: rebuilt
    assert _names(session, "vanille", ALL_CATEGORY, DESCRIPTION) == ["Brioche", "Financier"]


def test_the_cashier_switches_the_filter_with_touch_buttons(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    grid = window.selling.grid
    assert grid.search_field() is SearchField.NAME  # today's search by default
    buttons = grid.field_buttons
    assert [b.text() for b in buttons.values()] == ["Name", "Barcode", "Description"]
    assert all(b.height() >= 48 and b.isVisible() for b in buttons.values())
    grid.select_category(_category(session, "Viennoiseries"))
    grid.search.setFocus()
    QTest.keyClicks(grid.search, "beurre")
    assert [b.tile.name for b in grid.buttons] == []  # no Viennoiserie is named so
    QTest.mouseClick(buttons[DESCRIPTION], Qt.MouseButton.LeftButton)
    assert grid.search_field() is DESCRIPTION
    assert grid.search.placeholderText().startswith("Search in the descriptions")
    assert [b.tile.name for b in grid.buttons] == ["Croissant", "Pain au chocolat"]
    assert grid.search.hasFocus()  # the toggle did not take the keyboard
    grid.select_category(ALL_CATEGORY)
    assert [b.tile.name for b in grid.buttons] == [
        "Croissant",
        "Pain au chocolat",
        "Sandwich jambon-beurre",
    ]
    QTest.keyClick(grid.search, Qt.Key.Key_Return)  # several found: nothing is sold
    assert session.basket.lines == []

    grid.search.clear()
    QTest.mouseClick(buttons[SearchField.BARCODE], Qt.MouseButton.LeftButton)
    QTest.keyClicks(grid.search, "544900")
    assert [b.tile.name for b in grid.buttons] == ["Coca-Cola 33 cl", "Coca-Cola zéro 33 cl"]
    grid.search.clear()
    scan(qtbot, window, COCA)  # a scan still sells whatever the filter
    assert [ln.label for ln in session.basket.lines] == ["Coca-Cola 33 cl"]

    i18n.set_language("fr")
    assert [b.text() for b in buttons.values()] == ["Nom", "Code-barres", "Description"]
    assert grid.search.placeholderText().startswith("Chercher un code-barres")


def test_product_info_shows_the_description(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    tap_product(qtbot, window, "Croissant")
    scan(qtbot, window, COCA)
    dialog = open_info(window, "Croissant")
    assert dialog.description.isVisible()
    assert dialog.description.text() == "Pur beurre, farine T65 — contient gluten, lait, œuf."
    dialog.close_button.click()
    coca = ProductInfoDialog(product_info(session, session.basket.lines[1]), window.selling)
    qtbot.addWidget(coca)
    coca.show()
    assert coca.description.text() == "" and not coca.description.isVisible()
