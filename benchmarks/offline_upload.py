"""Device sync engine figures against a real relay subprocess (standalone script).

    .venv/bin/python benchmarks/offline_upload.py [--sales 10000] [--edits 100]
        [--quick] [--json [PATH]]

Measures, with the engine's default timings (``SyncTimings()``):

- sale -> relay ack: from a sale made durable on till A (``validate_sale``
  returned) to the relay's acknowledgement recorded in A's store;
- catalogue edit A -> B: from a local edit on till A to the change applied to
  till B's Docs, through the relay (two engines, two data directories);
- dead link: from the relay frozen (SIGSTOP: the socket stays open, nothing
  answers) to the engine reporting itself offline;
- reconnect: from the relay listening again after a SIGKILL (down about two
  seconds) to the engine online, and to its first complete sync round;
- offline upload: N sales made while the relay is down, then from the relay
  listening again to every record acknowledged (and the relay holding each
  exactly once).

Prints a small table (``--json``: then one JSON line of the same figures, or
writes them to PATH; ``--quick``: 500 sales, 20 acks and edits, 1 restart).
Everything runs on 127.0.0.1; the relay's database is a temporary SQLite file.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pycrdt import Doc, Map

from app.core.store import DeviceStore
from app.core.sync import LinkState, SyncEngine, SyncStatus, provision
from benchmarks.figures import add_json_option, percentile, write_figures
from crdt_models.documents.origin import LOCAL
from crdt_models.documents.schema import DOCUMENT_NAMES
from crdt_models.journal import Payment, SaleLine, build_sale_body, ticket_number
from relay_server.provisioning import add_till, provision_shop
from relay_server.storage import open_storage

PASSWORD = "till secret"


def _sale(seq: int) -> dict[str, Any]:
    return build_sale_body(
        ticket=ticket_number(1, seq),
        cashier="cashier-1",
        lines=[SaleLine("p-1", "Coffee", 1000, 250, 1000)],
        payments=[Payment("cash", 250)],
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(check: Callable[[], bool], timeout: float = 600.0) -> None:
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            raise SystemExit("timed out")
        time.sleep(0.001)


class Relay:
    """The relay subprocess on a fixed port; ``start`` returns when it listens."""

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self.port = _free_port()
        self.process: subprocess.Popen[str] | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    def start(self) -> float:
        command = [sys.executable, "-m", "relay_server", "serve", "--db", self.db_url]
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port), "--log-level", "warning"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not re.fullmatch(r"listening on \S+:\d+\n", line):
            raise SystemExit(f"relay did not start: {line!r}")
        return time.perf_counter()

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def rows(self, till_id: str) -> tuple[int, int]:
        with sqlite3.connect(self.db_url.removeprefix("sqlite:///")) as conn:
            count, distinct = conn.execute(
                "SELECT COUNT(*), COUNT(DISTINCT seq) FROM journal_records "
                "WHERE till_id = ? AND chain = 'sales'",
                (till_id,),
            ).fetchone()
        return int(count), int(distinct)


class Device:
    """A till: store, engine, Docs owned by a lock (the benchmark's "GUI thread")."""

    def __init__(self, data_dir: Path, relay: Relay, licence: str) -> None:
        self.store = DeviceStore.open(data_dir)
        provision(self.store, relay.url, licence, PASSWORD)
        self.engine = SyncEngine(self.store)
        self.lock = threading.Lock()
        self.docs: dict[str, Doc[Any]] = {n: self.store.load_doc(n) for n in DOCUMENT_NAMES}
        self.on_remote: Callable[[], None] = lambda: None
        self.engine.start()
        with self.lock:
            self.bridge = self.engine.attach(self.docs, self._owner)

    def _owner(self, fn: Callable[[], None]) -> None:
        with self.lock:
            fn()
        self.on_remote()

    def watch(self, check: Callable[[SyncStatus], bool]) -> threading.Event:
        event = threading.Event()

        def listener(status: SyncStatus) -> None:
            if check(status):
                event.set()

        self.engine.subscribe(listener)
        if check(self.engine.status):
            event.set()
        return event

    def wait_acked(self, seq: int) -> None:
        _wait(lambda: self.acked() >= seq)

    def acked(self) -> int:
        return self.store.journal_acks("relay").get((self.store.identity.till_id, "sales"), 0)

    def close(self) -> None:
        self.engine.stop()
        with self.lock:
            self.bridge.close()
        self.store.close()


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.1f}"


def _p99(values: list[float]) -> str:
    return f"{percentile(values, 0.99) * 1000:.1f}"


def sale_to_ack(a: Device, count: int) -> list[float]:
    times = []
    for _ in range(count):
        record = a.store.validate_sale(_sale)
        start = time.perf_counter()
        a.engine.journal_changed()
        a.wait_acked(record.seq)
        times.append(time.perf_counter() - start)
    return times


def edit_a_to_b(a: Device, b: Device, count: int) -> list[float]:
    times = []
    products_b = b.docs["catalogue"].get("products", type=Map)
    for i in range(count):
        arrived = threading.Event()
        key = f"bench-{i}"

        def check(key: str = key, arrived: threading.Event = arrived) -> None:
            with b.lock:
                if key in products_b:
                    arrived.set()

        b.on_remote = check
        start = time.perf_counter()
        with a.lock, a.docs["catalogue"].transaction(origin=LOCAL):
            a.docs["catalogue"].get("products", type=Map)[key] = Map({"name": key, "price": i})
        if not arrived.wait(30):
            raise SystemExit("an edit did not arrive")
        times.append(time.perf_counter() - start)
        time.sleep(0.01)
    b.on_remote = lambda: None
    return times


def dead_link(relay: Relay, a: Device, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        _wait(lambda: a.engine.status.online)
        assert relay.process is not None
        offline = a.watch(lambda s: s.state is not LinkState.ONLINE)
        start = time.perf_counter()
        os.kill(relay.process.pid, signal.SIGSTOP)
        try:
            offline.wait(120)
            times.append(time.perf_counter() - start)
        finally:
            os.kill(relay.process.pid, signal.SIGCONT)
    return times


def _synced_after(last: float | None) -> Callable[[SyncStatus], bool]:
    return lambda status: status.online and status.last_sync != last


def reconnect(relay: Relay, a: Device, rounds: int) -> tuple[list[float], list[float]]:
    online, synced = [], []
    for _ in range(rounds):
        relay.kill()
        _wait(lambda: a.engine.status.state is not LinkState.ONLINE)
        time.sleep(2.0)
        last = a.engine.status.last_sync
        is_online = a.watch(lambda s: s.state is LinkState.ONLINE)
        is_synced = a.watch(_synced_after(last))
        start = relay.start()
        is_online.wait(120)
        online.append(time.perf_counter() - start)
        is_synced.wait(120)
        synced.append(time.perf_counter() - start)
    return online, synced


def offline_upload(relay: Relay, a: Device, count: int) -> tuple[float, float, float]:
    relay.kill()
    _wait(lambda: a.engine.status.state is not LinkState.ONLINE)
    target = a.store.head("sales").seq + count
    made = time.perf_counter()
    for _ in range(count):
        a.store.validate_sale(_sale)
    a.engine.journal_changed()
    made = time.perf_counter() - made
    done = a.watch(lambda s: s.pending_sales == 0)
    start = relay.start()
    a.wait_acked(target)
    acked = time.perf_counter() - start
    done.wait(60)
    shown = time.perf_counter() - start
    rows, distinct = relay.rows(a.store.identity.till_id)
    if rows != distinct or rows != target:
        raise SystemExit(f"relay holds {rows} rows, {distinct} distinct, expected {target}")
    return made, acked, shown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, help="offline sales to upload (10,000)")
    parser.add_argument("--edits", type=int, help="catalogue edits A -> B (100)")
    parser.add_argument("--acks", type=int, help="sales timed to their ack (100)")
    parser.add_argument("--restarts", type=int, help="relay restarts and freezes (5)")
    parser.add_argument("--quick", action="store_true", help="500 sales, 20 acks/edits, 1 restart")
    add_json_option(parser)
    args = parser.parse_args()
    defaults = (500, 20, 20, 1) if args.quick else (10_000, 100, 100, 5)
    for name, default in zip(("sales", "edits", "acks", "restarts"), defaults, strict=True):
        if getattr(args, name) is None:
            setattr(args, name, default)

    with tempfile.TemporaryDirectory(prefix="skytill-bench-") as tmp:
        root = Path(tmp)
        db_url = f"sqlite:///{root / 'relay.db'}"
        provision_shop(db_url, "Bench shop", "o@x.test", "owner secret")
        storage = open_storage(db_url)
        try:
            till_a = add_till(storage, "Bench shop", "A", PASSWORD)
            till_b = add_till(storage, "Bench shop", "B", PASSWORD)
        finally:
            storage.close()
        relay = Relay(db_url)
        relay.start()
        a = Device(root / "a", relay, till_a.licence_key)
        b = Device(root / "b", relay, till_b.licence_key)
        try:
            _wait(lambda: a.engine.status.online and b.engine.status.online, 30)
            acks = sale_to_ack(a, args.acks)
            edits = edit_a_to_b(a, b, args.edits)
            dead = dead_link(relay, a, args.restarts)
            online, synced = reconnect(relay, a, args.restarts)
            made, acked, shown = offline_upload(relay, a, args.sales)
        finally:
            a.close()
            b.close()
            relay.kill()

    rows = [
        ("sale -> relay ack", f"{len(acks)} sales", _ms(acks), _p99(acks)),
        ("catalogue edit A -> B", f"{len(edits)} edits", _ms(edits), _p99(edits)),
        ("relay frozen -> offline", f"{len(dead)} freezes", _ms(dead), _p99(dead)),
        ("relay restart -> online", f"{len(online)} restarts", _ms(online), _p99(online)),
        ("relay restart -> synced", f"{len(synced)} restarts", _ms(synced), _p99(synced)),
    ]
    print(f"{'measure':<26}{'n':>14}{'median ms':>12}{'p99 ms':>10}")
    for name, n, median, p99 in rows:
        print(f"{name:<26}{n:>14}{median:>12}{p99:>10}")
    print()
    print(f"offline upload of {args.sales} sales (relay held each exactly once):")
    print(f"  validating them offline          {made:8.2f} s")
    print(f"  relay back -> all acked in store {acked:8.2f} s")
    print(f"  relay back -> status shows 0     {shown:8.2f} s")
    if args.json:
        metrics = [
            {"label": f"{name}, {suffix} ({n})", "value": float(value), "unit": "ms"}
            for name, n, median, p99 in rows
            for suffix, value in (("median", median), ("p99", p99))
        ]
        metrics += [
            {"label": f"{what}, {args.sales:,} offline sales", "value": round(s, 2), "unit": "s"}
            for what, s in (
                ("validating them offline", made),
                ("relay back -> all acked in store", acked),
                ("relay back -> status shows 0", shown),
            )
        ]
        write_figures(args.json, {"metrics": metrics})


if __name__ == "__main__":
    main()
