"""``python -m relay_server ...``: the relay's command line."""

import sys

from relay_server.cli import main

sys.exit(main())
