"""The results as a text table (printed), and as Markdown (docs/benchmarks.md).

Each row is one figure: ours, then each reference with the ratio ours ÷ theirs. Servers that
could not run are shown as ``missing`` with the reason under the table, never left out.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks.scenarios import SCENARIOS, Metric

__all__ = ["machine_info", "markdown", "table"]

HERE = Path(__file__).resolve().parent
ANALYSIS = HERE / "analysis.md"
METHOD = HERE / "method.md"


def _read_first_line(path: str, prefix: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "?"


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def _node_package(name: str) -> str:
    path = HERE / "node" / "node_modules" / name / "package.json"
    try:
        return str(json.loads(path.read_text())["version"])
    except (OSError, ValueError, KeyError):
        return "not installed"


def _node_version() -> str:
    try:
        done = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False)
    except OSError:
        return "not installed"
    return done.stdout.strip() or "not installed"


def machine_info() -> dict[str, Any]:
    """Cores, memory, load and software versions of the machine the run happens on."""
    memory_kib = _read_first_line("/proc/meminfo", "MemTotal").split()[0]
    return {
        "cpu": _read_first_line("/proc/cpuinfo", "model name"),
        "cores": os.cpu_count(),
        "memory_gib": round(int(memory_kib) / 2**20, 1) if memory_kib.isdigit() else None,
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
        "kernel": platform.release(),
        "python": platform.python_version(),
        "versions": {
            "pycrdt": _version("pycrdt"),
            "websockets": _version("websockets"),
            "pycrdt-websocket": _version("pycrdt-websocket"),
            "node": _node_version(),
            "yjs": _node_package("yjs"),
            "@y/websocket-server": _node_package("@y/websocket-server"),
            "@hocuspocus/server": _node_package("@hocuspocus/server"),
            "ws": _node_package("ws"),
        },
    }


def _format(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 100 else f"{value:.3g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _cell(outcome: dict[str, Any], metric: Metric) -> str:
    if "missing" in outcome:
        return "missing"
    if "error" in outcome:
        return "error"
    return _format(outcome.get(metric.key))


def _ratio(ours: dict[str, Any], theirs: dict[str, Any], metric: Metric) -> str:
    mine, other = ours.get(metric.key), theirs.get(metric.key)
    if not isinstance(mine, int | float) or not isinstance(other, int | float) or other == 0:
        return "-"
    ratio = mine / other
    good = ratio <= 1 if metric.better == "lower" else ratio >= 1
    return f"{ratio:.2f}{'' if good else ' (behind)'}"


def _rows(results: dict[str, Any]) -> tuple[list[str], list[list[str]], list[str]]:
    """Header, rows and footnotes (missing servers, errors) of the whole table."""
    servers = results["servers"]
    ours = [key for key, server in servers.items() if server["ours"]]
    theirs = [key for key, server in servers.items() if not server["ours"]]
    primary = ours[0] if ours else None
    header = ["scenario / figure", *(servers[key]["label"] for key in ours)]
    for key in theirs:
        header += [servers[key]["label"], "ours ÷ theirs"]
    rows: list[list[str]] = []
    notes: list[str] = []
    for scenario_key, scenario in results["scenarios"].items():
        metrics = SCENARIOS[scenario_key].metrics
        for job in scenario["jobs"]:
            rows.append([f"**{job['name']}**", *[""] * (len(header) - 1)])
            outcomes = job["results"]
            for key, outcome in outcomes.items():
                for problem in ("missing", "error"):
                    if problem in outcome:
                        notes.append(
                            f"{job['name']}, {servers[key]['label']}: {problem}: {outcome[problem]}"
                        )
            mine = outcomes.get(primary, {"missing": "no relay"}) if primary else {"missing": ""}
            for metric in metrics:
                row = [metric.label, *(_cell(outcomes[key], metric) for key in ours)]
                for key in theirs:
                    row += [_cell(outcomes[key], metric), _ratio(mine, outcomes[key], metric)]
                rows.append(row)
    return header, rows, notes


def table(results: dict[str, Any]) -> str:
    """A plain-text table for the terminal."""
    header, rows, notes = _rows(results)
    rows = [[cell.replace("**", "") for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * width for width in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    lines += ["", *notes] if notes else []
    domain = results.get("domain")
    if domain:
        lines += ["", "Domain figures:", *_domain_lines(domain)]
    return "\n".join(lines)


def _domain_lines(domain: dict[str, Any]) -> list[str]:
    lines = []
    for name, outcome in domain.items():
        if "metrics" in outcome:
            figures = ", ".join(
                f"{m.get('label')} {_format(m.get('value'))} {m.get('unit', '')}".strip()
                for m in outcome["metrics"]
            )
            lines.append(f"- {outcome['title']} (`benchmarks/{name}.py`): {figures}")
        else:
            problem = outcome.get("missing") or f"error: {outcome.get('error')}"
            lines.append(f"- {outcome['title']}: {problem}")
    return lines


def _fanout_steps(results: dict[str, Any]) -> list[str]:
    scenario = results["scenarios"].get("fanout")
    if not scenario:
        return []
    lines = ["", "### Fan-out steps", ""]
    columns = [
        ("rate_per_doc", "rate/doc"),
        ("deliveries_per_s", "deliveries/s"),
        ("median_ms", "median ms"),
        ("p99_ms", "p99 ms"),
        ("lost", "lost"),
        ("server_cpu_percent", "server CPU %"),
        ("server_rss_mb", "server MiB"),
        ("loadgen_cpu_percent", "load generator CPU %"),
        ("loadgen_stall_max_ms", "load generator longest stall ms"),
    ]
    for job in scenario["jobs"]:
        for key, outcome in job["results"].items():
            if "steps" not in outcome:
                continue
            label = results["servers"][key]["label"]
            lines += [f"{label}: stopped by {outcome['stopped_by']}.", ""]
            lines.append("| " + " | ".join(title for _, title in columns) + " |")
            lines.append("|" + "---|" * len(columns))
            for step in outcome["steps"]:
                lines.append("| " + " | ".join(_format(step.get(k)) for k, _ in columns) + " |")
            lines.append("")
    return lines


def markdown(results: dict[str, Any]) -> str:
    """docs/benchmarks.md: machine, method, the table, details, missing parts, analysis."""
    machine = results["machine"]
    header, rows, notes = _rows(results)
    kind = "quick smoke run" if results["quick"] else "full run"
    lines = [
        "# Benchmarks",
        "",
        f"Generated by `python -m benchmarks` ({kind}) from {results['started']} to "
        f"{results['finished']}. Rerun with `make bench`; the raw figures are in "
        "`benchmarks/results.json`.",
        "",
        "## Machine",
        "",
        f"- CPU: {machine['cpu']}, {machine['cores']} cores; memory {machine['memory_gib']} GiB; "
        f"Linux {machine['kernel']}; Python {machine['python']}",
        "- load average when the run started: "
        + ", ".join(map(str, machine["load_average_at_start"])),
        "- versions: " + ", ".join(f"{k} {v}" for k, v in machine["versions"].items()),
        "- the benchmark's scheduler group ran at nice -10 (see Method): "
        + ("yes" if results.get("session_preferred") else "no"),
        "",
    ]
    if METHOD.exists():
        lines += [METHOD.read_text().strip(), ""]
    lines += ["## Results", ""]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    lines += ["", "Ratios are ours ÷ theirs; `(behind)` marks a figure where we are worse."]
    if notes:
        lines += ["", "### Missing or failed", "", *(f"- {note}" for note in notes)]
    lines += _fanout_steps(results)
    if "domain" in results:
        lines += ["", "## Domain figures", "", *_domain_lines(results["domain"])]
    if ANALYSIS.exists():
        lines += ["", ANALYSIS.read_text().strip()]
    return "\n".join(lines) + "\n"
