"""A till's login against a real relay: token, identity and LAN secret stored; clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_harness import TILL_PASSWORD, Shop, free_port, sale_body

from app.core.store import DeviceStore
from app.core.sync import (
    LoginRefusedError,
    RelayUnreachableError,
    UnacknowledgedSalesError,
    ensure_may_forget,
    logout,
    provision,
)


def test_login_stores_token_till_identity_and_lan_secret(shop: Shop, tmp_path: Path) -> None:
    with DeviceStore.open(tmp_path / "till") as store:
        device_id = store.identity.device_id
        result = provision(store, shop.relay.url, shop.till_a.licence_key, TILL_PASSWORD)

        identity = store.identity
        assert result.till_id == shop.till_a.id == identity.till_id
        assert result.shop_id == shop.till_a.shop_id == identity.shop_id
        assert result.till_name == "A1" and result.till_number == shop.till_a.number
        assert identity.relay_url == shop.relay.url
        assert identity.relay_token and len(identity.relay_token) >= 32
        assert identity.lan_secret is not None and len(identity.lan_secret) == 32
        assert identity.device_id == device_id
        # The first sale is recorded under the till id the relay gave.
        assert store.validate_sale(sale_body).till_id == shop.till_a.id

    with DeviceStore.open(tmp_path / "till") as reopened:
        assert reopened.identity.till_id == shop.till_a.id
        assert reopened.identity.relay_token == identity.relay_token


def test_wrong_password_is_refused_clearly_and_stores_nothing(shop: Shop, tmp_path: Path) -> None:
    with DeviceStore.open(tmp_path / "till") as store:
        before = store.identity
        with pytest.raises(LoginRefusedError) as refused:
            provision(store, shop.relay.url, shop.till_a.licence_key, "not the password")
        assert refused.value.code == "auth.failed"
        assert "refused the login" in str(refused.value)
        assert "password" in str(refused.value)
        assert store.identity == before
        assert store.identity.relay_token is None


def test_unreachable_relay_is_reported(tmp_path: Path) -> None:
    with DeviceStore.open(tmp_path / "till") as store:
        url = f"ws://127.0.0.1:{free_port()}/"
        with pytest.raises(RelayUnreachableError) as unreachable:
            provision(store, url, "LICENCE", "pw")
        assert "could not be reached" in str(unreachable.value)
        assert store.identity.relay_token is None


def test_logout_refused_while_sales_are_unacknowledged(shop: Shop, tmp_path: Path) -> None:
    with DeviceStore.open(tmp_path / "till") as store:
        provision(store, shop.relay.url, shop.till_a.licence_key, TILL_PASSWORD)
        store.validate_sale(sale_body)
        store.validate_sale(sale_body)

        with pytest.raises(UnacknowledgedSalesError) as refused:
            logout(store)
        assert refused.value.count == 2
        assert store.identity.relay_token is not None

        store.record_journal_ack("relay", shop.till_a.id, "sales", 2)
        ensure_may_forget(store)  # everything acknowledged: allowed
        logout(store)
        assert store.identity.relay_token is None
        assert len(store.records()) == 2  # nothing purged


def test_forced_logout_keeps_the_journal(shop: Shop, tmp_path: Path) -> None:
    with DeviceStore.open(tmp_path / "till") as store:
        provision(store, shop.relay.url, shop.till_a.licence_key, TILL_PASSWORD)
        store.validate_sale(sale_body)
        logout(store, force=True)
        assert store.identity.relay_token is None
        assert [r.seq for r in store.records()] == [1]
