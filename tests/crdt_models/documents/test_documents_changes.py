"""Change summaries and origins, for local writes and for updates from peers."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from pycrdt import Doc

from crdt_models.documents import (
    LOCAL,
    RELAY,
    ChangeSummary,
    DemoShop,
    EntryKind,
    EntryRef,
    Origin,
    OriginKind,
    ShopDocuments,
    build_demo_shop,
)
from crdt_models.documents.schema import CATALOGUE

P = EntryKind.PRODUCT


def _replica_of(shop: ShopDocuments, device: str) -> ShopDocuments:
    other = ShopDocuments.open(device)
    for name, doc in shop.docs.items():
        other.docs[name].apply_update(doc.get_update())
    return other


def _sync(source: Doc[Any], target: Doc[Any], origin: Origin) -> None:
    """Send what ``target`` lacks, as the sync engine does, tagged with ``origin``."""
    update = source.get_update(target.get_state())
    with target.transaction(origin=origin):
        target.apply_update(update)


def test_origin_rules() -> None:
    peer = Origin.lan_peer("till-2")
    assert peer.kind is OriginKind.LAN_PEER and peer.peer_id == "till-2"
    assert peer.is_remote and not peer.is_local
    assert LOCAL.is_local and not LOCAL.is_remote and RELAY.is_remote
    assert peer == Origin.lan_peer("till-2") and hash(peer) == hash(Origin.lan_peer("till-2"))
    with pytest.raises(ValueError):
        Origin(OriginKind.LAN_PEER)
    with pytest.raises(ValueError):
        Origin(OriginKind.RELAY, "x")


def test_create_update_archive_restore_summaries(shop: ShopDocuments, ids: DemoShop) -> None:
    catalogue = shop.catalogue
    created = catalogue.create_product(name="Tarte", price=500, vat=ids.vat_rates[550])
    pid = created.entry_id
    assert created.changes.added == {EntryRef(P, pid)}
    assert created.changes.changed == frozenset()
    assert created.changes.origin == LOCAL

    peer = Origin.lan_peer("till-9")
    changed = catalogue.update_product(pid, price=550, origin=peer)
    assert changed.origin == peer
    assert changed.changed_ids(P) == {pid} and not changed.added
    assert changed.ids(P) == {pid} and not changed.touches(EntryKind.CATEGORY)

    archived = catalogue.archive_product(pid)
    assert archived.archived_ids(P) == {pid} and archived.changed_ids(P) == {pid}
    assert catalogue.product(pid).archived
    assert pid not in {p.id for p in catalogue.products()}
    assert pid in {p.id for p in catalogue.products(include_archived=True)}

    restored = catalogue.restore_product(pid)
    assert restored.restored_ids(P) == {pid} and not restored.archived
    assert not catalogue.product(pid).archived


def test_writing_nothing_new_writes_nothing(shop: ShopDocuments, ids: DemoShop) -> None:
    pid = ids.products["Croissant"]
    before = shop.catalogue.doc.get_state()
    product = shop.catalogue.product(pid)
    summary = shop.catalogue.update_product(pid, name=product.name, price=product.price)
    assert summary.is_empty and summary == ChangeSummary(origin=LOCAL, raw_origin=LOCAL)
    assert shop.catalogue.doc.get_state() == before
    shop.catalogue.archive_product(pid)
    state = shop.catalogue.doc.get_state()
    assert shop.catalogue.archive_product(pid).is_empty
    assert shop.catalogue.doc.get_state() == state


def test_summaries_merge_with_or() -> None:
    a = EntryRef(P, "a")
    first = ChangeSummary(LOCAL, added=frozenset({a}), archived=frozenset({a}))
    second = ChangeSummary(LOCAL, changed=frozenset({a}), restored=frozenset({a}))
    both = first | second
    assert both.added == {a} and both.changed == frozenset()
    assert both.restored == {a} and both.archived == frozenset()
    assert both.origin == LOCAL
    assert (first | ChangeSummary(RELAY)).origin is None


def test_remote_updates_give_summaries_with_their_origin(
    demo: tuple[ShopDocuments, DemoShop],
) -> None:
    owner, ids = demo
    till = _replica_of(owner, "device-b")
    received: list[ChangeSummary] = []
    till.catalogue.tracker.subscribe(received.append)
    assert till.catalogue.products_by_id().keys() == owner.catalogue.products_by_id().keys()

    croissant, coca = ids.products["Croissant"], ids.products["Coca-Cola 33 cl"]
    new = owner.catalogue.create_product(name="Cookie", price=200, vat=ids.vat_rates[550])
    owner.catalogue.update_product(croissant, price=130)
    owner.catalogue.archive_product(coca)
    cat = owner.catalogue.create_category(name="Glaces")
    _sync(owner.catalogue.doc, till.catalogue.doc, Origin.lan_peer("device-a"))

    assert len(received) == 1  # one summary per transaction, however many roots it touched
    summary = received[0]
    assert summary.origin == Origin.lan_peer("device-a")
    assert summary.added_ids(P) == {new.entry_id}
    assert summary.added_ids(EntryKind.CATEGORY) == {cat.entry_id}
    assert summary.changed_ids(P) == {croissant, coca}
    assert summary.archived_ids(P) == {coca}
    # the till's cached reads follow
    assert till.catalogue.product(croissant).price == 130
    assert till.catalogue.product(coca).archived
    assert till.catalogue.product(new.entry_id).name == "Cookie"

    _sync(owner.catalogue.doc, till.catalogue.doc, RELAY)  # nothing new: no summary
    assert len(received) == 1
    assert not summary.is_local and created_locally(till, ids).is_local

    class SessionOrigin:  # any hashable origin another layer uses comes through as is
        pass

    session = SessionOrigin()
    owner.catalogue.update_product(croissant, price=140)
    with till.catalogue.doc.transaction(origin=session):
        till.catalogue.doc.apply_update(
            owner.catalogue.doc.get_update(till.catalogue.doc.get_state())
        )
    assert received[-1].raw_origin is session and received[-1].origin is None
    assert received[-1].changed_ids(P) == {croissant}

    owner.catalogue.restore_product(coca)
    plain: Doc[Any] = Doc()  # an update applied without an origin still yields a summary
    plain.apply_update(owner.catalogue.doc.get_update())
    till.catalogue.doc.apply_update(plain.get_update(till.catalogue.doc.get_state()))
    assert received[-1].origin is None and received[-1].restored_ids(P) == {coca}


def test_settings_and_inventory_summaries(empty_shop: ShopDocuments) -> None:
    summary = empty_shop.settings.update_shop(name="Chez Paul", receipt_footer="Merci")
    assert summary.ids(EntryKind.SHOP) == {"shop"}
    rate = empty_shop.settings.create_vat_rate(name="TVA 20", rate_bp=2000)
    assert rate.changes.added_ids(EntryKind.VAT_RATE) == {rate.entry_id}
    stock = empty_shop.inventory.add(EntryKind.STOCK, "p1", 3)
    assert stock.added_ids(EntryKind.STOCK) == {"p1"}
    again = empty_shop.inventory.add(EntryKind.STOCK, "p1", -1)
    assert again.changed_ids(EntryKind.STOCK) == {"p1"}


def test_a_failing_listener_is_logged_and_does_not_break_writes(
    shop: ShopDocuments, ids: DemoShop, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(_summary: ChangeSummary) -> None:
        raise RuntimeError("view bug")

    seen: list[ChangeSummary] = []
    shop.catalogue.tracker.subscribe(broken)
    unsubscribe = shop.catalogue.tracker.subscribe(seen.append)
    with caplog.at_level(logging.ERROR):
        shop.catalogue.update_product(ids.products["Croissant"], price=125)
    assert "view bug" in caplog.text
    assert len(seen) == 1
    unsubscribe()
    shop.catalogue.update_product(ids.products["Croissant"], price=126)
    assert len(seen) == 1


def created_locally(shop: ShopDocuments, ids: DemoShop) -> ChangeSummary:
    return shop.catalogue.create_product(name="Local", price=1, vat=ids.vat_rates[550]).changes


def test_untouched_fields_survive_concurrent_edits(demo: tuple[ShopDocuments, DemoShop]) -> None:
    """A form that re-submits every field must not overwrite a peer's concurrent change."""
    owner, ids = demo
    till = _replica_of(owner, "device-b")
    pid = ids.products["Croissant"]
    owner.catalogue.update_product(pid, price=135)
    old = till.catalogue.product(pid)
    till.catalogue.update_product(pid, name="Croissant au beurre", price=old.price)
    _sync(owner.catalogue.doc, till.catalogue.doc, RELAY)
    _sync(till.catalogue.doc, owner.catalogue.doc, RELAY)
    for side in (owner, till):
        product = side.catalogue.product(pid)
        assert (product.name, product.price) == ("Croissant au beurre", 135)


def test_demo_shop_contents(demo: tuple[ShopDocuments, DemoShop]) -> None:
    shop, ids = demo
    products = shop.catalogue.products()
    assert 35 <= len(products) <= 45
    assert {r.rate_bp for r in shop.settings.vat_rates()} == {550, 1000, 2000}
    barcodes = [p.barcode for p in products if p.barcode]
    assert len(barcodes) >= 15 and len(set(barcodes)) == len(barcodes)
    assert all(len(code) == 13 for code in barcodes)
    assert shop.conflicts() == []
    assert shop.settings.shop().name == "Boulangerie du Canal"
    assert len(shop.settings.tills()) == 2 and len(shop.settings.payment_methods()) == 4
    assert shop.catalogue.categories()[0].name == "Viennoiseries"
    assert set(ids.products.values()) == {p.id for p in products}
    other = ShopDocuments.open("device-z")
    build_demo_shop(other)
    assert len(other.docs[CATALOGUE].get_update()) > 1000


def test_cached_reads_follow_large_batches_and_archives(shop: ShopDocuments, ids: DemoShop) -> None:
    from crdt_models.documents import ProductSpec

    catalogue = shop.catalogue
    assert len(catalogue.find_by_barcode("5449000000996")) == 1  # builds the cache and index
    rate = ids.vat_rates[550]
    specs = [ProductSpec(f"Article {i}", 100 + i, rate, f"CODE-{i}") for i in range(2100)]
    new_ids, summary = catalogue.create_products(specs)
    assert summary.added_ids(P) == set(new_ids)
    by_id = catalogue.products_by_id()
    assert [by_id[i].name for i in new_ids[:3]] == ["Article 0", "Article 1", "Article 2"]
    assert catalogue.find_by_barcode("code-2099")[0].id == new_ids[-1]
    catalogue.archive_product(new_ids[-1])
    assert catalogue.find_by_barcode("CODE-2099") == []
    catalogue.restore_product(new_ids[-1])
    assert [p.id for p in catalogue.find_by_barcode("CODE-2099")] == [new_ids[-1]]


def test_edits_outside_the_schema_are_summarised_or_flagged(
    shop: ShopDocuments, ids: DemoShop, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pycrdt import Map, Text

    from crdt_models.documents.changes import ChangeTracker

    pid = ids.products["Croissant"]
    entry = shop.catalogue.doc.get("products", type=Map)[pid]
    entry["note"] = Text("hello")  # another client nests a Text in an entry
    seen: list[ChangeSummary] = []
    shop.catalogue.tracker.subscribe(seen.append)
    entry["note"] += " world"
    assert seen[-1].changed_ids(P) == {pid}

    def broken(*_args: object) -> None:
        raise RuntimeError("unexpected event shape")

    assert shop.catalogue.product(pid).price == 120  # the cache is warm
    monkeypatch.setattr(ChangeTracker, "_note", broken)
    other = _replica_of(shop, "device-b")
    other.catalogue.update_product(pid, price=150)
    shop.catalogue.doc.apply_update(other.catalogue.doc.get_update(shop.catalogue.doc.get_state()))
    assert seen[-1].incomplete and seen[-1].touches(EntryKind.CATEGORY)
    assert shop.catalogue.product(pid).price == 150  # the cache was dropped, not left stale


def test_remote_edits_in_order_are_summarised_exactly(
    demo: tuple[ShopDocuments, DemoShop],
) -> None:
    owner, ids = demo
    till = _replica_of(owner, "device-b")
    received: list[ChangeSummary] = []
    till.catalogue.tracker.subscribe(received.append)
    croissant = ids.products["Croissant"]
    owner.catalogue.update_product(croissant, price=130)  # overwrites a value: one deletion
    _sync(owner.catalogue.doc, till.catalogue.doc, RELAY)
    assert [s.incomplete for s in received] == [False]
    assert received[0].changed_ids(P) == {croissant}
