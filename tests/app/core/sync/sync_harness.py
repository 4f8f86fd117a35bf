"""Helpers of the sync engine tests: a relay subprocess that can be killed and restarted
on the same port, tills (store + engine + docs) in temporary data directories, and
polling with a deadline. Not a test module."""

from __future__ import annotations

import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pycrdt import Doc, Map

from app.core.store import DeviceStore
from app.core.sync import DocBridge, LinkTimings, SyncEngine, SyncStatus, SyncTimings, provision
from crdt_models.documents import ShopDocuments
from crdt_models.documents.origin import LOCAL
from crdt_models.documents.schema import DOCUMENT_NAMES
from crdt_models.journal import Payment, SaleLine, build_sale_body, ticket_number
from relay_server.storage import TillInfo

DEADLINE = 30.0
TILL_PASSWORD = "till secret"

#: Quick to notice a dead link and quick to retry, so tests stay short.
FAST = SyncTimings(
    link=LinkTimings(
        open_timeout=2.0, auth_timeout=5.0, ping_interval=1.0, ping_timeout=1.0, close_timeout=0.5
    ),
    backoff_first=0.05,
    backoff_cap=0.5,
)


def eventually(check: Callable[[], bool], timeout: float = DEADLINE, what: str = "") -> None:
    """Poll ``check`` until it is true; fail after ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            raise AssertionError(f"not true before the deadline: {what or check}")
        time.sleep(0.02)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sale_body(seq: int, price: int = 250) -> dict[str, Any]:
    """A valid cash sale with the ticket number of ``seq``."""
    return build_sale_body(
        ticket=ticket_number(1, seq),
        cashier="cashier-1",
        lines=[SaleLine("p-1", "Coffee", 1000, price, 1000)],
        payments=[Payment("cash", price)],
    )


@dataclass
class RelayProcess:
    """``python -m relay_server serve`` on a fixed port over one SQLite file."""

    db_url: str
    port: int
    process: subprocess.Popen[str] | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    def start(self) -> None:
        command = [sys.executable, "-m", "relay_server", "serve", "--db", self.db_url]
        process = subprocess.Popen(
            [*command, "--port", str(self.port), "--log-level", "warning"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert process.stdout is not None
        line = process.stdout.readline()
        if re.fullmatch(r"listening on (\S+):(\d+)\n", line) is None:
            process.kill()
            process.wait()
            raise AssertionError(f"relay did not start: {line!r}")
        self.process = process

    def kill(self) -> None:
        """SIGKILL: the relay vanishes without closing its connections."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            assert self.process.stdout is not None
            self.process.stdout.close()
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            assert self.process.stdout is not None
            self.process.stdout.close()
            self.process = None

    def journal_rows(self, till_id: str, chain: str = "sales") -> list[int]:
        """The seqs the relay stores for (till, chain), one entry per stored row."""
        with sqlite3.connect(self.db_url.removeprefix("sqlite:///")) as conn:
            rows = conn.execute(
                "SELECT seq FROM journal_records WHERE till_id = ? AND chain = ? ORDER BY seq",
                (till_id, chain),
            ).fetchall()
        return [int(r[0]) for r in rows]

    def sale_total(self, till_id: str) -> int:
        """The sum of the sale facts of a till (counted twice if a sale were stored twice)."""
        with sqlite3.connect(self.db_url.removeprefix("sqlite:///")) as conn:
            row = conn.execute(
                "SELECT COALESCE(SUM(total_cents), 0), COUNT(*) FROM sale_facts WHERE till_id = ?",
                (till_id,),
            ).fetchone()
        return int(row[0])

    def revoke(self, till_id: str) -> None:
        command = [sys.executable, "-m", "relay_server", "revoke-till", "--db", self.db_url]
        subprocess.run(
            [*command, "--till-id", till_id],
            check=True,
            capture_output=True,
        )


class LockedOwner:
    """The "owner thread" of a test till's Docs: every access holds one lock.

    The engine delivers relay updates by calling it (from its loop thread); the
    test edits and reads under the same lock. pycrdt Docs may move between
    threads as long as two never use one at once.
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()

    def __call__(self, fn: Callable[[], None]) -> None:
        with self.lock:
            fn()


@dataclass
class Shop:
    """The relay process and the shop's two tills (licence keys, ids): the ``shop`` fixture.

    Here, not in conftest.py: test modules import it, and several conftest.py
    files share that module name."""

    relay: RelayProcess
    till_a: TillInfo
    till_b: TillInfo


@dataclass
class Till:
    """One device: its store, engine and live Docs (bridged to the engine)."""

    store: DeviceStore
    engine: SyncEngine
    docs: dict[str, Doc[Any]]
    owner: LockedOwner
    bridge: DocBridge | None = None
    statuses: list[SyncStatus] = field(default_factory=list)
    shop: ShopDocuments | None = None

    @classmethod
    def open(
        cls,
        data_dir: Path,
        relay: RelayProcess | None = None,
        licence: str | None = None,
        *,
        with_shop: bool = False,
    ) -> Till:
        """Open a store in ``data_dir``, log it in (if ``licence``), start its engine.

        ``with_shop`` wraps the Docs in the domain layer and settles each relay
        update through it, as the apps do."""
        store = DeviceStore.open(data_dir)
        if relay is not None and licence is not None:
            provision(store, relay.url, licence, TILL_PASSWORD)
        engine = SyncEngine(store, timings=FAST)
        owner = LockedOwner()
        docs = {name: store.load_doc(name) for name in DOCUMENT_NAMES}
        till = cls(store, engine, docs, owner)
        engine.subscribe(till.statuses.append)
        engine.start()
        with owner.lock:
            if with_shop:
                till.shop = ShopDocuments.open(store.identity.device_id, docs)
                till.bridge = engine.attach(docs, owner, after_remote=till.shop.settle)
            else:
                till.bridge = engine.attach(docs, owner)
        return till

    def wait(self, check: Callable[[SyncStatus], bool], what: str) -> None:
        """Poll the engine's status until ``check`` holds; the failure shows the last states."""
        try:
            eventually(lambda: check(self.engine.status), what=what)
        except AssertionError as exc:
            raise AssertionError(f"{exc}; last statuses: {self.statuses[-4:]}") from None

    def edit(self, doc: str, change: Callable[[Doc[Any]], None]) -> None:
        """A local change (origin LOCAL), as the app makes it."""
        with self.owner.lock, self.docs[doc].transaction(origin=LOCAL):
            change(self.docs[doc])

    def read(self, doc: str, read: Callable[[Doc[Any]], Any]) -> Any:
        with self.owner.lock:
            return read(self.docs[doc])

    def sell(self, count: int = 1, price: int = 250) -> None:
        for _ in range(count):
            self.store.validate_sale(lambda seq: sale_body(seq, price))
            self.engine.journal_changed()

    def close(self) -> None:
        self.engine.stop()
        with self.owner.lock:
            if self.bridge is not None:
                self.bridge.close()
        self.store.close()


def set_product(product_id: str, name: str, price: int) -> Callable[[Doc[Any]], None]:
    def change(doc: Doc[Any]) -> None:
        products = doc.get("products", type=Map)
        products[product_id] = Map({"name": name, "price": price})

    return change


def product_name(product_id: str) -> Callable[[Doc[Any]], Any]:
    def read(doc: Doc[Any]) -> Any:
        entry = doc.get("products", type=Map).get(product_id)
        return None if entry is None else entry.get("name")

    return read
