"""``python -m benchmarks [SCENARIO...] [--quick]``: run the scenarios, print and save the table.

Scenarios run one after another; within a scenario each job runs against every server in
turn, each server started fresh and alone. The load generator is a separate process
(``python -m benchmarks.loadgen``) given one job at a time. A full run of
every scenario writes ``benchmarks/results.json`` and ``docs/benchmarks.md`` (both
committed); a quick or partial run writes ``benchmarks/results/quick.json`` or
``latest.json`` (git-ignored) unless ``--output`` / ``--markdown`` say otherwise.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.domain import run_domain
from benchmarks.procstat import cpu_pressure, prefer_this_session, prepare_child
from benchmarks.report import machine_info, markdown, table
from benchmarks.scenarios import SCENARIOS, Job
from benchmarks.servers import REFERENCES, RESULTS, BenchmarkError, Server
from benchmarks.skytill import SKYTILL_SERVERS

__all__ = ["main", "run"]

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
PUBLISHED_JSON = Path(__file__).resolve().parent / "results.json"  # full runs, committed
ALL = [*SCENARIOS, "domain"]


def _run_job(server: Server, job: Job) -> dict[str, Any]:
    """One job against one freshly started server: the load generator's result, or why not."""
    reason = server.missing()
    if reason:
        return {"missing": reason}
    documents = [f"doc-{n:03d}" for n in range(job.documents)]
    try:
        with server.start(documents) as running:
            request = {
                "workload": job.workload,
                "server_pid": running.pid,
                "params": job.params,
                "endpoints": running.endpoints,
                "time_limit": job.time_limit,
            }
            done = subprocess.run(
                [sys.executable, "-m", "benchmarks.loadgen"],
                input=json.dumps(request),
                capture_output=True,
                text=True,
                timeout=job.time_limit + 30,
                check=False,
                preexec_fn=prepare_child,
            )
    except (BenchmarkError, subprocess.TimeoutExpired) as error:
        return {"error": str(error)}
    except Exception as error:  # a server that cannot even be set up: recorded, run goes on
        return {"error": f"{type(error).__name__}: {error}"}
    if done.returncode != 0:
        return {"error": f"load generator failed: {done.stderr.strip()[-600:]}"}
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def run(scenarios: list[str], quick: bool, servers: list[Server]) -> dict[str, Any]:
    """Run the chosen scenarios against ``servers``; return everything measured."""
    results: dict[str, Any] = {
        "quick": quick,
        "session_preferred": prefer_this_session(),
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": machine_info(),
        "servers": {server.key: {"label": server.label, "ours": server.ours} for server in servers},
        "scenarios": {},
    }
    for key in scenarios:
        if key == "domain":
            results["domain"] = run_domain(quick)
            continue
        scenario = SCENARIOS[key]
        jobs = []
        for job in scenario.jobs(quick):
            by_server = {}
            for server in servers:
                started, pressure = time.monotonic(), cpu_pressure()
                print(f"[{key}] {job.name}: {server.label} ...", file=sys.stderr, flush=True)
                outcome = _run_job(server, job)
                outcome["seconds"] = round(time.monotonic() - started, 1)
                outcome["cpu_pressure_before"] = pressure
                outcome["cpu_pressure_after"] = cpu_pressure()
                by_server[server.key] = outcome
            jobs.append({"name": job.name, "results": by_server})
        results["scenarios"][key] = {"title": scenario.title, "jobs": jobs}
    results["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return results


def _published(results: dict[str, Any]) -> bool:
    """Whether ``results`` replace the published figures: only a full run of every scenario."""
    ran = {*results["scenarios"], *(["domain"] if "domain" in results else [])}
    return not results["quick"] and ran == set(ALL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("scenarios", nargs="*", metavar="SCENARIO", help=f"any of {', '.join(ALL)}")
    parser.add_argument("--quick", action="store_true", help="a small smoke run of each scenario")
    parser.add_argument("--output", type=Path, help="where to write the JSON")
    parser.add_argument(
        "--markdown",
        type=Path,
        help="where to write the Markdown (default docs/benchmarks.md on full runs)",
    )
    parser.add_argument(
        "--from-json",
        type=Path,
        metavar="PATH",
        help="measure nothing: print and write the report of an earlier run's JSON",
    )
    args = parser.parse_args(argv)
    if args.from_json:
        results = json.loads(args.from_json.read_text())
        print(table(results))
        if _published(results) or args.markdown:
            (args.markdown or DOCS).write_text(markdown(results))
        return 0
    unknown = sorted(set(args.scenarios) - set(ALL))
    if unknown:
        parser.error(f"unknown scenario(s) {', '.join(unknown)}; choose from {', '.join(ALL)}")
    chosen = args.scenarios or ALL
    results = run(chosen, args.quick, [*SKYTILL_SERVERS, *REFERENCES])
    publish = _published(results)
    default = (
        PUBLISHED_JSON if publish else RESULTS / ("quick.json" if args.quick else "latest.json")
    )
    output = args.output or default
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    target = args.markdown or (DOCS if publish else None)
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown(results))
        print(f"wrote {output} and {target}", file=sys.stderr)
    else:
        print(f"wrote {output}", file=sys.stderr)
    return 0
