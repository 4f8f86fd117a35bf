"""What tills report about themselves, and the owner's till list that shows it.

A till's sync engine sends a DEVICE_STATUS frame (software version, pending
count) when its link opens, after each completed sync round (at least every
two minutes while connected) and soon after its pending count changes. The
relay keeps the last one per till (``till_status``) with the time it arrived:
that time is the till's last sync. A till is online while this relay process
holds a connection of it, or while another process says it does and its last
report is recent (:data:`ONLINE_WITHIN`: a relay that died leaves its flags).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

from crdt_models.sync.payloads import JsonObject, JsonValue

if TYPE_CHECKING:
    from relay_server.server import RelayServer

__all__ = ["ONLINE_WITHIN", "connection_ended", "record_report", "till_list"]

logger = logging.getLogger(__name__)

#: A till connected to another relay process counts as online this long after its last
#: report (it reports at least every two minutes).
ONLINE_WITHIN = 180


def _live_tills(relay: RelayServer) -> set[str]:
    return {
        conn.grant.till.id
        for conn in relay.connections
        if conn.grant is not None and conn.grant.till is not None
    }


async def record_report(relay: RelayServer, till_id: str, version: str, pending: int) -> None:
    """Keep a till's report; a storage failure is logged, never fatal to its connection."""
    now = int(time.time())
    try:
        await asyncio.to_thread(
            relay.storage.accounts.record_till_status, till_id, version, pending, now
        )
    except Exception:
        logger.exception("could not record the status of till %s", till_id)


async def connection_ended(relay: RelayServer, till_id: str) -> None:
    """A connection of the till ended: it is offline unless another one remains here."""
    if till_id in _live_tills(relay):
        return
    try:
        await asyncio.to_thread(relay.storage.accounts.till_disconnected, till_id)
    except Exception:
        logger.exception("could not record that till %s disconnected", till_id)


async def till_list(relay: RelayServer, shop_id: str) -> JsonObject:
    """The answer to an owner's ``tills`` request: each till with its last report.

    ``version``, ``pending`` and ``last_sync`` (unix s) are null for a till that
    never reported; ``online`` is a bool.
    """
    accounts = relay.storage.accounts
    tills = await asyncio.to_thread(accounts.tills, shop_id)
    statuses = await asyncio.to_thread(accounts.till_statuses, shop_id)
    live = _live_tills(relay)
    now = int(time.time())
    listed: list[JsonValue] = []
    for till in tills:
        status = statuses.get(till.id)
        online = till.id in live or (
            status is not None and status.connected and now - status.reported_at <= ONLINE_WITHIN
        )
        listed.append(
            {
                "id": till.id,
                "number": till.number,
                "name": till.name,
                "revoked": till.revoked,
                "version": status.version if status else None,
                "pending": status.pending if status else None,
                "last_sync": status.reported_at if status else None,
                "online": online,
            }
        )
    return {"tills": listed}
