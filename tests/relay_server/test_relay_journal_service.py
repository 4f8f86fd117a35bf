"""Journal receipt on both storage backends: verify, store exactly once, refuse forgeries."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, tzinfo

import pytest
from relay_journal_records import SALE_TOTAL, sales

from crdt_models.journal import Payment, Record, generate_signing_key, public_key_of
from crdt_models.sync import ChainPosition
from relay_server.journal import JournalService
from relay_server.provisioning import add_owner, add_till
from relay_server.storage import Storage, TillInfo


def provisioned(storage: Storage) -> tuple[TillInfo, TillInfo, bytes, bytes]:
    add_owner(storage, "A", "a@x.test", "pw")
    add_owner(storage, "B", "b@x.test", "pw")
    till_a = add_till(storage, "A", "A1", "pw")
    till_b = add_till(storage, "B", "B1", "pw")
    key_a, key_b = generate_signing_key(), generate_signing_key()
    storage.accounts.register_till_key(till_a.id, public_key_of(key_a))
    storage.accounts.register_till_key(till_b.id, public_key_of(key_b))
    return till_a, till_b, key_a, key_b


async def test_records_are_stored_once_however_often_they_arrive(storage: Storage) -> None:
    till, _, key, _ = provisioned(storage)
    service = JournalService(storage)
    records = sales(till.id, till.number, key, 5)
    lines = [r.to_json_line() for r in records]

    first, second = await asyncio.gather(
        service.receive(till.shop_id, lines[:3]), service.receive(till.shop_id, lines)
    )
    third = await service.receive(till.shop_id, list(reversed(lines)))

    assert first.stored + second.stored + third.stored == 5
    assert third.acked == [ChainPosition(till.id, "sales", 5)]
    assert not (first.rejected or second.rejected or third.rejected)
    assert storage.journal.count(till.id, "sales") == 5
    assert await service.heads(till.shop_id) == [ChainPosition(till.id, "sales", 5)]
    missing = await service.missing_for(till.shop_id, [ChainPosition(till.id, "sales", 3)])
    assert missing == lines[3:]


async def test_forged_foreign_gapped_and_conflicting_records_are_refused(storage: Storage) -> None:
    till_a, till_b, key_a, key_b = provisioned(storage)
    service = JournalService(storage)
    good = sales(till_a.id, till_a.number, key_a, 3)
    forged = sales(till_a.id, till_a.number, key_b, 1)  # signed with B's key
    foreign = sales(till_b.id, till_b.number, key_b, 1)  # B's till, sent to shop A

    refused = await service.receive(
        till_a.shop_id,
        [forged[0].to_json_line(), foreign[0].to_json_line(), good[1].to_json_line(), b"{garbage"],
    )
    codes = sorted(r.code for r in refused.rejected)
    assert codes == [
        "journal.after_refused",
        "journal.bad_signature",
        "journal.malformed",
        "journal.unknown_till",
    ], refused.rejected
    assert refused.stored == 0

    await service.receive(till_a.shop_id, [r.to_json_line() for r in good])
    twisted = dataclasses.replace(good[1], ts=good[1].ts + 1)
    conflict = await service.receive(till_a.shop_id, [twisted.to_json_line()])
    assert [r.code for r in conflict.rejected] == ["journal.conflict"]
    gap = sales(till_a.id, till_a.number, key_a, 5)[4]
    gapped = await service.receive(till_a.shop_id, [gap.to_json_line()])
    assert gapped.rejected and gapped.rejected[0].code != "journal.conflict"
    assert storage.journal.count(till_a.id, "sales") == 3
    assert storage.journal.count(till_b.id, "sales") == 0


async def test_stats_sum_revenue_by_day_hour_till_method_vat_and_product(storage: Storage) -> None:
    till, _, key, _ = provisioned(storage)
    service = JournalService(storage)
    await service.receive(till.shop_id, [r.to_json_line() for r in sales(till.id, 1, key, 3)])

    stats = await service.stats(till.shop_id, "2024-03-05", "2024-03-05")

    assert stats["total"] == 3 * SALE_TOTAL and stats["count"] == 3
    assert stats["by_day"] == {"2024-03-05": 3 * SALE_TOTAL}
    # 09:00, 10:00 and 11:00 UTC: one hour later in Paris, the shop's default time zone
    assert stats["by_hour"] == {"10": SALE_TOTAL, "11": SALE_TOTAL, "12": SALE_TOTAL}
    assert stats["by_till"] == {till.id: {"number": 1, "name": "A1", "total": 3 * SALE_TOTAL}}
    assert stats["by_method"] == {"card": 3 * SALE_TOTAL}
    assert stats["by_vat"] == {
        "550": {"gross": 720, "vat": 3 * 13},  # 240 * 550 / 10550 = 12.51
        "1000": {"gross": 600, "vat": 3 * 18},  # 200 * 1000 / 11000 = 18.18
    }
    assert stats["by_product"] == {
        "p1": {"name": "Croissant", "quantity": 6000, "total": 720},
        "p2": {"name": "Coffee", "quantity": 3000, "total": 600},
    }
    empty = await service.stats(till.shop_id, "2024-03-06", "2024-03-31")
    assert empty["total"] == 0 and empty["by_product"] == {}


async def test_stats_count_what_each_method_kept_cash_less_change(storage: Storage) -> None:
    till, _, key, _ = provisioned(storage)
    service = JournalService(storage)
    paid = [Payment("card", 40), Payment("cash", 500)]  # 4.40 due: 1.00 change out of cash
    records = sales(till.id, 1, key, 2, payments=paid)
    await service.receive(till.shop_id, [r.to_json_line() for r in records])
    stats = await service.stats(till.shop_id, "2024-03-05", "2024-03-05")
    assert stats["by_method"] == {"card": 2 * 40, "cash": 2 * 400}
    assert sum(stats["by_method"].values()) == stats["total"] == 2 * SALE_TOTAL


async def test_a_frame_is_stored_in_one_transaction_or_record_by_record_on_a_race(
    storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    till, _, key, _ = provisioned(storage)
    service = JournalService(storage)
    records = sales(till.id, till.number, key, 4)
    assert storage.journal.insert_many(till.shop_id, records[:2], UTC)
    assert not storage.journal.insert_many(till.shop_id, records[1:3], UTC)  # a place is taken
    assert storage.journal.count(till.id, "sales") == 2  # nothing of the failed batch

    real = storage.journal.insert_many
    calls: list[int] = []

    def raced(shop_id: str, batch: list[Record], zone: tzinfo) -> bool:
        calls.append(len(batch))
        if len(calls) == 1:
            real(shop_id, [records[3]], zone)  # another connection was quicker
        return real(shop_id, batch, zone)

    monkeypatch.setattr(storage.journal, "insert_many", raced)
    receipt = await service.receive(till.shop_id, [r.to_json_line() for r in records])
    assert calls[0] == 2  # seq 3 and 4 in one transaction, which failed on seq 4
    assert receipt.rejected == [] and receipt.stored == 1  # seq 3; seq 4 was already there
    assert [a.seq for a in receipt.acked] == [4]
    assert storage.journal.count(till.id, "sales") == 4
