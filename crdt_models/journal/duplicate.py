"""Duplicate receipts: each reprint of a ticket is a legal record of its own.

Body: ``{original: {till_id, seq, ticket}, reprint, cashier}`` where
``reprint`` counts the reprints of that ticket (1 for the first duplicate).
Call :func:`duplicate_body` with the till's sales chain when the cashier asks
for a reprint.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from crdt_models.errors import ValidationError
from crdt_models.journal.fields import get_int, get_obj, get_str, only_keys
from crdt_models.journal.record import Record
from crdt_models.journal.ticket import parse_ticket_number

__all__ = ["duplicate_body", "validate_duplicate_body"]


def duplicate_body(records: Iterable[Record], original: Record, cashier: str) -> dict[str, Any]:
    """The body of the next duplicate of ``original`` (a sale or refund record).

    ``records`` is the sales chain the duplicate will be appended to; the
    reprint count is one more than the duplicates of that ticket it holds.
    """
    if original.kind not in ("sale", "refund"):
        raise ValidationError("original", "duplicate.kind", "only tickets can be reprinted")
    ticket = original.body["ticket"]
    count = sum(
        1 for r in records if r.kind == "duplicate" and r.body["original"]["ticket"] == ticket
    )
    body = {
        "original": {"till_id": original.till_id, "seq": original.seq, "ticket": ticket},
        "reprint": count + 1,
        "cashier": cashier,
    }
    validate_duplicate_body(body, 0)
    return body


def validate_duplicate_body(body: Mapping[str, Any], seq: int) -> None:
    """Raise ValidationError unless ``body`` is a well-formed duplicate body."""
    del seq
    only_keys(body, {"original", "reprint", "cashier"}, "duplicate")
    ref = get_obj(body, "original", "")
    only_keys(ref, {"till_id", "seq", "ticket"}, "original.")
    get_str(ref, "till_id", "original.")
    get_int(ref, "seq", "original.", minimum=1)
    parse_ticket_number(get_str(ref, "ticket", "original."))
    get_int(body, "reprint", "", minimum=1)
    get_str(body, "cashier", "")
