"""``skytill run`` / ``make run``: the product on its embedded demo shop.

Opens the till on a demo data directory of its own (a café-bakery with its
catalogue, VAT rates, payment methods and a cashier), created on first start
and kept between runs, so that a new user can sell at once.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

__all__ = ["demo_data_dir", "run_demo"]


def demo_data_dir() -> Path:
    """Where the demo till keeps its data: ``<user data dir>/skytill/demo/till``."""
    return Path(platformdirs.user_data_dir("skytill")) / "demo" / "till"


def run_demo(lang: str | None = None) -> int:
    """Start the demo till; returns the process exit code."""
    from app.till.main import run_till

    print(f"Skytill demo till, data in {demo_data_dir()}", flush=True)
    return run_till(data_dir=str(demo_data_dir()), lang=lang, demo=True)
