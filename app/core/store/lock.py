"""The data directory lock: one process per data directory, for its lifetime.

Two instances sharing one till identity would both hand out the same ticket
numbers, so the store takes an exclusive ``fcntl.flock`` on ``skytill.lock``
in the data directory before it opens the database, and keeps it until
:meth:`DataDirLock.release` (or until the process dies: the kernel drops the
lock with the last file descriptor, so a killed till never leaves a stale
lock behind). The holder's PID is written into the file so that the refusal
can name it.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from pathlib import Path

from app.core.errors import StoreLockedError

__all__ = ["LOCK_FILE_NAME", "DataDirLock"]

logger = logging.getLogger(__name__)

LOCK_FILE_NAME = "skytill.lock"


class DataDirLock:
    """An exclusive, process-lifetime lock on a data directory.

    Call :meth:`acquire` before touching anything in the directory; it raises
    :class:`StoreLockedError` (naming the directory and the holder's PID) when
    another process holds it.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = data_dir / LOCK_FILE_NAME
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock or raise :class:`StoreLockedError` at once (never waits)."""
        if self._fd is not None:
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = _read_pid(fd)
            os.close(fd)
            raise StoreLockedError(self.data_dir, pid) from None
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        logger.debug("locked %s", self.data_dir)

    def release(self) -> None:
        """Drop the lock; safe to call twice."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)  # closing the last descriptor releases the flock


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        return int(text) if text else None
    except (OSError, ValueError):
        return None
