"""A validated sale survives SIGKILL at any moment: 200 real kills of a real writer.

The child (``crash_child.py``) validates sales in a loop and prints each one
only after the store returned, i.e. after the commit. It is killed with
SIGKILL at a random moment (often mid-write, sometimes while opening or
compacting); after every kill the data directory is reopened and checked:
every sale reported as validated is there with the same hash, the chain
verifies with no gap, no record is partial, every reported document update
survived, and ``PRAGMA integrity_check`` is ok. More rounds:
``python -m benchmarks.soak_crash``.
"""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = pytest.mark.e2e

ROUNDS = 200


def load_crash_child() -> ModuleType:
    """The crash child module, loaded by path (tests/ is not a package)."""
    path = Path(__file__).with_name("crash_child.py")
    spec = importlib.util.spec_from_file_location("skytill_crash_child", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_validated_sales_survive_sigkill(tmp_path: Path) -> None:
    crash = load_crash_child()
    rng = random.Random(20261128)
    rig = crash.CrashRig()
    verifier = crash.CrashVerifier(tmp_path / "till")
    try:
        worked = 0
        compactions = 0
        for round_no in range(ROUNDS):
            result = rig.run_round(tmp_path / "till", rng)
            assert result.killed, f"round {round_no}: worker did not die by SIGKILL\n{rig.stderr()}"
            problems = verifier.check(result)
            assert not problems, f"round {round_no}: {problems}"
            worked += result.opened
            compactions += result.compactions
    finally:
        rig.close()
    # Most kills landed in the middle of the work, not before it started.
    assert worked > ROUNDS // 2
    assert verifier.sales and compactions > 0
