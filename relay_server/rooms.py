"""Rooms: the four shared documents of one shop, in memory, and the links that sync them.

A shop's room is loaded from storage when its first connection arrives (once,
however many arrive together) and leaves memory ``room_idle_seconds`` after its
last one closes. Every accepted update goes through :meth:`Room.commit`: it is
appended to storage, then fanned out at once to every *other* link of the same
room (the link it came from is its origin: no echo), then published to the
other relay processes (:mod:`relay_server.fanout`), which apply it to their
room of that shop with the origin ``REMOTE_RELAY`` and fan it out, unstored. Rooms are keyed by shop
id, so nothing crosses shops.

If the memory and the storage of a room could disagree (an update applied but
not stored: storage failure, quota), the room is *discarded*: every link is
closed and the next connection reloads it from storage.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol

from pycrdt import Doc, Map

from crdt_models.documents import RELAY, SettingsDocument
from crdt_models.errors import ValidationError
from crdt_models.sync import InvalidUpdateError
from crdt_models.sync.guard import apply_guarded
from relay_server.errors import RelayError
from relay_server.fanout import REMOTE_RELAY, FanOut
from relay_server.storage import DOC_NAMES, Storage, TillInfo

__all__ = ["Link", "QuotaExceeded", "Room", "RoomFull", "RoomRegistry"]

logger = logging.getLogger(__name__)


class RoomFull(RelayError):
    """The shop already has its maximum number of connections."""


class QuotaExceeded(RelayError):
    """A document of the shop is over its storage quota."""


class Link(Protocol):
    """One connection in a room, as the room sees it."""

    label: str

    def deliver(self, doc: str, update: bytes) -> None:
        """Queue ``update`` of ``doc`` for the peer (never blocks)."""

    def deliver_awareness(self, doc: str, message: bytes) -> None:
        """Queue a y-websocket awareness message about ``doc`` (links without awareness drop it)."""

    def close(self, code: int, reason: str) -> None:
        """Close the connection (never blocks)."""


class Room:
    """The in-memory documents of one shop and its live links."""

    def __init__(self, registry: RoomRegistry, shop_id: str, docs: dict[str, Doc[Any]]) -> None:
        self.registry = registry
        self.shop_id = shop_id
        self.docs = docs
        self.links: set[Link] = set()
        self.stored_bytes: dict[str, int] = {}
        self._appended: dict[str, int] = dict.fromkeys(docs, 0)
        self._compacting: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self.discarded = False

    async def commit(self, doc: str, update: bytes, source: Link | None) -> None:
        """Store an update already applied to ``self.docs[doc]``, then fan it out.

        ``source`` is the link it came from (it is not sent back there). On a
        storage failure or a quota overrun the room is discarded and the error
        re-raised.
        """
        storage = self.registry.storage
        quota = self.registry.max_doc_bytes
        try:
            if self.stored_bytes.get(doc, 0) + len(update) > quota:
                raise QuotaExceeded(f"document {doc!r} of this shop is over its storage quota")
            await asyncio.to_thread(storage.documents.append, self.shop_id, doc, update)
        except Exception as exc:
            reason = str(exc) if isinstance(exc, QuotaExceeded) else "storage failure"
            logger.error("shop %s: could not store an update of %s: %s", self.shop_id, doc, exc)
            self.discard(1011 if reason == "storage failure" else 1008, reason)
            raise
        self.stored_bytes[doc] = self.stored_bytes.get(doc, 0) + len(update)
        self.fan_out(doc, update, source)
        await self.registry.publish(self.shop_id, doc, update)
        self._appended[doc] += 1
        if self._appended[doc] >= self.registry.compact_every and doc not in self._compacting:
            self._appended[doc] = 0
            self._compacting.add(doc)
            task = asyncio.create_task(self._compact(doc))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def list_till(self, till: TillInfo) -> None:
        """Make sure the shop's settings list ``till`` under its account id and number.

        Tills are provisioned in the relay's accounts (``add-till``, the
        manager's "add a till"); the settings document is where a till reads
        its own number for its ticket numbers, so the relay lists it there the
        first time the till logs in. A number already taken by another listed
        till is left for the owner to fix (logged), never overwritten.
        """
        settings = self.docs["settings"]
        if till.id in settings.get("tills", type=Map):
            return
        before = settings.get_state()
        try:
            SettingsDocument(settings).create_till(
                name=till.name, number=till.number, origin=RELAY, till_id=till.id
            )
        except ValidationError as exc:
            logger.warning("shop %s: till %s not in settings: %s", self.shop_id, till.id, exc)
            return
        await self.commit("settings", settings.get_update(before), None)

    def fan_out(self, doc: str, update: bytes, source: Link | None) -> None:
        """Send ``update`` to every link but ``source``."""
        for link in list(self.links):
            if link is not source:
                link.deliver(doc, update)

    def broadcast_awareness(self, doc: str, message: bytes) -> None:
        """Send an awareness message to every link of the room, its sender included.

        Awareness (cursors, presence) is not stored. The echo keeps a y-websocket
        provider's connection alive: it reconnects after 30 s without a message.
        """
        for link in list(self.links):
            link.deliver_awareness(doc, message)

    def discard(self, code: int, reason: str) -> None:
        """Close every link and forget this room (its storage is the truth)."""
        if self.discarded:
            return
        self.discarded = True
        self.registry.forget(self)
        for link in list(self.links):
            link.close(code, reason)
        self.links.clear()

    async def _compact(self, doc: str) -> None:
        try:
            await asyncio.to_thread(self.registry.storage.documents.compact, self.shop_id, doc)
            size = await asyncio.to_thread(self._stored_size, doc)
            self.stored_bytes[doc] = size
        except Exception:
            logger.exception("shop %s: compaction of %s failed", self.shop_id, doc)
        finally:
            self._compacting.discard(doc)

    def _stored_size(self, doc: str) -> int:
        return sum(len(u) for u in self.registry.storage.documents.load(self.shop_id, doc))


def _load_doc(
    storage: Storage, shop_id: str, name: str, compact_every: int
) -> tuple[Doc[Any], int]:
    if storage.documents.count(shop_id, name) > compact_every:
        storage.documents.compact(shop_id, name)
    updates = storage.documents.load(shop_id, name)
    doc: Doc[Any] = Doc()
    for update in updates:
        try:
            doc.apply_update(update)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:
            logger.error("shop %s: a stored update of %s cannot be applied", shop_id, name)
    return doc, sum(len(u) for u in updates)


class RoomRegistry:
    """The rooms of this process, by shop id."""

    def __init__(
        self,
        storage: Storage,
        *,
        max_links: int = 256,
        max_doc_bytes: int = 64 * 1024 * 1024,
        idle_seconds: float = 30.0,
        compact_every: int = 200,
        fanout: FanOut | None = None,
    ) -> None:
        self.storage = storage
        self.max_links = max_links
        self.max_doc_bytes = max_doc_bytes
        self.idle_seconds = idle_seconds
        self.compact_every = compact_every
        self.rooms: dict[str, Room] = {}
        self._loading: dict[str, asyncio.Future[Room]] = {}
        self._evictions: dict[str, asyncio.TimerHandle] = {}
        self.fanout = fanout
        self._remote_pending: dict[str, list[tuple[str, bytes]]] = {}

    async def join(self, shop_id: str, link: Link) -> Room:
        """Add ``link`` to the shop's room, loading the room if needed.

        Raises :class:`RoomFull` when the shop has ``max_links`` connections.
        """
        room = self.rooms.get(shop_id)
        if room is None:
            room = await self._load(shop_id)
        if len(room.links) >= self.max_links:
            raise RoomFull("too many connections for this shop: retry later")
        timer = self._evictions.pop(shop_id, None)
        if timer is not None:
            timer.cancel()
        room.links.add(link)
        return room

    def leave(self, room: Room, link: Link) -> None:
        """Remove ``link``; the room is evicted after ``idle_seconds`` without links."""
        room.links.discard(link)
        if room.links or room.discarded or self.rooms.get(room.shop_id) is not room:
            return
        loop = asyncio.get_running_loop()
        self._evictions[room.shop_id] = loop.call_later(self.idle_seconds, self._evict, room)

    def forget(self, room: Room) -> None:
        """Drop ``room`` from memory now (used by :meth:`Room.discard`)."""
        if self.rooms.get(room.shop_id) is room:
            del self.rooms[room.shop_id]
        timer = self._evictions.pop(room.shop_id, None)
        if timer is not None:
            timer.cancel()

    def _evict(self, room: Room) -> None:
        self._evictions.pop(room.shop_id, None)
        if not room.links and self.rooms.get(room.shop_id) is room:
            del self.rooms[room.shop_id]
            logger.debug("shop %s: room evicted", room.shop_id)

    async def _load(self, shop_id: str) -> Room:
        pending = self._loading.get(shop_id)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[Room] = asyncio.get_running_loop().create_future()
        self._loading[shop_id] = future
        try:
            loaded = {}
            sizes = {}
            for name in DOC_NAMES:
                loaded[name], sizes[name] = await asyncio.to_thread(
                    _load_doc, self.storage, shop_id, name, self.compact_every
                )
            room = Room(self, shop_id, loaded)
            room.stored_bytes = sizes
            self.rooms[shop_id] = room
            for doc, update in self._remote_pending.pop(shop_id, []):
                self.deliver_remote(shop_id, doc, update)
            future.set_result(room)
            logger.debug("shop %s: room loaded", shop_id)
            return room
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: the waiters re-raise it
            raise
        finally:
            del self._loading[shop_id]
            self._remote_pending.pop(shop_id, None)

    async def publish(self, shop_id: str, doc: str, update: bytes) -> None:
        """Forward a stored update to the other relay processes (if any)."""
        if self.fanout is None:
            return
        try:
            await self.fanout.publish(shop_id, doc, update)
        except Exception:
            logger.exception("shop %s: fan-out to other relays failed", shop_id)

    def deliver_remote(self, shop_id: str, doc: str, update: bytes) -> None:
        """An update stored by another relay process: apply and fan out if the room is here."""
        if doc not in DOC_NAMES:
            return
        room = self.rooms.get(shop_id)
        if room is None:
            if shop_id in self._loading:  # it may have read storage before this was stored
                self._remote_pending.setdefault(shop_id, []).append((doc, update))
            return  # otherwise it will be loaded from storage, which holds the update
        try:
            apply_guarded(room.docs[doc], update, REMOTE_RELAY)
        except InvalidUpdateError as exc:
            logger.error("shop %s: update from another relay refused: %s", shop_id, exc)
            return
        room.fan_out(doc, update, None)
