"""LAN peer-to-peer figures (standalone script; the namespace parts need root).

    .venv/bin/python benchmarks/lan.py [--edits 300] [--trials 5] [--json [PATH]]

Measures:

- edit propagation over the LAN: from a catalogue edit on device A's app Doc
  to the change applied to device B's app Doc, through two LanNodes (secure
  channel + sync session over websockets) on 127.0.0.1 -- median and p99;
- discovery of a new peer: from a new device starting its zeroconf
  announcement to an existing device reporting it (two processes in network
  namespaces on one bridge, real multicast);
- internet cut -> first LAN-synced sale: a relay and two headless tills in
  namespaces; the relay's address is blackholed in both tills' namespaces and
  at once a sale is made on till 1; the time until till 2 holds it;
- store and forward of N offline sales (default 10,000): till 1 sells while
  the internet is cut, till 2 carries them over the LAN (time from the last
  sale to till 2 holding all), till 1 is killed, the relay comes back for
  till 2: the time until the relay holds every one of till 1's sales.

Prints a small table (``--json``: then one JSON line of the same figures, or
writes them to PATH). (``benchmarks/offline_upload.py`` measures a till
uploading its own offline sales.)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pycrdt import Doc, Map

from app.core.lan import LanNode, LanTimings
from app.core.store import DeviceStore
from benchmarks.figures import add_json_option, write_figures
from crdt_models.lan import shop_fingerprint
from relay_server.provisioning import add_owner, add_till
from relay_server.storage import open_storage
from tests.e2e.lan.netns import NetnsLan, netns_unavailable
from tests.e2e.lan.procs import PYTHON, REPO, JsonProcess

Row = tuple[str, str, str]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _soon(loop: asyncio.AbstractEventLoop, fn: Callable[[], None]) -> None:
    loop.call_soon(fn)


async def edit_propagation(edits: int) -> list[Row]:
    root = Path(tempfile.mkdtemp(prefix="skytill-lan-bench-"))
    secret = os.urandom(32)
    stores = []
    nodes: list[LanNode] = []
    try:
        for name in ("a", "b"):
            store = DeviceStore.open(root / name, till_id=f"till-{name}")
            store.provision(shop_id="bench", lan_secret=secret)
            stores.append(store)
            node = LanNode(store, host="127.0.0.1", advertise=False, timings=LanTimings())
            await node.start()
            nodes.append(node)
        loop = asyncio.get_running_loop()
        maps: list[Map[Any]] = []
        for node in nodes:
            doc: Doc[Any] = Doc()
            maps.append(doc.get("bench", type=Map))
            node.attach({"catalogue": doc}, partial(_soon, loop))
        nodes[0].connect_to("127.0.0.1", nodes[1].port)
        while not nodes[0].status.peers:
            await asyncio.sleep(0.01)
        arrived: asyncio.Queue[float] = asyncio.Queue()
        maps[1].observe(lambda _event: arrived.put_nowait(time.perf_counter()))
        samples = []
        for i in range(edits):
            start = time.perf_counter()
            maps[0][f"product-{i}"] = f"{i}.00"
            samples.append(await asyncio.wait_for(arrived.get(), 10) - start)
        return [
            ("LAN edit A -> B (loopback), median", ms(statistics.median(samples)), f"n={edits}"),
            ("LAN edit A -> B (loopback), p99", ms(percentile(samples, 99)), f"n={edits}"),
        ]
    finally:
        for node in nodes:
            await node.stop()
        for store in stores:
            store.close()
        shutil.rmtree(root, ignore_errors=True)


def _names(field: str, instance: str, line: dict[str, Any]) -> bool:
    return bool(line.get(field) == instance)


def discovery(trials: int) -> list[Row]:
    script = str(REPO / "tests" / "e2e" / "lan" / "discover.py")
    fingerprint = shop_fingerprint(os.urandom(32))
    samples, ready = [], []
    with NetnsLan(["a", "b"], subnet=90) as lan:
        first = JsonProcess(lan.command("a", [PYTHON, script, "4001", fingerprint, "10.90.0.1"]))
        try:
            first.wait_for(lambda line: "ready" in line, 60)
            for _ in range(trials):
                argv = [PYTHON, script, "4002", fingerprint, lan.address("b")]
                newcomer = JsonProcess(lan.command("b", argv))
                try:
                    started = newcomer.wait_for(lambda line: "starting" in line, 60)
                    done = newcomer.wait_for(lambda line: "ready" in line, 60)
                    newcomer_id = started["starting"]
                    seen = first.wait_for(partial(_names, "peer", newcomer_id))
                    samples.append(seen["t"] - started["t"])
                    ready.append(done["t"] - started["t"])
                finally:
                    newcomer.close()
                first.wait_for(partial(_names, "gone", newcomer_id))
        finally:
            first.close()
    return [
        ("discovery of a new peer, median", ms(statistics.median(samples)), f"n={trials}"),
        ("discovery of a new peer, max", ms(max(samples)), f"n={trials}"),
        ("  of which announcement probing", ms(statistics.median(ready)), "zeroconf"),
    ]


def relay_count(db_path: Path, till_id: str) -> int:
    with sqlite3.connect(db_path) as conn:
        row = conn.execute(
            "SELECT COUNT(*) FROM journal_records WHERE till_id = ? AND chain = 'sales'",
            (till_id,),
        ).fetchone()
    return int(row[0])


def cut_to_lan_sale(trials: int, carried: int) -> list[Row]:
    root = Path(tempfile.mkdtemp(prefix="skytill-lan-bench-"))
    db_url = f"sqlite:///{root / 'relay.db'}"
    storage = open_storage(db_url)
    try:
        add_owner(storage, "Bench", "owner@example.test", "owner password")
        licences = {n: add_till(storage, "Bench", n, "pw").licence_key for n in ("t1", "t2")}
    finally:
        storage.close()
    samples: list[float] = []
    rows: list[Row] = []
    with NetnsLan(["relay", "t1", "t2"], subnet=91) as lan:
        argv = [PYTHON, "-m", "relay_server", "serve", "--db", db_url, "--log-level", "warning"]
        argv += ["--host", lan.address("relay"), "--port", "8765"]
        relay = subprocess.Popen(
            lan.command("relay", argv),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            cwd=REPO,
        )
        assert relay.stdout is not None
        relay.stdout.readline()
        tills: dict[str, JsonProcess] = {}
        try:
            for name in ("t1", "t2"):
                argv = [PYTHON, str(REPO / "tests" / "e2e" / "lan" / "till.py")]
                argv += ["--data", str(root / name), "--licence", licences[name]]
                argv += ["--relay", f"ws://{lan.address('relay')}:8765/", "--password", "pw"]
                argv += ["--address", lan.address(name)]
                tills[name] = JsonProcess(lan.command(name, argv))
            till_one = tills["t1"].wait_for(lambda line: "ready" in line, 60)["ready"]
            tills["t2"].wait_for(lambda line: "ready" in line, 60)

            def state(name: str) -> dict[str, Any]:
                return tills[name].ask({"cmd": "state"})

            deadline = time.monotonic() + 60
            while not all(state(n)["peers"] and state(n)["relay"] == "online" for n in tills):
                if time.monotonic() > deadline:
                    raise RuntimeError("the tills did not connect")
                time.sleep(0.1)
            for _ in range(trials):
                held = state("t2")["sales"].get(till_one, 0)
                start = time.monotonic()
                for name in tills:
                    lan.cut(name, "relay")
                tills["t1"].ask({"cmd": "sale"})
                while state("t2")["sales"].get(till_one, 0) <= held:
                    time.sleep(0.002)
                samples.append(time.monotonic() - start)
                for name in tills:
                    lan.restore(name, "relay")
            if carried:
                rows += carry_and_upload(lan, tills, root / "relay.db", till_one, carried)
        finally:
            for till in tills.values():
                till.close()
            relay.terminate()
            relay.wait(10)
            relay.stdout.close()
            shutil.rmtree(root, ignore_errors=True)
    return [
        ("internet cut -> first LAN-synced sale, median", ms(statistics.median(samples)), ""),
        ("internet cut -> first LAN-synced sale, max", ms(max(samples)), f"n={trials}"),
        *rows,
    ]


def carry_and_upload(
    lan: NetnsLan, tills: dict[str, JsonProcess], db_path: Path, till_one: str, count: int
) -> list[Row]:
    """Till 1 sells ``count`` times offline; till 2 carries them; till 1 dies; relay returns."""

    def held_by_two() -> int:
        return int(tills["t2"].ask({"cmd": "state"})["sales"].get(till_one, 0))

    for name in tills:
        lan.cut(name, "relay")
    before = relay_count(db_path, till_one)
    target = held_by_two() + count
    tills["t1"].ask({"cmd": "sale", "count": count}, timeout=600)
    start = time.monotonic()
    while held_by_two() < target:
        time.sleep(0.05)
    carried = time.monotonic() - start
    tills.pop("t1").kill()  # only till 2 holds them now
    start = time.monotonic()
    lan.restore("t2", "relay")
    while tills["t2"].ask({"cmd": "state"})["relay"] != "online":
        time.sleep(0.02)
    reconnected = time.monotonic() - start
    while relay_count(db_path, till_one) < target:
        time.sleep(0.05)
    uploaded = time.monotonic() - start
    assert relay_count(db_path, till_one) == target and before <= target
    return [
        (f"LAN carry of {count} offline sales (after the last)", f"{carried:.2f} s", "t1 -> t2"),
        ("  relay back -> till 2 online again", f"{reconnected:.2f} s", "backoff <= 1 s"),
        (f"upload of {count} carried sales, relay back", f"{uploaded:.2f} s", "t2 -> relay"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=300)
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--carried", type=int, default=10000, help="0 skips the upload figure")
    add_json_option(parser)
    args = parser.parse_args()
    rows = asyncio.run(edit_propagation(args.edits))
    reason = netns_unavailable()
    if reason is None:
        rows += discovery(args.trials)
        rows += cut_to_lan_sale(args.trials, args.carried)
    else:
        rows.append(("discovery, cut -> LAN sale", "not measured", reason))
    width = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>10}  {note}")
    if args.json:
        metrics: list[dict[str, object]] = []
        for name, value, note in rows:
            label = f"{name.strip()} ({note})" if note else name.strip()
            number, _, unit = value.partition(" ")
            try:
                metrics.append({"label": label, "value": float(number), "unit": unit})
            except ValueError:  # "not measured"
                metrics.append({"label": label, "value": value, "unit": ""})
        write_figures(args.json, {"metrics": metrics})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
