"""Journal replication through a real relay: exactly once from two peers, heads, statistics."""

from __future__ import annotations

from typing import Any

from relay_client import NativeClient, eventually
from relay_journal_records import SALE_TOTAL, sales
from relay_process import TILL_PASSWORD, RunningRelay

from crdt_models.journal import generate_signing_key, public_key_of
from crdt_models.sync import (
    ChainPosition,
    ControlResponded,
    JournalAckReceived,
    JournalHeadsReceived,
)
from relay_server.storage import open_storage


async def login(relay: RunningRelay, licence: str, key: bytes) -> NativeClient:
    auth: dict[str, Any] = {
        "method": "till",
        "licence": licence,
        "password": TILL_PASSWORD,
        "public_key": public_key_of(key).hex(),
    }
    client = await NativeClient.connect(relay.url, auth)
    await client.authenticated()
    return client


async def ask(client: NativeClient, name: str, payload: dict[str, Any]) -> ControlResponded:
    request_id = client.session.send_control_request(name, payload)
    await client.flush()

    def answer() -> list[ControlResponded]:
        return [
            e
            for e in client.events
            if isinstance(e, ControlResponded) and e.request_id == request_id
        ]

    await eventually(lambda: bool(answer()))
    return answer()[0]


def acks(client: NativeClient) -> list[JournalAckReceived]:
    return [e for e in client.events if isinstance(e, JournalAckReceived)]


async def test_records_from_two_peers_are_stored_once_and_counted(relay: RunningRelay) -> None:
    key1, key2 = generate_signing_key(), generate_signing_key()
    till1 = await login(relay, relay.till_a1.licence_key, key1)
    till2 = await login(relay, relay.till_a2.licence_key, key2)
    await eventually(lambda: any(isinstance(e, JournalHeadsReceived) for e in till1.events))
    records = [r.to_json_line() for r in sales(relay.till_a1.id, 1, key1, 4)]

    # Till 2 carries till 1's records (store and forward) while till 1 sends them itself.
    till1.session.send_journal_records(records)
    till2.session.send_journal_records(records[:2])
    till2.session.send_journal_records(records)
    await till1.flush()
    await till2.flush()
    head = ChainPosition(relay.till_a1.id, "sales", 4)
    await eventually(lambda: any(head in a.acked for a in acks(till1)))
    await eventually(lambda: len(acks(till2)) == 2 and head in acks(till2)[-1].acked)
    assert not any(a.rejected for a in acks(till1) + acks(till2))

    storage = open_storage(relay.db_url)
    try:
        assert storage.journal.count(relay.till_a1.id, "sales") == 4
    finally:
        storage.close()

    # Before its closing, the till asks whether the relay holds everything up to its head.
    for seq, complete in ((4, True), (5, False)):
        status = await ask(till1, "closing_check", {"till_id": relay.till_a1.id, "seq": seq})
        assert status.ok and status.payload["held"] == 4
        assert status.payload["complete"] is complete
    for bad_seq in (-1, True, "4", None):
        bad = {"till_id": relay.till_a1.id, "seq": bad_seq}
        assert not (await ask(till1, "closing_check", bad)).ok, bad_seq

    # A reconnecting device learns the relay's heads at once.
    again = await login(relay, relay.till_a1.licence_key, key1)
    await eventually(
        lambda: any(isinstance(e, JournalHeadsReceived) and head in e.heads for e in again.events)
    )

    owner = await NativeClient.connect(relay.url, {"method": "token", "token": relay.shop_a.token})
    await owner.authenticated()
    request = owner.session.send_control_request("stats", {"day": "2024-03-05"})
    await owner.flush()
    await eventually(lambda: any(isinstance(e, ControlResponded) for e in owner.events))
    (answer,) = [e for e in owner.events if isinstance(e, ControlResponded)]
    assert answer.request_id == request and answer.ok
    assert answer.payload["total"] == 4 * SALE_TOTAL
    assert answer.payload["by_method"] == {"card": 4 * SALE_TOTAL}
    month = {"from": "2024-03-01", "to": "2024-03-31"}
    best = await ask(owner, "stats", {**month, "top": 1})
    assert best.ok and best.payload["by_product"] == {
        "p1": {"name": "Croissant", "quantity": 8000, "total": 4 * 240}
    }
    for bad in ({"from": "2024-03-06", "to": "2024-03-05"}, {**month, "top": 0}, {"day": "3/5"}):
        assert not (await ask(owner, "stats", bad)).ok, bad

    refused = till1.session.send_control_request("stats", {"day": "2024-03-05"})
    await till1.flush()
    await eventually(
        lambda: any(
            isinstance(e, ControlResponded) and e.request_id == refused for e in till1.events
        )
    )
    assert not next(
        e for e in till1.events if isinstance(e, ControlResponded) and e.request_id == refused
    ).ok
    for client in (till1, till2, again, owner):
        await client.close()


async def test_records_of_another_shop_are_refused(relay: RunningRelay) -> None:
    key_b = generate_signing_key()
    till_b = await login(relay, relay.till_b1.licence_key, key_b)
    await till_b.close()
    key_a = generate_signing_key()
    till_a = await login(relay, relay.till_a1.licence_key, key_a)
    till_a.session.send_journal_records(
        [r.to_json_line() for r in sales(relay.till_b1.id, 1, key_b, 1)]
    )
    await till_a.flush()
    await eventually(lambda: bool(acks(till_a)))
    (ack,) = acks(till_a)
    assert ack.acked == () and [r.code for r in ack.rejected] == ["journal.unknown_till"]
    await till_a.close()


async def test_the_owner_reads_a_tills_journal_page_by_page(relay: RunningRelay) -> None:
    key = generate_signing_key()
    till = await login(relay, relay.till_a1.licence_key, key)
    records = sales(relay.till_a1.id, 1, key, 5)
    till.session.send_journal_records([r.to_json_line() for r in records])
    await till.flush()
    head = ChainPosition(relay.till_a1.id, "sales", 5)
    await eventually(lambda: any(head in a.acked for a in acks(till)))

    owner = await NativeClient.connect(relay.url, {"method": "token", "token": relay.shop_a.token})
    await owner.authenticated()
    page = await ask(owner, "journal", {"till_id": relay.till_a1.id, "after": 2, "limit": 2})
    assert page.ok
    assert page.payload["public_key"] == public_key_of(key).hex()
    assert page.payload["head"] == {"seq": 5, "hash": records[-1].hash}
    lines: Any = page.payload["records"]
    assert [line.encode() for line in lines] == [r.to_json_line() for r in records[2:4]]

    # Tills may not read journals; nor may an owner read another shop's till, or ask too much.
    refused = await ask(till, "journal", {"till_id": relay.till_a1.id, "after": 0, "limit": 2})
    other = await ask(owner, "journal", {"till_id": relay.till_b1.id, "after": 0, "limit": 2})
    too_many = await ask(owner, "journal", {"till_id": relay.till_a1.id, "after": 0, "limit": 501})
    assert [r.ok for r in (refused, other, too_many)] == [False, False, False]
    assert other.payload == {"error": "no such till in this shop"}
    for client in (till, owner):
        await client.close()
