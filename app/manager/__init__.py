"""The manager: the owner's back office (catalogue, customers, settings, figures).

Start it with ``skytill manager`` (see :mod:`app.manager.cli`). The pages are
thin Qt views over the shared documents held by the device store; the logic
that is not about widgets (CSV import, customer merge, dashboard figures)
lives in plain modules next to them so that it can be tested without a screen.
"""
