"""Alembic environment of the relay database.

``open_storage`` runs migrations programmatically on its own connection, passed
in ``config.attributes["connection"]``; there is no alembic.ini. To write a new
revision during development, run ``alembic revision --autogenerate`` with ``-c``
pointing at a temporary ini whose ``script_location`` is this folder and whose
``sqlalchemy.url`` is a database at the previous head.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from relay_server.storage.schema import Base

config = context.config
connection = config.attributes.get("connection")

if connection is not None:
    context.configure(connection=connection, target_metadata=Base.metadata)
    with context.begin_transaction():
        context.run_migrations()
else:  # development only: alembic CLI with sqlalchemy.url set in a temporary ini
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=Base.metadata)
        with context.begin_transaction():
            context.run_migrations()
