"""Soak: kill a till that validates sales with SIGKILL, many times, and check nothing is lost.

``python -m benchmarks.soak_crash [--rounds N] [--dir PARENT] [--seed S] [--quick] [--json [PATH]]``

The long run of ``tests/e2e/test_crash_kill.py`` (same child, same rig, same
checks; default 2000 rounds): after every kill the data directory is reopened
and every sale the child reported as validated must be there with the same
hash, the chain must verify with no gap, every reported document update must
have survived (through compactions too), and ``PRAGMA integrity_check`` must
be ok. Prints a table; exits 1 at the first problem.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

from benchmarks.figures import add_json_option, write_figures

CHILD = Path(__file__).resolve().parent.parent / "tests" / "e2e" / "crash_child.py"


def _crash_child() -> ModuleType:
    spec = importlib.util.spec_from_file_location("skytill_crash_child", CHILD)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def soak(rounds: int, parent: str | None, seed: int) -> tuple[dict[str, float], list[str]]:
    """Run ``rounds`` kill rounds; the counts and the problems of the first bad round."""
    crash = _crash_child()
    rng = random.Random(seed)
    counts: dict[str, float] = {"rounds": 0, "killed_while_opening": 0, "compactions": 0}
    problems: list[str] = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(dir=parent, prefix="skytill-soak-") as tmp:
        data_dir = Path(tmp) / "till"
        rig = crash.CrashRig()
        verifier = crash.CrashVerifier(data_dir)
        try:
            for round_no in range(rounds):
                result = rig.run_round(data_dir, rng)
                counts["rounds"] += 1
                counts["killed_while_opening"] += not result.opened
                counts["compactions"] += result.compactions
                if not result.killed:
                    problems = [f"round {round_no}: worker exited on its own\n{rig.stderr()}"]
                else:
                    problems = [f"round {round_no}: {p}" for p in verifier.check(result)]
                if problems:
                    break
        finally:
            rig.close()
        counts["sales_validated"] = len(verifier.sales)
        counts["doc_updates"] = len(verifier.doc_keys)
    counts["seconds"] = round(time.monotonic() - started, 1)
    counts["problems"] = len(problems)
    return counts, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak_crash")
    parser.add_argument("--rounds", type=int, help="kills (default 2000, quick 200)")
    parser.add_argument("--dir", help="parent directory of the data directory (default: temp)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    add_json_option(parser)
    args = parser.parse_args(argv)
    rounds = args.rounds or (200 if args.quick else 2000)
    counts, problems = soak(rounds, args.dir, args.seed)
    rows = [
        ("SIGKILL rounds", counts["rounds"]),
        ("  of which while opening", counts["killed_while_opening"]),
        ("sales reported validated, all found", counts["sales_validated"]),
        ("document updates reported, all found", counts["doc_updates"]),
        ("compactions completed", counts["compactions"]),
        ("problems", counts["problems"]),
        ("seconds", counts["seconds"]),
    ]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value:>8}")
    for problem in problems:
        print(problem)
    write_figures(args.json, counts)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
