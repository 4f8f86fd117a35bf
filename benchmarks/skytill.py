"""Skytill's own relay as a server under test.

Each benchmark document is the ``catalogue`` document of its own shop (the relay serves a
shop's documents by name, one token per shop), reached through ``/yjs/catalogue?token=...``:
the plain y-websocket protocol, so the load generator is the very client it uses for the
reference servers. Shops are provisioned in a fresh SQLite database before the relay starts
(Argon2 hashing: that time is not measured). The relay runs with its shipped configuration
except the per-connection frame rate limit (see ``benchmarks.relay_serve``).
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from benchmarks.servers import RunningServer, Server, launch

__all__ = ["SKYTILL_SERVERS", "RelayServer"]


@dataclass(frozen=True)
class RelayServer(Server):
    """The relay (``benchmarks.relay_serve``) on a fresh SQLite database, one shop per doc.

    ``native`` measures the relay's own endpoint (``/sync``: AUTH frame with the token, then
    DOC frames) instead of ``/yjs/<doc>``.
    """

    native: bool = False

    def missing(self) -> str | None:
        for module in ("relay_server.__main__", "relay_server.provisioning"):
            if importlib.util.find_spec(module) is None:
                return f"{module} does not exist yet"
        return None

    @contextmanager
    def start(self, documents: list[str]) -> Iterator[RunningServer]:
        from relay_server.provisioning import provision_shop

        with tempfile.TemporaryDirectory(prefix="skytill-bench-") as folder:
            url = f"sqlite:///{Path(folder) / 'relay.sqlite'}"
            tokens = [
                provision_shop(
                    url, f"Bench shop {doc}", f"owner-{doc}@bench.test", "bench-pass"
                ).token
                for doc in documents
            ]
            command = [sys.executable, "-m", "benchmarks.relay_serve", url]
            with launch(self.key, command, self.cwd) as (process, host, port):
                endpoints = [self._endpoint(host, port, token) for token in tokens]
                yield RunningServer(process.pid, host, port, endpoints)

    def _endpoint(self, host: str, port: int, token: str) -> dict[str, Any]:
        if self.native:
            framing = {"kind": "native", "doc": "catalogue", "token": token}
            return {"url": f"ws://{host}:{port}/sync", "framing": framing}
        url = f"ws://{host}:{port}/yjs/catalogue?token={quote(token)}"
        return {"url": url, "framing": {"kind": "plain"}}


SKYTILL_SERVERS = (
    RelayServer(key="skytill", label="Skytill relay (/yjs)", command=(), ours=True),
    RelayServer(
        key="skytill-native", label="Skytill relay (native)", command=(), ours=True, native=True
    ),
)
