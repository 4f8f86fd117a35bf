"""CPU time and memory of a process and its children, read from /proc (Linux only).

The runner and the load generator call these around a measured step: CPU is the difference
of two ``cpu_seconds`` readings over the wall time between them.
"""

from __future__ import annotations

import os
import resource
from pathlib import Path

__all__ = ["cpu_seconds", "raise_open_files_limit", "rss_bytes"]

_TICKS = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree(pid: int) -> list[int]:
    """``pid`` and every descendant still alive."""
    found = [pid]
    for current in found:
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                found.extend(int(child) for child in task.read_text().split())
            except OSError:
                continue
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds used so far by ``pid`` and its children (0 if gone)."""
    total = 0
    for member in _tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / _TICKS


def rss_bytes(pid: int) -> int:
    """Resident memory of ``pid`` and its children, in bytes (0 if gone)."""
    total = 0
    for member in _tree(pid):
        try:
            total += int(Path(f"/proc/{member}/statm").read_text().split()[1]) * _PAGE
        except OSError:
            continue
    return total


def raise_open_files_limit() -> int:
    """Raise this process's soft limit on open files to its hard limit; return the new limit.

    Called in the load generator and, through ``preexec_fn``, in every server the runner
    starts: 2,000 connections need more than the usual 1,024 descriptors.
    """
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard
