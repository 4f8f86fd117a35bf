"""Revisions of the relay database, oldest first."""
