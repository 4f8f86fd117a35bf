"""Logins, tokens and throttling, in process over a real database."""

from __future__ import annotations

import asyncio

import pytest

from relay_server.auth import Authenticator, LoginThrottle, hash_password, verify_password
from relay_server.errors import AuthError, SignupRefused, ThrottledError
from relay_server.provisioning import add_owner, add_till, mint_owner_token
from relay_server.storage import Storage


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_passwords_use_argon2id_at_owasp_parameters() -> None:
    stored = hash_password("correct horse")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert verify_password(stored, "correct horse")
    assert not verify_password(stored, "wrong")
    assert not verify_password("not a hash", "wrong")


def test_throttle_locks_out_exponentially_and_success_clears_the_account() -> None:
    clock = FakeClock()
    throttle = LoginThrottle(free_failures=2, base_delay=1.0, max_delay=8.0, clock=clock)
    throttle.failed("acct")
    throttle.check("acct")
    throttle.failed("acct")
    with pytest.raises(ThrottledError) as first:
        throttle.check("acct", "other")
    assert first.value.retry_after == pytest.approx(1.0)
    clock.now += 1.0
    throttle.check("acct")
    throttle.failed("acct")
    with pytest.raises(ThrottledError) as second:
        throttle.check("acct")
    assert second.value.retry_after == pytest.approx(2.0)
    for _ in range(10):
        throttle.failed("acct")
    with pytest.raises(ThrottledError) as capped:
        throttle.check("acct")
    assert capped.value.retry_after == pytest.approx(8.0)
    throttle.succeeded("acct")
    throttle.check("acct")


def test_throttle_forgets_the_oldest_keys_beyond_its_bound() -> None:
    throttle = LoginThrottle(free_failures=0, max_keys=3, clock=FakeClock())
    for key in "abcd":
        throttle.failed(key)
    throttle.check("a")
    with pytest.raises(ThrottledError):
        throttle.check("d")


async def test_till_login_issues_a_token_and_registers_its_key(storage: Storage) -> None:
    add_owner(storage, "Bakery", "o@x.test", "owner pw")
    till = add_till(storage, "Bakery", "Front", "till pw")
    auth = Authenticator(storage)

    grant = await auth.login_till(till.licence_key, "till pw", b"k" * 32, "127.0.0.1")

    assert (grant.role, grant.shop_id, grant.device_id) == ("till", till.shop_id, till.id)
    assert grant.till is not None and grant.till.public_key == b"k" * 32
    assert grant.token is not None
    resumed = await auth.resume(grant.token, "127.0.0.1")
    assert (resumed.token_id, resumed.token, resumed.lan_secret) == (
        grant.token_id,
        None,
        grant.lan_secret,
    )
    with pytest.raises(AuthError, match="another signing key"):
        await auth.login_till(till.licence_key, "till pw", b"x" * 32, "127.0.0.1")


async def test_wrong_passwords_are_refused_then_throttled(storage: Storage) -> None:
    add_owner(storage, "Bakery", "o@x.test", "owner pw")
    till = add_till(storage, "Bakery", "Front", "till pw")
    auth = Authenticator(storage, account_throttle=LoginThrottle(free_failures=3))
    for _ in range(3):
        with pytest.raises(AuthError, match="wrong licence key or password"):
            await auth.login_till(till.licence_key, "bad", None, "10.0.0.1")
    with pytest.raises(ThrottledError):
        await auth.login_till(till.licence_key, "till pw", None, "10.0.0.2")
    with pytest.raises(AuthError, match="wrong email or password"):
        await auth.login_owner("nobody@x.test", "owner pw", "laptop", "10.0.0.1")
    with pytest.raises(AuthError, match="wrong email or password"):
        await auth.login_owner("o@x.test", "bad", "laptop", "10.0.0.1")
    owner = await auth.login_owner("O@X.test", "owner pw", "laptop", "10.0.0.1")
    assert owner.is_owner and owner.token is not None


async def test_revoked_till_and_unknown_tokens_are_refused(storage: Storage) -> None:
    add_owner(storage, "Bakery", "o@x.test", "owner pw")
    till = add_till(storage, "Bakery", "Front", "till pw")
    auth = Authenticator(storage)
    grant = await auth.login_till(till.licence_key, "till pw", None, "127.0.0.1")
    assert grant.token is not None
    storage.accounts.revoke_till(till.id)
    with pytest.raises(AuthError, match="unknown or revoked"):
        await auth.resume(grant.token, "127.0.0.1")
    with pytest.raises(AuthError, match="revoked"):
        await auth.login_till(till.licence_key, "till pw", None, "127.0.0.1")
    with pytest.raises(AuthError, match="unknown or revoked"):
        await auth.resume("not-a-token", "127.0.0.1")
    script = mint_owner_token(storage, "o@x.test")
    assert (await auth.resume(script, "127.0.0.1")).role == "owner"


async def test_concurrent_sign_ups_of_one_email_or_shop_name_are_refused_as_taken(
    storage: Storage,
) -> None:
    """Sign-ups racing for one e-mail (or one shop name) create one shop; every other is
    refused with the code the manager shows (``signup.email_taken``/``shop_taken``),
    whether it saw the place taken before or only when storing."""
    auth = Authenticator(storage)
    for field, code in (("email", "signup.email_taken"), ("shop", "signup.shop_taken")):
        racers = [{"shop": f"Bakery {field} {i}", "email": f"{field}{i}@x.test"} for i in range(4)]
        for racer in racers:
            racer[field] = racers[0][field]
        results = await asyncio.gather(
            *(
                auth.sign_up(r["shop"], r["email"], "owner password", "laptop", f"10.0.0.{i}")
                for i, r in enumerate(racers)
            ),
            return_exceptions=True,
        )
        refused = [r for r in results if isinstance(r, BaseException)]
        assert len(refused) == 3, results
        assert all(isinstance(r, SignupRefused) and r.code == code for r in refused), refused
