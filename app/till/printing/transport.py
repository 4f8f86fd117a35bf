"""Where a till's receipt printer is, and how bytes get to it.

A :class:`PrinterConfig` is local to the device (it is hardware): none (PDF
and preview), a network printer (raw TCP, port 9100 by default) or a device
file (a USB printer such as ``/dev/usb/lp0``). :func:`send` delivers bytes or
raises :class:`PrinterError` saying what went wrong in terms a cashier can act
on; it never waits longer than its timeout. It blocks: call it off the GUI
thread. Pure: no Qt.
"""

from __future__ import annotations

import errno
import json
import os
import select
import socket
import time
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "DEFAULT_PORT",
    "PrinterConfig",
    "PrinterError",
    "PrinterKind",
    "Problem",
    "send",
    "send_device",
    "send_network",
]

DEFAULT_PORT = 9100
COLUMNS = (32, 42, 48)  # 58 mm paper; 80 mm with the small font; 80 mm


class PrinterKind(StrEnum):
    NONE = "none"
    NETWORK = "network"
    DEVICE = "device"


@dataclass(frozen=True, slots=True)
class PrinterConfig:
    """This till's receipt printer. :meth:`parse` reads ``tcp://host:port`` or a path."""

    kind: PrinterKind = PrinterKind.NONE
    host: str = ""
    port: int = DEFAULT_PORT
    path: str = ""
    columns: int = 48

    def __post_init__(self) -> None:
        if self.columns not in COLUMNS:
            raise ValueError(f"a receipt printer has {', '.join(map(str, COLUMNS))} columns")
        if self.kind is PrinterKind.NETWORK:
            if not self.host or any(c in self.host for c in " /"):
                raise ValueError("a network printer needs a host name or an IP address")
            if not 0 < self.port < 65536:
                raise ValueError(f"port {self.port} is not between 1 and 65535")
        if self.kind is PrinterKind.DEVICE and not self.path:
            raise ValueError("a printer device needs a path such as /dev/usb/lp0")

    @classmethod
    def parse(cls, spec: str, columns: int = 48) -> PrinterConfig:
        """``tcp://192.168.1.50:9100``, ``tcp://printer.local`` (port 9100),
        ``/dev/usb/lp0``, or ``none`` / empty for no printer; raises ValueError."""
        spec = spec.strip()
        if spec in ("", "none"):
            return cls(columns=columns)
        if spec.startswith("tcp://"):
            address = spec.removeprefix("tcp://").rstrip("/")
            if address.startswith("["):  # [IPv6]:port
                host, _, rest = address[1:].partition("]")
                port = rest.removeprefix(":") or str(DEFAULT_PORT)
            elif address.count(":") == 1:
                host, _, port = address.partition(":")
            else:  # a host name or an address without a port
                host, port = address, str(DEFAULT_PORT)
            if not port.isdigit():
                raise ValueError(f"{port!r} is not a port number")
            return cls(PrinterKind.NETWORK, host=host, port=int(port), columns=columns)
        if spec.startswith("/"):
            return cls(PrinterKind.DEVICE, path=spec, columns=columns)
        raise ValueError(f"{spec!r} is neither tcp://HOST:PORT nor a path such as /dev/usb/lp0")

    @property
    def target(self) -> str:
        """Where it prints, as :meth:`parse` reads it (also what messages show)."""
        if self.kind is PrinterKind.NETWORK:
            host = f"[{self.host}]" if ":" in self.host else self.host
            return f"tcp://{host}:{self.port}"
        if self.kind is PrinterKind.DEVICE:
            return self.path
        return "none"

    @property
    def place(self) -> str:
        """The printer's address as a person reads it: ``192.168.1.50:9100`` or the path."""
        return self.target.removeprefix("tcp://")

    def to_json(self) -> str:
        return json.dumps({"target": self.target, "columns": self.columns}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> PrinterConfig:
        """Read :meth:`to_json`'s output; raises ValueError on anything else."""
        try:
            data = json.loads(text)
            return cls.parse(str(data["target"]), int(data["columns"]))
        except (KeyError, TypeError, json.JSONDecodeError) as exc:
            raise ValueError(f"unreadable printer setting: {exc}") from exc


class Problem(StrEnum):
    """Why printing failed (each has its own message for the cashier)."""

    REFUSED = "refused"  # nothing listens there (printer off, wrong port)
    UNREACHABLE = "unreachable"  # no route, unknown host, connection timed out
    TIMEOUT = "timeout"  # connected, but the printer did not take the ticket in time
    NO_DEVICE = "no_device"
    PERMISSION = "permission"
    OTHER = "other"


class PrinterError(Exception):
    """Printing to ``place`` failed because of ``problem`` (``detail``: the system's words)."""

    def __init__(self, problem: Problem, place: str, detail: str = "") -> None:
        super().__init__(f"{place}: {problem.value}{f' ({detail})' if detail else ''}")
        self.problem, self.place, self.detail = problem, place, detail


def send(config: PrinterConfig, data: bytes, timeout: float = 10.0) -> None:
    """Deliver ``data`` to the printer of ``config`` within ``timeout`` seconds."""
    if config.kind is PrinterKind.NETWORK:
        send_network(config.host, config.port, data, timeout)
    elif config.kind is PrinterKind.DEVICE:
        send_device(config.path, data, timeout)
    else:
        raise ValueError("no receipt printer is configured")


def send_network(host: str, port: int, data: bytes, timeout: float = 10.0) -> None:
    """Send ``data`` over raw TCP, then wait for the printer to close the connection.

    Like CUPS's socket backend (``waiteof``), the job is done only when the
    printer has read everything: after sending we half-close and wait for its
    end of stream. A printer that accepts but does not read (paper out, cover
    open, jammed) times out instead of being reported as printed.
    """
    place = f"{host}:{port}"
    deadline = time.monotonic() + timeout
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            try:
                sock.settimeout(_left(deadline, place))
                sock.sendall(data)
                sock.shutdown(socket.SHUT_WR)
                while True:
                    sock.settimeout(_left(deadline, place))
                    if not sock.recv(256):  # status bytes some printers send: ignored
                        return
            except TimeoutError as exc:
                raise PrinterError(Problem.TIMEOUT, place) from exc
    except PrinterError:
        raise
    except ConnectionRefusedError as exc:
        raise PrinterError(Problem.REFUSED, place) from exc
    except (TimeoutError, socket.gaierror) as exc:
        raise PrinterError(Problem.UNREACHABLE, place, _reason(exc)) from exc
    except OSError as exc:
        raise PrinterError(Problem.OTHER, place, _reason(exc)) from exc


def send_device(path: str, data: bytes, timeout: float = 10.0) -> None:
    """Append ``data`` to the device file ``path`` (never created: a missing
    device is an error, not a new file); gives up after ``timeout`` seconds
    when the device stops taking bytes (printer off line)."""
    deadline = time.monotonic() + timeout
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError as exc:
        raise PrinterError(Problem.NO_DEVICE, path) from exc
    except PermissionError as exc:
        raise PrinterError(Problem.PERMISSION, path) from exc
    except OSError as exc:
        raise _device_error(exc, path) from exc
    try:
        view = memoryview(data)
        while view:
            _, ready, _ = select.select([], [fd], [], _left(deadline, path))
            if not ready:
                raise PrinterError(Problem.TIMEOUT, path)
            try:
                view = view[os.write(fd, view) :]
            except BlockingIOError:
                continue
    except OSError as exc:
        raise _device_error(exc, path) from exc
    finally:
        os.close(fd)


def _device_error(exc: OSError, path: str) -> PrinterError:
    """No device behind the file (unplugged, switched off) or another failure."""
    if exc.errno in (errno.ENODEV, errno.ENXIO, errno.ENOENT):
        return PrinterError(Problem.NO_DEVICE, path)
    return PrinterError(Problem.OTHER, path, _reason(exc))


def _left(deadline: float, place: str) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise PrinterError(Problem.TIMEOUT, place)
    return left


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__
