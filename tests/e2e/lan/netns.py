"""A throwaway LAN of Linux network namespaces on one bridge (for zeroconf tests, as root).

``with NetnsLan(["relay", "a", "b"]) as lan:`` creates one namespace per host
plus one holding the bridge, each host with ``eth0`` at ``10.77.<n>.<i>/24``
and a multicast route (mDNS works across the bridge), and deletes every
namespace on exit, even after a failure (deleting a namespace removes its
veth ends). :func:`netns_unavailable` says why the tests must skip, if they must.
Not a test module.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Sequence
from types import TracebackType

__all__ = ["NetnsLan", "netns_unavailable"]


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True)


def netns_unavailable() -> str | None:
    """None if namespaces can be made here, else the reason to skip."""
    if os.geteuid() != 0:
        return "network namespace tests need root (CI runs them as root)"
    if shutil.which("ip") is None:
        return "iproute2 (the ip command) is not installed"
    probe = f"skl-probe-{uuid.uuid4().hex[:6]}"
    try:
        _ip("netns", "add", probe)
    except subprocess.CalledProcessError as exc:
        return f"cannot create a network namespace: {exc.stderr.strip()}"
    _ip("netns", "del", probe)
    return None


class NetnsLan:
    """Namespaces ``<prefix>-<host>`` on a bridge; ``address(host)`` is the host's IPv4."""

    def __init__(self, hosts: Sequence[str], subnet: int = 77) -> None:
        self.prefix = f"skl{uuid.uuid4().hex[:5]}"
        self.hosts = list(hosts)
        self.subnet = subnet
        self.bridge_ns = f"{self.prefix}-br"
        self._made: list[str] = []

    def ns(self, host: str) -> str:
        """The namespace name of ``host``."""
        return f"{self.prefix}-{host}"

    def address(self, host: str) -> str:
        """``host``'s IPv4 address on the LAN."""
        return f"10.{self.subnet}.0.{self.hosts.index(host) + 1}"

    def __enter__(self) -> NetnsLan:
        try:
            self._build()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _add_ns(self, name: str) -> None:
        _ip("netns", "add", name)
        self._made.append(name)
        _ip("-n", name, "link", "set", "lo", "up")

    def _build(self) -> None:
        self._add_ns(self.bridge_ns)
        _ip("-n", self.bridge_ns, "link", "add", "br0", "type", "bridge")
        _ip("-n", self.bridge_ns, "link", "set", "br0", "up")
        for index, host in enumerate(self.hosts):
            ns = self.ns(host)
            self._add_ns(ns)
            outer, inner = f"{self.prefix}o{index}", f"{self.prefix}i{index}"
            _ip("link", "add", inner, "type", "veth", "peer", "name", outer)
            _ip("link", "set", inner, "netns", ns)
            _ip("link", "set", outer, "netns", self.bridge_ns)
            _ip("-n", self.bridge_ns, "link", "set", outer, "master", "br0", "up")
            _ip("-n", ns, "link", "set", inner, "name", "eth0")
            _ip("-n", ns, "addr", "add", f"{self.address(host)}/24", "dev", "eth0")
            _ip("-n", ns, "link", "set", "eth0", "multicast", "on", "up")
            _ip("-n", ns, "route", "add", "224.0.0.0/4", "dev", "eth0")

    def command(self, host: str, argv: Sequence[str]) -> list[str]:
        """``argv`` to run inside ``host``'s namespace."""
        return ["ip", "netns", "exec", self.ns(host), *argv]

    def cut(self, host: str, target: str) -> None:
        """Drop every packet from ``host`` to ``target`` (the "internet" is down)."""
        _ip("-n", self.ns(host), "route", "add", "blackhole", f"{self.address(target)}/32")

    def restore(self, host: str, target: str) -> None:
        """Undo :meth:`cut`."""
        _ip("-n", self.ns(host), "route", "del", "blackhole", f"{self.address(target)}/32")

    def close(self) -> None:
        """Delete every namespace made (their veths go with them). Safe to call twice."""
        while self._made:
            name = self._made.pop()
            subprocess.run(["ip", "netns", "del", name], capture_output=True, check=False)
