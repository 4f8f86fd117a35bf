"""Logins and token checks: what a connection's first message is turned into.

The :class:`Authenticator` is used from the event loop: the throttle is
checked there, and the slow parts (SQL, Argon2) run in a worker thread.
Every login refusal raises :class:`~relay_server.errors.AuthError` with a
message that never says whether the account exists. A sign-up (a new shop
and its first owner, when the relay allows it) must say when the e-mail is
taken; every sign-up, accepted or not, counts against its client address in
the address throttle, so that one address cannot create shops (or probe
e-mails) in bulk.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from relay_server.auth.keys import new_token, token_digest
from relay_server.auth.passwords import (
    DUMMY_HASH,
    hash_password,
    password_problem,
    verify_password,
)
from relay_server.auth.throttle import LoginThrottle
from relay_server.errors import AuthError, SignupRefused, StorageError
from relay_server.storage import OwnerInfo, Storage, TillInfo

__all__ = ["Authenticator", "Grant"]

logger = logging.getLogger(__name__)

BAD_TILL_LOGIN = "wrong licence key or password"
BAD_OWNER_LOGIN = "wrong email or password"
BAD_TOKEN = "unknown or revoked token: log in again"
SIGNUP_DISABLED = "this relay does not take new shops: ask its administrator for an account"


@dataclass(frozen=True)
class Grant:
    """What an authenticated connection may do, and as whom.

    ``token`` is set only on a fresh login (send it to the device once);
    ``till`` is set for a till; ``lan_secret`` is the shop's current LAN secret.
    """

    shop_id: str
    role: str
    device_id: str
    token_id: str
    lan_secret: str
    till: TillInfo | None = None
    owner_id: str | None = None
    token: str | None = None

    @property
    def is_owner(self) -> bool:
        return self.role == "owner"


class Authenticator:
    """Turns credentials into a :class:`Grant`, slowing down repeated failures."""

    def __init__(
        self,
        storage: Storage,
        *,
        account_throttle: LoginThrottle | None = None,
        address_throttle: LoginThrottle | None = None,
    ) -> None:
        self.storage = storage
        self.accounts_throttle = account_throttle or LoginThrottle(free_failures=5)
        self.address_throttle = address_throttle or LoginThrottle(free_failures=20)

    async def login_till(
        self, licence_key: str, password: str, public_key: bytes | None, address: str
    ) -> Grant:
        """A till's login; registers ``public_key`` on the first one and issues a token."""
        account = f"till:{licence_key}"
        self._check(account, address)
        grant = await asyncio.to_thread(self._login_till, licence_key, password, public_key)
        return self._settle(grant, account, address, BAD_TILL_LOGIN)

    async def login_owner(self, email: str, password: str, device_name: str, address: str) -> Grant:
        """An owner's login from a manager device; issues a token for that device."""
        account = f"owner:{email.strip().lower()}"
        self._check(account, address)
        grant = await asyncio.to_thread(self._login_owner, email, password, device_name)
        return self._settle(grant, account, address, BAD_OWNER_LOGIN)

    async def sign_up(
        self, shop_name: str, email: str, password: str, device_name: str, address: str
    ) -> Grant:
        """Create a shop and its first owner and log that owner in, as :meth:`login_owner`.

        Raises :class:`~relay_server.errors.SignupRefused` (``signup.invalid``,
        ``signup.password_short``, ``signup.email_taken``, ``signup.shop_taken``)
        or :class:`~relay_server.errors.ThrottledError`. Call only when the relay
        allows sign-ups.
        """
        self._check(f"owner:{email.strip().lower()}", address)
        shop_name, email = shop_name.strip(), email.strip()
        if not 0 < len(shop_name) <= 200:
            raise SignupRefused("signup.invalid", "a shop name has 1 to 200 characters")
        if len(email) > 320 or email.count("@") != 1 or any(c.isspace() for c in email):
            raise SignupRefused("signup.invalid", "this is not an e-mail address")
        problem = password_problem(password)
        if problem is not None:
            raise SignupRefused("signup.password_short", problem)
        self.address_throttle.failed(address)
        result = await asyncio.to_thread(self._sign_up, shop_name, email, password, device_name)
        if isinstance(result, SignupRefused):
            raise result
        return result

    async def resume(self, token: str, address: str) -> Grant:
        """Check a device token (no password involved)."""
        self.address_throttle.check(address)
        grant = await asyncio.to_thread(self.grant_for_token, token)
        if grant is None:
            self.address_throttle.failed(address)
            raise AuthError(BAD_TOKEN)
        return grant

    def grant_for_token(self, token: str) -> Grant | None:
        """The grant of a valid token, or None (blocking: SQL only, no throttle)."""
        info = self.storage.accounts.token_by_hash(token_digest(token))
        if info is None or info.revoked:
            return None
        till = None
        if info.till_id is not None:
            till = self.storage.accounts.till(info.till_id)
            if till.revoked:
                return None
        shop = self.storage.accounts.shop(info.shop_id)
        return Grant(
            shop_id=info.shop_id,
            role=info.role,
            device_id=info.device_id,
            token_id=info.id,
            lan_secret=shop.lan_secret,
            till=till,
            owner_id=info.owner_id,
        )

    def _check(self, account: str, address: str) -> None:
        self.accounts_throttle.check(account)
        self.address_throttle.check(address)

    def _settle(self, grant: Grant | str, account: str, address: str, bad: str) -> Grant:
        if isinstance(grant, Grant):
            self.accounts_throttle.succeeded(account)
            return grant
        if grant == bad:
            self.accounts_throttle.failed(account)
            self.address_throttle.failed(address)
        raise AuthError(grant)

    def _login_till(self, licence_key: str, password: str, public_key: bytes | None) -> Grant | str:
        till = self.storage.accounts.till_by_licence(licence_key.strip().upper())
        stored = till.password_hash if till is not None and till.password_hash else DUMMY_HASH
        if not verify_password(stored, password) or till is None or not till.password_hash:
            return BAD_TILL_LOGIN
        if till.revoked:
            return "this till has been revoked: ask the owner for a new licence"
        if public_key is not None:
            if len(public_key) != 32:
                return "the signing key must be 32 bytes (Ed25519)"
            try:
                self.storage.accounts.register_till_key(till.id, public_key)
            except StorageError as exc:
                return f"{exc}: ask the owner to reset the till"
            till = self.storage.accounts.till(till.id)
        token = new_token()
        info = self.storage.accounts.add_token(
            token_digest(token), till.shop_id, "till", till_id=till.id
        )
        shop = self.storage.accounts.shop(till.shop_id)
        logger.info("till %s of shop %s logged in", till.id, till.shop_id)
        return Grant(
            till.shop_id, "till", till.id, info.id, shop.lan_secret, till=till, token=token
        )

    def _sign_up(
        self, shop_name: str, email: str, password: str, device_name: str
    ) -> Grant | SignupRefused:
        taken = self._taken(shop_name, email)
        if taken is not None:
            return taken
        try:
            shop, owner = self.storage.accounts.create_shop_with_owner(
                shop_name, email, hash_password(password)
            )
        except StorageError:  # another sign-up took the e-mail or the name meanwhile
            taken = self._taken(shop_name, email)
            if taken is None:
                raise
            return taken
        logger.info("shop %s signed up by owner %s", shop.id, owner.id)
        return self._owner_grant(owner, device_name)

    def _taken(self, shop_name: str, email: str) -> SignupRefused | None:
        """The refusal of a sign-up whose e-mail or shop name is taken, else None."""
        accounts = self.storage.accounts
        if accounts.owner_by_email(email) is not None:
            return SignupRefused("signup.email_taken", "this e-mail already has an account")
        if accounts.shop_by_name(shop_name) is not None:
            return SignupRefused("signup.shop_taken", "a shop already has this name")
        return None

    def _login_owner(self, email: str, password: str, device_name: str) -> Grant | str:
        owner = self.storage.accounts.owner_by_email(email)
        if not verify_password(owner.password_hash if owner else DUMMY_HASH, password):
            return BAD_OWNER_LOGIN
        if owner is None:
            return BAD_OWNER_LOGIN
        logger.info("owner %s of shop %s logged in", owner.id, owner.shop_id)
        return self._owner_grant(owner, device_name)

    def _owner_grant(self, owner: OwnerInfo, device_name: str) -> Grant:
        """A new manager device and token for ``owner``."""
        device_id = self.storage.accounts.add_manager_device(owner.shop_id, owner.id, device_name)
        token = new_token()
        info = self.storage.accounts.add_token(
            token_digest(token),
            owner.shop_id,
            "owner",
            owner_id=owner.id,
            manager_device_id=device_id,
        )
        shop = self.storage.accounts.shop(owner.shop_id)
        return Grant(
            owner.shop_id,
            "owner",
            device_id,
            info.id,
            shop.lan_secret,
            owner_id=owner.id,
            token=token,
        )
