"""JSON Lines export and import of a journal: one canonical record per line.

This is the archive format (and what an auditor gets): :func:`export_jsonl`
writes it, :func:`read_jsonl` reads it back, and
:func:`~crdt_models.journal.verify.verify_jsonl` verifies it.
"""

from __future__ import annotations

from collections.abc import Iterable

from crdt_models.journal.errors import MalformedRecordError
from crdt_models.journal.record import Record

__all__ = ["export_jsonl", "read_jsonl"]


def export_jsonl(records: Iterable[Record]) -> bytes:
    """The records as JSON Lines: canonical JSON, one per line, each ending in ``\\n``."""
    return b"".join(record.to_json_line() + b"\n" for record in records)


def read_jsonl(data: bytes) -> list[Record]:
    """Parse JSON Lines into records, skipping blank lines; checks shape only.

    Raises :class:`~crdt_models.journal.errors.MalformedRecordError` whose
    ``line`` is the 1-based number of the first malformed line.
    """
    records = []
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(Record.from_json_line(line))
        except MalformedRecordError as exc:
            raise MalformedRecordError(str(exc), line=number) from None
    return records
