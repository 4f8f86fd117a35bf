"""The sale in progress on a till: lines, discounts, payments, and parked baskets.

A :class:`Basket` is plain data with commands (add a product, change a
quantity, discount, pay...). Every command checks its input and raises
:class:`~crdt_models.errors.ValidationError` with a stable ``code`` the till
translates; nothing here knows about Qt or the journal's storage.

Money is integer cents, prices include tax. :meth:`Basket.totals` computes
everything the screen and the receipt show, exactly to the cent:

- a line's gross is ``unit_price * quantity``; its own discount comes off
  first (never below zero);
- the basket discount comes off the rest and is spread over the lines in
  proportion to what is left of each (:func:`~crdt_models.money.allocate`),
  so the lines always add up to the total;
- VAT is computed per rate on the rate's total
  (:func:`~crdt_models.money.vat_breakdown`);
- payments are applied amounts; cash may be tendered above what is due and
  the difference is the change.

Parked baskets live in a JSON file in the till's data directory
(:class:`ParkedBaskets`), replaced atomically on every change.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from crdt_models.errors import NotFoundError, ValidationError
from crdt_models.ids import new_id
from crdt_models.journal.sale import CASH, QTY_ONE, SaleLine, build_sale_body
from crdt_models.journal.sale import Payment as SalePayment
from crdt_models.money import MAX_CENTS, VatTotal, allocate, percent_of, vat_breakdown

__all__ = [
    "MAX_QUANTITY",
    "Basket",
    "BasketLine",
    "BasketTotals",
    "Discount",
    "LineTotal",
    "ParkedBasket",
    "ParkedBaskets",
    "Payment",
    "SaleInputs",
]

log = logging.getLogger(__name__)

#: More than this of one product on one line is a typing slip, not a sale.
MAX_QUANTITY = 9_999

DiscountKind = Literal["amount", "percent"]


@dataclass(frozen=True, slots=True)
class Discount:
    """An amount off (``value`` in cents) or a percentage off (``value`` in basis points)."""

    kind: DiscountKind
    value: int

    def __post_init__(self) -> None:
        if self.kind not in ("amount", "percent"):
            raise ValidationError("discount", "discount.kind", f"unknown discount {self.kind!r}")
        if isinstance(self.value, bool) or not isinstance(self.value, int) or self.value < 0:
            raise ValidationError("discount", "discount.negative", "a discount cannot be negative")
        limit = 10_000 if self.kind == "percent" else MAX_CENTS
        if self.value > limit:
            raise ValidationError("discount", "discount.range", "a discount is out of range")

    @classmethod
    def amount(cls, cents: int) -> Discount:
        return cls("amount", cents)

    @classmethod
    def percent(cls, basis_points: int) -> Discount:
        return cls("percent", basis_points)

    def off(self, cents: int) -> int:
        """How much comes off ``cents`` (never more than ``cents``)."""
        wanted = self.value if self.kind == "amount" else percent_of(cents, self.value)
        return min(wanted, cents)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Discount:
        return cls(data["kind"], data["value"])


@dataclass(frozen=True, slots=True)
class BasketLine:
    """One product on the basket. ``line_id`` is stable while the basket lives."""

    line_id: str
    product_id: str
    label: str
    unit_price: int
    quantity: int
    vat_bp: int
    discount: Discount | None = None
    note: str = ""

    def __post_init__(self) -> None:
        _check_cents("unit_price", self.unit_price)
        if not 0 <= self.vat_bp <= 10_000:
            raise ValidationError("vat", "vat.range", f"VAT rate {self.vat_bp} bp is out of range")
        _check_quantity(self.quantity)
        if self.unit_price * self.quantity > MAX_CENTS:
            raise ValidationError("quantity", "line.absurd", "this line's amount is out of range")

    @property
    def gross(self) -> int:
        return self.unit_price * self.quantity

    def to_dict(self) -> dict[str, Any]:
        return {
            "line_id": self.line_id,
            "product_id": self.product_id,
            "label": self.label,
            "unit_price": self.unit_price,
            "quantity": self.quantity,
            "vat_bp": self.vat_bp,
            "discount": self.discount.to_dict() if self.discount else None,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BasketLine:
        discount = data.get("discount")
        return cls(
            line_id=data["line_id"],
            product_id=data["product_id"],
            label=data["label"],
            unit_price=data["unit_price"],
            quantity=data["quantity"],
            vat_bp=data["vat_bp"],
            discount=Discount.from_dict(discount) if discount else None,
            note=data.get("note", ""),
        )


@dataclass(frozen=True, slots=True)
class Payment:
    """Money taken for the sale: ``amount`` counts towards the total; ``tendered -
    amount`` is given back as change (cash only)."""

    payment_id: str
    method: str
    amount: int
    tendered: int

    @property
    def change(self) -> int:
        return self.tendered - self.amount

    def to_dict(self) -> dict[str, Any]:
        return {
            "payment_id": self.payment_id,
            "method": self.method,
            "amount": self.amount,
            "tendered": self.tendered,
        }


@dataclass(frozen=True, slots=True)
class LineTotal:
    """What one line comes to once both discounts are applied."""

    line: BasketLine
    gross: int
    line_discount: int
    basket_discount: int

    @property
    def total(self) -> int:
        return self.gross - self.line_discount - self.basket_discount


@dataclass(frozen=True, slots=True)
class BasketTotals:
    """Everything the screen and the receipt show, consistent to the cent."""

    lines: tuple[LineTotal, ...]
    subtotal: int
    """Sum of the lines' gross amounts, before any discount."""
    discount_total: int
    """Line discounts plus the basket discount."""
    basket_discount: int
    total: int
    vat: tuple[VatTotal, ...]
    paid: int
    change: int

    @property
    def remaining(self) -> int:
        return self.total - self.paid

    @property
    def item_count(self) -> int:
        return sum(lt.line.quantity for lt in self.lines)


@dataclass(frozen=True, slots=True)
class SaleInputs:
    """What the journal's sale builder needs, taken from a paid basket."""

    lines: tuple[SaleLine, ...]
    payments: tuple[SalePayment, ...]
    basket_discount: int
    customer: str | None

    def body(self, *, ticket: str, cashier: str) -> dict[str, Any]:
        """The sale record body (:func:`crdt_models.journal.sale.build_sale_body`)."""
        return build_sale_body(
            ticket=ticket,
            cashier=cashier,
            lines=self.lines,
            payments=self.payments,
            basket_discount=self.basket_discount,
            customer=self.customer,
        )


@dataclass
class Basket:
    """The sale being rung up. Commands return the id of what they touched.

    While payments are recorded the lines are frozen (``basket.paying``):
    cancel the payments to change the basket.
    """

    basket_id: str = field(default_factory=new_id)
    lines: list[BasketLine] = field(default_factory=list)
    discount: Discount | None = None
    payments: list[Payment] = field(default_factory=list)
    note: str = ""
    customer_id: str | None = None

    # -- lines ---------------------------------------------------------------

    def add_product(
        self,
        product_id: str,
        label: str,
        unit_price: int,
        vat_bp: int,
        quantity: int = 1,
    ) -> str:
        """Ring up a product. The same product again at the same price, on a
        line without discount or note, adds to that line; returns the line id."""
        self._check_not_paying()
        for i, line in enumerate(self.lines):
            if (
                line.product_id == product_id
                and line.unit_price == unit_price
                and line.vat_bp == vat_bp
                and line.discount is None
                and not line.note
            ):
                self.lines[i] = replace(line, quantity=line.quantity + quantity)
                return line.line_id
        line = BasketLine(new_id(), product_id, label, unit_price, quantity, vat_bp)
        self.lines.append(line)
        return line.line_id

    def line(self, line_id: str) -> BasketLine:
        return self.lines[self._index(line_id)]

    def set_quantity(self, line_id: str, quantity: int) -> str:
        """Set a line's quantity; 0 removes the line."""
        self._check_not_paying()
        i = self._index(line_id)
        if quantity == 0:
            del self.lines[i]
        else:
            self.lines[i] = replace(self.lines[i], quantity=quantity)
        return line_id

    def change_quantity(self, line_id: str, delta: int) -> str:
        """``+1`` / ``-1`` buttons: going down to 0 removes the line."""
        return self.set_quantity(line_id, max(0, self.line(line_id).quantity + delta))

    def remove_line(self, line_id: str) -> str:
        return self.set_quantity(line_id, 0)

    def set_line_discount(self, line_id: str, discount: Discount | None) -> str:
        self._check_not_paying()
        i = self._index(line_id)
        self.lines[i] = replace(self.lines[i], discount=discount)
        return line_id

    def set_line_note(self, line_id: str, note: str) -> str:
        i = self._index(line_id)
        self.lines[i] = replace(self.lines[i], note=note.strip())
        return line_id

    def set_discount(self, discount: Discount | None) -> None:
        """The discount on the whole basket, spread over the lines."""
        self._check_not_paying()
        self.discount = discount

    def clear(self) -> None:
        """Start again with an empty basket (a new id)."""
        self.basket_id = new_id()
        self.lines.clear()
        self.payments.clear()
        self.discount = None
        self.note = ""
        self.customer_id = None

    @property
    def is_empty(self) -> bool:
        return not self.lines

    # -- payments ------------------------------------------------------------

    def pay(self, method: str, tendered: int, *, gives_change: bool = False) -> Payment:
        """Record a payment of ``tendered`` cents by ``method``.

        At most what remains due counts towards the sale; anything above is
        change, which only a method that ``gives_change`` (cash) may give.
        """
        _check_cents("tendered", tendered)
        remaining = self.totals().remaining
        if self.is_empty:
            raise ValidationError("payment", "payment.empty_basket", "the basket is empty")
        if tendered <= 0:
            raise ValidationError("payment", "payment.zero", "a payment must be above zero")
        if remaining <= 0:
            raise ValidationError("payment", "payment.nothing_due", "nothing remains to be paid")
        if tendered > remaining and not gives_change:
            raise ValidationError(
                "payment", "payment.overpay", f"{method} cannot pay more than what is due"
            )
        payment = Payment(new_id(), method, min(tendered, remaining), tendered)
        self.payments.append(payment)
        return payment

    def remove_payment(self, payment_id: str) -> None:
        for i, payment in enumerate(self.payments):
            if payment.payment_id == payment_id:
                del self.payments[i]
                return
        raise NotFoundError("payment", payment_id)

    def clear_payments(self) -> None:
        self.payments.clear()

    @property
    def is_paid(self) -> bool:
        return not self.is_empty and self.totals().remaining == 0

    # -- totals --------------------------------------------------------------

    def totals(self) -> BasketTotals:
        gross = [line.gross for line in self.lines]
        line_off = [
            line.discount.off(g) if line.discount else 0
            for line, g in zip(self.lines, gross, strict=True)
        ]
        after = [g - d for g, d in zip(gross, line_off, strict=True)]
        basket_off = self.discount.off(sum(after)) if self.discount else 0
        shares = allocate(basket_off, after)
        lines = tuple(
            LineTotal(line, g, d, s)
            for line, g, d, s in zip(self.lines, gross, line_off, shares, strict=True)
        )
        total = sum(lt.total for lt in lines)
        return BasketTotals(
            lines=lines,
            subtotal=sum(gross),
            discount_total=sum(line_off) + basket_off,
            basket_discount=basket_off,
            total=total,
            vat=tuple(vat_breakdown((lt.line.vat_bp, lt.total) for lt in lines)),
            paid=sum(p.amount for p in self.payments),
            change=sum(p.change for p in self.payments),
        )

    def sale_inputs(self) -> SaleInputs:
        """The journal's view of this basket, once it is paid.

        Payments become what was tendered (the journal derives the change,
        which only ``cash`` may give); notes stay on the till.
        """
        if not self.is_paid:
            raise ValidationError("payment", "payment.short", "the basket is not fully paid")
        t = self.totals()
        if t.change and any(p.method != CASH for p in self.payments if p.change):
            raise ValidationError("payment", "payment.change_not_cash", "only cash gives change")
        return SaleInputs(
            lines=tuple(
                SaleLine(
                    product=lt.line.product_id,
                    label=lt.line.label,
                    qty=lt.line.quantity * QTY_ONE,
                    unit_price=lt.line.unit_price,
                    vat_bp=lt.line.vat_bp,
                    discount=lt.line_discount,
                )
                for lt in t.lines
            ),
            payments=tuple(SalePayment(p.method, p.tendered) for p in self.payments),
            basket_discount=t.basket_discount,
            customer=self.customer_id,
        )

    # -- persistence ---------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form for parking (payments are not parked)."""
        return {
            "basket_id": self.basket_id,
            "lines": [line.to_dict() for line in self.lines],
            "discount": self.discount.to_dict() if self.discount else None,
            "note": self.note,
            "customer_id": self.customer_id,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Basket:
        discount = data.get("discount")
        return cls(
            basket_id=data["basket_id"],
            lines=[BasketLine.from_dict(d) for d in data["lines"]],
            discount=Discount.from_dict(discount) if discount else None,
            note=data.get("note", ""),
            customer_id=data.get("customer_id"),
        )

    # -- internals -----------------------------------------------------------

    def _index(self, line_id: str) -> int:
        for i, line in enumerate(self.lines):
            if line.line_id == line_id:
                return i
        raise NotFoundError("basket line", line_id)

    def _check_not_paying(self) -> None:
        if self.payments:
            raise ValidationError(
                "basket", "basket.paying", "cancel the payments before changing the basket"
            )


def _check_cents(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_CENTS:
        raise ValidationError(name, "money.range", f"{name} must be whole cents within range")


def _check_quantity(quantity: int) -> None:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise ValidationError("quantity", "quantity.range", "a quantity must be at least 1")
    if quantity > MAX_QUANTITY:
        raise ValidationError("quantity", "quantity.range", f"at most {MAX_QUANTITY} per line")


# -- parked baskets -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParkedBasket:
    """A basket set aside, with when and by whom (for the recall list)."""

    basket: Basket
    parked_at: int
    cashier: str = ""


class ParkedBaskets:
    """Parked baskets of one till, kept in ``<data_dir>/parked_baskets.json``.

    Every change rewrites the file atomically (temporary file, fsync, rename),
    so a crash leaves either the old list or the new one, never half of one.
    """

    FILE_NAME = "parked_baskets.json"

    def __init__(self, data_dir: Path | str) -> None:
        self._path = Path(data_dir) / self.FILE_NAME
        self._items: list[ParkedBasket] = self._load()

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[ParkedBasket]:
        return iter(list(self._items))

    def park(self, basket: Basket, parked_at: int, cashier: str = "") -> None:
        """Keep a copy of ``basket`` (its payments are dropped)."""
        if basket.is_empty:
            raise ValidationError("basket", "basket.empty", "there is nothing to park")
        copy = Basket.from_dict(basket.to_dict())
        self._items = [p for p in self._items if p.basket.basket_id != basket.basket_id]
        self._items.append(ParkedBasket(copy, parked_at, cashier))
        self._save()

    def recall(self, basket_id: str) -> Basket:
        """Take a parked basket back (it leaves the parked list)."""
        for i, parked in enumerate(self._items):
            if parked.basket.basket_id == basket_id:
                del self._items[i]
                self._save()
                return parked.basket
        raise NotFoundError("parked basket", basket_id)

    def _load(self) -> list[ParkedBasket]:
        try:
            raw = self._path.read_bytes()
        except FileNotFoundError:
            return []
        data = json.loads(raw)
        return [
            ParkedBasket(Basket.from_dict(d["basket"]), d["parked_at"], d.get("cashier", ""))
            for d in data["parked"]
        ]

    def _save(self) -> None:
        data = {
            "version": 1,
            "parked": [
                {"basket": p.basket.to_dict(), "parked_at": p.parked_at, "cashier": p.cashier}
                for p in self._items
            ],
        }
        payload = json.dumps(data, ensure_ascii=False, sort_keys=True).encode()
        self._path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".parked-", dir=self._path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(payload)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self._path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        dir_fd = os.open(self._path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        log.debug("%d parked basket(s) saved", len(self._items))
