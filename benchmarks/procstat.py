"""CPU time and memory of a process and its children, read from /proc (Linux only).

The runner and the load generator call these around a measured step: CPU is the difference
of two ``cpu_seconds`` readings over the wall time between them.
"""

from __future__ import annotations

import contextlib
import os
import resource
from pathlib import Path

__all__ = [
    "cpu_pressure",
    "cpu_seconds",
    "prefer_this_session",
    "prepare_child",
    "raise_open_files_limit",
    "rss_bytes",
]

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


def cpu_pressure() -> float | None:
    """The share of the last 10 s in which some runnable task waited for a CPU (Linux PSI),
    in %: near 0 on an idle machine, near 100 when other work competes with the benchmark."""
    try:
        fields = Path("/proc/pressure/cpu").read_text().split("\n")[0].split()
    except OSError:
        return None
    return float(fields[1].split("=")[1])


def prepare_child() -> None:
    """``preexec_fn`` of the servers and the load generator: enough descriptors, and a higher
    scheduling priority (nice -10) when allowed, to be less disturbed by other work on the
    machine. Both get the same treatment, whichever server is measured."""
    raise_open_files_limit()
    with contextlib.suppress(OSError):  # not permitted: run at normal priority
        os.nice(-10)


def prefer_this_session() -> bool:
    """Give this process's scheduler autogroup (its session: the runner, the servers and the
    load generator) nice -10, when the kernel has autogroups and allows it.

    With autogroups each session gets an equal share of the CPUs whatever its processes' own
    nice values, so on a machine shared with other work the server and the load generator
    would otherwise be starved in bursts, and latency would measure the machine, not the
    server. Returns whether it took effect."""
    try:
        Path("/proc/self/autogroup").write_text("-10")
    except OSError:
        return False
    return True
