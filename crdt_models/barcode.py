"""Product barcodes: GTIN check digits (EAN-13, EAN-8, UPC-A) and in-store codes.

Call :func:`parse_barcode` on anything a user types or a scanner sends before
storing it or looking a product up: it returns the one normal form under which
the code is stored, so that the same physical barcode always matches.

Rules (what a shop actually meets):

- A code made only of digits and 8, 12 or 13 long is a GTIN (EAN-8, UPC-A,
  EAN-13) and its check digit must be right: a mistyped digit is caught here,
  not at the till. UPC-A is stored as its EAN-13 form (a leading ``0``), which
  is what most scanners send, so both spellings find the same product.
  EAN-13 codes with a GS1 in-store prefix (``02``, ``20``-``29``) are GTINs
  too and are checked the same way; their kind is :attr:`BarcodeKind.IN_STORE`.
- Any other code up to 32 characters made of ``A-Z 0-9 - . _ /`` is an
  internal code (a shop's own labels, short PLU numbers, Code 128 stickers).
  It has no check digit; it is stored upper-cased. Digits-only codes of other
  lengths (``"1234"``, a 10-digit code) are internal codes.
- Spaces around the code are ignored; anything else raises
  :class:`~crdt_models.errors.ValidationError` on field ``"barcode"`` with
  code ``barcode.empty``, ``barcode.too_long``, ``barcode.format`` or
  ``barcode.check_digit``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from crdt_models.errors import ValidationError

__all__ = [
    "MAX_BARCODE_LENGTH",
    "Barcode",
    "BarcodeKind",
    "gtin_check_digit",
    "is_valid_gtin",
    "normalize_barcode",
    "parse_barcode",
]

#: The longest internal code accepted.
MAX_BARCODE_LENGTH = 32

_GTIN_LENGTHS = frozenset({8, 12, 13})
_IN_STORE_PREFIXES = frozenset({"02", *(str(n) for n in range(20, 30))})
_INTERNAL_RE = re.compile(r"^[A-Z0-9][A-Z0-9._/-]*$")


class BarcodeKind(StrEnum):
    """What kind of code a :class:`Barcode` is."""

    EAN13 = "ean13"
    EAN8 = "ean8"
    UPCA = "upca"
    IN_STORE = "in_store"  # an EAN-13 with a GS1 restricted-circulation prefix
    INTERNAL = "internal"  # no check digit


@dataclass(frozen=True, slots=True)
class Barcode:
    """A checked barcode: ``code`` is the normal form to store and compare."""

    code: str
    kind: BarcodeKind

    @property
    def is_gtin(self) -> bool:
        """True when the code carries a GTIN check digit."""
        return self.kind is not BarcodeKind.INTERNAL


def gtin_check_digit(body: str) -> int:
    """The GS1 check digit for ``body`` (a GTIN without its last digit).

    Weights 3 and 1 alternate from the rightmost digit of ``body``.
    """
    if not body.isascii() or not body.isdigit():
        raise ValueError("a GTIN body is made of digits")
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def is_valid_gtin(code: str) -> bool:
    """True when ``code`` is an 8, 12, 13 or 14-digit GTIN with a right check digit."""
    if len(code) not in {8, 12, 13, 14} or not code.isascii() or not code.isdigit():
        return False
    return gtin_check_digit(code[:-1]) == int(code[-1])


def parse_barcode(text: str, field: str = "barcode") -> Barcode:
    """Check ``text`` and return its normal form (see the module docstring)."""
    code = text.strip()
    if not code:
        raise ValidationError(field, "barcode.empty", "the barcode is empty")
    if code.isascii() and code.isdigit() and len(code) in _GTIN_LENGTHS:
        if not is_valid_gtin(code):
            raise ValidationError(
                field, "barcode.check_digit", f"{code!r}: wrong check digit (mistyped?)"
            )
        if len(code) == 8:
            return Barcode(code, BarcodeKind.EAN8)
        if len(code) == 12:
            return Barcode("0" + code, BarcodeKind.UPCA)
        if code[:2] in _IN_STORE_PREFIXES:
            return Barcode(code, BarcodeKind.IN_STORE)
        return Barcode(code, BarcodeKind.EAN13)
    if len(code) > MAX_BARCODE_LENGTH:
        raise ValidationError(
            field, "barcode.too_long", f"a barcode has at most {MAX_BARCODE_LENGTH} characters"
        )
    upper = code.upper()
    if not upper.isascii() or not _INTERNAL_RE.match(upper):
        raise ValidationError(
            field, "barcode.format", f"{code!r}: use digits, letters A-Z and - . _ / only"
        )
    return Barcode(upper, BarcodeKind.INTERNAL)


def normalize_barcode(text: str) -> str:
    """The stored form of ``text`` (see :func:`parse_barcode`); raises on a bad code."""
    return parse_barcode(text).code
