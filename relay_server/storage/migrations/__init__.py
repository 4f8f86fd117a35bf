"""Alembic migrations of the relay database (run by ``open_storage``)."""
