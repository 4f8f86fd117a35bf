"""Alembic environment of the device store.

The store runs migrations programmatically (``app.core.store.database.migrate``)
on its own connection, passed in ``config.attributes["connection"]``, inside the
transaction that also checks the file; there is no alembic.ini. To write a new
revision during development, use ``alembic revision`` with
``-c`` pointing at a temporary ini whose ``script_location`` is this folder.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from app.core.store.models import Base

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
