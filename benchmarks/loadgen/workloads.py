"""The client side of each scenario. Every function is bounded in count and in time.

Each workload starts the same way for every server (``prepare``): one holder connection per
document, opened one after the other and kept open for the whole workload, then a warm-up of
round trips in the first document. Opening rooms one at a time avoids pycrdt-websocket's
room-creation race; keeping them open stops servers without persistence (Hocuspocus,
y-websocket) from unloading a document between two clients.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

from benchmarks.loadgen.catalogue import catalogue_updates, count_products
from benchmarks.loadgen.client import Endpoint, YClient
from benchmarks.procstat import cpu_seconds, rss_bytes
from benchmarks.wire import UpdateMaker, empty_sync_step1

__all__ = ["WORKLOADS"]

Result = dict[str, Any]
LATENCY_BOUND = 0.100  # fan-out: a rate is held while latency p99 stays under 100 ms
MISSING = math.inf  # an update a reader never got counts as infinitely late


def _quantiles(samples: list[float]) -> dict[str, float | None]:
    """Median, p99 and max in milliseconds (None when infinite: something never arrived)."""
    if not samples:
        return {"median_ms": None, "p99_ms": None, "max_ms": None}
    ordered = sorted(samples)

    def pick(fraction: float) -> float | None:
        value = ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1)]
        return None if math.isinf(value) else round(value * 1000, 3)

    return {"median_ms": pick(0.5), "p99_ms": pick(0.99), "max_ms": pick(1.0)}


class _Tracker:
    """Send times of one document's markers, and the latencies readers observed."""

    def __init__(self, readers: int = 1) -> None:
        self.readers = readers
        self.sent: dict[int, float] = {}
        self.latencies: list[float] = []
        self.waiting: tuple[int, asyncio.Future[None]] | None = None

    def reader(self) -> Callable[[int, float], None]:
        seen: set[int] = set()

        def on_marker(seq: int, arrival: float) -> None:
            sent = self.sent.get(seq)
            if sent is None or seq in seen:
                return
            seen.add(seq)
            self.latencies.append(arrival - sent)
            if self.waiting is not None and self.waiting[0] == seq:
                self.waiting[1].set_result(None)
                self.waiting = None

        return on_marker


async def _open_synced(endpoint: Endpoint) -> YClient:
    client = await YClient.open(endpoint)
    await client.wait_synced()
    return client


class _Holders:
    """One connection per document, opened one at a time and kept reading (``drain``)."""

    def __init__(self, clients: list[YClient]) -> None:
        self.clients = clients
        self._tasks = [asyncio.create_task(client.drain()) for client in clients]

    async def close(self, *others: YClient) -> None:
        for task in self._tasks:
            task.cancel()
        await _close_all([*others, *self.clients])


async def _prepare(endpoints: list[Endpoint], warmup: int) -> _Holders:
    """Open the holders, then ``warmup`` round trips in the first document."""
    holders = _Holders([await _open_synced(endpoint) for endpoint in endpoints])
    await _round_trips(holders.clients[0], endpoints[0], warmup, seq_base=90_000_000)
    return holders


async def _round_trips(
    writer: YClient, endpoint: Endpoint, count: int, *, seq_base: int, timeout: float = 5.0
) -> Result:
    """Send ``count`` updates one after another, each once the reader saw the previous one."""
    reader = await _open_synced(endpoint)
    tracker = _Tracker()
    reading = asyncio.create_task(reader.read_markers(tracker.reader()))
    maker = UpdateMaker()
    lost = 0
    loop = asyncio.get_running_loop()
    try:
        for seq in range(seq_base, seq_base + count):
            message = maker.make(seq)
            arrived: asyncio.Future[None] = loop.create_future()
            tracker.waiting = (seq, arrived)
            tracker.sent[seq] = time.perf_counter()
            await writer.send(message)
            try:
                await asyncio.wait_for(arrived, timeout)
            except TimeoutError:
                lost += 1
                tracker.waiting = None
    finally:
        reading.cancel()
        await reader.close()
    samples = tracker.latencies + [MISSING] * lost
    return {"updates": count, "lost": lost, **_quantiles(samples)}


async def propagation(endpoints: list[Endpoint], params: dict[str, Any], pid: int) -> Result:
    """Scenario 1: one writer, one reader, ``count`` small updates one after another."""
    holders = await _prepare(endpoints, params["warmup"])
    try:
        return await _round_trips(holders.clients[0], endpoints[0], params["count"], seq_base=0)
    finally:
        await holders.close()


async def _fanout_step(
    docs: list[tuple[YClient, _Tracker]], rate: float, duration: float, seq_base: int, pid: int
) -> Result:
    """Every writer sends ``rate`` updates/s for ``duration`` s; readers record latencies."""
    for _, tracker in docs:
        tracker.sent.clear()
        tracker.latencies.clear()
    count = max(1, round(rate * duration))
    lag: list[float] = []

    async def write(writer: YClient, tracker: _Tracker, phase: float, start: float) -> None:
        maker = UpdateMaker()
        for i in range(count):
            due = start + phase + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            else:
                lag.append(-delay)
            message = maker.make(seq_base + i)
            tracker.sent[seq_base + i] = time.perf_counter()
            await writer.send(message)

    stalls: list[float] = []

    async def watch_loop() -> None:  # how late the generator's own event loop runs
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.005)
            stalls.append(time.perf_counter() - before - 0.005)

    watching = asyncio.create_task(watch_loop())
    cpu_server, cpu_self, wall = cpu_seconds(pid), time.process_time(), time.perf_counter()
    start = wall + 0.05
    await asyncio.gather(
        *(
            write(writer, tracker, (n / len(docs)) / rate, start)
            for n, (writer, tracker) in enumerate(docs)
        )
    )
    elapsed = time.perf_counter() - wall  # CPU is measured over the sending only
    server_cpu = (cpu_seconds(pid) - cpu_server) / elapsed
    self_cpu = (time.process_time() - cpu_self) / elapsed
    expected = count * sum(tracker.readers for _, tracker in docs)
    deadline = time.perf_counter() + 2.0
    while time.perf_counter() < deadline:
        if sum(len(tracker.latencies) for _, tracker in docs) >= expected:
            break
        await asyncio.sleep(0.01)
    watching.cancel()
    samples = [latency for _, tracker in docs for latency in tracker.latencies]
    lost = max(0, expected - len(samples))
    return {
        "rate_per_doc": rate,
        "updates_per_s": round(rate * len(docs), 1),
        "deliveries_per_s": round(expected / duration, 1),
        "lost": lost,
        "server_cpu_percent": round(server_cpu * 100, 1),
        "server_rss_mb": round(rss_bytes(pid) / 2**20, 1),
        "loadgen_cpu_percent": round(self_cpu * 100, 1),
        "send_lag_max_ms": round(max(lag, default=0.0) * 1000, 1),
        "loadgen_stall_max_ms": round(max(stalls, default=0.0) * 1000, 1),
        **_quantiles(samples + [MISSING] * lost),
    }


def _why_stopped(step: Result) -> str:
    """Why a fan-out step failed, naming the load generator when it was the one late."""
    if step["loadgen_cpu_percent"] >= 80:
        return "load generator saturated (the server may hold more)"
    reason = "updates lost" if step["lost"] else "latency p99 over 100 ms"
    if step["loadgen_stall_max_ms"] > LATENCY_BOUND * 1000 / 2:
        stall = step["loadgen_stall_max_ms"]
        return f"{reason}; the load generator's loop was also {stall:.0f} ms late (CPU contention)"
    return reason


async def fanout(endpoints: list[Endpoint], params: dict[str, Any], pid: int) -> Result:
    """Scenario 2: per document one writer and ``readers`` readers; rates stepped up until
    latency p99 passes 100 ms (or updates go missing, or the steps run out)."""
    holders = await _prepare(endpoints, params["warmup"])
    readers: list[YClient] = []
    tasks: list[asyncio.Task[None]] = []
    docs: list[tuple[YClient, _Tracker]] = []
    steps: list[Result] = []
    stopped_by = "last step reached"
    try:
        for holder, endpoint in zip(holders.clients, endpoints, strict=True):
            tracker = _Tracker(readers=params["readers"])
            docs.append((holder, tracker))
            for _ in range(params["readers"]):
                reader = await _open_synced(endpoint)
                readers.append(reader)
                tasks.append(asyncio.create_task(reader.read_markers(tracker.reader())))
        rss_connected = rss_bytes(pid)
        for number, rate in enumerate(params["rates"]):
            step = await _fanout_step(
                docs, rate, params["step_seconds"], seq_base=number * 1_000_000, pid=pid
            )
            steps.append(step)
            if step["p99_ms"] is None or step["p99_ms"] > LATENCY_BOUND * 1000:
                stopped_by = _why_stopped(step)
                break
    finally:
        for task in tasks:
            task.cancel()
        await holders.close(*readers)
    held = [step for step in steps if step["p99_ms"] is not None and step["p99_ms"] <= 100]
    best = held[-1] if held else None
    return {
        "documents": len(endpoints),
        "readers_per_doc": params["readers"],
        "rss_connected_mb": round(rss_connected / 2**20, 1),
        "held_rate_per_doc": best["rate_per_doc"] if best else 0,
        "held_updates_per_s": best["updates_per_s"] if best else 0,
        "held_deliveries_per_s": best["deliveries_per_s"] if best else 0,
        "held_server_cpu_percent": best["server_cpu_percent"] if best else None,
        "held_server_rss_mb": best["server_rss_mb"] if best else None,
        "held_p99_ms": best["p99_ms"] if best else None,
        "stopped_by": stopped_by,
        "steps": steps,
    }


async def connections(endpoints: list[Endpoint], params: dict[str, Any], pid: int) -> Result:
    """Scenario 3: ``count`` idle connections spread over the documents, opened with
    ``concurrency`` in flight: connect time (to synced) and server memory per connection."""
    holders = await _prepare(endpoints, params["warmup"])
    await asyncio.sleep(params["settle_seconds"])
    rss_before = rss_bytes(pid)
    times: list[float] = []
    clients: list[YClient] = []
    failures = 0
    gate = asyncio.Semaphore(params["concurrency"])

    async def one(endpoint: Endpoint) -> None:
        nonlocal failures
        async with gate:
            started = time.perf_counter()
            try:
                client = await _open_synced(endpoint)
            except Exception:  # refused, timed out or closed: counted, not fatal
                failures += 1
                return
            times.append(time.perf_counter() - started)
            clients.append(client)

    try:
        await asyncio.gather(*(one(endpoints[n % len(endpoints)]) for n in range(params["count"])))
        await asyncio.sleep(params["settle_seconds"])
        rss_after = rss_bytes(pid)
    finally:
        await holders.close(*clients)
    quantiles = _quantiles(times + [MISSING] * failures)
    return {
        "connections": len(clients),
        "failures": failures,
        "server_rss_before_mb": round(rss_before / 2**20, 1),
        "server_rss_after_mb": round(rss_after / 2**20, 1),
        "kib_per_connection": round((rss_after - rss_before) / max(1, len(clients)) / 1024, 1),
        "connect_median_ms": quantiles["median_ms"],
        "connect_p99_ms": quantiles["p99_ms"],
        "connect_max_ms": quantiles["max_ms"],
    }


async def cold_sync(endpoints: list[Endpoint], params: dict[str, Any], pid: int) -> Result:
    """Scenario 4: a holder uploads a catalogue of ``size`` products, then ``clients`` new
    clients, one after another, sync it from nothing: time to step 2 and bytes received."""
    holders = await _prepare(endpoints, params["warmup"])
    try:
        holder, endpoint = holders.clients[0], endpoints[0]
        holder.resynced.clear()
        for message in catalogue_updates(params["size"]):
            await holder.send(message)
        await holder.send(empty_sync_step1())  # answered after every update before it
        async with asyncio.timeout(300):
            await holder.resynced.wait()
        rss_loaded = rss_bytes(pid)
        times: list[float] = []
        sizes: list[int] = []
        products = -1
        for _ in range(params["clients"]):
            started = time.perf_counter()
            client = await YClient.open(endpoint, timeout=120)
            await client.wait_synced(timeout=300)
            times.append(time.perf_counter() - started)
            sizes.append(client.bytes_received)
            await client.close()
            if products < 0 and client.step2 is not None:
                products = count_products(client.step2)
    finally:
        await holders.close()
    return {
        "products": params["size"],
        "products_received": products,
        "clients": len(times),
        "synced_median_ms": round(statistics.median(times) * 1000, 1),
        "synced_max_ms": round(max(times) * 1000, 1),
        "bytes_received": max(sizes),
        "server_rss_loaded_mb": round(rss_loaded / 2**20, 1),
    }


async def _close_all(clients: list[YClient]) -> None:
    async def close(client: YClient) -> None:
        with contextlib.suppress(OSError, TimeoutError):
            await asyncio.wait_for(client.close(), 5)

    await asyncio.gather(*(close(client) for client in clients))


WORKLOADS: dict[str, Callable[[list[Endpoint], dict[str, Any], int], Awaitable[Result]]] = {
    "propagation": propagation,
    "fanout": fanout,
    "connections": connections,
    "coldsync": cold_sync,
}
