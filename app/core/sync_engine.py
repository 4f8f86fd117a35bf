"""The device's link to the relay: the sync protocol over a websocket, kept alive.

:class:`SyncEngine` runs on an asyncio loop (the apps' background loop). It
connects to the relay, authenticates, then runs a
:class:`~crdt_models.sync.SyncSession` over the shop's documents and this
till's journal:

- local document changes are pushed at once (batched over a few ms);
- new journal records (:meth:`SyncEngine.notify_journal`) are pushed at once
  and counted as pending until the relay acknowledges them; the
  acknowledgements are kept in the store (peer ``"relay"``), so what was made
  offline is pushed on reconnect, and only what is not yet acknowledged;
- a state-vector exchange runs every :attr:`SyncConfig.active_interval`
  seconds while the device is in use (:meth:`SyncEngine.touch`) and every
  :attr:`SyncConfig.idle_interval` seconds when idle; :meth:`sync_now` forces one;
- a lost link is noticed by websocket pings within a few seconds and retried
  with exponential backoff and jitter (0.5 s up to 30 s).

The pycrdt documents belong to one thread (the GUI thread in the apps). The
engine never touches them from the loop: every session call runs through
``run_on_doc_thread`` (the Qt bridge's ``to_gui`` in the apps; by default the
loop thread itself, for code whose documents live there). Persisting the
documents' updates is their owner's job (it observes every transaction).

Status changes are reported through ``on_status``, called on the loop thread
or the doc thread: hand it on to the GUI with a queued call.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, TypeVar

from pycrdt import Doc
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from app.core.store import CHAINS, DeviceStore
from crdt_models.sync import (
    AuthAccepted,
    AuthRejected,
    ChainPosition,
    DocSynced,
    JournalAckReceived,
    PeerErrorEvent,
    PeerOrigin,
    ProtocolErrorEvent,
    SyncSession,
)
from crdt_models.sync.payloads import JsonObject

__all__ = ["RELAY_PEER", "SyncConfig", "SyncEngine", "SyncStatus"]

log = logging.getLogger(__name__)

#: The peer id under which the relay's acknowledgements are kept in the store.
RELAY_PEER = "relay"

T = TypeVar("T")
DocThread = Callable[[Callable[[], None]], None]


@dataclass(frozen=True, slots=True)
class SyncConfig:
    active_interval: float = 10.0
    idle_interval: float = 120.0
    idle_after: float = 120.0
    backoff_min: float = 0.5
    backoff_max: float = 30.0
    batch_delay: float = 0.005
    ping_interval: float = 5.0
    ping_timeout: float = 5.0


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """What the sync indicator shows."""

    online: bool = False
    last_sync: float | None = None
    """Unix time of the last acknowledgement or completed exchange."""
    pending: int = 0
    """Journal records of this device the relay has not acknowledged yet."""
    error: str = ""


class AuthenticationRefused(Exception):
    """The relay refused our credentials: retrying the same ones will not help."""


class _LinkLost(Exception):
    pass


class SyncEngine:
    """One device's sync with the relay. Start :meth:`run` as a task on the loop."""

    def __init__(
        self,
        store: DeviceStore,
        docs: Mapping[str, Doc[Any]],
        url: str,
        auth: JsonObject,
        *,
        config: SyncConfig | None = None,
        run_on_doc_thread: DocThread | None = None,
        on_status: Callable[[SyncStatus], None] | None = None,
        on_auth: Callable[[JsonObject], None] | None = None,
    ) -> None:
        self.store = store
        self.docs = dict(docs)
        self.url = url
        self.auth = auth
        self.config = config or SyncConfig()
        self._doc_thread = run_on_doc_thread
        self._on_status = on_status
        self._on_auth = on_auth
        self._status_lock = threading.Lock()
        self._status = SyncStatus(pending=self._pending())
        self._wake: asyncio.Event | None = None
        self._force = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._last_activity = time.monotonic()
        self._sent: dict[tuple[str, str], int] = {}

    # -- public, thread-safe --------------------------------------------------------

    @property
    def status(self) -> SyncStatus:
        return self._status

    def notify_journal(self) -> None:
        """A record was appended: push it now (call from any thread)."""
        self._set_status(pending=self._pending())
        self._poke(force=False)

    def touch(self) -> None:
        """The device is in use: keep the short exchange interval (any thread)."""
        self._last_activity = time.monotonic()

    def sync_now(self) -> None:
        """Run a full exchange now (state vectors, journal heads); any thread."""
        self._poke(force=True)

    # -- the loop -------------------------------------------------------------------

    async def run(self) -> None:
        """Connect, sync, and reconnect forever (until cancelled)."""
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        failures = 0
        while True:
            try:
                await self._link()
                failures = 0
            except AuthenticationRefused as exc:
                self._set_status(online=False, error=f"login refused: {exc}")
                failures = max(failures, 6)  # keep trying, slowly: a revoked till may be restored
            except (OSError, ConnectionClosed, InvalidHandshake, InvalidURI, _LinkLost) as exc:
                log.debug("relay link lost: %s", exc)
                self._set_status(online=False, error=str(exc) or type(exc).__name__)
            failures += 1
            delay = min(self.config.backoff_max, self.config.backoff_min * 2 ** (failures - 1))
            await asyncio.sleep(random.uniform(delay / 2, delay))

    async def _link(self) -> None:
        cfg = self.config
        async with connect(
            self.url,
            ping_interval=cfg.ping_interval,
            ping_timeout=cfg.ping_timeout,
            close_timeout=2,
            max_size=None,
        ) as ws:
            session = SyncSession(origin=PeerOrigin(RELAY_PEER))
            session.send_auth(self.auth)
            await self._send(ws, session)
            subscriptions: list[tuple[Doc[Any], Any]] = []
            sender = asyncio.create_task(self._sender(ws, session))
            try:
                async for message in ws:
                    if isinstance(message, str):
                        raise _LinkLost("the relay sent a text message")
                    await self._on_doc_thread(partial(self._feed, session, message, subscriptions))
                    await self._send(ws, session)
                    if session.closed:
                        raise _LinkLost("the sync session closed")
            finally:
                sender.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sender
                await self._on_doc_thread(lambda: _unobserve(subscriptions))
                self._set_status(online=False)

    async def _sender(self, ws: ClientConnection, session: SyncSession) -> None:
        """Push what is new as soon as it is; run the periodic exchange."""
        assert self._wake is not None
        cfg = self.config
        last_exchange = time.monotonic()
        while True:
            idle = time.monotonic() - self._last_activity > cfg.idle_after
            interval = cfg.idle_interval if idle else cfg.active_interval
            timeout = max(0.0, last_exchange + interval - time.monotonic())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout)
            self._wake.clear()
            await asyncio.sleep(cfg.batch_delay)  # let a burst of changes gather
            exchange = self._force or time.monotonic() - last_exchange >= interval
            self._force = False
            if exchange and session.is_open:
                last_exchange = time.monotonic()
                await self._on_doc_thread(lambda: self._exchange(session))
            if session.is_open:
                await self._on_doc_thread(lambda: self._push_journal(session, again=False))
            await self._send(ws, session)

    # -- session work (on the doc thread) -------------------------------------------

    def _feed(
        self, session: SyncSession, message: bytes, subscriptions: list[tuple[Doc[Any], Any]]
    ) -> None:
        session.receive_frame(message)
        for event in session.events_received():
            match event:
                case AuthAccepted(payload=payload):
                    if self._on_auth is not None:
                        self._on_auth(payload)
                    session.open(self.docs)
                    subscriptions.extend(self._observe(session))
                    self._sent.clear()
                    self._push_journal(session, again=True)
                    self._set_status(online=True, error="", last_sync=time.time())
                case AuthRejected(code=code, message=text):
                    raise AuthenticationRefused(f"{code}: {text}")
                case JournalAckReceived(acked=acked):
                    mine = self.store.identity.till_id
                    for pos in acked:
                        if pos.till_id == mine:
                            self.store.record_journal_ack(
                                RELAY_PEER, pos.till_id, pos.chain, pos.seq
                            )
                    self._set_status(last_sync=time.time(), pending=self._pending())
                case DocSynced():
                    self._set_status(last_sync=time.time())
                case ProtocolErrorEvent(code=code, reason=reason):
                    raise _LinkLost(f"protocol error {code}: {reason}")
                case PeerErrorEvent(code=code, message=text, fatal=True):
                    raise _LinkLost(f"the relay closed the session: {code}: {text}")
                case _:
                    pass

    def _observe(self, session: SyncSession) -> list[tuple[Doc[Any], Any]]:
        subs = []
        for name, doc in self.docs.items():

            def changed(event: Any, name: str = name) -> None:
                if event.transaction.origin is session.origin:
                    return  # the relay's own update: no echo
                session.send_update(name, event.update)
                self._poke(force=False)

            subs.append((doc, doc.observe(changed)))
        return subs

    def _exchange(self, session: SyncSession) -> None:
        session.resync()
        heads = [
            ChainPosition(h.till_id, h.chain, h.seq) for h in self.store.journal_heads() if h.seq
        ]
        if heads:
            session.send_journal_heads(heads)
        self._push_journal(session, again=True)

    def _push_journal(self, session: SyncSession, *, again: bool) -> None:
        """Send this device's records the relay has not acknowledged (nor been sent,
        unless ``again``)."""
        mine = self.store.identity.till_id
        acks = self.store.journal_acks(RELAY_PEER)
        for chain in CHAINS:
            head = self.store.head(chain).seq
            start = acks.get((mine, chain), 0)
            if not again:
                start = max(start, self._sent.get((mine, chain), 0))
            if head > start:
                records = self.store.records(chain=chain, after_seq=start)
                session.send_journal_records(r.to_json_line() for r in records)
                self._sent[(mine, chain)] = head
        self._set_status(pending=self._pending())

    # -- helpers ---------------------------------------------------------------------

    def _pending(self) -> int:
        mine = self.store.identity.till_id
        acks = self.store.journal_acks(RELAY_PEER)
        return sum(max(0, self.store.head(c).seq - acks.get((mine, c), 0)) for c in CHAINS)

    def _poke(self, *, force: bool) -> None:
        if force:
            self._force = True
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None:
            loop.call_soon_threadsafe(wake.set)

    async def _send(self, ws: ClientConnection, session: SyncSession) -> None:
        frames = await self._on_doc_thread(session.data_to_send)
        for frame in frames:
            await ws.send(frame)

    async def _on_doc_thread(self, fn: Callable[[], T]) -> T:
        if self._doc_thread is None:
            return fn()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()

        def call() -> None:
            try:
                result = fn()
            except BaseException as exc:  # handed back to the loop, re-raised there
                loop.call_soon_threadsafe(_settle_error, future, exc)
            else:
                loop.call_soon_threadsafe(_settle, future, result)

        self._doc_thread(call)
        return await future

    def _set_status(self, **changes: Any) -> None:
        with self._status_lock:
            status = replace(self._status, **changes)
            if status == self._status:
                return
            self._status = status
        if self._on_status is not None:
            self._on_status(status)


def _settle(future: asyncio.Future[T], result: T) -> None:
    if not future.done():
        future.set_result(result)


def _settle_error(future: asyncio.Future[Any], exc: BaseException) -> None:
    if not future.done():
        future.set_exception(exc)


def _unobserve(subscriptions: list[tuple[Doc[Any], Any]]) -> None:
    for doc, sub in subscriptions:
        with contextlib.suppress(Exception):
            doc.unobserve(sub)
    subscriptions.clear()
