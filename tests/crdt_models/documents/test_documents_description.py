"""A product's optional description: free text over several lines, checked like the other
texts, carried by sync and by imports; documents written before it read as ""."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pycrdt import Doc, Map, TransactionEvent
from test_documents_conflicts import _merge, _replica_of

from crdt_models.documents import DemoShop, ProductSpec, ShopDocuments
from crdt_models.documents.demo import DEMO_DESCRIPTIONS
from crdt_models.documents.validation import MAX_TEXT_LENGTH
from crdt_models.errors import ValidationError

RECIPE = "Pur beurre, farine T65\ncontient gluten, lait"


def test_a_description_spans_lines_is_trimmed_and_defaults_to_empty(
    shop: ShopDocuments, ids: DemoShop
) -> None:
    catalogue = shop.catalogue
    rate = ids.vat_rates[550]
    with_text = catalogue.create_product(
        name="Kouign-amann", price=280, vat=rate, description=f"  {RECIPE}\n"
    ).entry_id
    plain = catalogue.create_product(name="Chouquette", price=40, vat=rate).entry_id
    assert catalogue.product(with_text).description == RECIPE
    assert catalogue.product(plain).description == ""
    assert catalogue.doc.get("products", type=Map)[plain]["description"] == ""
    catalogue.update_product(plain, description="Sucre perlé")
    catalogue.update_product(with_text, price=300)  # other fields leave it alone
    assert catalogue.product(plain).description == "Sucre perlé"
    assert catalogue.product(with_text).description == RECIPE
    catalogue.update_product(with_text, description="")
    assert catalogue.product(with_text).description == ""


def test_the_demo_describes_some_of_its_products(shop: ShopDocuments, ids: DemoShop) -> None:
    assert set(DEMO_DESCRIPTIONS) <= set(ids.products)
    croissant = shop.catalogue.product(ids.products["Croissant"])
    assert "beurre" in croissant.description and "gluten" in croissant.description
    assert shop.catalogue.product(ids.products["Baguette"]).description == ""


@pytest.mark.parametrize(
    ("description", "code"),
    [("x" * (MAX_TEXT_LENGTH + 1), "text.too_long"), (42, "description.type")],
)
def test_a_bad_description_is_refused_and_nothing_is_written(
    shop: ShopDocuments, ids: DemoShop, description: Any, code: str
) -> None:
    catalogue = shop.catalogue
    croissant = ids.products["Croissant"]
    before = dict(catalogue.products_by_id())
    transactions: list[TransactionEvent] = []
    catalogue.doc.observe(transactions.append)
    rate = ids.vat_rates[550]
    attempts: list[Callable[[], object]] = [
        lambda: catalogue.create_product(
            name="Brioche", price=200, vat=rate, description=description
        ),
        lambda: catalogue.update_product(croissant, price=1, description=description),
        lambda: catalogue.import_products(
            [ProductSpec("Brioche", 200, rate)],
            {croissant: ProductSpec("Croissant", 120, rate, description=description)},
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as info:
            attempt()
        assert (info.value.field, info.value.code) == ("description", code)
        assert "description" in str(info.value)
    assert transactions == [] and dict(catalogue.products_by_id()) == before


def test_the_description_travels_with_sync_and_merges_by_field(
    shop: ShopDocuments, ids: DemoShop
) -> None:
    croissant = ids.products["Croissant"]
    other = _replica_of(shop, "device-b")
    assert other.catalogue.product(croissant).description == DEMO_DESCRIPTIONS["Croissant"]
    other.catalogue.update_product(croissant, description=RECIPE)  # a peer edits the text
    shop.catalogue.update_product(croissant, price=130)  # while this one edits the price
    _merge(shop, other)
    for replica in (shop, other):
        product = replica.catalogue.product(croissant)
        assert (product.price, product.description) == (130, RECIPE)


def test_a_product_written_before_descriptions_reads_as_empty(shop: ShopDocuments) -> None:
    rate = shop.settings.vat_rates()[0].id
    old: Doc[Any] = Doc()
    old.get("products", type=Map)["p1"] = Map({"name": "Quiche", "price": 350, "vat": rate})
    shop.catalogue.doc.apply_update(old.get_update())
    assert shop.catalogue.product("p1").description == ""
    shop.catalogue.update_product("p1", description="Lardons, crème — lait, œuf")
    assert shop.catalogue.product("p1").description == "Lardons, crème — lait, œuf"


def test_an_import_creates_and_updates_descriptions(shop: ShopDocuments, ids: DemoShop) -> None:
    catalogue = shop.catalogue
    rate = ids.vat_rates[550]
    croissant = ids.products["Croissant"]
    new_ids, _summary = catalogue.import_products(
        [ProductSpec("Financier", 180, rate, description="Amande, beurre noisette")],
        {croissant: ProductSpec("Croissant", 120, rate, description=RECIPE)},
    )
    assert catalogue.product(new_ids[0]).description == "Amande, beurre noisette"
    assert catalogue.product(croissant).description == RECIPE
