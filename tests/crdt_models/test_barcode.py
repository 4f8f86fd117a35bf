"""Barcode checks: GTIN check digits, UPC-A normal form, internal codes, errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crdt_models.barcode import (
    BarcodeKind,
    gtin_check_digit,
    is_valid_gtin,
    normalize_barcode,
    parse_barcode,
)
from crdt_models.errors import ValidationError


@pytest.mark.parametrize(
    ("text", "code", "kind"),
    [
        ("5449000000996", "5449000000996", BarcodeKind.EAN13),  # Coca-Cola 33 cl
        ("3017620422003", "3017620422003", BarcodeKind.EAN13),  # Nutella 400 g
        (" 96385074 ", "96385074", BarcodeKind.EAN8),
        ("036000291452", "0036000291452", BarcodeKind.UPCA),
        ("2012345000001", "2012345000001", BarcodeKind.IN_STORE),
        ("0212345000007", "0212345000007", BarcodeKind.IN_STORE),
        ("cafe-001", "CAFE-001", BarcodeKind.INTERNAL),
        ("1234", "1234", BarcodeKind.INTERNAL),
        ("12345678901", "12345678901", BarcodeKind.INTERNAL),  # 11 digits: not a GTIN length
    ],
)
def test_valid_codes_normalise(text: str, code: str, kind: BarcodeKind) -> None:
    barcode = parse_barcode(text)
    assert (barcode.code, barcode.kind) == (code, kind)
    assert barcode.is_gtin == (kind is not BarcodeKind.INTERNAL)


def test_upca_and_its_ean13_form_are_the_same_code() -> None:
    assert normalize_barcode("036000291452") == normalize_barcode("0036000291452")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("5449000000997", "barcode.check_digit"),
        ("96385075", "barcode.check_digit"),
        ("036000291453", "barcode.check_digit"),
        ("", "barcode.empty"),
        ("   ", "barcode.empty"),
        ("A" * 33, "barcode.too_long"),
        ("12 34", "barcode.format"),
        ("café", "barcode.format"),
        ("-12", "barcode.format"),
        ("٣٠١٧٦٢٠٤٢٢٠٠٣", "barcode.format"),  # Arabic-Indic digits are not ASCII digits
    ],
)
def test_bad_codes_raise_with_field_and_code(text: str, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_barcode(text, field="product_barcode")
    assert (info.value.field, info.value.code) == ("product_barcode", code)


def test_check_digit_known_values() -> None:
    assert gtin_check_digit("544900000099") == 6
    assert gtin_check_digit("9638507") == 4
    assert gtin_check_digit("03600029145") == 2
    with pytest.raises(ValueError):
        gtin_check_digit("12a")


@settings(max_examples=200, deadline=None)
@given(body=st.text(alphabet="0123456789", min_size=11, max_size=12), wrong=st.integers(1, 9))
def test_every_single_digit_error_in_the_check_digit_is_caught(body: str, wrong: int) -> None:
    good = body + str(gtin_check_digit(body))
    assert is_valid_gtin(good)
    assert parse_barcode(good).code.endswith(good)
    bad = body + str((int(good[-1]) + wrong) % 10)
    assert not is_valid_gtin(bad)
    with pytest.raises(ValidationError):
        parse_barcode(bad)


def test_is_valid_gtin_rejects_other_lengths_and_non_digits() -> None:
    assert is_valid_gtin("00012345600005")  # GTIN-14
    assert not is_valid_gtin("1234567")
    assert not is_valid_gtin("544900000099X")
