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
    "Closed without the cash count of: {names}": "Clôture faite sans le comptage de : {names}",
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
    "Search a barcode": "Chercher un code-barres",
    "Search in the descriptions": "Chercher dans les descriptions",
    "Name": "Nom",
    "Description": "Description",
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
    # printing
    "Printer": "Imprimante",
    "Receipt printer": "Imprimante à tickets",
    "No printer (PDF)": "Pas d'imprimante (PDF)",
    "Network": "Réseau",
    "USB": "USB",
    "Address": "Adresse",
    "Port": "Port",
    "Device": "Périphérique",
    "Paper": "Papier",
    "58 mm": "58 mm",
    "80 mm": "80 mm",
    "Print a test page": "Imprimer une page de test",
    "Save": "Enregistrer",
    "The port is a number such as 9100.": "Le port est un nombre comme 9100.",
    "Type the printer's address, such as 192.168.1.50.": (
        "Tapez l'adresse de l'imprimante, par exemple 192.168.1.50."
    ),
    "Type the printer's device, such as /dev/usb/lp0.": (
        "Tapez le périphérique de l'imprimante, par exemple /dev/usb/lp0."
    ),
    "Printed on {place}.": "Imprimé sur {place}.",
    "Printer not reachable at {place}": "Imprimante injoignable à {place}",
    "The printer at {place} did not take the ticket (paper? cover?)": (
        "L'imprimante {place} n'a pas pris le ticket (papier ? capot ?)"
    ),
    "No printer at {place} (unplugged or switched off?)": (
        "Pas d'imprimante sur {place} (débranchée ou éteinte ?)"
    ),
    "This till may not write to the printer {place}": (
        "Cette caisse n'a pas le droit d'écrire sur l'imprimante {place}"
    ),
    "Printing on {place} failed: {reason}": "L'impression sur {place} a échoué : {reason}",
    "the sale is saved; print it again (F9) or from past tickets (F8).": (
        "la vente est enregistrée ; réimprimez-la (F9) ou depuis les tickets précédents (F8)."
    ),
    "TEST PAGE": "PAGE DE TEST",
    "Printer: {place}": "Imprimante : {place}",
    "Paper: {n} characters per line": "Papier : {n} caractères par ligne",
    "Provisional\nticket": "Ticket\nprovisoire",
    "Print the basket before payment (not a receipt)": (
        "Imprimer le panier avant paiement (ne vaut pas ticket de caisse)"
    ),
    "PROVISIONAL TICKET — NOT A RECEIPT": "TICKET PROVISOIRE — NE VAUT PAS TICKET DE CAISSE",
    "This ticket is printed: print a duplicate instead.": (
        "Ce ticket est imprimé : imprimez plutôt un duplicata."
    ),
    # loyalty star, product info
    "Reward earned: {reward}": "Récompense obtenue : {reward}",
    "Reward earned": "Récompense obtenue",
    "Loyalty reward": "Récompense fidélité",
    "{visits} visits counted; giving the reward uses {needed} of them. "
    "Then add the reward to the sale (a 100 % discount on its line).": (
        "{visits} visites comptées ; offrir la récompense en utilise {needed}. "
        "Ajoutez ensuite la récompense à la vente (une remise de 100 % sur sa ligne)."
    ),
    "Give the reward": "Offrir la récompense",
    "Not now": "Pas maintenant",
    "{visits} of {needed} visits": "{visits} visites sur {needed}",
    "{visits} of {needed} visits: {left} more before the reward.": (
        "{visits} visites sur {needed} : encore {left} avant la récompense."
    ),
    "No reward earned yet.": "Pas encore de récompense obtenue.",
    "Reward given: add it to the sale. {visits} visits left.": (
        "Récompense offerte : ajoutez-la à la vente. Reste {visits} visites."
    ),
    "Product info": "Fiche produit",
    "Info": "Info",
    "Not tracked": "Non suivi",
    "Price": "Prix",
    "VAT": "TVA",
    "Barcode": "Code-barres",
    "Category": "Catégorie",
    "Stock": "Stock",
    "Sold today on this till": "Vendus aujourd'hui sur cette caisse",
    "Close": "Fermer",
    # closing: cash count, month and year closings (cash_count.py, closings.py)
    "A quantity is a whole number.": "Une quantité est un nombre entier.",
    "Cash count": "Comptage de caisse",
    "Cash count before the closing": "Comptage de caisse avant la clôture",
    "Cash drawer: coins and notes": "Tiroir-caisse : pièces et billets",
    "Close without a count": "Clôturer sans comptage",
    "Count every method (type 0 when there is none): {names}": (
        "Comptez chaque moyen de paiement (tapez 0 s'il n'y a rien) : {names}"
    ),
    "Count my cash and sign out": "Compter ma caisse et me déconnecter",
    "Count recorded: {name} is signed out until the day is closed.": (
        "Comptage enregistré : {name} est déconnecté(e) jusqu'à la clôture du jour."
    ),
    "Counted": "Compté",
    "Counted {counted} · expected {expected}": "Compté {counted} · attendu {expected}",
    "Counted {method}": "Compté {method}",
    "Difference": "Écart",
    "Expected": "Attendu",
    "How many {unit}": "Nombre de {unit}",
    "Method": "Moyen de paiement",
    "Record the count": "Enregistrer le comptage",
    "The closing needs a cash count: nothing was closed.": (
        "La clôture demande un comptage de caisse : rien n'a été clôturé."
    ),
    "The count could not be recorded: {reason}": (
        "Le comptage n'a pas pu être enregistré : {reason}"
    ),
    "Type amounts like 12,50.": "Tapez les montants comme 12,50.",
    "right": "juste",
    "{name} has counted their cash: locked until the day is closed.": (
        "{name} a compté sa caisse : bloqué(e) jusqu'à la clôture du jour."
    ),
    "{name}: count your cash": "{name} : comptez votre caisse",
    "Available once a day is closed, with no sale since.": (
        "Possible une fois un jour clôturé, sans vente depuis."
    ),
    "Available once a month is closed, with no day closed since.": (
        "Possible une fois un mois clôturé, sans jour clôturé depuis."
    ),
    "Close the month {label}": "Clôturer le mois {label}",
    "Close the year {label}": "Clôturer l'année {label}",
    "Month and year closings": "Clôtures mensuelles et annuelles",
    "Month closed: {label}": "Mois clôturé : {label}",
    "Month closing": "Clôture du mois",
    "Year closed: {label}": "Année clôturée : {label}",
    "Year closing": "Clôture de l'année",
    "Day": "Jour",
    "Month": "Mois",
    "Year": "Année",
    # options menu: technical events journal, purge, logout (events_view.py, logout.py)
    "Options": "Options",
    "Technical events journal": "Journal des événements techniques",
    "Every event": "Tous les événements",
    "Show": "Afficher",
    "No technical event recorded yet.": "Aucun événement technique enregistré.",
    "Till started": "Caisse démarrée",
    "Cashier signed in": "Vendeur connecté",
    "Cashier signed out": "Vendeur déconnecté",
    "Sync failure": "Échec de synchronisation",
    "Verification failure": "Échec de vérification",
    "Archive": "Archivage",
    "Purge of old records": "Purge des anciens enregistrements",
    "record {seq}": "enregistrement {seq}",
    "{n} records older than {date}": "{n} enregistrements antérieurs au {date}",
    "Purge old records": "Purger les anciennes données",
    "Nothing was purged: {reason}": "Rien n'a été purgé : {reason}",
    "{n} record(s) removed from this till (on the relay, older than {days} days).": (
        "{n} enregistrement(s) retiré(s) de cette caisse (sur le serveur, plus "
        "anciens que {days} jours)."
    ),
    "Log out this till": "Déconnecter cette caisse",
    "Log out this till?": "Déconnecter cette caisse ?",
    "Log out": "Déconnecter",
    "LOG OUT": "DÉCONNECTER",
    "Really log out ({n} not sent)": "Vraiment déconnecter ({n} non envoyés)",
    "To log out anyway, type {word}:": "Pour déconnecter quand même, tapez {word} :",
    "This till is not logged in to a relay.": "Cette caisse n'est connectée à aucun serveur.",
    "Not logged out: {n} record(s) have not reached the relay yet.": (
        "Pas de déconnexion : {n} enregistrement(s) ne sont pas encore sur le serveur."
    ),
    "The till will ask for its licence and password at the next start. "
    "Its sales and settings stay on it.": (
        "La caisse demandera sa licence et son mot de passe au prochain démarrage. "
        "Ses ventes et réglages y restent."
    ),
    "{n} sale(s) or change(s) have not reached the relay yet. If you log "
    "out now they stay only on this till until it logs in again: do not "
    "reset or replace it. Better: connect to the internet and sync first.": (
        "{n} vente(s) ou modification(s) ne sont pas encore sur le serveur. Si vous "
        "déconnectez maintenant, elles restent seulement sur cette caisse jusqu'à sa "
        "prochaine connexion : ne la réinitialisez pas et ne la remplacez pas. Mieux : "
        "connectez-vous à Internet et synchronisez d'abord."
    ),
}
