"""The manager's dashboard query for one day and for one year (a benchmark, not a test).

``python -m benchmarks.dashboard [--sales N] [--quick] [--pg URL [--no-sqlite]] [--explain]
[--json [PATH]]``

Fills a fresh relay database with one year (2025) of a 5-till shop in Paris:
about 500,000 real signed sales (``--quick``: 2,000), each of 1 to 4 lines
from a catalogue of 500 products at three VAT rates, paid by card or in cash
with change, spread over opening hours (08:00-20:00 UTC). They are stored as
``JournalStore.insert_many`` stores what tills upload (the same rows: journal,
statistics facts and daily summaries, days in Europe/Paris; each till's first
1,000 through ``insert_many`` itself, timed, the rest in bulk). Then it times
``JournalStore.stats`` (the query behind the CONTROL "stats" request the
dashboard sends, answered from the daily summaries) for one day and for the
whole year: median and p99 over 20 queries each, after one warm-up. SQLite (a
temporary file) always; PostgreSQL too with ``--pg URL`` (a server URL: a
fresh database is created on it and dropped afterwards). ``--explain`` also
prints, for the year query, each SQL statement's time and plan (SQLite
``EXPLAIN QUERY PLAN``, PostgreSQL ``EXPLAIN``). ``--json`` ends with one JSON
line of figures (or writes them to PATH).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, insert, inspect, make_url, text

from benchmarks.figures import add_json_option, percentile, write_figures
from crdt_models.journal import (
    QTY_ONE,
    ChainHead,
    Payment,
    Record,
    SaleLine,
    append_record,
    build_sale_body,
    generate_signing_key,
    head_after,
    ticket_number,
)
from relay_server.provisioning import add_till, provision_shop
from relay_server.storage import Storage, open_storage
from relay_server.storage.journal import rows_of, summaries_of

__all__ = ["main", "measure"]

SHOP = "Dashboard bench"
ZONE = ZoneInfo("Europe/Paris")  # the shop's default time zone
TILLS = 5
YEAR = 2025
DAYS = 365
OPEN_SECONDS = 12 * 3600  # 08:00-20:00 UTC
YEAR_START = int(dt.datetime(YEAR, 1, 1, 8, tzinfo=dt.UTC).timestamp())
ONE_DAY = ("2025-06-13", "2025-06-13")  # a Friday
ONE_YEAR = ("2025-01-01", "2025-12-31")
QUERIES = 20
BATCH = 1000
VAT_RATES = (550, 1000, 2000)


def _catalogue(rng: random.Random) -> list[SaleLine]:
    """500 products, one unit each (quantities are set per sale)."""
    return [
        SaleLine(f"p{n:04d}", f"Product {n}", QTY_ONE, rng.randint(50, 5000), rng.choice(VAT_RATES))
        for n in range(500)
    ]


def _body(rng: random.Random, catalogue: list[SaleLine], ticket: str) -> dict[str, Any]:
    lines = [
        SaleLine(p.product, p.label, rng.randint(1, 3) * QTY_ONE, p.unit_price, p.vat_bp)
        for p in rng.sample(catalogue, rng.randint(1, 4))
    ]
    due = sum(line.qty * line.unit_price // QTY_ONE for line in lines)
    if rng.random() < 0.6:
        payments = [Payment("card", due)]
    else:  # cash, rounded up to the next 5.00 (change given back)
        payments = [Payment("cash", -(-due // 500) * 500)]
    return build_sale_body(ticket=ticket, cashier="Ann", lines=lines, payments=payments)


def _sales(till_id: str, number: int, count: int, seed: int) -> Iterator[list[Record]]:
    """One till's chain of ``count`` sales spread evenly over the year, in batches."""
    rng = random.Random(seed)
    catalogue = _catalogue(random.Random(0))
    key = generate_signing_key()
    head = ChainHead.genesis(till_id, "sales")
    batch: list[Record] = []
    for i in range(count):
        place = i * DAYS * OPEN_SECONDS // count
        ts = YEAR_START + place // OPEN_SECONDS * 86400 + place % OPEN_SECONDS
        body = _body(rng, catalogue, ticket_number(number, head.seq + 1))
        record = append_record(head, "sale", body, ts, key)
        head = head_after(record)
        batch.append(record)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _bulk_insert(storage: Storage, shop_id: str, records: list[Record]) -> None:
    """Store ``records`` as ``insert_many`` does (the very same rows and summaries), in one
    executemany per table: ``insert_many`` flushes record by record, which would make
    filling a year take most of an hour on this machine."""
    by_model: dict[type[Any], list[dict[str, Any]]] = defaultdict(list)
    rows = [rows_of(shop_id, record, ZONE) for record in records]
    for record_rows in rows:
        for row in record_rows:  # the journal row first, then its facts
            attributes = inspect(type(row)).column_attrs
            by_model[type(row)].append({a.key: getattr(row, a.key) for a in attributes})
    with storage.session() as session, session.begin():
        for model, values in by_model.items():
            session.execute(insert(model), values)
        summaries_of(records, rows).store(session)


def _fill(url: str, sales: int) -> tuple[Storage, str, dict[str, float]]:
    """A provisioned shop with ``TILLS`` tills and their sales: (storage, shop id, timings).

    Each till's first batch goes through ``JournalStore.insert_many`` (timed), the rest
    through :func:`_bulk_insert`."""
    shop_id = provision_shop(url, SHOP, "owner@bench.test", "owner secret").shop_id
    storage = open_storage(url)
    started, through_store, stored = time.perf_counter(), 0.0, 0
    for number in range(1, TILLS + 1):
        till = add_till(storage, SHOP, f"Till {number}", "till secret")
        count = sales // TILLS + (1 if number <= sales % TILLS else 0)
        for i, batch in enumerate(_sales(till.id, number, count, seed=number)):
            if i > 0:
                _bulk_insert(storage, shop_id, batch)
                continue
            batch_started = time.perf_counter()
            if not storage.journal.insert_many(shop_id, batch, ZONE):
                raise SystemExit(f"records of till {number} were already stored")
            through_store += time.perf_counter() - batch_started
            stored += len(batch)
    timings = {
        "fill_s": time.perf_counter() - started,
        "insert_many_ms_per_sale": through_store * 1000 / stored,
    }
    return storage, shop_id, timings


def _timed(storage: Storage, shop_id: str, days: tuple[str, str]) -> tuple[list[float], int]:
    """Milliseconds of each of ``QUERIES`` stats queries (after a warm-up), and the count."""
    count = storage.journal.stats(shop_id, *days)["count"]
    times = []
    for _ in range(QUERIES):
        started = time.perf_counter()
        storage.journal.stats(shop_id, *days)
        times.append((time.perf_counter() - started) * 1000)
    return times, int(count)


def _explain(storage: Storage, shop_id: str, days: tuple[str, str]) -> None:
    """Print each statement of one stats query: its time and its plan."""
    statements: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, sql: str, params: Any, *_: Any) -> None:
        statements.append((sql, params))

    event.listen(storage.engine, "before_cursor_execute", capture)
    try:
        storage.journal.stats(shop_id, *days)
    finally:
        event.remove(storage.engine, "before_cursor_execute", capture)
    prefix = "EXPLAIN QUERY PLAN " if storage.dialect == "sqlite" else "EXPLAIN "
    with storage.engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        for sql, params in statements:
            cursor = raw.cursor()
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            ms = (time.perf_counter() - started) * 1000
            cursor.execute(prefix + sql, params)
            plan = [" ".join(str(c) for c in row[-1:]) for row in cursor.fetchall()]
            print(f"\n[{storage.dialect}] {ms:8.1f} ms  {' '.join(sql.split())[:160]}")
            for line in plan:
                print(f"    {line}")


@contextlib.contextmanager
def _database(backend: str, pg_url: str | None) -> Iterator[str]:
    """The URL of a fresh, empty database of ``backend``, removed afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="skytill-dashboard-") as tmp:
            yield f"sqlite:///{Path(tmp) / 'relay.db'}"
        return
    import psycopg  # only with --pg

    assert pg_url is not None
    server = make_url(pg_url).set(drivername="postgresql")
    name = f"skytill_bench_{os.getpid()}"
    admin = server.render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def measure(backend: str, sales: int, pg_url: str | None, explain: bool) -> dict[str, Any]:
    """Fill a fresh ``backend`` database with ``sales`` sales; time the day and year queries."""
    with _database(backend, pg_url) as url:
        storage, shop_id, fill = _fill(url, sales)
        try:
            if storage.dialect == "postgresql":
                with storage.engine.begin() as connection:
                    connection.execute(text("ANALYZE"))
            day, day_count = _timed(storage, shop_id, ONE_DAY)
            year, year_count = _timed(storage, shop_id, ONE_YEAR)
            if year_count != sales:
                raise SystemExit(f"the year query counted {year_count} sales, not {sales}")
            if explain:
                _explain(storage, shop_id, ONE_YEAR)
        finally:
            storage.close()
    return {
        "sales": sales,
        "fill_s": round(fill["fill_s"], 1),
        "insert_many_ms_per_sale": round(fill["insert_many_ms_per_sale"], 2),
        "day_sales": day_count,
        "day_median_ms": round(statistics.median(day), 2),
        "day_p99_ms": round(percentile(day, 0.99), 2),
        "year_median_ms": round(statistics.median(year), 1),
        "year_p99_ms": round(percentile(year, 0.99), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.dashboard", description=__doc__)
    parser.add_argument("--sales", type=int, help="sales in the year (default 500000, quick 2000)")
    parser.add_argument("--quick", action="store_true", help="2,000 sales")
    parser.add_argument("--pg", metavar="URL", help="also measure on this PostgreSQL server")
    parser.add_argument("--no-sqlite", action="store_true", help="with --pg: PostgreSQL only")
    parser.add_argument("--explain", action="store_true", help="print the year query's plans")
    add_json_option(parser)
    args = parser.parse_args(argv)
    # so that a stopped run still drops its PostgreSQL database
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sales = args.sales or (2_000 if args.quick else 500_000)
    backends = ([] if args.pg and args.no_sqlite else ["sqlite"]) + (
        ["postgresql"] if args.pg else []
    )
    results = {backend: measure(backend, sales, args.pg, args.explain) for backend in backends}
    print(f"\n{TILLS} tills, {sales} sales in {YEAR}, {QUERIES} queries each")
    print(
        f"{'backend':<12}{'fill s':>9}{'ins ms':>8}{'day n':>7}{'day med':>10}{'day p99':>10}",
        end="",
    )
    print(f"{'year med':>11}{'year p99':>11}  (ms)")
    for backend, r in results.items():
        print(f"{backend:<12}{r['fill_s']:>9}{r['insert_many_ms_per_sale']:>8}", end="")
        print(f"{r['day_sales']:>7}", end="")
        print(f"{r['day_median_ms']:>10}{r['day_p99_ms']:>10}", end="")
        print(f"{r['year_median_ms']:>11}{r['year_p99_ms']:>11}")
    if args.json:
        metrics = [
            {"label": f"{label} ({backend}, {r['sales']} sales)", "value": r[key], "unit": unit}
            for backend, r in results.items()
            for label, key, unit in (
                ("one day, median", "day_median_ms", "ms"),
                ("one day, p99", "day_p99_ms", "ms"),
                ("one year, median", "year_median_ms", "ms"),
                ("one year, p99", "year_p99_ms", "ms"),
                ("insert_many per sale", "insert_many_ms_per_sale", "ms"),
            )
        ]
        write_figures(args.json, {"metrics": metrics, "results": results})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
