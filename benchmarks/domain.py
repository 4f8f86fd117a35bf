"""Scenario 5: the domain figures, measured by scripts the other parts contribute.

Each script is a module in ``benchmarks/`` that the runner starts as
``python -m benchmarks.<name> --json [--quick]`` (the same interpreter, the repository as the
working directory). Its ``--json`` option is ``benchmarks.figures.add_json_option``: run by
hand, ``--json PATH`` writes the figures to a file instead. With ``--json`` alone it prints,
as the last line of its stdout, one JSON object: either
``{"metrics": [{"label": "...", "value": 12.3, "unit": "ms"}, ...]}`` or a flat object of
figures (``{"median_ms": 1.2, "p99_ms": 3.4}``). A script that is not there yet is listed as
missing, never silently skipped.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["DOMAIN_SCRIPTS", "FULL_RUNS_ONLY", "run_domain"]

HERE = Path(__file__).resolve().parent

# module name -> what it measures (issue 8, scenario 5), for the scripts there are or will be
DOMAIN_SCRIPTS = {
    "sale_durability": "sale validation to durable (median, p99, sales/s)",
    "soak_crash": "sales kept across SIGKILLs (soak; full runs only)",
    "offline_upload": "sale to ack, edit A to B, reconnect, 10,000 offline sales uploaded",
    "lan": "LAN propagation, peer discovery, internet cut to first LAN-synced sale",
    "manager_catalogue": "manager catalogue with 100,000 products",
    "till_figures": "till start-up with 100,000 products, barcode lookup",
    "dashboard": "dashboard query for a day and a year (5 tills, 500,000 sales)",
}
# Some scripts cannot be made short: a quick run lists them as not run (with why) instead,
# and a full run bounds them so that ``make bench`` stays well under 15 minutes.
FULL_RUNS_ONLY = {
    "soak_crash": "a soak runs in full runs only",
    # relay freezes and restarts wait for the engine's real timeouts and backoff
    "offline_upload": "its relay freeze and restart alone take about a minute",
    "lan": "network namespaces and zeroconf probing take about 20 s even with few trials",
}
# The dashboard's year of 500,000 sales takes over ten minutes to sign and store here: a full
# run measures 100,000 (its labels say how many); run the script alone for the 500,000.
FULL_RUN_ARGS = {"soak_crash": ["--rounds", "300"], "dashboard": ["--sales", "100000"]}


def _metrics(payload: Any) -> list[dict[str, Any]]:
    if isinstance(payload, dict) and isinstance(payload.get("metrics"), list):
        return [dict(item) for item in payload["metrics"] if isinstance(item, dict)]
    if isinstance(payload, dict):
        return [
            {"label": key, "value": value, "unit": ""}
            for key, value in payload.items()
            if isinstance(value, int | float | str)
        ]
    return [{"label": "result", "value": str(payload), "unit": ""}]


def run_one(name: str, quick: bool, timeout: float = 900) -> dict[str, Any]:
    """Run one domain script; its metrics, or why there are none."""
    script = HERE / f"{name}.py"
    if not script.exists():
        return {"missing": f"benchmarks/{name}.py does not exist yet"}
    if quick and name in FULL_RUNS_ONLY:
        return {"missing": f"not run by --quick ({FULL_RUNS_ONLY[name]})"}
    command = [sys.executable, "-m", f"benchmarks.{name}", "--json"]
    command += ["--quick"] if quick else FULL_RUN_ARGS.get(name, [])
    started = time.monotonic()
    try:
        done = subprocess.run(
            command,
            cwd=HERE.parent,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"did not finish within {timeout:.0f} s"}
    seconds = round(time.monotonic() - started, 1)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        detail = (done.stderr or done.stdout).strip()[-600:]
        return {"error": f"exit code {done.returncode}: {detail}", "seconds": seconds}
    try:
        payload = json.loads(lines[-1])
    except json.JSONDecodeError:
        return {"error": f"last line is not JSON: {lines[-1][:200]}", "seconds": seconds}
    return {"metrics": _metrics(payload), "seconds": seconds}


def run_domain(quick: bool) -> dict[str, Any]:
    """Run every domain script there is; list the others as missing."""
    results = {}
    for name, title in DOMAIN_SCRIPTS.items():
        print(f"[domain] {name} ...", file=sys.stderr, flush=True)
        results[name] = {"title": title, **run_one(name, quick)}
    return results
