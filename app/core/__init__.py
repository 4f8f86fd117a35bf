"""The apps' core, without Qt: the local store, the basket, and (later) the sync engine.

``app.core.store`` is where a sale becomes durable: one SQLite file per data
directory, opened with :meth:`app.core.store.DeviceStore.open`.
"""
