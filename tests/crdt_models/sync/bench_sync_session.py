"""How many small-update frames a SyncSession handles per second (a measurement, not a test).

Run: ``.venv/bin/python tests/crdt_models/sync/bench_sync_session.py``. It
replays the same small updates (one price change each, in a 1 000-product
catalogue) three ways and prints frames/s and bytes per message:

- bare pycrdt: ``create_update_message`` + ``handle_sync_message`` on a Doc;
- the session without the twin guard (``guard_updates=False``);
- the session as shipped (every update tried on the document's twin first).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from pycrdt import Doc, Map, create_update_message, handle_sync_message

from crdt_models.sync import PeerOrigin, SyncSession

PRODUCTS = 1000
UPDATES = 5000


def _catalogue() -> tuple[bytes, list[bytes]]:
    doc: Doc[Any] = Doc({"products": Map()})
    with doc.transaction():
        for i in range(PRODUCTS):
            doc["products"][f"p{i:04d}"] = Map({"name": f"Product {i}", "price": 100 + i})
    base = doc.get_update()
    updates: list[bytes] = []
    subscription = doc.observe(lambda event: updates.append(event.update))
    for i in range(UPDATES):
        doc["products"][f"p{i % PRODUCTS:04d}"]["price"] = 200 + i
    doc.unobserve(subscription)
    return base, updates


def _receiver(base: bytes) -> Doc[Any]:
    doc: Doc[Any] = Doc({"products": Map()})
    doc.apply_update(base)
    return doc


def _rate(run: Callable[[], None]) -> float:
    start = time.perf_counter()
    run()
    return UPDATES / (time.perf_counter() - start)


def main() -> None:
    base, updates = _catalogue()

    bare_doc = _receiver(base)
    messages = [create_update_message(update) for update in updates]

    def bare() -> None:
        for message in messages:
            handle_sync_message(message[1:], bare_doc)

    def session_run(guard: bool) -> tuple[Callable[[], None], list[bytes]]:
        sender = SyncSession(origin=PeerOrigin("sender"))
        sender.open({"catalogue": _receiver(base)})
        receiver = SyncSession(origin=PeerOrigin("receiver"), guard_updates=guard)
        receiver.open({"catalogue": _receiver(base)})
        sender.data_to_send()
        receiver.data_to_send()
        for update in updates:
            sender.send_update("catalogue", update)
        frames = sender.data_to_send()

        def run() -> None:
            for frame in frames:
                receiver.receive_frame(frame)
                receiver.events_received()
                receiver.data_to_send()
            assert not receiver.closed

        return run, frames

    unguarded, frames = session_run(guard=False)
    guarded, _ = session_run(guard=True)
    print(f"{UPDATES} small updates into a {PRODUCTS}-product catalogue")
    print(f"  bare pycrdt message:     {_rate(bare):>9,.0f} /s")
    print(f"  session, unguarded:      {_rate(unguarded):>9,.0f} frames/s")
    print(f"  session, guarded (twin): {_rate(guarded):>9,.0f} frames/s")
    print(
        f"  bytes per message: bare {sum(map(len, messages)) / UPDATES:.1f}, "
        f"frame {sum(map(len, frames)) / UPDATES:.1f} (kind + document name)"
    )


if __name__ == "__main__":
    main()
