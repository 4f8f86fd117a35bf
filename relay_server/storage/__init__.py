"""Relay storage: one SQLAlchemy schema, SQLite or PostgreSQL chosen by URL.

Open it with :func:`open_storage`; use ``storage.accounts``,
``storage.documents`` and ``storage.journal``.
"""

from relay_server.storage.accounts import OwnerInfo, ShopInfo, TillInfo, TokenInfo
from relay_server.storage.database import Storage, open_storage
from relay_server.storage.documents import DOC_NAMES

__all__ = [
    "DOC_NAMES",
    "OwnerInfo",
    "ShopInfo",
    "Storage",
    "TillInfo",
    "TokenInfo",
    "open_storage",
]
