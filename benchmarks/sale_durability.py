"""How long a sale takes to become durable on this machine (a benchmark, not a test).

``python -m benchmarks.sale_durability [--sales N] [--dir PARENT] [--quick] [--json [PATH]]``

Validates N sales one after another on a fresh device store (real SQLite
file, WAL, ``synchronous=FULL``: each validation returns only after the
commit's fsync and the ``head.json`` update) and reports, per sale, the
median and p99 time from the call to its return, the sustained rate, and
for comparison the time to build and sign the same record without storing
it. Also reports how long reopening the store takes afterwards. Put
``--dir`` on the disk the till will really use: the figures are mostly the
disk's fsync latency.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from app.core.store import DeviceStore
from benchmarks.figures import add_json_option, percentile, write_figures
from crdt_models.journal import (
    ChainHead,
    Payment,
    SaleLine,
    append_record,
    build_sale_body,
    generate_signing_key,
    head_after,
    ticket_number,
)


def sale_body(seq: int) -> dict[str, object]:
    """A typical three-line basket paid by card and cash."""
    return build_sale_body(
        ticket=ticket_number(1, seq),
        cashier="cashier-1",
        lines=[
            SaleLine("p-1", "Espresso", 2000, 180, 1000),
            SaleLine("p-2", "Croissant", 1000, 120, 550),
            SaleLine("p-3", "Orange juice 25 cl", 1000, 350, 550),
        ],
        payments=[Payment("card", 500), Payment("cash", 1000)],
    )


def measure(sales: int, parent: str | None) -> dict[str, float]:
    """Validate ``sales`` sales in a fresh store under ``parent``; the figures in ms and /s."""
    with tempfile.TemporaryDirectory(dir=parent, prefix="skytill-bench-") as tmp:
        data_dir = Path(tmp) / "till"
        latencies: list[float] = []
        with DeviceStore.open(data_dir, till_id="bench") as store:
            started = time.perf_counter()
            for _ in range(sales):
                t0 = time.perf_counter()
                store.validate_sale(sale_body)
                latencies.append((time.perf_counter() - t0) * 1000)
            elapsed = time.perf_counter() - started
        t0 = time.perf_counter()
        DeviceStore.open(data_dir).close()
        reopen_ms = (time.perf_counter() - t0) * 1000

    key = generate_signing_key()
    head = ChainHead.genesis("bench", "sales")
    signing: list[float] = []
    for _ in range(min(sales, 1000)):
        t0 = time.perf_counter()
        record = append_record(head, "sale", sale_body(head.seq + 1), 1_764_316_800, key)
        signing.append((time.perf_counter() - t0) * 1000)
        head = head_after(record)

    return {
        "sales": sales,
        "median_ms": round(statistics.median(latencies), 3),
        "p99_ms": round(percentile(latencies, 0.99), 3),
        "max_ms": round(max(latencies), 3),
        "sales_per_s": round(sales / elapsed, 1),
        "sign_only_median_ms": round(statistics.median(signing), 3),
        "reopen_ms": round(reopen_ms, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sale_durability")
    parser.add_argument("--sales", type=int, help="sales to validate (default 2000, quick 300)")
    parser.add_argument("--dir", help="parent directory of the data directory (default: temp)")
    parser.add_argument("--quick", action="store_true", help="fewer sales")
    add_json_option(parser)
    args = parser.parse_args(argv)
    sales = args.sales or (300 if args.quick else 2000)
    figures = measure(sales, args.dir)
    rows = [
        ("sales validated", f"{figures['sales']}", ""),
        ("validate + durable, median", f"{figures['median_ms']:.2f}", "ms"),
        ("validate + durable, p99", f"{figures['p99_ms']:.2f}", "ms"),
        ("validate + durable, max", f"{figures['max_ms']:.2f}", "ms"),
        ("sustained rate", f"{figures['sales_per_s']:.0f}", "sales/s"),
        ("build + sign only, median", f"{figures['sign_only_median_ms']:.3f}", "ms"),
        (f"reopen with {figures['sales']} sales", f"{figures['reopen_ms']:.1f}", "ms"),
    ]
    width = max(len(label) for label, _, _ in rows)
    for label, value, unit in rows:
        print(f"{label:<{width}}  {value:>10} {unit}")
    write_figures(args.json, figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
