"""Which local document changes the relay is known to hold (sans-I/O bookkeeping).

The relay never acknowledges a document update. But it handles a link's
frames in order, so when it answers a step 1 (our state vector) with a step 2,
it has applied every update we sent before that step 1. :class:`DocAcks`
turns that into acknowledgements:

- each local change is counted (:meth:`DocAcks.changed`);
- each step 1 we send records how many changes were made by then, and the
  state vector sent (:meth:`DocAcks.sent`); its answer (:meth:`DocAcks.answered`)
  acknowledges them and gives the state vector to remember as confirmed;
- only one step 1 per document is in flight (the session reports one answer
  per document, whatever the number asked): a request while one is in flight
  is queued and sent when the answer arrives;
- the step 1s sent when a link opens go out before the relay's own step 1 is
  answered (changes made offline travel in that answer), so they acknowledge
  nothing: :meth:`DocAcks.opened` marks them so. The engine starts the first
  acknowledging round once the relay's journal heads arrive, which the relay
  sends after its step 1s.

Generations number the step 1s of each document, so a waiter knows which
answer completes it (:meth:`DocAcks.request`, :meth:`DocAcks.covers`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = ["Answer", "DocAcks"]


@dataclass(frozen=True)
class Answer:
    """What an answered step 1 means: a state to record as confirmed, a step 1 to resend."""

    confirmed_state: bytes | None
    resend: bool


class DocAcks:
    """Local change counts and step-1 generations for a set of documents."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = tuple(names)
        self._changes = dict.fromkeys(self.names, 0)
        self._acked = dict.fromkeys(self.names, 0)
        self._gen = dict.fromkeys(self.names, 0)
        self._answered_gen = dict.fromkeys(self.names, 0)
        self._in_flight: set[str] = set()
        self._queued: set[str] = set()
        self._marker: dict[str, tuple[int, bytes] | None] = {}

    @property
    def pending(self) -> int:
        """Local changes not yet acknowledged, over every document."""
        return sum(max(0, self._changes[n] - self._acked[n]) for n in self.names)

    def changed(self, name: str, count: int = 1) -> None:
        """Count ``count`` local changes of ``name`` (one per transaction)."""
        self._changes[name] += count

    def opened(self) -> None:
        """A new link opened and sent a step 1 for every document (acknowledging nothing)."""
        self._in_flight = set(self.names)
        self._queued.clear()
        for name in self.names:
            self._gen[name] += 1
            self._marker[name] = None

    def closed(self) -> None:
        """The link ended: nothing is in flight any more."""
        self._in_flight.clear()
        self._queued.clear()
        self._marker.clear()

    def request(self, names: Iterable[str]) -> tuple[dict[str, int], list[str]]:
        """Ask for a fresh answer for ``names``.

        Returns the generation whose answer completes the request, per
        document, and the documents to send a step 1 for now (call
        :meth:`sent` for each as you send it); the others go out when their
        answer in flight arrives (see :attr:`Answer.resend`).
        """
        need: dict[str, int] = {}
        send_now: list[str] = []
        for name in names:
            if name in self._in_flight:
                self._queued.add(name)
                need[name] = self._gen[name] + 1
            else:
                send_now.append(name)
                need[name] = self._gen[name] + 1
        return need, send_now

    def sent(self, name: str, state: bytes | None) -> None:
        """A step 1 of ``name`` went out with ``state`` (None: it cannot acknowledge)."""
        self._gen[name] += 1
        self._in_flight.add(name)
        self._queued.discard(name)
        self._marker[name] = None if state is None else (self._changes[name], state)

    def answered(self, name: str) -> Answer:
        """The relay answered the step 1 of ``name`` in flight."""
        self._in_flight.discard(name)
        self._answered_gen[name] = self._gen[name]
        marker = self._marker.pop(name, None)
        confirmed = None
        if marker is not None:
            count, confirmed = marker
            self._acked[name] = max(self._acked[name], count)
        return Answer(confirmed, name in self._queued)

    def covers(self, need: Mapping[str, int]) -> bool:
        """True once every document in ``need`` was answered at or after its generation."""
        return all(self._answered_gen[name] >= gen for name, gen in need.items())
