"""``skytill till``: start the till on a data directory.

The lead wires :func:`register` into ``app/cli.py``; Qt is imported only
when the command runs.
"""

from __future__ import annotations

import argparse
import sys

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
    parser.add_argument(
        "--printer",
        help="this till's receipt printer, kept for the next starts: tcp://HOST[:PORT] "
        "(network, port 9100 by default), a device such as /dev/usb/lp0, or none (PDF)",
    )
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from app.till.main import run_till
    from app.till.printing.transport import PrinterConfig

    if args.printer is not None:
        try:
            PrinterConfig.parse(args.printer)
        except ValueError as exc:
            print(f"skytill till: --printer: {exc}", file=sys.stderr)
            return 2
    return run_till(
        data_dir=args.data_dir,
        relay=args.relay,
        lang=args.lang,
        demo=args.demo,
        printer=args.printer,
    )
