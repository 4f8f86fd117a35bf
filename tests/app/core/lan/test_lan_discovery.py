"""zeroconf discovery between real processes in network namespaces on one bridge (as root)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from crdt_models.lan import shop_fingerprint
from tests.e2e.lan.netns import NetnsLan, netns_unavailable
from tests.e2e.lan.procs import PYTHON, REPO, JsonProcess

pytestmark = pytest.mark.skipif((reason := netns_unavailable()) is not None, reason=reason or "")

SCRIPT = str(REPO / "tests" / "e2e" / "lan" / "discover.py")


@pytest.fixture
def lan() -> Iterator[NetnsLan]:
    with NetnsLan(["a", "b", "x"], subnet=78) as made:
        yield made


def probe(lan: NetnsLan, host: str, port: int, fingerprint: str) -> JsonProcess:
    argv = [PYTHON, SCRIPT, str(port), fingerprint, lan.address(host)]
    return JsonProcess(lan.command(host, argv))


def test_peers_of_one_shop_find_each_other_and_ignore_others(lan: NetnsLan) -> None:
    shop = shop_fingerprint(os.urandom(32))
    other = shop_fingerprint(os.urandom(32))
    probes = {
        "x": probe(lan, "x", 4003, other),
        "a": probe(lan, "a", 4001, shop),
        "b": probe(lan, "b", 4002, shop),
    }
    try:
        ids = {h: p.wait_for(lambda line: "ready" in line)["ready"] for h, p in probes.items()}
        seen_by_a = probes["a"].wait_for(lambda line: line.get("peer") == ids["b"])
        seen_by_b = probes["b"].wait_for(lambda line: line.get("peer") == ids["a"])
        assert (seen_by_a["host"], seen_by_a["port"]) == (lan.address("b"), 4002)
        assert (seen_by_b["host"], seen_by_b["port"]) == (lan.address("a"), 4001)
        probes["b"].close()  # b leaves: a hears it go
        probes["a"].wait_for(lambda line: line.get("gone") == ids["b"])
        for host in ("a", "b"):
            assert all(line.get("peer") != ids["x"] for line in probes[host].lines)
            assert all(line.get("peer") != ids[host] for line in probes[host].lines)
        assert not any("peer" in line for line in probes["x"].lines)
    finally:
        for p in probes.values():
            p.close()
