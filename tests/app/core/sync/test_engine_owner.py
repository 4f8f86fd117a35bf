"""A manager device: the owner's login, control requests over the engine's link, documents."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sync_harness import Shop, Till, eventually, product_name, set_product

from app.core.store import DeviceStore
from app.core.sync import LinkState, LoginRefusedError, RequestRefusedError, login_owner

OWNER_PASSWORD = "owner secret"


def test_owner_login_then_requests_and_documents(shop: Shop, tmp_path: Path) -> None:
    with DeviceStore.open(tmp_path / "manager") as store:
        own_id = store.identity.till_id
        result = asyncio.run(login_owner(store, shop.relay.url, "a@x.test", OWNER_PASSWORD))
        assert result.shop_id == shop.till_a.shop_id == store.identity.shop_id
        assert store.identity.till_id == own_id  # a manager keeps its own id
        assert store.identity.relay_token

    manager = Till.open(tmp_path / "manager")
    till = Till.open(tmp_path / "till", shop.relay, shop.till_a.licence_key)
    try:
        eventually(lambda: manager.engine.status.state is LinkState.ONLINE, what="online")
        whoami = manager.engine.request("whoami").result(30)
        assert whoami["role"] == "owner"
        tills = manager.engine.request("tills").result(30)
        listed = tills["tills"]
        assert isinstance(listed, list)
        assert {t["name"] for t in listed if isinstance(t, dict)} == {"A1", "A2"}
        with pytest.raises(RequestRefusedError, match="unknown request"):
            manager.engine.request("no such thing").result(30)
        eventually(lambda: till.engine.status.state is LinkState.ONLINE, what="till online")
        with pytest.raises(RequestRefusedError, match="only an owner"):
            till.engine.request("tills").result(30)

        manager.edit("settings", set_product("shop", "Chez Ada", 0))
        eventually(lambda: till.read("settings", product_name("shop")) == "Chez Ada", what="till")
    finally:
        manager.close()
        till.close()


def test_owner_login_with_a_wrong_password(shop: Shop, tmp_path: Path) -> None:
    with DeviceStore.open(tmp_path / "manager") as store:
        with pytest.raises(LoginRefusedError):
            asyncio.run(login_owner(store, shop.relay.url, "a@x.test", "wrong"))
        assert store.identity.relay_token is None
