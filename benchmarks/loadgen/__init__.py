"""The load generator: one separate process, written once, the same client for every server.

The runner starts ``python -m benchmarks.loadgen`` with a job as JSON on stdin::

    {"workload": "propagation", "server_pid": 1234, "params": {...},
     "endpoints": [{"url": "ws://127.0.0.1:5000/doc-0", "framing": {"kind": "plain"}}]}

and reads the result as one JSON object on stdout. It talks only to the URLs it is given.
"""
