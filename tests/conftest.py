"""Test-wide settings: Qt runs offscreen, whatever the caller's environment."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
