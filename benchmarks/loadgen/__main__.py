"""Entry point of the load generator process (see the package docstring)."""

from __future__ import annotations

import json
import sys

from benchmarks.loadgen.job import run_job
from benchmarks.procstat import raise_open_files_limit


def main() -> int:
    """Read a job on stdin, run it, write its result on stdout."""
    raise_open_files_limit()
    job = json.load(sys.stdin)
    json.dump(run_job(job), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
