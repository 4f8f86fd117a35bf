"""Reconnection delays and status snapshots (no network)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.sync import Backoff, LinkState, StatusBoard, SyncStatus


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32), failures=st.integers(1, 40))
def test_delays_stay_between_half_a_second_and_thirty(seed: int, failures: int) -> None:
    backoff = Backoff(0.5, 30.0, rng=random.Random(seed))
    delays = [backoff.next_delay() for _ in range(failures)]
    assert all(0.5 <= d <= 30.0 for d in delays)
    assert delays[0] == 0.5
    # Each delay is at least half of its ceiling: the ceiling doubles until 30 s.
    for n, delay in enumerate(delays):
        assert delay >= min(30.0, 0.5 * 2**n) / 2


def test_backoff_grows_then_resets() -> None:
    backoff = Backoff(0.5, 30.0, rng=random.Random(1))
    for _ in range(10):
        backoff.next_delay()
    assert backoff.ceiling() == 30.0
    assert backoff.attempts == 10
    backoff.reset()
    assert backoff.next_delay() == 0.5


def test_jitter_spreads_the_tills_of_a_shop() -> None:
    spread = set()
    for seed in range(20):
        backoff = Backoff(rng=random.Random(seed))
        for _ in range(5):
            delay = backoff.next_delay()
        spread.add(round(delay, 3))
    assert len(spread) > 10


def test_backoff_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        Backoff(0, 30)
    with pytest.raises(ValueError):
        Backoff(40, 30)


def test_status_board_tells_listeners_only_of_changes() -> None:
    board = StatusBoard()
    seen: list[SyncStatus] = []
    unsubscribe = board.subscribe(seen.append)
    board.update(state=LinkState.CONNECTING)
    board.update(state=LinkState.CONNECTING)
    board.update(state=LinkState.ONLINE, pending_sales=2, pending_changes=1)
    assert [s.state for s in seen] == [LinkState.CONNECTING, LinkState.ONLINE]
    assert seen[-1].online and seen[-1].pending == 3
    unsubscribe()
    board.update(state=LinkState.OFFLINE, error="lost")
    assert len(seen) == 2
    assert board.current.error == "lost" and not board.current.online


def test_a_failing_listener_does_not_stop_the_others() -> None:
    board = StatusBoard()
    seen: list[SyncStatus] = []

    def broken(_: SyncStatus) -> None:
        raise RuntimeError("view gone")

    board.subscribe(broken)
    board.subscribe(seen.append)
    board.update(pending_sales=1)
    assert seen[-1].pending_sales == 1


def test_status_is_immutable() -> None:
    status = SyncStatus()
    with pytest.raises(AttributeError):
        status.pending_sales = 3  # type: ignore[misc]
