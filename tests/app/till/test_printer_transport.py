"""Sending to a printer: a real TCP server, a file standing for a USB device, and failures."""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path

import pytest
from printer_server import printer_server, refused_port

from app.core.store import DeviceStore
from app.till.printing.service import load_printer, save_printer
from app.till.printing.transport import (
    PrinterConfig,
    PrinterError,
    PrinterKind,
    Problem,
    send,
    send_device,
    send_network,
)

JOB = b"\x1b@hello \xd5\n\x1dV\x01"


def test_a_network_printer_receives_exactly_the_bytes() -> None:
    with printer_server() as server:
        send(PrinterConfig.parse(server.spec), JOB, timeout=30)
        send_network(server.host, server.port, JOB * 5000, timeout=30)  # 60 kB
        assert server.wait_jobs(2) == [JOB, JOB * 5000]


def test_refused_connection_is_a_clear_error() -> None:
    port = refused_port()
    with pytest.raises(PrinterError) as caught:
        send_network("127.0.0.1", port, JOB, timeout=30)
    assert caught.value.problem is Problem.REFUSED
    assert caught.value.place == f"127.0.0.1:{port}"


def test_a_printer_that_never_reads_times_out() -> None:
    with printer_server(reading=False) as server:
        with pytest.raises(PrinterError) as caught:
            send_network(server.host, server.port, JOB, timeout=0.5)
        assert server.accepted.is_set()
    assert caught.value.problem is Problem.TIMEOUT


def test_unknown_host_is_unreachable() -> None:
    with pytest.raises(PrinterError) as caught:
        send_network("printer.invalid", 9100, JOB, timeout=5)
    assert caught.value.problem is Problem.UNREACHABLE


def test_device_file(tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    device.write_bytes(b"")  # the device node exists
    send(PrinterConfig.parse(str(device)), JOB)
    send_device(str(device), JOB)  # appended, never truncated
    assert device.read_bytes() == JOB + JOB


def test_missing_device_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "usb" / "lp0"
    with pytest.raises(PrinterError) as caught:
        send_device(str(missing), JOB)
    assert caught.value.problem is Problem.NO_DEVICE and caught.value.place == str(missing)
    existing_dir_missing_file = tmp_path / "lp1"
    with pytest.raises(PrinterError):
        send_device(str(existing_dir_missing_file), JOB)
    assert not existing_dir_missing_file.exists()


def _as_nobody(device: Path) -> int:
    """Try ``device`` in a forked child that became the user nobody: 0 if refused for
    permission, 1 if written, 2 for another error (root may write anywhere)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads (3.12+)
        pid = os.fork()
    if pid == 0:  # the child: only this, then _exit
        code = 2
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            send_device(str(device), JOB)
            code = 1
        except PrinterError as exc:
            code = 0 if exc.problem is Problem.PERMISSION else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def test_device_without_permission() -> None:
    """A device the till may not write: PERMISSION, and nothing written."""
    with tempfile.TemporaryDirectory() as folder:  # in /tmp, which nobody can reach
        os.chmod(folder, 0o755)
        device = Path(folder) / "lp0"
        device.write_bytes(b"")
        device.chmod(0o444)
        if os.geteuid() == 0:
            assert _as_nobody(device) == 0 and device.read_bytes() == b""
            device.chmod(0o666)  # the control: the same user reaches a writable device
            assert _as_nobody(device) == 1 and device.read_bytes() == JOB
        else:
            with pytest.raises(PrinterError) as caught:
                send_device(str(device), JOB)
            assert caught.value.problem is Problem.PERMISSION
            assert device.read_bytes() == b""


@pytest.mark.parametrize(
    ("spec", "kind", "target"),
    [
        ("tcp://192.168.1.50:9100", PrinterKind.NETWORK, "tcp://192.168.1.50:9100"),
        ("tcp://printer.local", PrinterKind.NETWORK, "tcp://printer.local:9100"),
        ("tcp://[fe80::1]:9101", PrinterKind.NETWORK, "tcp://[fe80::1]:9101"),
        ("/dev/usb/lp0", PrinterKind.DEVICE, "/dev/usb/lp0"),
        ("none", PrinterKind.NONE, "none"),
        ("", PrinterKind.NONE, "none"),
    ],
)
def test_printer_specs(spec: str, kind: PrinterKind, target: str) -> None:
    config = PrinterConfig.parse(spec, columns=32)
    assert (config.kind, config.target, config.columns) == (kind, target, 32)
    assert PrinterConfig.from_json(config.to_json()) == config


@pytest.mark.parametrize(
    "spec", ["lp0", "tcp://host:port", "tcp://host:70000", "tcp://:9100", "http://x"]
)
def test_bad_printer_specs(spec: str) -> None:
    with pytest.raises(ValueError):
        PrinterConfig.parse(spec)


def test_the_printer_is_kept_in_the_device_store(tmp_path: Path) -> None:
    with DeviceStore.open(tmp_path / "till") as store:
        assert load_printer(store) == PrinterConfig()  # never set: PDF
        save_printer(store, PrinterConfig.parse("tcp://10.0.0.7:9100", columns=32))
    with DeviceStore.open(tmp_path / "till") as store:  # survives a restart
        assert load_printer(store).target == "tcp://10.0.0.7:9100"
        assert load_printer(store).columns == 32
        store.set_device_setting("printer", "{not json")
        assert load_printer(store) == PrinterConfig()  # unreadable: PDF, no crash
        with pytest.raises(ValueError):
            store.set_device_setting("format", "x")  # the store's own marker
