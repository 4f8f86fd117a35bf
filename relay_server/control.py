"""CONTROL requests a device may make over its native connection.

Owners only: ``stats`` ({"day": "YYYY-MM-DD"} or {"from": ..., "to": ...}; "top": N
keeps the N best-selling products),
``tills`` (list, with each till's last report: see :mod:`.till_status`),
``add_till`` ({"name", "password"}: returns the licence key),
``set_till_password`` ({"till_id", "password"}), ``revoke_till`` ({"till_id"}),
``journal`` ({"till_id", "after", "limit"}: up to ``limit`` (at most
:data:`JOURNAL_PAGE`) of the till's sales records after seq ``after``, as
JSON lines, with the chain's head and the till's public key, so that the
owner can read and verify every till's journal).
Anyone: ``whoami``; ``closing_check`` ({"till_id", "seq"}: whether the relay
holds every sales record of that till of the shop up to ``seq``; a till asks
it before its daily closing, then appends the closing record, which the relay
verifies and chains like any record). A refused request gets an error response
({"error": message}); the connection goes on.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from crdt_models.sync.payloads import JsonObject
from relay_server.auth import Grant, hash_password, new_licence_key
from relay_server.errors import PermissionDenied, StorageError
from relay_server.storage import TillInfo
from relay_server.till_status import till_list

if TYPE_CHECKING:
    from relay_server.server import RelayServer

__all__ = ["JOURNAL_PAGE", "handle_control"]

OWNER_ONLY = frozenset(
    {"stats", "tills", "add_till", "set_till_password", "revoke_till", "journal"}
)
#: The most records one ``journal`` answer holds.
JOURNAL_PAGE = 500
#: The largest integer a request may name (JSON numbers are exact up to here).
MAX_JSON_INT = 2**53


def _text(payload: JsonObject, key: str) -> str:
    value = payload.get(key)
    if not isinstance(value, str) or not value:
        raise PermissionDenied(f"the request needs a string {key!r}")
    return value


async def _own_till(relay: RelayServer, grant: Grant, payload: JsonObject) -> TillInfo:
    """The till of the request's ``till_id``, if it is one of the device's shop."""
    till_id = _text(payload, "till_id")
    try:
        till = await asyncio.to_thread(relay.storage.accounts.till, till_id)
    except StorageError:
        till = None
    if till is None or till.shop_id != grant.shop_id:
        raise PermissionDenied("no such till in this shop")
    return till


def _count(payload: JsonObject, key: str, low: int, high: int) -> int:
    value = payload.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise PermissionDenied(f"the request needs an integer {key!r} from {low} to {high}")
    return value


async def _journal_page(relay: RelayServer, grant: Grant, payload: JsonObject) -> JsonObject:
    till = await _own_till(relay, grant, payload)
    after = _count(payload, "after", 0, MAX_JSON_INT)
    limit = _count(payload, "limit", 1, JOURNAL_PAGE)
    journal = relay.storage.journal
    head = await asyncio.to_thread(journal.head, till.id, "sales")
    lines = await asyncio.to_thread(journal.records_after, till.id, "sales", after, limit)
    return {
        "till_id": till.id,
        "public_key": till.public_key.hex() if till.public_key is not None else None,
        "head": {"seq": head.seq, "hash": head.hash},
        "records": [bytes(line).decode("utf-8", "replace") for line in lines],
    }


async def handle_control(
    relay: RelayServer, grant: Grant, name: str, payload: JsonObject
) -> JsonObject:
    """Answer one control request; raises RelayError / DomainError for a refusal."""
    if name in OWNER_ONLY and not grant.is_owner:
        raise PermissionDenied(f"only an owner may ask {name!r}")
    accounts = relay.storage.accounts
    if name == "whoami":
        return {"shop_id": grant.shop_id, "role": grant.role, "device_id": grant.device_id}
    if name == "closing_check":
        till = await _own_till(relay, grant, payload)
        seq = _count(payload, "seq", 0, MAX_JSON_INT)
        head = await asyncio.to_thread(relay.storage.journal.head, till.id, "sales")
        return {"till_id": till.id, "held": head.seq, "complete": head.seq >= seq}
    if name == "stats":
        first = payload.get("day", payload.get("from"))
        last = payload.get("day", payload.get("to", first))
        if not isinstance(first, str) or not isinstance(last, str):
            raise PermissionDenied("stats needs 'day' or 'from' and 'to' (YYYY-MM-DD)")
        top = None if payload.get("top") is None else _count(payload, "top", 1, MAX_JSON_INT)
        stats = await relay.journal.stats(grant.shop_id, first, last, top)
        return dict(stats)  # type: ignore[arg-type]
    if name == "tills":
        return await till_list(relay, grant.shop_id)
    if name == "journal":
        return await _journal_page(relay, grant, payload)
    if name == "add_till":
        till_name, password = _text(payload, "name"), _text(payload, "password")
        hashed = await asyncio.to_thread(hash_password, password)
        till = await asyncio.to_thread(
            accounts.add_till, grant.shop_id, till_name, new_licence_key(), hashed
        )
        return {"till_id": till.id, "number": till.number, "licence_key": till.licence_key}
    if name == "set_till_password":
        till = await _own_till(relay, grant, payload)
        hashed = await asyncio.to_thread(hash_password, _text(payload, "password"))
        await asyncio.to_thread(accounts.set_till_password, till.id, hashed)
        return {"till_id": till.id}
    if name == "revoke_till":
        till = await _own_till(relay, grant, payload)
        await relay.revoke_till(till.id)
        return {"till_id": till.id, "revoked": True}
    raise PermissionDenied(f"unknown request {name!r}")
