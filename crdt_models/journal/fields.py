"""Typed reads from a record body, raising ValidationError that names the field.

Used by the body validators of every record kind; not part of the public API.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crdt_models.errors import ValidationError

__all__ = ["get_int", "get_list", "get_obj", "get_opt_str", "get_str", "only_keys", "require_same"]


def only_keys(obj: Mapping[str, Any], allowed: set[str] | frozenset[str], where: str) -> None:
    """Refuse keys outside ``allowed``: a legal record holds nothing unexpected."""
    extra = sorted(set(obj) - allowed)
    if extra:
        raise ValidationError(where, "body.unexpected", f"{where}: unexpected fields {extra}")


def get_obj(obj: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    """``obj[key]``, which must be a JSON object; ``where`` prefixes the field name."""
    value = obj.get(key)
    if not isinstance(value, dict):
        raise ValidationError(f"{where}{key}", "body.type", f"{where}{key} must be an object")
    return value


def get_list(obj: Mapping[str, Any], key: str, where: str) -> list[Any]:
    """``obj[key]``, which must be a list."""
    value = obj.get(key)
    if not isinstance(value, list):
        raise ValidationError(f"{where}{key}", "body.type", f"{where}{key} must be a list")
    return value


def get_int(obj: Mapping[str, Any], key: str, where: str, minimum: int | None = None) -> int:
    """``obj[key]``, which must be an integer (not a bool), at least ``minimum`` if given."""
    value = obj.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{where}{key}", "body.type", f"{where}{key} must be an integer")
    if minimum is not None and value < minimum:
        raise ValidationError(f"{where}{key}", "body.range", f"{where}{key} must be >= {minimum}")
    return value


def get_str(obj: Mapping[str, Any], key: str, where: str) -> str:
    """``obj[key]``, which must be a non-empty string."""
    value = obj.get(key)
    if not isinstance(value, str) or not value:
        raise ValidationError(f"{where}{key}", "body.type", f"{where}{key} must be a string")
    return value


def get_opt_str(obj: Mapping[str, Any], key: str, where: str) -> str | None:
    """``obj[key]``, which must be present and a non-empty string or null."""
    if obj.get(key) is None:
        if key not in obj:
            raise ValidationError(f"{where}{key}", "body.missing", f"{where}{key} is missing")
        return None
    return get_str(obj, key, where)


def require_same(expected: Mapping[str, Any], body: Mapping[str, Any]) -> None:
    """Refuse a body whose fields differ from what its inputs compute to."""
    for key, value in expected.items():
        if body.get(key) != value:
            raise ValidationError(key, "body.mismatch", f"{key} does not add up (expected {value})")
