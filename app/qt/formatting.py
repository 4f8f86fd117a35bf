"""Money, numbers, percentages and dates as a French or English reader expects.

French: ``12,50 €``, ``1 234,50 €``, ``5,5 %``, ``28/11/2026 14:58``.
English: ``€12.50``, ``€1,234.50``, ``5.5%``, ``28 Nov 2026 14:58``.

Spaces inside French amounts are non-breaking (a price never wraps between
its digits and its currency sign). Call these with the current language from
:func:`app.qt.i18n.language` unless a document says otherwise.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

__all__ = ["format_datetime", "format_money", "format_number", "format_percent_bp", "format_recent"]

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space, the French thousands separator

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _group(units: int, sep: str) -> str:
    return f"{units:,}".replace(",", sep)


def format_number(value: int, lang: str) -> str:
    """An integer with the language's thousands separator."""
    sign = "-" if value < 0 else ""
    return sign + _group(abs(value), NNBSP if lang == "fr" else ",")


def format_money(cents: int, lang: str, symbol: str = "€") -> str:
    """``1250`` -> ``12,50 €`` (fr) or ``€12.50`` (en); negative amounts lead with ``-``."""
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    if lang == "fr":
        return f"{sign}{_group(units, NNBSP)},{rest:02d}{NBSP}{symbol}"
    return f"{sign}{symbol}{_group(units, ',')}.{rest:02d}"


def format_percent_bp(basis_points: int, lang: str) -> str:
    """``550`` -> ``5,5 %`` / ``5.5%``; ``2000`` -> ``20 %`` / ``20%``."""
    whole, frac = divmod(basis_points, 100)
    digits = str(whole) if frac == 0 else f"{whole}.{frac:02d}".rstrip("0")
    if lang == "fr":
        return digits.replace(".", ",") + NBSP + "%"
    return digits + "%"


def format_datetime(ts: int, lang: str) -> str:
    """Unix seconds -> local date and time, to the minute."""
    t = time.localtime(ts)
    if lang == "fr":
        return time.strftime("%d/%m/%Y %H:%M", t)
    return f"{t.tm_mday} {_MONTHS_EN[t.tm_mon - 1]} {t.tm_year} {t.tm_hour:02d}:{t.tm_min:02d}"


def format_recent(ts: int, lang: str, now: float) -> str:
    """Unix seconds -> ``today 14:03`` / ``yesterday 09:12`` (``aujourd'hui``, ``hier``)
    when ``ts`` is on the local day of ``now`` or the day before; else :func:`format_datetime`."""
    day, today = date.fromtimestamp(ts), date.fromtimestamp(now)
    if day not in (today, today - timedelta(days=1)):
        return format_datetime(ts, lang)
    t = time.localtime(ts)
    words = ("aujourd'hui", "hier") if lang == "fr" else ("today", "yesterday")
    return f"{words[0] if day == today else words[1]} {t.tm_hour:02d}:{t.tm_min:02d}"
