"""One job: a workload against one server, bounded in time."""

from __future__ import annotations

import asyncio
from typing import Any

from benchmarks.loadgen.client import Endpoint
from benchmarks.loadgen.workloads import WORKLOADS

__all__ = ["run_job"]


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    """Run one workload against one server; bounded by the job's ``time_limit`` seconds.

    A workload that fails (the server closed a connection, a deadline passed) gives
    ``{"error": "<exception>: <message>"}``: the table shows "error" and the message.
    """
    endpoints = [Endpoint.from_json(data) for data in job["endpoints"]]
    workload = WORKLOADS[job["workload"]]

    async def bounded() -> dict[str, Any]:
        try:
            async with asyncio.timeout(job.get("time_limit", 600)):
                return await workload(endpoints, job["params"], job["server_pid"])
        except Exception as error:  # reported in the results, not a crash of the run
            return {"error": f"{type(error).__name__}: {error}".strip()}

    return asyncio.run(bounded())
