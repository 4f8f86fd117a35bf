"""Translations: switchable at run time, and every string the apps show has French."""

from __future__ import annotations

import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.qt import i18n
from app.qt.strings_fr import FRENCH

APP = Path(__file__).resolve().parents[3] / "app"


@pytest.fixture(autouse=True)
def _restore_language() -> Iterator[None]:
    before = i18n.language()
    yield
    i18n.set_language(before)


def test_switch_language(qtbot: QtBot) -> None:
    i18n.set_language("en")
    assert i18n.tr("Offline") == "Offline"
    with qtbot.waitSignal(i18n.translator().changed) as blocker:
        i18n.set_language("fr")
    assert blocker.args == ["fr"]
    assert i18n.tr("Offline") == "Hors ligne"
    assert i18n.tr("{n} to send", n=3) == "3 à envoyer"
    with pytest.raises(ValueError):
        i18n.set_language("de")


def test_every_shown_string_has_french() -> None:
    from app.till.strings_fr import TILL_FRENCH

    for package, table in (("qt", FRENCH), ("till", TILL_FRENCH)):
        literals = i18n.tr_literals(APP / package)
        assert literals, package  # the scan does find the calls
        assert sorted(literals - table.keys()) == [], package


def test_french_fields_match_english() -> None:
    from app.till.strings_fr import TILL_FRENCH

    for english, french in {**FRENCH, **TILL_FRENCH}.items():
        assert sorted(_fields(english)) == sorted(_fields(french)), english


def _fields(text: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(text) if name]
