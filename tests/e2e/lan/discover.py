"""Run zeroconf discovery in a namespace: ``discover.py PORT FINGERPRINT ADDRESS``.

Announces ``_skytill._tcp.local.`` and prints one JSON line per peer event
(``{"peer": id, "host": ..., "port": ...}`` or ``{"gone": id}``) after
``{"starting": instance_id}`` and ``{"ready": instance_id}`` lines, each with
``t`` (``time.monotonic()``); runs until stdin closes. Not a test module.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

from app.core.lan.discovery import LanDiscovery, PeerAnnouncement
from crdt_models.lan import new_instance_id


def say(obj: dict[str, object]) -> None:
    """One JSON line, stamped with the system-wide monotonic clock (the same in every netns)."""
    print(json.dumps({**obj, "t": time.monotonic()}), flush=True)


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
    say({"starting": instance})
    await discovery.start()
    say({"ready": instance})
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)
    await discovery.close()


if __name__ == "__main__":
    asyncio.run(main())
