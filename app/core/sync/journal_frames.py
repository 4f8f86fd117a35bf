"""Sending one chain's records to a peer, a JOURNAL_RECORDS frame at a time.

The relay link (:mod:`app.core.sync.engine`) and the LAN links
(:mod:`app.core.lan.journal`) both send what the other side lacks this way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, MutableMapping
from typing import Protocol

from app.core.store import DeviceStore
from crdt_models.journal import ChainHead
from crdt_models.sync import SyncSession

__all__ = ["RECORDS_PER_FRAME", "JournalLink", "send_chain"]

#: Records per JOURNAL_RECORDS frame (the relay sends at most 500 per frame too).
RECORDS_PER_FRAME = 500


class JournalLink(Protocol):
    """A link whose session sends the frames (:class:`~app.core.sync.link.RelayLink`,
    :class:`~app.core.lan.link.LanLink`)."""

    @property
    def session(self) -> SyncSession: ...

    def flush(self) -> None: ...


async def send_chain(
    store: DeviceStore,
    link: JournalLink,
    head: ChainHead,
    start: int,
    sent: MutableMapping[tuple[str, str], int],
    still_open: Callable[[], bool],
) -> bool:
    """Send ``head``'s chain from after seq ``start`` up to ``head.seq``, oldest first,
    noting in ``sent`` the last seq sent; False if ``still_open()`` turned false (the
    link closed or was replaced) before everything went."""
    key = (head.till_id, head.chain)
    while head.seq > start:
        records = await asyncio.to_thread(
            store.records,
            till_id=head.till_id,
            chain=head.chain,
            after_seq=start,
            limit=RECORDS_PER_FRAME,
        )
        if not records or not still_open():
            return False
        link.session.send_journal_records([r.to_json_line() for r in records])
        link.flush()
        start = sent[key] = records[-1].seq
    return True
