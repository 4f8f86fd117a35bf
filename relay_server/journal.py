"""Receiving journal records: verify, store exactly once, acknowledge; heads; statistics.

A record is accepted from any connection of its own shop (a till may carry
another till's records: store and forward), but only if it continues the
chain the relay holds and is signed by the key its *origin* till registered
at its first login. So a till can append only to its own journal: it cannot
sign for another. A record already stored is acknowledged again if it is the
same record, refused if it differs (a fork). Records of another shop's tills
are refused as unknown, saying nothing of that shop.

Sales count in the shop's day: the time zone of its settings document (the
room's live copy when the shop has one in this process, else the stored one)
when the record is stored.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pycrdt import Doc

from crdt_models.documents import SettingsDocument
from crdt_models.documents.schema import SETTINGS
from crdt_models.errors import ValidationError
from crdt_models.journal import (
    ChainHead,
    ChainLinkError,
    JournalError,
    Record,
    head_after,
    validate_body,
    verify_record_link,
)
from crdt_models.sync import ChainPosition, RecordRejection
from relay_server.errors import StorageError
from relay_server.storage import Storage, TillInfo

if TYPE_CHECKING:
    from relay_server.rooms import RoomRegistry

__all__ = ["JournalReceipt", "JournalService"]

logger = logging.getLogger(__name__)

MAX_RECORDS_PER_FRAME = 500
_NOWHERE = ChainPosition("", "", 0)
_FORK = ("journal.conflict", "a different record is already stored at this place")


@dataclass
class JournalReceipt:
    """What to answer a JOURNAL_RECORDS frame with: heads reached, refusals, new records."""

    acked: list[ChainPosition] = field(default_factory=list)
    rejected: list[RecordRejection] = field(default_factory=list)
    stored: int = 0


def _iso_day(value: str) -> dt.date:
    """A ``YYYY-MM-DD`` date (the form the statistics store days in), else ValidationError."""
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise ValidationError("day", "stats.day", f"{value!r} is not a YYYY-MM-DD date")


def _position(record: Record) -> ChainPosition:
    return ChainPosition(record.till_id, record.chain, record.seq)


class _Batch:
    """One frame's records being received: tills and chain heads read once, new
    records queued for one transaction."""

    def __init__(self, storage: Storage, shop_id: str) -> None:
        self._storage = storage
        self._shop_id = shop_id
        self._tills: dict[str, TillInfo | None] = {}
        self._heads: dict[tuple[str, str], ChainHead] = {}
        self.new: list[Record] = []
        self.queued: dict[tuple[str, str, int], Record] = {}
        self.touched: set[tuple[str, str]] = set()

    def till(self, till_id: str) -> TillInfo | None:
        """The till, if it belongs to this shop."""
        if till_id not in self._tills:
            try:
                till = self._storage.accounts.till(till_id)
            except StorageError:
                till = None
            self._tills[till_id] = till if till and till.shop_id == self._shop_id else None
        return self._tills[till_id]

    def head(self, till_id: str, chain: str) -> ChainHead:
        key = (till_id, chain)
        if key not in self._heads:
            self._heads[key] = self._storage.journal.head(till_id, chain)
        return self._heads[key]

    def queue(self, record: Record) -> None:
        self.new.append(record)
        self.queued[(record.till_id, record.chain, record.seq)] = record
        self._heads[(record.till_id, record.chain)] = head_after(record)
        self.touched.add((record.till_id, record.chain))


class JournalService:
    """The relay's side of journal replication, over :class:`Storage`."""

    def __init__(self, storage: Storage, rooms: RoomRegistry | None = None) -> None:
        self.storage = storage
        self.rooms = rooms

    async def receive(self, shop_id: str, lines: Iterable[bytes]) -> JournalReceipt:
        """Verify and store records received from a connection of ``shop_id``."""
        zone = await self.zone(shop_id)
        return await asyncio.to_thread(self._receive, shop_id, list(lines), zone)

    async def zone(self, shop_id: str) -> dt.tzinfo:
        """The shop's time zone, from its settings document."""
        room = self.rooms.rooms.get(shop_id) if self.rooms is not None else None
        if room is not None:
            return SettingsDocument(room.docs[SETTINGS]).zone()
        return await asyncio.to_thread(self._stored_zone, shop_id)

    def _stored_zone(self, shop_id: str) -> dt.tzinfo:
        doc: Doc[Any] = Doc()
        for update in self.storage.documents.load(shop_id, SETTINGS):
            doc.apply_update(update)  # each was applied to the room before it was stored
        return SettingsDocument(doc).zone()

    async def heads(self, shop_id: str) -> list[ChainPosition]:
        """The highest seq the relay holds per (till, chain) of the shop."""
        rows = await asyncio.to_thread(self.storage.journal.heads, shop_id)
        return [ChainPosition(t, c, s) for t, c, s in rows]

    async def missing_for(
        self, shop_id: str, peer_heads: Iterable[ChainPosition], limit: int = MAX_RECORDS_PER_FRAME
    ) -> list[bytes]:
        """Records of the shop the peer lacks, given its heads (chains it omits: all)."""
        known = {(h.till_id, h.chain): h.seq for h in peer_heads}
        out: list[bytes] = []
        for head in await self.heads(shop_id):
            have = known.get((head.till_id, head.chain), 0)
            if head.seq > have and len(out) < limit:
                out += await asyncio.to_thread(
                    self.storage.journal.records_after,
                    head.till_id,
                    head.chain,
                    have,
                    limit - len(out),
                )
        return out

    async def stats(
        self, shop_id: str, first_day: str, last_day: str, top: int | None = None
    ) -> dict[str, object]:
        """Revenue statistics of the shop from ``first_day`` to ``last_day`` (ISO dates,
        inclusive; the shop's days), from its daily summaries (see ``JournalStore.stats``);
        ``top``: only that many products, the best-selling."""
        if _iso_day(first_day) > _iso_day(last_day):
            raise ValidationError(
                "to", "stats.period", f"the period ends ({last_day}) before it starts ({first_day})"
            )
        return await asyncio.to_thread(
            self.storage.journal.stats, shop_id, first_day, last_day, top
        )

    def _receive(self, shop_id: str, lines: list[bytes], zone: dt.tzinfo) -> JournalReceipt:
        receipt = JournalReceipt()
        records: list[Record] = []
        for line in lines:
            try:
                records.append(Record.from_json_line(line))
            except JournalError as exc:
                receipt.rejected.append(RecordRejection(_NOWHERE, "journal.malformed", str(exc)))
        records.sort(key=lambda r: (r.till_id, r.chain, r.seq))
        batch = _Batch(self.storage, shop_id)
        refused_chains: set[tuple[str, str]] = set()
        for record in records:
            chain_key = (record.till_id, record.chain)
            if chain_key in refused_chains:
                refusal = ("journal.after_refused", "an earlier record of this chain was refused")
                receipt.rejected.append(RecordRejection(_position(record), *refusal))
                continue
            problem = self._check(batch, record)
            if problem is not None:
                refused_chains.add(chain_key)
                receipt.rejected.append(RecordRejection(_position(record), *problem))
        # One transaction for the whole frame: a record costs a verification, not
        # a commit. If another connection stored some of them meanwhile, the
        # transaction fails whole and each record is stored on its own instead.
        if self.storage.journal.insert_many(shop_id, batch.new, zone):
            receipt.stored += len(batch.new)
        else:
            for record in batch.new:
                if self.storage.journal.insert(shop_id, record, zone):
                    receipt.stored += 1
                elif (problem := self._repeat(record)) is not None:
                    receipt.rejected.append(RecordRejection(_position(record), *problem))
        for till_id, chain in batch.touched:
            head = self.storage.journal.head(till_id, chain)
            receipt.acked.append(ChainPosition(till_id, chain, head.seq))
        return receipt

    def _check(self, batch: _Batch, record: Record) -> tuple[str, str] | None:
        """Check one record against the chain as stored plus this frame's new records.

        None if it is new (queued in ``batch``) or already held, else (code, message).
        """
        till = batch.till(record.till_id)
        if till is None:
            return ("journal.unknown_till", "no till with this id in this shop")
        if till.public_key is None:
            return ("journal.no_key", "this till has not registered its signing key yet")
        head = batch.head(record.till_id, record.chain)
        if record.seq <= head.seq:
            queued = batch.queued.get((record.till_id, record.chain, record.seq))
            if queued is not None:
                return None if queued == record else _FORK
            problem = self._repeat(record)
            if problem is None:
                batch.touched.add((record.till_id, record.chain))
            return problem
        try:
            verify_record_link(head, record, till.public_key)
            validate_body(record.chain, record.kind, record.body, record.seq)
        except ChainLinkError as exc:
            return ("journal." + exc.reason.replace(" ", "_"), str(exc))
        except (ValidationError, JournalError) as exc:
            return ("journal.invalid_body", str(exc))
        batch.queue(record)
        return None

    def _repeat(self, record: Record) -> tuple[str, str] | None:
        stored = self.storage.journal.stored_line(record.till_id, record.chain, record.seq)
        if stored == record.to_json_line():
            return None
        logger.warning(
            "till %s chain %s seq %d: a different record is already stored",
            record.till_id,
            record.chain,
            record.seq,
        )
        return _FORK
