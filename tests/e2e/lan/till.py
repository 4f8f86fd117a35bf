"""A headless till for the LAN end-to-end test: DeviceStore + SyncEngine + LanNode, no Qt.

``till.py --data DIR --relay URL --licence KEY --password PW --address IP``
logs in on first start (the relay must be reachable then), starts the relay
engine and the LAN node (zeroconf on ``IP``), and prints ``{"ready": ...}``.
Then it takes one JSON command per stdin line and answers one JSON line with
the same ``id``:

- ``{"cmd": "sale", "count": n}`` -- validate n cash sales (default 1; ``{"seq": last}``);
- ``{"cmd": "edit", "key": k, "value": v}`` -- set ``k`` in the catalogue
  document's ``lan_e2e`` map (a catalogue edit);
- ``{"cmd": "state"}`` -- relay state, LAN instance and peers, the map, sales held per till.

It stops when stdin closes. Not a test module.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import threading
from collections.abc import Callable
from typing import Any

from pycrdt import Doc, Map

from app.core.lan import LanNode, LanTimings
from app.core.store import DeviceStore
from app.core.sync import LinkTimings, SyncEngine, SyncTimings, provision
from crdt_models.journal import Payment, SaleLine, build_sale_body, ticket_number

TIMINGS = SyncTimings(
    link=LinkTimings(
        open_timeout=2.0, auth_timeout=5.0, ping_interval=1.0, ping_timeout=1.0, close_timeout=0.5
    ),
    active_resync=2.0,
    backoff_first=0.1,
    backoff_cap=1.0,
)
LAN_TIMINGS = LanTimings(redial_first=0.1, redial_cap=1.0, resync=2.0, ping_interval=1.0)


def sale_body(seq: int) -> dict[str, Any]:
    return build_sale_body(
        ticket=ticket_number(1, seq),
        cashier="cashier-1",
        lines=[SaleLine("p-1", "Coffee", 1000, 250, 1000)],
        payments=[Payment("cash", 250)],
    )


def say(obj: object) -> None:
    print(json.dumps(obj), flush=True)


async def run(args: argparse.Namespace, store: DeviceStore) -> None:
    loop = asyncio.get_running_loop()
    engine = SyncEngine(store, timings=TIMINGS)
    engine.start()
    node = LanNode(
        store,
        engine=engine,
        announce_addresses=[args.address],
        timings=LAN_TIMINGS,
    )
    await node.start()
    doc: Doc[Any] = Doc()
    items = doc.get("lan_e2e", type=Map)

    def on_loop(fn: Callable[[], None]) -> None:
        loop.call_soon(fn)

    node.attach({"catalogue": doc}, on_loop)
    commands: asyncio.Queue[str | None] = asyncio.Queue()

    def read_stdin() -> None:
        for line in sys.stdin:
            loop.call_soon_threadsafe(commands.put_nowait, line)
        loop.call_soon_threadsafe(commands.put_nowait, None)

    threading.Thread(target=read_stdin, daemon=True).start()
    say({"ready": store.identity.till_id, "instance": node.instance_id, "port": node.port})
    while (line := await commands.get()) is not None:
        command = json.loads(line)
        reply: dict[str, Any] = {"id": command.get("id")}
        match command.get("cmd"):
            case "sale":
                for _ in range(int(command.get("count", 1))):
                    record = await asyncio.to_thread(store.validate_sale, sale_body)
                    engine.journal_changed()
                    node.journal_changed()
                reply["seq"] = record.seq
            case "edit":
                items[str(command["key"])] = str(command["value"])
                reply["ok"] = True
            case "state":
                heads = await asyncio.to_thread(store.journal_heads)
                reply.update(
                    instance=node.instance_id,
                    relay=str(engine.status.state),
                    pending_sales=engine.status.pending_sales,
                    peers=list(node.status.peers),
                    items=dict(items.items()),
                    sales={h.till_id: h.seq for h in heads if h.chain == "sales"},
                )
        say(reply)
    await node.stop()
    await asyncio.to_thread(engine.stop)


def main() -> None:
    parser = argparse.ArgumentParser()
    for name in ("--data", "--relay", "--licence", "--password", "--address"):
        parser.add_argument(name, required=True)
    args = parser.parse_args()
    store = DeviceStore.open(args.data)
    try:
        if not store.identity.relay_token:
            provision(store, args.relay, args.licence, args.password)
        asyncio.run(run(args, store))
    finally:
        store.close()


if __name__ == "__main__":
    main()
