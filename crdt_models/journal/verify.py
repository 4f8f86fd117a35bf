"""The verifier: walk a journal and name the first broken record, and why.

Reasons, checked in this order for each record:

- ``"edited"``: the record's content does not hash to its ``hash`` (or the
  line is not a record at all, in :func:`verify_jsonl`);
- ``"inserted"``: a record of another journal (other till or chain), or an
  authentic-looking record (hash and signature fine) that does not belong
  at its place: its ``prev_hash`` is not the previous record's hash, or it
  is a second, different record with a seq already seen (a fork), or a copy
  of a record found elsewhere in the file;
- ``"bad signature"``: the hash matches but is not signed by the till's key
  (a forged record, swapped signatures, a hash recomputed after an edit);
- ``"reordered"``: the expected seq comes later in the file;
- ``"removed"``: the expected seq is missing and the next record links to a
  record that is not there (its ``prev_hash`` is not the last good hash), or
  the journal ends before a head someone witnessed (``end``);
- ``"sequence gap"``: the till itself skipped a number (the record links to
  the previous one but its seq jumps);
- ``"invalid body"``: an authentic record whose body is not acceptable for
  its kind, or a month (year) closing made before the day (month) was closed
  (a till bug, never seen from a sound till);
- ``"grand total mismatch"``: a closing whose totals differ from what the
  chain adds up to (only checked when the walk starts at the genesis).

``first_bad_seq`` is the seq of the first record that is not authentic and in
place: every record before it verified. For a removed record it is the
missing seq; for a fork, the seq carried twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from crdt_models.errors import ValidationError
from crdt_models.journal.bodies import validate_body
from crdt_models.journal.chain import ChainHead, head_after, link_problem
from crdt_models.journal.closing import ClosingState, GrandTotals
from crdt_models.journal.errors import MalformedRecordError
from crdt_models.journal.record import SALES, Record

__all__ = [
    "BAD_SIGNATURE",
    "EDITED",
    "GRAND_TOTAL_MISMATCH",
    "INSERTED",
    "INVALID_BODY",
    "REMOVED",
    "REORDERED",
    "SEQUENCE_GAP",
    "VerifyReport",
    "verify_chain",
    "verify_jsonl",
]

log = logging.getLogger(__name__)

EDITED = "edited"
REMOVED = "removed"
REORDERED = "reordered"
INSERTED = "inserted"
BAD_SIGNATURE = "bad signature"
SEQUENCE_GAP = "sequence gap"
INVALID_BODY = "invalid body"
GRAND_TOTAL_MISMATCH = "grand total mismatch"


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """The verdict on a journal.

    ``count`` records verified (all of them when ``ok``); ``head`` is the head
    after the last verified record (None for an empty journal walked from no
    start); ``grand_totals`` are recomputed from the verified sales records, or
    None when the walk did not start at the genesis or the chain is "events".
    """

    ok: bool
    count: int
    first_bad_seq: int | None
    reason: str | None
    detail: str | None
    head: ChainHead | None
    grand_totals: GrandTotals | None


def _misplaced(
    records: list[Record], i: int, head: ChainHead, seen: dict[int, Record]
) -> tuple[int, str, str]:
    """(first bad seq, reason, detail) for an authentic record at the wrong place."""
    record, expected = records[i], head.seq + 1
    if record.seq > expected:
        if any(r.hash == record.hash for r in records[i + 1 :]):
            return expected, INSERTED, f"a copy of record {record.seq} before record {expected}"
        if any(r.seq == expected for r in records[i + 1 :]):
            return expected, REORDERED, f"seq {record.seq} comes before seq {expected}"
        if record.prev_hash == head.hash:
            return expected, SEQUENCE_GAP, f"seq jumps from {head.seq} to {record.seq}"
        return expected, REMOVED, f"seq {expected}..{record.seq - 1} missing"
    if record.seq < expected:
        earlier = seen.get(record.seq)
        if earlier is not None and earlier.hash == record.hash:
            return expected, INSERTED, f"a copy of record {record.seq} after record {head.seq}"
        if earlier is not None:
            return record.seq, INSERTED, f"two different records carry seq {record.seq}"
        return expected, REORDERED, f"seq {record.seq} comes after seq {head.seq}"
    return expected, INSERTED, "prev_hash is not the previous record's hash"


def verify_chain(
    records: Iterable[Record],
    public_key: bytes,
    *,
    start: ChainHead | None = None,
    end: ChainHead | None = None,
) -> VerifyReport:
    """Verify ``records`` (one chain, in file order) and name the first broken record.

    ``start`` is the head the records continue (default: the genesis of
    ``end``'s chain, else of the first record's chain). ``end`` is a head
    witnessed elsewhere (the relay, a peer): a journal that stops before it, or
    holds another record at its seq, is reported ("removed" / "inserted");
    without it, records cut off the end of a journal cannot be noticed. See
    the module docstring for the reasons. ``head``, ``count`` and
    ``grand_totals`` of a failed report describe the records before
    ``first_bad_seq``.
    """
    recs = list(records)
    if start is None:
        if end is not None:
            start = ChainHead.genesis(end.till_id, end.chain)
        elif recs:
            start = ChainHead.genesis(recs[0].till_id, recs[0].chain)
        else:
            return VerifyReport(True, 0, None, None, None, None, GrandTotals())
    state = ClosingState() if start.seq == 0 and start.chain == SALES else None
    head = start
    seen: dict[int, Record] = {}
    totals_at: dict[int, GrandTotals] = {start.seq: GrandTotals()}

    def bad(seq: int, reason: str, detail: str) -> VerifyReport:
        """The report for a journal whose records before ``seq`` verified."""
        log.warning("journal %s/%s broken at %d: %s", start.till_id, start.chain, seq, reason)
        last = seen.get(seq - 1)
        good = head_after(last) if last is not None else start
        totals = totals_at.get(good.seq) if state is not None else None
        return VerifyReport(False, good.seq - start.seq, seq, reason, detail, good, totals)

    for i, record in enumerate(recs):
        problem = link_problem(head, record, public_key)
        if problem is not None:
            reason, detail = problem
            foreign = record.till_id != head.till_id or record.chain != head.chain
            if reason in (EDITED, BAD_SIGNATURE) or foreign:
                return bad(head.seq + 1, reason, detail)
            return bad(*_misplaced(recs, i, head, seen))
        try:
            validate_body(record.chain, record.kind, record.body, record.seq)
        except ValidationError as exc:
            return bad(record.seq, INVALID_BODY, str(exc))
        if state is not None:
            if record.kind == "closing":
                try:
                    expected = state.expected_closing(record.body["period"], record.body["label"])
                except ValidationError as exc:
                    return bad(record.seq, INVALID_BODY, str(exc))
                wrong = sorted(k for k, v in expected.items() if record.body.get(k) != v)
                if wrong:
                    return bad(record.seq, GRAND_TOTAL_MISMATCH, f"closing differs in {wrong}")
            state.feed(record)
            totals_at[record.seq] = state.grand
        seen[record.seq] = record
        head = head_after(record)
    if end is not None and end.seq > 0:
        if end.seq > head.seq:
            return bad(head.seq + 1, REMOVED, f"journal ends at {head.seq}, {end.seq} was seen")
        if seen.get(end.seq) is not None and seen[end.seq].hash != end.hash:
            return bad(end.seq, INSERTED, f"record {end.seq} differs from the witnessed one")
    totals = state.grand if state is not None else None
    return VerifyReport(True, head.seq - start.seq, None, None, None, head, totals)


def verify_jsonl(
    data: bytes,
    public_key: bytes,
    *,
    start: ChainHead | None = None,
    end: ChainHead | None = None,
) -> VerifyReport:
    """Verify an exported JSON Lines journal (see :func:`verify_chain`).

    A line that is not a record at all is reported as "edited" at the seq
    expected there, provided every line before it verifies.
    """
    if start is None and end is not None:
        start = ChainHead.genesis(end.till_id, end.chain)
    records: list[Record] = []
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(Record.from_json_line(line))
        except MalformedRecordError as exc:
            report = verify_chain(records, public_key, start=start)
            if not report.ok:
                return report
            seq = (report.head.seq if report.head else 0) + 1
            detail = f"line {number}: {exc}"
            return VerifyReport(
                False, report.count, seq, EDITED, detail, report.head, report.grand_totals
            )
    return verify_chain(records, public_key, start=start, end=end)
