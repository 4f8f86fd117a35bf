"""Sale bodies: lines, discounts, VAT and payments that add up to the cent.

Quantities are integers in **milli-units** (:data:`QTY_ONE` = 1000 is one
piece; 1250 is 1.25 kg when the unit price is per kg). A line's gross is
``round_half_up(qty * unit_price / 1000)`` cents; its own discount is taken
off that; a basket discount is then spread over the lines in proportion to
what is left (:func:`crdt_models.money.allocate`, largest remainder), so:

    basket total = sum of line totals = sum of VAT-rate gross totals
                 = sum of payments tendered - change

Only cash gives change: what is tendered may exceed the total only by at most
the cash tendered. Prices include VAT; VAT is computed per rate on the rate's
total (:func:`crdt_models.money.vat_breakdown`).

Call :func:`build_sale_body` when a sale is validated, with the ticket number
of the record about to be appended; :func:`validate_sale_body` is what
:func:`~crdt_models.journal.chain.append_record` runs on every sale body.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from crdt_models.errors import ValidationError
from crdt_models.journal.fields import (
    get_int,
    get_list,
    get_opt_str,
    get_str,
    only_keys,
    require_same,
)
from crdt_models.journal.ticket import parse_ticket_number
from crdt_models.money import MAX_CENTS, VatTotal, allocate, round_half_up_div, vat_breakdown

__all__ = [
    "CASH",
    "MAX_QTY",
    "QTY_ONE",
    "Payment",
    "SaleLine",
    "build_sale_body",
    "net_payments",
    "read_payments",
    "validate_sale_body",
    "vat_rows",
]

#: One unit (piece, kg, litre) in milli-units.
QTY_ONE = 1000
#: The largest quantity on one line: a million units.
MAX_QTY = 1_000_000 * QTY_ONE
#: The payment method id that gives change (the settings' cash method has this id).
CASH = "cash"

_SALE_KEYS = frozenset(
    {
        "ticket",
        "cashier",
        "customer",
        "lines",
        "basket_discount",
        "vat",
        "payments",
        "change",
        "total",
    }
)
_LINE_KEYS = frozenset(
    {"product", "label", "qty", "unit_price", "discount", "basket_discount", "vat_bp", "total"}
)


@dataclass(frozen=True, slots=True)
class SaleLine:
    """One basket line as the cashier rang it up.

    ``qty`` in milli-units (> 0), ``unit_price`` in cents VAT included,
    ``discount`` in cents off this line (0 <= discount <= line gross),
    ``vat_bp`` the VAT rate in basis points (2000 = 20 %).
    """

    product: str
    label: str
    qty: int
    unit_price: int
    vat_bp: int
    discount: int = 0


@dataclass(frozen=True, slots=True)
class Payment:
    """An amount in cents (> 0) handed over with one payment method.

    In a sale it is what was *tendered* (cash may exceed what is due); in a
    refund it is what is *given back*.
    """

    method: str
    amount: int


def _int_in(value: object, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, "body.type", f"{field} must be an integer")
    if not low <= value <= high:
        raise ValidationError(field, "body.range", f"{field} must be within {low}..{high}")
    return value


def _text(value: object, field: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValidationError(field, "body.type", f"{field} must be a non-empty string")
    return value


def vat_rows(totals: Sequence[VatTotal]) -> list[dict[str, int]]:
    """VAT totals as body rows ``{rate_bp, gross, net, vat}``, sorted by rate."""
    return [{"rate_bp": t.rate_bp, "gross": t.gross, "net": t.net, "vat": t.vat} for t in totals]


def _line_gross(line: SaleLine, where: str) -> int:
    _text(line.product, f"{where}.product")
    _text(line.label, f"{where}.label")
    _int_in(line.qty, f"{where}.qty", 1, MAX_QTY)
    _int_in(line.unit_price, f"{where}.unit_price", 0, MAX_CENTS)
    _int_in(line.vat_bp, f"{where}.vat_bp", 0, 10_000)
    gross = round_half_up_div(line.qty * line.unit_price, QTY_ONE)
    if gross > MAX_CENTS:
        raise ValidationError(f"{where}.qty", "money.absurd", f"{where}: line total out of range")
    _int_in(line.discount, f"{where}.discount", 0, gross)
    return gross - line.discount


def build_sale_body(
    *,
    ticket: str,
    cashier: str,
    lines: Sequence[SaleLine],
    payments: Sequence[Payment],
    basket_discount: int = 0,
    customer: str | None = None,
) -> dict[str, Any]:
    """The body of a sale record, with every total computed and checked.

    Raises :class:`~crdt_models.errors.ValidationError` if a line is out of
    range, a discount exceeds what it applies to, the payments do not cover the
    total, or the change is more than the cash tendered.
    """
    parse_ticket_number(ticket)
    _text(cashier, "cashier")
    if customer is not None:
        _text(customer, "customer")
    if not lines:
        raise ValidationError("lines", "sale.empty", "a sale has at least one line")
    amounts = [_line_gross(line, f"lines[{i}]") for i, line in enumerate(lines)]
    subtotal = sum(amounts)
    if subtotal > MAX_CENTS:
        raise ValidationError("lines", "money.absurd", "basket total out of range")
    _int_in(basket_discount, "basket_discount", 0, subtotal)
    shares = allocate(basket_discount, amounts)
    totals = [amount - share for amount, share in zip(amounts, shares, strict=True)]
    total = sum(totals)
    tendered = 0
    cash = 0
    for i, payment in enumerate(payments):
        _text(payment.method, f"payments[{i}].method")
        _int_in(payment.amount, f"payments[{i}].amount", 1, MAX_CENTS)
        tendered += payment.amount
        if payment.method == CASH:
            cash += payment.amount
    change = tendered - total
    if change < 0:
        raise ValidationError(
            "payments", "payment.short", f"payments cover {tendered} of {total} cents"
        )
    if change > cash:
        raise ValidationError(
            "payments", "payment.change_not_cash", "only cash may exceed what is due"
        )
    return {
        "ticket": ticket,
        "cashier": cashier,
        "customer": customer,
        "lines": [
            {
                "product": line.product,
                "label": line.label,
                "qty": line.qty,
                "unit_price": line.unit_price,
                "discount": line.discount,
                "basket_discount": share,
                "vat_bp": line.vat_bp,
                "total": line_total,
            }
            for line, share, line_total in zip(lines, shares, totals, strict=True)
        ],
        "basket_discount": basket_discount,
        "vat": vat_rows(vat_breakdown((ln.vat_bp, t) for ln, t in zip(lines, totals, strict=True))),
        "payments": [{"method": p.method, "amount": p.amount} for p in payments],
        "change": change,
        "total": total,
    }


def read_payments(body: Mapping[str, Any]) -> list[Payment]:
    """The ``payments`` of a sale or refund body as :class:`Payment` values (signed)."""
    out = []
    for i, row in enumerate(get_list(body, "payments", "")):
        where = f"payments[{i}]."
        if not isinstance(row, dict):
            raise ValidationError(where, "body.type", f"{where} must be an object")
        only_keys(row, {"method", "amount"}, where)
        out.append(Payment(get_str(row, "method", where), get_int(row, "amount", where)))
    return out


def net_payments(body: Mapping[str, Any]) -> dict[str, int]:
    """Cents kept per payment method: what was tendered, less the change out of cash.

    For a refund body the amounts are negative (money given back).
    """
    out: dict[str, int] = {}
    for payment in read_payments(body):
        out[payment.method] = out.get(payment.method, 0) + payment.amount
    change = body.get("change", 0)
    if change:
        out[CASH] = out.get(CASH, 0) - change
    return out


def validate_sale_body(body: Mapping[str, Any], seq: int) -> None:
    """Check that ``body`` is exactly what :func:`build_sale_body` makes of its inputs.

    The ticket number must carry ``seq`` (the record's own sequence number).
    Raises :class:`~crdt_models.errors.ValidationError` naming the first
    field that differs.
    """
    only_keys(body, _SALE_KEYS, "sale")
    ticket = get_str(body, "ticket", "")
    if parse_ticket_number(ticket)[1] != seq:
        raise ValidationError("ticket", "ticket.seq", f"ticket {ticket} is not record {seq}")
    lines = []
    for i, row in enumerate(get_list(body, "lines", "")):
        where = f"lines[{i}]."
        if not isinstance(row, dict):
            raise ValidationError(where, "body.type", f"{where} must be an object")
        only_keys(row, _LINE_KEYS, where)
        lines.append(
            SaleLine(
                product=get_str(row, "product", where),
                label=get_str(row, "label", where),
                qty=get_int(row, "qty", where),
                unit_price=get_int(row, "unit_price", where),
                vat_bp=get_int(row, "vat_bp", where),
                discount=get_int(row, "discount", where),
            )
        )
    rebuilt = build_sale_body(
        ticket=ticket,
        cashier=get_str(body, "cashier", ""),
        lines=lines,
        payments=read_payments(body),
        basket_discount=get_int(body, "basket_discount", ""),
        customer=get_opt_str(body, "customer", ""),
    )
    require_same(rebuilt, body)
