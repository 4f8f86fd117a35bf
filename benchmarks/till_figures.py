"""The till's figures: start-up to the selling screen, barcode scan to basket line, and a
manager's edit reaching the till through a real relay.

Standalone: ``python -m benchmarks.till_figures [--quick] [--json [PATH]]``. Qt runs
offscreen. It prints one table; with ``--json`` the last line of stdout is the figures
as one JSON object (``{"metrics": [...]}``, what ``benchmarks/domain.py`` reads), or
with ``--json PATH`` goes to that file instead. Wall-clock times on this machine; not a test.

- Start-up: the demo shop (a till with its cashiers) grown to N products with
  ``create_products`` in a real store; then a fresh Python process opens it:
  ``TillSession.open`` + ``TillWindow`` shown, a cashier chosen, the window rendered
  (``grab()``, which paints the product grid). Reported: that part as timed inside
  the child, and the child's whole life (interpreter, imports, exit) from outside.
- Scan: keyboard-wedge digits + Enter sent to the focused widget of the till window
  (the application's scanner filter catches them), until the basket model has the
  line and pending events (the table repaint) are processed; random barcodes among
  the N products, the basket emptied every 20 scans (not timed).
- Propagation: a relay subprocess on 127.0.0.1; a till (session + window + sync
  engine, default timings) with the demo shop's catalogue, then with it grown to
  20,000 and 100,000 products (10,000 with --quick); the owner's manager (owner login,
  its own engine and documents on the GUI thread) receives that catalogue through the
  relay, then changes a price, timed until the till's catalogue read model (what the
  product buttons show) has it; then adds products, timed until the till's read model
  has each one. A size whose catalogue never reaches the manager is reported as "not
  measured", with the reason, instead of a figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from app.core.basket import Basket
from app.core.store import DeviceStore
from app.core.sync import SyncEngine, login_owner, provision
from app.qt.bridge import AsyncBridge
from app.till.session import TillSession
from app.till.window import TillWindow
from benchmarks.figures import add_json_option, percentile, write_figures
from crdt_models.documents import ProductSpec
from crdt_models.documents.shop import ShopDocuments
from crdt_models.sync import MAX_FRAME_BYTES
from relay_server.provisioning import add_till, provision_shop
from relay_server.storage import open_storage

__all__ = ["main"]

ROOT = Path(__file__).resolve().parents[1]
OWNER_EMAIL = "owner@figures.test"
PASSWORD = "figures secret"
Metric = dict[str, Any]


class NotMeasuredError(RuntimeError):
    """A figure that could not be taken; the reason is reported in its place."""


def _app() -> QApplication:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    return app


def _ean13(first12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return first12 + str((10 - total % 10) % 10)


def _barcode(i: int) -> str:
    return _ean13(f"29{i:010d}")  # in-store codes, distinct from the demo shop's


def build_till(data_dir: Path, products: int) -> int:
    """The demo till in ``data_dir``, its catalogue grown to ``products``; the count added."""
    session = TillSession.open(data_dir, demo=True)
    try:
        catalogue = session.shop.catalogue
        existing = list(catalogue.products_by_id().values())
        vat, categories = existing[0].vat, sorted({p.category for p in existing if p.category})
        added = max(0, products - len(existing))
        specs = [
            ProductSpec(
                name=f"Article {i:06d}",
                price=50 + (i * 37) % 5000,
                vat=vat,
                barcode=_barcode(i),
                category=categories[i % len(categories)],
            )
            for i in range(added)
        ]
        catalogue.create_products(specs)
        return added
    finally:
        session.close()


def open_selling_screen(data_dir: Path) -> tuple[TillSession, TillWindow]:
    """Open the till as at start-up, up to the painted selling screen."""
    session = TillSession.open(data_dir)
    window = TillWindow(session)
    window.resize(1280, 800)
    window.show()
    window.cashier_screen.choose(session.shop.settings.cashiers()[0])
    assert window.stack.currentWidget() is window.selling
    _app().processEvents()
    window.grab()  # renders the whole window now: the product grid is painted
    return session, window


def startup_child(data_dir: Path) -> None:
    """Run in a fresh process: time the start-up, print it as one JSON line."""
    _app()
    started = time.perf_counter()
    session, window = open_selling_screen(data_dir)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "products": len(session.catalogue)}))
    window.close()
    session.close()


def measure_startup(data_dir: Path, runs: int) -> tuple[float, float, int]:
    """Median (inside the child, whole child process) in seconds over ``runs`` fresh processes."""
    inside: list[float] = []
    whole: list[float] = []
    count = 0
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.till_figures", "--startup-child", str(data_dir)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        )
        whole.append(time.perf_counter() - started)
        payload = json.loads(done.stdout.strip().splitlines()[-1])
        inside.append(float(payload["seconds"]))
        count = int(payload["products"])
    return statistics.median(inside), statistics.median(whole), count


def measure_scans(data_dir: Path, products: int, scans: int) -> list[float]:
    """Seconds from the first digit typed to the basket line shown, per scan."""
    app = _app()
    session, window = open_selling_screen(data_dir)
    try:
        rng = random.Random(5)
        codes = [_barcode(rng.randrange(products)) for _ in range(scans)]
        times: list[float] = []
        for n, code in enumerate(codes):
            if n % 20 == 0:
                window.selling.set_basket(Basket())
                app.processEvents()
            before = len(session.basket.lines)
            target: QWidget = QApplication.focusWidget() or window.selling.table
            started = time.perf_counter()
            QTest.keyClicks(target, code)
            QTest.keyClick(target, Qt.Key.Key_Return)
            app.processEvents()
            times.append(time.perf_counter() - started)
            assert len(session.basket.lines) == before + 1, f"scan {code} added no line"
        return times
    finally:
        window.close()
        session.close()


@contextmanager
def relay_process(db_url: str) -> Iterator[str]:
    """``python -m relay_server serve`` on a free port; yields its websocket URL."""
    command = [sys.executable, "-m", "relay_server", "serve", "--db", db_url, "--port", "0"]
    process = subprocess.Popen(
        [*command, "--log-level", "warning"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"listening on [\d.]+:(\d+)", line)
        if match is None:
            raise RuntimeError(f"the relay did not start: {line!r}")
        yield f"ws://127.0.0.1:{match[1]}/"
    finally:
        process.terminate()
        process.communicate(timeout=30)


def _wait(check: Callable[[], bool], timeout: float, what: str) -> None:
    """Run the GUI event loop until ``check`` holds (polling, never a fixed sleep)."""
    app = _app()
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            raise NotMeasuredError(f"not before the deadline: {what}")
        app.processEvents()
        time.sleep(0.0002)


def measure_propagation(tmp: Path, products: int, edits: int) -> dict[str, list[float]]:
    """Seconds from a manager's edit to the till's read model having it, per edit: ``edits``
    price changes ("price"), then as many products added ("add"); the till's catalogue
    holds ``products`` (at least the demo shop's)."""
    tmp.mkdir()
    build_till(tmp / "till", products)
    db_url = f"sqlite:///{tmp / 'relay.db'}"
    provision_shop(db_url, "Figures", OWNER_EMAIL, PASSWORD)
    storage = open_storage(db_url)
    try:
        licence = add_till(storage, "Figures", "Till 1", PASSWORD).licence_key
    finally:
        storage.close()
    _app()
    with relay_process(db_url) as url:
        bridge = AsyncBridge()
        session = TillSession.open(tmp / "till")
        provision(session.store, url, licence, PASSWORD)
        engine = SyncEngine(session.store)
        engine.start(bridge.loop)
        session.attach_sync(engine, bridge.to_gui)
        window = TillWindow(session)
        window.attach_sync(engine, bridge)
        window.show()
        manager_store = DeviceStore.open(tmp / "manager")
        asyncio.run(login_owner(manager_store, url, OWNER_EMAIL, PASSWORD))
        manager = ShopDocuments.open(manager_store.identity.device_id)
        manager_engine = SyncEngine(manager_store)
        manager_engine.start()
        manager_bridge = manager_engine.attach(
            manager.docs, bridge.to_gui, after_remote=manager.settle
        )
        try:
            ids = sorted(session.shop.catalogue.products_by_id())[:edits]
            try:
                _wait(
                    lambda: set(ids) <= set(manager.catalogue.products_by_id()),
                    60,
                    "the manager received the till's catalogue",
                )
            except NotMeasuredError as exc:
                size = len(session.shop.docs["catalogue"].get_update())
                raise NotMeasuredError(
                    f"{exc} (catalogue document {size:,} bytes, frame limit "
                    f"{MAX_FRAME_BYTES:,}; till status {engine.status}, manager status "
                    f"{manager_engine.status})"
                ) from None
            times: list[float] = []
            for n in range(edits):
                product = ids[n % len(ids)]
                price = 10_000 + n
                started = time.perf_counter()
                manager.catalogue.update_product(product, price=price)

                def arrived(product: str = product, price: int = price) -> bool:
                    tile = session.catalogue.tile(product)
                    return tile is not None and tile.price == price

                _wait(arrived, 30, f"edit {n} on the till")
                times.append(time.perf_counter() - started)
            # The till's demo VAT rates never reach the relay (a till may not write the
            # settings): the manager makes one for the products it adds.
            vat = manager.settings.create_vat_rate(name="Figures", rate_bp=2000).entry_id
            _wait(
                lambda: vat in {r.id for r in session.shop.settings.vat_rates()},
                30,
                "the manager's VAT rate on the till",
            )
            _app().processEvents()  # the till re-reads its products for the new rate: untimed
            category = manager.catalogue.product(ids[0]).category
            added: list[float] = []
            for n in range(edits):
                started = time.perf_counter()
                new = manager.catalogue.create_product(
                    name=f"Added {n:03d}", price=100 + n, vat=vat, category=category
                ).entry_id

                def on_till(new: str = new) -> bool:
                    return session.catalogue.tile(new) is not None

                _wait(on_till, 30, f"addition {n} on the till")
                added.append(time.perf_counter() - started)
            return {"price": times, "add": added}
        finally:
            manager_bridge.close()
            manager_engine.stop()
            manager_store.close()
            window.close()
            session.close()
            bridge.close()


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def run(quick: bool) -> list[Metric]:
    sizes = (1_000, 10_000) if quick else (1_000, 100_000)
    runs, scans, edits = (1, 50, 10) if quick else (3, 200, 50)
    metrics: list[Metric] = []
    with tempfile.TemporaryDirectory(prefix="till-figures-") as name:
        tmp = Path(name)
        for size in sizes:
            data_dir = tmp / f"till-{size}"
            started = time.perf_counter()
            added = build_till(data_dir, size)
            metrics.append(
                {
                    "label": f"build the catalogue ({size:,} products, stored)",
                    "value": round(time.perf_counter() - started, 2),
                    "unit": "s",
                }
            )
            inside, whole, count = measure_startup(data_dir, runs)
            note = f"{count:,} products, median of {runs} fresh process(es)"
            metrics.append(
                {
                    "label": f"start-up to painted selling screen, {count:,} products",
                    "value": _ms(inside),
                    "unit": "ms",
                    "note": f"session open + window + paint; {note}",
                }
            )
            metrics.append(
                {
                    "label": f"start-up, whole process, {count:,} products",
                    "value": _ms(whole),
                    "unit": "ms",
                    "note": f"interpreter + imports + open + paint + exit; {note}",
                }
            )
        scan_times = measure_scans(tmp / f"till-{sizes[-1]}", added, scans)
        label = f"scan to basket line ({sizes[-1]:,} products, {scans} scans)"
        metrics.append({"label": f"{label}, median", "value": _ms(statistics.median(scan_times))})
        metrics.append({"label": f"{label}, p99", "value": _ms(percentile(scan_times, 0.99))})
        for size in (0, 10_000) if quick else (0, 20_000, 100_000):
            shown = f"{size:,} products" if size else "the demo shop"
            labels = {
                "price": f"manager edit to till read model via relay, {shown} ({edits} edits)",
                "add": f"product added on the manager to till read model via relay, {shown} "
                f"({edits} products)",
            }
            try:
                edit_times = measure_propagation(tmp / f"relay-{size}", size, edits)
            except NotMeasuredError as exc:
                failed = {"label": labels["price"], "value": "not measured", "note": str(exc)}
                metrics.append(failed)
                continue
            for kind, label in labels.items():
                median = _ms(statistics.median(edit_times[kind]))
                metrics.append({"label": f"{label}, median", "value": median})
                metrics.append(
                    {"label": f"{label}, p99", "value": _ms(percentile(edit_times[kind], 0.99))}
                )
    for metric in metrics:
        metric.setdefault("unit", "ms")
    return metrics


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes and fewer samples")
    add_json_option(parser)
    parser.add_argument("--startup-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.startup_child is not None:
        startup_child(args.startup_child)
        return 0
    metrics = run(args.quick)
    width = max(len(m["label"]) for m in metrics)
    print(f"{'figure':<{width}}  {'value':>10}  unit")
    for m in metrics:
        print(f"{m['label']:<{width}}  {m['value']:>10}  {m['unit']}  {m.get('note', '')}")
    write_figures(args.json, {"metrics": metrics})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
