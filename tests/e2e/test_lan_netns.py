"""The shop keeps syncing over its LAN when the internet is cut (real processes, namespaces).

A relay host and three headless tills (tests/e2e/lan/till.py: DeviceStore +
SyncEngine + LanNode) on one bridge, each in its own network namespace, with
real zeroconf discovery. Then the relay's address is blackholed in every
till's namespace while the LAN stays up: sales and catalogue edits made on
each till reach the others over the LAN. Till 2 stops and restarts (found
again by zeroconf, it catches up on a sale made meanwhile). Till 3's process
is killed and its
data directory deleted. When the relay comes back, the other tills upload
till 3's sales (and the edits it made offline); the relay ends up with every
sale of every till exactly once, and every chain verifies against the key its
till registered.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pycrdt import Doc, Map

from crdt_models.journal import Record, verify_chain
from relay_server.provisioning import add_owner, add_till
from relay_server.storage import open_storage
from tests.e2e.lan.netns import NetnsLan, netns_unavailable
from tests.e2e.lan.procs import PYTHON, REPO, JsonProcess

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif((reason := netns_unavailable()) is not None, reason=reason or ""),
]

TILLS = ("t1", "t2", "t3")
PASSWORD = "till password"
RELAY_PORT = 8765
SALES_ONLINE, SALES_OFFLINE = 2, 3


@pytest.fixture
def lan() -> Iterator[NetnsLan]:
    with NetnsLan(["relay", *TILLS], subnet=79) as made:
        yield made


def start_relay(lan: NetnsLan, db_url: str, log: Path) -> subprocess.Popen[str]:
    argv = [PYTHON, "-m", "relay_server", "serve", "--db", db_url]
    argv += ["--host", lan.address("relay"), "--port", str(RELAY_PORT), "--log-level", "warning"]
    with log.open("w") as errors:
        relay = subprocess.Popen(
            lan.command("relay", argv), stdout=subprocess.PIPE, stderr=errors, text=True, cwd=REPO
        )
    assert relay.stdout is not None
    line = relay.stdout.readline()
    assert line.startswith("listening on"), f"{line!r}: {log.read_text()}"
    return relay


def relay_records(db_path: Path, till_id: str) -> list[Record]:
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute(
            "SELECT line FROM journal_records WHERE till_id = ? AND chain = 'sales' ORDER BY seq",
            (till_id,),
        ).fetchall()
    return [Record.from_json_line(bytes(row[0])) for row in rows]


def state(till: JsonProcess) -> dict[str, Any]:
    return till.ask({"cmd": "state"})


def eventually(check: Any, what: str, timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            raise AssertionError(f"not reached before the deadline: {what}")
        time.sleep(0.1)


def test_lan_keeps_the_shop_in_sync_and_the_relay_gets_every_sale_once(
    lan: NetnsLan, tmp_path: Path
) -> None:
    db_path = tmp_path / "relay.db"
    db_url = f"sqlite:///{db_path}"
    storage = open_storage(db_url)
    try:
        add_owner(storage, "LAN shop", "owner@example.test", "owner password")
        licences = {}
        for name in TILLS:
            info = add_till(storage, "LAN shop", name, PASSWORD)
            licences[name] = info.licence_key
    finally:
        storage.close()
    relay = start_relay(lan, db_url, tmp_path / "relay.log")
    tills: dict[str, JsonProcess] = {}

    def start_till(name: str) -> str:
        argv = [PYTHON, str(REPO / "tests" / "e2e" / "lan" / "till.py")]
        argv += ["--data", str(tmp_path / name), "--licence", licences[name]]
        argv += ["--relay", f"ws://{lan.address('relay')}:{RELAY_PORT}/"]
        argv += ["--password", PASSWORD, "--address", lan.address(name)]
        log = tmp_path / f"{name}-{len(list(tmp_path.glob(name + '-*.log')))}.log"
        tills[name] = JsonProcess(lan.command(name, argv), log=log)
        return str(tills[name].wait_for(lambda line: "ready" in line, 60)["ready"])

    try:
        ids = {name: start_till(name) for name in TILLS}

        def everyone(check: Any) -> bool:
            return all(check(state(t)) for t in tills.values())

        eventually(lambda: everyone(lambda s: len(s["peers"]) == 2), "a full LAN mesh")
        eventually(lambda: everyone(lambda s: s["relay"] == "online"), "every till online")
        for name, till in tills.items():
            for _ in range(SALES_ONLINE):
                till.ask({"cmd": "sale"})
            till.ask({"cmd": "edit", "key": f"online-{name}", "value": "1"})

        for name in TILLS:  # the internet goes down; the LAN stays up
            lan.cut(name, "relay")
        eventually(lambda: everyone(lambda s: s["relay"] != "online"), "every till offline")
        for name, till in tills.items():
            for _ in range(SALES_OFFLINE):
                till.ask({"cmd": "sale"})
            till.ask({"cmd": "edit", "key": f"offline-{name}", "value": name})
        total = SALES_ONLINE + SALES_OFFLINE
        every_sale = {ids[n]: total for n in TILLS}
        eventually(lambda: everyone(lambda s: s["sales"] == every_sale), "sales over the LAN")
        eventually(
            lambda: everyone(lambda s: all(s["items"].get(f"offline-{n}") == n for n in TILLS)),
            "catalogue edits over the LAN",
        )
        assert all(state(t)["relay"] != "online" for t in tills.values())

        tills.pop("t2").close()  # a till goes away (a tablet sleeps) and comes back
        eventually(
            lambda: state(tills["t1"])["peers"] == [state(tills["t3"])["instance"]], "t2 gone"
        )
        tills["t1"].ask({"cmd": "sale"})
        start_till("t2")
        every_sale[ids["t1"]] = total + 1
        eventually(lambda: everyone(lambda s: len(s["peers"]) == 2), "the mesh again")
        eventually(lambda: everyone(lambda s: s["sales"] == every_sale), "t2 caught up")

        tills.pop("t3").kill()  # till 3's disk is wiped: only its peers hold its sales
        shutil.rmtree(tmp_path / "t3")
        for name in ("t1", "t2"):
            lan.restore(name, "relay")

        def relay_holds_everything() -> bool:
            return all(len(relay_records(db_path, ids[n])) == every_sale[ids[n]] for n in TILLS)

        eventually(relay_holds_everything, "every sale on the relay")
        storage = open_storage(db_url)
        try:
            shop_id = storage.accounts.till(ids["t1"]).shop_id

            def relay_catalogue() -> dict[str, Any]:
                doc: Doc[Any] = Doc()
                for update in storage.documents.load(shop_id, "catalogue"):
                    doc.apply_update(update)
                return dict(doc.get("lan_e2e", type=Map).items())

            eventually(
                lambda: all(relay_catalogue().get(f"offline-{n}") == n for n in TILLS),
                "every offline edit on the relay (t3's through its peers)",
            )
            for name in TILLS:
                records = relay_records(db_path, ids[name])
                expected = list(range(1, every_sale[ids[name]] + 1))
                assert [r.seq for r in records] == expected  # each sale exactly once
                key = storage.accounts.till(ids[name]).public_key
                assert key is not None
                assert verify_chain(records, key).ok
        finally:
            storage.close()
    finally:
        for till in tills.values():
            till.close()
        relay.terminate()
        try:
            relay.wait(10)
        except subprocess.TimeoutExpired:
            relay.kill()
            relay.wait()
        if relay.stdout is not None:
            relay.stdout.close()
