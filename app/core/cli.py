"""``skytill journal ...``: export a till's journal and verify an exported file.

- ``skytill journal export --data-dir DIR [--till ID] [--chain sales|events] FILE``
  writes one chain of a till's journal (default: this device's till, sales)
  as canonical JSON Lines and prints the count and the till's public key
  when it is this device's till.
- ``skytill journal verify FILE (--public-key HEX | --data-dir DIR) [--partial]``
  walks the file, prints ``OK`` with the count and the grand totals, or the
  first broken record and why; exits 1 when broken, 2 on a usage problem.
  ``--partial`` accepts a file that starts after record 1 (a till purges the
  records the relay acknowledged after the owner's delay); it then vouches
  for nothing before the file's first record, but still requires one chain
  in seq order.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``journal`` command and its ``export`` / ``verify`` subcommands."""
    journal = subparsers.add_parser("journal", help="export or verify a sales journal")
    sub = journal.add_subparsers(dest="journal_command", metavar="ACTION", required=True)

    export = sub.add_parser("export", help="write a till's journal as JSON Lines")
    export.add_argument("--data-dir", required=True, type=Path, help="the device's data directory")
    export.add_argument("--till", help="till id (default: this device's till)")
    export.add_argument("--chain", default="sales", choices=("sales", "events"))
    export.add_argument("file", type=Path, help="where to write the JSON Lines")
    export.set_defaults(handler=_export)

    verify = sub.add_parser("verify", help="verify an exported journal file")
    verify.add_argument("file", type=Path, help="a JSON Lines journal (one chain)")
    key = verify.add_mutually_exclusive_group(required=True)
    key.add_argument("--public-key", help="the till's Ed25519 public key, 64 hex digits")
    key.add_argument("--data-dir", type=Path, help="take the public key of this device's till")
    verify.add_argument(
        "--partial",
        action="store_true",
        help="the file may start after record 1 (a till that purged old records, which the "
        "relay keeps): verify from its first record on",
    )
    verify.set_defaults(handler=_verify)


def _export(args: argparse.Namespace) -> int:
    from app.core.errors import StoreError
    from app.core.store import DeviceStore

    try:
        with DeviceStore.open(args.data_dir) as store:
            till = args.till or store.identity.till_id
            count = store.export_journal(args.file, till_id=till, chain=args.chain)
            own = till == store.identity.till_id
            public_key = store.identity.public_key.hex() if own else None
    except (StoreError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"exported {count} records of journal {till}/{args.chain} to {args.file}")
    if public_key is not None:
        print(f"public key: {public_key}")
    return 0


def _public_key(args: argparse.Namespace) -> bytes:
    if args.public_key is not None:
        try:
            key = bytes.fromhex(args.public_key)
        except ValueError:
            key = b""
        if len(key) != 32:
            raise ValueError("--public-key must be 64 hex digits")
        return key
    from app.core.store import DeviceStore

    with DeviceStore.open(args.data_dir) as store:
        return store.identity.public_key


def _verify(args: argparse.Namespace) -> int:
    from app.core.errors import StoreError
    from crdt_models.journal.verify import verify_jsonl

    try:
        public_key = _public_key(args)
        data = args.file.read_bytes()
    except (ValueError, StoreError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.partial:
        return _verify_partial(data, public_key)
    report = verify_jsonl(data, public_key)
    if not report.ok:
        print(f"BROKEN at record {report.first_bad_seq}: {report.reason} ({report.detail})")
        print(f"{report.count} records verified before it")
        if report.reason == "removed":
            print(
                "a till that purged old records exports only what it kept: verify such a "
                "file with --partial (the relay keeps every record)"
            )
        return 1
    journal = f"{report.head.till_id}/{report.head.chain}" if report.head else "empty journal"
    print(f"OK: {report.count} records verified ({journal})")
    if report.grand_totals is not None:
        totals = report.grand_totals
        print(f"grand total: {_cents(totals.total)} (absolute {_cents(totals.absolute)})")
    return 0


def _verify_partial(data: bytes, public_key: bytes) -> int:
    """Verify what a purging till kept: every record's signature and, within each run of
    consecutive records, every link; each run's first record vouches for what it follows."""
    from crdt_models.journal import ChainHead, MalformedRecordError, Record
    from crdt_models.journal.verify import verify_chain

    try:
        records = [Record.from_json_line(x) for x in data.splitlines() if x.strip()]
    except MalformedRecordError as exc:
        print(f"BROKEN: a line is not a journal record ({exc})")
        return 1
    for before, record in itertools.pairwise(records):
        if (record.till_id, record.chain) != (before.till_id, before.chain):
            print(f"BROKEN at record {record.seq}: another journal (one chain a file)")
            return 1
        if record.seq <= before.seq:
            print(f"BROKEN at record {record.seq}: out of order (after record {before.seq})")
            return 1
    runs: list[list[Record]] = []
    for record in records:
        if runs and record.seq == runs[-1][-1].seq + 1:
            runs[-1].append(record)
        else:
            runs.append([record])
    for run in runs:
        first = run[0]
        start = ChainHead(first.till_id, first.chain, first.seq - 1, first.prev_hash)
        report = verify_chain(run, public_key, start=start)
        if not report.ok:
            print(f"BROKEN at record {report.first_bad_seq}: {report.reason} ({report.detail})")
            return 1
    spans = ", ".join(f"{r[0].seq}-{r[-1].seq}" if len(r) > 1 else str(r[0].seq) for r in runs)
    print(
        f"OK: {len(records)} records verified, records {spans or 'none'} (partial: "
        "earlier or missing records are vouched for by the records that follow them)"
    )
    return 0


def _cents(amount: int) -> str:
    sign = "-" if amount < 0 else ""
    whole, cents = divmod(abs(amount), 100)
    return f"{sign}{whole}.{cents:02d}"
