"""The device sync engine: one asyncio loop on a background thread syncing with the relay.

Build one :class:`SyncEngine` per device store, :meth:`~SyncEngine.start` it,
:meth:`~SyncEngine.attach` the app's Docs, and call
:meth:`~SyncEngine.journal_changed` after each validated sale. Every public
method is safe to call from any thread; the engine's own work runs on its
loop (its own thread, or a loop you pass to ``start``, such as the Qt
layer's ``AsyncBridge.loop``).

What it does, per link to the relay (:class:`~.link.RelayLink`):

- documents: the engine keeps replicas of the shop's Docs (loaded from the
  store). Local changes arrive from the app's :class:`~.docs.DocBridge`, are
  applied to the replica and pushed, batched over ``batch_delay`` seconds;
  relay updates are applied to the replica by the session, stored in the
  document log, then handed to the app through the bridge. Changes made while
  offline reach the relay through the state-vector exchange at connection.
  Relay updates are tried on a twin of each replica first (``crdt_models.sync.guard``);
  the twins are built once a round completes, not by the first update received
  (for a big catalogue that build would delay the first edit by up to a second).
- journal: the relay announces its heads when the link opens; the engine then
  sends every record it holds beyond them, and afterwards each new record once
  (``journal_changed``). Acks are recorded in the store's sync bookkeeping,
  which is what :attr:`SyncStatus.pending_sales` and the logout guard read.
- cadence: a state-vector exchange (a "round") every ``active_resync`` seconds
  while the till is in use (any local change, sale or :meth:`~SyncEngine.touch`
  within ``idle_after`` seconds), every ``idle_resync`` seconds otherwise;
  :meth:`~SyncEngine.sync_now` forces one and reports its outcome.
- reconnection: exponential backoff with jitter (:class:`~.backoff.Backoff`),
  reset once a round completes; a refused token (revoked till) stops retrying
  until :meth:`~SyncEngine.credentials_changed`.
- status report: a DEVICE_STATUS frame (software version, :attr:`SyncStatus.pending`)
  when the link opens, after each completed round, and ``report_delay``
  seconds after the pending count changes (changes within that delay are
  reported once). The relay shows them to the owner. Only to a relay that
  says it takes them (``status_reports`` at login): an older one would close
  the link on an unknown frame.

A round is complete when the relay answered a step 1 for every document sent
after everything before it (so it holds every local change made before the
round), and acknowledged every journal record sent.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading
import time
from collections.abc import Callable, Collection, Coroutine, Mapping
from dataclasses import dataclass, field
from typing import Any

from pycrdt import Doc, merge_updates

from app import __version__
from app.core.store import DeviceStore
from app.core.sync.backoff import Backoff
from app.core.sync.doc_acks import DocAcks
from app.core.sync.docs import DocBridge, OwnerCall
from app.core.sync.errors import LoginRefusedError, RelayUnreachableError, RequestRefusedError
from app.core.sync.journal_frames import send_chain
from app.core.sync.link import LinkTimings, RelayLink
from app.core.sync.pending import unacknowledged_records
from app.core.sync.provisioning import RELAY_PEER, ensure_may_forget, remember_lan_secret
from app.core.sync.provisioning import logout as forget_token
from app.core.sync.status import LinkState, StatusBoard, SyncOutcome, SyncStatus
from crdt_models.documents.origin import LOCAL
from crdt_models.documents.schema import DOCUMENT_NAMES
from crdt_models.sync import (
    ChainPosition,
    ControlRequested,
    ControlResponded,
    DocSynced,
    DocUpdated,
    Event,
    JournalAckReceived,
    JournalHeadsReceived,
    JournalRecordsReceived,
    PeerErrorEvent,
    PeerOrigin,
    WriteRefused,
    release_doc,
)
from crdt_models.sync.guard import prepare_guard
from crdt_models.sync.payloads import JsonObject

__all__ = ["SyncEngine", "SyncTimings"]

logger = logging.getLogger(__name__)


_ChainKey = tuple[str, str]


@dataclass(frozen=True)
class SyncTimings:
    """The engine's cadence, in seconds (see the module docstring)."""

    link: LinkTimings = field(default_factory=LinkTimings)
    active_resync: float = 10.0
    idle_resync: float = 120.0
    idle_after: float = 120.0
    batch_delay: float = 0.005
    backoff_first: float = 0.5
    backoff_cap: float = 30.0
    sync_now_timeout: float = 20.0
    report_delay: float = 1.0


class _RoundFailed(Exception):
    """A round could not complete (the link ended, a record was refused)."""


@dataclass
class _Round:
    need: dict[str, int]  # doc -> the step-1 generation whose answer completes the round
    future: asyncio.Future[None]
    full: bool


class SyncEngine:
    """Syncs one device store's documents and journal with the relay (module docstring).

    The relay address and device token come from the store's identity
    (written by :mod:`.provisioning`); ``doc_names`` are the documents synced.
    """

    def __init__(
        self,
        store: DeviceStore,
        *,
        timings: SyncTimings | None = None,
        doc_names: Collection[str] = DOCUMENT_NAMES,
    ) -> None:
        self.store = store
        self.timings = timings or SyncTimings()
        self._doc_names = tuple(doc_names)
        self._board = StatusBoard(SyncStatus(state=LinkState.STOPPED))
        self._loop: asyncio.AbstractEventLoop | None = None
        self._own_thread: threading.Thread | None = None
        self._main: concurrent.futures.Future[None] | None = None
        self._origin = PeerOrigin("relay")
        self._backoff = Backoff(self.timings.backoff_first, self.timings.backoff_cap)
        # Everything below is touched on the loop only.
        self._docs: dict[str, Doc[Any]] = {}
        self._bridges: list[DocBridge] = []
        self._link: RelayLink | None = None
        self._refused: str | None = None
        self._last_activity = time.monotonic()
        self._last_round = 0.0
        self._acks = DocAcks(self._doc_names)
        self._batch: dict[str, list[bytes]] = {}
        self._batch_handle: asyncio.TimerHandle | None = None
        # Journal, per link: what the relay holds (heads + acks) and what was sent.
        self._relay_has: dict[_ChainKey, int] | None = None
        self._sent_upto: dict[_ChainKey, int] = {}
        self._rejection: str | None = None
        self._rounds: list[_Round] = []
        self._connect_waiters: list[asyncio.Future[str | None]] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._requests: dict[int, asyncio.Future[JsonObject]] = {}
        self._reported: int | None = None  # the pending count last reported on this link
        self._takes_reports = False  # the relay of this link takes DEVICE_STATUS frames
        self._report_handle: asyncio.TimerHandle | None = None
        self._new_primitives()

    def _new_primitives(self) -> None:
        # Bound to a loop on first use: made again after each stop, for a later start.
        self._stopping = asyncio.Event()
        self._wake = asyncio.Event()
        self._journal_lock = asyncio.Lock()

    # -- thread-safe API ------------------------------------------------------------------

    @property
    def status(self) -> SyncStatus:
        """The current status snapshot (any thread)."""
        return self._board.current

    def subscribe(self, listener: Callable[[SyncStatus], None]) -> Callable[[], None]:
        """Call ``listener(status)`` on each status change, on the engine's loop thread.

        Returns a function that unsubscribes. The listener must not block (the
        Qt layer emits a queued signal).
        """
        return self._board.subscribe(listener)

    def start(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        """Start syncing: on ``loop`` (running on another thread) or on a new thread of its own."""
        if self._main is not None:
            raise RuntimeError("the sync engine is already started")
        self._load_docs()
        if loop is None:
            loop = asyncio.new_event_loop()
            self._own_thread = threading.Thread(
                target=loop.run_forever, name="skytill-sync", daemon=True
            )
            self._own_thread.start()
        self._loop = loop
        self._main = asyncio.run_coroutine_threadsafe(self._run(), loop)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop syncing and wait (up to ``timeout`` s); nothing unacknowledged is lost.

        Safe to call twice, or before :meth:`start`.
        """
        loop, main = self._loop, self._main
        if loop is None or main is None:
            return
        if not loop.is_closed():
            loop.call_soon_threadsafe(self._request_stop)
            try:
                main.result(timeout)
            except (concurrent.futures.TimeoutError, concurrent.futures.CancelledError):
                main.cancel()
            except Exception:
                logger.exception("the sync engine ended with an error")
        if self._own_thread is not None:
            loop.call_soon_threadsafe(loop.stop)
            self._own_thread.join(timeout)
            loop.close()
            self._own_thread = None
        self._main = None
        self._loop = None
        self._new_primitives()
        self._board.update(state=LinkState.STOPPED)

    def attach(
        self,
        docs: Mapping[str, Doc[Any]],
        call_in_owner: OwnerCall,
        *,
        persist_local: bool = True,
        after_remote: Callable[[str], object] | None = None,
    ) -> DocBridge:
        """Connect the app's Docs to the engine; call on the thread that owns ``docs``.

        ``call_in_owner(fn)`` must run ``fn`` soon on that thread, in order
        (the Qt layer queues it to the GUI thread). With ``persist_local`` the
        bridge stores each local change in the device store as it commits (so
        the app must not). Each Doc is brought up to date with the engine's
        replica (both ways) right away. ``after_remote(name)`` runs on that
        thread after each relay update is applied. Call ``bridge.close()`` on exit.
        """
        names = [name for name in docs if name in self._doc_names]
        bridge = DocBridge(
            {name: docs[name] for name in names},
            call_in_owner,
            self.push_local,
            self.store if persist_local else None,
            after_remote,
        )
        states = {name: (docs[name].get_update(), docs[name].get_state()) for name in names}
        self._call_soon(self._attach, bridge, states)
        return bridge

    def push_local(self, doc: str, update: bytes) -> None:
        """Hand the engine a local ``update`` of ``doc`` (the bridge does this; any thread).

        Dropped while the engine is stopped: the change is in the store, and
        the replica reloads from it at the next :meth:`start`.
        """
        self._call_if_running(self._local_update, doc, update)

    def journal_changed(self) -> None:
        """Tell the engine that records were appended (call after a validated sale).

        A no-op while stopped (the records wait in the store).
        """
        self._call_if_running(self._on_journal_changed)

    def touch(self) -> None:
        """The till is in use (a cashier touched it): keep the 10-second cadence."""
        self._call_if_running(self._activity)

    def credentials_changed(self) -> None:
        """The store's relay address or token changed (after a login): connect again now."""
        self._call_if_running(self._on_credentials_changed)

    def sync_now(self) -> concurrent.futures.Future[SyncOutcome]:
        """Force a full round now (connecting first if needed); the future holds the outcome.

        The outcome is ``ok`` once the relay holds every local change and
        every record of this device; otherwise it says why not (offline,
        refused, a record rejected, no answer within ``sync_now_timeout``).
        """
        loop = self._loop
        if loop is None:
            done: concurrent.futures.Future[SyncOutcome] = concurrent.futures.Future()
            done.set_result(SyncOutcome(False, "sync is not running", self.status))
            return done
        return asyncio.run_coroutine_threadsafe(self._sync_now(), loop)

    def request(
        self, name: str, payload: JsonObject | None = None
    ) -> concurrent.futures.Future[JsonObject]:
        """Ask the relay a control request over the live link (``"stats"``, ``"tills"``...).

        The future holds the relay's answer, or raises
        :class:`~.errors.RequestRefusedError` (refused, offline, link lost, no
        answer within ``sync_now_timeout``).
        """
        loop = self._loop
        if loop is None:
            failed: concurrent.futures.Future[JsonObject] = concurrent.futures.Future()
            failed.set_exception(RequestRefusedError(name, "sync is not running"))
            return failed
        return asyncio.run_coroutine_threadsafe(self._request(name, payload or {}), loop)

    def logout(self, *, force: bool = False) -> None:
        """Stop the engine and forget the device token.

        Raises :class:`~.errors.UnacknowledgedSalesError` (and changes nothing)
        while the relay has not acknowledged every record of this till,
        unless ``force=True``.
        """
        ensure_may_forget(self.store, force=force)
        self.stop()
        forget_token(self.store, force=True)
        self._board.update(state=LinkState.NOT_CONFIGURED, error=None)

    def _call_soon(self, fn: Callable[..., object], *args: object) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            raise RuntimeError("the sync engine is not running: start() it first")
        loop.call_soon_threadsafe(fn, *args)

    def _call_if_running(self, fn: Callable[..., object], *args: object) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(fn, *args)

    # -- the connection loop ----------------------------------------------------------------

    def _request_stop(self) -> None:
        self._stopping.set()
        self._wake.set()

    async def _run(self) -> None:
        try:
            await self._refresh_pending_sales()
            self._update_pending_changes()
            while not self._stopping.is_set():
                attempt = asyncio.create_task(self._attempt(), name="sync-attempt")
                stopping = asyncio.create_task(self._stopping.wait())
                await asyncio.wait({attempt, stopping}, return_when=asyncio.FIRST_COMPLETED)
                stopping.cancel()
                if not attempt.done():  # stop() while connecting or connected
                    attempt.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await attempt
                    break
                await self._sleep(attempt.result())
        finally:
            self._fail_waiters("sync stopped")
            self._end_connect_waiters("sync stopped")
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            for doc in self._docs.values():
                release_doc(doc)  # drops the guard's twin; a restart builds a new one
            self._board.update(state=LinkState.STOPPED)

    def _load_docs(self) -> None:
        """Load the replicas from the store (before the loop runs: attach needs them).

        On a restart, the stored changes made while stopped are applied to the
        replicas, so they are pushed too.
        """
        for name in self._doc_names:
            replica = self._docs.get(name)
            if replica is not None:
                before = replica.get_state()
                self.store.load_doc(name, into=replica)
                self._acks.changed(name, 1 if replica.get_state() != before else 0)
                continue
            doc = self._docs[name] = self.store.load_doc(name)
            confirmed = self.store.doc_state(RELAY_PEER, name)
            changed = confirmed is None or confirmed != doc.get_state()
            # A document changed since the relay last confirmed it counts as one change.
            self._acks.changed(name, 1 if changed and doc.get_update() != b"\x00\x00" else 0)

    async def _sleep(self, delay: float | None) -> None:
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), delay)

    async def _attempt(self) -> float | None:
        """Try one connection and sync until it ends; return how long to wait before the next."""
        identity = self.store.identity
        if not identity.relay_url or not identity.relay_token:
            self._board.update(state=LinkState.NOT_CONFIGURED, error=None)
            self._end_connect_waiters("this till is not logged in")
            return None
        if self._refused is not None:
            self._board.update(state=LinkState.REFUSED, error=self._refused)
            self._end_connect_waiters(self._refused)
            return None
        self._board.update(state=LinkState.CONNECTING)
        link = RelayLink(
            identity.relay_url,
            {"method": "token", "token": identity.relay_token},
            timings=self.timings.link,
            origin=self._origin,
        )
        try:
            granted = await link.connect()
        except LoginRefusedError as exc:
            if exc.code != "auth.throttled":
                self._refused = exc.reason
                logger.warning("the relay refused this device: %s", exc.reason)
                self._board.update(state=LinkState.REFUSED, error=exc.reason)
                self._end_connect_waiters(exc.reason)
                return None
            return self._offline(exc.reason)
        except RelayUnreachableError as exc:
            return self._offline(exc.reason)
        if await asyncio.to_thread(remember_lan_secret, self.store, granted):
            logger.info("the shop's LAN secret changed (a till was revoked): kept the new one")
        self._takes_reports = granted.get("status_reports") is True
        self._open(link)
        ticker = asyncio.create_task(self._tick(), name="sync-ticker")
        try:
            ended = await link.run(self._on_event)
        finally:
            ticker.cancel()
            if self._batch_handle is not None:  # stopping: send the last changes first
                self._batch_handle.cancel()
                self._flush_batch()
            if self._report_handle is not None:  # and the last pending count
                self._report_status()
            await link.close()  # at once if run() ended; on cancellation, a clean close
            self._link = None
            self._reported = None
            self._relay_has = None
            self._acks.closed()
            self._fail_waiters("the connection to the server was lost")
        logger.info("relay link ended: %s", ended.reason)
        return self._offline(ended.reason)

    def _offline(self, reason: str) -> float:
        self._board.update(state=LinkState.OFFLINE, error=reason)
        self._end_connect_waiters(reason)
        return self._backoff.next_delay()

    def _open(self, link: RelayLink) -> None:
        self._link = link
        self._relay_has = None
        self._sent_upto = {}
        self._rejection = None
        self._batch.clear()
        link.open(self._docs)
        self._acks.opened()
        self._board.update(state=LinkState.ONLINE, error=None)
        self._report_status()

    def _on_credentials_changed(self) -> None:
        self._refused = None
        self._backoff.reset()
        self._wake.set()

    def _activity(self) -> None:
        self._last_activity = time.monotonic()

    async def _tick(self) -> None:
        """The periodic state-vector exchange: 10 s while in use, 2 min when idle."""
        t = self.timings
        while True:
            now = time.monotonic()
            active = now - self._last_activity < t.idle_after
            due = self._last_round + (t.active_resync if active else t.idle_resync)
            if now >= due and self._relay_has is not None:
                self._last_round = now
                self._background(self._background_round())
                await self._push_journal()
                continue
            await asyncio.sleep(max(0.05, min(t.active_resync, due - now)))

    # -- rounds -----------------------------------------------------------------------------

    def _send_step1(self, name: str) -> None:
        link = self._link
        if link is None or not link.is_open:
            return
        # Valid only once the relay's own step 1 was answered (its heads come after it).
        valid = self._relay_has is not None
        self._acks.sent(name, self._docs[name].get_state() if valid else None)
        link.session.resync(name)
        link.flush()

    def _request_step1(self, names: Collection[str]) -> dict[str, int]:
        """Ask the relay for its answer to our state of ``names``; one step 1 in flight per doc.

        Returns, per document, the generation whose answer covers this request.
        """
        need, send_now = self._acks.request(names)
        for name in send_now:
            self._send_step1(name)
        return need

    def _start_round(self, *, full: bool) -> _Round:
        need = self._request_step1(list(self._docs))
        round_ = _Round(need, asyncio.get_running_loop().create_future(), full)
        self._rounds.append(round_)
        self._check_rounds()
        return round_

    def _check_rounds(self) -> None:
        if self._relay_has is None:
            return
        journal_done = all(self._relay_has.get(k, 0) >= v for k, v in self._sent_upto.items())
        for round_ in list(self._rounds):
            if round_.future.done():
                self._rounds.remove(round_)
            elif self._rejection is not None:
                self._rounds.remove(round_)
                round_.future.set_exception(_RoundFailed(self._rejection))
            elif journal_done and self._acks.covers(round_.need):
                self._rounds.remove(round_)
                round_.future.set_result(None)
                if round_.full:
                    self._backoff.reset()
                    self._board.update(last_sync=time.time())
                    self._report_status()

    def _fail_waiters(self, reason: str) -> None:
        for round_ in self._rounds:
            if not round_.future.done():
                round_.future.set_exception(_RoundFailed(reason))
        self._rounds.clear()
        requests, self._requests = self._requests, {}
        for request_id, answer in requests.items():
            if not answer.done():
                answer.set_exception(RequestRefusedError(f"request {request_id}", reason))

    def _end_connect_waiters(self, reason: str | None) -> None:
        waiters, self._connect_waiters = self._connect_waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(reason)

    async def _sync_now(self) -> SyncOutcome:
        self._activity()
        await self._refresh_pending_sales()
        try:
            return await asyncio.wait_for(self._sync_round(), self.timings.sync_now_timeout)
        except TimeoutError:
            return SyncOutcome(False, "the server did not answer in time", self.status)

    async def _sync_round(self) -> SyncOutcome:
        if self._link is None or self._relay_has is None:
            # Wait for a link whose relay heads arrived (connecting now if offline).
            waiter: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()
            self._connect_waiters.append(waiter)
            if self._link is None:
                self._backoff.reset()
                self._wake.set()
            reason = await waiter
            if reason is not None:
                return SyncOutcome(False, reason, self.status)
        self._last_round = time.monotonic()
        round_ = self._start_round(full=True)
        await self._push_journal()
        self._check_rounds()
        try:
            await round_.future
        except _RoundFailed as exc:
            return SyncOutcome(False, str(exc), self.status)
        await self._refresh_pending_sales()
        return SyncOutcome(True, None, self.status)

    async def _request(self, name: str, payload: JsonObject) -> JsonObject:
        link = self._link
        if link is None or not link.is_open:
            raise RequestRefusedError(name, self.status.error or "offline")
        request_id = link.session.send_control_request(name, payload)
        link.flush()
        answer: asyncio.Future[JsonObject] = asyncio.get_running_loop().create_future()
        self._requests[request_id] = answer
        try:
            return await asyncio.wait_for(answer, self.timings.sync_now_timeout)
        except TimeoutError:
            raise RequestRefusedError(name, "no answer in time") from None
        finally:
            self._requests.pop(request_id, None)

    def _on_control_response(self, event: ControlResponded) -> None:
        answer = self._requests.get(event.request_id)
        if answer is None or answer.done():
            return
        if event.ok:
            answer.set_result(event.payload)
        else:
            reason = event.payload.get("error")
            answer.set_exception(RequestRefusedError(event.name, str(reason or "refused")))

    # -- documents --------------------------------------------------------------------------

    def _attach(self, bridge: DocBridge, states: dict[str, tuple[bytes, bytes]]) -> None:
        self._bridges.append(bridge)
        for name, (full, app_state) in states.items():
            replica = self._docs[name]
            before = replica.get_state()
            self._apply_local(name, full)
            if replica.get_state() != before:
                self._queue_local(name, replica.get_update(before))
            missing = replica.get_update(app_state)
            if missing != b"\x00\x00":
                bridge.deliver(name, missing)

    def _apply_local(self, name: str, update: bytes) -> bool:
        try:
            with self._docs[name].transaction(origin=LOCAL):
                self._docs[name].apply_update(update)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:
            logger.exception("a local update of %r could not be applied to the replica", name)
            return False
        return True

    def _local_update(self, name: str, update: bytes) -> None:
        if name not in self._docs or not self._apply_local(name, update):
            return
        self._queue_local(name, update)

    def _queue_local(self, name: str, update: bytes) -> None:
        self._activity()
        self._acks.changed(name)
        self._update_pending_changes()
        self._batch.setdefault(name, []).append(update)
        if self._batch_handle is None:
            loop = asyncio.get_running_loop()
            self._batch_handle = loop.call_later(self.timings.batch_delay, self._flush_batch)

    def _flush_batch(self) -> None:
        self._batch_handle = None
        batch, self._batch = self._batch, {}
        link = self._link
        if link is None or not link.is_open:
            return  # the state-vector exchange at the next connection sends them
        for name, updates in batch.items():
            update = updates[0] if len(updates) == 1 else merge_updates(*updates)
            link.session.send_update(name, update)
        link.flush()
        if self._relay_has is not None:
            self._request_step1(list(batch))  # the relay's answer acknowledges the changes

    def _update_pending_changes(self) -> None:
        self._board.update(pending_changes=self._acks.pending)
        self._schedule_report()

    # -- status report ----------------------------------------------------------------------

    def _report_status(self) -> None:
        """Tell the relay this device's software version and pending count now."""
        if self._report_handle is not None:
            self._report_handle.cancel()
            self._report_handle = None
        link = self._link
        if link is None or not link.is_open or not self._takes_reports:
            return
        pending = self.status.pending
        link.session.send_device_status(__version__, pending)
        link.flush()
        self._reported = pending

    def _schedule_report(self) -> None:
        """Report the pending count ``report_delay`` s from now if it changed since the last."""
        if self._link is None or not self._takes_reports or self._report_handle is not None:
            return
        if self.status.pending == self._reported:
            return
        loop = asyncio.get_running_loop()
        self._report_handle = loop.call_later(self.timings.report_delay, self._report_status)

    async def _on_doc_synced(self, name: str) -> None:
        answer = self._acks.answered(name)
        if answer.resend:
            self._send_step1(name)
        if answer.confirmed_state is not None:
            self._update_pending_changes()
            await asyncio.to_thread(
                self.store.record_doc_state, RELAY_PEER, name, answer.confirmed_state
            )
        self._check_rounds()

    async def _on_remote_update(self, name: str, update: bytes) -> None:
        await asyncio.to_thread(self.store.append_update, name, update)
        for bridge in self._bridges:
            bridge.deliver(name, update)

    # -- journal ----------------------------------------------------------------------------

    def _on_journal_changed(self) -> None:
        self._activity()
        self._background(self._journal_changed())

    def _background(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _journal_changed(self) -> None:
        await self._refresh_pending_sales()
        await self._push_journal()

    async def _refresh_pending_sales(self) -> None:
        count = await asyncio.to_thread(unacknowledged_records, self.store, RELAY_PEER)
        self._board.update(pending_sales=count)
        self._schedule_report()

    async def _push_journal(self) -> None:
        """Send every held record the relay lacks and was not sent on this link yet."""
        async with self._journal_lock:
            link, relay_has = self._link, self._relay_has
            if link is None or relay_has is None:
                return
            for head in await asyncio.to_thread(self.store.journal_heads):
                key = (head.till_id, head.chain)
                start = max(self._sent_upto.get(key, 0), relay_has.get(key, 0))
                sent = await send_chain(
                    self.store,
                    link,
                    head,
                    start,
                    self._sent_upto,
                    lambda: link is self._link and link.is_open,
                )
                if not sent:
                    return

    async def _on_heads(self, heads: tuple[ChainPosition, ...]) -> None:
        first = self._relay_has is None
        has = self._relay_has or {}
        for head in heads:
            key = (head.till_id, head.chain)
            has[key] = max(has.get(key, 0), head.seq)
        self._relay_has = has
        if first:  # the relay's step 1s came before its heads: a round now is a valid ack
            self._last_round = time.monotonic()
            self._background(self._background_round())
            self._end_connect_waiters(None)
        await self._push_journal()

    async def _background_round(self) -> None:
        try:
            await self._start_round(full=True).future
        except _RoundFailed as exc:
            logger.info("sync round failed: %s", exc)
            return
        await self._prepare_guards()

    async def _prepare_guards(self) -> None:
        """Build each replica's guard twin now (once) rather than at its first relay update.

        For a big catalogue that is a long step (about 1 s at 100 000 products): done
        after a round, it no longer delays the first edit that arrives from the relay.
        """
        for doc in self._docs.values():
            prepare_guard(doc)
            await asyncio.sleep(0)  # let waiting frames in between documents

    async def _on_ack(self, acked: tuple[ChainPosition, ...], rejected: tuple[Any, ...]) -> None:
        has = self._relay_has
        for position in acked:
            key = (position.till_id, position.chain)
            if has is not None:
                has[key] = max(has.get(key, 0), position.seq)
            await asyncio.to_thread(
                self.store.record_journal_ack,
                RELAY_PEER,
                position.till_id,
                position.chain,
                position.seq,
            )
        for refusal in rejected:
            logger.warning(
                "the relay refused record %s/%s/%d: %s",
                refusal.position.till_id,
                refusal.position.chain,
                refusal.position.seq,
                refusal.message,
            )
            self._rejection = f"the server refused a record: {refusal.message}"
            self._board.update(error=self._rejection)
        await self._refresh_pending_sales()
        self._check_rounds()

    # -- events ---------------------------------------------------------------------------

    async def _on_event(self, event: Event) -> None:
        match event:
            case DocUpdated(doc=doc, update=update):
                await self._on_remote_update(doc, update)
            case DocSynced(doc=doc):
                await self._on_doc_synced(doc)
            case JournalHeadsReceived(heads=heads):
                await self._on_heads(heads)
            case JournalAckReceived(acked=acked, rejected=rejected):
                await self._on_ack(acked, rejected)
            case JournalRecordsReceived(records=records):
                logger.debug("ignoring %d records of other tills (not carried)", len(records))
            case ControlRequested(request_id=request_id, name=name):
                link = self._link
                if link is not None:
                    link.session.send_control_response(
                        request_id, {"error": f"a till does not answer {name!r}"}, ok=False
                    )
            case ControlResponded():
                self._on_control_response(event)
            case WriteRefused(doc=doc):
                logger.warning("the relay sent a write to %r, which it may only read", doc)
            case PeerErrorEvent(code=code, message=message, doc=doc):
                logger.warning("the relay reported %s on %r: %s", code, doc, message)
            case _:
                pass
