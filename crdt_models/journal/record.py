"""One journal record: what it holds, how it is hashed, how it is written as a line.

A record is immutable. Its ``hash`` is SHA-256 over :func:`canonical_json` of
every field except ``hash`` and ``signature``; its ``signature`` is the till's
Ed25519 signature of the 32 hash bytes. Records are made by
:func:`crdt_models.journal.chain.append_record`, never by hand, and read back
from bytes with :meth:`Record.from_json_line`, which only checks the *shape*;
:mod:`crdt_models.journal.verify` checks hashes, links and signatures.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from crdt_models.journal.canonical import MAX_SAFE_INT, canonical_json, parse_json
from crdt_models.journal.errors import MalformedRecordError

__all__ = ["CHAINS", "EVENTS", "GENESIS_HASH", "SALES", "Record", "record_hash"]

#: The chain of legal records: sales, refunds, duplicates, closings.
SALES = "sales"
#: The chain of technical events: logins, sync failures, archives...
EVENTS = "events"
CHAINS = frozenset({SALES, EVENTS})

#: ``prev_hash`` of the first record of every chain.
GENESIS_HASH = "0" * 64

_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX128 = re.compile(r"[0-9a-f]{128}")
_FIELDS = frozenset(
    {"till_id", "chain", "seq", "kind", "ts", "body", "prev_hash", "hash", "signature"}
)


def record_hash(
    till_id: str, chain: str, seq: int, kind: str, ts: int, body: dict[str, Any], prev_hash: str
) -> str:
    """The hex SHA-256 of a record's content (every field but hash and signature)."""
    content = {
        "till_id": till_id,
        "chain": chain,
        "seq": seq,
        "kind": kind,
        "ts": ts,
        "body": body,
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical_json(content)).hexdigest()


@dataclass(frozen=True, slots=True)
class Record:
    """A signed, chained journal record (see the module docstring).

    ``body`` is a plain JSON object (ints, strings, lists, dicts, null; no
    floats); treat it as read-only -- a changed body no longer matches
    ``hash`` and the verifier reports the record as edited.
    """

    till_id: str
    chain: str
    seq: int
    kind: str
    ts: int
    body: dict[str, Any]
    prev_hash: str
    hash: str
    signature: str

    def __hash__(self) -> int:
        return hash((self.till_id, self.chain, self.seq, self.hash))

    def content_hash(self) -> str:
        """The hash this record's content actually has (equal to ``hash`` unless edited)."""
        return record_hash(
            self.till_id, self.chain, self.seq, self.kind, self.ts, self.body, self.prev_hash
        )

    def to_dict(self) -> dict[str, Any]:
        """The record as a JSON object (what one JSON Lines line holds)."""
        return {
            "till_id": self.till_id,
            "chain": self.chain,
            "seq": self.seq,
            "kind": self.kind,
            "ts": self.ts,
            "body": self.body,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
            "signature": self.signature,
        }

    def to_json_line(self) -> bytes:
        """Canonical JSON of the whole record, one line, no trailing newline."""
        return canonical_json(self.to_dict())

    @classmethod
    def from_dict(cls, obj: object) -> Record:
        """Build a record from a decoded JSON object, checking its shape.

        Raises :class:`MalformedRecordError` for a missing or extra field or a
        field of the wrong type; does not check hash, link or signature.
        """
        if not isinstance(obj, dict):
            raise MalformedRecordError("a record is a JSON object")
        keys = set(obj)
        if keys != _FIELDS:
            missing, extra = sorted(_FIELDS - keys), sorted(keys - _FIELDS)
            raise MalformedRecordError(f"fields missing {missing}, unexpected {extra}")
        for name in ("till_id", "chain", "kind", "prev_hash", "hash", "signature"):
            if not isinstance(obj[name], str):
                raise MalformedRecordError(f"{name} must be a string")
        for name in ("seq", "ts"):
            value = obj[name]
            if isinstance(value, bool) or not isinstance(value, int):
                raise MalformedRecordError(f"{name} must be an integer")
        if not obj["till_id"]:
            raise MalformedRecordError("till_id is empty")
        if obj["chain"] not in CHAINS:
            raise MalformedRecordError(f"unknown chain {obj['chain']!r}")
        if not 1 <= obj["seq"] <= MAX_SAFE_INT:
            raise MalformedRecordError("seq must be >= 1")
        if not 0 <= obj["ts"] <= MAX_SAFE_INT:
            raise MalformedRecordError("ts must be >= 0")
        if not obj["kind"]:
            raise MalformedRecordError("kind is empty")
        if not isinstance(obj["body"], dict):
            raise MalformedRecordError("body must be an object")
        for name in ("prev_hash", "hash"):
            if not _HEX64.fullmatch(obj[name]):
                raise MalformedRecordError(f"{name} must be 64 lowercase hex digits")
        if not _HEX128.fullmatch(obj["signature"]):
            raise MalformedRecordError("signature must be 128 lowercase hex digits")
        return cls(
            till_id=obj["till_id"],
            chain=obj["chain"],
            seq=obj["seq"],
            kind=obj["kind"],
            ts=obj["ts"],
            body=obj["body"],
            prev_hash=obj["prev_hash"],
            hash=obj["hash"],
            signature=obj["signature"],
        )

    @classmethod
    def from_json_line(cls, data: bytes) -> Record:
        """Parse one line written by :meth:`to_json_line`.

        Raises :class:`MalformedRecordError` on anything malformed (not JSON,
        floats, duplicate keys, wrong fields). A trailing newline is accepted.
        """
        return cls.from_dict(parse_json(data))
