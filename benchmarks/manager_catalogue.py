"""The manager's catalogue with 100,000 products: start-up, table fill, filter and sort latency.

Standalone: ``QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/manager_catalogue.py
[--products N] [--quick] [--json [PATH]]``. It builds a catalogue of N products
(one import transaction) in a real device store in a temporary directory, reopens it as the manager
does at start-up, opens the catalogue page, then times what an owner does:
typing in the search box, sorting a column, changing one price. Prints one
table; timings are wall-clock seconds on this machine (not a test). ``--quick``
uses 5,000 products; ``--json`` ends with one JSON line of the same figures (or
writes them to PATH).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.manager.catalogue_page import CataloguePage
from app.manager.context import ManagerContext
from benchmarks.figures import add_json_option, write_figures
from crdt_models.documents import ProductSpec

Row = tuple[str, float, str]


def _timed(rows: list[Row], what: str, fn: Callable[[], object], note: str = "") -> object:
    start = time.perf_counter()
    result = fn()
    rows.append((what, time.perf_counter() - start, note))
    return result


def _settle(app: QApplication) -> None:
    for _ in range(3):
        app.processEvents()


def _fill(data_dir: Path, count: int, rows: list[Row]) -> None:
    context = ManagerContext.open(data_dir)
    try:
        rate = context.settings.create_vat_rate(name="Normal", rate_bp=2000).entry_id
        categories = [
            context.catalogue.create_category(name=f"Family {i:02d}").entry_id for i in range(40)
        ]
        specs = [
            ProductSpec(
                name=f"Product {i:06d} {('croissant', 'baguette', 'soda', 'cake')[i % 4]}",
                price=50 + (i * 37) % 5000,
                vat=rate,
                barcode=_ean13(f"2{i:011d}"),  # in-store codes (prefix 2), all distinct
                category=categories[i % len(categories)],
            )
            for i in range(count)
        ]
        _timed(
            rows,
            f"import {count:,} products (one transaction, stored)",
            lambda: context.catalogue.create_products(specs),
        )
    finally:
        context.close()


def _ean13(first12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return first12 + str((10 - total % 10) % 10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, help="default 100,000 (quick: 5,000)")
    parser.add_argument("--quick", action="store_true", help="5,000 products")
    add_json_option(parser)
    args = parser.parse_args(argv)
    args.products = args.products or (5_000 if args.quick else 100_000)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "manager"
        _fill(data_dir, args.products, rows)
        context = _timed(
            rows, "open store + load the 4 documents", lambda: ManagerContext.open(data_dir)
        )
        assert isinstance(context, ManagerContext)
        try:
            _timed(rows, "first read of every product (parse)", context.catalogue.products_by_id)

            def open_page() -> CataloguePage:
                page = CataloguePage(context)
                page.resize(1440, 900)
                page.show()
                _settle(app)
                return page

            page = _timed(rows, "catalogue page: table fill + sort + first paint", open_page)
            assert isinstance(page, CataloguePage)
            assert page.models.products.rowCount() == args.products
            _timed(rows, "conflict check over the catalogue", page.check_conflicts_now)
            products = page.products
            for needle in ("c", "cr", "croissant", "croissant 0042", "zzz"):

                def search(text: str = needle) -> int:
                    products.search.setText(text)
                    products.apply_search()
                    _settle(app)
                    return products.model.rowCount()

                _timed(rows, f"filter {needle!r}", search)
                rows[-1] = (*rows[-1][:2], f"{products.model.rowCount():,} rows shown")

            def clear() -> None:
                products.search.clear()
                products.apply_search()
                _settle(app)

            def sort() -> None:
                products.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
                _settle(app)

            _timed(rows, "clear the filter", clear)
            _timed(rows, "sort by price (descending)", sort)
            some = next(iter(context.catalogue.products_by_id()))

            def change_price() -> None:
                context.catalogue.update_product(some, price=4321)
                _settle(app)
                row = page.models.products.row_of(some)
                assert row is not None and page.models.products.entry(row).price == 4321

            _timed(rows, "change one price -> row redrawn", change_price, "one row refreshed")
        finally:
            context.close()
    width = max(len(r[0]) for r in rows)
    print(f"{'step':<{width}}  {'seconds':>8}  note")
    for what, seconds, note in rows:
        print(f"{what:<{width}}  {seconds:8.3f}  {note}")
    if args.json:
        metrics = [
            {
                "label": f"{what}, {args.products:,} products",
                "value": round(seconds, 3),
                "unit": "s",
            }
            for what, seconds, _ in rows
        ]
        write_figures(args.json, {"metrics": metrics})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
