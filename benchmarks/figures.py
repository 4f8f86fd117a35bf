"""What every domain script shares: its ``--json [PATH]`` option, how it hands its figures
over (see ``benchmarks.domain``), and the percentile its p99 figures use."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

__all__ = ["add_json_option", "percentile", "write_figures"]


def add_json_option(parser: argparse.ArgumentParser) -> None:
    """``--json`` alone: the figures as the last line of stdout; ``--json PATH``: in a file."""
    parser.add_argument(
        "--json",
        nargs="?",
        const="-",
        metavar="PATH",
        help="end with one JSON line of figures (or write them to PATH)",
    )


def write_figures(target: str | None, figures: dict[str, Any]) -> None:
    """Hand ``figures`` over as ``--json`` asked (``target`` is its value; None: not asked)."""
    if target is None:
        return
    text = json.dumps(figures)
    if target == "-":
        print(text)
    else:
        Path(target).write_text(text + "\n")


def percentile(values: list[float], fraction: float) -> float:
    """The value at ``fraction`` (0.99 for p99) of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]
