"""Reading a product: the direct way for well-typed fields gives exactly what the
checked readers give, and a malformed product the same problem, through either read
(the whole root as JSON at start-up, or one changed entry afterwards)."""

from __future__ import annotations

import gc
from math import isfinite
from typing import Any

import pytest
from pycrdt import Map

from crdt_models.documents import ShopDocuments
from crdt_models.documents.catalogue import Product, _checked_product, _product
from crdt_models.errors import ValidationError
from crdt_models.gc_pause import paused_gc
from crdt_models.money import MAX_CENTS


class Text(str):
    """A str subclass: not the exact type the direct way takes."""


GOOD: dict[str, Any] = {
    "name": "Café",
    "price": 250,
    "vat": "tva-20",
    "barcode": "3017620422003",
    "category": "drinks",
    "color": "#123456",
    "archived": False,
    "description": "Arabica",
}

#: One field changed (None: removed) from GOOD, well-typed or not.
VARIANTS: list[tuple[str, object]] = [
    *[(field, None) for field in GOOD],
    ("name", ""),
    ("name", 5),
    ("name", Text("Thé")),
    ("price", 0),
    ("price", -250),
    ("price", MAX_CENTS),
    ("price", -MAX_CENTS),
    ("price", MAX_CENTS + 1),
    ("price", -MAX_CENTS - 1),
    ("price", 250.0),
    ("price", 12.5),
    ("price", float("nan")),
    ("price", float("inf")),
    ("price", "250"),
    ("price", True),
    ("price", False),
    ("vat", ""),
    ("vat", 20),
    ("vat", Text("tva-5")),
    ("barcode", ""),
    ("barcode", 3017620422003),
    ("category", ""),
    ("category", 3),
    ("category", Text("food")),
    ("color", ""),
    ("color", ["#fff"]),
    ("archived", True),
    ("archived", 0),
    ("archived", 1),
    ("archived", "false"),
    ("description", ""),
    ("description", 7),
    ("description", {"text": "x"}),
]


def _fields(field: str, value: object) -> dict[str, Any]:
    fields = dict(GOOD)
    if value is None:
        del fields[field]
    else:
        fields[field] = value
    return fields


def _outcome(read: Any, raw: dict[str, Any]) -> Product | tuple[str, str, str]:
    try:
        product: Product = read("p1", raw)
    except ValidationError as exc:
        return exc.field, exc.code, str(exc)
    return product


@pytest.mark.parametrize(("field", "value"), VARIANTS, ids=repr)
def test_direct_read_is_the_checked_read(field: str, value: object) -> None:
    raw = _fields(field, value)
    expected = _outcome(_checked_product, raw)
    got = _outcome(_product, raw)
    assert got == expected
    if isinstance(expected, Product):
        assert [type(getattr(got, f)) for f in Product.__slots__] == [
            type(getattr(expected, f)) for f in Product.__slots__
        ]


def test_well_typed_product_reads_as_written() -> None:
    assert _product("p1", GOOD) == Product(
        id="p1",
        name="Café",
        price=250,
        vat="tva-20",
        barcode="3017620422003",
        category="drinks",
        color="#123456",
        archived=False,
        description="Arabica",
    )


def _readable_and_malformed(shop: ShopDocuments) -> tuple[dict[str, Product], dict[str, str]]:
    catalogue = shop.catalogue
    good = {i: p for i, p in catalogue.products_by_id().items() if i.startswith("v")}
    bad = {i: e.code for (_root, i), e in catalogue.malformed().items() if i.startswith("v")}
    return good, bad


def test_whole_root_and_changed_entries_read_alike(shop: ShopDocuments) -> None:
    """At start-up the root is read in one JSON pass; an entry changed later is read
    from its Map: every variant ends up readable or malformed the same either way."""
    # NaN and infinity are left out: JSON has no such numbers (the whole-root read sees null)
    variants = [(f, v) for f, v in VARIANTS if not (isinstance(v, float) and not isfinite(v))]
    rows = {f"v{n}": _fields(f, v) for n, (f, v) in enumerate(variants)}
    rows["flat"] = "not a map"  # type: ignore[assignment]

    def write(shop: ShopDocuments) -> None:
        products = shop.catalogue.doc.get("products", type=Map)
        with shop.catalogue.doc.transaction():
            for entry_id, fields in rows.items():
                products[entry_id] = Map(fields) if isinstance(fields, dict) else fields

    shop.catalogue.products()  # cache filled: what comes next is read entry by entry
    write(shop)
    by_entry = _readable_and_malformed(shop)
    assert shop.catalogue.malformed()[("products", "flat")].code == "entry.type"

    fresh = ShopDocuments.open("device-b")
    for name, doc in shop.docs.items():
        fresh.docs[name].apply_update(doc.get_update())
    whole = _readable_and_malformed(fresh)  # the first read: the whole root as JSON
    assert whole == by_entry
    assert fresh.catalogue.malformed()[("products", "flat")].code == "entry.type"
    good, bad = whole

    def at(field: str, value: object) -> str:
        return next(
            f"v{n}"
            for n, (f, v) in enumerate(variants)
            if f == field and type(v) is type(value) and v == value
        )

    assert good[at("name", None)].name == ""
    assert good[at("price", 250.0)].price == 250
    assert good[at("category", "")].category is None
    assert bad[at("price", 12.5)] == "money.fraction"
    assert bad[at("archived", 0)] == "field.type"
    assert bad[at("vat", None)] == "field.missing"
    assert len(good) + len(bad) == len(variants)


def test_paused_gc_restores_the_collector_as_it_was() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause leaves the outer one paused
        raise RuntimeError("a read that failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # not switched on by a pause
    finally:
        gc.enable()
