"""``skytill journal export`` / ``verify`` on a real store."""

from __future__ import annotations

import argparse
import json
from functools import partial
from pathlib import Path

import pytest
from store_samples import make_sale_body

from app.core.cli import register
from app.core.store import DeviceStore
from crdt_models.journal import event_body

DAY = 1_764_316_800


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="skytill")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return int(args.handler(args))


@pytest.fixture
def journal(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:
    """A till with 4 sales exported to a file; (file, public key hex)."""
    with DeviceStore.open(data_dir, till_id="till-9") as store:
        for i in range(4):
            store.validate_sale(partial(make_sale_body, price=100 * (i + 1)), ts=DAY)
        public_key = store.identity.public_key.hex()
    target = tmp_path / "journal.jsonl"
    assert run("journal", "export", "--data-dir", str(data_dir), str(target)) == 0
    return target, public_key


def test_export_writes_canonical_lines_and_verify_says_ok(
    journal: tuple[Path, str], data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target, public_key = journal
    out = capsys.readouterr().out
    assert "exported 4 records of journal till-9/sales" in out
    assert f"public key: {public_key}" in out
    lines = target.read_bytes().splitlines()
    assert [json.loads(line)["seq"] for line in lines] == [1, 2, 3, 4]
    assert run("journal", "verify", str(target), "--public-key", public_key) == 0
    out = capsys.readouterr().out
    assert "OK: 4 records verified (till-9/sales)" in out
    # 4 sales of 100..400 cents of coffee plus 3.00 of buns each
    assert "grand total: 22.00 (absolute 22.00)" in out
    assert run("journal", "verify", str(target), "--data-dir", str(data_dir)) == 0


def test_verify_names_the_first_broken_record(
    journal: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    target, public_key = journal
    lines = target.read_bytes().splitlines()
    lines[2] = lines[2].replace(b'"cashier":"cashier-1"', b'"cashier":"cashier-2"')
    target.write_bytes(b"\n".join(lines) + b"\n")
    capsys.readouterr()
    assert run("journal", "verify", str(target), "--public-key", public_key) == 1
    out = capsys.readouterr().out
    assert "BROKEN at record 3: edited" in out
    assert "2 records verified before it" in out


def test_verify_refuses_a_malformed_key(
    journal: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    target, _ = journal
    assert run("journal", "verify", str(target), "--public-key", "abc") == 2
    assert "64 hex digits" in capsys.readouterr().err


def test_the_events_chain_exports_and_verifies_on_its_own(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with DeviceStore.open(data_dir, till_id="till-9") as store:
        store.validate_sale(make_sale_body, ts=DAY)
        for cashier in ("ann", "bob"):
            store.append("events", "login", event_body("login", cashier=cashier), ts=DAY)
    target = tmp_path / "events.jsonl"
    export = ("journal", "export", "--data-dir", str(data_dir), "--chain", "events", str(target))
    assert run(*export) == 0
    assert run("journal", "verify", str(target), "--data-dir", str(data_dir)) == 0
    assert "OK: 2 records verified (till-9/events)" in capsys.readouterr().out
