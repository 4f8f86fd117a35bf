"""What tills report (software version, pending count) reaches their owner's till list,
through a real relay subprocess; stored on SQLite and PostgreSQL; migration r0003."""

from __future__ import annotations

import time
from typing import Any

from alembic import command
from relay_client import NativeClient, eventually
from relay_migrations import alembic_config, insert_old_shop
from relay_process import TILL_PASSWORD, RunningRelay
from sqlalchemy import create_engine, inspect, text

from crdt_models.sync import ControlResponded
from relay_server.storage import Storage, open_storage
from relay_server.storage.database import normalize_url


async def owner_of(relay: RunningRelay, token: str) -> NativeClient:
    client = await NativeClient.connect(relay.url, {"method": "token", "token": token})
    await client.authenticated()
    return client


async def till_login(relay: RunningRelay, licence: str) -> NativeClient:
    auth = {"method": "till", "licence": licence, "password": TILL_PASSWORD}
    client = await NativeClient.connect(relay.url, auth)
    await client.authenticated()
    return client


async def tills(owner: NativeClient) -> dict[str, dict[str, Any]]:
    """The owner's ``tills`` answer, by till id."""
    request_id = owner.session.send_control_request("tills", {})
    await owner.flush()

    def answer() -> list[ControlResponded]:
        responses = [e for e in owner.events if isinstance(e, ControlResponded)]
        return [e for e in responses if e.request_id == request_id]

    await eventually(lambda: bool(answer()))
    [response] = answer()
    assert response.ok, response.payload
    listed = response.payload["tills"]
    assert isinstance(listed, list)
    return {str(t["id"]): t for t in listed if isinstance(t, dict)}


async def until(owner: NativeClient, till_id: str, **expected: Any) -> dict[str, Any]:
    """Ask the till list again until the till shows ``expected``; return its entry."""
    seen: dict[str, Any] = {}
    for _ in range(500):
        seen = (await tills(owner))[till_id]
        if all(seen[key] == value for key, value in expected.items()):
            return seen
    raise AssertionError(f"till {till_id} never showed {expected}: {seen}")


async def test_a_till_report_reaches_its_owner_and_no_other(relay: RunningRelay) -> None:
    owner_a = await owner_of(relay, relay.shop_a.token)
    owner_b = await owner_of(relay, relay.shop_b.token)
    till_id = relay.till_a1.id
    try:
        never = (await tills(owner_a))[till_id]
        assert (never["version"], never["pending"], never["last_sync"]) == (None, None, None)
        assert never["online"] is False

        before = int(time.time())
        till = await till_login(relay, relay.till_a1.licence_key)
        assert till.auth is not None and till.auth["status_reports"] is True  # it takes them
        till.session.send_device_status("9.9.9-test", 7)
        await till.flush()
        seen = await until(owner_a, till_id, pending=7)
        assert (seen["version"], seen["online"]) == ("9.9.9-test", True)
        assert seen["last_sync"] >= before
        assert seen["name"] == "A1" and seen["number"] == relay.till_a1.number

        # The other shop's owner sees only its own till, which never reported.
        [b1] = (await tills(owner_b)).values()
        assert (b1["id"], b1["pending"], b1["online"]) == (relay.till_b1.id, None, False)

        # A manager's own report is not a till's: nothing changes.
        owner_a.session.send_device_status("0.0.1", 99)
        await owner_a.flush()
        till.session.send_device_status("9.9.9-test", 0)
        await till.flush()
        acked = await until(owner_a, till_id, pending=0)
        assert acked["last_sync"] >= seen["last_sync"]
        assert [t["pending"] for t in (await tills(owner_a)).values()] == [0, None]

        await till.close()
        gone = await until(owner_a, till_id, online=False)
        assert (gone["version"], gone["pending"]) == ("9.9.9-test", 0)
    finally:
        await owner_a.close()
        await owner_b.close()


async def test_a_malformed_report_closes_only_its_sender(relay: RunningRelay) -> None:
    owner = await owner_of(relay, relay.shop_a.token)
    try:
        for bad in (
            b"\x09\x00\x00",  # empty version
            b"\x09\x02a\n\x00",  # not printable
            b"\x09\x41" + b"1" * 65 + b"\x00",  # too long
            b"\x09\x011",  # no pending count
            b"\x09\x011\xff\xff\xff\xff\xff\xff\xff\xff\x01",  # pending count out of range
        ):
            till = await till_login(relay, relay.till_a2.licence_key)
            await till.send_raw(bad)
            assert await till.close_code() == 1002
            await till.close()
        listed = await tills(owner)
        assert listed[relay.till_a2.id]["version"] is None
        good = await till_login(relay, relay.till_a2.licence_key)
        good.session.send_device_status("1.0", 2**53 - 1)
        await good.flush()
        assert (await until(owner, relay.till_a2.id, pending=2**53 - 1))["version"] == "1.0"
        await good.close()
    finally:
        await owner.close()


def _add_shop_and_till(storage: Storage) -> str:
    shop = storage.accounts.create_shop("Status shop")
    return storage.accounts.add_till(shop.id, "T1", "KEY-1", None).id


def test_reports_are_kept_per_till_and_connection(storage: Storage) -> None:
    till_id = _add_shop_and_till(storage)
    shop_id = storage.accounts.till(till_id).shop_id
    assert storage.accounts.till_statuses(shop_id) == {}
    storage.accounts.record_till_status(till_id, "0.1.0", 3, 1_800_000_000)
    storage.accounts.record_till_status(till_id, "0.2.0", 0, 1_800_000_060)
    [status] = storage.accounts.till_statuses(shop_id).values()
    assert (status.version, status.pending, status.reported_at, status.connected) == (
        "0.2.0",
        0,
        1_800_000_060,
        True,
    )
    storage.accounts.till_disconnected(till_id)
    assert not storage.accounts.till_statuses(shop_id)[till_id].connected
    other = storage.accounts.create_shop("Other shop")
    assert storage.accounts.till_statuses(other.id) == {}


def test_r0003_upgrades_a_database_at_r0002_and_downgrades(db_url: str) -> None:
    engine = create_engine(normalize_url(db_url))
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "r0002")
            insert_old_shop(connection, "s1", "t1")
            assert "till_status" not in inspect(connection).get_table_names()
        storage = open_storage(db_url)  # upgrades to the head, r0003
        try:
            with storage.session() as session:
                assert session.scalar(text("SELECT version_num FROM alembic_version")) == "r0003"
            assert storage.accounts.tills("s1")[0].name == "Old till"
            storage.accounts.record_till_status("t1", "0.1.0", 4, 1_800_000_000)
            assert storage.accounts.till_statuses("s1")["t1"].pending == 4
        finally:
            storage.close()
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "r0002")
            assert "till_status" not in inspect(connection).get_table_names()
            assert "day_totals" in inspect(connection).get_table_names()
    finally:
        engine.dispose()
