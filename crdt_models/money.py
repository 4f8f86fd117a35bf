"""Money: integer cents everywhere, VAT in basis points, exact rounding.

Prices include tax (French retail practice). A basket's VAT is computed **per
rate on the rate's total**, not per line, which is what the receipt shows:

    vat(rate) = round_half_up(gross(rate) * bp / (10000 + bp))
    net(rate) = gross(rate) - vat(rate)

so for every rate ``net + vat == gross`` exactly, and the sum of the rates'
gross totals is the basket total exactly. Discounts spread over several lines
use :func:`allocate` (largest remainder), so their parts add up to the cent.

pycrdt reads back every number as a float; :func:`to_cents` is the one place
where a number read from a document becomes money.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from crdt_models.errors import ValidationError

__all__ = [
    "MAX_CENTS",
    "VatTotal",
    "allocate",
    "parse_money",
    "percent_of",
    "round_half_up_div",
    "to_cents",
    "vat_breakdown",
]

#: The largest amount a single price or total may hold: 10 million in the
#: shop's currency. Well below 2**53, so a float round trip is exact.
MAX_CENTS = 1_000_000_000


def to_cents(value: object, field: str = "amount") -> int:
    """Turn a number read from a document (int, or float from pycrdt) into cents.

    Raises :class:`ValidationError` for anything that is not a whole number of
    cents within +-:data:`MAX_CENTS` (booleans, NaN, 12.5 cents, strings).
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(field, "money.type", f"{field} must be a number of cents")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValidationError(field, "money.fraction", f"{field} must be whole cents")
        value = int(value)
    if abs(value) > MAX_CENTS:
        raise ValidationError(field, "money.absurd", f"{field} is out of range")
    return value


def round_half_up_div(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half away from zero, in integers."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    q, r = divmod(abs(numerator), denominator)
    if 2 * r >= denominator:
        q += 1
    return q if numerator >= 0 else -q


def percent_of(cents: int, basis_points: int) -> int:
    """``cents * basis_points / 10000`` rounded half away from zero (10 % = 1000 bp)."""
    return round_half_up_div(cents * basis_points, 10_000)


_MONEY_RE = re.compile(r"^\s*(-)?\s*(\d{1,9})(?:[.,](\d{1,2}))?\s*(?:€|EUR)?\s*$")


def parse_money(text: str, field: str = "amount") -> int:
    """Parse ``"12"``, ``"12.5"``, ``"12,50"``, ``"-3,20 €"`` into cents."""
    m = _MONEY_RE.match(text)
    if not m:
        raise ValidationError(field, "money.format", f"{field}: {text!r} is not an amount")
    sign, units, frac = m.groups()
    cents = int(units) * 100 + int((frac or "0").ljust(2, "0"))
    return to_cents(-cents if sign else cents, field)


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` cents in proportion to ``weights``, parts summing exactly to ``total``.

    Largest-remainder method; ties go to the earliest weight. Weights must be
    non-negative with a positive sum (or all zero, which splits evenly).
    """
    if not weights:
        if total:
            raise ValueError("cannot allocate a non-zero total over no weights")
        return []
    if any(w < 0 for w in weights):
        raise ValueError("weights must be non-negative")
    ws = list(weights) if sum(weights) > 0 else [1] * len(weights)
    denom = sum(ws)
    sign = -1 if total < 0 else 1
    t = abs(total)
    parts = [t * w // denom for w in ws]
    rema = [(t * w % denom, -i) for i, w in enumerate(ws)]
    for _, neg_i in sorted(rema, reverse=True)[: t - sum(parts)]:
        parts[-neg_i] += 1
    return [sign * p for p in parts]


@dataclass(frozen=True, slots=True)
class VatTotal:
    """What one VAT rate accounts for in a basket: ``net + vat == gross``."""

    rate_bp: int
    gross: int
    net: int
    vat: int


def vat_breakdown(lines: Iterable[tuple[int, int]]) -> list[VatTotal]:
    """Group ``(rate_bp, gross_cents)`` pairs by rate, sorted by rate.

    Rounding is per rate on the rate's total (see the module docstring);
    negative amounts (refunds) round symmetrically.
    """
    gross: dict[int, int] = {}
    for rate_bp, amount in lines:
        if rate_bp < 0 or rate_bp > 10_000:
            raise ValidationError("vat", "vat.range", f"VAT rate {rate_bp} bp is out of range")
        gross[rate_bp] = gross.get(rate_bp, 0) + amount
    out = []
    for rate_bp in sorted(gross):
        g = gross[rate_bp]
        vat = round_half_up_div(g * rate_bp, 10_000 + rate_bp)
        out.append(VatTotal(rate_bp=rate_bp, gross=g, net=g - vat, vat=vat))
    return out
