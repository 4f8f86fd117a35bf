"""The relay's command line: ``skytill relay ...`` and ``python -m relay_server ...``.

Commands: ``serve``, ``add-owner``, ``add-till``, ``mint-token``, ``revoke-till``,
each with ``--db URL`` (default: SQLite ``relay.db`` in the user data directory).
``serve`` prints one line ``listening on HOST:PORT`` to stdout when ready.
Passwords come from ``--password`` or, without it, from a prompt (or one line
of standard input when it is not a terminal). Nothing here prints a password;
``add-owner`` and ``mint-token`` print the token they mint, on purpose.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from relay_server.config import RelayConfig

if TYPE_CHECKING:
    from relay_server.storage import Storage

__all__ = ["build_parser", "default_db_url", "main", "register"]


def default_db_url() -> str:
    """``sqlite:///<user data dir>/skytill/relay.db`` (the directory is created)."""
    import platformdirs

    folder = Path(platformdirs.user_data_dir("skytill"))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'relay.db'}"


def _password(args: argparse.Namespace, prompt: str) -> str:
    if args.password is not None:
        return str(args.password)
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\n")


def _cmd_serve(args: argparse.Namespace) -> int:
    import asyncio
    import logging
    import signal

    from relay_server.server import RelayServer
    from relay_server.storage import open_storage

    logging.basicConfig(
        level=getattr(logging, args.log_level.upper()),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    storage = open_storage(args.db or default_db_url())

    async def serve() -> None:
        fanout = None
        if args.redis:
            from relay_server.fanout import RedisFanOut

            fanout = RedisFanOut(args.redis, args.redis_prefix)
        config = RelayConfig(
            address_free_failures=args.address_failures, allow_signup=args.allow_signup
        )
        relay = RelayServer(storage, config, fanout)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        async with relay.listening(args.host, args.port) as (host, port):
            print(f"listening on {host}:{port}", flush=True)
            await stop.wait()

    try:
        asyncio.run(serve())
    finally:
        storage.close()
    return 0


def _on_storage(args: argparse.Namespace, action: Callable[[Storage], str]) -> int:
    """Run ``action`` on the database of ``--db`` and print what it returns; a
    storage error is printed as such and exits 1."""
    from relay_server.errors import StorageError
    from relay_server.storage import open_storage

    storage = open_storage(args.db or default_db_url())
    try:
        message = action(storage)
    except StorageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        storage.close()
    print(message)
    return 0


def _cmd_add_owner(args: argparse.Namespace) -> int:
    from relay_server.auth import password_problem
    from relay_server.provisioning import add_owner

    password = _password(args, "Owner password: ")
    problem = password_problem(password)
    if problem is not None:
        print(f"error: {problem}", file=sys.stderr)
        return 1

    def action(storage: Storage) -> str:
        owner = add_owner(storage, args.shop, args.email, password)
        return f"owner {owner.email} added to shop {args.shop} ({owner.shop_id})"

    return _on_storage(args, action)


def _cmd_add_till(args: argparse.Namespace) -> int:
    from relay_server.provisioning import add_till

    def action(storage: Storage) -> str:
        till = add_till(storage, args.shop, args.name, _password(args, "Till password: "))
        return f"till {till.number} {till.name!r} id {till.id} licence {till.licence_key}"

    return _on_storage(args, action)


def _cmd_mint_token(args: argparse.Namespace) -> int:
    from relay_server.provisioning import mint_owner_token

    return _on_storage(args, lambda db: mint_owner_token(db, args.email, args.device_name))


def _cmd_revoke_till(args: argparse.Namespace) -> int:
    def action(storage: Storage) -> str:
        storage.accounts.revoke_till(args.till_id)
        return f"till {args.till_id} revoked (running relays cut it off within seconds)"

    return _on_storage(args, action)


def _add_commands(sub: Any) -> None:
    def command(name: str, help_text: str, handler: Any) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text)
        parser.add_argument("--db", help="database URL (default: SQLite in the user data dir)")
        parser.set_defaults(handler=handler)
        return parser

    serve = command("serve", "run the relay", _cmd_serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    serve.add_argument("--log-level", default="info", choices=["debug", "info", "warning"])
    serve.add_argument(
        "--address-failures",
        type=int,
        default=RelayConfig.address_free_failures,
        help="failed logins from one address before lockouts start",
    )
    serve.add_argument(
        "--allow-signup",
        action="store_true",
        help="let anyone create a shop and its owner from a manager (default: add-owner only)",
    )
    serve.add_argument("--redis", help="Redis URL: fan out to other relays on the same database")
    serve.add_argument("--redis-prefix", default="skytill", help="Redis channel prefix")

    owner = command("add-owner", "add an owner (and the shop if new)", _cmd_add_owner)
    owner.add_argument("--shop", required=True, help="shop name")
    owner.add_argument("--email", required=True)
    owner.add_argument("--password", help="default: prompt or one line of stdin")

    till = command("add-till", "add a till to a shop; prints its licence key", _cmd_add_till)
    till.add_argument("--shop", required=True, help="shop name")
    till.add_argument("--name", required=True, help="till name")
    till.add_argument("--password", help="default: prompt or one line of stdin")

    mint = command("mint-token", "print a new owner token for scripts", _cmd_mint_token)
    mint.add_argument("--email", required=True)
    mint.add_argument("--device-name", default="script")

    revoke = command("revoke-till", "revoke a till and its tokens", _cmd_revoke_till)
    revoke.add_argument("--till-id", required=True)


def register(subparsers: Any) -> None:
    """Add ``relay`` and its commands to the ``skytill`` command's subparsers."""
    relay = subparsers.add_parser("relay", help="the sync relay server and its accounts")
    _add_commands(relay.add_subparsers(dest="relay_command", metavar="COMMAND", required=True))


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``python -m relay_server``: the same commands as ``skytill relay``."""
    parser = argparse.ArgumentParser(prog="python -m relay_server", description="Skytill relay")
    _add_commands(parser.add_subparsers(dest="relay_command", metavar="COMMAND", required=True))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m relay_server``."""
    args = build_parser().parse_args(argv)
    handler = args.handler
    return int(handler(args))
