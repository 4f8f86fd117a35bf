"""The till's product grid follows catalogue changes: in place for a price, rebuilt
for anything that moves a product."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.till.session import TillSession
from app.till.window import TillWindow
from crdt_models.documents import RELAY


def test_a_price_change_is_redrawn_in_place_and_sold_at_the_new_price(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    coca = session.catalogue.by_barcode("5449000000996")
    assert coca is not None
    window.selling.grid.select_category(coca.category)
    rebuilt: list[bool] = []
    real_reload = window.selling.grid.reload

    def counting_reload() -> None:
        rebuilt.append(True)
        real_reload()

    window.selling.grid.reload = counting_reload  # type: ignore[method-assign]

    # As a peer's edit arrives: a price only.
    session.shop.catalogue.update_product(coca.id, price=310, origin=RELAY)
    button = window.selling.grid.button_for(coca.id)
    assert button is not None
    qtbot.waitUntil(lambda: button.tile.price == 310)
    assert rebuilt == []  # nothing was rebuilt
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    assert session.basket.totals().total == 310  # the tapped button sells the new price

    # A rename moves the product in the sorted grid: everything is rebuilt.
    session.shop.catalogue.update_product(coca.id, name="Coca-Cola 33 cl (frais)", origin=RELAY)
    qtbot.waitUntil(lambda: rebuilt == [True])
    renamed = window.selling.grid.button_for(coca.id)
    assert renamed is not None and renamed.tile.name == "Coca-Cola 33 cl (frais)"


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
