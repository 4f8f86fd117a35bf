"""Appending to a chain and checking that one record continues it.

A chain is identified by ``(till_id, chain)``; its state is a
:class:`ChainHead` (the last sequence number and hash). The till calls
:func:`append_record` to make the next record, stores it, then moves its head
with :func:`head_after`. The relay (or any peer) calls
:func:`verify_record_link` on a record it receives against the head it
already holds for that chain, before it acknowledges it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from crdt_models.journal.bodies import validate_body
from crdt_models.journal.canonical import canonical_json
from crdt_models.journal.errors import ChainLinkError
from crdt_models.journal.keys import sign_digest, verify_digest
from crdt_models.journal.record import CHAINS, GENESIS_HASH, Record, record_hash

__all__ = [
    "ChainHead",
    "append_record",
    "head_after",
    "link_problem",
    "verify_record_link",
]


@dataclass(frozen=True, slots=True)
class ChainHead:
    """Where a chain stands: its last record's ``seq`` and ``hash`` (0 and zeros if empty)."""

    till_id: str
    chain: str
    seq: int
    hash: str

    @classmethod
    def genesis(cls, till_id: str, chain: str) -> ChainHead:
        """The head of an empty chain: the first record gets seq 1 and prev_hash zeros."""
        if chain not in CHAINS:
            raise ValueError(f"unknown chain {chain!r}")
        return cls(till_id=till_id, chain=chain, seq=0, hash=GENESIS_HASH)


def head_after(record: Record) -> ChainHead:
    """The head of a chain whose last record is ``record``."""
    return ChainHead(till_id=record.till_id, chain=record.chain, seq=record.seq, hash=record.hash)


def append_record(
    head: ChainHead, kind: str, body: dict[str, Any], ts: int, private_key: bytes
) -> Record:
    """Make, hash and sign the record that follows ``head``. Pure: stores nothing.

    ``body`` is validated for ``kind`` (see :func:`~crdt_models.journal.bodies.validate_body`:
    a sale must add up to the cent, a closing must be well-formed...) and
    copied, so later changes to the caller's dict do not reach the record.
    Raises :class:`~crdt_models.errors.ValidationError` for an unacceptable
    body and ``ValueError`` for a negative ``ts`` or a body that is not
    canonical JSON (floats...).
    """
    if isinstance(ts, bool) or not isinstance(ts, int) or ts < 0:
        raise ValueError("ts must be a non-negative integer (unix seconds)")
    copied: dict[str, Any] = json.loads(canonical_json(body))
    seq = head.seq + 1
    validate_body(head.chain, kind, copied, seq)
    digest = record_hash(head.till_id, head.chain, seq, kind, ts, copied, head.hash)
    signature = sign_digest(private_key, bytes.fromhex(digest)).hex()
    return Record(
        till_id=head.till_id,
        chain=head.chain,
        seq=seq,
        kind=kind,
        ts=ts,
        body=copied,
        prev_hash=head.hash,
        hash=digest,
        signature=signature,
    )


def link_problem(head: ChainHead, record: Record, public_key: bytes) -> tuple[str, str] | None:
    """Why ``record`` does not continue ``head``, as ``(reason, explanation)``; None if it does.

    Checks, in order: content matches hash (else "edited"), same journal
    ("inserted": a record of another till or chain), signature ("bad
    signature"), ``seq == head.seq + 1`` ("sequence gap" if ahead, "reordered"
    if behind), ``prev_hash == head.hash`` ("inserted": an authentic-looking
    record from another history).
    """
    try:
        actual = record.content_hash()
    except ValueError as exc:  # a body no till could have signed: floats, lone surrogates...
        return "edited", f"content is not canonical JSON: {exc}"
    if actual != record.hash:
        return "edited", f"content hashes to {actual[:12]}..., record says {record.hash[:12]}..."
    if record.till_id != head.till_id or record.chain != head.chain:
        return "inserted", f"record of journal {record.till_id}/{record.chain}"
    if not verify_digest(public_key, bytes.fromhex(record.hash), bytes.fromhex(record.signature)):
        return "bad signature", "the signature is not the till's signature of this hash"
    expected = head.seq + 1
    if record.seq > expected:
        return "sequence gap", f"seq {record.seq} where {expected} was expected"
    if record.seq < expected:
        return "reordered", f"seq {record.seq} after seq {head.seq}"
    if record.prev_hash != head.hash:
        return "inserted", "prev_hash does not match the previous record's hash"
    return None


def verify_record_link(head: ChainHead, record: Record, public_key: bytes) -> None:
    """Check that ``record`` is authentic and is exactly the next record after ``head``.

    What the relay calls on receipt, before acknowledging. A record with
    ``seq <= head.seq`` raises ("reordered"): look it up in storage first, an
    identical copy of a stored record is a harmless repeat. Raises
    :class:`~crdt_models.journal.errors.ChainLinkError` whose ``reason`` is
    one of "inserted", "edited", "bad signature", "sequence gap", "reordered".
    """
    problem = link_problem(head, record, public_key)
    if problem is not None:
        reason, message = problem
        raise ChainLinkError(reason, record.seq, message)
