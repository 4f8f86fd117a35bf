"""Every till's journal as the relay holds it: fetched page by page, verified, kept here.

The manager signs nothing and syncs no journal of its own; it reads the
tills' sales chains from the relay with the owner's ``journal`` request
(at most ``JOURNAL_PAGE`` records after a seq, the chain's head and the
till's public key, see :mod:`relay_server.control`).

- :func:`fetch_chain` reads one till's chain (all of it, or what follows a seq);
- :func:`check_chain` verifies a fetched chain from its genesis with the
  till's key (``crdt_models.journal.verify_jsonl``, up to the relay's head)
  and names the first broken record: what the integrity check shows;
- :func:`check_journals` does both for every till of the shop and keeps the
  verified records in this computer's store; :func:`pull_journals` copies only
  the records this computer lacks (each checked against the chain stored
  here), so that the journal, the closings and reprints work offline.
- Both also keep, per till, what the relay said of its chain (:class:`Witness`:
  the till's public key, the chain's head, when) among this computer's device
  settings, so that :func:`check_local_journals` verifies this computer's
  copies offline, as of that refresh.

These are coroutines for the background loop
(:meth:`app.qt.bridge.AsyncBridge.submit`): fetching waits on the network
and verifying a large journal takes seconds, so neither runs on the GUI
thread. ``ask`` is :func:`relay_asker` of the signed-in connection.
"""

from __future__ import annotations

import asyncio
import json
import logging
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from app.core.store import DeviceStore
from app.manager.relay_connection import RelayConnection
from crdt_models.journal import (
    SALES,
    ChainHead,
    ChainLinkError,
    MalformedRecordError,
    Record,
    verify_jsonl,
)
from crdt_models.sync.payloads import JsonObject

__all__ = [
    "NO_KEY",
    "NO_LOCAL_KEY",
    "PAGE",
    "WITNESS_SETTING",
    "Ask",
    "LocalChecks",
    "PullResult",
    "TillChain",
    "TillCheck",
    "Witness",
    "check_chain",
    "check_journals",
    "check_local_journals",
    "fetch_chain",
    "pull_journals",
    "relay_asker",
    "witness",
]

logger = logging.getLogger(__name__)

#: Records asked for per request (the relay's most).
PAGE = 500

#: Sends one control request to the relay and returns its answer.
Ask = Callable[[str, JsonObject], Awaitable[Any]]

#: The reason :class:`TillCheck` gives when the relay has no key for a till with records.
NO_KEY = "no key"
#: The reason a check of this computer's copy gives when it never kept the till's key.
NO_LOCAL_KEY = "no local key"

#: The device setting that keeps a till's :class:`Witness` (followed by the till's id).
WITNESS_SETTING = "journal-witness:"


def relay_asker(relay: RelayConnection) -> Ask:
    """``ask`` for the coroutines of this module, over the signed-in connection."""

    async def ask(name: str, payload: JsonObject) -> Any:
        return await asyncio.wrap_future(relay.engine.request(name, payload))

    return ask


@dataclass(frozen=True, slots=True)
class TillChain:
    """A till's sales chain as fetched: its lines after ``after``, up to the relay's ``head``."""

    till_id: str
    public_key: bytes | None
    head: ChainHead
    after: int
    lines: list[bytes]

    def records(self) -> list[Record]:
        """The records up to the first line that is not one."""
        out: list[Record] = []
        for line in self.lines:
            try:
                out.append(Record.from_json_line(line))
            except MalformedRecordError:
                break
        return out


@dataclass(frozen=True, slots=True)
class TillCheck:
    """The integrity check of one till's chain.

    ``count`` records verified and ``head_hash`` the hash of the last of them
    (all of them when ``ok``); otherwise ``bad_seq`` is the first broken
    record and ``reason`` / ``detail`` say why (the verifier's words).
    ``local_problem`` is set when this computer holds a different record
    than the relay's verified one (its copy was altered).
    """

    till_id: str
    name: str
    ok: bool
    count: int
    head_hash: str
    bad_seq: int | None = None
    reason: str = ""
    detail: str = ""
    local_problem: str = ""


@dataclass(frozen=True, slots=True)
class Witness:
    """What the relay said of a till's sales chain at this computer's last refresh:
    the till's public key, the chain's head then, and when (unix seconds)."""

    public_key: bytes
    head: ChainHead
    at: int

    def to_setting(self) -> str:
        return json.dumps(
            {
                "key": self.public_key.hex(),
                "seq": self.head.seq,
                "hash": self.head.hash,
                "at": self.at,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_setting(cls, till_id: str, text: str) -> Witness:
        """Raises ValueError (or KeyError, TypeError) if ``text`` is not one."""
        obj = json.loads(text)
        head = ChainHead(till_id, SALES, int(obj["seq"]), str(obj["hash"]))
        return cls(bytes.fromhex(str(obj["key"])), head, int(obj["at"]))


def witness(store: DeviceStore, till_id: str) -> Witness | None:
    """The till's :class:`Witness` kept here, or None (never refreshed, or unreadable)."""
    try:
        text = store.device_setting(WITNESS_SETTING + till_id)
        return None if text is None else Witness.from_setting(till_id, text)
    except (ValueError, KeyError, TypeError) as exc:
        logger.warning(
            "till %s: the chain kept at the last refresh is unreadable: %s", till_id, exc
        )
        return None


def _remember(store: DeviceStore, chain: TillChain, at: float) -> None:
    """Keep what the relay said of ``chain`` (its key and head) for the offline check."""
    if chain.public_key is None:
        return
    kept = Witness(chain.public_key, chain.head, int(at))
    try:
        store.set_device_setting(WITNESS_SETTING + chain.till_id, kept.to_setting())
    except ValueError as exc:  # a till id too long to name a setting: not a relay's id
        logger.warning("till %s: its key is not kept here: %s", chain.till_id, exc)


@dataclass(frozen=True, slots=True)
class LocalChecks:
    """The check of this computer's copies: one result a till, and the oldest of their
    refreshes from the relay (None: a till's copy was never refreshed, or no copy)."""

    results: list[TillCheck]
    as_of: int | None


@dataclass(frozen=True, slots=True)
class PullResult:
    """What :func:`pull_journals` copied: new records, and tills whose copy failed (id → why)."""

    stored: int
    problems: dict[str, str]


async def fetch_chain(ask: Ask, till_id: str, after: int = 0) -> TillChain:
    """The till's sales records after seq ``after`` up to the relay's head, page by page."""
    head: ChainHead | None = None
    key: bytes | None = None
    lines: list[bytes] = []
    last = after
    while head is None or last < head.seq:
        answer = await ask("journal", {"till_id": till_id, "after": last, "limit": PAGE})
        if head is None:
            position = answer["head"]
            head = ChainHead(till_id, SALES, int(position["seq"]), str(position["hash"]))
            key = bytes.fromhex(answer["public_key"]) if answer["public_key"] else None
        before = last
        for text in answer["records"]:
            line = str(text).encode("utf-8")
            try:
                seq = Record.from_json_line(line).seq
            except MalformedRecordError:
                lines.append(line)  # the verifier reports it; nothing after it can be placed
                return TillChain(till_id, key, head, after, lines)
            if seq > head.seq:
                break  # stored after the head was read: the next check sees it
            lines.append(line)
            last = max(last, seq)
        if last == before or len(answer["records"]) < PAGE:
            break  # the relay holds nothing more (or a tampered seq would loop)
    assert head is not None
    return TillChain(till_id, key, head, after, lines)


def check_chain(chain: TillChain, name: str = "") -> TillCheck:
    """Verify a chain fetched from its genesis (``after=0``) with the till's key."""
    if chain.after != 0:
        raise ValueError("an integrity check starts at the genesis")
    if chain.public_key is None:
        if chain.head.seq == 0:
            return TillCheck(chain.till_id, name, True, 0, "")
        detail = "the relay holds no public key for this till"
        return TillCheck(chain.till_id, name, False, 0, "", 1, NO_KEY, detail)
    end = chain.head if chain.head.seq > 0 else None
    report = verify_jsonl(b"\n".join(chain.lines), chain.public_key, end=end)
    head_hash = report.head.hash if report.head is not None and report.head.seq else ""
    if report.ok:
        return TillCheck(chain.till_id, name, True, report.count, head_hash)
    return TillCheck(
        chain.till_id,
        name,
        False,
        report.count,
        head_hash,
        report.first_bad_seq,
        report.reason or "",
        report.detail or "",
    )


def _verify_copy(store: DeviceStore, till_id: str) -> tuple[TillCheck, Witness | None]:
    """Verify this computer's copy of the till's sales chain from its first record, with
    the key and up to the head the relay gave at the last refresh."""
    kept = witness(store, till_id)
    key = kept.public_key if kept is not None else None
    if key is None and till_id == store.identity.till_id:
        key = store.identity.public_key  # this computer's own journal (a demo, a test)
    with tempfile.TemporaryDirectory(prefix="skytill-check-") as tmp:
        path = Path(tmp) / "journal.jsonl"
        store.export_journal(path, till_id=till_id, chain=SALES)
        data = path.read_bytes()
    if key is None:
        if not data.strip():
            return TillCheck(till_id, "", True, 0, ""), kept
        detail = "this computer kept no public key for this till"
        return TillCheck(till_id, "", False, 0, "", 1, NO_LOCAL_KEY, detail), kept
    end = kept.head if kept is not None and kept.head.seq > 0 else None
    chain = TillChain(till_id, key, end or ChainHead.genesis(till_id, SALES), 0, data.splitlines())
    return check_chain(chain), kept


def check_local_journals(store: DeviceStore, till_ids: Iterable[str] = ()) -> LocalChecks:
    """Verify this computer's copy of every till's journal it holds (and of ``till_ids``,
    the shop's tills), without the relay: each with the key and head of its last refresh.

    Runs on a worker thread: a large journal takes seconds.
    """
    held = {h.till_id for h in store.journal_heads() if h.chain == SALES}
    results: list[TillCheck] = []
    times: list[int | None] = []
    for till_id in sorted(held | set(till_ids)):
        check, kept = _verify_copy(store, till_id)
        if kept is None and till_id not in held:
            continue  # a till this computer holds nothing of
        results.append(check)
        times.append(None if kept is None else kept.at)
    as_of = None if not times or None in times else min(t for t in times if t is not None)
    return LocalChecks(results, as_of)


def _keep(store: DeviceStore, chain: TillChain, count: int) -> str:
    """Store the first ``count`` (verified) records of ``chain``; a problem's text or ""."""
    if chain.public_key is None or count == 0:
        return ""
    try:
        store.receive_records(chain.records()[:count], chain.public_key)
    except ChainLinkError as exc:
        logger.warning("till %s: the copy on this computer differs: %s", chain.till_id, exc)
        return str(exc)
    return ""


async def check_journals(
    ask: Ask, store: DeviceStore, clock: Callable[[], float] = time.time
) -> list[TillCheck]:
    """Fetch and verify every till's chain, keep the verified records here; one result a till."""
    answer = await ask("tills", {})
    results: list[TillCheck] = []
    for till in answer["tills"]:
        chain = await fetch_chain(ask, str(till["id"]))
        check = await asyncio.to_thread(check_chain, chain, str(till["name"]))
        problem = await asyncio.to_thread(_keep, store, chain, check.count)
        await asyncio.to_thread(_remember, store, chain, clock())
        results.append(replace(check, local_problem=problem) if problem else check)
    return results


async def pull_journals(
    ask: Ask, store: DeviceStore, clock: Callable[[], float] = time.time
) -> PullResult:
    """Copy every till's records this computer lacks from the relay into ``store``."""
    answer = await ask("tills", {})
    held = {
        h.till_id: h.seq for h in await asyncio.to_thread(store.journal_heads) if h.chain == SALES
    }
    stored = 0
    problems: dict[str, str] = {}
    for till in answer["tills"]:
        till_id = str(till["id"])
        chain = await fetch_chain(ask, till_id, after=held.get(till_id, 0))
        if chain.public_key is None:
            continue
        if chain.lines:
            try:
                stored += await asyncio.to_thread(
                    store.receive_records, chain.records(), chain.public_key
                )
            except ChainLinkError as exc:
                logger.warning("till %s: records from the relay refused: %s", till_id, exc)
                problems[till_id] = str(exc)
        await asyncio.to_thread(_remember, store, chain, clock())
    return PullResult(stored, problems)
