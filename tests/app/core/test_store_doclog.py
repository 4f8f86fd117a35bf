"""Document update logs: load from snapshot + tail, compaction that never loses an update."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pycrdt import Doc, Map

from app.core.store import DeviceStore, doclog


def _edit(doc: Doc[Any], key: str, value: int) -> bytes:
    """Set products[key] = value in ``doc``; the update that made it."""
    before = doc.get_state()
    doc.get("products", type=Map)[key] = value
    return doc.get_update(before)


def _content(doc: Doc[Any]) -> dict[str, Any]:
    return doc.get("products", type=Map).to_py() or {}


def test_a_document_loads_from_its_snapshot_and_the_tail_after_it(data_dir: Path) -> None:
    live: Doc[Any] = Doc()
    with DeviceStore.open(data_dir) as store:
        for i in range(10):
            store.append_update("catalogue", _edit(live, f"p{i}", i))
        assert store.compact("catalogue") == 10
        assert store.pending_updates("catalogue") == 0
        for i in range(10, 14):
            store.append_update("catalogue", _edit(live, f"p{i}", i))
        assert store.pending_updates("catalogue") == 4
    with DeviceStore.open(data_dir) as store:
        assert store.doc_names() == ["catalogue"]
        loaded = store.load_docs()["catalogue"]
        assert _content(loaded) == _content(live) == {f"p{i}": i for i in range(14)}
        assert store.compact("catalogue") == 4
        assert store.compact("catalogue") == 0
        assert _content(store.load_doc("catalogue")) == _content(live)


def test_a_failure_in_the_middle_of_compaction_loses_nothing(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live: Doc[Any] = Doc()
    with DeviceStore.open(data_dir) as store:
        for i in range(5):
            store.append_update("catalogue", _edit(live, f"a{i}", i))
        store.compact("catalogue")
        for i in range(5):
            store.append_update("catalogue", _edit(live, f"b{i}", i))

        def crash(*_args: object, **_kwargs: object) -> object:
            raise OSError("power cut")  # after the new snapshot was written, before the delete

        monkeypatch.setattr(doclog, "delete", crash)
        with pytest.raises(OSError, match="power cut"):
            store.compact("catalogue")
        monkeypatch.undo()
        assert store.pending_updates("catalogue") == 5
        assert _content(store.load_doc("catalogue")) == _content(live)
    with DeviceStore.open(data_dir) as store:
        assert _content(store.load_doc("catalogue")) == _content(live)
        assert store.compact("catalogue") == 5


def test_an_unreadable_stored_update_is_skipped(data_dir: Path) -> None:
    live: Doc[Any] = Doc()
    with DeviceStore.open(data_dir) as store:
        store.append_update("catalogue", _edit(live, "good", 1))
        store.append_update("catalogue", b"\xff\x00not an update")
        store.append_update("catalogue", _edit(live, "later", 2))
        assert _content(store.load_doc("catalogue")) == {"good": 1, "later": 2}


_RAM_DISK = "/dev/shm" if os.path.isdir("/dev/shm") else None

operations = st.lists(
    st.tuples(st.sampled_from(["edit", "compact", "reopen"]), st.sampled_from(["a", "b"])),
    max_size=30,
)


@settings(max_examples=15, deadline=None)
@given(operations)
def test_any_mix_of_updates_compactions_and_restarts_loads_the_live_documents(
    ops: list[tuple[str, str]],
) -> None:
    live: dict[str, Doc[Any]] = {"a": Doc(), "b": Doc()}
    # The property is about the log's logic, not durability: a RAM disk keeps it quick.
    with tempfile.TemporaryDirectory(dir=_RAM_DISK) as tmp:
        store = DeviceStore.open(tmp)
        try:
            for n, (op, name) in enumerate(ops):
                if op == "edit":
                    store.append_update(name, _edit(live[name], f"k{n}", n))
                elif op == "compact":
                    store.compact(name)
                else:
                    store.close()
                    store = DeviceStore.open(tmp)
            for name, doc in live.items():
                assert _content(store.load_doc(name)) == _content(doc)
        finally:
            store.close()
