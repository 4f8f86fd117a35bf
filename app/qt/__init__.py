"""Qt pieces shared by the till and the manager: the asyncio bridge
(:mod:`app.qt.bridge`), locale formatting (:mod:`app.qt.formatting`), the
translations (:mod:`app.qt.i18n`) and common widgets (:mod:`app.qt.widgets`)."""
