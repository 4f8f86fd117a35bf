"""Skytill's relay: the multi-tenant cloud service tills and managers sync through.

Where things are:

- :mod:`.server` -- :class:`~.server.RelayServer`: routing (``/``, ``/yjs/<doc>``,
  ``/healthz``), connection tracking, revocation.
- :mod:`.native` / :mod:`.yjs` -- one connection of each endpoint (thin layers
  over ``crdt_models.sync`` and pycrdt's y-protocols helpers).
- :mod:`.rooms` -- a shop's four documents in memory, persistence then fan-out.
- :mod:`.fanout` -- fan-out between relay processes (in-process, Redis).
- :mod:`.journal` -- journal records: verify, store exactly once, acknowledge, statistics.
- :mod:`.control` -- CONTROL requests (stats, tills, revocation, closing check).
- :mod:`.auth` -- Argon2id passwords, device tokens, login throttling, grants.
- :mod:`.storage` -- the SQL schema (SQLite or PostgreSQL) and its repositories;
  Alembic migrations in ``storage/migrations``.
- :mod:`.outbox`, :mod:`.ratelimit` -- limits on what a peer costs (untrusted Yjs
  bytes are bounded by ``crdt_models.sync.guard``).
- :mod:`.provisioning` -- shops, owners, tills and tokens for the CLI, tests, benchmarks.
- :mod:`.cli` -- ``skytill relay ...`` / ``python -m relay_server ...``.
"""
