"""Skytill's relay as ``python -m relay_server serve`` runs it, with one change: the
per-connection frame rate limit is raised from its default (200 frames/s, bursts of 1,000)
to 100,000, because the propagation scenario sends 2,200 updates back to back on one
connection and the default closes that connection with 1008 "slow down" after about a second
(a protection the reference servers do not have). Everything else is the shipped default.

Run by the benchmark runner as ``python -m benchmarks.relay_serve DB_URL``; prints
``listening on HOST:PORT``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import signal
import sys

from relay_server.config import RelayConfig
from relay_server.server import RelayServer
from relay_server.storage import open_storage

__all__ = ["BENCH_CONFIG", "main"]

BENCH_CONFIG = dataclasses.replace(RelayConfig(), frames_per_second=1e5, frame_burst=1e5)


async def _serve(db_url: str) -> None:
    storage = open_storage(db_url)
    try:
        relay = RelayServer(storage, BENCH_CONFIG)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        async with relay.listening("127.0.0.1", 0) as (host, port):
            print(f"listening on {host}:{port}", flush=True)
            await stop.wait()
    finally:
        storage.close()


def main(argv: list[str]) -> int:
    """Serve the database at ``argv[0]`` until SIGTERM."""
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    asyncio.run(_serve(argv[0]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
