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


def test_a_purged_journal_verifies_with_partial_and_a_change_in_it_is_still_caught(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from crdt_models.journal import next_closing_body

    with DeviceStore.open(data_dir, till_id="till-9") as store:
        for day in range(2):  # day 1: sales 1-3, Z 4; day 2: sales 5-7, Z 8
            for i in range(3):
                store.validate_sale(make_sale_body, ts=DAY + day * 86_400 + i)
            body = next_closing_body(store.records(), "day", f"2025-11-{28 + day}")
            store.append("sales", "closing", body, ts=DAY + day * 86_400 + 3600)
        store.validate_sale(make_sale_body, ts=DAY + 2 * 86_400)  # 9
        store.record_journal_ack("relay", "till-9", "sales", 9)
        assert store.purge_journal("relay", DAY + 100 * 86_400) > 0
        kept = [r.seq for r in store.records()]
        public_key = store.identity.public_key.hex()
    assert kept[0] > 1  # the purge made a hole at the start (and maybe between closings)
    target = tmp_path / "kept.jsonl"
    assert run("journal", "export", "--data-dir", str(data_dir), str(target)) == 0
    capsys.readouterr()

    assert run("journal", "verify", str(target), "--public-key", public_key) == 1
    assert "verify such a file with --partial" in capsys.readouterr().out
    assert run("journal", "verify", str(target), "--public-key", public_key, "--partial") == 0
    out = capsys.readouterr().out
    assert f"OK: {len(kept)} records verified" in out and "partial" in out

    lines = target.read_bytes().splitlines()
    record = json.loads(lines[-1])
    record["body"]["total"] += 1  # a changed amount breaks the signature
    lines[-1] = json.dumps(record).encode()
    target.write_bytes(b"\n".join(lines) + b"\n")
    assert run("journal", "verify", str(target), "--public-key", public_key, "--partial") == 1
    assert f"BROKEN at record {kept[-1]}" in capsys.readouterr().out


def test_partial_refuses_records_out_of_order_or_of_another_chain(
    journal: tuple[Path, str], data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target, public_key = journal
    lines = target.read_bytes().splitlines()  # sales 1-4, each validly signed
    replayed = tmp_path / "replayed.jsonl"
    replayed.write_bytes(b"\n".join([*lines, lines[1]]) + b"\n")
    capsys.readouterr()
    assert run("journal", "verify", str(replayed), "--public-key", public_key, "--partial") == 1
    assert "BROKEN at record 2: out of order (after record 4)" in capsys.readouterr().out

    with DeviceStore.open(data_dir) as store:
        store.append("events", "login", event_body("login", cashier="c-1"), ts=DAY)
    events = tmp_path / "events.jsonl"
    args = ["--data-dir", str(data_dir), "--chain", "events", str(events)]
    assert run("journal", "export", *args) == 0
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_bytes(b"\n".join([*lines[:2], *events.read_bytes().splitlines()]) + b"\n")
    capsys.readouterr()
    assert run("journal", "verify", str(mixed), "--public-key", public_key, "--partial") == 1
    assert "BROKEN at record 1: another journal" in capsys.readouterr().out
