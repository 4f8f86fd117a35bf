"""The catalogue page driven like an owner: real documents over a real device store."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from app.manager.bulk_price import BulkPriceDialog
from app.manager.catalogue_page import CataloguePage
from app.manager.context import ManagerContext
from crdt_models.documents import RELAY, CatalogueDocument, SettingsDocument

LEFT = Qt.MouseButton.LeftButton


def _page(qtbot: QtBot, context: ManagerContext) -> CataloguePage:
    page = CataloguePage(context)
    qtbot.addWidget(page)
    page.resize(1440, 900)
    page.show()
    return page


def _shown_texts(page: CataloguePage, column: int = 0) -> list[str]:
    model = page.products.model
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_owner_creates_a_category_and_products_fixing_a_bad_price(
    qtbot: QtBot, context: ManagerContext
) -> None:
    context.settings.create_vat_rate(name="Normal", rate_bp=2000)
    page = _page(qtbot, context)

    page.tabs.setCurrentWidget(page.categories)
    QTest.mouseClick(page.new_category_button, LEFT)
    QTest.keyClicks(page.category_editor.name, "Drinks")
    page.category_editor.colour.set_text("#1e88e5")
    QTest.mouseClick(page.category_editor.save_button, LEFT)
    qtbot.waitUntil(lambda: page.models.categories.rowCount() == 1)
    (drinks,) = context.catalogue.categories()
    assert (drinks.name, drinks.color) == ("Drinks", "#1e88e5")

    page.tabs.setCurrentWidget(page.products)
    QTest.mouseClick(page.new_product_button, LEFT)
    editor = page.product_editor
    QTest.keyClicks(editor.name, "Espresso")
    QTest.keyClicks(editor.price, "-1.20")
    editor.category.setCurrentIndex(editor.category.findData(drinks.id))
    QTest.mouseClick(editor.save_button, LEFT)
    assert editor.form.error("price") == "⚠ A price cannot be negative."
    assert context.catalogue.products() == []

    editor.price.clear()
    QTest.keyClicks(editor.price, "1.20")
    QTest.mouseClick(editor.save_button, LEFT)
    assert editor.form.error("price") == ""
    (espresso,) = context.catalogue.products()
    assert (espresso.name, espresso.price, espresso.category) == ("Espresso", 120, drinks.id)
    qtbot.waitUntil(lambda: _shown_texts(page) == ["Espresso"])
    assert _shown_texts(page, 1) == ["€1.20"]
    assert _shown_texts(page, 4) == ["Drinks"]

    # Edit the price in place: a typo is refused next to the field, then fixed.
    editor.price.setText("1.2.0")
    QTest.mouseClick(editor.save_button, LEFT)
    assert editor.form.error("price") == "⚠ Enter an amount such as 12.50."
    editor.price.setText("1,35")
    QTest.mouseClick(editor.save_button, LEFT)
    assert context.catalogue.product(espresso.id).price == 135
    qtbot.waitUntil(lambda: _shown_texts(page, 1) == ["€1.35"])


def test_search_filters_as_you_type_and_sorts(qtbot: QtBot, context: ManagerContext) -> None:
    vat = context.settings.create_vat_rate(name="Normal", rate_bp=2000).entry_id
    for name, price in (("Croissant", 120), ("Baguette", 110), ("Pain au chocolat", 140)):
        context.catalogue.create_product(name=name, price=price, vat=vat)
    page = _page(qtbot, context)
    assert _shown_texts(page) == ["Baguette", "Croissant", "Pain au chocolat"]

    QTest.keyClicks(page.products.search, "CHOC")
    qtbot.waitUntil(lambda: _shown_texts(page) == ["Pain au chocolat"])
    assert page.products.count.text() == "1 shown of 3"
    page.products.search.clear()
    qtbot.waitUntil(lambda: len(_shown_texts(page)) == 3)

    page.products.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert _shown_texts(page) == ["Pain au chocolat", "Croissant", "Baguette"]


def test_a_change_refreshes_only_the_rows_it_names(qtbot: QtBot, context: ManagerContext) -> None:
    vat = context.settings.create_vat_rate(name="Normal", rate_bp=2000).entry_id
    ids = [
        context.catalogue.create_product(name=f"P{i:02d}", price=100 + i, vat=vat).entry_id
        for i in range(20)
    ]
    page = _page(qtbot, context)
    QApplication.processEvents()  # the creations above reach the page first
    changed_rows: list[tuple[int, int]] = []
    resets: list[bool] = []
    page.models.products.dataChanged.connect(
        lambda a, b, _roles=(): changed_rows.append((a.row(), b.row()))
    )
    page.models.products.modelReset.connect(lambda: resets.append(True))

    context.catalogue.update_product(ids[7], price=999)
    qtbot.waitUntil(lambda: changed_rows != [])
    row = page.models.products.row_of(ids[7])
    assert row is not None
    assert changed_rows == [(row, row)]
    assert resets == []
    assert page.models.products.entry(row).price == 999


def test_archive_and_restore(qtbot: QtBot, context: ManagerContext) -> None:
    vat = context.settings.create_vat_rate(name="Normal", rate_bp=2000).entry_id
    pid = context.catalogue.create_product(name="Old cake", price=300, vat=vat).entry_id
    page = _page(qtbot, context)
    page.products.select(pid)
    assert page.product_editor.entry_id == pid
    assert page.product_editor.archive_button.text() == "Archive"

    QTest.mouseClick(page.product_editor.archive_button, LEFT)
    assert context.catalogue.product(pid).archived
    qtbot.waitUntil(lambda: _shown_texts(page) == [])  # archived rows are hidden...
    page.products.show_archived.setChecked(True)
    assert _shown_texts(page) == ["Old cake"]  # ...until asked for
    assert _shown_texts(page, 5) == ["Archived"]

    page.products.select(pid)
    assert page.product_editor.archive_button.text() == "Restore"
    QTest.mouseClick(page.product_editor.archive_button, LEFT)
    assert not context.catalogue.product(pid).archived
    qtbot.waitUntil(lambda: _shown_texts(page, 5) == ["On sale"])


def test_archiving_a_category_in_use_says_why_next_to_it(
    qtbot: QtBot, context: ManagerContext
) -> None:
    vat = context.settings.create_vat_rate(name="Normal", rate_bp=2000).entry_id
    cat = context.catalogue.create_category(name="Cakes").entry_id
    context.catalogue.create_product(name="Flan", price=250, vat=vat, category=cat)
    page = _page(qtbot, context)
    page.tabs.setCurrentWidget(page.categories)
    page.categories.select(cat)
    QTest.mouseClick(page.category_editor.archive_button, LEFT)
    assert page.category_editor.form.error("category") == (
        "⚠ Active products are still in this category."
    )
    assert not context.catalogue.category(cat).archived


def _csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_import_with_errors_imports_nothing_then_a_good_file_imports_all(
    qtbot: QtBot, context: ManagerContext, tmp_path: Path
) -> None:
    context.settings.create_vat_rate(name="Reduced", rate_bp=550)
    context.settings.create_vat_rate(name="Normal", rate_bp=2000)
    context.catalogue.create_category(name="Bakery")
    page = _page(qtbot, context)

    bad = _csv(
        tmp_path / "bad.csv",
        "name;price;vat;barcode;category\n"
        "Baguette;1,10;5,5;;Bakery\n"
        "Croissant;-1;5,5;;Bakery\n"
        "Cola;2,50;7;;\n"
        "Water;1,00;20;4006381333931;\n"
        "Soda;1,50;20;4006381333931;Drinks\n",
    )
    dialog = page.import_csv(bad)
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert not dialog.import_button.isEnabled()
    assert dialog.error_lines() == [
        "Line 3 — Price: A price cannot be negative.",
        "Line 4 — VAT: Choose a VAT rate from the settings.",
        "Line 6 — Barcode: The same barcode appears twice in the file.",
        "Line 6 — Category: Choose a category.",
    ]
    assert dialog.summary.text().startswith(
        "⚠ 3 of 5 rows have problems: nothing will be imported."
    )
    problems = dialog.preview_model.index(1, 7).data()
    assert problems == "⚠ Price: A price cannot be negative."
    dialog.run_import()  # even if forced, nothing is written
    assert context.catalogue.products() == []
    dialog.reject()

    good = _csv(
        tmp_path / "good.csv",
        "name,price,vat,barcode,category,color\n"
        "Baguette,1.10,5.5,,Bakery,#f4a261\n"
        'Croissant,"1,20",5.5,4006381333931,bakery,\n'
        "Cola,2.50,Normal,,,\n",
    )
    dialog = page.import_csv(good)
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.summary.text() == "Ready to import: 3 new, 0 updated, 0 unchanged."
    assert dialog.import_button.isEnabled()
    QTest.mouseClick(dialog.import_button, LEFT)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert len(dialog.imported) == 3
    products = {p.name: p for p in context.catalogue.products()}
    assert products["Croissant"].price == 120
    assert products["Croissant"].barcode == "4006381333931"
    assert products["Baguette"].color == "#f4a261"
    qtbot.waitUntil(lambda: sorted(_shown_texts(page)) == ["Baguette", "Cola", "Croissant"])
    assert "3 products added, 0 updated." in page.message.text()


def test_csv_import_updates_existing_products_all_or_nothing(
    qtbot: QtBot, context: ManagerContext, tmp_path: Path
) -> None:
    reduced = context.settings.create_vat_rate(name="Reduced", rate_bp=550).entry_id
    context.settings.create_vat_rate(name="Normal", rate_bp=2000)
    catalogue = context.catalogue
    bakery = catalogue.create_category(name="Bakery").entry_id
    baguette = catalogue.create_product(name="Baguette", price=250, vat=reduced, category=bakery)
    cola = catalogue.create_product(name="Cola", price=250, vat=reduced, barcode="5449000000996")
    flan = catalogue.create_product(name="Flan", price=300, vat=reduced, category=bakery)
    before = dict(catalogue.products_by_id())
    page = _page(qtbot, context)
    rows = (
        "id,name,price,vat,barcode,category\n"
        f'{baguette.entry_id},Baguette,"2,80",5.5,,Bakery\n'
        ",Coca-Cola,2.50,Normal,5449000000996,\n"
        ",Flan,3.00,5.5,,Bakery\n"
        ",Éclair,2.20,5.5,,Bakery\n"
    )
    bad = _csv(tmp_path / "bad.csv", rows + ",Cake,-4,5.5,,Bakery\n")
    dialog = page.import_csv(bad)
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert not dialog.import_button.isEnabled()
    assert dialog.error_lines() == ["Line 6 — Price: A price cannot be negative."]
    dialog.run_import()
    assert dict(catalogue.products_by_id()) == before  # nothing changed, not even the updates
    dialog.reject()

    good = _csv(tmp_path / "good.csv", rows)
    dialog = page.import_csv(good)
    assert dialog is not None
    qtbot.addWidget(dialog)
    results = [dialog.preview_model.index(i, 7).data() for i in range(4)]
    assert results == [
        "Update (price €2.50 → €2.80)",
        "Update (name Cola → Coca-Cola, vat Reduced → Normal)",
        "Unchanged",
        "New",
    ]
    assert dialog.summary.text() == "Ready to import: 1 new, 2 updated, 1 unchanged."
    QTest.mouseClick(dialog.import_button, LEFT)
    assert dialog.result() == QDialog.DialogCode.Accepted
    products = catalogue.products_by_id()
    assert products[baguette.entry_id].price == 280
    assert (products[cola.entry_id].name, products[cola.entry_id].vat) == (
        "Coca-Cola",
        context.settings.vat_rates()[1].id,
    )
    assert products[flan.entry_id] == before[flan.entry_id]
    assert sorted(p.name for p in catalogue.products()) == [
        "Baguette",
        "Coca-Cola",
        "Flan",
        "Éclair",
    ]
    assert "1 products added, 2 updated." in page.message.text()


def test_csv_export_round_trip(qtbot: QtBot, context: ManagerContext, tmp_path: Path) -> None:
    reduced = context.settings.create_vat_rate(name="Reduced", rate_bp=550).entry_id
    normal = context.settings.create_vat_rate(name="Normal", rate_bp=2000).entry_id
    bakery = context.catalogue.create_category(name="Bakery").entry_id
    context.catalogue.create_product(
        name='Tarte "maison", pommes', price=1850, vat=reduced, category=bakery, color="#aa3300"
    )
    context.catalogue.create_product(name="Cola", price=250, vat=normal, barcode="5449000000996")
    page = _page(qtbot, context)
    path = page.export_csv(tmp_path / "export.csv")
    assert path is not None

    other = ManagerContext.open(tmp_path / "other-shop")
    try:
        other.settings.create_vat_rate(name="Réduit", rate_bp=550)
        other.settings.create_vat_rate(name="Normal", rate_bp=2000)
        other.catalogue.create_category(name="Bakery")
        other_page = _page(qtbot, other)
        dialog = other_page.import_csv(path)
        assert dialog is not None
        qtbot.addWidget(dialog)
        assert dialog.plan.ok, dialog.error_lines()
        dialog.run_import()

        def essence(ctx: ManagerContext) -> set[tuple[object, ...]]:
            rates = ctx.settings.vat_rates_by_id()
            cats = ctx.catalogue.categories_by_id()
            return {
                (
                    p.name,
                    p.price,
                    rates[p.vat].rate_bp,
                    p.barcode,
                    cats[p.category].name if p.category else None,
                    p.color,
                )
                for p in ctx.catalogue.products()
            }

        assert essence(other) == essence(context)
        assert len(essence(context)) == 2
    finally:
        other.close()


def test_duplicate_barcode_from_another_device_is_shown_and_fixed(
    qtbot: QtBot, context: ManagerContext
) -> None:
    vat = context.settings.create_vat_rate(name="Normal", rate_bp=2000).entry_id
    mine = context.catalogue.create_product(name="Cola 33cl", price=250, vat=vat).entry_id
    page = _page(qtbot, context)
    assert page.tabs.tabText(2) == "Conflicts"

    # A till, offline, gave the same barcode to another product; its update arrives.
    till_settings = SettingsDocument()
    till_settings.doc.apply_update(context.settings.doc.get_update())
    till = CatalogueDocument(settings=till_settings)
    till.doc.apply_update(context.catalogue.doc.get_update())
    theirs = till.create_product(
        name="Cola can", price=260, vat=vat, barcode="5449000000996"
    ).entry_id
    context.catalogue.update_product(mine, barcode="5449000000996")
    with context.catalogue.doc.transaction(origin=RELAY):
        context.catalogue.doc.apply_update(till.doc.get_update())

    qtbot.waitUntil(lambda: page.tabs.tabText(2) == "Conflicts (1)")
    (text,) = page.conflicts.card_texts()
    assert "5449000000996" in text and "Cola 33cl" in text and "Cola can" in text

    keep = [
        b
        for b in page.conflicts.findChildren(type(page.new_product_button))
        if b.text() == "Keep it on Cola can"
    ]
    assert len(keep) == 1
    QTest.mouseClick(keep[0], LEFT)
    assert context.catalogue.product(theirs).barcode == "5449000000996"
    assert context.catalogue.product(mine).barcode == ""
    qtbot.waitUntil(lambda: page.tabs.tabText(2) == "Conflicts")
    assert page.conflicts.card_texts() == []


def test_bulk_price_change_by_category_and_percentage(
    qtbot: QtBot, context: ManagerContext
) -> None:
    vat = context.settings.create_vat_rate(name="Normal", rate_bp=2000).entry_id
    drinks = context.catalogue.create_category(name="Drinks").entry_id
    cola = context.catalogue.create_product(
        name="Cola", price=250, vat=vat, category=drinks
    ).entry_id
    water = context.catalogue.create_product(
        name="Water", price=105, vat=vat, category=drinks
    ).entry_id
    bread = context.catalogue.create_product(name="Bread", price=110, vat=vat).entry_id

    dialog = BulkPriceDialog(context.catalogue)
    qtbot.addWidget(dialog)
    dialog.scope.setCurrentIndex(dialog.scope.findData(drinks))
    dialog.percent.setValue(10.0)
    assert dialog.summary.text() == "2 prices will change, for example €2.50 → €2.75."
    dialog.amount.setCurrentText("-200")
    assert dialog.form.error("price") == "⚠ A price cannot be negative."
    dialog.amount.setCurrentText("0")
    dialog.apply()
    assert dialog.changed_count == 2
    assert context.catalogue.product(cola).price == 275
    assert context.catalogue.product(water).price == 116  # 115.5 rounds half up
    assert context.catalogue.product(bread).price == 110


def test_the_editor_writes_a_description_over_several_lines(
    qtbot: QtBot, context: ManagerContext
) -> None:
    vat = context.settings.create_vat_rate(name="Reduced", rate_bp=550).entry_id
    page = _page(qtbot, context)
    QTest.mouseClick(page.new_product_button, LEFT)
    editor = page.product_editor
    QTest.keyClicks(editor.name, "Croissant")
    QTest.keyClicks(editor.price, "1.20")
    editor.vat.setCurrentIndex(editor.vat.findData(vat))
    QTest.keyClicks(editor.description, "Pur beurre, farine T65")
    QTest.keyClick(editor.description, Qt.Key.Key_Return)  # a new line, not Save
    assert context.catalogue.products() == []
    QTest.keyClicks(editor.description, "contient gluten, lait")
    QTest.mouseClick(editor.save_button, LEFT)
    (croissant,) = context.catalogue.products()
    assert croissant.description == "Pur beurre, farine T65\ncontient gluten, lait"
    qtbot.waitUntil(lambda: _shown_texts(page) == ["Croissant"])
    assert _shown_texts(page, 6) == ["Pur beurre, farine T65 contient gluten, lait"]

    # Too long: refused under the field, nothing written; the editor reloads what is stored.
    editor.description.setPlainText("x" * 2001)
    QTest.mouseClick(editor.save_button, LEFT)
    assert editor.form.error("description") == (
        "⚠ This text is too long (2000 characters at most)."
    )
    assert context.catalogue.product(croissant.id).description == croissant.description
    page.product_editor.new()
    assert editor.description.toPlainText() == ""
    page.products.select(croissant.id)
    assert editor.description.toPlainText() == croissant.description


def test_csv_import_preview_names_a_description_change(
    qtbot: QtBot, context: ManagerContext, tmp_path: Path
) -> None:
    reduced = context.settings.create_vat_rate(name="Reduced", rate_bp=550).entry_id
    croissant = context.catalogue.create_product(name="Croissant", price=120, vat=reduced)
    page = _page(qtbot, context)
    path = _csv(
        tmp_path / "descriptions.csv",
        'name,price,vat,description\nCroissant,1.30,5.5,"Pur beurre\nAllergènes : gluten, lait"\n',
    )
    dialog = page.import_csv(path)
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.preview_model.index(0, 7).data() == "Update (price €1.20 → €1.30, description)"
    QTest.mouseClick(dialog.import_button, LEFT)
    product = context.catalogue.product(croissant.entry_id)
    assert (product.price, product.description) == (130, "Pur beurre\nAllergènes : gluten, lait")
