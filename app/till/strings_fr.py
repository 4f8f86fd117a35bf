"""French text of the till's screens, keyed by the English text (see :mod:`app.qt.i18n`)."""

from __future__ import annotations

__all__ = ["TILL_FRENCH"]

TILL_FRENCH: dict[str, str] = {
    # window
    "Skytill till": "Caisse Skytill",
    "Switch language": "Changer de langue",
    "Tickets": "Tickets",
    "Choose a cashier": "Choisir un vendeur",
    "Park": "En attente",
    "Recall ({n})": "Reprendre ({n})",
    "Recall a parked sale": "Reprendre une vente en attente",
    "Sale parked. Recall it with F6 when the basket is empty.": (
        "Vente mise en attente. Reprenez-la avec F6 quand le panier est vide."
    ),
    "No parked sale.": "Aucune vente en attente.",
    "No ticket yet on this till.": "Pas encore de ticket sur cette caisse.",
    "Past tickets": "Tickets précédents",
    "Reason for the refund": "Motif du remboursement",
    "Customer return": "Retour client",
    "The refund could not be recorded: {reason}": (
        "Le remboursement n'a pas pu être enregistré : {reason}"
    ),
    "No connection to the relay": "Pas de connexion au serveur",
    "Connected to the relay": "Connectée au serveur",
    "Shop network: {n} device(s)": "Réseau du magasin : {n} appareil(s)",
    "The relay refused this till: {reason}": "Le serveur refuse cette caisse : {reason}",
    "Last sync: {when}": "Dernière synchronisation : {when}",
    "Sync": "Synchroniser",
    "Synchronising…": "Synchronisation…",
    "Everything is on the relay.": "Tout est sur le serveur.",
    "Not synchronised: {reason}. Selling goes on.": (
        "Pas synchronisé : {reason}. La vente continue."
    ),
    "The sale could not be recorded: {reason}": "La vente n'a pas pu être enregistrée : {reason}",
    "The sale could not be saved on this till ({reason}). Nothing was recorded: try again.": (
        "La vente n'a pas pu être enregistrée sur cette caisse ({reason}). "
        "Rien n'a été enregistré : réessayez."
    ),
    "The till cannot start: {reason}": "La caisse ne peut pas démarrer : {reason}",
    "To try the till, start it with --demo.": "Pour essayer la caisse, lancez-la avec --demo.",
    # closing
    "Closing": "Clôture",
    "Finish or park the sale in progress first.": (
        "Terminez ou mettez en attente la vente en cours d'abord."
    ),
    "Closing needs the internet: keep selling, close later.": (
        "La clôture a besoin d'internet : continuez à vendre, clôturez plus tard."
    ),
    "Checking that the relay holds every sale…": (
        "Vérification que le serveur a toutes les ventes…"
    ),
    "Closing needs every sale on the relay ({reason}): try again later.": (
        "La clôture demande que toutes les ventes soient sur le serveur ({reason}) : "
        "réessayez plus tard."
    ),
    "The closing could not be recorded: {reason}": (
        "La clôture n'a pas pu être enregistrée : {reason}"
    ),
    "Day closed: {label}": "Journée clôturée : {label}",
    "Z closing {label}": "Clôture Z {label}",
    "Refunds": "Remboursements",
    "Duplicates": "Duplicatas",
    "Grand total": "Grand total",
    "Perpetual grand total": "Grand total perpétuel",
    # login
    "Connect this till to the shop": "Connecter cette caisse au magasin",
    "Type the licence key and password given by the shop owner.": (
        "Tapez la clé de licence et le mot de passe donnés par le gérant."
    ),
    "Connect": "Connecter",
    "Licence key": "Clé de licence",
    "Password": "Mot de passe",
    "Relay: {url}": "Serveur : {url}",
    "Connecting…": "Connexion…",
    "The till could not connect: {reason}": "La caisse n'a pas pu se connecter : {reason}",
    # cashier
    "Who is selling?": "Qui vend ?",
    "{name}: type your PIN": "{name} : tapez votre code",
    "Wrong PIN: try again.": "Code erroné : réessayez.",
    "OK": "OK",
    # selling
    "Search a product or a barcode": "Chercher un produit ou un code-barres",
    "All": "Tous",
    "More products: type in the search field to find them.": (
        "D'autres produits : tapez dans le champ de recherche pour les trouver."
    ),
    "No product found.": "Aucun produit trouvé.",
    "stock {n}": "stock {n}",
    "Product": "Produit",
    "Qty": "Qté",
    "Quantity": "Quantité",
    "Total": "Total",
    "Discount": "Remise",
    "Note": "Note",
    "Remove the line": "Supprimer la ligne",
    "Discount on the sale": "Remise sur la vente",
    "Discount on the line": "Remise sur la ligne",
    "Note on the line": "Note sur la ligne",
    "Discounts: {amount}": "Remises : {amount}",
    "Pay": "Encaisser",
    "Unknown barcode {code}: search the product by name.": (
        "Code-barres inconnu {code} : cherchez le produit par son nom."
    ),
    "Search": "Chercher",
    "The basket is empty: add a product first.": "Le panier est vide : ajoutez d'abord un produit.",
    "This discount is not possible.": "Cette remise n'est pas possible.",
    "This quantity is not possible.": "Cette quantité n'est pas possible.",
    "This amount is too large.": "Ce montant est trop élevé.",
    "Cancel the payments before changing the sale.": (
        "Annulez les paiements avant de modifier la vente."
    ),
    "This is not possible: {reason}": "Ce n'est pas possible : {reason}",
    # customer
    "Customer": "Client",
    "Name or phone": "Nom ou téléphone",
    "Create and attach": "Créer et associer",
    "No customer": "Sans client",
    "First name": "Prénom",
    "Last name": "Nom",
    "Phone": "Téléphone",
    "New customer": "Nouveau client",
    "Type a first or last name, and a valid phone number.": (
        "Tapez un prénom ou un nom, et un numéro de téléphone valide."
    ),
    "Customer: {name}": "Client : {name}",
    # dialogs
    "Apply": "Appliquer",
    "No discount": "Sans remise",
    "Cancel": "Annuler",
    "{n} items": "{n} articles",
    # payment
    "Payment": "Paiement",
    "Remaining to pay": "Reste à payer",
    "Remove the payment": "Retirer le paiement",
    "Back to the sale": "Retour à la vente",
    "Amount handed over": "Montant remis",
    "Exact": "Compte juste",
    "exact": "compte juste",
    "Total of the sale: {amount}": "Total de la vente : {amount}",
    "change {amount}": "rendu {amount}",
    "{method} cannot pay more than what remains: type the exact amount.": (
        "{method} ne peut pas payer plus que le reste dû : tapez le montant exact."
    ),
    "Type an amount such as 12,50.": "Tapez un montant comme 12,50.",
    "Type an amount above zero.": "Tapez un montant supérieur à zéro.",
    "Nothing remains to be paid.": "Il ne reste rien à payer.",
    "This payment is not possible.": "Ce paiement n'est pas possible.",
    # receipt
    "New sale": "Nouvelle vente",
    "Enter": "Entrée",
    "Print the receipt": "Imprimer le ticket",
    "Print a duplicate": "Imprimer un duplicata",
    "Refund this ticket": "Rembourser ce ticket",
    "Duplicate printed: ticket {ticket}": "Duplicata imprimé : ticket {ticket}",
    "Refund recorded: ticket {ticket}": "Remboursement enregistré : ticket {ticket}",
    "To give back": "À rendre au client",
    "of ticket {ticket}": "du ticket {ticket}",
    "Reason: {reason}": "Motif : {reason}",
    "{n} returned": "{n} rendu(s)",
    "Change to give": "Monnaie à rendre",
    "Sale recorded: ticket {ticket}": "Vente enregistrée : ticket {ticket}",
    "Receipt saved as {path}": "Ticket enregistré dans {path}",
    "DUPLICATE no. {n}": "DUPLICATA n° {n}",
    "REFUND": "REMBOURSEMENT",
    "discount {amount}": "remise {amount}",
    "Basket discount": "Remise sur la vente",
    "TOTAL": "TOTAL",
    "VAT {rate} on {gross}": "TVA {rate} sur {gross}",
    "Change": "Rendu",
    "Ticket {ticket}": "Ticket {ticket}",
    "Till: {till}": "Caisse : {till}",
    "Cashier: {name}": "Vendeur : {name}",
    "SIRET {id}": "SIRET {id}",
    "VAT no. {id}": "N° TVA {id}",
}
