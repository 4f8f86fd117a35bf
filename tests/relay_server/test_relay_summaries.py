"""Daily summaries on both storage backends: exactly once, concurrent relays, the shop's
days, statistics over a period, and the r0002 migration's backfill."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from pycrdt import Doc
from relay_journal_records import SALE_TOTAL, sales
from relay_migrations import alembic_config, insert_old_shop
from sqlalchemy import create_engine

from crdt_models.documents import SettingsDocument
from crdt_models.errors import ValidationError
from crdt_models.journal import (
    Payment,
    Record,
    append_record,
    generate_signing_key,
    head_after,
    public_key_of,
    ticket_number,
)
from crdt_models.journal.refund import RefundLine, build_refund_body
from crdt_models.journal.sale import CASH
from relay_server.journal import JournalService
from relay_server.provisioning import add_owner, add_till
from relay_server.storage import Storage, TillInfo, open_storage
from relay_server.storage.database import normalize_url
from relay_server.storage.journal import rows_of
from relay_server.storage.schema import Base, SaleLineFact

PARIS = ZoneInfo("Europe/Paris")


def _shop(storage: Storage, tills: int = 1) -> tuple[list[TillInfo], bytes]:
    add_owner(storage, "A", "a@x.test", "pw")
    key = generate_signing_key()
    infos = []
    for n in range(tills):
        till = add_till(storage, "A", f"A{n + 1}", "pw")
        storage.accounts.register_till_key(till.id, public_key_of(key))
        infos.append(till)
    return infos, key


def _paris(day: int, hour: int, minute: int) -> int:
    """Unix seconds of a time of June 2026 in Paris."""
    return int(datetime(2026, 6, day, hour, minute, tzinfo=PARIS).timestamp())


def _with_refund(sold: list[Record], key: bytes) -> list[Record]:
    """``sold`` then a refund of the first line (2 croissants) of its first sale, in cash."""
    original = sold[0]
    body = build_refund_body(
        ticket=ticket_number(1, len(sold) + 1),
        cashier="Ann",
        original=original,
        previous_refunds=[],
        lines=[RefundLine(line=0, qty=original.body["lines"][0]["qty"])],
        payments=[Payment(CASH, original.body["lines"][0]["total"])],
        reason="burnt",
    )
    refund = append_record(head_after(sold[-1]), "refund", body, sold[-1].ts + 60, key)
    return [*sold, refund]


async def test_a_record_received_twice_or_from_two_connections_counts_once(
    storage: Storage,
) -> None:
    (till,), key = _shop(storage)
    service = JournalService(storage)
    lines = [r.to_json_line() for r in sales(till.id, 1, key, 4)]
    await asyncio.gather(
        service.receive(till.shop_id, lines[:3]),
        service.receive(till.shop_id, lines),
        service.receive(till.shop_id, lines[1:]),
    )
    await service.receive(till.shop_id, lines)  # a till that never saw the ack sends again
    stats: dict[str, Any] = await service.stats(till.shop_id, "2024-03-01", "2024-03-31")
    assert (stats["total"], stats["count"]) == (4 * SALE_TOTAL, 4)
    assert stats["by_till"][till.id]["total"] == 4 * SALE_TOTAL
    assert stats["by_product"]["p1"] == {"name": "Croissant", "quantity": 8000, "total": 960}
    assert sum(stats["by_hour"].values()) == sum(stats["by_method"].values()) == 4 * SALE_TOTAL


def test_two_relays_storing_sales_of_the_same_day_at_once_add_up(db_url: str) -> None:
    first = open_storage(db_url)
    second = open_storage(db_url)  # another relay process on the same database
    try:
        tills, key = _shop(first, tills=4)
        chains = [sales(t.id, t.number, key, 30) for t in tills]
        start = threading.Barrier(len(tills))
        failures: list[BaseException] = []

        def upload(storage: Storage, chain: list[Record]) -> None:
            try:
                start.wait()
                for n in range(0, len(chain), 2):  # many small transactions, interleaved
                    assert storage.journal.insert_many(tills[0].shop_id, chain[n : n + 2], PARIS)
            except BaseException as exc:  # reported below
                failures.append(exc)

        threads = [
            threading.Thread(target=upload, args=((first, second)[i % 2], chain))
            for i, chain in enumerate(chains)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        stats = first.journal.stats(tills[0].shop_id, "2024-03-01", "2024-03-31")
        assert (stats["total"], stats["count"]) == (120 * SALE_TOTAL, 120)
        assert {t: row["total"] for t, row in stats["by_till"].items()} == {
            t.id: 30 * SALE_TOTAL for t in tills
        }
        assert stats["by_method"] == {"card": 120 * SALE_TOTAL}
        assert sum(stats["by_hour"].values()) == 120 * SALE_TOTAL
    finally:
        first.close()
        second.close()


async def test_sales_count_in_the_shops_day_and_keep_it_when_the_zone_changes(
    storage: Storage,
) -> None:
    (till,), key = _shop(storage)
    service = JournalService(storage)  # no rooms here: the zone comes from storage
    # 00:30 on 13 June in Paris is 22:30 on 12 June in UTC.
    night = sales(till.id, 1, key, 2, ts0=_paris(13, 0, 30))
    await service.receive(till.shop_id, [night[0].to_json_line()])
    stats = await service.stats(till.shop_id, "2026-06-13", "2026-06-13")
    assert (stats["count"], stats["by_hour"]) == (1, {"0": SALE_TOTAL})
    assert (await service.stats(till.shop_id, "2026-06-12", "2026-06-12"))["count"] == 0

    # The owner moves the shop to New York: the next sale (01:30 Paris, 19:30 the day
    # before in New York) counts in New York's day; the first one keeps its day.
    settings = SettingsDocument(Doc())
    settings.update_shop(timezone="America/New_York")
    storage.documents.append(till.shop_id, "settings", settings.doc.get_update())
    await service.receive(till.shop_id, [night[1].to_json_line()])
    june_12 = await service.stats(till.shop_id, "2026-06-12", "2026-06-12")
    assert (june_12["count"], june_12["by_hour"]) == (1, {"19": SALE_TOTAL})
    both = await service.stats(till.shop_id, "2026-06-12", "2026-06-13")
    assert both["by_day"] == {"2026-06-12": SALE_TOTAL, "2026-06-13": SALE_TOTAL}


async def test_stats_refuse_a_malformed_day_or_a_reversed_period(storage: Storage) -> None:
    (till,), _key = _shop(storage)
    service = JournalService(storage)
    for first, last in (("2024-3-5", "2024-03-05"), ("20240305", "20240305"), ("x", "x")):
        with pytest.raises(ValidationError) as info:
            await service.stats(till.shop_id, first, last)
        assert info.value.code == "stats.day"
    with pytest.raises(ValidationError) as info:
        await service.stats(till.shop_id, "2024-03-06", "2024-03-05")
    assert info.value.code == "stats.period"


def test_a_year_is_answered_from_the_summaries_with_refunds_negative(storage: Storage) -> None:
    (till,), key = _shop(storage)
    records = _with_refund(sales(till.id, 1, key, 3), key)
    assert storage.journal.insert_many(till.shop_id, records, PARIS)
    stats = storage.journal.stats(till.shop_id, "2024-01-01", "2024-12-31")
    assert (stats["total"], stats["count"], stats["refunds"]) == (3 * SALE_TOTAL - 240, 4, 1)
    assert stats["by_product"]["p1"] == {"name": "Croissant", "quantity": 4000, "total": 480}
    assert stats["by_method"] == {"card": 3 * SALE_TOTAL, CASH: -240}
    assert stats["by_day"] == {"2024-03-05": 3 * SALE_TOTAL - 240}


# -- the migration ------------------------------------------------------------------------


def test_the_migrations_build_exactly_the_orm_schema(db_url: str) -> None:
    open_storage(db_url).close()
    engine = create_engine(normalize_url(db_url))
    try:
        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    finally:
        engine.dispose()


def test_upgrading_an_r0001_database_fills_the_summaries_from_its_facts(
    db_url: str, tmp_path: Path
) -> None:
    """A database an r0001 relay filled (days in UTC, refunded quantities positive) is
    upgraded: its statistics are those of the same records stored by this relay in UTC."""
    key = generate_signing_key()
    shop_id, till_id = "shop-1", "till-1"
    records = _with_refund(sales(till_id, 1, key, 3), key)
    engine = create_engine(normalize_url(db_url))
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "r0001")
            insert_old_shop(connection, shop_id, till_id)
            for record in records:
                for row in rows_of(shop_id, record, UTC):
                    values = {c.key: getattr(row, c.key) for c in row.__table__.columns}
                    if isinstance(row, SaleLineFact):
                        values["quantity"] = abs(values["quantity"])  # as r0001 stored it
                    connection.execute(row.__table__.insert(), values)
    finally:
        engine.dispose()

    upgraded = open_storage(db_url)
    reference = open_storage(f"sqlite:///{tmp_path / 'reference.db'}")
    try:
        shop = reference.accounts.create_shop("Old shop")
        till = reference.accounts.add_till(shop.id, "Old till", "licence", "-")
        moved = [dataclasses.replace(r, till_id=till.id) for r in records]
        assert reference.journal.insert_many(shop.id, moved, UTC)

        def year(storage: Storage, shop: str, till: str) -> dict[str, Any]:
            answer = storage.journal.stats(shop, "2024-01-01", "2024-12-31")
            answer["by_till"] = {"the till": answer["by_till"].pop(till), **answer["by_till"]}
            return answer

        got = year(upgraded, shop_id, till_id)
        assert got == year(reference, shop.id, till.id)
        assert (got["total"], got["count"], got["refunds"]) == (3 * SALE_TOTAL - 240, 4, 1)
        assert got["by_product"]["p1"]["quantity"] == 4000  # 6 sold, 2 refunded
        # UTC hours, as r0001 stored them; the refund was made at 11:01
        assert got["by_hour"] == {"9": SALE_TOTAL, "10": SALE_TOTAL, "11": SALE_TOTAL - 240}

        # The upgraded relay goes on adding to the backfilled rows.
        more = sales(till_id, 1, key, 5)[4:]  # seq 5, after the refund at seq 4
        assert upgraded.journal.insert_many(shop_id, more, UTC)
        assert upgraded.journal.stats(shop_id, "2024-03-05", "2024-03-05")["count"] == 5
    finally:
        upgraded.close()
        reference.close()


def test_the_top_products_are_those_of_the_highest_total(storage: Storage) -> None:
    (till,), key = _shop(storage)
    # 2 croissants (2.40) and a coffee (2.00) per sale; a refund takes the croissants back
    records = _with_refund(sales(till.id, 1, key, 3), key)
    assert storage.journal.insert_many(till.shop_id, records, PARIS)
    top = storage.journal.stats(till.shop_id, "2024-03-05", "2024-03-05", top=1)
    assert top["by_product"] == {"p2": {"name": "Coffee", "quantity": 3000, "total": 600}}
    assert top["total"] == 3 * SALE_TOTAL - 240  # only the products are cut
    both = storage.journal.stats(till.shop_id, "2024-03-05", "2024-03-05", top=2)
    assert list(both["by_product"]) == ["p2", "p1"]  # 6.00 and 4.80
