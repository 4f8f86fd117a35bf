"""A real raw-TCP "printer" on 127.0.0.1 (port 0) for the printing tests.

It behaves like a port-9100 printer: reads a job until the client half-closes,
keeps the bytes, closes. ``reading=False`` makes a printer that accepts the
connection and never reads (paper out, cover open). Helpers also decode what
an ESC/POS job prints, to check its text and its commands.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from app.till.printing.escpos import ENCODING

ESC, GS = 0x1B, 0x1D


@dataclass
class PrinterServer:
    host: str
    port: int
    jobs: list[bytes] = field(default_factory=list)
    accepted: threading.Event = field(default_factory=threading.Event)
    received: threading.Condition = field(default_factory=threading.Condition)

    @property
    def spec(self) -> str:
        return f"tcp://{self.host}:{self.port}"

    def wait_jobs(self, n: int, timeout: float = 30.0) -> list[bytes]:
        """The first ``n`` jobs, once received (fails after ``timeout`` seconds)."""
        with self.received:
            assert self.received.wait_for(lambda: len(self.jobs) >= n, timeout), self.jobs
            return list(self.jobs[:n])


@contextmanager
def printer_server(*, reading: bool = True) -> Iterator[PrinterServer]:
    listener = socket.create_server(("127.0.0.1", 0))
    server = PrinterServer("127.0.0.1", listener.getsockname()[1])
    stop = threading.Event()
    held: list[socket.socket] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            server.accepted.set()
            if not reading:
                held.append(conn)  # never read: the client's send must time out
                continue
            with conn:
                chunks = []
                while chunk := conn.recv(65536):
                    chunks.append(chunk)
            with server.received:
                server.jobs.append(b"".join(chunks))
                server.received.notify_all()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        stop.set()
        with contextlib.suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        listener.close()
        thread.join(10)
        for conn in held:
            conn.close()


def refused_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Printed:
    """What a job prints: its lines (``big`` ones at double size) and its commands."""

    lines: list[tuple[str, bool]]
    commands: list[bytes]

    @property
    def text(self) -> str:
        return "\n".join(line for line, _ in self.lines)


def decode_job(data: bytes) -> Printed:
    """Split an ESC/POS job into printed lines and commands (the ones the renderer uses)."""
    lines: list[tuple[str, bool]] = []
    commands: list[bytes] = []
    current = bytearray()
    big = False
    i = 0
    while i < len(data):
        byte = data[i]
        if byte == ESC:
            size = 2 if data[i + 1] == ord("@") else 3  # ESC @ | ESC t n, ESC E n, ESC d n
            commands.append(data[i : i + size])
            i += size
        elif byte == GS:
            size = 3  # GS ! n, GS V n
            command = data[i : i + size]
            commands.append(command)
            if command[1] == ord("!"):
                big = command[2] != 0
            i += size
        elif byte == 0x0A:
            lines.append((current.decode(ENCODING), big))
            current.clear()
            i += 1
        else:
            current.append(byte)
            i += 1
    assert not current, f"text after the last line feed: {bytes(current)!r}"
    return Printed(lines, commands)
