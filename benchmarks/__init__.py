"""Reproducible performance scenarios: Skytill's relay side by side with the Yjs servers a
shop or a developer would pick instead (not tests; ``make bench`` / ``python -m benchmarks``).

- ``runner``: the command line; runs scenarios one after another, one server at a time.
- ``scenarios``: what each scenario asks for, full and ``--quick``.
- ``servers`` / ``skytill``: the servers under test and how to start them.
- ``loadgen``: the load generator, a separate process, the same client for every server.
- ``wire``: the bytes that client sends (y-websocket, Hocuspocus framing, native frames).
- ``report``: the table, JSON and docs/benchmarks.md; ``domain``: hooks for domain figures.
- ``figures``: what the domain scripts share (their ``--json [PATH]`` option, percentiles).
"""
