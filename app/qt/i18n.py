"""A small dictionary-based translation layer: English text is the key.

``tr("Pay")`` returns the text in the current language; ``tr("{n} items",
n=3)`` formats after translating. The language starts from the system locale
(French if it is French, English otherwise) and can be switched at run time
with :func:`set_language`; widgets that show text connect a *method* to
``translator().changed`` (``translator().changed.connect(self.retranslate)``):
a bound method of a QObject is disconnected when the widget dies, a lambda
is not and would call into a deleted widget.

The shared widgets' French lives in :mod:`app.qt.strings_fr`; each app adds
its own table once with :func:`add_translations`. :func:`tr_literals` lists
the ``tr("...")`` literals of a package, so each app's tests can check that
every string it shows has French.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QLocale, QObject, Signal

from app.qt.strings_fr import FRENCH

__all__ = [
    "LANGUAGES",
    "add_translations",
    "language",
    "set_language",
    "system_language",
    "tr",
    "tr_literals",
    "translator",
]

LANGUAGES = ("fr", "en")

_TABLES: dict[str, dict[str, str]] = {"fr": FRENCH, "en": {}}


class Translator(QObject):
    """Holds the current language; ``changed`` fires with the new code."""

    changed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.language = system_language()


_translator: Translator | None = None


def translator() -> Translator:
    """The process-wide translator (created on first use, needs no QApplication)."""
    global _translator
    if _translator is None:
        _translator = Translator()
    return _translator


def system_language() -> str:
    """``"fr"`` when the system locale is French, else ``"en"``."""
    return "fr" if QLocale.system().language() == QLocale.Language.French else "en"


def language() -> str:
    return translator().language


def set_language(lang: str) -> None:
    """Switch every screen to ``lang`` (``"fr"`` or ``"en"``)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    t = translator()
    if t.language != lang:
        t.language = lang
        t.changed.emit(lang)


def tr(text: str, /, **values: object) -> str:
    """``text`` in the current language, with ``{name}`` fields filled from ``values``."""
    translated = _TABLES[language()].get(text, text)
    return translated.format(**values) if values else translated


def add_translations(lang: str, table: Mapping[str, str]) -> None:
    """Add an app's strings (English text -> ``lang`` text); call once at import."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    _TABLES[lang].update(table)


def tr_literals(package_dir: Path) -> set[str]:
    """Every string literal passed as first argument to ``tr(...)`` under ``package_dir``."""
    found: set[str] = set()
    for path in sorted(package_dir.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "tr"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found
