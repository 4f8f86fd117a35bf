"""JSON payloads of AUTH, AUTH_OK and CONTROL frames.

A payload is a JSON object of strings, integers, booleans, nulls, lists and
objects -- no floats, like every number in Skytill. It is written canonically
(sorted keys, no spaces, UTF-8) so equal payloads are equal bytes, and read
strictly: anything else is a :class:`~crdt_models.sync.errors.FrameError`.
"""

from __future__ import annotations

import json
from typing import TypeAlias

from crdt_models.sync.errors import FrameError

__all__ = ["JsonObject", "JsonValue", "decode_payload", "encode_payload"]

JsonValue: TypeAlias = "bool | int | str | list[JsonValue] | dict[str, JsonValue] | None"
JsonObject: TypeAlias = "dict[str, JsonValue]"

_MAX_DEPTH = 32


def _check(value: object, depth: int) -> None:
    if depth > _MAX_DEPTH:
        raise FrameError(f"payload nested deeper than {_MAX_DEPTH}")
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, list):
        for item in value:
            _check(item, depth + 1)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise FrameError("payload keys must be strings")
            _check(item, depth + 1)
        return
    raise FrameError(f"payload holds a {type(value).__name__}; only ints, no floats")


def encode_payload(payload: JsonObject) -> bytes:
    """Encode a payload canonically; raises FrameError on floats or non-JSON values."""
    if not isinstance(payload, dict):
        raise FrameError("a payload must be a JSON object")
    _check(payload, 0)
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def _refuse_float(text: str) -> object:
    raise FrameError(f"payload holds the float {text}; only integers are allowed")


def _refuse_constant(text: str) -> object:
    raise FrameError(f"payload holds {text}")


def decode_payload(data: bytes) -> JsonObject:
    """Decode a payload read from the network; raises FrameError on anything malformed."""
    try:
        value = json.loads(
            data.decode("utf-8"), parse_float=_refuse_float, parse_constant=_refuse_constant
        )
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeError, huge ints
        raise FrameError(f"payload is not JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise FrameError("a payload must be a JSON object")
    _check(value, 0)
    return value
