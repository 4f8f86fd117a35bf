"""Every string the manager shows has French, with the same {fields}."""

from __future__ import annotations

import string
from pathlib import Path

from app.manager.strings_fr import MANAGER_FRENCH
from app.qt.i18n import tr_literals
from app.qt.strings_fr import FRENCH

MANAGER = Path(__file__).resolve().parents[3] / "app" / "manager"


def _fields(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name)


def test_every_manager_string_has_french() -> None:
    literals = tr_literals(MANAGER)
    assert "Catalogue" in literals  # the scan does find the calls
    assert sorted(literals - MANAGER_FRENCH.keys() - FRENCH.keys()) == []


def test_french_fields_match_english() -> None:
    for english, french in MANAGER_FRENCH.items():
        assert _fields(english) == _fields(french), english


def test_no_unused_french() -> None:
    assert sorted(MANAGER_FRENCH.keys() - tr_literals(MANAGER)) == []
