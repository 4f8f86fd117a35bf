"""The LAN node: a device's endpoint, its links to the shop's other devices, and what flows.

One :class:`LanNode` per device store, on an asyncio loop (``await
node.start()`` on it). It

- listens on a free port (a websockets server) and, with ``advertise=True``,
  announces it and browses with :class:`~.discovery.LanDiscovery`; of two
  peers, the one with the smaller instance id dials, and keeps redialling
  (``redial_first`` up to ``redial_cap``) while the peer is announced;
- runs each connection as a :class:`~.link.LanLink` (secure channel, then a
  :class:`~crdt_models.sync.SyncSession`): **documents** by state-vector
  exchange and pushed updates, **journals** by heads, with store and forward:
  records of any till are verified (chain link, seq, signature against the
  till's key from :class:`~.keys.TillKeys`) and stored, then forwarded to the
  other peers and, through the sync engine, to the relay (which stores each
  record once whoever uploads it);
- keeps replicas of the shop's Docs. The app attaches its Docs to the node
  (:meth:`LanNode.attach`), and the node attaches its replicas to the
  :class:`~app.core.sync.SyncEngine` when one is given: app -> node -> engine
  -> relay. A change from the app goes to every peer and the relay; a change
  from a peer goes to the other peers, the app and the relay; a change from
  the relay goes to the peers and the app. The node stores every change that
  did not come from the relay (the engine stores those).

Call :meth:`journal_changed` after each validated sale (beside the engine's).
When the shop's LAN secret in the store changes (rotated after a
revocation), links made with the old secret are dropped and the announcement
changes: within ``resync`` seconds, or at once with :meth:`secret_changed`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from pycrdt import Doc, Subscription, TransactionEvent
from websockets.asyncio.client import connect
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import InvalidHandshake, InvalidURI

from app.core.lan.discovery import LanDiscovery, PeerAnnouncement
from app.core.lan.errors import LanLinkError
from app.core.lan.journal import JournalForwarder, PeerJournal
from app.core.lan.keys import KEYS_FILE_NAME, TillKeys
from app.core.lan.link import MAX_FRAME_BYTES, LanLink, LanTimings
from app.core.store import DeviceStore
from app.core.sync.backoff import Backoff
from app.core.sync.docs import DocBridge, OwnerCall
from crdt_models.documents.origin import LOCAL
from crdt_models.documents.schema import DOCUMENT_NAMES
from crdt_models.lan import SecureChannel, new_instance_id, shop_fingerprint
from crdt_models.sync import (
    ControlRequested,
    DocUpdated,
    Event,
    JournalAckReceived,
    JournalHeadsReceived,
    JournalRecordsReceived,
    WriteRefused,
    release_doc,
)
from crdt_models.sync.payloads import JsonObject

if TYPE_CHECKING:
    from app.core.sync import SyncEngine

__all__ = ["MANAGER_ONLY", "LanNode", "LanStatus"]

logger = logging.getLogger(__name__)

#: Documents a till may read but not write (the relay enforces the same for its links).
MANAGER_ONLY = frozenset({"settings"})


@dataclass(frozen=True)
class LanStatus:
    """What the UI shows of the LAN: running, and the connected peers' instance ids."""

    running: bool
    peers: tuple[str, ...] = ()

    @property
    def peer_count(self) -> int:
        """How many peers are connected now."""
        return len(self.peers)


@dataclass
class _Peer:
    instance: str
    link: LanLink
    journal: PeerJournal = field(default_factory=PeerJournal)
    refused: set[str] = field(default_factory=set)  # documents it was refused writing


class _FromApp:
    """The source of a transaction applied for the app (see ``_source``)."""


class _FromUpstream:
    """The source of a transaction the engine's bridge applied (a relay update)."""


_APP, _UPSTREAM = _FromApp(), _FromUpstream()


#: The largest message read from a peer before it has proved it holds the shop's
#: LAN secret (the handshake and the hello with the tills' keys fit in it).
HANDSHAKE_MAX_BYTES = 64 * 1024


class LanNode:
    """A device's LAN endpoint and peer links (see the module docstring).

    ``host`` is the address to listen on, ``advertise`` switches zeroconf on;
    ``engine`` (optional) is the relay sync engine the replicas are attached to.
    ``role`` (``"till"`` or ``"manager"``) is told to peers: as on the relay,
    only a manager peer may write the documents in :data:`MANAGER_ONLY`, so a
    manager's settings reach the tills it is linked to directly (every peer
    dials every other) and the rest through the relay. This guards against a
    till's mistaken write; it is no defence against a device that holds the
    shop's LAN secret and lies about its role (updates carry no author).
    """

    def __init__(
        self,
        store: DeviceStore,
        *,
        engine: SyncEngine | None = None,
        host: str = "0.0.0.0",
        advertise: bool = True,
        announce_addresses: list[str] | None = None,
        timings: LanTimings | None = None,
        doc_names: tuple[str, ...] = tuple(DOCUMENT_NAMES),
        role: str = "till",
    ) -> None:
        self.store = store
        self.role = role
        self.engine = engine
        self.host = host
        self.advertise = advertise
        self.timings = timings or LanTimings()
        self.instance_id = new_instance_id()
        self.port = 0
        identity = store.identity
        self.keys = TillKeys(store.data_dir / KEYS_FILE_NAME, identity.till_id, identity.public_key)
        self._journal = JournalForwarder(store, self.keys)
        self._announce_addresses = announce_addresses
        self._doc_names = doc_names
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: Server | None = None
        self._discovery: LanDiscovery | None = None
        self._docs: dict[str, Doc[Any]] = {}
        self._subscriptions: list[tuple[Doc[Any], Subscription]] = []
        self._app_bridges: list[DocBridge] = []
        self._engine_bridge: DocBridge | None = None
        self._source: object = None
        self._peers: dict[str, _Peer] = {}
        self._dialers: dict[str, asyncio.Task[None]] = {}
        self._announced: dict[str, PeerAnnouncement] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._listeners: list[Callable[[LanStatus], None]] = []
        self._secret: bytes | None = None
        self._running = False
        #: Connections that failed the handshake (wrong secret, malformed, timeout): diagnostics.
        self.handshake_failures = 0
        #: Writes refused to peers that may only read a document (a till writing settings).
        self.refused_writes = 0

    # -- state ---------------------------------------------------------------------------

    @property
    def status(self) -> LanStatus:
        """The connected peers (any thread)."""
        return LanStatus(self._running, tuple(sorted(self._peers)))

    def subscribe(self, listener: Callable[[LanStatus], None]) -> Callable[[], None]:
        """Call ``listener(status)`` on the node's loop whenever peers come or go."""
        self._listeners.append(listener)
        return partial(self._listeners.remove, listener)

    @property
    def docs(self) -> dict[str, Doc[Any]]:
        """The node's replicas (loop thread only)."""
        return self._docs

    def _notify(self) -> None:
        status = self.status
        for listener in list(self._listeners):
            listener(status)

    # -- start and stop --------------------------------------------------------------------

    async def start(self) -> None:
        """Load the replicas, listen, announce and browse; call on the node's loop."""
        self._loop = asyncio.get_running_loop()
        self._secret = self.store.identity.lan_secret
        for name in self._doc_names:
            doc = await asyncio.to_thread(self.store.load_doc, name)
            self._docs[name] = doc
            self._subscriptions.append((doc, doc.observe(partial(self._on_transaction, name))))
        if self.engine is not None:
            self._engine_bridge = self.engine.attach(
                self._docs, self._call_upstream, persist_local=False
            )
        t = self.timings
        self._server = await serve(
            self._accept,
            self.host,
            0,
            max_size=HANDSHAKE_MAX_BYTES,  # lifted once the peer proved the shop's secret
            ping_interval=t.ping_interval,
            ping_timeout=t.ping_timeout,
            close_timeout=t.close_timeout,
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._running = True
        if self.advertise and self._secret:
            await self._start_discovery(self._secret)
        self._background(self._resync_loop())
        logger.info("LAN endpoint on port %d (instance %s)", self.port, self.instance_id)

    async def _start_discovery(self, secret: bytes) -> None:
        self._discovery = LanDiscovery(
            port=self.port,
            fingerprint=shop_fingerprint(secret),
            instance_id=self.instance_id,
            on_peer=self._on_announcement,
            on_gone=self._on_gone,
            addresses=self._announce_addresses,
        )
        await self._discovery.start()

    async def stop(self) -> None:
        """Stop announcing, close every link and the endpoint; call on the node's loop."""
        self._running = False
        if self._discovery is not None:
            await self._discovery.close()
            self._discovery = None
        self._announced.clear()
        if self._server is not None:
            self._server.close()
        for peer in list(self._peers.values()):
            await peer.link.close()  # its run() returns: the dialer or handler ends
        waiting = [*self._tasks, *self._dialers.values()]
        for task in waiting:
            task.cancel()
        await asyncio.gather(*waiting, return_exceptions=True)
        self._dialers.clear()
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None
        if self._engine_bridge is not None:
            self._engine_bridge.close()
        for doc, subscription in self._subscriptions:
            doc.unobserve(subscription)
        self._subscriptions.clear()
        for doc in self._docs.values():
            release_doc(doc)
        self._notify()

    def _background(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _call_soon(self, fn: Callable[..., object], *args: object) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            raise RuntimeError("the LAN node is not running")
        loop.call_soon_threadsafe(fn, *args)

    # -- thread-safe API ---------------------------------------------------------------------

    def journal_changed(self) -> None:
        """Records were appended (a sale): send them to every peer. Any thread."""
        self._call_soon(self._push_all)

    def secret_changed(self) -> None:
        """The shop's LAN secret in the store changed: drop old links, re-announce. Any thread."""
        self._call_soon(lambda: self._background(self._on_secret_changed()))

    def attach(
        self,
        docs: dict[str, Doc[Any]],
        call_in_owner: OwnerCall,
        *,
        after_remote: Callable[[str], object] | None = None,
    ) -> DocBridge:
        """Connect the app's Docs to the node (call on the Docs' owner thread, after start).

        The app's changes reach the peers and, through the engine, the relay;
        theirs reach the app through ``call_in_owner``, each followed by
        ``after_remote(name)`` (as with :meth:`~app.core.sync.SyncEngine.attach`).
        The node stores the app's changes: the app must not store them too.
        """
        names = [n for n in docs if n in self._doc_names]
        bridge = DocBridge(
            {n: docs[n] for n in names}, call_in_owner, self.push_local, None, after_remote
        )
        states = {n: (docs[n].get_update(), docs[n].get_state()) for n in names}
        self._call_soon(self._attach, bridge, states)
        return bridge

    def push_local(self, doc: str, update: bytes) -> None:
        """Hand the node a change the app made to ``doc`` (the bridge does this). Any thread."""
        self._call_soon(self._apply, _APP, doc, update)

    def connect_to(self, host: str, port: int) -> None:
        """Dial a peer at ``host:port`` once (discovery does this itself). Any thread."""
        self._call_soon(lambda: self._background(self._dial_once(host, port)))

    # -- documents -------------------------------------------------------------------------

    def _attach(self, bridge: DocBridge, states: dict[str, tuple[bytes, bytes]]) -> None:
        self._app_bridges.append(bridge)
        for name, (full, app_state) in states.items():
            self._apply(_APP, name, full)
            missing = self._docs[name].get_update(app_state)
            if missing != b"\x00\x00":
                bridge.deliver(name, missing)

    def _apply(self, source: object, name: str, update: bytes) -> None:
        doc = self._docs.get(name)
        if doc is None:
            return
        self._source = source
        try:
            with doc.transaction(origin=LOCAL):
                doc.apply_update(update)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:
            logger.exception("a change of %r could not be applied to the LAN replica", name)
        finally:
            self._source = None

    def _feed(self, link: LanLink, frame: bytes) -> None:
        """Hand a peer's frame to its session, noting the link as the source of changes."""
        self._source = link
        try:
            link.session.receive_frame(frame)
        finally:
            self._source = None

    def _call_upstream(self, fn: Callable[[], None]) -> None:
        """The engine bridge's ``call_in_owner``: relay updates, applied on our loop."""

        def run() -> None:
            self._source = _UPSTREAM
            try:
                fn()
            finally:
                self._source = None

        loop = self._loop
        if loop is not None and not loop.is_closed():  # after stop the bridge drops it anyway
            loop.call_soon_threadsafe(run)

    def _on_transaction(self, name: str, event: TransactionEvent) -> None:
        """Every change of a replica: store it (unless the engine did), send it on."""
        source, update = self._source, event.update
        try:
            if source is not _UPSTREAM:
                self.store.append_update(name, update)
            for peer in self._peers.values():
                if peer.link is not source and peer.link.is_open:
                    peer.link.session.send_update(name, update)
                    peer.link.flush()
            if source is not _APP:
                for bridge in self._app_bridges:
                    bridge.deliver(name, update)
        except Exception:  # never break the transaction that applied a peer's update
            logger.exception("could not store or forward a change of %r", name)

    # -- links -----------------------------------------------------------------------------

    def _hello(self) -> JsonObject:
        identity = self.store.identity
        return {
            "v": 1,
            "instance": self.instance_id,
            "till_id": identity.till_id,
            "role": self.role,
            "keys": dict(self.keys.as_hex()),
        }

    async def _accept(self, ws: ServerConnection) -> None:
        secret = self.store.identity.lan_secret
        if not secret or not self._running:
            await ws.close(1008)
            return
        link = LanLink(ws, SecureChannel.responder(secret), timings=self.timings)
        await self._serve_link(link)

    async def _dial_once(self, host: str, port: int) -> None:
        secret = self.store.identity.lan_secret
        if not secret:
            return
        t = self.timings
        try:
            ws = await connect(
                f"ws://{host}:{port}/",
                open_timeout=t.open_timeout,
                max_size=HANDSHAKE_MAX_BYTES,  # lifted once the peer proved the shop's secret
                ping_interval=t.ping_interval,
                ping_timeout=t.ping_timeout,
                close_timeout=t.close_timeout,
            )
        except (OSError, TimeoutError, InvalidHandshake, InvalidURI) as exc:
            raise LanLinkError("lan.unreachable", f"{host}:{port}: {exc}") from exc
        link = LanLink(ws, SecureChannel.initiator(secret), timings=t)
        await self._serve_link(link)

    async def _serve_link(self, link: LanLink) -> None:
        try:
            mine = self._hello()
            hello = await link.handshake(mine)
        except LanLinkError as exc:
            self.handshake_failures += 1
            logger.info("LAN handshake failed: %s", exc)
            return
        link.ws.protocol.max_message_size = MAX_FRAME_BYTES + 64  # a whole document may come
        instance = str(hello.get("instance", ""))
        keys = hello.get("keys")
        if not instance or instance == self.instance_id or instance in self._peers:
            await link.close()
            return
        if isinstance(keys, dict):
            await asyncio.to_thread(self.keys.learn, keys)
        peer = _Peer(instance, link)
        link.feed = partial(self._feed, link)
        self._peers[instance] = peer
        offered = mine["keys"]
        assert isinstance(offered, dict)
        peer.journal.keys_sent.update(offered)
        self._notify()
        logger.info("LAN peer %s connected", instance)
        try:
            manager = hello.get("role") == "manager"
            link.open(self._docs, read_only=() if manager else MANAGER_ONLY & set(self._docs))
            link.session.send_journal_heads(await self._journal.heads())
            link.flush()
            reason = await link.run(partial(self._on_event, peer))
            logger.info("LAN peer %s left: %s", instance, reason)
        finally:
            if self._peers.get(instance) is peer:
                del self._peers[instance]
                self._notify()

    async def _on_secret_changed(self) -> None:
        secret = self.store.identity.lan_secret
        if secret == self._secret:
            return
        self._secret = secret
        for peer in list(self._peers.values()):
            await peer.link.close()
        if self._discovery is not None:
            if secret:
                await self._discovery.set_fingerprint(shop_fingerprint(secret))
            else:
                await self._discovery.close()
                self._discovery = None
        elif secret and self.advertise and self._running:
            await self._start_discovery(secret)

    # -- discovery -------------------------------------------------------------------------

    def _on_announcement(self, peer: PeerAnnouncement) -> None:
        if peer.instance_id <= self.instance_id:
            return  # the peer with the smaller id dials
        self._announced[peer.instance_id] = peer  # the dialer reads the latest address
        task = self._dialers.get(peer.instance_id)
        if task is None or task.done():
            self._dialers[peer.instance_id] = asyncio.get_running_loop().create_task(
                self._keep_dialing(peer.instance_id)
            )

    def _on_gone(self, instance: str) -> None:
        """The peer withdrew its announcement: stop redialling (a live link runs on)."""
        self._announced.pop(instance, None)

    async def _keep_dialing(self, instance: str) -> None:
        backoff = Backoff(self.timings.redial_first, self.timings.redial_cap)
        while self._running and (announcement := self._announced.get(instance)) is not None:
            if instance not in self._peers:
                try:
                    await self._dial_once(announcement.host, announcement.port)
                    backoff.reset()
                except LanLinkError as exc:
                    logger.debug("dialling %s failed: %s", instance, exc)
            await asyncio.sleep(backoff.next_delay())
        self._dialers.pop(instance, None)

    async def _resync_loop(self) -> None:
        """Every ``resync`` seconds: pick up a rotated secret, exchange state vectors and heads."""
        while True:
            await asyncio.sleep(self.timings.resync)
            if self.store.identity.lan_secret != self._secret:
                await self._on_secret_changed()
            heads = await self._journal.heads()
            for peer in list(self._peers.values()):
                if peer.link.is_open:
                    peer.link.session.resync()
                    peer.link.session.send_journal_heads(heads)
                    peer.link.flush()

    # -- journal ---------------------------------------------------------------------------

    def _push_all(self) -> None:
        for peer in list(self._peers.values()):
            self._background(self._journal.push(peer.link, peer.journal))

    async def _receive_records(self, peer: _Peer, lines: tuple[bytes, ...]) -> None:
        if await self._journal.receive(peer.link, lines):
            if self.engine is not None:
                self.engine.journal_changed()  # the engine uploads carried records too
            self._push_all()

    # -- events ----------------------------------------------------------------------------

    async def _on_event(self, peer: _Peer, event: Event) -> None:
        match event:
            case DocUpdated():
                pass  # stored and forwarded by _on_transaction as it was applied
            case JournalHeadsReceived(heads=heads):
                peer.journal.heard(heads)
                await self._journal.push(peer.link, peer.journal)
            case JournalRecordsReceived(records=records):
                await self._receive_records(peer, records)
            case JournalAckReceived(acked=acked):
                peer.journal.heard(acked)
            case ControlRequested(request_id=request_id, name="keys", payload=payload):
                offered = payload.get("keys")
                if isinstance(offered, dict):
                    await asyncio.to_thread(self.keys.learn, offered)
                peer.link.session.send_control_response(request_id, {})
                peer.link.flush()
            case ControlRequested(request_id=request_id, name=name):
                peer.link.session.send_control_response(
                    request_id, {"error": f"unknown request {name!r}"}, ok=False
                )
                peer.link.flush()
            case WriteRefused(doc=doc):
                self.refused_writes += 1
                level = logging.DEBUG if doc in peer.refused else logging.WARNING
                peer.refused.add(doc)  # its every step 2 repeats the write: say it once
                logger.log(level, "LAN peer %s may not write %r: refused", peer.instance, doc)
            case _:
                logger.debug("LAN peer %s: %s", peer.instance, event)
