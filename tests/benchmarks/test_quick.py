"""The benchmark harness's ``--quick`` smoke run, so the benchmarks cannot rot.

One quick run of every scenario (``python -m benchmarks --quick``, real servers on
127.0.0.1, the real load generator process) is shared by the tests below. Each server gets
its own test: our relay must produce every figure; a reference server that cannot be
installed on this machine (no node/npm) is reported as a skip that names it, never dropped.
Nothing here asserts on timing (only generous deadlines: 5 s for one update, 2 s of grace
after a fan-out step, 30 s to connect): only that every figure was measured and consistent.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The harness is run, not imported (``benchmarks`` is a top-level folder, not an installed
# package): these are the names it must report.
SCENARIOS = {"propagation", "fanout", "connections", "coldsync"}
OURS = {"skytill", "skytill-native"}  # the relay through /yjs/<doc> and through /sync
SERVERS = [*sorted(OURS), "y-websocket", "hocuspocus", "pycrdt-websocket"]


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("bench")
    output, report = folder / "quick.json", folder / "quick.md"
    command = [sys.executable, "-m", "benchmarks", "--quick", "--output", str(output)]
    done = subprocess.run(
        [*command, "--markdown", str(report)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results: dict[str, Any] = json.loads(output.read_text())
    results["_table"] = done.stdout
    results["_markdown"] = report.read_text()
    return results


def _outcomes(results: dict[str, Any], server_key: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        (job["name"], job["results"][server_key])
        for scenario in results["scenarios"].values()
        for job in scenario["jobs"]
    ]


def test_every_scenario_ran(quick_run: dict[str, Any]) -> None:
    assert set(quick_run["scenarios"]) == SCENARIOS
    assert "sale_durability" in quick_run["domain"]
    for scenario in quick_run["scenarios"].values():
        for job in scenario["jobs"]:
            assert set(job["results"]) == set(SERVERS)


@pytest.mark.parametrize("server", SERVERS)
def test_server_measured(quick_run: dict[str, Any], server: str) -> None:
    outcomes = _outcomes(quick_run, server)
    missing = {outcome.get("missing") for _, outcome in outcomes} - {None}
    if missing and server not in OURS:
        pytest.skip(f"reference server {server} absent on this machine: {missing.pop()}")
    for name, outcome in outcomes:
        assert "missing" not in outcome and "error" not in outcome, (name, outcome)
    by_workload = {name: outcome for name, outcome in outcomes}
    propagation = next(v for k, v in by_workload.items() if k.startswith("propagation"))
    assert propagation["lost"] == 0
    assert 0 < propagation["median_ms"] <= propagation["p99_ms"] <= propagation["max_ms"]
    fanout = next(v for k, v in by_workload.items() if k.startswith("fan-out"))
    # Whether a rate is "held" is a latency judgement, so it is not asserted; that the steps
    # ran and that readers got the writers' updates (within the 2 s grace) is.
    assert fanout["steps"], fanout
    assert all(step["server_cpu_percent"] >= 0 for step in fanout["steps"])
    assert fanout["steps"][0]["median_ms"] is not None, fanout
    connections = next(v for k, v in by_workload.items() if "connections" in k)
    assert connections["failures"] == 0
    assert connections["connections"] == 100
    assert connections["connect_p99_ms"] is not None
    cold = next(v for k, v in by_workload.items() if k.startswith("cold sync"))
    assert cold["products_received"] == cold["products"]
    assert cold["bytes_received"] > 0


def test_report_lists_every_server(quick_run: dict[str, Any]) -> None:
    for server in quick_run["servers"].values():
        assert server["label"] in quick_run["_table"]
        assert server["label"] in quick_run["_markdown"]


def test_domain_scripts_report_figures_or_absence(quick_run: dict[str, Any]) -> None:
    for name, outcome in quick_run["domain"].items():
        assert "error" not in outcome, (name, outcome)
        assert outcome.get("metrics") or outcome.get("missing"), (name, outcome)
