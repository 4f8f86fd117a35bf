"""The canonical JSON encoding that journal hashes are computed over.

One value has exactly one encoding: keys sorted, no whitespace, UTF-8 (not
``\\u`` escapes), integers only. Floats are refused because two platforms may
print the same float differently and money is never a float here; integers
are bounded to +-(2**53 - 1) so that a JavaScript reader sees the same number.

Call :func:`canonical_json` wherever bytes are hashed or signed, and
:func:`parse_json` to read JSON that came from outside (it refuses what
:func:`canonical_json` would refuse, plus duplicate keys).
"""

from __future__ import annotations

import json
import re
from typing import Any

from crdt_models.journal.errors import MalformedRecordError

__all__ = ["MAX_SAFE_INT", "canonical_json", "parse_json"]

#: Largest integer a JSON reader that uses IEEE doubles reads back exactly.
MAX_SAFE_INT = 2**53 - 1
_STR_ONLY = {str}
# A \uD800-\uDFFF escape: the only way JSON read from valid UTF-8 holds a lone surrogate.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _check(value: object, path: str) -> None:
    if value is None or isinstance(value, bool | str):
        return
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INT:
            raise ValueError(f"{path}: integer {value} is outside +-(2**53 - 1)")
        return
    if isinstance(value, float):
        raise ValueError(f"{path}: floats are not allowed in the journal ({value!r})")
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _check(item, f"{path}[{i}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{path}: object key {key!r} is not a string")
            _check(item, f"{path}.{key}")
        return
    raise ValueError(f"{path}: {type(value).__name__} is not JSON")


def _is_plain(obj: object) -> bool:
    """True if ``obj`` holds only what the journal allows (fast path of :func:`_check`)."""
    stack = [obj]
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind is str or kind is bool or value is None:
            continue
        if isinstance(value, int) and kind is int:
            if abs(value) > MAX_SAFE_INT:
                return False
        elif isinstance(value, dict) and kind is dict:
            if value and set(map(type, value)) != _STR_ONLY:
                return False
            stack.extend(value.values())
        elif isinstance(value, list | tuple) and (kind is list or kind is tuple):
            stack.extend(value)
        else:
            return False
    return True


def canonical_json(obj: object) -> bytes:
    """Encode ``obj`` canonically: sorted keys, no spaces, UTF-8, no floats.

    Raises ``ValueError`` for floats, non-string keys, integers beyond
    +-(2**53 - 1) and anything that is not JSON (sets, bytes, objects).
    """
    if not _is_plain(obj):
        _check(obj, "$")  # names the offending value
    return json.dumps(
        obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def _no_float(text: str) -> Any:
    raise MalformedRecordError(f"floats are not allowed in the journal ({text})")


def _bounded_int(text: str) -> int:
    value = int(text)
    if abs(value) > MAX_SAFE_INT:
        raise MalformedRecordError(f"integer {text} is outside +-(2**53 - 1)")
    return value


def _no_constant(text: str) -> Any:
    raise MalformedRecordError(f"{text} is not allowed in the journal")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise MalformedRecordError(f"duplicate key {key!r}")
        out[key] = value
    return out


def parse_json(data: bytes) -> object:
    """Decode untrusted JSON bytes, refusing floats, NaN, duplicate keys and big ints.

    Raises :class:`~crdt_models.journal.errors.MalformedRecordError` on
    anything else than a strict JSON value.
    """
    try:
        text = data.decode("utf-8")
        value = json.loads(
            text,
            parse_float=_no_float,
            parse_int=_bounded_int,
            parse_constant=_no_constant,
            object_pairs_hook=_unique_keys,
        )
    except MalformedRecordError:
        raise
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise MalformedRecordError(f"not JSON: {exc}") from None
    if _SURROGATE_ESCAPE.search(data):  # rare: check precisely that it re-encodes
        try:
            canonical_json(value)
        except ValueError as exc:  # UnicodeEncodeError: a lone surrogate, no UTF-8 text
            raise MalformedRecordError(f"not UTF-8 text: {exc}") from None
    return value
