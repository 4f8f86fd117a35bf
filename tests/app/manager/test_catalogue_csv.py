"""CSV planning without a screen: headers, French columns, all-or-nothing."""

from __future__ import annotations

import pytest

from app.manager.catalogue_csv import apply_import, export_csv, plan_import
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


def test_a_barcode_already_on_sale_is_refused(shop: ShopDocuments) -> None:
    rate = shop.settings.vat_rates()[0].id
    shop.catalogue.create_product(name="Cola", price=250, vat=rate, barcode="5449000000996")
    plan = plan_import("name,price,vat,barcode\nCola bis,2.60,5.5,5449000000996\n", shop.catalogue)
    assert [(e.line, e.error.code) for e in plan.errors] == [(2, "barcode.duplicate")]


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
