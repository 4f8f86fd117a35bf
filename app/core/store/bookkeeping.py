"""Sync bookkeeping: what each peer (the relay, a LAN peer) has acknowledged.

Per peer, the store remembers the highest journal sequence the peer
acknowledged for every (till, chain) and the last state vector it confirmed
for every document, so that after a restart the sync engine resends only
what is missing. Acknowledgements only move forward.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from app.core.store.models import PeerDocState, PeerJournalAck

__all__ = ["doc_state", "journal_acks", "record_doc_state", "record_journal_ack"]


def record_journal_ack(session: Session, peer_id: str, till_id: str, chain: str, seq: int) -> None:
    """Remember that ``peer_id`` holds (till_id, chain) up to ``seq`` (never moves back)."""
    stmt = insert(PeerJournalAck).values(peer_id=peer_id, till_id=till_id, chain=chain, seq=seq)
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["peer_id", "till_id", "chain"],
            set_={"seq": func.max(PeerJournalAck.seq, stmt.excluded.seq)},
        )
    )


def journal_acks(session: Session, peer_id: str) -> dict[tuple[str, str], int]:
    """(till_id, chain) -> highest sequence ``peer_id`` acknowledged."""
    rows = session.execute(
        select(PeerJournalAck.till_id, PeerJournalAck.chain, PeerJournalAck.seq).where(
            PeerJournalAck.peer_id == peer_id
        )
    )
    return {(till, chain): seq for till, chain, seq in rows}


def record_doc_state(session: Session, peer_id: str, doc: str, state_vector: bytes) -> None:
    """Remember the state vector of ``doc`` that ``peer_id`` confirmed holding."""
    stmt = insert(PeerDocState).values(peer_id=peer_id, doc=doc, state_vector=state_vector)
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["peer_id", "doc"], set_={"state_vector": stmt.excluded.state_vector}
        )
    )


def doc_state(session: Session, peer_id: str, doc: str) -> bytes | None:
    """The last state vector of ``doc`` confirmed by ``peer_id``, or None."""
    row = session.get(PeerDocState, (peer_id, doc))
    return None if row is None else bytes(row.state_vector)
