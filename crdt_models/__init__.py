"""Skytill's pure core: the shop's shared documents, the sales journal and the
sans-I/O sync protocol.

Nothing here touches Qt, a socket, an event loop or SQL (a test enforces it):
the relay, the till, the manager and the LAN peer all run this same code.
"""
