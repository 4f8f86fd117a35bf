"""Rollback detection: is the local journal older than a head someone else saw?

A till restored from an older backup would reuse sequence (and ticket)
numbers. The relay, the LAN peers and a sidecar file the store keeps next to
its database each remember the highest head they saw of this till's chains.
Before appending after a start-up or a restore, the store compares its local
head with every witnessed head using :func:`compare_heads` (pure) or
:func:`ensure_not_rolled_back` (raises), and refuses to append on a
rollback or divergence.
"""

from __future__ import annotations

import enum

from crdt_models.journal.chain import ChainHead
from crdt_models.journal.errors import RollbackDetectedError

__all__ = ["HeadComparison", "compare_heads", "ensure_not_rolled_back"]


class HeadComparison(enum.Enum):
    """How a local head relates to a witnessed head of the same chain."""

    #: Same record: nothing happened in between.
    SAME = "same"
    #: The local journal continues the witnessed one (it has more records).
    AHEAD = "ahead"
    #: The local journal stops before the witnessed head: restored from an older backup.
    ROLLED_BACK = "rolled back"
    #: Both hold a record with the same seq but different hashes: two histories.
    DIVERGED = "diverged"
    #: The local journal is ahead but cannot show its record at the witnessed seq.
    UNKNOWN = "unknown"


def compare_heads(
    local: ChainHead, witnessed: ChainHead, local_hash_at_witnessed: str | None = None
) -> HeadComparison:
    """Compare the local head of a chain with a head witnessed elsewhere.

    ``local_hash_at_witnessed`` is the hash of the local record with seq
    ``witnessed.seq`` (needed only when the local head is ahead, to tell
    "ahead" from "diverged"). Raises ``ValueError`` if the heads are of
    different chains.
    """
    if (local.till_id, local.chain) != (witnessed.till_id, witnessed.chain):
        raise ValueError("heads of different chains cannot be compared")
    if local.seq < witnessed.seq:
        return HeadComparison.ROLLED_BACK
    if local.seq == witnessed.seq:
        return HeadComparison.SAME if local.hash == witnessed.hash else HeadComparison.DIVERGED
    if witnessed.seq == 0:
        return HeadComparison.AHEAD
    if local_hash_at_witnessed is None:
        return HeadComparison.UNKNOWN
    if local_hash_at_witnessed == witnessed.hash:
        return HeadComparison.AHEAD
    return HeadComparison.DIVERGED


def ensure_not_rolled_back(
    local: ChainHead, witnessed: ChainHead, local_hash_at_witnessed: str | None = None
) -> None:
    """Raise RollbackDetectedError unless the local journal is at or past ``witnessed``.

    The message says what happened and what to do; "unknown" passes (the
    caller could not look up its own record; the verifier will catch a fork).
    """
    verdict = compare_heads(local, witnessed, local_hash_at_witnessed)
    name = f"{local.till_id}/{local.chain}"
    if verdict is HeadComparison.ROLLED_BACK:
        raise RollbackDetectedError(
            f"journal {name} stops at record {local.seq} but record {witnessed.seq} was already "
            "seen elsewhere: this journal was restored from an older backup. Do not record "
            "sales on it; restore the latest data or fetch the missing records from the relay."
        )
    if verdict is HeadComparison.DIVERGED:
        raise RollbackDetectedError(
            f"journal {name} holds a different record {witnessed.seq} than the one seen "
            "elsewhere: two histories exist. Do not record sales on it; contact support."
        )
