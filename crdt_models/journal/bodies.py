"""Which record kinds each chain accepts, and the body check of each kind.

Sales chain (``"sales"``): ``sale``, ``refund``, ``duplicate``, ``closing``, ``cash_count``.
Events chain (``"events"``): see :mod:`crdt_models.journal.events`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from crdt_models.errors import ValidationError
from crdt_models.journal.closing import validate_closing_body
from crdt_models.journal.count import validate_count_body
from crdt_models.journal.duplicate import validate_duplicate_body
from crdt_models.journal.events import validate_event_body
from crdt_models.journal.record import EVENTS, SALES
from crdt_models.journal.refund import validate_refund_body
from crdt_models.journal.sale import validate_sale_body

__all__ = ["SALES_KINDS", "validate_body"]

_SALES: dict[str, Callable[[Mapping[str, Any], int], None]] = {
    "sale": validate_sale_body,
    "refund": validate_refund_body,
    "duplicate": validate_duplicate_body,
    "closing": validate_closing_body,
    "cash_count": validate_count_body,
}
#: Every kind of record the sales chain accepts.
SALES_KINDS = frozenset(_SALES)


def validate_body(chain: str, kind: str, body: Mapping[str, Any], seq: int) -> None:
    """Raise ValidationError unless ``body`` is acceptable for ``kind`` in ``chain`` at ``seq``."""
    if not isinstance(body, dict):
        raise ValidationError("body", "body.type", "a record body is a JSON object")
    if chain == SALES:
        check = _SALES.get(kind)
        if check is None:
            raise ValidationError("kind", "record.kind", f"{kind!r} is not a sales record")
        check(body, seq)
    elif chain == EVENTS:
        validate_event_body(kind, body)
    else:
        raise ValidationError("chain", "record.chain", f"unknown chain {chain!r}")
