"""SyncSession, bytes in and bytes out: two (or three) sessions wired by a pump, no sockets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pycrdt import Doc, Map, YSyncMessageType

from crdt_models.sync import (
    AuthAccepted,
    AuthRejected,
    AuthRequested,
    ChainPosition,
    ControlRequested,
    ControlResponded,
    DeviceStatusFrame,
    DeviceStatusReceived,
    DocFrame,
    DocSynced,
    DocUpdated,
    ErrorFrame,
    Event,
    JournalAckReceived,
    JournalHeadsReceived,
    JournalRecordsReceived,
    PeerErrorEvent,
    PeerOrigin,
    ProtocolErrorEvent,
    RecordRejection,
    SessionStateError,
    SyncSession,
    UnknownDocumentError,
    WriteRefused,
    decode_frame,
    encode_frame,
)
from crdt_models.sync.guard import apply_unguarded

Docs = dict[str, Doc[Any]]
Pump = Callable[[SyncSession, SyncSession], tuple[list[Event], list[Event]]]
ShopDocs = Callable[[], Docs]
StateOf = Callable[[Docs], dict[str, tuple[bytes, bytes]]]


def products(docs: Docs) -> dict[str, Any]:
    return dict(docs["catalogue"]["products"].to_py())


def contents(docs: Docs) -> dict[str, dict[str, Any]]:
    return {name: {key: root.to_py() for key, root in doc.items()} for name, doc in docs.items()}


def of_type(events: list[Event], kind: type[Any]) -> list[Any]:
    return [event for event in events if isinstance(event, kind)]


def opened(docs: Docs, label: str, **kwargs: Any) -> SyncSession:
    session = SyncSession(origin=PeerOrigin(label))
    session.open(docs, **kwargs)
    return session


def test_two_sessions_sync_every_document_both_ways(shop_docs: ShopDocs, pump: Pump) -> None:
    docs_a, docs_b = shop_docs(), shop_docs()
    docs_a["catalogue"]["products"]["p1"] = Map({"name": "Tea", "price": 250})
    docs_a["customers"]["customers"]["c1"] = Map({"first_name": "Ada"})
    docs_b["catalogue"]["products"]["p2"] = Map({"name": "Coffee", "price": 300})
    docs_b["inventory"]["stock"]["p1"] = Map({"device-b": 4})
    a, b = opened(docs_a, "a"), opened(docs_b, "b")

    events_a, events_b = pump(a, b)

    assert (
        products(docs_a)
        == products(docs_b)
        == {
            "p1": {"name": "Tea", "price": 250.0},
            "p2": {"name": "Coffee", "price": 300.0},
        }
    )
    assert docs_a["customers"]["customers"].to_py() == {"c1": {"first_name": "Ada"}}
    assert docs_a["inventory"]["stock"].to_py() == {"p1": {"device-b": 4.0}}
    assert contents(docs_a) == contents(docs_b)
    for events, me in ((events_a, a), (events_b, b)):
        assert {e.doc for e in of_type(events, DocSynced)} == set(docs_a)
        assert all(e.origin is me.origin for e in of_type(events, DocUpdated))
    assert {e.doc for e in of_type(events_a, DocUpdated)} == {"catalogue", "inventory"}
    assert {e.doc for e in of_type(events_b, DocUpdated)} == {"catalogue", "customers"}
    assert not a.data_to_send() and not b.data_to_send()


def test_local_changes_sent_with_send_update_reach_the_peer(
    shop_docs: ShopDocs, pump: Pump
) -> None:
    docs_a, docs_b = shop_docs(), shop_docs()
    a, b = opened(docs_a, "a"), opened(docs_b, "b")
    pump(a, b)
    catalogue = docs_a["catalogue"]
    state = catalogue.get_state()
    catalogue["products"]["p1"] = Map({"name": "Tea", "price": 250})

    a.send_update("catalogue", catalogue.get_update(state))
    _, events_b = pump(a, b)

    assert products(docs_b) == {"p1": {"name": "Tea", "price": 250.0}}
    assert [type(e) for e in events_b] == [DocUpdated]


def test_the_owner_fans_updates_out_to_the_other_sessions_without_echo(
    shop_docs: ShopDocs, pump: Pump
) -> None:
    relay_docs = shop_docs()  # shared by every session of the shop, like on the relay
    till_docs = {"a": shop_docs(), "b": shop_docs(), "c": shop_docs()}
    tills = {name: opened(docs, f"till:{name}") for name, docs in till_docs.items()}
    links = {name: opened(relay_docs, f"relay<-{name}") for name in till_docs}

    def fan_out(events: list[Event]) -> None:
        for event in events:
            if isinstance(event, DocUpdated):
                for link in links.values():
                    if link.origin is not event.origin:
                        link.send_update(event.doc, event.update)

    def settle() -> None:
        for _ in range(5):
            for name in tills:
                _, relay_events = pump(tills[name], links[name])
                fan_out(relay_events)

    settle()
    catalogue = till_docs["a"]["catalogue"]
    state = catalogue.get_state()
    catalogue["products"]["p1"] = Map({"name": "Tea", "price": 250})
    tills["a"].send_update("catalogue", catalogue.get_update(state))

    for data in tills["a"].data_to_send():
        links["a"].receive_frame(data)
    fan_out(links["a"].events_received())

    assert links["a"].data_to_send() == []  # no echo to the till the update came from
    for name in ("b", "c"):
        frames = [decode_frame(data) for data in links[name].data_to_send()]
        assert [(f.doc, f.sync_type) for f in frames if isinstance(f, DocFrame)] == [
            ("catalogue", YSyncMessageType.SYNC_UPDATE)
        ]
        for frame in frames:
            tills[name].receive_frame(encode_frame(frame))
        assert products(till_docs[name]) == {"p1": {"name": "Tea", "price": 250.0}}
    settle()
    assert products(relay_docs) == products(till_docs["c"])


def test_updates_from_a_session_are_applied_with_its_origin(
    shop_docs: ShopDocs, pump: Pump
) -> None:
    docs_a, docs_b = shop_docs(), shop_docs()
    seen: list[object] = []
    products_b = docs_b["catalogue"]["products"]  # the subscription lives with this object
    products_b.observe(lambda event: seen.append(event.transaction.origin))
    docs_a["catalogue"]["products"]["p1"] = Map({"name": "Tea"})
    a, b = opened(docs_a, "a"), opened(docs_b, "b")
    pump(a, b)
    assert seen == [b.origin]


def test_a_read_only_document_refuses_writes_and_the_session_goes_on(
    shop_docs: ShopDocs, pump: Pump
) -> None:
    relay_docs, till_docs = shop_docs(), shop_docs()
    relay_docs["settings"]["shop"]["name"] = "Chez Ada"
    relay_docs["settings"]["shop"]["name"] = "Chez Ada & Co"  # leaves a deletion behind
    relay = opened(relay_docs, "relay", read_only={"settings"})
    till = opened(till_docs, "till")
    pump(relay, till)
    assert till_docs["settings"]["shop"].to_py() == {"name": "Chez Ada & Co"}

    before = relay_docs["settings"].get_update()
    settings = till_docs["settings"]
    state = settings.get_state()
    settings["shop"]["name"] = "Hacked"
    till.send_update("settings", settings.get_update(state))
    relay_events, till_events = pump(relay, till)

    assert relay_docs["settings"].get_update() == before
    assert [(type(e), e.doc) for e in of_type(relay_events, WriteRefused)] == [
        (WriteRefused, "settings")
    ]
    assert len(relay_events) == 1
    assert till_events == [
        PeerErrorEvent("doc.read_only", "the peer may not write 'settings'", False, "settings")
    ]
    assert relay.is_open and till.is_open
    catalogue = till_docs["catalogue"]
    state = catalogue.get_state()
    catalogue["products"]["p1"] = Map({"name": "Tea"})
    till.send_update("catalogue", catalogue.get_update(state))
    pump(relay, till)
    assert products(relay_docs) == {"p1": {"name": "Tea"}}


def test_a_read_only_step_2_with_nothing_new_is_accepted(shop_docs: ShopDocs, pump: Pump) -> None:
    relay_docs, till_docs = shop_docs(), shop_docs()
    relay_docs["settings"]["shop"]["name"] = "Chez Ada"
    relay_docs["settings"]["shop"]["name"] = "Chez Ada & Co"
    pump(opened(relay_docs, "relay", read_only={"settings"}), opened(till_docs, "till"))

    # Reconnect: the till's step 2 repeats the deletions the relay already has.
    relay = opened(relay_docs, "relay", read_only={"settings"})
    till = opened(till_docs, "till")
    _, relay_events = pump(till, relay)

    assert not of_type(relay_events, WriteRefused)
    assert {e.doc for e in of_type(relay_events, DocSynced)} == set(relay_docs)


def test_a_read_only_step_2_with_local_edits_is_refused_but_other_docs_sync(
    shop_docs: ShopDocs, pump: Pump
) -> None:
    relay_docs, till_docs = shop_docs(), shop_docs()
    till_docs["settings"]["shop"]["name"] = "Offline edit"
    till_docs["catalogue"]["products"]["p1"] = Map({"name": "Tea"})
    relay = opened(relay_docs, "relay", read_only={"settings"})
    till = opened(till_docs, "till")

    _, relay_events = pump(till, relay)

    assert relay_docs["settings"]["shop"].to_py() == {}
    assert products(relay_docs) == {"p1": {"name": "Tea"}}
    assert [e.doc for e in of_type(relay_events, WriteRefused)] == ["settings"]
    assert {e.doc for e in of_type(relay_events, DocSynced)} == set(relay_docs) - {"settings"}


def test_authentication_then_open(shop_docs: ShopDocs, pump: Pump) -> None:
    client_docs, server_docs = shop_docs(), shop_docs()
    client_docs["catalogue"]["products"]["p1"] = Map({"name": "Tea"})
    client = SyncSession(origin=PeerOrigin("relay"))
    server = SyncSession(origin=PeerOrigin("till:1"))
    client.send_auth({"token": "secret", "device_id": "till-1"})

    server.receive_frame(client.data_to_send()[0])
    assert server.events_received() == [AuthRequested({"device_id": "till-1", "token": "secret"})]
    server.accept_auth({"shop": "s1"})
    server.open(server_docs, read_only={"settings"})

    for data in server.data_to_send():
        client.receive_frame(data)
        for event in client.events_received():
            if isinstance(event, AuthAccepted):
                assert event.payload == {"shop": "s1"}
                client.open(client_docs)
    pump(client, server)
    assert products(server_docs) == {"p1": {"name": "Tea"}}


def test_refused_credentials_close_both_ends(pump: Pump) -> None:
    client, server = SyncSession(), SyncSession()
    client.send_auth({"token": "wrong"})
    pump(client, server)
    server.events_received()
    server.reject_auth("auth.invalid_token", "unknown or revoked token")
    events, _ = pump(client, server)
    assert events == [AuthRejected("auth.invalid_token", "unknown or revoked token")]
    assert client.closed and server.closed


def test_document_frames_before_open_are_a_protocol_error(shop_docs: ShopDocs) -> None:
    server = SyncSession()
    sender = opened(shop_docs(), "client")
    server.receive_frame(sender.data_to_send()[0])
    [event] = server.events_received()
    assert isinstance(event, ProtocolErrorEvent)
    assert event.code == "frame.unexpected"
    assert server.closed


def test_control_requests_get_their_named_response(shop_docs: ShopDocs, pump: Pump) -> None:
    a, b = opened(shop_docs(), "a"), opened(shop_docs(), "b")
    pump(a, b)
    request_id = a.send_control_request("stats", {"day": 20261128})
    _, events_b = pump(a, b)
    assert events_b == [ControlRequested(request_id, "stats", {"day": 20261128})]
    b.send_control_response(request_id, {"sales": 12, "total": 15000})
    b.send_control_response(99, {})  # nobody asked: a protocol error
    events_a, _ = pump(a, b)
    assert events_a[0] == ControlResponded(request_id, "stats", True, {"sales": 12, "total": 15000})
    assert isinstance(events_a[1], ProtocolErrorEvent)
    assert "unknown control request 99" in events_a[1].reason


def test_journal_frames_are_carried_as_is(shop_docs: ShopDocs, pump: Pump) -> None:
    a, b = opened(shop_docs(), "a"), opened(shop_docs(), "b")
    pump(a, b)
    head = ChainPosition("till-1", "sales", 3)
    records = (b'{"seq":1}', b'{"seq":2}', b'{"seq":3}')
    a.send_journal_heads([head])
    a.send_journal_records(records)
    b.send_journal_ack([head], [RecordRejection(head, "journal.bad_signature", "bad signature")])
    events_a, events_b = pump(a, b)
    assert events_b == [JournalHeadsReceived((head,)), JournalRecordsReceived(records)]
    assert events_a == [
        JournalAckReceived(
            (head,), (RecordRejection(head, "journal.bad_signature", "bad signature"),)
        )
    ]


def test_a_device_status_reaches_the_peer_only_once_open(shop_docs: ShopDocs, pump: Pump) -> None:
    a, b = opened(shop_docs(), "a"), opened(shop_docs(), "b")
    pump(a, b)
    a.send_device_status("0.1.0", 3)
    _, events_b = pump(a, b)
    assert events_b == [DeviceStatusReceived("0.1.0", 3)]
    with pytest.raises(SessionStateError):
        SyncSession().send_device_status("0.1.0", 0)
    server = SyncSession()  # not authenticated yet: a status is unexpected
    server.receive_frame(encode_frame(DeviceStatusFrame("0.1.0", 0)))
    [event] = server.events_received()
    assert isinstance(event, ProtocolErrorEvent) and server.closed


def test_sending_journal_or_control_frames_before_open_is_a_bug_of_the_owner() -> None:
    session = SyncSession()
    with pytest.raises(SessionStateError):
        session.send_journal_heads([])
    with pytest.raises(SessionStateError):
        session.send_control_request("stats")
    session.send_update("catalogue", b"\x01")  # ignored: the exchange at open covers it
    assert session.data_to_send() == []


def test_a_protocol_error_closes_the_session_and_queues_a_fatal_error_frame(
    shop_docs: ShopDocs, pump: Pump, state_of: StateOf
) -> None:
    docs = shop_docs()
    session = opened(docs, "peer")
    session.data_to_send()
    session.receive_frame(b"\x00\x09catalogue\x00\x02\xff")  # truncated varint
    [event] = session.events_received()
    assert isinstance(event, ProtocolErrorEvent)
    assert event.code == "frame.malformed"
    [data] = session.data_to_send()
    assert decode_frame(data) == ErrorFrame(event.code, event.reason, fatal=True)
    assert session.closed and not session.is_open

    peer = opened(shop_docs(), "other")
    peer.data_to_send()
    peer.receive_frame(data)
    assert peer.events_received() == [PeerErrorEvent(event.code, event.reason, True, None)]
    assert peer.closed

    before = state_of(docs)
    other = shop_docs()
    other["catalogue"]["products"]["p1"] = Map({"name": "Tea"})
    session.receive_frame(
        encode_frame(
            DocFrame("catalogue", YSyncMessageType.SYNC_UPDATE, other["catalogue"].get_update())
        )
    )
    assert session.events_received() == [] and session.data_to_send() == []
    assert state_of(docs) == before


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        (DocFrame("orders", YSyncMessageType.SYNC_STEP1, b"\x00"), "doc.unknown"),
        (
            DocFrame("catalogue", YSyncMessageType.SYNC_UPDATE, b"\xff\xff\x01"),
            "doc.invalid_update",
        ),
        (DocFrame("catalogue", YSyncMessageType.SYNC_STEP1, b"\x05\x01"), "doc.invalid_update"),
        (DocFrame("settings", YSyncMessageType.SYNC_UPDATE, b"\x01\x01"), "doc.invalid_update"),
    ],
)
def test_bad_document_frames_change_nothing(
    shop_docs: ShopDocs, state_of: StateOf, frame: DocFrame, code: str
) -> None:
    docs = shop_docs()
    docs["catalogue"]["products"]["p1"] = Map({"name": "Tea"})
    session = opened(docs, "peer", read_only={"settings"})
    before = state_of(docs)
    session.receive_frame(encode_frame(frame))
    [event] = session.events_received()
    assert isinstance(event, ProtocolErrorEvent), event
    assert event.code == code
    assert state_of(docs) == before


# A catalogue holding p1, and an update adding p2 whose "price" entry names the
# "name" string as its parent: pycrdt integrates the first blocks, then raises.
HALF_APPLIED_BASE = bytes.fromhex(
    "0103d9bf8785fdc88e060027010870726f6475637473027031012800d9bf8785fdc88e06"
    "00046e616d650177035465612800d9bf8785fdc88e0600057072696365017c437a000000"
)
HALF_APPLIED_UPDATE = bytes.fromhex(
    "0103aec4c7b9a797af0c0027010870726f6475637473027032012800aec4c7b9a797af0c"
    "00046e616d65017706436f666665652800aec4c7b9a797af0c01057072696365017c4396000000"
)


def test_an_update_pycrdt_refuses_half_way_changes_nothing(state_of: StateOf) -> None:
    def catalogue() -> Docs:
        doc: Doc[Any] = Doc({"products": Map()})
        doc.apply_update(HALF_APPLIED_BASE)
        return {"catalogue": doc}

    unguarded = catalogue()
    before = state_of(unguarded)
    with pytest.raises(Exception, match="must be deleted or shared"):
        apply_unguarded(unguarded["catalogue"], HALF_APPLIED_UPDATE, None)
    assert state_of(unguarded) != before  # what the guard is for

    docs = catalogue()
    before = state_of(docs)
    session = opened(docs, "peer")
    frame = DocFrame("catalogue", YSyncMessageType.SYNC_UPDATE, HALF_APPLIED_UPDATE)
    session.receive_frame(encode_frame(frame))
    [event] = session.events_received()
    assert isinstance(event, ProtocolErrorEvent)
    assert event.code == "doc.invalid_update"
    assert state_of(docs) == before

    # The guard's twin recovers: the next valid update on the same Doc still applies.
    later = catalogue()
    later["catalogue"]["products"]["p3"] = Map({"name": "Juice"})
    fresh = opened(docs, "peer-2")
    fresh.receive_frame(
        encode_frame(
            DocFrame("catalogue", YSyncMessageType.SYNC_UPDATE, later["catalogue"].get_update())
        )
    )
    assert of_type(fresh.events_received(), DocUpdated)
    assert docs["catalogue"]["products"]["p3"].to_py() == {"name": "Juice"}


def test_resync_sends_step_1_again_and_reports_each_document_synced(
    shop_docs: ShopDocs, pump: Pump
) -> None:
    docs_a, docs_b = shop_docs(), shop_docs()
    a, b = opened(docs_a, "a"), opened(docs_b, "b")
    pump(a, b)
    docs_b["customers"]["customers"]["c1"] = Map({"first_name": "Ada"})  # never sent

    a.resync()
    events_a, _ = pump(a, b)

    assert docs_a["customers"]["customers"].to_py() == {"c1": {"first_name": "Ada"}}
    assert {e.doc for e in of_type(events_a, DocSynced)} == set(docs_a)
    a.resync("catalogue")
    events_a, _ = pump(a, b)
    assert events_a == [DocSynced("catalogue")]
    with pytest.raises(UnknownDocumentError):
        a.resync("orders")


def test_fail_tells_the_peer_and_closes(shop_docs: ShopDocs, pump: Pump) -> None:
    a, b = opened(shop_docs(), "a"), opened(shop_docs(), "b")
    pump(a, b)
    a.fail("auth.revoked", "this till was revoked")
    _, events_b = pump(a, b)
    assert events_b == [PeerErrorEvent("auth.revoked", "this till was revoked", True, None)]
    assert a.closed and b.closed
