"""Counters through the relay: contributions two tills make at once all count."""

from __future__ import annotations

from pathlib import Path

from sync_harness import Shop, Till, eventually

from app.core.sync import LinkState
from crdt_models.documents import EntryKind, ShopDocuments


def _stock(till: Till, product: str) -> int:
    with till.owner.lock:
        assert till.shop is not None
        return till.shop.inventory.value(EntryKind.STOCK, product)


def test_first_sales_of_a_product_on_two_tills_at_once_both_count(
    shop: Shop, tmp_path: Path
) -> None:
    """Each till creates the product's stock entry offline; Yjs keeps one of the two
    nested Maps, and the till whose Map lost writes its contribution back."""
    a = Till.open(tmp_path / "a", shop.relay, shop.till_a.licence_key, with_shop=True)
    b = Till.open(tmp_path / "b", shop.relay, shop.till_b.licence_key, with_shop=True)
    try:
        for till in (a, b):
            till.wait(lambda s: s.online, "online")
        shop.relay.kill()
        for till in (a, b):
            eventually(lambda t=till: t.engine.status.state is not LinkState.ONLINE, what="off")
            with till.owner.lock:
                docs: ShopDocuments | None = till.shop
                assert docs is not None
                docs.inventory.add(EntryKind.STOCK, "new-product", -1)
        shop.relay.start()
        for till in (a, b):
            eventually(lambda t=till: _stock(t, "new-product") == -2, what="both sales count")
    finally:
        a.close()
        b.close()
