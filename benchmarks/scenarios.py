"""The scenarios: what each one asks of the load generator, full and ``--quick``.

A scenario is one or more load-generator jobs, each run against every server in turn with a
freshly started server. ``METRICS`` says which figures of a job's result go in the table and
which way is better.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["SCENARIOS", "Job", "Metric", "Scenario"]


@dataclass(frozen=True)
class Metric:
    """One row of the table: a figure of a job's result."""

    key: str
    label: str
    better: str  # "lower" or "higher"


@dataclass(frozen=True)
class Job:
    """One load-generator run against one server."""

    name: str  # the row group in the table, e.g. "cold sync 10,000 products"
    workload: str
    documents: int
    params: dict[str, Any]
    time_limit: float


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    full: tuple[Job, ...]
    quick: tuple[Job, ...]
    metrics: tuple[Metric, ...]

    def jobs(self, quick: bool) -> tuple[Job, ...]:
        return self.quick if quick else self.full


_LATENCY = (
    Metric("median_ms", "latency median (ms)", "lower"),
    Metric("p99_ms", "latency p99 (ms)", "lower"),
    Metric("max_ms", "latency max (ms)", "lower"),
)


def _cold(size: int, clients: int, label: str) -> Job:
    return Job(
        name=f"cold sync {label} products",
        workload="coldsync",
        documents=1,
        params={"size": size, "clients": clients, "warmup": 20},
        time_limit=600,
    )


SCENARIOS = {
    scenario.key: scenario
    for scenario in (
        Scenario(
            key="propagation",
            title="1. Propagation: one writer, one reader, small updates one after another",
            full=(
                Job(
                    "propagation, 2,000 updates",
                    "propagation",
                    1,
                    {"count": 2000, "warmup": 200},
                    180,
                ),
            ),
            quick=(
                Job("propagation, 50 updates", "propagation", 1, {"count": 50, "warmup": 20}, 60),
            ),
            metrics=(*_LATENCY, Metric("lost", "updates lost", "lower")),
        ),
        Scenario(
            key="fanout",
            title="2. Fan-out: 50 documents, 1 writer and 20 readers each, rate stepped up",
            full=(
                Job(
                    "fan-out 50 docs x (1 writer + 20 readers)",
                    "fanout",
                    50,
                    {
                        "readers": 20,
                        "rates": [2, 5, 10, 15, 20, 30, 40, 60, 80],
                        "step_seconds": 4.0,
                        "warmup": 200,
                    },
                    300,
                ),
            ),
            quick=(
                Job(
                    "fan-out 2 docs x (1 writer + 3 readers)",
                    "fanout",
                    2,
                    {"readers": 3, "rates": [2, 10], "step_seconds": 0.5, "warmup": 20},
                    60,
                ),
            ),
            metrics=(
                Metric("held_rate_per_doc", "highest rate held (updates/s per doc)", "higher"),
                Metric("held_deliveries_per_s", "deliveries/s at that rate", "higher"),
                Metric("held_p99_ms", "latency p99 at that rate (ms)", "lower"),
                Metric("held_server_cpu_percent", "server CPU at that rate (% of a core)", "lower"),
                Metric("held_server_rss_mb", "server memory at that rate (MiB)", "lower"),
                Metric("stopped_by", "stepping stopped by", "lower"),
            ),
        ),
        Scenario(
            key="connections",
            title="3. Connections: idle connections, each synced once",
            full=(
                Job(
                    "2,000 idle connections over 20 docs",
                    "connections",
                    20,
                    {"count": 2000, "concurrency": 50, "warmup": 200, "settle_seconds": 2.0},
                    300,
                ),
            ),
            quick=(
                Job(
                    "100 idle connections over 2 docs",
                    "connections",
                    2,
                    {"count": 100, "concurrency": 20, "warmup": 20, "settle_seconds": 0.3},
                    60,
                ),
            ),
            metrics=(
                Metric("kib_per_connection", "server memory per connection (KiB)", "lower"),
                Metric("connect_p99_ms", "connect to synced p99 (ms)", "lower"),
                Metric("connect_median_ms", "connect to synced median (ms)", "lower"),
                Metric("failures", "failed connections", "lower"),
            ),
        ),
        Scenario(
            key="coldsync",
            title="4. Cold sync: a new client syncs a whole catalogue",
            full=(_cold(10_000, 5, "10,000"), _cold(100_000, 3, "100,000")),
            quick=(_cold(1_000, 1, "1,000"),),
            metrics=(
                Metric("synced_median_ms", "time to synced, median (ms)", "lower"),
                Metric("bytes_received", "bytes sent to the new client", "lower"),
                Metric("server_rss_loaded_mb", "server memory with the catalogue (MiB)", "lower"),
                Metric("products_received", "products received", "higher"),
            ),
        ),
    )
}
