"""The crash test's child process and the rig that kills it (used by the test and the soak).

Run as a script, this is a *zygote*: it imports everything once, then for
each ``RUN <data_dir>`` line on stdin it forks a worker and reports
``EXIT <status>`` when the worker is gone. A worker prints ``PID <pid>``,
opens the device store, prints ``OPEN``, then loops forever: validate a
sale (print ``S <seq> <hash>`` only after :meth:`DeviceStore.validate_sale`
returned, i.e. after the commit), store a document update (``D <key>``)
and compact the document every few rounds (``C``). Forking from a warm
zygote makes a restart cost milliseconds instead of a Python start-up, so
hundreds of kills fit in CI time; each worker is still a real process that
dies by SIGKILL in the middle of whatever it was doing.

:class:`CrashRig` drives the zygote; :class:`CrashVerifier` checks a data
directory after each kill against everything the workers reported.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from pycrdt import Map

from app.core.store import DeviceStore
from crdt_models.journal import ChainHead, Payment, SaleLine, build_sale_body, verify_chain
from crdt_models.journal.ticket import ticket_number

TILL_ID = "till-crash"
DOC = "catalogue"
_DEADLINE_S = 30.0


def sale_body(seq: int) -> dict[str, object]:
    """A small, valid sale whose amounts vary with ``seq``."""
    price = 100 + seq % 900
    return build_sale_body(
        ticket=ticket_number(1, seq),
        cashier="cashier-1",
        lines=[
            SaleLine("p-1", "Coffee", 1000, price, 1000),
            SaleLine("p-2", "Bun", 2000, 150, 550),
        ],
        payments=[Payment("cash", price + 300 + seq % 50)],
    )


def _say(line: str) -> None:
    """One ``write`` per line: a kill never leaves half a line (even with PYTHONUNBUFFERED)."""
    os.write(1, f"{line}\n".encode())


def _worker(data_dir: str) -> None:
    _say(f"PID {os.getpid()}")
    store = DeviceStore.open(data_dir, till_id=TILL_ID)
    _say("OPEN")
    doc = store.load_doc(DOC)
    products = doc.get("products", type=Map)
    while True:
        record = store.validate_sale(sale_body)
        _say(f"S {record.seq} {record.hash}")
        before = doc.get_state()
        products[f"k{record.seq}"] = record.seq
        store.append_update(DOC, doc.get_update(before))
        _say(f"D k{record.seq}")
        if record.seq % 5 == 0:
            store.compact(DOC)
            _say("C")


def zygote() -> None:
    """Fork one worker per ``RUN <dir>`` line; report ``EXIT <status>`` for each."""
    for line in sys.stdin:
        command, _, data_dir = line.strip().partition(" ")
        if command != "RUN":
            continue
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                _worker(data_dir)
            except BaseException:
                import traceback

                traceback.print_exc()
            finally:
                os._exit(status)
        _, status = os.waitpid(pid, 0)
        _say(f"EXIT {status}")


@dataclass
class RoundResult:
    """What one worker reported before it was killed."""

    sales: dict[int, str] = field(default_factory=dict)  # seq -> hash
    doc_keys: set[str] = field(default_factory=set)
    compactions: int = 0
    opened: bool = False
    status: int = 0

    @property
    def killed(self) -> bool:
        return os.WIFSIGNALED(self.status) and os.WTERMSIG(self.status) == signal.SIGKILL


class CrashRig:
    """Starts the zygote and runs rounds: fork a worker, let it run, SIGKILL it."""

    def __init__(self) -> None:
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close())
        self._proc = subprocess.Popen(
            [sys.executable, __file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            bufsize=1,
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._pump_thread = threading.Thread(target=self._pump, daemon=True)
        self._pump_thread.start()

    def _pump(self) -> None:
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def _next(self) -> str:
        try:
            line = self._lines.get(timeout=_DEADLINE_S)
        except queue.Empty:
            raise AssertionError(f"the crash child said nothing: {self.stderr()}") from None
        if line is None:
            raise AssertionError(f"the crash child exited: {self.stderr()}")
        return line

    def stderr(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")[-4000:]

    def run_round(self, data_dir: Path, rng: random.Random) -> RoundResult:
        """One worker on ``data_dir``, killed with SIGKILL at a random moment.

        One round in five kills it 0-30 ms after it started (often while it
        opens the store); the others once it has reported 0-2 sales, after
        a further random 5-40 ms (mid-sale, mid-update or mid-compaction).
        Waiting for the reports rather than for a fixed time keeps the kills
        inside the work however slow the machine is.
        """
        assert self._proc.stdin is not None
        self._proc.stdin.write(f"RUN {data_dir}\n")
        self._proc.stdin.flush()
        first = self._next()
        assert first.startswith("PID "), first
        pid = int(first.split()[1])
        result = RoundResult()
        killed = False
        target = None if rng.random() < 0.2 else rng.randint(0, 2)

        def kill(low: float, high: float) -> None:
            nonlocal killed
            time.sleep(rng.uniform(low, high))  # the random moment, not a wait for a result
            os.kill(pid, signal.SIGKILL)
            killed = True

        if target is None:
            kill(0.0, 0.03)
        while True:
            line = self._next()
            tag, _, rest = line.partition(" ")
            if tag == "OPEN":
                result.opened = True
            elif tag == "S":
                seq, digest = rest.split()
                result.sales[int(seq)] = digest
            elif tag == "D":
                result.doc_keys.add(rest)
            elif tag == "C":
                result.compactions += 1
            elif tag == "EXIT":
                result.status = int(rest)
                return result
            else:
                raise AssertionError(f"unexpected line from the crash child: {line!r}")
            if not killed and result.opened and target is not None and len(result.sales) >= target:
                kill(0.005, 0.04)

    def close(self) -> None:
        assert self._proc.stdin is not None
        self._proc.stdin.close()
        self._proc.wait(timeout=_DEADLINE_S)
        self._pump_thread.join(timeout=_DEADLINE_S)
        assert self._proc.stdout is not None
        self._proc.stdout.close()
        self._stderr.close()


class CrashVerifier:
    """Checks a data directory after a kill against everything reported so far."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.sales: dict[int, str] = {}
        self.doc_keys: set[str] = set()
        self._verified: ChainHead | None = None

    def check(self, result: RoundResult) -> list[str]:
        """Problems found after ``result``'s round (empty when all is well)."""
        self.sales.update(result.sales)
        self.doc_keys |= result.doc_keys
        problems: list[str] = []
        with DeviceStore.open(self.data_dir, check=False) as store:  # integrity_check below
            start = self._verified or ChainHead.genesis(store.identity.till_id, "sales")
            records = store.records(after_seq=start.seq)
            report = verify_chain(records, store.identity.public_key, start=start)
            if not report.ok:
                problems.append(f"chain broken at {report.first_bad_seq}: {report.reason}")
            head = store.head("sales")
            if records and records[-1].seq != head.seq:
                problems.append(f"head {head.seq} is not the last record {records[-1].seq}")
            self._verified = head
            for seq, digest in sorted(result.sales.items()):
                stored = store.record(seq)
                if stored is None or stored.hash != digest:
                    problems.append(f"validated sale {seq} is missing or different")
            if self.sales and head.seq < max(self.sales):
                problems.append(f"head {head.seq} is behind validated sale {max(self.sales)}")
            check = store.integrity_check()
            if check != ["ok"]:
                problems.append(f"integrity_check: {check}")
            doc = store.load_doc(DOC)
            products = doc.get("products", type=Map)
            missing = self.doc_keys - set(products.keys())
            if missing:
                problems.append(f"document updates lost: {sorted(missing)[:5]}")
            if store.rollback_detected is not None:
                problems.append(f"rollback wrongly detected: {store.rollback_detected}")
        return problems


if __name__ == "__main__":
    zygote()
