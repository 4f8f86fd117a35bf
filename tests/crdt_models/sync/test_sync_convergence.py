"""Property: whatever the interleaving of edits and deliveries, a till, a relay and
another till end with the same documents (Hypothesis)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pycrdt import Doc, Map

from crdt_models.sync import DocUpdated, Event, PeerOrigin, SyncSession

Docs = dict[str, Doc[Any]]

# (actor, action, argument): actor 0 and 1 are tills, actions are an edit or a delivery.
steps = st.lists(
    st.tuples(
        st.integers(0, 1),
        st.sampled_from(["price", "customer", "deliver_up", "deliver_down", "resync"]),
        st.integers(0, 3),
    ),
    max_size=25,
)


def _docs() -> Docs:
    return {"catalogue": Doc({"products": Map()}), "customers": Doc({"customers": Map()})}


def _contents(docs: Docs) -> dict[str, Any]:
    return {name: {k: v.to_py() for k, v in doc.items()} for name, doc in docs.items()}


class _Link:
    """A till session and its relay-side session, with frames in flight kept in order."""

    def __init__(self, till_docs: Docs, relay_docs: Docs, name: str) -> None:
        self.till = SyncSession(origin=PeerOrigin(f"till:{name}"))
        self.relay = SyncSession(origin=PeerOrigin(f"relay<-{name}"))
        self.till.open(till_docs)
        self.relay.open(relay_docs)
        self.in_flight: dict[bool, list[bytes]] = {True: [], False: []}  # up, down

    def deliver(self, up: bool, count: int, links: list[_Link]) -> None:
        src, dst = (self.till, self.relay) if up else (self.relay, self.till)
        queue = self.in_flight[up]
        queue += src.data_to_send()
        for data in queue[:count]:
            dst.receive_frame(data)
            events = dst.events_received()
            if up:
                _fan_out(events, links)
        del queue[:count]


def _fan_out(events: list[Event], links: list[_Link]) -> None:
    for event in events:
        if isinstance(event, DocUpdated):
            for link in links:
                if link.relay.origin is not event.origin:
                    link.relay.send_update(event.doc, event.update)


def _edit(docs: Docs, session: SyncSession, action: str, arg: int, counter: int) -> None:
    name, root, key = (
        ("catalogue", "products", f"p{arg}")
        if action == "price"
        else ("customers", "customers", f"c{arg}")
    )
    doc = docs[name]
    state = doc.get_state()
    entries = doc[root]
    if key in entries:
        entries[key]["value"] = counter
    else:
        entries[key] = Map({"value": counter})
    session.send_update(name, doc.get_update(state))


@settings(max_examples=60, deadline=None)
@given(steps)
def test_tills_and_relay_converge_whatever_the_interleaving(
    plan: list[tuple[int, str, int]],
) -> None:
    relay_docs = _docs()
    till_docs = [_docs(), _docs()]
    links = [_Link(till_docs[i], relay_docs, str(i)) for i in range(2)]
    for counter, (actor, action, arg) in enumerate(plan):
        link = links[actor]
        if action in ("price", "customer"):
            _edit(till_docs[actor], link.till, action, arg, counter)
        elif action == "resync":
            link.till.resync()
        else:
            link.deliver(action == "deliver_up", arg, links)
    for _ in range(4):  # then the network delivers everything
        for link in links:
            link.deliver(True, 10**6, links)
            link.deliver(False, 10**6, links)

    assert _contents(till_docs[0]) == _contents(relay_docs) == _contents(till_docs[1])
    assert not any(link.till.closed or link.relay.closed for link in links)
