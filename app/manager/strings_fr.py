"""French text of the manager's screens, keyed by the English text (see :mod:`app.qt.i18n`).

:func:`install_french` adds the table to the shared translator; the manager
calls it once at start-up (and its window module when it is imported).
"""

from __future__ import annotations

from app.qt.i18n import add_translations

__all__ = ["MANAGER_FRENCH", "install_french"]

MANAGER_FRENCH: dict[str, str] = {
    # window and sections
    "Skytill manager": "Skytill gestion",
    "Dashboard": "Tableau de bord",
    "Catalogue": "Catalogue",
    "Customers": "Clients",
    "Tills": "Caisses",
    "Closings & journal": "Clôtures et journal",
    "Settings": "Réglages",
    "The manager cannot start: {reason}": "La gestion ne peut pas démarrer : {reason}",
    "This computer": "Cet ordinateur",
    # lists and editors
    "Save": "Enregistrer",
    "Saved.": "Enregistré.",
    "Archive": "Archiver",
    "Restore": "Restaurer",
    "Archived": "Archivé",
    "Active": "Actif",
    "On sale": "En vente",
    "Status": "État",
    "Show archived": "Afficher les archivés",
    "Search": "Rechercher",
    "Refresh": "Actualiser",
    "{shown} shown of {total}": "{shown} affichés sur {total}",
    "Name": "Nom",
    "Number": "Numéro",
    "Kind": "Type",
    "Position": "Position",
    "Colour": "Couleur",
    "Choose a colour": "Choisir une couleur",
    "Choose…": "Choisir…",
    # catalogue
    "Products": "Produits",
    "Product": "Produit",
    "Categories": "Catégories",
    "Category": "Catégorie",
    "Conflicts": "Conflits",
    "Conflicts ({n})": "Conflits ({n})",
    "Price": "Prix",
    "Price (tax included)": "Prix TTC",
    "VAT": "TVA",
    "VAT rate": "Taux de TVA",
    "Barcode": "Code-barres",
    "Description": "Description",
    "No category": "Sans catégorie",
    "(archived rate)": "(taux archivé)",
    "(archived category)": "(catégorie archivée)",
    "New product": "Nouveau produit",
    "Archived product": "Produit archivé",
    "New category": "Nouvelle catégorie",
    "Archived category": "Catégorie archivée",
    "Position on the till": "Position sur la caisse",
    "Search by name, barcode or category": "Rechercher par nom, code-barres ou catégorie",
    "Search categories": "Rechercher une catégorie",
    "Change prices…": "Modifier les prix…",
    "Import CSV…": "Importer un CSV…",
    "Export CSV…": "Exporter en CSV…",
    "{n} prices changed.": "{n} prix modifiés.",
    "Import products": "Importer des produits",
    "Export products": "Exporter les produits",
    "CSV files (*.csv)": "Fichiers CSV (*.csv)",
    "{new} products added, {updated} updated.": "{new} produits ajoutés, {updated} mis à jour.",
    "Catalogue exported to {path}.": "Catalogue exporté dans {path}.",
    # bulk prices
    "Change prices": "Modifier les prix",
    "All products on sale": "Tous les produits en vente",
    "Change by a percentage": "Variation en pourcentage",
    "Then add an amount": "Puis ajouter un montant",
    "No price changes.": "Aucun prix ne change.",
    "{n} prices will change, for example {old} → {new}.": (
        "{n} prix vont changer, par exemple {old} → {new}."
    ),
    # CSV import
    "Import": "Importer",
    "Line": "Ligne",
    "Line {line}": "Ligne {line}",
    "Result": "Résultat",
    "New": "Nouveau",
    "Unchanged": "Inchangé",
    "Update ({changes})": "Mise à jour ({changes})",
    "none": "aucun",
    "{bad} of {total} rows have problems: nothing will be imported. "
    "Fix the file and open it again.": (
        "{bad} lignes sur {total} ont des problèmes : rien ne sera importé. "
        "Corrigez le fichier puis ouvrez-le à nouveau."
    ),
    "The file holds no products.": "Le fichier ne contient aucun produit.",
    "Every product in the file is already as it says.": (
        "Chaque produit du fichier est déjà tel qu'il l'indique."
    ),
    "Ready to import: {new} new, {updated} updated, {unchanged} unchanged.": (
        "Prêt à importer : {new} nouveaux, {updated} mis à jour, {unchanged} inchangés."
    ),
    # conflicts
    "{n} problems need your decision. They come from edits made on two devices at the same time.": (
        "{n} problèmes attendent votre décision. Ils viennent de modifications faites "
        "en même temps sur deux appareils."
    ),
    "No conflicts: the catalogue is consistent.": "Aucun conflit : le catalogue est cohérent.",
    "Barcode {code} is on several products: {names}. The till cannot tell which one was scanned.": (
        "Le code-barres {code} est sur plusieurs produits : {names}. La caisse ne peut pas "
        "savoir lequel a été scanné."
    ),
    "{product} is on sale in a category that is archived.": (
        "{product} est en vente dans une catégorie archivée."
    ),
    "{product} uses an archived VAT rate: it cannot be sold.": (
        "{product} utilise un taux de TVA archivé : il ne peut pas être vendu."
    ),
    "{product} uses an unknown VAT rate: it cannot be sold.": (
        "{product} utilise un taux de TVA inconnu : il ne peut pas être vendu."
    ),
    "An entry written by another program cannot be read ({kind}, field {field}).": (
        "Une fiche écrite par un autre programme est illisible ({kind}, champ {field})."
    ),
    "Keep it on {product}": "Le garder sur {product}",
    "Restore the category": "Restaurer la catégorie",
    "Open the product": "Ouvrir le produit",
    # validation messages
    "Enter a name.": "Saisissez un nom.",
    "This name is too long (120 characters at most).": (
        "Ce nom est trop long (120 caractères au plus)."
    ),
    "The name must fit on one line.": "Le nom doit tenir sur une ligne.",
    "This text is too long (2000 characters at most).": (
        "Ce texte est trop long (2000 caractères au plus)."
    ),
    "A price cannot be negative.": "Un prix ne peut pas être négatif.",
    "This price is too high (100,000 at most).": "Ce prix est trop élevé (100 000 au plus).",
    "Enter a price such as 12.50.": "Saisissez un prix comme 12,50.",
    "Enter an amount such as 12.50.": "Saisissez un montant comme 12,50.",
    "Enter an amount in whole cents.": "Saisissez un montant en centimes entiers.",
    "This amount is too high.": "Ce montant est trop élevé.",
    "A VAT rate is between 0 and 100 %.": "Un taux de TVA est compris entre 0 et 100 %.",
    "Enter a VAT rate such as 20 or 5.5.": "Saisissez un taux comme 20 ou 5,5.",
    "Choose a VAT rate from the settings.": "Choisissez un taux de TVA des réglages.",
    "This VAT rate is archived: choose another one.": (
        "Ce taux de TVA est archivé : choisissez-en un autre."
    ),
    "A colour looks like #1E88E5.": "Une couleur s'écrit comme #1E88E5.",
    "The barcode is empty.": "Le code-barres est vide.",
    "This is not a barcode (digits or code letters only).": (
        "Ce n'est pas un code-barres (chiffres ou lettres du code uniquement)."
    ),
    "The barcode's check digit is wrong: check the code.": (
        "La clé du code-barres est fausse : vérifiez le code."
    ),
    "This barcode is too long.": "Ce code-barres est trop long.",
    "Another product already has this barcode.": "Un autre produit a déjà ce code-barres.",
    "Choose a category.": "Choisissez une catégorie.",
    "This category is archived: restore it or choose another.": (
        "Cette catégorie est archivée : restaurez-la ou choisissez-en une autre."
    ),
    "Active products are still in this category.": (
        "Des produits en vente sont encore dans cette catégorie."
    ),
    "This is not an e-mail address.": "Ce n'est pas une adresse e-mail.",
    "This is not a phone number.": "Ce n'est pas un numéro de téléphone.",
    "Another till already has this number.": "Une autre caisse a déjà ce numéro.",
    "Enter a PIN.": "Saisissez un code PIN.",
    "A PIN is 4 to 8 digits.": "Un code PIN compte 4 à 8 chiffres.",
    "Enter a whole number in the allowed range.": "Saisissez un nombre entier autorisé.",
    "Enter a whole number.": "Saisissez un nombre entier.",
    "The file needs the columns name, price and vat.": (
        "Le fichier doit avoir les colonnes name, price et vat."
    ),
    "The same barcode appears twice in the file.": (
        "Le même code-barres apparaît deux fois dans le fichier."
    ),
    "Choose two different customers.": "Choisissez deux clients différents.",
    "Only active customers can be merged.": "Seuls des clients actifs peuvent être fusionnés.",
    "This value is not accepted.": "Cette valeur n'est pas acceptée.",
    # customers
    "First name": "Prénom",
    "Last name": "Nom",
    "E-mail": "E-mail",
    "Phone": "Téléphone",
    "Address": "Adresse",
    "Notes": "Notes",
    "Visits": "Visites",
    "Balance": "Solde",
    "Add loyalty visits": "Ajouter des visites fidélité",
    "Credit the account": "Créditer le compte",
    "New customer": "Nouveau client",
    "Search by name, e-mail or phone": "Rechercher par nom, e-mail ou téléphone",
    "Merge": "Fusionner",
    "Merge a duplicate": "Fusionner un doublon",
    "Merge a duplicate…": "Fusionner un doublon…",
    "The duplicate's visits, balance and missing details move to {name}; the duplicate is "
    "then archived.": (
        "Les visites, le solde et les informations manquantes du doublon passent à {name} ; "
        "le doublon est ensuite archivé."
    ),
    "Latest purchases": "Derniers achats",
    "No purchase received on this computer yet.": (
        "Aucun achat reçu sur cet ordinateur pour l'instant."
    ),
    "{visits} visits · balance {balance}": "{visits} visites · solde {balance}",
    # loyalty programme (settings)
    "Loyalty": "Fidélité",
    "Visits that earn a reward": "Visites pour une récompense",
    "Reward": "Récompense",
    "No loyalty programme": "Pas de programme de fidélité",
    "A free coffee": "Un café offert",
    "A visit is a sale with the customer attached. When a customer has enough "
    "visits, the till's star lights up; giving the reward uses those visits. "
    "0 visits: no loyalty programme.": (
        "Une visite est une vente avec le client associé. Quand un client a assez de "
        "visites, l'étoile de la caisse s'allume ; offrir la récompense utilise ces visites. "
        "0 visite : pas de programme de fidélité."
    ),
    # settings
    "Shop and receipt": "Boutique et ticket",
    "VAT rates": "Taux de TVA",
    "Payment methods": "Moyens de paiement",
    "Cashiers": "Vendeurs",
    "Shop name": "Nom de la boutique",
    "Time zone": "Fuseau horaire",
    "Choose a time zone from the list, such as Europe/Paris.": (
        "Choisissez un fuseau horaire de la liste, par exemple Europe/Paris."
    ),
    "Company number (SIRET)": "SIRET",
    "VAT number": "Numéro de TVA",
    "Receipt header": "En-tête du ticket",
    "Receipt footer": "Pied du ticket",
    "Rate": "Taux",
    "Rate (%)": "Taux (%)",
    "New VAT rate": "Nouveau taux de TVA",
    "To follow a change in the law, add a new rate and archive the old one.": (
        "Pour suivre un changement de loi, ajoutez un nouveau taux et archivez l'ancien."
    ),
    "Payment method": "Moyen de paiement",
    "New payment method": "Nouveau moyen de paiement",
    "Cash": "Espèces",
    "Card": "Carte",
    "Cheque": "Chèque",
    "Voucher": "Titre-restaurant",
    "Other": "Autre",
    "Cashier": "Vendeur",
    "New cashier": "Nouveau vendeur",
    "Owner": "Propriétaire",
    "Manager": "Responsable",
    "Role": "Rôle",
    "PIN": "Code PIN",
    "PIN (4 to 8 digits)": "Code PIN (4 à 8 chiffres)",
    "Leave empty to keep the current PIN": "Laisser vide pour garder le code actuel",
    "Set": "Défini",
    "Not set": "Non défini",
    # dashboard
    "Today": "Aujourd'hui",
    "As of {time}, from the sales this computer has received": (
        "À {time}, d'après les ventes reçues par cet ordinateur"
    ),
    "Live from the relay, updated at {time}": "En direct du serveur relais, mis à jour à {time}",
    "Yesterday": "Hier",
    "This week": "Cette semaine",
    "This month": "Ce mois-ci",
    "This year": "Cette année",
    "From… to…": "Du… au…",
    "vs previous period": "par rapport à la période précédente",
    "Revenue per day": "Chiffre d'affaires par jour",
    "Revenue per month": "Chiffre d'affaires par mois",
    "Revenue": "Chiffre d'affaires",
    "Tickets": "Tickets",
    "Average basket": "Panier moyen",
    "vs same day last week": "par rapport au même jour la semaine dernière",
    "Revenue per hour": "Chiffre d'affaires par heure",
    "Revenue per till": "Chiffre d'affaires par caisse",
    "Revenue per payment method": "Chiffre d'affaires par moyen de paiement",
    "Revenue per VAT rate": "Chiffre d'affaires par taux de TVA",
    "Top products": "Meilleures ventes",
    "Quantity": "Quantité",
    # tills
    "Till": "Caisse",
    "New till": "Nouvelle caisse",
    "Search tills": "Rechercher une caisse",
    "No.": "N°",
    "The till's number (it starts every ticket number)": (
        "Le numéro de la caisse (il commence chaque numéro de ticket)"
    ),
    "Last activity": "Dernière activité",
    "When the till made its latest record that this computer has received": (
        "Quand la caisse a fait le dernier de ses enregistrements que cet ordinateur a reçus"
    ),
    "None yet": "Aucune",
    "Tickets today": "Tickets du jour",
    "Revenue today": "CA du jour",
    "Revoked": "Révoquée",
    "Sign in to the relay to add tills, set their passwords or revoke them. Activity is what "
    "this computer has received.": (
        "Connectez-vous au serveur relais pour ajouter des caisses, changer leur mot de passe "
        "ou les révoquer. L'activité est celle que cet ordinateur a reçue."
    ),
    "These are the till accounts on the relay, with what each till last told it. Activity is "
    "what this computer has received.": (
        "Voici les comptes de caisse du serveur relais, avec ce que chaque caisse lui a dit en "
        "dernier. L'activité est celle que cet ordinateur a reçue."
    ),
    # what each till reports to the relay
    "Last sync": "Dernière synchro",
    "When the till last synced with the relay, as the relay says": (
        "Quand la caisse s'est synchronisée avec le relais pour la dernière fois, selon le relais"
    ),
    "To send": "À envoyer",
    "Changes the till had not sent to the relay when it last reported": (
        "Les modifications que la caisse n'avait pas encore envoyées au relais à son dernier "
        "compte rendu"
    ),
    "Version": "Version",
    "Never": "Jamais",
    # creating a shop from the manager (sign-up)
    "Create a shop…": "Créer une boutique…",
    "Create a shop": "Créer une boutique",
    "The shop is created on {url}; you will be its owner, signed in here.": (
        "La boutique est créée sur {url} ; vous en serez le propriétaire, connecté ici."
    ),
    "Password again": "Mot de passe (à nouveau)",
    "Create the shop": "Créer la boutique",
    "Enter the shop's name.": "Saisissez le nom de la boutique.",
    "Enter an e-mail address.": "Saisissez une adresse e-mail.",
    "The password needs at least {n} characters.": (
        "Le mot de passe doit compter au moins {n} caractères."
    ),
    "The two passwords differ.": "Les deux mots de passe diffèrent.",
    "This relay does not take new shops: ask its administrator for an account.": (
        "Ce serveur relais n'accepte pas de nouvelles boutiques : demandez un compte à son "
        "administrateur."
    ),
    "This e-mail already has an account: sign in with it instead.": (
        "Cet e-mail a déjà un compte : connectez-vous plutôt avec lui."
    ),
    "A shop already has this name on this relay: choose another name.": (
        "Une boutique porte déjà ce nom sur ce serveur relais : choisissez un autre nom."
    ),
    "Too many attempts from this computer: try again later.": (
        "Trop de tentatives depuis cet ordinateur : réessayez plus tard."
    ),
    # relay
    "Owner e-mail": "E-mail du propriétaire",
    "Password": "Mot de passe",
    "Sign in to the relay": "Se connecter au relais",
    "Sign out": "Se déconnecter",
    "Signing in…": "Connexion…",
    "Signed in as {email} on {url}": "Connecté en tant que {email} sur {url}",
    "Signed in on {url}": "Connecté sur {url}",
    "Not signed in: showing what this computer holds.": (
        "Non connecté : affichage de ce que contient cet ordinateur."
    ),
    "Sign in to the relay first.": "Connectez-vous d'abord au serveur relais.",
    "The relay refused the e-mail or the password.": (
        "Le serveur relais a refusé l'e-mail ou le mot de passe."
    ),
    "The relay cannot be reached: check the address and the internet.": (
        "Le serveur relais est injoignable : vérifiez l'adresse et la connexion internet."
    ),
    "The relay refused: {reason}": "Le serveur relais a refusé : {reason}",
    "Something went wrong while talking to the relay.": (
        "Un problème est survenu en parlant au serveur relais."
    ),
    "Till password": "Mot de passe de la caisse",
    "A till password has at least {n} characters.": (
        "Un mot de passe de caisse compte au moins {n} caractères."
    ),
    "Add the till": "Ajouter la caisse",
    "Licence key of {name}: {key} — type it on the till with its password.": (
        "Clé de licence de {name} : {key} — saisissez-la sur la caisse avec son mot de passe."
    ),
    "Select a till": "Choisissez une caisse",
    "{name} (revoked)": "{name} (révoquée)",
    "New password": "Nouveau mot de passe",
    "Set the password": "Changer le mot de passe",
    "New password set for {name}.": "Nouveau mot de passe enregistré pour {name}.",
    "Revoke…": "Révoquer…",
    "Yes, revoke it now": "Oui, la révoquer maintenant",
    "{name} is revoked: it can no longer sync.": (
        "{name} est révoquée : elle ne peut plus synchroniser."
    ),
    # journal
    "Time": "Heure",
    "Ticket": "Ticket",
    "Total": "Total",
    "Sale": "Vente",
    "Refund": "Remboursement",
    "Duplicate": "Duplicata",
    "Closing": "Clôture",
    "All tills": "Toutes les caisses",
    "All records": "Tous les enregistrements",
    "Export the journal": "Exporter le journal",
    "Export the journal…": "Exporter le journal…",
    "Export for the accountant": "Export pour le comptable",
    "Export for the accountant…": "Export pour le comptable…",
    "{n} records exported to {path}.": "{n} enregistrements exportés dans {path}.",
    "Accounting file written to {path}.": "Fichier comptable écrit dans {path}.",
    "These are the records this computer holds. While you are signed in, "
    "Refresh copies the tills' new records from the relay.": (
        "Voici les enregistrements que détient cet ordinateur. Une fois connecté, "
        "Actualiser copie depuis le relais les nouveaux enregistrements des caisses."
    ),
    "Copies the tills' new records from the relay (when signed in) and shows them.": (
        "Copie depuis le relais les nouveaux enregistrements des caisses (une fois connecté) "
        "et les affiche."
    ),
    "{n} new records from the relay.": "{n} nouveaux enregistrements reçus du relais.",
    "Some records of {tills} do not continue the journal held here: run the integrity check.": (
        "Des enregistrements de {tills} ne prolongent pas le journal conservé ici : "
        "lancez la vérification d'intégrité."
    ),
    "Journal": "Journal",
    "Z closings": "Clôtures Z",
    "Integrity": "Intégrité",
    # reprint
    "Reprint…": "Réimprimer…",
    "Duplicate of ticket {ticket}": "Duplicata du ticket {ticket}",
    "Print…": "Imprimer…",
    "Save as PDF…": "Enregistrer en PDF…",
    "A copy marked DUPLICATE. The manager keeps no journal, so this copy is not "
    "recorded; a duplicate made on the till is numbered and recorded.": (
        "Une copie marquée DUPLICATA. La gestion ne tient pas de journal : cette copie "
        "n'est pas enregistrée ; un duplicata fait sur la caisse est numéroté et enregistré."
    ),
    # closings
    "Closed at": "Clôturée le",
    "Total incl. VAT": "Total TTC",
    "Per VAT rate": "Par taux de TVA",
    "Per payment method": "Par moyen de paiement",
    "Day (Z)": "Jour (Z)",
    "Month": "Mois",
    "Year": "Année",
    "Every period": "Toutes les périodes",
    "Select a closing to see it in full.": "Choisissez une clôture pour la voir en entier.",
    # integrity
    "Check every till's journal": "Vérifier le journal de chaque caisse",
    "Fetches each till's journal from the relay and verifies every record's hash, link and "
    "signature with the till's key, and the closings' totals.": (
        "Récupère le journal de chaque caisse sur le relais et vérifie l'empreinte, le "
        "chaînage et la signature de chaque enregistrement avec la clé de la caisse, ainsi "
        "que les totaux des clôtures."
    ),
    "Check this computer's copy": "Vérifier la copie de cet ordinateur",
    "Verifies the tills' records this computer holds, as of the last refresh, with the keys "
    "the relay gave then: every record's hash, link and signature, and the closings' totals. "
    "Sign in to check the relay's journal.": (
        "Vérifie les enregistrements des caisses que détient cet ordinateur, tels qu'à la "
        "dernière actualisation, avec les clés données alors par le relais : l'empreinte, le "
        "chaînage et la signature de chaque enregistrement, et les totaux des clôtures. "
        "Connectez-vous pour vérifier le journal du relais."
    ),
    "Checking this computer's copy of every till's journal…": (
        "Vérification de la copie du journal de chaque caisse sur cet ordinateur…"
    ),
    "This computer's copy of the journal of {till} is broken at record {seq}: {reason}.": (
        "La copie du journal de {till} sur cet ordinateur est altérée à l'enregistrement "
        "{seq} : {reason}."
    ),
    "The journal of {till} could not be checked: {reason}.": (
        "Le journal de {till} n'a pas pu être vérifié : {reason}."
    ),
    "This computer's copy of every till's journal is intact ({n} checked).": (
        "La copie du journal de chaque caisse sur cet ordinateur est intacte ({n} vérifiés)."
    ),
    "This computer holds no till's journal yet.": (
        "Cet ordinateur ne détient encore le journal d'aucune caisse."
    ),
    "This checked the copy on this computer, not the relay's journal: sign in to the relay "
    "to check that.": (
        "C'est la copie de cet ordinateur qui a été vérifiée, pas le journal du relais : "
        "connectez-vous au relais pour le vérifier."
    ),
    "This checked the copy on this computer as of the last refresh ({when}), not the relay's "
    "journal: sign in to the relay to check that.": (
        "C'est la copie de cet ordinateur telle qu'à la dernière actualisation ({when}) qui a "
        "été vérifiée, pas le journal du relais : connectez-vous au relais pour le vérifier."
    ),
    "Checking every till's journal…": "Vérification du journal de chaque caisse…",
    "Not checked yet.": "Pas encore vérifié.",
    "Records verified": "Enregistrements vérifiés",
    "Head": "Dernière empreinte",
    "First broken record": "Premier enregistrement altéré",
    "Why": "Pourquoi",
    "Broken": "Altéré",
    "Intact": "Intact",
    "Intact on the relay, not here": "Intact sur le relais, pas ici",
    "Not checked": "Non vérifié",
    "This computer's copy differs: {problem}": "La copie de cet ordinateur diffère : {problem}",
    "The journal of {till} is broken at record {seq}: {reason}.": (
        "Le journal de {till} est altéré à l'enregistrement {seq} : {reason}."
    ),
    "Every journal is intact on the relay, but this computer's copy differs.": (
        "Chaque journal est intact sur le relais, mais la copie de cet ordinateur diffère."
    ),
    "Every till's journal is intact ({n} checked).": (
        "Le journal de chaque caisse est intact ({n} vérifiés)."
    ),
    "The relay knows no till yet.": "Le relais ne connaît encore aucune caisse.",
    "changed after it was signed": "modifié après sa signature",
    "missing": "manquant",
    "inserted or duplicated": "inséré ou dupliqué",
    "not signed by this till": "non signé par cette caisse",
    "out of order": "dans le désordre",
    "a number is skipped": "un numéro manque dans la suite",
    "invalid content": "contenu invalide",
    "its totals do not add up": "ses totaux ne correspondent pas",
    "the relay has no key for this till": "le relais n'a pas de clé pour cette caisse",
    "this computer kept no key for this till: sign in and refresh": (
        "cet ordinateur n'a pas gardé de clé pour cette caisse : connectez-vous et actualisez"
    ),
    # settings: the tills' rules (till_rules_form.py)
    "Cash count and purge": "Comptage et purge",
    "Cash count": "Comptage de caisse",
    "No cash count": "Pas de comptage",
    "Per cashier (locked for the day once counted)": (
        "Par vendeur (bloqué pour la journée une fois compté)"
    ),
    "Per till, offered before the closing": "Par caisse, proposé avant la clôture",
    "Per till, mandatory before the closing": "Par caisse, obligatoire avant la clôture",
    "Keep sent records on the tills (days)": (
        "Garder sur les caisses les données envoyées (jours)"
    ),
}


def install_french() -> None:
    """Make :func:`app.qt.i18n.tr` know the manager's French text (idempotent)."""
    add_translations("fr", MANAGER_FRENCH)
