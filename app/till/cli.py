"""``skytill till``: start the till on a data directory.

The lead wires :func:`register` into ``app/cli.py``; Qt is imported only
when the command runs.
"""

from __future__ import annotations

import argparse

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``till`` subcommand."""
    parser = subparsers.add_parser("till", help="start the till (the cashier's app)")
    parser.add_argument("--data-dir", help="where this till keeps its data (default: per user)")
    parser.add_argument(
        "--relay", help="relay URL, e.g. wss://relay.example.com/sync (first start: log in to it)"
    )
    parser.add_argument("--lang", choices=("fr", "en"), help="language (default: the system's)")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="on a new data directory, create a local demo shop and sell as its till 1",
    )
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from app.till.main import run_till

    return run_till(data_dir=args.data_dir, relay=args.relay, lang=args.lang, demo=args.demo)
