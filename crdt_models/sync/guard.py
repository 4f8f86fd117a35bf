"""Applying untrusted updates so that a refused one changes nothing.

pycrdt refuses most malformed updates while decoding them, before anything is
integrated. But some decode fine and fail half-way through integration (for
instance ``RuntimeError: block parent ... must be deleted or shared``, about 1
in 1000 random mutations of a real update), leaving the blocks integrated
before the failure in the document. A scratch Doc built from the document's
full state would catch them, but costs O(document) per update (84 ms for a
10 000-product catalogue).

So each guarded Doc gets a *twin*: a second pycrdt Doc that follows every
transaction of the real one (through ``Doc.observe``), on which an untrusted
update is tried first. If the twin refuses it, the twin is dropped (rebuilt
from the real document on next use, or ahead of time with :func:`prepare_guard`)
and the real document is never touched;
if the twin takes it, the real document takes it too, since both hold the
same state. The price is twice the memory and about twice the apply time per
guarded document, paid only by documents that receive remote updates. One twin
serves every session sharing the Doc.

pycrdt keeps an observed Doc alive (its subscription refers back to the Doc
from Rust, a cycle the garbage collector cannot see), so an owner that drops a
guarded Doc before the process ends (a relay unloading a shop's room) calls
:func:`release_doc` first.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from pycrdt import Doc, Subscription, TransactionEvent

from crdt_models.sync.errors import FrameError, InvalidUpdateError
from crdt_models.sync.wire import Reader

__all__ = [
    "EMPTY_UPDATE",
    "apply_guarded",
    "apply_unguarded",
    "call_pycrdt",
    "check_leading_count",
    "has_twin",
    "is_empty_update",
    "prepare_guard",
    "release_doc",
    "update_for_state",
    "would_change",
]

logger = logging.getLogger(__name__)

_T = TypeVar("_T")

#: The v1 encoding of an update with no structs and no deletions.
EMPTY_UPDATE = b"\x00\x00"


def is_empty_update(update: bytes) -> bool:
    """True for the v1 empty update that pycrdt sends when there is nothing to say."""
    return update == EMPTY_UPDATE


def call_pycrdt(what: str, call: Callable[[], _T]) -> _T:
    """Run a pycrdt call on untrusted bytes; any failure becomes InvalidUpdateError.

    pycrdt raises ValueError or RuntimeError, and on some inputs
    ``pyo3_runtime.PanicException``, a BaseException: everything but
    KeyboardInterrupt and SystemExit is caught.
    """
    try:
        return call()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        raise InvalidUpdateError(f"{what}: {type(exc).__name__}: {exc}") from exc


def check_leading_count(data: bytes, what: str) -> None:
    """Refuse Yjs bytes (an update or a state vector) whose first count exceeds their size.

    pycrdt (yrs) pre-allocates from the first count it reads: the 4-byte update
    ``c5 b3 d0 76`` costs it about 5 s and 500 MB, and the 6-byte state vector
    ``c5 b3 d0 76 ac 0e`` more than a second, before it notices that the bytes
    run out. Each entry counted takes at least one byte, so a count larger than
    the bytes that follow is refused here, which bounds pycrdt's work by the
    frame size. Every function of this module that hands untrusted bytes to
    pycrdt calls it first.
    """
    reader = Reader(data)
    try:
        count = reader.read_var_uint(what)
    except FrameError as exc:
        raise InvalidUpdateError(f"{what}: {exc}") from exc
    if count > reader.remaining:
        raise InvalidUpdateError(f"{what}: declares {count} entries in {reader.remaining} bytes")


def update_for_state(doc: Doc[Any], state_vector: bytes) -> bytes:
    """What ``doc`` holds beyond an untrusted ``state_vector`` (the answer to a step 1).

    Raises InvalidUpdateError if the state vector is malformed.
    """
    check_leading_count(state_vector, "state vector")
    return call_pycrdt("invalid state vector", lambda: doc.get_update(state_vector))


class _Twin:
    """The follower of one Doc. Holds no reference to the Doc itself."""

    def __init__(self) -> None:
        self.doc: Doc[Any] | None = None  # built lazily; dropped when it may have diverged
        # True while the real Doc applies an update the twin already holds. Nothing
        # else can commit meanwhile: pycrdt forbids writing from an observer.
        self.paused = False

    def follow(self, event: TransactionEvent) -> None:
        """Replay each committed transaction of the real Doc on the twin."""
        if self.doc is None or self.paused:
            return
        try:
            self.doc.apply_update(event.update)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:
            logger.warning("sync twin could not follow its document; it will be rebuilt")
            self.doc = None

    def ready(self, real: Doc[Any]) -> Doc[Any]:
        if self.doc is None:
            twin: Doc[Any] = Doc()
            twin.apply_update(real.get_update())
            self.doc = twin
        return self.doc


_twins: weakref.WeakKeyDictionary[Doc[Any], tuple[_Twin, Subscription]] = (
    weakref.WeakKeyDictionary()
)


def _twin_of(doc: Doc[Any]) -> _Twin:
    entry = _twins.get(doc)
    if entry is None:
        twin = _Twin()
        entry = _twins[doc] = (twin, doc.observe(twin.follow))
    return entry[0]


def prepare_guard(doc: Doc[Any]) -> None:
    """Build the twin of ``doc`` now, if it has none, instead of at its first guarded update.

    The twin costs O(document) to build (about 125 ms for a 20 000-product
    catalogue, holding the GIL): an owner calls this when nothing waits (a
    device once its first round with the relay is complete) so that the first
    update received afterwards is applied at once. Harmless when the twin exists.
    """
    _twin_of(doc).ready(doc)


def has_twin(doc: Doc[Any]) -> bool:
    """True if the twin of ``doc`` is built, so a guarded update does not build it first."""
    entry = _twins.get(doc)
    return entry is not None and entry[0].doc is not None


def release_doc(doc: Doc[Any]) -> None:
    """Drop the twin of ``doc`` and stop observing it; call when ``doc`` is no longer synced.

    Without it the Doc and its twin live until the process ends. Harmless on a
    Doc that never had a twin; a later guarded update builds a new one.
    """
    entry = _twins.pop(doc, None)
    if entry is not None:
        doc.unobserve(entry[1])


def apply_guarded(doc: Doc[Any], update: bytes, origin: object) -> None:
    """Apply an untrusted update to ``doc`` in a transaction with ``origin``, or change nothing.

    Raises InvalidUpdateError if pycrdt refuses the update; ``doc`` is then
    exactly as it was.
    """
    check_leading_count(update, "update")
    twin = _twin_of(doc)
    scratch = twin.ready(doc)
    try:
        call_pycrdt("invalid update", lambda: scratch.apply_update(update))
    except InvalidUpdateError:
        twin.doc = None  # it may hold part of the update
        raise
    twin.paused = True
    try:
        apply_unguarded(doc, update, origin)
    finally:
        twin.paused = False


def apply_unguarded(doc: Doc[Any], update: bytes, origin: object) -> None:
    """Apply an update without a twin: a refused update may leave part of itself behind.

    For peers that are trusted not to send malformed updates, and for measuring
    what the guard costs.
    """

    check_leading_count(update, "update")
    # Only pycrdt's own refusal is the peer's fault: an exception raised by one of
    # the owner's observers when the transaction commits is a bug, and propagates.
    with doc.transaction(origin=origin):
        call_pycrdt("invalid update", lambda: doc.apply_update(update))


def would_change(doc: Doc[Any], update: bytes) -> bool:
    """True if applying ``update`` would change ``doc`` (which is left untouched).

    Costs O(document): for read-only documents, which are small (settings).
    Raises InvalidUpdateError if pycrdt refuses the update.
    """
    if is_empty_update(update):
        return False
    check_leading_count(update, "update")
    scratch: Doc[Any] = Doc()
    scratch.apply_update(doc.get_update())
    before = scratch.get_update()
    call_pycrdt("invalid update", lambda: scratch.apply_update(update))
    return scratch.get_update() != before
