"""Fixtures of the relay tests: storage backends (SQLite file, PostgreSQL database) and a
real relay subprocess on a free port."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from relay_process import (
    OWNER_PASSWORD,
    TILL_PASSWORD,
    RelayProcess,
    RunningRelay,
    relay_subprocess,
)
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from relay_server.provisioning import ProvisionedShop, add_owner, add_till, mint_owner_token
from relay_server.storage import Storage, TillInfo, open_storage
from relay_server.storage.schema import Base

PG_ADMIN_URL = os.environ.get(
    "SKYTILL_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, dropped at the end.

    Skips when no PostgreSQL answers, except under CI (CI=true), where it fails.
    """
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"skytill_relay_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL at {PG_ADMIN_URL}: {exc.orig}")
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty relay database URL, once per backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'relay.db'}"
    return _empty(request.getfixturevalue("pg_url"))


@pytest.fixture
def pg_db_url(pg_url: str) -> str:
    """An empty PostgreSQL relay database URL (for what runs on PostgreSQL only)."""
    return _empty(pg_url)


def _empty(url: str) -> str:
    engine = create_engine(url)
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()
    return url


@pytest.fixture
def storage(db_url: str) -> Iterator[Storage]:
    """An opened storage over an empty database, once per backend."""
    opened = open_storage(db_url)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def relay_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RelayProcess]:
    """One relay subprocess per test module, over its own SQLite file."""
    with relay_subprocess(tmp_path_factory) as running:
        yield running


def provision(storage: Storage) -> tuple[ProvisionedShop, ProvisionedShop, list[TillInfo]]:
    """Two fresh shops (unique names): A with tills A1, A2 and B with till B1."""
    suffix = uuid.uuid4().hex[:8]
    shops = []
    for letter in "AB":
        owner = add_owner(
            storage, f"Shop {letter} {suffix}", f"{letter}{suffix}@x.test", OWNER_PASSWORD
        )
        token = mint_owner_token(storage, owner.email)
        shops.append(ProvisionedShop(owner.shop_id, owner.id, owner.email, token))
    tills = [
        add_till(storage, f"Shop {letter} {suffix}", name, TILL_PASSWORD)
        for letter, name in (("A", "A1"), ("A", "A2"), ("B", "B1"))
    ]
    return shops[0], shops[1], tills


@pytest.fixture
def relay(relay_process: RelayProcess) -> RunningRelay:
    """The module's relay subprocess with fresh shops A (two tills) and B (one till)."""
    shop_a, shop_b, tills = provision(relay_process.storage)
    return RunningRelay(
        relay_process.db_url,
        relay_process.host,
        relay_process.port,
        relay_process.process,
        shop_a,
        shop_b,
        *tills,
    )


REDIS_URL = os.environ.get("SKYTILL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The test Redis; skips when none answers, except under CI (CI=true), where it fails."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL}: {exc}")
    finally:
        client.close()
    return REDIS_URL
