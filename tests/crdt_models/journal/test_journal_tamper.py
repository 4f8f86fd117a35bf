"""Random tampering of an exported journal is always detected, at the first tampered record.

Each trial changes an exported JSON Lines journal in one way an attacker (or
a disk) could, and checks that the verifier names exactly the first record
that is no longer authentic and in place, and why. The verifier is given the
head the relay witnessed, as the relay would, so that cutting records off the
end is noticed too.
"""

from __future__ import annotations

import copy
import json
import random
from collections import Counter
from collections.abc import Callable
from typing import Any

from journal_factory import sample_journal

from crdt_models.journal import (
    ChainHead,
    append_record,
    duplicate_body,
    generate_signing_key,
    grand_totals,
    head_after,
    public_key_of,
    read_jsonl,
    verify_jsonl,
)
from crdt_models.journal.keys import sign_digest
from crdt_models.journal.record import record_hash

KEY = generate_signing_key()
PUB = public_key_of(KEY)
OTHER_KEY = generate_signing_key()
# Small enough to keep 1,000 verifications quick, with every record kind in it.
JOURNAL = sample_journal(KEY, days=2, sales_per_day=(4, 6), max_lines=3)
RECORDS = JOURNAL.records
HEAD = JOURNAL.head
LINE_BYTES = [r.to_json_line() for r in RECORDS]
N = len(LINE_BYTES)
TRIALS = 1000

Rows = list[dict[str, Any]]
Tamper = Callable[[random.Random, Rows], tuple[Rows | bytes, int, str]]


def _dump(rows: Rows) -> bytes:
    """JSON Lines as :func:`canonical_json` writes them (without its float check, for speed)."""
    text = "".join(json.dumps(row, sort_keys=True, separators=(",", ":")) + "\n" for row in rows)
    return text.encode()


def _leaves(obj: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(obj, dict):
        return [p for k, v in obj.items() for p in _leaves(v, (*path, k))]
    if isinstance(obj, list):
        return [p for i, v in enumerate(obj) for p in _leaves(v, (*path, i))]
    return [path]


def _different(rng: random.Random, value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return rng.choice([1, "x"]) if value is None else not value
    if isinstance(value, int):
        return value + rng.choice([-100, -1, 1, 7, 1000])
    if len(value) == 64 and all(c in "0123456789abcdef" for c in value):
        return "".join(rng.choice("0123456789abcdef") for _ in value)
    return value + rng.choice(["x", " ", "0"])


def _set(row: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    target: Any = row
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value


def _resign(row: dict[str, Any], key: bytes) -> None:
    row["hash"] = record_hash(
        row["till_id"],
        row["chain"],
        row["seq"],
        row["kind"],
        row["ts"],
        row["body"],
        row["prev_hash"],
    )
    row["signature"] = sign_digest(key, bytes.fromhex(row["hash"])).hex()


def edit_field(rng: random.Random, rows: Rows) -> tuple[Rows, int, str]:
    """Change any field but the signature (or any leaf of the body) without re-hashing."""
    k = rng.randrange(N)
    paths = [p for p in _leaves(rows[k]) if p != ("signature",)]
    path = rng.choice(paths)
    target: Any = rows[k]
    for step in path:
        target = target[step]
    _set(rows[k], path, _different(rng, target))
    return rows, k + 1, "edited"


def change_total(rng: random.Random, rows: Rows) -> tuple[Rows, int, str]:
    """Change a money total of a sale, refund or closing, then re-hash (no key: cannot sign)."""
    k = rng.choice([i for i, r in enumerate(rows) if "total" in r["body"]])
    field = rng.choice([f for f in ("total", "grand_total", "change") if f in rows[k]["body"]])
    rows[k]["body"][field] += rng.choice([-1, 1, 100])
    if rng.random() < 0.5:
        return rows, k + 1, "edited"
    rows[k]["hash"] = record_hash(
        **{f: rows[k][f] for f in ("till_id", "chain", "seq", "kind", "ts", "body", "prev_hash")}
    )
    return rows, k + 1, "bad signature"


def rewrite_closing(rng: random.Random, rows: Rows) -> tuple[Rows, int, str]:
    """An insider with the till's key changes a closing's grand total and re-chains the rest."""
    k = rng.choice([i for i, r in enumerate(rows) if r["kind"] == "closing"])
    rows[k]["body"]["grand_total"] += rng.choice([-500, 1, 99])
    rows[k]["body"]["grand_total_abs"] += 10_000  # stays >= |grand_total|: the body is well-formed
    for i in range(k, N):
        if i > k:
            rows[i]["prev_hash"] = rows[i - 1]["hash"]
        _resign(rows[i], KEY)
    return rows, k + 1, "grand total mismatch"


def remove(rng: random.Random, rows: Rows) -> tuple[Rows, int, str]:
    k = rng.randrange(N)
    del rows[k : k + rng.choice([1, 1, 2, 3])]
    return rows, k + 1, "removed"


def reorder(rng: random.Random, rows: Rows) -> tuple[Rows, int, str]:
    k, j = sorted(rng.sample(range(N), 2))
    if rng.random() < 0.5:
        rows[k], rows[j] = rows[j], rows[k]
    elif rng.random() < 0.5:
        rows.insert(j, rows.pop(k))
    else:
        rows.insert(k, rows.pop(j))
    return rows, k + 1, "reordered"


def swap_signatures(rng: random.Random, rows: Rows) -> tuple[Rows, int, str]:
    k, j = sorted(rng.sample(range(N), 2))
    rows[k]["signature"], rows[j]["signature"] = rows[j]["signature"], rows[k]["signature"]
    return rows, k + 1, "bad signature"


def insert_forged(rng: random.Random, rows: Rows) -> tuple[Rows, int, str]:
    """Insert a record before position k that looks like the record expected there."""
    k = rng.randrange(N + 1)
    seq = k + 1
    prev = rows[k - 1]["hash"] if k else "0" * 64
    body = duplicate_body([], RECORDS[0], "intruder")
    row = {
        "till_id": HEAD.till_id,
        "chain": "sales",
        "seq": seq,
        "kind": "duplicate",
        "ts": rows[min(k, N - 1)]["ts"],
        "body": body,
        "prev_hash": prev,
    }
    how = rng.choice(["random signature", "other key", "copied signature", "insider", "fork"])
    if how == "fork":  # signed with the till's key, linked right: two records carry seq k+1
        if k == N:
            return insert_forged(rng, rows)
        _resign(row, KEY)
        reason = "inserted"
    elif how == "insider":  # signed with the till's key but linked to nothing
        row["prev_hash"] = f"{rng.getrandbits(256):064x}"
        _resign(row, KEY)
        reason = "inserted"
    else:
        _resign(row, KEY if how == "copied signature" else generate_signing_key())
        if how == "random signature":
            row["signature"] = f"{rng.getrandbits(512):0128x}"
        elif how == "copied signature":
            row["signature"] = rng.choice(rows)["signature"]
        reason = "bad signature"
    rows.insert(k, row)
    return rows, seq, reason


def insert_copy(rng: random.Random, rows: Rows) -> tuple[Rows, int, str]:
    """Replay an authentic record somewhere else in the file."""
    j, k = rng.randrange(N), rng.randrange(N + 1)
    if k == j:  # a copy just before its original is the same file as one just after it
        k = j + 1
    rows.insert(k, copy.deepcopy(rows[j]))
    return rows, k + 1, "inserted"


def foreign_record(rng: random.Random, rows: Rows) -> tuple[Rows, int, str]:
    """Insert an authentic record of another till's journal."""
    k = rng.randrange(N + 1)
    other = ChainHead("another-till", "sales", k, rows[k - 1]["hash"] if k else "0" * 64)
    original = RECORDS[0]
    record = append_record(other, "duplicate", duplicate_body([], original, "c"), 5, OTHER_KEY)
    rows.insert(k, json.loads(record.to_json_line()))
    return rows, k + 1, "inserted"


def corrupt_line(rng: random.Random, rows: Rows) -> tuple[bytes, int, str]:
    """Damage the bytes of one line so that it is no record at all."""
    k = rng.randrange(N)
    lines = _dump(rows).splitlines(keepends=True)
    cut = rng.randrange(1, len(lines[k]) - 2)
    lines[k] = lines[k][:cut] + rng.choice([b"", b"\xff", b"}", b'"']) + b"\n"
    return b"".join(lines), k + 1, "edited"


TAMPERS: list[Tamper] = [
    edit_field,
    change_total,
    rewrite_closing,
    remove,
    reorder,
    swap_signatures,
    insert_forged,
    insert_copy,
    foreign_record,
    corrupt_line,
]


def test_the_untouched_journal_verifies() -> None:
    data = b"".join(line + b"\n" for line in LINE_BYTES)
    assert read_jsonl(data) == RECORDS
    report = verify_jsonl(data, PUB, end=HEAD)
    assert report.ok and report.count == N and report.head == HEAD
    assert (
        report.grand_totals is not None
        and report.grand_totals.total == RECORDS[-1].body["grand_total"]
    )


def test_every_random_tampering_is_detected_at_the_first_tampered_record() -> None:
    rng = random.Random(20251128)
    reasons: Counter[str] = Counter()
    for trial in range(TRIALS):
        tamper = TAMPERS[trial % len(TAMPERS)]
        result, seq, reason = tamper(rng, [json.loads(line) for line in LINE_BYTES])
        data = result if isinstance(result, bytes) else _dump(result)
        report = verify_jsonl(data, PUB, end=HEAD)
        assert not report.ok, (trial, tamper.__name__)
        assert (report.first_bad_seq, report.reason) == (seq, reason), (
            trial,
            tamper.__name__,
            report,
        )
        assert report.count == seq - 1
        before = (
            head_after(RECORDS[seq - 2]) if seq > 1 else ChainHead.genesis(HEAD.till_id, "sales")
        )
        assert report.head == before
        assert report.grand_totals == grand_totals(RECORDS[: seq - 1])
        reasons[reason] += 1
    assert sum(reasons.values()) == TRIALS
    assert set(reasons) == {
        "edited",
        "removed",
        "reordered",
        "inserted",
        "bad signature",
        "grand total mismatch",
    }
