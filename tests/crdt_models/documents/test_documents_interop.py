"""The schema is a contract: a plain pycrdt Doc that knows only the keys reads and
writes the same documents as the domain layer."""

from __future__ import annotations

from typing import Any

import pytest
from pycrdt import Doc, Map

from crdt_models.documents import (
    CashierRole,
    Category,
    Customer,
    DemoShop,
    EntryKind,
    PaymentKind,
    Product,
    ShopDocuments,
    ShopInfo,
    VatRate,
)
from crdt_models.documents.schema import ROOTS


def _plain_copy(doc: Doc[Any]) -> Doc[Any]:
    plain: Doc[Any] = Doc()
    plain.apply_update(doc.get_update())
    return plain


def test_plain_doc_reads_what_the_domain_layer_wrote(demo: tuple[ShopDocuments, DemoShop]) -> None:
    shop, ids = demo
    croissant = ids.products["Croissant"]
    shop.catalogue.update_product(croissant, price=125, color="#FFCC00")
    shop.inventory.add(EntryKind.STOCK, croissant, 40)
    customer = shop.customers.create_customer(first_name="Inès", email="ines@example.fr")

    catalogue = _plain_copy(shop.catalogue.doc)
    entry = catalogue.get("products", type=Map)[croissant].to_py()
    assert entry == {
        "name": "Croissant",
        "price": 125,
        "vat": ids.vat_rates[550],
        "barcode": "",
        "category": ids.categories["Viennoiseries"],
        "color": "#ffcc00",
        "description": "Pur beurre, farine T65 — contient gluten, lait, œuf.",
        "archived": False,
    }
    coca = catalogue.get("products", type=Map)[ids.products["Coca-Cola 33 cl"]]
    assert coca["barcode"] == "5449000000996"
    categories = catalogue.get("categories", type=Map).to_py() or {}
    assert {c["name"] for c in categories.values()} >= {"Pains", "Viennoiseries"}

    settings = _plain_copy(shop.settings.doc)
    rates = settings.get("vat_rates", type=Map).to_py() or {}
    assert sorted(r["rate_bp"] for r in rates.values()) == [550, 1000, 2000]
    assert settings.get("shop", type=Map)["name"] == "Boulangerie du Canal"
    methods = settings.get("payment_methods", type=Map).to_py() or {}
    assert {m["kind"] for m in methods.values()} == {"cash", "card", "cheque", "voucher"}

    inventory = _plain_copy(shop.inventory.doc)
    assert inventory.get("stock", type=Map)[croissant].to_py() == {"device-a": 40}

    customers = _plain_copy(shop.customers.doc)
    row = customers.get("customers", type=Map)[customer.entry_id].to_py()
    assert row is not None and row["first_name"] == "Inès" and row["archived"] is False


@pytest.mark.parametrize("price", [350, 350.0])
def test_domain_layer_reads_what_a_plain_doc_wrote(price: float) -> None:
    settings: Doc[Any] = Doc()
    settings.get("vat_rates", type=Map)["tva10"] = Map(
        {"name": "TVA 10 %", "rate_bp": 1000.0, "archived": False}
    )
    settings.get("shop", type=Map).update({"name": "Le Fournil", "receipt_footer": "À bientôt"})
    settings.get("tills", type=Map)["t1"] = Map({"name": "Caisse", "number": 1.0})
    settings.get("cashiers", type=Map)["c1"] = Map(
        {"name": "Zoé", "pin_hash": "$argon2id$...", "role": "manager", "archived": False}
    )
    settings.get("payment_methods", type=Map)["m1"] = Map(
        {"name": "CB", "kind": "card", "position": 2.0}
    )
    catalogue: Doc[Any] = Doc()
    catalogue.get("categories", type=Map)["cat"] = Map(
        {"name": "Snacking", "color": "#00aa00", "position": 1}
    )
    # a minimal product: no barcode, colour or archived flag
    catalogue.get("products", type=Map)["p1"] = Map(
        {"name": "Quiche", "price": price, "vat": "tva10", "category": "cat"}
    )
    inventory: Doc[Any] = Doc()
    inventory.get("stock", type=Map)["p1"] = Map({"till-1": 12.0, "till-2": -2})
    customers: Doc[Any] = Doc()
    customers.get("customers", type=Map)["k"] = Map({"last_name": "Durand", "phone": "0102"})

    shop = ShopDocuments.open(
        "device-x",
        {
            "settings": settings,
            "catalogue": catalogue,
            "inventory": inventory,
            "customers": customers,
        },
    )
    product = shop.catalogue.product("p1")
    assert product == Product("p1", "Quiche", 350, "tva10", "", "cat", "", False)
    assert type(product.price) is int
    assert shop.catalogue.products_by_id() == {"p1": product}  # the bulk (JSON) path agrees
    assert shop.catalogue.categories() == [Category("cat", "Snacking", "#00aa00", 1, False)]
    assert shop.settings.vat_rates() == [VatRate("tva10", "TVA 10 %", 1000, False)]
    assert shop.settings.shop() == ShopInfo("Le Fournil", "", "", "", "", "", "", "À bientôt")
    assert shop.settings.till("t1").number == 1
    assert shop.settings.cashier("c1").role is CashierRole.MANAGER
    assert shop.settings.payment_method("m1").kind is PaymentKind.CARD
    assert shop.inventory.value(EntryKind.STOCK, "p1") == 10
    assert shop.customers.customers() == [Customer("k", "", "Durand", "", "0102", "", "", False)]
    assert shop.conflicts() == []
    # and the domain layer can edit what the plain client created
    shop.catalogue.update_product("p1", price=380)
    assert catalogue.get("products", type=Map)["p1"]["price"] == 380


def test_entries_are_written_with_exactly_the_schema_fields(
    demo: tuple[ShopDocuments, DemoShop],
) -> None:
    shop, ids = demo
    customer = shop.customers.create_customer(last_name="Petit").entry_id
    samples = {
        "products": (shop.catalogue.doc, ids.products["Croissant"]),
        "categories": (shop.catalogue.doc, ids.categories["Pains"]),
        "customers": (shop.customers.doc, customer),
        "tills": (shop.settings.doc, ids.tills[0]),
        "cashiers": (shop.settings.doc, ids.cashiers["Camille"]),
        "payment_methods": (shop.settings.doc, ids.payment_methods["Espèces"]),
        "vat_rates": (shop.settings.doc, ids.vat_rates[550]),
    }
    for spec in ROOTS:
        if spec.name in samples:
            doc, entry_id = samples[spec.name]
            entry = doc.get(spec.name, type=Map)[entry_id].to_py() or {}
            assert set(entry) == set(spec.fields), spec.name
        elif spec.name == "shop":
            assert set(shop.settings.doc.get("shop", type=Map).to_py() or {}) == set(spec.fields)


def test_schema_lists_every_root_of_the_design() -> None:
    by_doc: dict[str, set[str]] = {}
    for spec in ROOTS:
        by_doc.setdefault(spec.document, set()).add(spec.name)
    assert by_doc == {
        "catalogue": {"products", "categories"},
        "customers": {"customers"},
        "settings": {"shop", "tills", "cashiers", "payment_methods", "vat_rates"},
        "inventory": {"stock", "loyalty", "balance"},
    }
