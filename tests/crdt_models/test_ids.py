"""UUIDv7 ids: format, time order, uniqueness."""

from __future__ import annotations

import threading
import uuid

import pytest

from crdt_models import ids
from crdt_models.ids import id_timestamp_ms, new_id


@pytest.fixture
def fresh_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start from a blank generator state and put the real one back afterwards, so
    the made-up timestamps below never leak into other tests' ids."""
    monkeypatch.setattr(ids, "_last_ms", 0)
    monkeypatch.setattr(ids, "_counter", 0)


def test_new_id_is_a_uuid7_string() -> None:
    value = new_id()
    parsed = uuid.UUID(value)
    assert str(parsed) == value and len(value) == 36
    assert parsed.version == 7
    assert parsed.variant == uuid.RFC_4122


@pytest.mark.usefixtures("fresh_clock")
def test_ids_carry_their_timestamp_and_never_go_backwards() -> None:
    base = 1_600_000_000_000
    first = new_id(base)
    assert id_timestamp_ms(first) >= base
    earlier = new_id(base - 5_000)  # a clock step back must not break the order
    assert earlier > first
    later = new_id(base + 60_000)
    assert id_timestamp_ms(later) == base + 60_000
    assert later > earlier


@pytest.mark.usefixtures("fresh_clock")
def test_ids_in_one_millisecond_are_strictly_increasing_even_past_the_counter() -> None:
    ms = 1_650_000_000_000
    ids = [new_id(ms) for _ in range(5000)]  # more than the 12-bit counter holds
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert id_timestamp_ms(ids[-1]) - ms <= 2  # overflow borrows the next millisecond


def test_ids_from_threads_are_unique() -> None:
    out: list[list[str]] = [[] for _ in range(4)]

    def work(bucket: list[str]) -> None:
        bucket.extend(new_id() for _ in range(2000))

    threads = [threading.Thread(target=work, args=(b,)) for b in out]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    every = [i for bucket in out for i in bucket]
    assert len(set(every)) == len(every)
    for bucket in out:
        assert bucket == sorted(bucket)
