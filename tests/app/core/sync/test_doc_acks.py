"""Document acknowledgement bookkeeping (no network)."""

from __future__ import annotations

from app.core.sync.doc_acks import DocAcks


def test_changes_are_acknowledged_by_the_answer_to_a_later_step1() -> None:
    acks = DocAcks(["catalogue", "customers"])
    acks.opened()  # the step 1s sent at open acknowledge nothing
    acks.changed("catalogue", 2)
    assert acks.pending == 2
    assert acks.answered("catalogue").confirmed_state is None
    assert acks.pending == 2

    need, send_now = acks.request(["catalogue"])
    assert send_now == ["catalogue"]
    acks.sent("catalogue", b"sv-1")
    acks.changed("catalogue")  # made after that step 1: not covered by its answer
    assert not acks.covers(need)
    answer = acks.answered("catalogue")
    assert answer.confirmed_state == b"sv-1" and not answer.resend
    assert acks.covers(need)
    assert acks.pending == 1


def test_one_step1_in_flight_per_document_the_next_is_queued() -> None:
    acks = DocAcks(["catalogue"])
    need_1, send_1 = acks.request(["catalogue"])
    acks.sent("catalogue", b"sv-1")
    acks.changed("catalogue")
    need_2, send_2 = acks.request(["catalogue"])
    assert send_1 == ["catalogue"] and send_2 == []  # queued behind the one in flight

    first = acks.answered("catalogue")
    assert first.resend  # send the queued step 1 now
    assert acks.covers(need_1) and not acks.covers(need_2)
    assert acks.pending == 1  # the first answer predates the change
    acks.sent("catalogue", b"sv-2")
    second = acks.answered("catalogue")
    assert not second.resend and second.confirmed_state == b"sv-2"
    assert acks.covers(need_2) and acks.pending == 0


def test_a_step1_sent_before_the_relay_heads_acknowledges_nothing() -> None:
    acks = DocAcks(["settings"])
    acks.changed("settings")
    _, _send_now = acks.request(["settings"])
    acks.sent("settings", None)
    assert acks.answered("settings").confirmed_state is None
    assert acks.pending == 1


def test_a_closed_link_forgets_what_was_in_flight() -> None:
    acks = DocAcks(["catalogue"])
    acks.opened()
    acks.closed()
    _, send_now = acks.request(["catalogue"])
    assert send_now == ["catalogue"]
