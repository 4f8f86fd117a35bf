"""The sync engine against a real relay process on 127.0.0.1: sales pushed and
acknowledged exactly once, offline sales pushed on reconnect, catalogue edits
reaching another till, status reported."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.core.basket import Basket
from app.core.store import DeviceStore
from app.core.sync_engine import RELAY_PEER, SyncConfig, SyncEngine, SyncStatus
from crdt_models.documents.shop import ShopDocuments
from crdt_models.journal import ticket_number
from crdt_models.sync.payloads import JsonObject

FAST = SyncConfig(active_interval=0.5, idle_interval=0.5, backoff_min=0.05, backoff_max=0.3)


@dataclass
class Relay:
    db: str
    url: str
    proc: subprocess.Popen[str] | None = None


def _relay_cli(*args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "relay_server", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def _serve(db: str, port: int = 0) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "relay_server",
            "serve",
            "--db",
            db,
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()  # blocks until the relay listens (or dies)
    m = re.search(r"listening on [\d.]+:(\d+)", line)
    assert m, f"relay did not start: {line!r}"
    return proc, int(m[1])


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    proc.communicate(timeout=30)


@pytest.fixture
def relay(tmp_path: Path) -> Iterator[Relay]:
    db = f"sqlite:///{tmp_path / 'relay.db'}"
    _relay_cli(
        "add-owner",
        "--db",
        db,
        "--shop",
        "Canal",
        "--email",
        "o@canal.fr",
        "--password",
        "owner-pass-123",
    )
    proc, port = _serve(db)
    r = Relay(db, f"ws://127.0.0.1:{port}/sync", proc)
    yield r
    if r.proc is not None:
        _stop(r.proc)


@dataclass
class Till:
    store: DeviceStore
    shop: ShopDocuments
    engine: SyncEngine
    statuses: list[SyncStatus]
    number: int = 0


def _add_till(relay: Relay, name: str) -> tuple[str, str, int]:
    out = _relay_cli(
        "add-till",
        "--db",
        relay.db,
        "--shop",
        "Canal",
        "--name",
        name,
        "--password",
        "till-pass-123",
    )
    m = re.search(r"till (\d+) .* id (\S+) licence (\S+)", out)
    assert m, out
    return m[2], m[3], int(m[1])


@pytest.fixture
async def tills(relay: Relay, tmp_path: Path) -> AsyncIterator[list[Till]]:
    made: list[Till] = []
    tasks = []
    for name in ("A", "B"):
        till_id, licence, number = _add_till(relay, name)
        store = DeviceStore.open(tmp_path / name, till_id=till_id)
        shop = ShopDocuments.open(store.identity.device_id)
        statuses: list[SyncStatus] = []
        auth: JsonObject = {
            "method": "till",
            "licence": licence,
            "password": "till-pass-123",
            "public_key": store.identity.public_key.hex(),
        }
        engine = SyncEngine(
            store, shop.docs, relay.url, auth, config=FAST, on_status=statuses.append
        )
        made.append(Till(store, shop, engine, statuses, number))
        tasks.append(asyncio.create_task(engine.run()))
    yield made
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for till in made:
        till.store.close()


async def until(predicate: object, timeout: float = 20.0) -> None:
    """Poll ``predicate()`` until true, with a deadline (never a fixed sleep)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():  # type: ignore[operator]
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


def sell(till: Till, cents: int) -> None:
    b = Basket()
    b.add_product("p-1", "Croissant", cents, 550)
    b.pay("cash", cents, gives_change=True)
    inputs = b.sale_inputs()
    till.store.validate_sale(
        lambda seq: inputs.body(ticket=ticket_number(till.number, seq), cashier="c-1")
    )
    till.engine.notify_journal()


async def test_sales_and_edits_flow_through_the_relay(relay: Relay, tills: list[Till]) -> None:
    a, b = tills
    await until(lambda: a.engine.status.online and b.engine.status.online)

    sell(a, 120)
    sell(a, 250)
    assert a.engine.status.pending == 2
    await until(lambda: a.engine.status.pending == 0)
    mine = a.store.identity.till_id
    assert a.store.journal_acks(RELAY_PEER)[(mine, "sales")] == 2
    assert a.statuses[-1].last_sync is not None

    # a catalogue edit on A reaches B through the relay (settings are read-only
    # for tills, so the edit is a category)
    created = a.shop.catalogue.create_category(name="Glaces", color="#3d8be8")
    await until(lambda: any(c.id == created.entry_id for c in b.shop.catalogue.categories()))

    # the relay goes away: A keeps selling, pending grows, then everything arrives once
    assert relay.proc is not None
    _stop(relay.proc)
    relay.proc = None
    await until(lambda: not a.engine.status.online)
    sell(a, 300)
    sell(a, 180)
    assert a.engine.status.pending == 2
    port = int(relay.url.rsplit(":", 1)[1].split("/")[0])
    relay.proc, _ = _serve(relay.db, port)
    await until(lambda: a.engine.status.online and a.engine.status.pending == 0, timeout=40)
    assert a.store.journal_acks(RELAY_PEER)[(mine, "sales")] == 4
