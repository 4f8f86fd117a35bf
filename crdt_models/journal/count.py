"""Cash counts: what was counted per payment method, beside what the journal expects.

A count body (every field required, nothing else allowed)::

    {cashier, methods [{method, expected, counted}], cash [{unit, qty}]}

- ``methods``: one row per payment method (journal names: ``cash`` for the
  cash method), ``expected`` being what the sales and refunds since the last
  day closing kept in that method (net of change; :func:`expected_amounts`)
  and ``counted`` what the cashier found (cents, >= 0);
- ``cash``: the cash counted coin by coin and note by note (``unit`` one of
  :data:`DENOMINATIONS`, in cents), or empty when the cash was counted as one
  amount; when given, it adds up to the ``cash`` row's ``counted``.

A count travels in two places: inside a day closing body (``count``: the
till's count just before its Z; :mod:`.closing` checks that its ``expected``
are the closing's payments), or as a ``cash_count`` record of the sales chain
(a cashier counting before leaving, in the per-cashier mode). Build one with
:func:`count_body`; :func:`validate_count` is what both validators run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from crdt_models.errors import ValidationError
from crdt_models.journal.fields import get_int, get_list, get_str, only_keys
from crdt_models.journal.record import Record
from crdt_models.journal.sale import CASH, net_payments

__all__ = [
    "DENOMINATIONS",
    "count_body",
    "count_difference",
    "expected_amounts",
    "validate_count",
    "validate_count_body",
]

#: Euro coins and notes, in cents, smallest first.
DENOMINATIONS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000)
_KEYS = frozenset({"cashier", "methods", "cash"})


def expected_amounts(records: Iterable[Record], cashier: str | None = None) -> dict[str, int]:
    """Cents per payment method that the drawer should hold: the net payments of the
    sales and refunds after the last day closing among ``records`` (a sales chain,
    in order); only those of ``cashier`` when given."""
    out: dict[str, int] = {}
    for record in records:
        if record.kind == "closing" and record.body["period"] == "day":
            out = {}
        elif record.kind in ("sale", "refund"):
            if cashier is not None and record.body.get("cashier") != cashier:
                continue
            for method, amount in net_payments(record.body).items():
                out[method] = out.get(method, 0) + amount
    return out


def count_body(
    cashier: str,
    expected: Mapping[str, int],
    counted: Mapping[str, int],
    cash: Mapping[int, int] | None = None,
) -> dict[str, Any]:
    """A checked count: ``counted`` per method (a method only expected counts 0),
    ``cash`` the quantity of each coin/note (cents -> how many; zeros dropped)."""
    methods = sorted(set(expected) | set(counted))
    body = {
        "cashier": cashier,
        "methods": [
            {"method": m, "expected": expected.get(m, 0), "counted": counted.get(m, 0)}
            for m in methods
        ],
        "cash": [{"unit": u, "qty": q} for u, q in sorted((cash or {}).items()) if q],
    }
    validate_count(body, "")
    return body


def count_difference(count: Mapping[str, Any]) -> dict[str, int]:
    """Counted less expected, per method (0 when the drawer is right)."""
    return {row["method"]: row["counted"] - row["expected"] for row in count["methods"]}


def validate_count(count: object, where: str) -> None:
    """Raise ValidationError unless ``count`` is a well-formed count (see the module)."""
    if not isinstance(count, dict):
        raise ValidationError(where or "count", "body.type", f"{where}count must be an object")
    only_keys(count, _KEYS, where or "count")
    get_str(count, "cashier", where)
    rows = get_list(count, "methods", where)
    if not rows:
        raise ValidationError(f"{where}methods", "count.empty", "a count names its methods")
    counted: dict[str, int] = {}
    for i, row in enumerate(rows):
        at = f"{where}methods[{i}]."
        if not isinstance(row, dict):
            raise ValidationError(at, "body.type", f"{at} must be an object")
        only_keys(row, {"method", "expected", "counted"}, at)
        method = get_str(row, "method", at)
        if method in counted:
            raise ValidationError(at, "count.duplicate", f"{method!r} is counted twice")
        get_int(row, "expected", at)
        counted[method] = get_int(row, "counted", at, minimum=0)
    units: set[int] = set()
    total = 0
    for i, row in enumerate(get_list(count, "cash", where)):
        at = f"{where}cash[{i}]."
        if not isinstance(row, dict):
            raise ValidationError(at, "body.type", f"{at} must be an object")
        only_keys(row, {"unit", "qty"}, at)
        unit, qty = get_int(row, "unit", at), get_int(row, "qty", at, minimum=1)
        if unit not in DENOMINATIONS or unit in units:
            raise ValidationError(at, "count.unit", f"{at}unit {unit} is not a coin or note")
        units.add(unit)
        total += unit * qty
    if units and total != counted.get(CASH):
        raise ValidationError(f"{where}cash", "count.cash", "the coins and notes do not add up")


def validate_count_body(body: Mapping[str, Any], seq: int) -> None:
    """The check of a ``cash_count`` record of the sales chain."""
    del seq
    validate_count(body, "")
