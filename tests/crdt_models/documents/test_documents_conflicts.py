"""Conflicts the CRDT cannot judge, made by concurrent peers and found after merge."""

from __future__ import annotations

import pytest
from pycrdt import Map

from crdt_models.documents import (
    RELAY,
    DemoShop,
    DuplicateBarcode,
    EntryKind,
    MalformedEntry,
    ProductInArchivedCategory,
    ProductWithInvalidVat,
    ShopDocuments,
    VatProblem,
    find_conflicts,
    resolve_duplicate_barcode,
)
from crdt_models.errors import ValidationError


def _replica_of(shop: ShopDocuments, device: str) -> ShopDocuments:
    other = ShopDocuments.open(device)
    for name, doc in shop.docs.items():
        other.docs[name].apply_update(doc.get_update())
    return other


def _merge(a: ShopDocuments, b: ShopDocuments) -> None:
    for name in a.docs:
        da, db = a.docs[name], b.docs[name]
        to_b, to_a = da.get_update(db.get_state()), db.get_update(da.get_state())
        with db.transaction(origin=RELAY):
            db.apply_update(to_b)
        with da.transaction(origin=RELAY):
            da.apply_update(to_a)


@pytest.fixture
def pair(demo: tuple[ShopDocuments, DemoShop]) -> tuple[ShopDocuments, ShopDocuments, DemoShop]:
    owner, ids = demo
    return owner, _replica_of(owner, "device-b"), ids


def test_same_barcode_on_two_tills(pair: tuple[ShopDocuments, ShopDocuments, DemoShop]) -> None:
    a, b, ids = pair
    code = "3256540001305"
    pa = a.catalogue.create_product(
        name="Madeleines", price=290, vat=ids.vat_rates[550], barcode=code
    )
    pb = b.catalogue.create_product(
        name="Madeleine x6", price=300, vat=ids.vat_rates[550], barcode=code
    )
    _merge(a, b)
    expected = DuplicateBarcode(code, tuple(sorted([pa.entry_id, pb.entry_id])))
    assert a.conflicts() == b.conflicts() == [expected]
    assert len(a.catalogue.find_by_barcode(code)) == 2

    with pytest.raises(ValidationError):
        resolve_duplicate_barcode(a.catalogue, expected, keep="someone-else")
    summary = resolve_duplicate_barcode(a.catalogue, expected, keep=pa.entry_id)
    assert summary.changed_ids(EntryKind.PRODUCT) == {pb.entry_id}
    assert a.conflicts() == []
    assert a.catalogue.product(pb.entry_id).barcode == ""
    _merge(a, b)
    assert b.conflicts() == []


def test_duplicate_resolved_by_archiving(
    pair: tuple[ShopDocuments, ShopDocuments, DemoShop],
) -> None:
    a, b, ids = pair
    pa = a.catalogue.create_product(name="X", price=1, vat=ids.vat_rates[550], barcode="96385074")
    b.catalogue.create_product(name="Y", price=1, vat=ids.vat_rates[550], barcode="96385074")
    _merge(a, b)
    assert isinstance(a.conflicts()[0], DuplicateBarcode)
    a.catalogue.archive_product(pa.entry_id)
    assert a.conflicts() == []


def test_product_moved_into_a_category_archived_meanwhile(
    pair: tuple[ShopDocuments, ShopDocuments, DemoShop],
) -> None:
    a, b, ids = pair
    cat = a.catalogue.create_category(name="Été").entry_id
    _merge(a, b)
    croissant = ids.products["Croissant"]
    b.catalogue.update_product(croissant, category=cat)  # valid on b
    a.catalogue.archive_category(cat)  # valid on a: empty there
    _merge(a, b)
    expected = [ProductInArchivedCategory(croissant, cat)]
    assert a.conflicts() == b.conflicts() == expected
    assert "move the product" in expected[0].fix
    a.catalogue.restore_category(cat)
    assert a.conflicts() == []


def test_product_whose_vat_rate_was_archived(
    pair: tuple[ShopDocuments, ShopDocuments, DemoShop],
) -> None:
    a, b, ids = pair
    rate = ids.vat_rates[2000]
    a.settings.archive(EntryKind.VAT_RATE, rate)  # the law changed
    _merge(a, b)
    sweets = sorted(p.id for p in b.catalogue.products() if p.vat == rate)
    found = b.conflicts()
    assert found == [ProductWithInvalidVat(pid, rate, VatProblem.ARCHIVED) for pid in sweets]
    new_rate = a.settings.create_vat_rate(name="TVA 21 %", rate_bp=2100).entry_id
    _merge(a, b)
    for pid in sweets:
        b.catalogue.update_product(pid, vat=new_rate)
    assert b.conflicts() == []


def test_unknown_vat_and_category_written_by_another_client(shop: ShopDocuments) -> None:
    products = shop.catalogue.doc.get("products", type=Map)
    products["foreign"] = Map(
        {"name": "Étrange", "price": 100, "vat": "nope", "category": "nowhere", "archived": False}
    )
    assert shop.conflicts() == [
        ProductInArchivedCategory("foreign", "nowhere"),
        ProductWithInvalidVat("foreign", "nope", VatProblem.UNKNOWN),
    ]


def test_malformed_entries_are_listed_not_sold(shop: ShopDocuments) -> None:
    doc = shop.catalogue.doc
    products = doc.get("products", type=Map)
    products["half-price"] = Map({"name": "Bad", "price": 12.5, "vat": "x"})
    products["text-price"] = Map({"name": "Bad", "price": "12", "vat": "x"})
    products["no-vat"] = Map({"name": "Bad", "price": 12})
    products["flat"] = "not a map"
    tills = shop.settings.doc.get("tills", type=Map)
    tills["t"] = Map({"name": "T", "number": "one"})
    customers = shop.customers.doc.get("customers", type=Map)
    customers["c"] = Map({"first_name": 5})
    found = {
        (c.entry_id, c.field, c.code) for c in shop.conflicts() if isinstance(c, MalformedEntry)
    }
    assert found == {
        ("half-price", "price", "money.fraction"),
        ("text-price", "price", "money.type"),
        ("no-vat", "vat", "field.missing"),
        ("flat", "entry", "entry.type"),
        ("t", "number", "field.type"),
        ("c", "first_name", "field.type"),
    }
    listed = {p.id for p in shop.catalogue.products(include_archived=True)}
    assert listed.isdisjoint({"half-price", "text-price", "no-vat", "flat"})
    with pytest.raises(ValidationError) as info:
        shop.catalogue.product("half-price")
    assert info.value.code == "money.fraction"
    # fixing the field makes the product readable again
    products["half-price"]["price"] = 1250
    assert shop.catalogue.product("half-price").price == 1250
    assert find_conflicts(shop.catalogue) != []  # the others remain
