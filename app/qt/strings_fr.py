"""French text for every ``tr("...")`` in the apps, keyed by the English text."""

from __future__ import annotations

__all__ = ["FRENCH"]

FRENCH: dict[str, str] = {
    # sync badge
    "Online": "En ligne",
    "Shop network only": "Réseau du magasin seul",
    "Offline": "Hors ligne",
    "{n} to send": "{n} à envoyer",
    # closing report
    "Cash": "Espèces",
    "Z closing {label}": "Clôture Z {label}",
    "Month closing {label}": "Clôture mensuelle {label}",
    "Year closing {label}": "Clôture annuelle {label}",
    "Tickets": "Tickets",
    "Refunds": "Remboursements",
    "Duplicates": "Duplicatas",
    "VAT {rate} on {gross}": "TVA {rate} sur {gross}",
    "TOTAL": "TOTAL",
    "Grand total": "Grand total",
    "Perpetual grand total": "Grand total perpétuel",
    # receipt
    "DUPLICATE": "DUPLICATA",
    "DUPLICATE no. {n}": "DUPLICATA n° {n}",
    "REFUND": "REMBOURSEMENT",
    "of ticket {ticket}": "du ticket {ticket}",
    "Reason: {reason}": "Motif : {reason}",
    "{n} returned": "{n} rendu(s)",
    "discount {amount}": "remise {amount}",
    "Basket discount": "Remise sur la vente",
    "Change": "Rendu",
    "Ticket {ticket}": "Ticket {ticket}",
    "Till: {till}": "Caisse : {till}",
    "Cashier: {name}": "Vendeur : {name}",
    "Customer: {name}": "Client : {name}",
    "SIRET {id}": "SIRET {id}",
    "VAT no. {id}": "N° TVA {id}",
}
