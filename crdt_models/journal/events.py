"""Technical events, in each till's second chain (``"events"``).

Kinds and their bodies (every field required, nothing else allowed):

- ``start``: ``{version}`` -- the till app started (its software version)
- ``login`` / ``logout``: ``{cashier}``
- ``closing``: ``{period, label, seq}`` -- a closing was recorded as sales-chain record ``seq``
- ``sync_failure``: ``{peer, error}`` -- a sync link failed (relay URL or peer id, short text)
- ``verify_failure``: ``{till_id, chain, seq, reason}`` -- a verification named a broken record
- ``archive``: ``{chain, from_seq, to_seq, sha256}`` -- records exported to an archive
  whose JSON Lines bytes have this SHA-256
- ``purge``: ``{records, before}`` -- ``records`` journal rows the relay had
  acknowledged, all older than unix time ``before``, were deleted from this device

Call :func:`event_body` to make one (:func:`archive_body` for an archive);
:func:`validate_event_body` is what :func:`~crdt_models.journal.chain.append_record` runs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from crdt_models.errors import ValidationError
from crdt_models.journal.fields import get_int, get_str, only_keys
from crdt_models.journal.jsonl import export_jsonl
from crdt_models.journal.record import Record

__all__ = ["EVENT_KINDS", "archive_body", "event_body", "validate_event_body"]

_STR, _INT = str, int
_SCHEMAS: dict[str, dict[str, type]] = {
    "start": {"version": _STR},
    "login": {"cashier": _STR},
    "logout": {"cashier": _STR},
    "closing": {"period": _STR, "label": _STR, "seq": _INT},
    "sync_failure": {"peer": _STR, "error": _STR},
    "verify_failure": {"till_id": _STR, "chain": _STR, "seq": _INT, "reason": _STR},
    "archive": {"chain": _STR, "from_seq": _INT, "to_seq": _INT, "sha256": _STR},
    "purge": {"records": _INT, "before": _INT},
}
#: Every kind of record the events chain accepts.
EVENT_KINDS = frozenset(_SCHEMAS)
_SHA256 = re.compile(r"[0-9a-f]{64}")


def validate_event_body(kind: str, body: Mapping[str, Any]) -> None:
    """Raise ValidationError unless ``body`` has exactly the fields of event ``kind``."""
    schema = _SCHEMAS.get(kind)
    if schema is None:
        raise ValidationError("kind", "event.kind", f"unknown event kind {kind!r}")
    only_keys(body, frozenset(schema), kind)
    for name, typ in schema.items():
        if typ is int:
            get_int(body, name, "", minimum=0)
        else:
            get_str(body, name, "")
    if kind == "archive":
        if not _SHA256.fullmatch(body["sha256"]):
            raise ValidationError("sha256", "event.sha256", "sha256 must be 64 hex digits")
        if not 1 <= body["from_seq"] <= body["to_seq"]:
            raise ValidationError("from_seq", "event.range", "archive range is empty")


def event_body(kind: str, **fields: Any) -> dict[str, Any]:
    """The body of an event of ``kind``, checked: ``event_body("login", cashier=cid)``."""
    body = dict(fields)
    validate_event_body(kind, body)
    return body


def archive_body(records: Sequence[Record]) -> dict[str, Any]:
    """The ``archive`` event body for ``records`` (consecutive, one chain) exported as JSON Lines.

    The SHA-256 is that of :func:`~crdt_models.journal.jsonl.export_jsonl` of
    exactly these records, so the archive file can be checked against it later.
    """
    if not records:
        raise ValidationError("records", "event.range", "nothing to archive")
    return event_body(
        "archive",
        chain=records[0].chain,
        from_seq=records[0].seq,
        to_seq=records[-1].seq,
        sha256=hashlib.sha256(export_jsonl(records)).hexdigest(),
    )
