"""A synthetic catalogue in the shared schema (DESIGN.md section 2), as y-websocket updates.

Root Map ``products``: id -> Map of name, price (int cents), vat, barcode, category, color,
archived. It is built in chunks of 1,000 products, one update per chunk, the way a catalogue
grows from imports; the chunks are cached on disk (``benchmarks/results/``, git-ignored)
because building 100,000 products takes seconds.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from pycrdt import Doc, Map, create_update_message, write_var_uint

from benchmarks.wire import read_var_uint

__all__ = ["catalogue_updates", "count_products"]

CHUNK = 1000
_CACHE = Path(__file__).resolve().parent.parent / "results" / "cache"
_COLORS = ["#e53935", "#43a047", "#1e88e5", "#fdd835", "#8e24aa", "#00897b"]


def _build(size: int) -> list[bytes]:
    rng = random.Random(size)
    doc: Doc[Any] = Doc()
    products = doc.get("products", type=Map)
    updates: list[bytes] = []
    doc.observe(lambda event: updates.append(event.update))
    for start in range(0, size, CHUNK):
        with doc.transaction():
            for number in range(start, min(size, start + CHUNK)):
                products[f"p{number:07d}"] = Map(
                    {
                        "name": f"Product {number} {rng.choice(['small', 'large', 'bio'])}",
                        "price": rng.randrange(50, 20000),
                        "vat": rng.choice(["std", "reduced", "food"]),
                        "barcode": f"{rng.randrange(10**12, 10**13)}",
                        "category": f"c{rng.randrange(40):03d}",
                        "color": rng.choice(_COLORS),
                        "archived": False,
                    }
                )
    return [create_update_message(update) for update in updates]


def catalogue_updates(size: int) -> list[bytes]:
    """Update messages (unframed) that together create a catalogue of ``size`` products."""
    path = _CACHE / f"catalogue-{size}.bin"
    if path.exists():
        data = path.read_bytes()
        messages, pos = [], 0
        while pos < len(data):
            length, pos = read_var_uint(data, pos)
            messages.append(data[pos : pos + length])
            pos += length
        return messages
    messages = _build(size)
    _CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_bytes(b"".join(write_var_uint(len(m)) + m for m in messages))
    partial.replace(path)
    return messages


def count_products(step2: bytes) -> int:
    """How many catalogue products (not benchmark markers) a sync step 2 message holds."""
    _, pos = read_var_uint(step2, 2)
    doc: Doc[Any] = Doc()
    doc.apply_update(step2[pos:])
    return sum(1 for key in doc.get("products", type=Map) if not key.startswith("bench"))
