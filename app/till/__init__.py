"""The till: the cashier's app (PySide6). Start it with ``skytill till``.

Screens: :mod:`selling` (products, basket, total), :mod:`payment`,
:mod:`receipt_view`, :mod:`cashier`; :mod:`window` holds them and the
keyboard shortcuts; :mod:`session` is the till's link to the device store.
"""

from app.qt.i18n import add_translations
from app.till.strings_fr import TILL_FRENCH

add_translations("fr", TILL_FRENCH)
