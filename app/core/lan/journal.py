"""Journal store-and-forward between LAN peers: heads, records, acks.

Every device carries the records of every till of the shop it has heard of.
When a link opens both sides announce their heads (highest contiguous seq
per till and chain); each then sends what the other lacks, 500 records per
frame, oldest first, and again whenever it stores something new (a sale of
its own, or records carried from a third peer). Received records are checked
before they are stored (:meth:`~app.core.store.DeviceStore.receive_records`:
chain link, seq, Ed25519 signature against the till's key from
:class:`~.keys.TillKeys`) and acknowledged; a till whose key is unknown is
refused. Before a till's records go to a peer for the first time, its key
goes in a ``keys`` control request (frames are ordered, so it arrives first).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.core.lan.keys import TillKeys
from app.core.lan.link import LanLink
from app.core.store import DeviceStore
from app.core.sync.journal_frames import send_chain
from crdt_models.journal import ChainLinkError, JournalError, Record
from crdt_models.sync import ChainPosition, RecordRejection

__all__ = ["JournalForwarder", "PeerJournal"]

logger = logging.getLogger(__name__)

_NOWHERE = ChainPosition("", "", 0)
_ChainKey = tuple[str, str]


@dataclass
class PeerJournal:
    """What one peer holds (its heads and acks) and what was sent to it on this link."""

    has: dict[_ChainKey, int] | None = None  # None until its heads arrive
    sent: dict[_ChainKey, int] = field(default_factory=dict)
    keys_sent: set[str] = field(default_factory=set)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def heard(self, positions: Iterable[ChainPosition]) -> None:
        """The peer holds at least ``positions`` (its heads, or an ack)."""
        has = self.has or {}
        for position in positions:
            key = (position.till_id, position.chain)
            has[key] = max(has.get(key, 0), position.seq)
        self.has = has


class JournalForwarder:
    """Sends and receives journal records on LAN links for one device store."""

    def __init__(self, store: DeviceStore, keys: TillKeys) -> None:
        self.store = store
        self.keys = keys

    async def heads(self) -> list[ChainPosition]:
        """Our heads, to announce when a link opens and at each resync."""
        heads = await asyncio.to_thread(self.store.journal_heads)
        return [ChainPosition(h.till_id, h.chain, h.seq) for h in heads]

    async def push(self, link: LanLink, peer: PeerJournal) -> None:
        """Send the peer every record we hold beyond what it holds or was sent."""
        async with peer.lock:
            if peer.has is None or not link.is_open:
                return
            for head in await asyncio.to_thread(self.store.journal_heads):
                key = (head.till_id, head.chain)
                start = max(peer.sent.get(key, 0), peer.has.get(key, 0))
                if head.seq <= start:
                    continue
                if head.till_id not in peer.keys_sent and self.keys.get(head.till_id):
                    offered = self.keys.as_hex([head.till_id])
                    link.session.send_control_request("keys", {"keys": dict(offered)})
                    peer.keys_sent.add(head.till_id)
                sent = await send_chain(
                    self.store, link, head, start, peer.sent, lambda: link.is_open
                )
                if not sent:
                    return

    async def receive(self, link: LanLink, lines: Iterable[bytes]) -> int:
        """Verify and store records a peer sent, acknowledge them; returns how many are new."""
        rejected: list[RecordRejection] = []
        groups: dict[_ChainKey, list[Record]] = {}
        for line in lines:
            try:
                record = Record.from_json_line(line)
            except JournalError as exc:
                rejected.append(RecordRejection(_NOWHERE, "journal.malformed", str(exc)))
                continue
            groups.setdefault((record.till_id, record.chain), []).append(record)
        stored = 0
        for (till, chain), records in groups.items():
            key = self.keys.get(till)
            if key is None:
                position = ChainPosition(till, chain, records[0].seq)
                rejected.append(RecordRejection(position, "journal.no_key", "unknown till key"))
                continue
            try:
                stored += await asyncio.to_thread(self.store.receive_records, records, key)
            except ChainLinkError as exc:
                code = "journal." + exc.reason.replace(" ", "_")
                rejected.append(
                    RecordRejection(ChainPosition(till, chain, exc.seq), code, str(exc))
                )
        heads = {(p.till_id, p.chain): p.seq for p in await self.heads()}
        if link.is_open:
            link.session.send_journal_ack(
                [ChainPosition(t, c, heads.get((t, c), 0)) for t, c in groups], rejected
            )
            link.flush()
        for refusal in rejected:
            logger.warning("refused a record from a LAN peer: %s", refusal)
        return stored
