"""``skytill manager``: start the owner's back office.

The lead wires :func:`register` into :mod:`app.cli`; Qt is imported only when
the command runs, so ``skytill --help`` stays instant.
"""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``manager`` subcommand to ``skytill``'s parser."""
    parser = subparsers.add_parser("manager", help="the owner's back office (PySide6)")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="where the manager keeps its documents (default: the user data directory)",
    )
    parser.add_argument("--relay", default=None, metavar="URL", help="relay to sync with")
    parser.add_argument(
        "--lang", choices=("fr", "en"), default=None, help="language (default: the system's)"
    )
    parser.add_argument(
        "--demo", action="store_true", help="fill an empty data directory with a demo shop"
    )
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from app.manager.main import run_manager

    return run_manager(data_dir=args.data_dir, relay_url=args.relay, lang=args.lang, demo=args.demo)
