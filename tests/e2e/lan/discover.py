"""Run zeroconf discovery in a namespace: ``discover.py PORT FINGERPRINT ADDRESS``.

Announces ``_skytill._tcp.local.`` and prints one JSON line per peer event
(``{"peer": id, "host": ..., "port": ...}`` or ``{"gone": id}``) after a first
``{"ready": instance_id}`` line; runs until stdin closes. Not a test module.
"""

from __future__ import annotations

import asyncio
import json
import sys

from app.core.lan.discovery import LanDiscovery, PeerAnnouncement
from crdt_models.lan import new_instance_id


def say(obj: object) -> None:
    print(json.dumps(obj), flush=True)


async def main() -> None:
    port, fingerprint, address = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    instance = new_instance_id()

    def on_peer(peer: PeerAnnouncement) -> None:
        say({"peer": peer.instance_id, "host": peer.host, "port": peer.port})

    discovery = LanDiscovery(
        port=port,
        fingerprint=fingerprint,
        instance_id=instance,
        on_peer=on_peer,
        on_gone=lambda gone: say({"gone": gone}),
        addresses=[address],
    )
    await discovery.start()
    say({"ready": instance})
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)
    await discovery.close()


if __name__ == "__main__":
    asyncio.run(main())
