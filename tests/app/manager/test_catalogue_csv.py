"""CSV planning without a screen: headers, French columns, all-or-nothing."""

from __future__ import annotations

import pytest

from app.manager.catalogue_csv import (
    NEW,
    UNCHANGED,
    UPDATE,
    apply_import,
    export_csv,
    plan_import,
)
from crdt_models.documents import ShopDocuments


@pytest.fixture
def shop() -> ShopDocuments:
    shop = ShopDocuments.open("device-1")
    shop.settings.create_vat_rate(name="Réduit", rate_bp=550)
    shop.catalogue.create_category(name="Pains")
    return shop


def test_french_headers_and_semicolons(shop: ShopDocuments) -> None:
    plan = plan_import("\ufeffNom;Prix;TVA;Catégorie\nBaguette;1,10;5,5 %;pains\n", shop.catalogue)
    assert plan.ok and plan.errors == []
    (spec,) = plan.specs
    assert (spec.name, spec.price, spec.category is not None) == ("Baguette", 110, True)


def test_missing_columns_is_one_error_on_the_header(shop: ShopDocuments) -> None:
    plan = plan_import("name,barcode\nBaguette,\n", shop.catalogue)
    assert not plan.ok
    assert [(e.line, e.error.code) for e in plan.errors] == [(1, "csv.header")]
    with pytest.raises(ValueError):
        apply_import(plan, shop.catalogue)


def test_a_barcode_on_sale_is_refused_for_another_product(shop: ShopDocuments) -> None:
    rate = shop.settings.vat_rates()[0].id
    shop.catalogue.create_product(name="Cola", price=250, vat=rate, barcode="5449000000996")
    fanta = shop.catalogue.create_product(name="Fanta", price=250, vat=rate).entry_id
    plan = plan_import(
        f"id,name,price,vat,barcode\n{fanta},Fanta,2.60,5.5,5449000000996\n", shop.catalogue
    )
    assert [(e.line, e.error.code) for e in plan.errors] == [(2, "barcode.duplicate")]


def test_rows_update_by_id_then_barcode_then_name(shop: ShopDocuments) -> None:
    rate = shop.settings.vat_rates()[0].id
    pains = shop.catalogue.categories()[0].id
    catalogue = shop.catalogue
    baguette = catalogue.create_product(name="Baguette", price=110, vat=rate, category=pains)
    cola = catalogue.create_product(name="Cola", price=250, vat=rate, barcode="5449000000996")
    tarte = catalogue.create_product(name="Tarte", price=1800, vat=rate, color="#aabbcc")
    text = (
        "id,name,price,vat,barcode\n"
        f"{baguette.entry_id},Baguette tradition,1.20,5.5,\n"  # by id: renamed, new price
        ",Coca-Cola,2.80,5.5,5449000000996\n"  # by barcode: renamed, new price
        ",Tarte,18.00,5.5,\n"  # by name: unchanged (the colour column is absent: kept)
        "unknown-id,Éclair,2.50,5.5,\n"  # an id from elsewhere: a new product
    )
    plan = plan_import(text, catalogue)
    assert plan.ok and plan.errors == []
    assert [(p.line, p.action, p.product_id) for p in plan.planned] == [
        (2, UPDATE, baguette.entry_id),
        (3, UPDATE, cola.entry_id),
        (4, UNCHANGED, tarte.entry_id),
        (5, NEW, None),
    ]
    first = plan.plan_of(2)
    assert first is not None
    assert [(c.field, c.old, c.new) for c in first.changes] == [
        ("name", "Baguette", "Baguette tradition"),
        ("price", 110, 120),
    ]
    assert (plan.count(NEW), plan.count(UPDATE), plan.count(UNCHANGED)) == (1, 2, 1)

    assert len(apply_import(plan, catalogue)) == 1
    products = catalogue.products_by_id()
    assert (products[baguette.entry_id].name, products[baguette.entry_id].price) == (
        "Baguette tradition",
        120,
    )
    assert products[baguette.entry_id].category == pains  # no category column: kept
    assert (products[cola.entry_id].name, products[cola.entry_id].price) == ("Coca-Cola", 280)
    assert products[tarte.entry_id].color == "#aabbcc"
    assert sorted(p.name for p in catalogue.products()) == [
        "Baguette tradition",
        "Coca-Cola",
        "Tarte",
        "Éclair",
    ]


def test_ambiguous_names_and_products_updated_twice_are_errors(shop: ShopDocuments) -> None:
    rate = shop.settings.vat_rates()[0].id
    cola = shop.catalogue.create_product(name="Cola", price=250, vat=rate).entry_id
    shop.catalogue.create_product(name="Flan", price=300, vat=rate)
    shop.catalogue.create_product(name="Flan", price=320, vat=rate)
    plan = plan_import(
        f"id,name,price,vat\n,Flan,3.10,5.5\n{cola},Cola,2.60,5.5\n,Cola,2.70,5.5\n",
        shop.catalogue,
    )
    assert [(e.line, e.error.code) for e in plan.errors] == [
        (2, "csv.ambiguous"),
        (4, "csv.duplicate_product"),
    ]
    assert not plan.ok


def test_export_then_import_gives_the_same_products(shop: ShopDocuments) -> None:
    rate = shop.settings.vat_rates()[0].id
    shop.catalogue.create_product(name="Pain, complet", price=330, vat=rate, color="#aabbcc")
    text = export_csv(shop.catalogue.products(), shop.catalogue)
    other = ShopDocuments.open("device-2")
    other.settings.create_vat_rate(name="5,5", rate_bp=550)
    plan = plan_import(text, other.catalogue)
    assert plan.ok
    apply_import(plan, other.catalogue)
    (copy,) = other.catalogue.products()
    assert (copy.name, copy.price, copy.color) == ("Pain, complet", 330, "#aabbcc")


def test_descriptions_are_imported_new_and_updated_kept_when_absent(shop: ShopDocuments) -> None:
    rate = shop.settings.vat_rates()[0].id
    catalogue = shop.catalogue
    croissant = catalogue.create_product(
        name="Croissant", price=120, vat=rate, description="Pur beurre"
    ).entry_id
    flan = catalogue.create_product(name="Flan", price=290, vat=rate, description="Vanille")
    plan = plan_import(
        "nom;prix;tva;descriptif\n"
        'Croissant;1,20;5,5;"Pur beurre, farine T65\ncontient gluten, lait"\n'
        "Chouquette;0,40;5,5;Sucre perlé\n"
        "Flan;2,90;5,5;\n",  # an empty cell clears it
        catalogue,
    )
    assert plan.ok, plan.errors
    assert [(p.action, [c.field for c in p.changes]) for p in plan.planned] == [
        (UPDATE, ["description"]),
        (NEW, []),
        (UPDATE, ["description"]),
    ]
    (new_id,) = apply_import(plan, catalogue)
    assert catalogue.product(croissant).description == (
        "Pur beurre, farine T65\ncontient gluten, lait"
    )
    assert catalogue.product(new_id).description == "Sucre perlé"
    assert catalogue.product(flan.entry_id).description == ""

    # A file without the column keeps every description.
    plan = plan_import("name,price,vat\nCroissant,1.30,5.5\n", catalogue)
    apply_import(plan, catalogue)
    product = catalogue.product(croissant)
    assert (product.price, product.description) == (
        130,
        "Pur beurre, farine T65\ncontient gluten, lait",
    )


def test_a_too_long_description_is_an_error_on_its_row_and_nothing_is_imported(
    shop: ShopDocuments,
) -> None:
    rate = shop.settings.vat_rates()[0].id
    shop.catalogue.create_product(name="Croissant", price=120, vat=rate, description="Pur beurre")
    long_text = "x" * 2001
    plan = plan_import(
        f"name,price,vat,description\nBrioche,1.50,5.5,ok\nCroissant,1.20,5.5,{long_text}\n",
        shop.catalogue,
    )
    assert [(e.line, e.error.field, e.error.code) for e in plan.errors] == [
        (3, "description", "text.too_long")
    ]
    with pytest.raises(ValueError):
        apply_import(plan, shop.catalogue)
    assert [(p.name, p.description) for p in shop.catalogue.products()] == [
        ("Croissant", "Pur beurre")
    ]


def test_export_carries_descriptions_over_lines(shop: ShopDocuments) -> None:
    rate = shop.settings.vat_rates()[0].id
    recipe = 'Pâte "maison", beurre\nAllergènes : gluten, lait'
    shop.catalogue.create_product(name="Tarte", price=1800, vat=rate, description=recipe)
    text = export_csv(shop.catalogue.products(), shop.catalogue)
    assert text.splitlines()[0].split(",")[7] == "description"
    other = ShopDocuments.open("device-2")
    other.settings.create_vat_rate(name="5,5", rate_bp=550)
    plan = plan_import(text, other.catalogue)
    apply_import(plan, other.catalogue)
    (copy,) = other.catalogue.products()
    assert copy.description == recipe
