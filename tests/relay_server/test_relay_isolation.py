"""Tenant isolation over randomized tokens, document names and paths (Hypothesis).

Shop B holds a secret product. Whatever token and path shop A's side tries,
the handshake is refused (401 or 404) unless it is exactly a valid token and a
document name, and then nothing of shop B arrives.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pycrdt import Doc, Map
from relay_client import NativeClient, YjsClient, eventually
from relay_process import RelayProcess, RunningRelay, relay_subprocess
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from crdt_models.sync import DocSynced
from relay_server.storage import DOC_NAMES

SECRET = "SECRET-OF-SHOP-B"


@pytest.fixture(scope="module")
def relay_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RelayProcess]:
    """This module's relay: hundreds of bad tokens from 127.0.0.1 must not lock it out."""
    with relay_subprocess(tmp_path_factory, "--address-failures", "100000") as running:
        yield running


doc_names = st.one_of(
    st.sampled_from(DOC_NAMES),
    st.sampled_from(DOC_NAMES).map(str.upper),
    st.sampled_from(DOC_NAMES).map(lambda d: f"../{d}"),
    st.sampled_from(DOC_NAMES).map(lambda d: f"{d}/../settings"),
    st.sampled_from(DOC_NAMES).map(lambda d: d + "\u0301"),
    st.text(min_size=1, max_size=12),
)


def tokens(valid: str) -> st.SearchStrategy[str]:
    return st.one_of(
        st.just(valid),
        st.just(valid.upper()),
        st.just(valid[:-1]),
        st.just(valid + "x"),
        st.text(min_size=1, max_size=50),
    )


async def test_nothing_of_shop_b_reaches_shop_a(relay: RunningRelay) -> None:
    b_owner = await NativeClient.connect(
        relay.url, {"method": "token", "token": relay.shop_b.token}
    )
    await b_owner.authenticated()
    for name in DOC_NAMES:

        def secret(doc: Doc[Any], name: str = name) -> None:
            doc.get("secrets", type=Map)["x"] = SECRET

        await b_owner.edit(name, secret)
    await b_owner.close()
    token_a = relay.shop_a.token

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(name=doc_names, token=tokens(token_a))
    def probe(name: str, token: str) -> None:
        asyncio.run(attempt(name, token))

    async def attempt(name: str, token: str) -> None:
        url = f"ws://{relay.host}:{relay.port}/yjs/{quote(name)}?token={quote(token)}"
        if token == token_a and name in DOC_NAMES:
            client = await YjsClient.connect(url)
            await asyncio.wait_for(client.synced.wait(), 10)
            assert SECRET not in str(client.doc.get("secrets", type=Map).to_py())
            await client.close()
            return
        try:
            async with connect(url):
                raise AssertionError(f"handshake accepted for {name!r}")
        except InvalidStatus as refused:
            assert refused.response.status_code in (401, 404)
            assert SECRET.encode() not in (refused.response.body or b"")

    await asyncio.to_thread(probe)
    a_owner = await NativeClient.connect(relay.url, {"method": "token", "token": token_a})
    await a_owner.authenticated()
    await eventually(lambda: sum(isinstance(e, DocSynced) for e in a_owner.events) == 4)
    for name in DOC_NAMES:
        assert SECRET not in str(a_owner.docs[name].get("secrets", type=Map).to_py())
    await a_owner.close()
