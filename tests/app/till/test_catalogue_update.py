"""The till's read model follows a manager's product edits one product at a time: after any
batch of additions, renames, category moves, archiving, restoring, barcode, price and
description changes (and a peer's raw writes: a deleted entry, a VAT rate gone, a shared
or unnormalised barcode), :meth:`TillCatalogue.update` leaves exactly what a catalogue
read afresh from the same documents shows, without re-reading everything."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pycrdt import Doc, Map

from app.till.catalogue import ALL_CATEGORY, REBUILD_BATCH, SearchField, TillCatalogue
from crdt_models.documents import RELAY, ChangeSummary, EntryKind, ProductSpec
from crdt_models.documents.demo import build_demo_shop
from crdt_models.documents.shop import ShopDocuments
from crdt_models.errors import DomainError

#: Barcodes the edits pick from, so that codes come and go and two products meet on one.
CODES = ("", "3017620422003", "5449000000996", "4006381333931", "9780201379624")
#: A UPC-A as a peer may have written it (a write here stores its EAN-13 form).
RAW_UPC = "036000291452"
NAMES = st.text(alphabet="aAbéÉeœŒ -", min_size=1, max_size=5)
SEARCHES = ("a", "e", "oe", "b", "ab", "", "3017", "5449", "0360")


@functools.cache
def _demo_updates() -> dict[str, bytes]:
    shop = ShopDocuments.open("demo")
    build_demo_shop(shop)
    return {name: doc.get_update() for name, doc in shop.docs.items()}


def demo_shop() -> ShopDocuments:
    """A fresh copy of the demo shop's documents (41 products in 8 categories)."""
    docs: dict[str, Doc[Any]] = {}
    for name, update in _demo_updates().items():
        doc: Doc[Any] = Doc()
        doc.apply_update(update)
        docs[name] = doc
    return ShopDocuments.open("till", docs)


def view(catalogue: TillCatalogue, shop: ShopDocuments) -> dict[str, object]:
    """Everything the selling screen can ask the read model."""
    categories = [ALL_CATEGORY] + [c.id for c in shop.catalogue.categories(include_archived=True)]
    codes = set(CODES) | {RAW_UPC} | {p.barcode for p in shop.catalogue.products_by_id().values()}
    return {
        "size": len(catalogue),
        "tabs": catalogue.categories,
        "lists": {c: list(catalogue.in_category(c)) for c in categories},
        "tiles": {i: catalogue.tile(i) for i in shop.catalogue.products_by_id()},
        "barcodes": {code: catalogue.by_barcode(code) for code in codes if code},
        "searches": {
            (text, category, field): catalogue.search(text, category, 1000, field)
            for text in SEARCHES
            for category in categories[:3]
            for field in (SearchField.NAME, SearchField.BARCODE)
        },
    }


def places(catalogue: TillCatalogue, shop: ShopDocuments) -> list[list[str]]:
    """The ids every list and search shows, in order."""
    shown = view(catalogue, shop)
    lists = [*shown["lists"].values(), *shown["searches"].values()]  # type: ignore[attr-defined]
    return [[t.id for t in tiles] for tiles in lists]


def descriptions(catalogue: TillCatalogue) -> dict[str, list[str]]:
    return {
        text: [t.id for t in catalogue.search(text, field=SearchField.DESCRIPTION, limit=1000)]
        for text in ("a", "beurre", "e b")
    }


class Editor:
    """Applies drawn edits as the manager (or a peer) would, noting the ids each
    transaction's summary names, as the till window does."""

    def __init__(self, shop: ShopDocuments) -> None:
        self.shop = shop
        self.catalogue = shop.catalogue
        self.ids: set[str] = set()
        self.vat = self.catalogue.products()[0].vat
        self.unsubscribe = self.catalogue.tracker.subscribe(self._note)

    def _note(self, summary: ChangeSummary) -> None:
        self.ids |= summary.ids(EntryKind.PRODUCT)

    def product(self, n: int) -> str:
        ids = sorted(self.catalogue.products_by_id())
        return ids[n % len(ids)]

    def category(self, n: int) -> str | None:
        categories = self.catalogue.categories()
        return None if n == len(categories) else categories[n % len(categories)].id

    def raw(self, product_id: str) -> Map[Any]:
        entry = self.catalogue.doc.get("products", type=Map)[product_id]
        assert isinstance(entry, Map)
        return entry

    def apply(self, edit: tuple[Any, ...]) -> None:
        kind, n, value = edit
        c = self.catalogue
        try:
            if kind == "add":
                name, cat, code, description = value
                c.create_product(
                    name=name,
                    price=100,
                    vat=self.vat,
                    barcode=CODES[code],
                    category=self.category(cat),
                    description=description,
                    origin=RELAY,
                )
            elif kind == "rename":
                c.update_product(self.product(n), name=value, origin=RELAY)
            elif kind == "move":
                c.update_product(self.product(n), category=self.category(value), origin=RELAY)
            elif kind == "archive":
                c.archive_product(self.product(n), origin=RELAY)
            elif kind == "restore":
                c.restore_product(self.product(n), origin=RELAY)
            elif kind == "barcode":
                c.update_product(self.product(n), barcode=CODES[value], origin=RELAY)
            elif kind == "price":
                c.update_product(self.product(n), price=value, origin=RELAY)
            elif kind == "description":
                c.update_product(self.product(n), description=value, origin=RELAY)
            elif kind == "peer barcode":  # a peer's concurrent write: codes may be shared
                self.raw(self.product(n))["barcode"] = (*CODES, RAW_UPC)[value]
            elif kind == "peer vat":  # a rate this till does not know
                self.raw(self.product(n))["vat"] = "no-such-rate"
            elif kind == "peer delete":
                del self.catalogue.doc.get("products", type=Map)[self.product(n)]
        except DomainError:
            pass  # refused as the manager's screen would refuse it: nothing written


EDITS = st.one_of(
    st.tuples(
        st.just("add"),
        st.just(0),
        st.tuples(NAMES, st.integers(0, 8), st.integers(0, len(CODES) - 1), NAMES),
    ),
    st.tuples(st.just("rename"), st.integers(0, 99), NAMES),
    st.tuples(st.just("move"), st.integers(0, 99), st.integers(0, 8)),
    st.tuples(
        st.sampled_from(["archive", "restore", "peer vat", "peer delete"]),
        st.integers(0, 99),
        st.just(0),
    ),
    st.tuples(st.just("barcode"), st.integers(0, 99), st.integers(0, len(CODES) - 1)),
    st.tuples(st.just("peer barcode"), st.integers(0, 99), st.integers(0, len(CODES))),
    st.tuples(st.just("price"), st.integers(0, 99), st.integers(0, 10_000)),
    st.tuples(st.just("description"), st.integers(0, 99), NAMES),
)


def count_calls(owner: object, method: str) -> list[bool]:
    """A list that grows by one at each call of ``owner.method`` (which still runs)."""
    calls: list[bool] = []
    real: Callable[[], None] = getattr(owner, method)

    def counting() -> None:
        calls.append(True)
        real()

    setattr(owner, method, counting)
    return calls


@settings(max_examples=150, deadline=None)
@given(
    batches=st.lists(st.lists(EDITS, min_size=1, max_size=8), min_size=1, max_size=4),
    search_descriptions=st.booleans(),
)
def test_any_batch_of_edits_leaves_what_a_fresh_read_shows(
    batches: list[list[tuple[Any, ...]]], search_descriptions: bool
) -> None:
    shop = demo_shop()
    till = TillCatalogue(shop.catalogue)
    if search_descriptions:
        descriptions(till)  # the description index is made: it must follow too
    refreshes = count_calls(till, "refresh")
    editor = Editor(shop)
    for batch in batches:
        for edit in batch:
            editor.apply(edit)
        before = places(till, shop)
        moved = till.update(editor.ids)
        editor.ids = set()
        fresh = TillCatalogue(shop.catalogue)
        assert view(till, shop) == view(fresh, shop)
        assert descriptions(till) == descriptions(fresh)
        if not moved:  # "nothing moved": every list and search shows the same products
            assert places(till, shop) == before
    assert refreshes == []  # a few products: placed one by one, never a re-read


def test_a_rename_moves_the_product_in_every_list_and_search() -> None:
    shop = demo_shop()
    till = TillCatalogue(shop.catalogue)
    refreshes = count_calls(till, "refresh")
    coca = till.by_barcode("5449000000996")
    assert coca is not None and coca.category
    shop.catalogue.update_product(coca.id, name="Zzz cola", origin=RELAY)
    assert till.update([coca.id])  # it moved
    assert till.in_category(coca.category)[-1].name == "Zzz cola"
    assert till.in_category(ALL_CATEGORY)[-1].name == "Zzz cola"
    assert [t.name for t in till.search("zzz")] == ["Zzz cola"]
    assert till.by_barcode("5449000000996") == till.tile(coca.id)
    assert refreshes == []


def test_a_price_change_is_in_place_and_a_large_import_is_read_again() -> None:
    shop = demo_shop()
    till = TillCatalogue(shop.catalogue)
    refreshes = count_calls(till, "refresh")
    coca = till.by_barcode("5449000000996")
    assert coca is not None
    shop.catalogue.update_product(coca.id, price=999, origin=RELAY)
    assert not till.update([coca.id])  # nothing moved: repaint the button
    assert till.in_category(coca.category)[0] is till.tile(coca.id)  # the list has it too
    assert refreshes == []
    vat = shop.catalogue.products()[0].vat
    specs = [ProductSpec(name=f"Import {i}", price=100, vat=vat) for i in range(REBUILD_BATCH + 1)]
    ids, _summary = shop.catalogue.create_products(specs, origin=RELAY)
    assert till.update(ids)
    assert refreshes == [True]  # past REBUILD_BATCH, sorting everything again is cheaper
    assert len(till) == len(TillCatalogue(shop.catalogue))


def test_an_unknown_product_id_changes_nothing() -> None:
    shop = demo_shop()
    till = TillCatalogue(shop.catalogue)
    before = view(till, shop)
    assert not till.update(["no-such-product"])
    assert view(till, shop) == before


@pytest.mark.parametrize("field", ["archive", "peer delete", "peer vat"])
def test_a_category_s_last_product_going_takes_its_tab(field: str) -> None:
    shop = demo_shop()
    till = TillCatalogue(shop.catalogue)
    editor = Editor(shop)
    tab = till.categories[0]
    for tile in till.in_category(tab.id):
        n = sorted(shop.catalogue.products_by_id()).index(tile.id)
        editor.apply((field, n, 0))
    assert till.update(editor.ids)
    assert tab not in till.categories and till.in_category(tab.id) == []
    assert view(till, shop) == view(TillCatalogue(shop.catalogue), shop)
