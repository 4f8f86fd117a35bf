"""The servers under test: how to install, start and address each one.

Every server is started fresh for each scenario, alone on the machine (no other server runs
at the same time), bound to 127.0.0.1 on a free port, and prints ``listening on HOST:PORT``
when it accepts connections. ``Server.start`` is a context manager that stops it again.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.procstat import prepare_child

__all__ = ["REFERENCES", "BenchmarkError", "RunningServer", "Server", "install_node_references"]

HERE = Path(__file__).resolve().parent
NODE_DIR = HERE / "node"
RESULTS = HERE / "results"
_LISTENING = re.compile(r"listening on ([\w.\-:\[\]]+):(\d+)")


class BenchmarkError(Exception):
    """A server could not be installed, started or measured."""


@dataclass
class RunningServer:
    """A started server: its process id (for CPU and memory) and the endpoints of its docs."""

    pid: int
    host: str
    port: int
    endpoints: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Server:
    """One server under test.

    ``framing`` is "plain" (the document is named by the URL path) or "hocuspocus" (the
    document is named inside every message). ``ours`` marks Skytill's own relay.
    """

    key: str
    label: str
    command: tuple[str, ...]
    framing: str = "plain"
    cwd: Path = HERE.parent
    needs: str = ""  # "node" or "pycrdt-websocket": what ``missing`` checks
    ours: bool = False

    def missing(self) -> str | None:
        """Why this server cannot run on this machine, or None when it can."""
        if self.needs == "node":
            return install_node_references()
        if (
            self.needs == "pycrdt-websocket"
            and importlib.util.find_spec("pycrdt.websocket") is None
        ):
            return "pycrdt-websocket is not installed (pip install -e '.[bench]')"
        return None

    def endpoints(self, host: str, port: int, documents: list[str]) -> list[dict[str, Any]]:
        """Where each document lives, as the load generator's endpoint records."""
        if self.framing == "hocuspocus":
            return [
                {"url": f"ws://{host}:{port}/", "framing": {"kind": "hocuspocus", "doc": doc}}
                for doc in documents
            ]
        return [
            {"url": f"ws://{host}:{port}/{doc}", "framing": {"kind": "plain"}} for doc in documents
        ]

    @contextmanager
    def start(self, documents: list[str]) -> Iterator[RunningServer]:
        """Start the server, wait until it listens, yield it, then stop it."""
        with launch(self.key, list(self.command), self.cwd) as (process, host, port):
            yield RunningServer(process.pid, host, port, self.endpoints(host, port, documents))


@contextmanager
def launch(
    key: str, command: list[str], cwd: Path, env: dict[str, str] | None = None
) -> Iterator[tuple[subprocess.Popen[str], str, int]]:
    """Run ``command`` until it prints ``listening on HOST:PORT``; stop it afterwards.

    Its stderr goes to ``benchmarks/results/logs/<key>.log`` for when something fails.
    """
    logs = RESULTS / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    environment = {k: v for k, v in os.environ.items() if k != "YPERSISTENCE"}
    environment.update(env or {})
    with (logs / f"{key}.log").open("w") as log:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            preexec_fn=prepare_child,
        )
        try:
            host, port = _wait_listening(process, key)
            threading.Thread(target=_drain, args=(process,), daemon=True).start()
            yield process, host, port
        finally:
            _stop(process)


def _wait_listening(
    process: subprocess.Popen[str], key: str, timeout: float = 60.0
) -> tuple[str, int]:
    assert process.stdout is not None
    lines: list[str] = []
    found: list[tuple[str, int]] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            match = _LISTENING.search(line)
            if match:
                found.append((match.group(1), int(match.group(2))))
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout)
    if not found:
        _stop(process)
        raise BenchmarkError(
            f"{key} did not print 'listening on HOST:PORT' within {timeout:.0f} s "
            f"(exit code {process.poll()}; see benchmarks/results/logs/{key}.log): "
            + "".join(lines[-5:])
        )
    return found[0]


def _drain(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None
    for _ in process.stdout:
        pass


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


_node_checked: str | bool | None = False


def install_node_references() -> str | None:
    """Install the Node reference servers (``npm ci`` in benchmarks/node) if needed.

    Returns None when they are ready, else why not (no node/npm, or npm failed). The result
    is remembered for the rest of the run.
    """
    global _node_checked
    if _node_checked is not False:
        return _node_checked  # type: ignore[return-value]
    reason: str | None = None
    if shutil.which("node") is None or shutil.which("npm") is None:
        reason = "node and npm are not installed on this machine"
    elif (
        not (NODE_DIR / "node_modules" / "@hocuspocus" / "server").is_dir()
        or not (NODE_DIR / "node_modules" / "@y" / "websocket-server").is_dir()
    ):
        started = time.monotonic()
        done = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"],
            cwd=NODE_DIR,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode != 0:
            reason = f"npm ci failed after {time.monotonic() - started:.0f} s: {done.stderr[-400:]}"
    _node_checked = reason
    return reason


REFERENCES = (
    Server(
        key="y-websocket",
        label="y-websocket-server 0.1.1",
        command=("node", "yjs_server.mjs", "0"),
        cwd=NODE_DIR,
        needs="node",
    ),
    Server(
        key="hocuspocus",
        label="Hocuspocus 3",
        command=("node", "hocuspocus_server.mjs", "0"),
        cwd=NODE_DIR,
        framing="hocuspocus",
        needs="node",
    ),
    Server(
        key="pycrdt-websocket",
        label="pycrdt-websocket 0.16",
        command=(sys.executable, "-m", "benchmarks.pycrdt_server", "0"),
        needs="pycrdt-websocket",
    ),
)
