"""The sales journal: signed, hash-chained, append-only records per till.

Each till owns two chains, ``"sales"`` (sales, refunds, duplicates,
closings: legal records) and ``"events"`` (logins, sync failures, archives).
Records are never edited or deleted; a refund is a minus entry referencing
the original. Modules, by what they hold:

- :mod:`.canonical` -- the canonical JSON that hashes are computed over
- :mod:`.keys` -- the till's Ed25519 key
- :mod:`.record` -- :class:`Record` and its JSON line
- :mod:`.chain` -- :class:`ChainHead`, :func:`append_record`, :func:`verify_record_link`
- :mod:`.verify` -- :func:`verify_chain`, :func:`verify_jsonl`
- :mod:`.sale`, :mod:`.refund`, :mod:`.duplicate`, :mod:`.closing`, :mod:`.count`,
  :mod:`.events` -- record bodies of each kind, built by pure functions that check the sums
- :mod:`.ticket` -- ticket numbers; :mod:`.rollback` -- restored-backup detection
- :mod:`.jsonl` -- JSON Lines export and import
- :mod:`.errors` -- :class:`JournalError` and its subclasses
"""

from crdt_models.journal.bodies import SALES_KINDS, validate_body
from crdt_models.journal.canonical import canonical_json, parse_json
from crdt_models.journal.chain import ChainHead, append_record, head_after, verify_record_link
from crdt_models.journal.closing import (
    PERIODS,
    ClosingState,
    GrandTotals,
    daily_closing_body,
    grand_totals,
    next_closing_body,
    period_closing_body,
)
from crdt_models.journal.count import (
    DENOMINATIONS,
    count_body,
    count_difference,
    expected_amounts,
)
from crdt_models.journal.duplicate import duplicate_body
from crdt_models.journal.errors import (
    ChainLinkError,
    JournalError,
    MalformedRecordError,
    RollbackDetectedError,
)
from crdt_models.journal.events import EVENT_KINDS, archive_body, event_body
from crdt_models.journal.jsonl import export_jsonl, read_jsonl
from crdt_models.journal.keys import generate_signing_key, public_key_of
from crdt_models.journal.record import EVENTS, GENESIS_HASH, SALES, Record
from crdt_models.journal.refund import (
    RefundLine,
    build_refund_body,
    check_refund,
    refund_due,
    refundable_quantities,
)
from crdt_models.journal.rollback import HeadComparison, compare_heads, ensure_not_rolled_back
from crdt_models.journal.sale import (
    CASH,
    QTY_ONE,
    Payment,
    SaleLine,
    build_sale_body,
    net_payments,
)
from crdt_models.journal.ticket import parse_ticket_number, ticket_number
from crdt_models.journal.verify import VerifyReport, verify_chain, verify_jsonl

__all__ = [
    "CASH",
    "DENOMINATIONS",
    "EVENTS",
    "EVENT_KINDS",
    "GENESIS_HASH",
    "PERIODS",
    "QTY_ONE",
    "SALES",
    "SALES_KINDS",
    "ChainHead",
    "ChainLinkError",
    "ClosingState",
    "GrandTotals",
    "HeadComparison",
    "JournalError",
    "MalformedRecordError",
    "Payment",
    "Record",
    "RefundLine",
    "RollbackDetectedError",
    "SaleLine",
    "VerifyReport",
    "append_record",
    "archive_body",
    "build_refund_body",
    "build_sale_body",
    "canonical_json",
    "check_refund",
    "compare_heads",
    "count_body",
    "count_difference",
    "daily_closing_body",
    "duplicate_body",
    "ensure_not_rolled_back",
    "event_body",
    "expected_amounts",
    "export_jsonl",
    "generate_signing_key",
    "grand_totals",
    "head_after",
    "net_payments",
    "next_closing_body",
    "parse_json",
    "parse_ticket_number",
    "period_closing_body",
    "public_key_of",
    "read_jsonl",
    "refund_due",
    "refundable_quantities",
    "ticket_number",
    "validate_body",
    "verify_chain",
    "verify_jsonl",
    "verify_record_link",
]
