"""Skytill's desktop side: the device core (``app.core``, no Qt), the shared Qt
layer, the till and the manager."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("skytill")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
