"""Finding the shop's other devices on the LAN with zeroconf (mDNS / DNS-SD).

A :class:`LanDiscovery` announces this device's LAN endpoint as
``_skytill._tcp.local.`` and browses for the others. The TXT record holds only
``v`` (protocol version), ``fp`` (:func:`~crdt_models.lan.shop_fingerprint`:
the same for every device of the shop, meaningless to anyone else) and ``id``
(a random id for this run, never the till's or the shop's id). An
announcement is only a hint of whom to dial: mDNS can be spoofed, and a link
is trusted only after the handshake of :mod:`crdt_models.lan.channel`.

Runs on the caller's asyncio loop; the callbacks run on it too.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import ifaddr
from zeroconf import IPVersion, ServiceStateChange, Zeroconf
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

__all__ = ["SERVICE_TYPE", "LanDiscovery", "PeerAnnouncement", "local_ipv4_addresses"]

logger = logging.getLogger(__name__)

SERVICE_TYPE = "_skytill._tcp.local."
PROTOCOL_VERSION = "1"
_RESOLVE_TIMEOUT_MS = 3000


@dataclass(frozen=True)
class PeerAnnouncement:
    """Another device of this shop announcing its LAN endpoint (not yet trusted)."""

    instance_id: str
    host: str
    port: int


def local_ipv4_addresses() -> list[str]:
    """This host's IPv4 addresses, loopback last (what the announcement lists)."""
    found: list[str] = []
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if isinstance(ip.ip, str) and ip.ip not in found:
                found.append(ip.ip)
    return sorted(found, key=lambda a: ipaddress.ip_address(a).is_loopback)


class LanDiscovery:
    """Announce our endpoint and report peers with the same shop fingerprint.

    ``on_peer(announcement)`` is called when a matching peer appears or
    changes, ``on_gone(instance_id)`` when it leaves; our own announcement is
    ignored. ``addresses`` defaults to :func:`local_ipv4_addresses`.
    """

    def __init__(
        self,
        *,
        port: int,
        fingerprint: str,
        instance_id: str,
        on_peer: Callable[[PeerAnnouncement], None],
        on_gone: Callable[[str], None],
        addresses: Sequence[str] | None = None,
    ) -> None:
        self.port = port
        self.fingerprint = fingerprint
        self.instance_id = instance_id
        self._on_peer = on_peer
        self._on_gone = on_gone
        self._addresses = list(addresses) if addresses is not None else None
        self._zc: AsyncZeroconf | None = None
        self._browser: AsyncServiceBrowser | None = None
        self._info: AsyncServiceInfo | None = None
        self._names: dict[str, str] = {}  # service name -> instance id of a matching peer
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def service_name(self) -> str:
        """Our service instance name."""
        return f"skytill-{self.instance_id}.{SERVICE_TYPE}"

    async def start(self) -> None:
        """Register our announcement and start browsing."""
        self._zc = AsyncZeroconf(ip_version=IPVersion.V4Only)
        self._info = self._service_info()
        await self._zc.async_register_service(self._info)
        self._browser = AsyncServiceBrowser(
            self._zc.zeroconf, SERVICE_TYPE, handlers=[self._on_change]
        )

    async def set_fingerprint(self, fingerprint: str) -> None:
        """Announce a new fingerprint (after the shop's LAN secret rotated)."""
        self.fingerprint = fingerprint
        if self._zc is None:
            return
        self._info = self._service_info()
        await self._zc.async_update_service(self._info)
        for name in list(self._names):
            self._on_gone(self._names.pop(name))

    async def close(self) -> None:
        """Withdraw our announcement and stop browsing."""
        zc, self._zc = self._zc, None
        if zc is None:
            return
        if self._browser is not None:
            await self._browser.async_cancel()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        with contextlib.suppress(Exception):
            await zc.async_unregister_all_services()
        await zc.async_close()

    def _service_info(self) -> AsyncServiceInfo:
        addresses = self._addresses or local_ipv4_addresses()
        return AsyncServiceInfo(
            SERVICE_TYPE,
            self.service_name,
            addresses=[socket.inet_aton(a) for a in addresses],
            port=self.port,
            properties={"v": PROTOCOL_VERSION, "fp": self.fingerprint, "id": self.instance_id},
            server=f"skytill-{self.instance_id}.local.",
        )

    def _on_change(
        self,
        zeroconf: Zeroconf,
        service_type: str,
        name: str,
        state_change: ServiceStateChange,
    ) -> None:
        if name == self.service_name:
            return
        if state_change is ServiceStateChange.Removed:
            instance = self._names.pop(name, None)
            if instance is not None:
                self._on_gone(instance)
            return
        task = asyncio.get_running_loop().create_task(self._resolve(zeroconf, service_type, name))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _resolve(self, zeroconf: Zeroconf, service_type: str, name: str) -> None:
        info = AsyncServiceInfo(service_type, name)
        if not await info.async_request(zeroconf, _RESOLVE_TIMEOUT_MS):
            return
        properties = {
            k.decode("utf-8", "replace"): (v or b"").decode("utf-8", "replace")
            for k, v in info.properties.items()
        }
        instance = properties.get("id", "")
        matching = (
            properties.get("v") == PROTOCOL_VERSION
            and properties.get("fp") == self.fingerprint
            and instance not in ("", self.instance_id)
            and info.port is not None
        )
        addresses = info.parsed_addresses(IPVersion.V4Only)
        if not matching or not addresses or info.port is None:
            gone = self._names.pop(name, None)
            if gone is not None:
                self._on_gone(gone)
            return
        self._names[name] = instance
        self._on_peer(PeerAnnouncement(instance, addresses[0], info.port))
