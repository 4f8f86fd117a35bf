"""Pausing Python's cyclic garbage collector while a bulk read builds many objects.

Reading 100,000 products makes some 500,000 objects that all stay alive; the
collector, started again and again by so many allocations, walks every one of
them each time it reaches the oldest generation: a quarter of the till's
start-up. No cycle is made that must be freed during such a read, so the
collector is paused for it and restored as it was after (reference counting
still frees everything else as usual).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic collection inside the block; the collector as it was after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
