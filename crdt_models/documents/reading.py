"""Reading fields of an entry as stored by any Yjs client.

A document may hold what another client wrote: numbers as floats, a missing
field, a string where a number belongs. These functions turn one raw field
into its Python value or raise :class:`~crdt_models.errors.ValidationError`
(code ``field.missing`` / ``field.type`` or a money code); a reader that
meets one skips the entry and the conflict report lists it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pycrdt import Map

from crdt_models.errors import ValidationError
from crdt_models.money import to_cents

__all__ = ["entry_fields", "read_cents", "read_flag", "read_int", "read_ref", "read_text"]

Raw = Mapping[str, Any]


def entry_fields(value: object, field: str = "entry") -> Raw:
    """The fields of an entry value (a nested Map, or what JSON gives for it)."""
    if type(value) is dict:
        return value  # the usual case, first: a whole root read as JSON
    if isinstance(value, Map):
        value = value.to_py()
    if not isinstance(value, dict):
        raise ValidationError(field, "entry.type", "an entry must be a Map of fields")
    return value


def read_text(raw: Raw, field: str) -> str:
    """A text field; missing or null reads as ``""``."""
    value = raw.get(field)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(field, "field.type", f"{field} is not text")
    return value


def read_ref(raw: Raw, field: str) -> str | None:
    """An id field; missing, null or ``""`` reads as None."""
    return read_text(raw, field) or None


def read_flag(raw: Raw, field: str = "archived") -> bool:
    """A boolean field; missing or null reads as False."""
    value = raw.get(field)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ValidationError(field, "field.type", f"{field} is not a boolean")
    return value


def read_int(raw: Raw, field: str, default: int | None = None) -> int:
    """A whole number (int or integral float); missing reads as ``default`` if given."""
    value = raw.get(field)
    if value is None:
        if default is None:
            raise ValidationError(field, "field.missing", f"{field} is missing")
        return default
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(field, "field.type", f"{field} is not a number")
    if isinstance(value, float) and not value.is_integer():
        raise ValidationError(field, "field.type", f"{field} is not a whole number")
    return int(value)


def read_cents(raw: Raw, field: str) -> int:
    """A required amount of money, through :func:`crdt_models.money.to_cents`."""
    value = raw.get(field)
    if value is None:
        raise ValidationError(field, "field.missing", f"{field} is missing")
    return to_cents(value, field)
