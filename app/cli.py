"""The ``skytill`` command: one entry point, one subcommand per part.

Each part adds its subcommands through a ``register(subparsers)`` function of
its own ``cli`` module and imports its heavy dependencies (Qt, websockets,
SQLAlchemy) only when its command runs, so ``skytill --help`` stays instant
and a machine without a screen can still run the relay.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from app import __version__
from app.core import cli as core_cli
from app.manager import cli as manager_cli
from app.till import cli as till_cli
from relay_server import cli as relay_cli

__all__ = ["build_parser", "main"]

Handler = Callable[[argparse.Namespace], int]


def _cmd_run(args: argparse.Namespace) -> int:
    from app.demo import run_demo

    return run_demo(lang=args.lang)


def build_parser() -> argparse.ArgumentParser:
    """The whole ``skytill`` parser; each handler is ``args.handler(args) -> exit code``."""
    parser = argparse.ArgumentParser(
        prog="skytill",
        description="Skytill: an offline-first point of sale (till, manager, relay).",
    )
    parser.add_argument("--version", action="version", version=f"skytill {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="start the product on its embedded demo shop")
    run.add_argument("--lang", choices=("fr", "en"), help="language (default: the system's)")
    run.set_defaults(handler=_cmd_run)
    for part in (till_cli, manager_cli, relay_cli, core_cli):
        part.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
