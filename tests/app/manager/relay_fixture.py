"""A real relay subprocess with one shop and its owner, for the manager's tests."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

OWNER_EMAIL = "owner@boulangerie.example"
OWNER_PASSWORD = "croissant-2026"


@dataclass(frozen=True)
class Relay:
    url: str
    db_url: str


def _relay(*args: str, db_url: str) -> list[str]:
    return [sys.executable, "-m", "relay_server", *args, "--db", db_url]


@contextmanager
def running_relay(tmp_path: Path, *serve_args: str) -> Iterator[Relay]:
    """Provision a shop and its owner with the relay's CLI, then serve on a free port
    (``serve_args``: more options of ``relay serve``, such as ``--allow-signup``)."""
    db_url = f"sqlite:///{tmp_path / 'relay.db'}"
    subprocess.run(
        _relay(
            "add-owner",
            "--shop",
            "Boulangerie du Canal",
            "--email",
            OWNER_EMAIL,
            "--password",
            OWNER_PASSWORD,
            db_url=db_url,
        ),
        check=True,
        capture_output=True,
        timeout=60,
    )
    process = subprocess.Popen(
        _relay("serve", "--port", "0", *serve_args, db_url=db_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.fullmatch(r"listening on (\S+):(\d+)\n", line)
        assert match is not None, f"relay did not start: {line!r}"
        yield Relay(f"ws://{match.group(1)}:{match.group(2)}/", db_url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
