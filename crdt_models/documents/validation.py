"""Checks on values a user gives before they are written to a document.

Each function returns the value to store (trimmed, normalised) or raises
:class:`~crdt_models.errors.ValidationError` naming the field and a stable
code. Cross-entry rules (unknown VAT rate, archived category, duplicate
barcode) live with the document classes that can see the other entries.
"""

from __future__ import annotations

import re

from crdt_models.barcode import parse_barcode
from crdt_models.errors import ValidationError

__all__ = [
    "MAX_NAME_LENGTH",
    "MAX_PRICE_CENTS",
    "MAX_TEXT_LENGTH",
    "check_barcode",
    "check_color",
    "check_email",
    "check_int",
    "check_name",
    "check_phone",
    "check_price",
    "check_rate_bp",
    "check_text",
]

#: Longest name of a product, category, customer, till...
MAX_NAME_LENGTH = 120
#: Longest free text (address, notes, receipt header and footer).
MAX_TEXT_LENGTH = 2000
#: The highest unit price accepted: 100,000.00. Anything above is a typo.
MAX_PRICE_CENTS = 10_000_000

_COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_RE = re.compile(r"^\+?[0-9 .()-]{3,30}$")


def _require_str(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise ValidationError(field, f"{field}.type", f"{field} must be text")
    return value


def check_name(value: object, field: str = "name") -> str:
    """A required, single-line name: trimmed, not empty, at most 120 characters."""
    text = _require_str(value, field).strip()
    if not text:
        raise ValidationError(field, "name.empty", f"{field} must not be empty")
    if len(text) > MAX_NAME_LENGTH:
        raise ValidationError(
            field, "name.too_long", f"{field} has more than {MAX_NAME_LENGTH} characters"
        )
    if any(ch in text for ch in "\r\n\t"):
        raise ValidationError(field, "name.control", f"{field} must fit on one line")
    return text


def check_text(value: object, field: str) -> str:
    """Optional free text (may be empty, may span lines), at most 2000 characters."""
    text = _require_str(value, field).strip()
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError(
            field, "text.too_long", f"{field} has more than {MAX_TEXT_LENGTH} characters"
        )
    return text


def check_int(value: object, field: str, low: int, high: int) -> int:
    """An integer in ``[low, high]`` (booleans and floats are refused)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, f"{field}.type", f"{field} must be a whole number")
    if not low <= value <= high:
        raise ValidationError(field, f"{field}.range", f"{field} must be in {low}..{high}")
    return value


def check_price(value: object, field: str = "price") -> int:
    """A unit price in integer cents, tax included: 0 to :data:`MAX_PRICE_CENTS`."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, "price.type", f"{field} must be an integer number of cents")
    if value < 0:
        raise ValidationError(field, "price.negative", f"{field} must not be negative")
    if value > MAX_PRICE_CENTS:
        raise ValidationError(field, "price.absurd", f"{field} is implausibly high")
    return value


def check_rate_bp(value: object, field: str = "rate_bp") -> int:
    """A VAT rate in basis points, 0 (0 %) to 10000 (100 %)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, "vat.type", f"{field} must be whole basis points")
    if not 0 <= value <= 10_000:
        raise ValidationError(field, "vat.range", f"{field} must be in 0..10000 bp")
    return value


def check_color(value: object, field: str = "color") -> str:
    """``""`` (no colour) or ``#RRGGBB``, stored lower-case."""
    text = _require_str(value, field).strip()
    if text and not _COLOR_RE.match(text):
        raise ValidationError(field, "color.format", f"{field} must look like #RRGGBB")
    return text.lower()


def check_barcode(value: object, field: str = "barcode") -> str:
    """``""`` (no barcode) or the normal form of a valid code (:mod:`crdt_models.barcode`)."""
    text = _require_str(value, field).strip()
    return parse_barcode(text, field).code if text else ""


def check_email(value: object, field: str = "email") -> str:
    """``""`` or a plausible e-mail address."""
    text = _require_str(value, field).strip()
    if text and not _EMAIL_RE.match(text):
        raise ValidationError(field, "email.format", f"{field} is not an e-mail address")
    return text


def check_phone(value: object, field: str = "phone") -> str:
    """``""`` or a phone number: digits, spaces, ``+ . ( ) -``."""
    text = _require_str(value, field).strip()
    if text and not _PHONE_RE.match(text):
        raise ValidationError(field, "phone.format", f"{field} is not a phone number")
    return text
