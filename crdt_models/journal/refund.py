"""Refunds: minus entries that reference the original sale, never an edit of it.

A refund takes back a quantity (milli-units) of some lines of one original
sale. Its amounts mirror the original exactly: the cents refunded for a line
are computed cumulatively,

    refund(q) = round(total * (before + q) / qty) - round(total * before / qty)

(``before`` = quantity of that line already refunded), so refunding a line in
any number of steps gives back exactly the line's total, discounts included.
What was paid back is recorded per method as negative payments; a refund
gives no change.

A line cannot be refunded beyond what was sold on it: :func:`check_refund`
checks that over the original sale body and the bodies of its previous
refunds (wherever they were recorded: the store gathers them from all tills'
journals). :func:`build_refund_body` calls it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from crdt_models.errors import ValidationError
from crdt_models.journal.fields import (
    get_int,
    get_list,
    get_obj,
    get_opt_str,
    get_str,
    only_keys,
    require_same,
)
from crdt_models.journal.record import Record
from crdt_models.journal.sale import Payment, read_payments, vat_rows
from crdt_models.journal.ticket import parse_ticket_number
from crdt_models.money import MAX_CENTS, round_half_up_div, vat_breakdown

__all__ = [
    "RefundLine",
    "build_refund_body",
    "check_refund",
    "refund_due",
    "refundable_quantities",
    "validate_refund_body",
]

_REFUND_KEYS = frozenset(
    {"ticket", "cashier", "customer", "original", "reason", "lines", "vat", "payments", "total"}
)
_LINE_KEYS = frozenset({"line", "product", "label", "qty", "vat_bp", "total"})


@dataclass(frozen=True, slots=True)
class RefundLine:
    """Take back ``qty`` milli-units (> 0) of line ``line`` (0-based) of the original sale."""

    line: int
    qty: int


def _refunded_so_far(
    original: Mapping[str, Any], previous_refunds: Sequence[Mapping[str, Any]]
) -> list[int]:
    sold = get_list(original, "lines", "original.")
    ticket = get_str(original, "ticket", "original.")
    done = [0] * len(sold)
    for r, refund in enumerate(previous_refunds):
        ref = get_obj(refund, "original", f"previous_refunds[{r}].")
        if ref.get("ticket") != ticket:
            raise ValidationError(
                "previous_refunds", "refund.other_ticket", f"refund {r} is not of ticket {ticket}"
            )
        for row in get_list(refund, "lines", f"previous_refunds[{r}]."):
            index = get_int(row, "line", "previous_refunds.lines.", minimum=0)
            if index >= len(done):
                raise ValidationError("previous_refunds", "refund.line", "no such line")
            done[index] += get_int(row, "qty", "previous_refunds.lines.", minimum=1)
    return done


def refundable_quantities(
    original: Mapping[str, Any], previous_refunds: Sequence[Mapping[str, Any]]
) -> list[int]:
    """Milli-units still refundable per line of ``original`` (a sale body).

    ``previous_refunds`` are the bodies of the refunds already recorded against
    that ticket, on any till. A negative value means the line was refunded
    more than it sold: two tills refunded it while offline from each other;
    run this over the merged journals to find such conflicts and show them.
    """
    done = _refunded_so_far(original, previous_refunds)
    sold = get_list(original, "lines", "original.")
    return [get_int(row, "qty", "original.lines.") - d for row, d in zip(sold, done, strict=True)]


def check_refund(
    original: Mapping[str, Any],
    previous_refunds: Sequence[Mapping[str, Any]],
    lines: Sequence[RefundLine],
) -> None:
    """Raise ValidationError ("refund.exceeds") if ``lines`` take back more than was sold.

    Quantities of the same original line named twice in ``lines`` add up.
    """
    if not lines:
        raise ValidationError("lines", "refund.empty", "a refund has at least one line")
    left = refundable_quantities(original, previous_refunds)
    for i, line in enumerate(lines):
        where = f"lines[{i}]"
        if isinstance(line.line, bool) or not isinstance(line.line, int):
            raise ValidationError(f"{where}.line", "body.type", f"{where}.line must be an integer")
        if not 0 <= line.line < len(left):
            raise ValidationError(f"{where}.line", "refund.line", f"{where}: no such line")
        if isinstance(line.qty, bool) or not isinstance(line.qty, int) or line.qty < 1:
            raise ValidationError(f"{where}.qty", "body.range", f"{where}.qty must be >= 1")
        left[line.line] -= line.qty
        if left[line.line] < 0:
            raise ValidationError(
                f"{where}.qty",
                "refund.exceeds",
                f"{where}: more than was sold on line {line.line} is refunded",
            )


def _refund_rows(
    original: Mapping[str, Any],
    previous_refunds: Sequence[Mapping[str, Any]],
    lines: Sequence[RefundLine],
) -> list[dict[str, Any]]:
    check_refund(original, previous_refunds, lines)
    done = _refunded_so_far(original, previous_refunds)
    sold = get_list(original, "lines", "original.")
    rows = []
    for line in lines:
        row = sold[line.line]
        qty, total = row["qty"], row["total"]
        before = done[line.line]
        done[line.line] += line.qty
        cents = round_half_up_div(total * done[line.line], qty) - round_half_up_div(
            total * before, qty
        )
        rows.append(
            {
                "line": line.line,
                "product": row["product"],
                "label": row["label"],
                "qty": line.qty,
                "vat_bp": row["vat_bp"],
                "total": -cents,
            }
        )
    return rows


def refund_due(
    original: Mapping[str, Any],
    previous_refunds: Sequence[Mapping[str, Any]],
    lines: Sequence[RefundLine],
) -> int:
    """Cents to give back (>= 0) for ``lines`` of ``original``: what the till shows first.

    Raises ValidationError like :func:`check_refund`.
    """
    total: int = sum(row["total"] for row in _refund_rows(original, previous_refunds, lines))
    return -total


def build_refund_body(
    *,
    ticket: str,
    cashier: str,
    original: Record,
    previous_refunds: Sequence[Mapping[str, Any]],
    lines: Sequence[RefundLine],
    payments: Sequence[Payment],
    reason: str,
) -> dict[str, Any]:
    """The body of a refund of ``original`` (a sale record), amounts negative.

    ``ticket`` is the refund's own ticket number; ``payments`` say what is
    given back per method (positive amounts adding up to :func:`refund_due`
    exactly: a refund gives no change). Raises ValidationError if the refund
    exceeds what is left to refund or the payments do not match.
    """
    if original.kind != "sale":
        raise ValidationError("original", "refund.not_sale", "only a sale can be refunded")
    sale = original.body
    parse_ticket_number(ticket)
    _text_field(cashier, "cashier")
    _text_field(reason, "reason")
    rows = _refund_rows(sale, previous_refunds, lines)
    refund_total = sum(r["total"] for r in rows)
    given = 0
    for i, payment in enumerate(payments):
        _text_field(payment.method, f"payments[{i}].method")
        amount = payment.amount
        if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_CENTS:
            raise ValidationError(f"payments[{i}].amount", "body.range", "amount must be > 0")
        given += amount
    if given != -refund_total:
        raise ValidationError(
            "payments", "refund.payments", f"{given} cents given back for {-refund_total} refunded"
        )
    return {
        "ticket": ticket,
        "cashier": cashier,
        "customer": sale.get("customer"),
        "original": {"till_id": original.till_id, "seq": original.seq, "ticket": sale["ticket"]},
        "reason": reason,
        "lines": rows,
        "vat": vat_rows(vat_breakdown((r["vat_bp"], r["total"]) for r in rows)),
        "payments": [{"method": p.method, "amount": -p.amount} for p in payments],
        "total": refund_total,
    }


def _text_field(value: object, field: str) -> None:
    if not isinstance(value, str) or not value:
        raise ValidationError(field, "body.type", f"{field} must be a non-empty string")


def validate_refund_body(body: Mapping[str, Any], seq: int) -> None:
    """Check a refund body on its own: shape, negative amounts, VAT and payments add up.

    Whether it stays within what was sold needs the original: see
    :func:`check_refund`.
    """
    only_keys(body, _REFUND_KEYS, "refund")
    ticket = get_str(body, "ticket", "")
    if parse_ticket_number(ticket)[1] != seq:
        raise ValidationError("ticket", "ticket.seq", f"ticket {ticket} is not record {seq}")
    get_str(body, "cashier", "")
    get_str(body, "reason", "")
    get_opt_str(body, "customer", "")
    ref = get_obj(body, "original", "")
    only_keys(ref, {"till_id", "seq", "ticket"}, "original.")
    get_str(ref, "till_id", "original.")
    get_int(ref, "seq", "original.", minimum=1)
    parse_ticket_number(get_str(ref, "ticket", "original."))
    rows = get_list(body, "lines", "")
    if not rows:
        raise ValidationError("lines", "refund.empty", "a refund has at least one line")
    amounts = []
    for i, row in enumerate(rows):
        where = f"lines[{i}]."
        if not isinstance(row, dict):
            raise ValidationError(where, "body.type", f"{where} must be an object")
        only_keys(row, _LINE_KEYS, where)
        get_int(row, "line", where, minimum=0)
        get_int(row, "qty", where, minimum=1)
        get_str(row, "product", where)
        get_str(row, "label", where)
        vat_bp = get_int(row, "vat_bp", where)
        total = get_int(row, "total", where)
        if total > 0 or total < -MAX_CENTS:
            raise ValidationError(f"{where}total", "refund.sign", "refund amounts are negative")
        amounts.append((vat_bp, total))
    payments = read_payments(body)
    total = sum(t for _, t in amounts)
    if any(p.amount >= 0 for p in payments) or sum(p.amount for p in payments) != total:
        raise ValidationError("payments", "refund.payments", "payments do not match the refund")
    require_same({"vat": vat_rows(vat_breakdown(amounts)), "total": total}, body)
