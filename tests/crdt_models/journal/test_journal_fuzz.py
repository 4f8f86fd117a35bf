"""The journal never raises on garbage: it reports it."""

from __future__ import annotations

import contextlib
import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from journal_factory import sample_journal

from crdt_models.errors import ValidationError
from crdt_models.journal import (
    SALES_KINDS,
    export_jsonl,
    generate_signing_key,
    public_key_of,
    read_jsonl,
    validate_body,
    verify_jsonl,
)
from crdt_models.journal.events import EVENT_KINDS

KEY = generate_signing_key()
PUB = public_key_of(KEY)
JOURNAL = sample_journal(KEY, days=1, sales_per_day=(3, 3), max_lines=2)
DATA = export_jsonl(JOURNAL.records)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@st.composite
def mutations(draw: st.DrawFn) -> bytes:
    data = bytearray(DATA)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data) - 1))
        how = draw(st.sampled_from(["flip", "insert", "delete"]))
        if how == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif how == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        else:
            del data[at : at + draw(st.integers(1, 40))]
    return bytes(data)


@settings(max_examples=300, deadline=None)
@given(mutations())
def test_damaged_bytes_are_reported_never_raised(data: bytes) -> None:
    report = verify_jsonl(data, PUB, end=JOURNAL.head)
    if report.ok:  # only a change that leaves every record as it was (e.g. \n -> \r)
        assert read_jsonl(data) == JOURNAL.records
    else:
        assert report.reason is not None and report.first_bad_seq is not None


def _paths(obj: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``obj``, containers included."""
    children: list[tuple[Any, Any]] = []
    if isinstance(obj, dict):
        children = list(obj.items())
    elif isinstance(obj, list):
        children = list(enumerate(obj))
    return [path, *(p for k, v in children for p in _paths(v, (*path, k)))]


def _replaced(sample: dict[str, Any], path: tuple[Any, ...], value: Any) -> Any:
    body = copy.deepcopy(sample)
    if not path:
        return value
    target = body
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return body


def _body_variants(kind: str) -> Any:
    """Garbage, and the real body of that kind with one value anywhere inside replaced."""
    sample = next((r.body for r in JOURNAL.records if r.kind == kind), {"cashier": "c"})
    nested = st.builds(_replaced, st.just(sample), st.sampled_from(_paths(sample)), json_values)
    return st.one_of(json_values, nested)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_body_validation_raises_only_validation_errors(data: st.DataObject) -> None:
    chain, kinds = data.draw(st.sampled_from([("sales", SALES_KINDS), ("events", EVENT_KINDS)]))
    kind = data.draw(st.sampled_from(sorted(kinds)))
    body = data.draw(_body_variants(kind))
    with contextlib.suppress(ValidationError):
        validate_body(chain, kind, body, data.draw(st.integers(1, 20)))
