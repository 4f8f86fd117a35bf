"""The one way to run background work in the apps.

An asyncio loop runs on a background thread (networking, sync, anything that
waits). The GUI thread hands it coroutines with :meth:`AsyncBridge.submit`;
results and errors come back to the GUI thread through a queued Qt signal, so
callbacks may touch widgets. Code on the loop thread that needs to tell the
GUI something uses :meth:`AsyncBridge.to_gui`.

qasync would merge the two loops, but it breaks under pytest-qt; a thread and
queued signals work the same in tests and in production.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot

__all__ = ["AsyncBridge"]

log = logging.getLogger(__name__)

T = TypeVar("T")


class AsyncBridge(QObject):
    """An asyncio loop on its own thread, owned by a QObject on the GUI thread.

    Create it on the GUI thread, once per app; call :meth:`close` on exit.
    """

    _call = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._call.connect(self._run_call, Qt.ConnectionType.QueuedConnection)
        self._loop = asyncio.new_event_loop()
        self._closed = False
        self._thread = threading.Thread(target=self._run_loop, name="skytill-asyncio", daemon=True)
        self._thread.start()

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The background loop (for code that runs on it, such as the sync engine)."""
        return self._loop

    def submit(
        self,
        coro: Coroutine[Any, Any, T],
        on_result: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> concurrent.futures.Future[T]:
        """Run ``coro`` on the loop; call ``on_result`` / ``on_error`` on the GUI thread.

        An error without ``on_error`` is logged, never lost silently. A
        cancelled coroutine calls neither.
        """
        if self._closed:
            coro.close()
            raise RuntimeError("the background loop is closed")
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)

        def done(f: concurrent.futures.Future[T]) -> None:
            if f.cancelled():
                return
            error = f.exception()
            if error is None:
                if on_result is not None:
                    result = f.result()
                    self.to_gui(lambda: on_result(result))
            elif on_error is not None:
                self.to_gui(lambda: on_error(error))
            else:
                log.error("background task failed", exc_info=error)

        future.add_done_callback(done)
        return future

    def to_gui(self, fn: Callable[[], object]) -> None:
        """Call ``fn`` on the GUI thread (from any thread)."""
        if not self._closed:
            self._call.emit(fn)

    def close(self, timeout: float = 5.0) -> None:
        """Cancel what still runs, stop the loop and join its thread."""
        if self._closed:
            return
        self._closed = True

        async def cancel_all() -> None:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        try:
            asyncio.run_coroutine_threadsafe(cancel_all(), self._loop).result(timeout)
        except (concurrent.futures.TimeoutError, RuntimeError):
            log.warning("background tasks did not stop within %.1f s", timeout)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout)
        if not self._thread.is_alive():
            self._loop.close()

    def _run_loop(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()

    @Slot(object)
    def _run_call(self, fn: Callable[[], object]) -> None:
        try:
            fn()
        except Exception:
            log.exception("GUI callback failed")
