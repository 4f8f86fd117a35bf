"""LAN nodes on 127.0.0.1: documents and journals flow, records are carried and forwarded."""

from __future__ import annotations

from typing import Any

from pycrdt import Doc, Map

from app.core.lan import LanNode
from crdt_models.journal import verify_chain
from tests.app.core.lan.lan_harness import Shop, on_loop, until
from tests.app.core.store_samples import make_sale_body


def app_catalogue(node: LanNode) -> tuple[Doc[Any], Map[Any]]:
    """The 'app' side: a Doc attached to the node, edited like the UI would."""
    doc: Doc[Any] = Doc()
    items = doc.get("test_items", type=Map)
    node.attach({"catalogue": doc}, on_loop)
    return doc, items


def linked(a: LanNode, b: LanNode) -> bool:
    return b.instance_id in a.status.peers and a.instance_id in b.status.peers


async def test_edits_flow_both_ways_and_are_stored(shop: Shop) -> None:
    a, b = await shop.node(shop.store("a")), await shop.node(shop.store("b"))
    _, items_a = app_catalogue(a)
    _, items_b = app_catalogue(b)
    a.connect_to("127.0.0.1", b.port)
    await until(lambda: linked(a, b))
    items_a["espresso"] = "2.10"
    await until(lambda: items_b.get("espresso") == "2.10")
    items_b["tea"] = "1.80"
    await until(lambda: items_a.get("tea") == "1.80")
    stored = b.store.load_doc("catalogue").get("test_items", type=Map)
    assert stored.get("espresso") == "2.10" and stored.get("tea") == "1.80"


async def test_the_app_hears_after_each_peer_update(shop: Shop) -> None:
    a, b = await shop.node(shop.store("a")), await shop.node(shop.store("b"))
    _, items_a = app_catalogue(a)
    doc_b: Doc[Any] = Doc()
    items_b = doc_b.get("test_items", type=Map)
    settled: list[str] = []
    b.attach({"catalogue": doc_b}, on_loop, after_remote=settled.append)
    a.connect_to("127.0.0.1", b.port)
    items_a["espresso"] = "2.10"
    await until(lambda: items_b.get("espresso") == "2.10" and "catalogue" in settled)


async def test_offline_edits_meet_when_peers_connect(shop: Shop) -> None:
    a, b = await shop.node(shop.store("a")), await shop.node(shop.store("b"))
    _, items_a = app_catalogue(a)
    _, items_b = app_catalogue(b)
    items_a["made on a"] = "1"
    items_b["made on b"] = "2"
    a.connect_to("127.0.0.1", b.port)
    await until(lambda: len(items_a) == 2 and len(items_b) == 2)


async def test_sales_are_carried_and_forwarded_through_a_middle_peer(shop: Shop) -> None:
    a, b, c = [await shop.node(shop.store(n)) for n in "abc"]
    a.connect_to("127.0.0.1", b.port)
    c.connect_to("127.0.0.1", b.port)  # a and c never meet
    await until(lambda: linked(a, b) and linked(b, c))
    for _ in range(3):
        a.store.validate_sale(make_sale_body)
    a.journal_changed()
    till_a = a.store.identity.till_id

    def c_holds_all() -> bool:
        return len(c.store.records(till_id=till_a)) == 3

    await until(c_holds_all)
    records = c.store.records(till_id=till_a)
    assert verify_chain(records, a.store.identity.public_key).ok
    assert c.keys.get(till_a) == a.store.identity.public_key  # learned through b


async def test_a_peer_that_restarts_is_reconnected_and_catches_up(shop: Shop) -> None:
    a, b = await shop.node(shop.store("a")), await shop.node(shop.store("b"))
    a.connect_to("127.0.0.1", b.port)
    await until(lambda: linked(a, b))
    await b.stop()
    shop.nodes.remove(b)
    await until(lambda: not a.status.peers)
    a.store.validate_sale(make_sale_body)
    a.journal_changed()
    b2 = await shop.node(b.store)
    a.connect_to("127.0.0.1", b2.port)
    await until(lambda: len(b2.store.records(till_id=a.store.identity.till_id)) == 1)
