"""Per-connection log context: every line names the shop and the device, never a secret."""

from __future__ import annotations

import logging
from collections.abc import MutableMapping
from typing import Any

__all__ = ["ConnectionLog"]


class ConnectionLog(logging.LoggerAdapter[logging.Logger]):
    """Prefixes messages with ``[conn=N shop=S device=D]``; set shop/device once known."""

    def __init__(self, logger: logging.Logger, conn: int, address: str) -> None:
        super().__init__(logger, {"conn": conn, "address": address, "shop": "-", "device": "-"})

    def bind(self, shop: str, device: str) -> None:
        """Name the shop and device once the connection is authenticated."""
        assert self.extra is not None
        extra = dict(self.extra)
        extra.update(shop=shop, device=device)
        self.extra = extra

    def process(
        self, msg: Any, kwargs: MutableMapping[str, Any]
    ) -> tuple[Any, MutableMapping[str, Any]]:
        assert self.extra is not None
        e = self.extra
        prefix = f"[conn={e['conn']} addr={e['address']} shop={e['shop']} device={e['device']}] "
        kwargs.setdefault("extra", {}).update(e)
        return prefix + str(msg), kwargs
