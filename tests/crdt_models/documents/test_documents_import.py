"""An import creates and updates products in one transaction, all checked first."""

from __future__ import annotations

import pytest
from pycrdt import TransactionEvent

from crdt_models.documents import DemoShop, EntryKind, ProductSpec, ShopDocuments
from crdt_models.errors import ValidationError


def test_creates_and_updates_in_one_transaction(shop: ShopDocuments, ids: DemoShop) -> None:
    catalogue = shop.catalogue
    rate = ids.vat_rates[550]
    a = catalogue.create_product(name="A", price=100, vat=rate, barcode="96385074").entry_id
    b = catalogue.create_product(name="B", price=200, vat=rate, barcode="40170725").entry_id
    transactions: list[TransactionEvent] = []
    catalogue.doc.observe(transactions.append)

    # The two products swap their barcodes and a new one comes: one transaction.
    new_ids, summary = catalogue.import_products(
        [ProductSpec("C", 300, rate)],
        {
            a: ProductSpec("A", 110, rate, "40170725"),
            b: ProductSpec("B bis", 200, rate, "96385074"),
        },
    )
    assert len(transactions) == 1
    assert summary.added_ids(EntryKind.PRODUCT) == set(new_ids)
    assert summary.changed_ids(EntryKind.PRODUCT) == {a, b}
    products = catalogue.products_by_id()
    assert (products[a].price, products[a].barcode) == (110, "40170725")
    assert (products[b].name, products[b].barcode) == ("B bis", "96385074")
    assert products[new_ids[0]].name == "C"


def test_a_bad_row_writes_nothing(shop: ShopDocuments, ids: DemoShop) -> None:
    catalogue = shop.catalogue
    rate = ids.vat_rates[550]
    a = catalogue.create_product(name="A", price=100, vat=rate, barcode="96385074").entry_id
    before = dict(catalogue.products_by_id())
    transactions: list[TransactionEvent] = []
    catalogue.doc.observe(transactions.append)
    with pytest.raises(ValidationError) as info:  # the new row takes A's barcode
        catalogue.import_products(
            [ProductSpec("C", 300, rate, "96385074")], {a: ProductSpec("A", 120, rate, "96385074")}
        )
    assert info.value.code == "barcode.duplicate"
    with pytest.raises(ValidationError):
        catalogue.import_products([], {a: ProductSpec("A", -5, rate)})
    assert transactions == [] and dict(catalogue.products_by_id()) == before
