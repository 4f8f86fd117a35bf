"""French text of the manager's screens, keyed by the English text (see :mod:`app.qt.i18n`).

:func:`install_french` adds the table to the shared translator; the manager
window calls it once when it is imported.
"""

from __future__ import annotations

from app.qt.i18n import add_translations

__all__ = ["MANAGER_FRENCH", "install_french"]

MANAGER_FRENCH: dict[str, str] = {}


def install_french() -> None:
    """Make :func:`app.qt.i18n.tr` know the manager's French text (idempotent)."""
    add_translations("fr", MANAGER_FRENCH)
