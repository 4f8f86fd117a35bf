"""French text for every ``tr("...")`` in the apps, keyed by the English text."""

from __future__ import annotations

__all__ = ["FRENCH"]

FRENCH: dict[str, str] = {
    # sync badge
    "Online": "En ligne",
    "Shop network only": "Réseau du magasin seul",
    "Offline": "Hors ligne",
    "{n} to send": "{n} à envoyer",
}
