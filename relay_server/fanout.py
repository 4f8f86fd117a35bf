"""Fan-out between relay processes: every stored update reaches the other processes' rooms.

One small interface, two backends that pass one conformance suite:

- :class:`InProcessFanOut` -- instances attached to one :class:`InProcessHub`
  (a single relay process has one instance: nothing to forward).
- :class:`RedisFanOut` -- Redis pub/sub, for several relay processes over one
  PostgreSQL database.

Contract: :meth:`FanOut.publish` is called by the process that *stored* the
update; every *other* started instance gets ``deliver(shop_id, doc, update)``,
in publication order per publisher; the publisher never gets its own. A
receiver applies the update to the room it holds for that shop (if any) with
the typed origin :data:`REMOTE_RELAY`, fans it out locally and does not store
it again. A lost Redis connection is reconnected with backoff; what was published
while it was down does not reach this process's rooms (their clients get it at
their next connection, from storage). Revocations travel through the database (see
``RelayServer._watch_revocations``), not through here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from crdt_models.sync import PeerOrigin
from crdt_models.sync.errors import FrameError
from crdt_models.sync.wire import Reader, write_var_bytes, write_var_string

__all__ = [
    "REMOTE_RELAY",
    "Deliver",
    "FanOut",
    "InProcessFanOut",
    "InProcessHub",
    "RedisFanOut",
    "decode_message",
    "encode_message",
]

logger = logging.getLogger(__name__)

#: The transaction origin of updates that came from another relay process.
REMOTE_RELAY = PeerOrigin("remote-relay")

Deliver = Callable[[str, str, bytes], None]

_MAX_NAME = 256
#: Seconds before the first attempt to reconnect a lost Redis subscription, and the most.
_RECONNECT_FIRST = 0.1
_RECONNECT_MAX = 5.0


def encode_message(instance_id: str, shop_id: str, doc: str, update: bytes) -> bytes:
    """The bytes one fan-out message travels as."""
    return (
        write_var_string(instance_id)
        + write_var_string(shop_id)
        + write_var_string(doc)
        + write_var_bytes(update)
    )


def decode_message(data: bytes) -> tuple[str, str, str, bytes]:
    """(instance id, shop id, doc, update); raises FrameError on malformed bytes."""
    reader = Reader(data)
    instance = reader.read_var_string("instance", _MAX_NAME)
    shop = reader.read_var_string("shop", _MAX_NAME)
    doc = reader.read_var_string("doc", _MAX_NAME)
    update = reader.read_var_bytes("update", len(data))
    reader.finish("fan-out message")
    return instance, shop, doc, update


class FanOut(ABC):
    """One relay process's end of the fan-out bus."""

    def __init__(self) -> None:
        self.instance_id = uuid.uuid4().hex

    @abstractmethod
    async def start(self, deliver: Deliver) -> None:
        """Start receiving the other instances' updates; returns once subscribed."""

    @abstractmethod
    async def publish(self, shop_id: str, doc: str, update: bytes) -> None:
        """Send a stored update to the other instances."""

    @abstractmethod
    async def close(self) -> None:
        """Stop receiving and release connections."""


class InProcessHub:
    """Connects the :class:`InProcessFanOut` instances of one process."""

    def __init__(self) -> None:
        self.members: list[InProcessFanOut] = []


class InProcessFanOut(FanOut):
    """Fan-out between instances sharing one hub (by default, a hub of its own)."""

    def __init__(self, hub: InProcessHub | None = None) -> None:
        super().__init__()
        self.hub = hub or InProcessHub()
        self._deliver: Deliver | None = None

    async def start(self, deliver: Deliver) -> None:
        self._deliver = deliver
        self.hub.members.append(self)

    async def publish(self, shop_id: str, doc: str, update: bytes) -> None:
        for member in list(self.hub.members):
            if member is not self and member._deliver is not None:
                member._deliver(shop_id, doc, update)

    async def close(self) -> None:
        if self in self.hub.members:
            self.hub.members.remove(self)
        self._deliver = None


class RedisFanOut(FanOut):
    """Fan-out over Redis pub/sub: one channel per shop, ``<prefix>:shop:<shop id>``."""

    def __init__(self, url: str, prefix: str = "skytill") -> None:
        super().__init__()
        self.url = url
        self.prefix = prefix
        self._redis: Any = None
        self._pubsub: Any = None
        self._task: asyncio.Task[None] | None = None

    def _channel(self, shop_id: str) -> str:
        return f"{self.prefix}:shop:{shop_id}"

    async def start(self, deliver: Deliver) -> None:
        import redis.asyncio as redis

        self._redis = redis.Redis.from_url(self.url)
        self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        await self._pubsub.psubscribe(f"{self.prefix}:shop:*")
        self._task = asyncio.create_task(self._listen(deliver))

    async def _listen(self, deliver: Deliver) -> None:
        """Receive until closed; a lost Redis connection is reconnected (and resubscribed)."""
        from redis.exceptions import ConnectionError, TimeoutError

        delay = _RECONNECT_FIRST
        while True:
            try:
                async for message in self._pubsub.listen():
                    delay = _RECONNECT_FIRST
                    self._receive(message, deliver)
            except (ConnectionError, TimeoutError, OSError) as exc:
                logger.warning(
                    "fan-out: Redis connection lost (%s), reconnecting in %g s", exc, delay
                )
                await asyncio.sleep(delay)
                delay = min(2 * delay, _RECONNECT_MAX)

    def _receive(self, message: dict[str, Any], deliver: Deliver) -> None:
        if message.get("type") != "pmessage":
            return
        try:
            instance, shop, doc, update = decode_message(message["data"])
        except FrameError as exc:
            logger.warning("malformed fan-out message ignored: %s", exc)
            return
        if instance == self.instance_id:
            return
        if message["channel"].decode() != self._channel(shop):
            logger.warning("fan-out message for shop %s on another channel ignored", shop)
            return
        deliver(shop, doc, update)

    async def publish(self, shop_id: str, doc: str, update: bytes) -> None:
        data = encode_message(self.instance_id, shop_id, doc, update)
        await self._redis.publish(self._channel(shop_id), data)

    async def close(self) -> None:
        task, pubsub, client = self._task, self._pubsub, self._redis
        self._task = self._pubsub = self._redis = None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if pubsub is not None:
            await pubsub.aclose()
        if client is not None:
            await client.aclose()
