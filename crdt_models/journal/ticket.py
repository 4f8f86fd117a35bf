"""Ticket numbers, as printed on receipts: unique across the tills of a shop.

Format: ``T<till number, 3+ digits>-<journal seq, 8+ digits>``, e.g.
``T003-00000042`` is the record of seq 42 in till 3's sales chain. The till
number comes from the shop's settings (unique per shop); the seq is the
record's own sequence number, so a ticket number is never reused while the
journal is not rolled back (see :mod:`crdt_models.journal.rollback`).

Ticket numbers of one till are increasing but not consecutive: the numbers in
between belong to the till's other legal records (closings, duplicates), all
in the same gap-free journal.
"""

from __future__ import annotations

import re

from crdt_models.errors import ValidationError

__all__ = ["parse_ticket_number", "ticket_number"]

_TICKET = re.compile(r"T(\d{3,})-(\d{8,})")


def ticket_number(till_number: int, seq: int) -> str:
    """The ticket number of the sales-chain record ``seq`` of till ``till_number``.

    Call with ``head.seq + 1`` before :func:`~crdt_models.journal.chain.append_record`.
    """
    if isinstance(till_number, bool) or not isinstance(till_number, int) or till_number < 1:
        raise ValidationError("till_number", "ticket.till", "till number must be >= 1")
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise ValidationError("seq", "ticket.seq", "seq must be >= 1")
    return f"T{till_number:03d}-{seq:08d}"


def parse_ticket_number(text: str) -> tuple[int, int]:
    """``(till_number, seq)`` of a ticket number; ValidationError if it is not one."""
    m = _TICKET.fullmatch(text)
    if m is None or ticket_number(int(m[1]), int(m[2])) != text:
        raise ValidationError("ticket", "ticket.format", f"{text!r} is not a ticket number")
    return int(m[1]), int(m[2])
