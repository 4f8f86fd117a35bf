"""``head.json``: the last journal heads this device committed, kept beside the database.

Why: a sale must never reuse a ticket number. If someone restores an old copy
of ``skytill.sqlite`` (a backup, a cloned disk), the database alone cannot
tell that it went back in time, and the till would hand out the same
sequence numbers again with different contents. So after every commit the
store also writes its chain heads to this small file: write a temporary
file, ``fsync`` it, ``rename`` it over the old one, so the file is always
the old or the new version, never torn (a torn file would stop the till).

The file is written *after* the database commit, so it may lag behind the
database (a crash in between, a full disk, a rename lost in a power cut:
the directory is deliberately not fsynced) but it is never ahead of what was
durably stored, and lagging is safe. At open the database must hold, for
every chain in the file, the record at that sequence with that hash
(``crdt_models.journal.compare_heads``). Restoring the whole data directory
(database and this file together) cannot be seen locally; the relay, which
knows the till's head, catches that case.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["HEAD_FILE_NAME", "HeadFile", "HeadFileError", "read_head_file", "write_head_file"]

HEAD_FILE_NAME = "head.json"
_FORMAT = 1


class HeadFileError(Exception):
    """``head.json`` exists but cannot be read (internal; the store reports it)."""


@dataclass(frozen=True)
class HeadFile:
    """The witnessed heads of one device: chain -> (seq, hash)."""

    device_id: str
    heads: dict[str, tuple[int, str]]


def read_head_file(data_dir: Path) -> HeadFile | None:
    """The file's content, or None when there is none; :class:`HeadFileError` if unreadable."""
    path = data_dir / HEAD_FILE_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        data = json.loads(raw)
        if data["format"] != _FORMAT:
            raise HeadFileError(f"unknown format {data['format']!r}")
        heads = {
            str(chain): (int(entry["seq"]), str(entry["hash"]))
            for chain, entry in data["heads"].items()
        }
        return HeadFile(device_id=str(data["device_id"]), heads=heads)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise HeadFileError(f"{path} is unreadable: {exc}") from exc


def write_head_file(data_dir: Path, head_file: HeadFile) -> None:
    """Replace the file atomically (content fsynced); raises OSError (e.g. disk full)."""
    payload = json.dumps(
        {
            "format": _FORMAT,
            "device_id": head_file.device_id,
            "heads": {
                chain: {"seq": seq, "hash": digest}
                for chain, (seq, digest) in sorted(head_file.heads.items())
            },
        },
        sort_keys=True,
    ).encode()
    path = data_dir / HEAD_FILE_NAME
    tmp = path.with_name(f".{HEAD_FILE_NAME}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
        try:
            if os.write(fd, payload) != len(payload):
                raise OSError(errno.ENOSPC, "short write", str(tmp))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
