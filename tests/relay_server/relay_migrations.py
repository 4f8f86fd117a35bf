"""For the relay's migration tests: Alembic on a test's own connection, and the one shop
and till an older relay's database holds (plain SQL: the ORM describes the head)."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from sqlalchemy import Connection, text

import relay_server.storage.migrations as migrations


def alembic_config(connection: Connection) -> Config:
    """The relay's migrations, run on ``connection`` (``command.upgrade(config, rev)``)."""
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    config.attributes["connection"] = connection
    return config


def insert_old_shop(connection: Connection, shop_id: str, till_id: str) -> None:
    """Shop ``shop_id`` ("Old shop") with till number 1 ``till_id`` ("Old till")."""
    connection.execute(
        text(
            "INSERT INTO shops (id, name, lan_secret, created_at)"
            " VALUES (:id, 'Old shop', 'secret', 0)"
        ),
        {"id": shop_id},
    )
    connection.execute(
        text(
            "INSERT INTO tills (id, shop_id, number, name, licence_key, revoked)"
            " VALUES (:id, :shop, 1, 'Old till', 'licence', false)"
        ),
        {"id": till_id, "shop": shop_id},
    )
