"""The relay's command line, run as real subprocesses; logs never hold a secret."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from relay_client import NativeClient, YjsClient
from relay_process import stop_relay

from relay_server.cli import build_parser


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "relay_server", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_parser_has_every_command() -> None:
    parser = build_parser()
    args = parser.parse_args(["serve", "--port", "0", "--db", "sqlite:///x.db"])
    assert (args.port, args.host, args.db) == (0, "127.0.0.1", "sqlite:///x.db")
    for command in ("add-owner", "add-till", "mint-token", "revoke-till"):
        assert command in parser.format_help()


async def test_provision_by_cli_then_serve_and_log_no_secret(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'relay.db'}"
    owner = run(
        "add-owner", "--db", db, "--shop", "Corner", "--email", "c@x.test", stdin="pw one two\n"
    )
    assert owner.returncode == 0, owner.stderr
    assert "pw one two" not in owner.stdout
    twice = run(
        "add-owner", "--db", db, "--shop", "Corner", "--email", "c@x.test", "--password", "pw 2 3 4"
    )
    assert twice.returncode == 1 and "already" in twice.stderr
    short = run("add-owner", "--db", db, "--shop", "Corner", "--email", "d@x.test", stdin="short\n")
    assert short.returncode == 1 and "at least 8 characters" in short.stderr
    till = run("add-till", "--db", db, "--shop", "Corner", "--name", "Front", "--password", "tp")
    assert till.returncode == 0, till.stderr
    licence = re.search(r"licence (\S+)", till.stdout)
    assert licence is not None
    minted = run("mint-token", "--db", db, "--email", "c@x.test")
    assert minted.returncode == 0
    token = minted.stdout.strip()

    log_path = tmp_path / "relay.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "relay_server",
                "serve",
                "--port",
                "0",
                "--db",
                db,
                "--log-level",
                "debug",
            ],
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        try:
            assert process.stdout is not None
            match = re.fullmatch(r"listening on (\S+):(\d+)\n", process.stdout.readline())
            assert match is not None
            base = f"ws://{match.group(1)}:{match.group(2)}"
            native = await NativeClient.connect(f"{base}/", {"method": "token", "token": token})
            await native.authenticated()
            till_client = await NativeClient.connect(
                f"{base}/", {"method": "till", "licence": licence.group(1), "password": "tp"}
            )
            till_auth = await till_client.authenticated()
            web = await YjsClient.connect(f"{base}/yjs/catalogue?token={token}")
            await web.synced.wait()
            bad = await NativeClient.connect(
                f"{base}/", {"method": "owner", "email": "c@x.test", "password": "wrong pw"}
            )
            await bad.close_code()
            for client in (native, till_client, web):
                await client.close()
        finally:
            stop_relay(process)
    logged = log_path.read_text()
    assert "shop=" in logged and "authenticated as owner" in logged
    for secret in (token, str(till_auth["token"]), "pw one", "wrong pw", "tp\n"):
        assert secret not in logged
