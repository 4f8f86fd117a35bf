"""Child processes that speak JSON lines (discovery probes, headless tills). Not a test module."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["REPO", "JsonProcess"]

REPO = Path(__file__).resolve().parents[3]


class JsonProcess:
    """A child whose stdout is JSON lines, read on a thread; stdin takes JSON commands."""

    def __init__(self, argv: Sequence[str], *, log: Path | None = None) -> None:
        env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1")
        self._log = log.open("w") if log is not None else None
        self.process = subprocess.Popen(
            list(argv),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log if self._log is not None else subprocess.DEVNULL,
            text=True,
            cwd=REPO,
            env=env,
        )
        self.lines: list[dict[str, Any]] = []
        self._queue: queue.Queue[dict[str, Any]] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            self.lines.append(message)
            self._queue.put(message)

    def wait_for(
        self, match: Callable[[dict[str, Any]], bool], timeout: float = 30.0
    ) -> dict[str, Any]:
        """The first line (seen already or coming) for which ``match`` is true."""
        for line in list(self.lines):
            if match(line):
                return line
        end = time.monotonic() + timeout
        while True:
            remaining = end - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no matching line before the deadline; got {self.lines}")
            try:
                line = self._queue.get(timeout=remaining)
            except queue.Empty:
                continue
            if match(line):
                return line

    def send(self, command: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()

    def ask(self, command: dict[str, Any], timeout: float = 30.0) -> dict[str, Any]:
        """Send a command with a fresh id and return the reply line with that id."""
        command = dict(command, id=f"{time.monotonic_ns()}")
        self.send(command)
        return self.wait_for(lambda line: line.get("id") == command["id"], timeout)

    def close(self, timeout: float = 10.0) -> None:
        """Close stdin (the child exits), then kill it if it lingers."""
        if self.process.stdin is not None and not self.process.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self.process.stdin.close()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join(timeout)
        if self.process.stdout is not None:
            self.process.stdout.close()
        if self._log is not None:
            self._log.close()

    def kill(self) -> None:
        """SIGKILL, as a power cut would."""
        self.process.kill()
        self.close()


PYTHON = sys.executable
