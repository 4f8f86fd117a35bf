"""EntryTableModel: the visible rows always match the filter, whatever the order of changes."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.manager.table import Column, EntryTableModel


@dataclass(frozen=True)
class Item:
    id: str
    name: str
    archived: bool = False


def _model() -> EntryTableModel:
    return EntryTableModel(
        [Column(lambda: "Name", lambda e: e.name, lambda e: (e.name, e.id))],
        entry_id=lambda e: e.id,
        search_text=lambda e: e.name,
        is_dimmed=lambda e: e.archived,
    )


op_st = st.one_of(
    st.tuples(st.just("upsert"), st.integers(0, 9), st.sampled_from(["ab", "bc", "cd", "Ab"])),
    st.tuples(st.just("archive"), st.integers(0, 9), st.booleans()),
    st.tuples(st.just("search"), st.sampled_from(["", "a", "b", "c d", "B"]), st.none()),
    st.tuples(st.just("hide_archived"), st.booleans(), st.none()),
    st.tuples(st.just("sort"), st.booleans(), st.none()),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(op_st, max_size=30))
def test_visible_rows_match_the_filter(qapp: QApplication, ops: list[tuple[object, ...]]) -> None:
    model = _model()
    truth: dict[str, Item] = {}
    search, hide = "", False
    for op, a, b in ops:
        if op == "upsert":
            item = Item(f"id{a}", str(b), truth.get(f"id{a}", Item("", "")).archived)
            truth[item.id] = item
            model.upsert([item])
        elif op == "archive" and f"id{a}" in truth:
            item = Item(f"id{a}", truth[f"id{a}"].name, bool(b))
            truth[item.id] = item
            model.upsert([item])
        elif op == "search":
            search = str(a)
            model.set_search(search)
        elif op == "hide_archived":
            hide = bool(a)
            model.set_predicate((lambda e: not e.archived) if hide else None)
        elif op == "sort":
            order = Qt.SortOrder.DescendingOrder if a else Qt.SortOrder.AscendingOrder
            model.sort(0, order)
            shown = [e.id for e in model.entries()]
            expected = sorted(shown, key=lambda i: (truth[i].name, i), reverse=bool(a))
            assert shown == expected
        words = search.casefold().split()
        expected_ids = {
            i
            for i, e in truth.items()
            if all(w in e.name.casefold() for w in words) and not (hide and e.archived)
        }
        shown_ids = [e.id for e in model.entries()]
        assert len(shown_ids) == len(set(shown_ids)) == model.rowCount()
        assert set(shown_ids) == expected_ids
        assert model.total() == len(truth)
        for row, entry_id in enumerate(shown_ids):
            assert model.row_of(entry_id) == row
            assert model.entry(row) == truth[entry_id]


def test_selection_follows_its_row_when_sorted(qtbot: QtBot) -> None:
    from PySide6.QtCore import QPersistentModelIndex

    model = _model()
    model.reset([Item("1", "pear"), Item("2", "apple"), Item("3", "fig")])
    kept = QPersistentModelIndex(model.index(model.row_of("1") or 0, 0))
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert [e.name for e in model.entries()] == ["apple", "fig", "pear"]
    assert kept.row() == 2
    model.set_search("a")
    assert [e.name for e in model.entries()] == ["apple", "pear"]
    assert kept.row() == 1


def test_entries_arriving_together_take_the_sort_order_one_new_entry_stays_last(
    qtbot: QtBot,
) -> None:
    model = _model()
    model.reset([Item("1", "pear")])
    model.sort(0, Qt.SortOrder.AscendingOrder)
    model.upsert([Item("2", "apple")])  # the owner just made it: it stays in sight
    assert [e.name for e in model.entries()] == ["pear", "apple"]
    model.upsert([Item("3", "fig"), Item("4", "banana")])  # a sync brought these
    assert [e.name for e in model.entries()] == ["apple", "banana", "fig", "pear"]
