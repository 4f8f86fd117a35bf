"""The LAN secure channel, sans-I/O: a mutual PSK handshake, then encrypted frames.

Two devices of one shop prove to each other that they hold the shop's LAN
secret (given at provisioning, rotated when a till is revoked) before either
sends a byte of documents or journal; afterwards every frame is encrypted and
authenticated. Feed each received message (one websocket binary message) to
:meth:`SecureChannel.receive_data`, then read :meth:`SecureChannel.events_received`
and :meth:`SecureChannel.data_to_send`, exactly like
:class:`~crdt_models.sync.session.SyncSession`. Nothing here touches a socket,
a clock or a loop, and bad input never raises: it becomes a
:class:`ChannelFailed` event and the channel is closed for good.

The handshake (three messages, in the spirit of Noise ``NNpsk0``)::

    initiator -> responder  HELLO   "SKL1" 0x01 | ephemeral X25519 (32) | nonce (16)
    responder -> initiator  REPLY   "SKL1" 0x02 | ephemeral X25519 (32) | nonce (16) | tag_r (32)
    initiator -> responder  FINISH  "SKL1" 0x03 | tag_i (32)

Both derive, with HKDF-SHA256 keyed (salt) by the shop secret over the
X25519 shared secret and bound to the hash of the transcript (HELLO and REPLY
without its tag), two traffic keys (one per direction) and two confirmation
keys; ``tag_r`` and ``tag_i`` are HMAC-SHA256 of the transcript hash under the
confirmation keys. The initiator trusts the responder once ``tag_r`` checks,
the responder trusts the initiator once ``tag_i`` checks; neither sends a frame
of data before. Both ephemerals are fresh per handshake, so a recorded
handshake replayed to either side fails its tag check and yields nothing.

Data frames are ChaCha20-Poly1305 with the direction's key and an implicit
64-bit counter as nonce (the transport is ordered): a tampered, replayed,
dropped or reordered frame fails to decrypt and closes the channel.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
from dataclasses import dataclass
from enum import Enum
from typing import TypeAlias

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from crdt_models.lan.errors import ChannelStateError, FrameAuthError, HandshakeError, LanError
from crdt_models.sync.frames import MAX_FRAME_BYTES

__all__ = [
    "DEFAULT_MAX_FRAME",
    "MIN_SECRET_BYTES",
    "ChannelEstablished",
    "ChannelEvent",
    "ChannelFailed",
    "PlaintextReceived",
    "Role",
    "SecureChannel",
]

logger = logging.getLogger(__name__)

PROTOCOL = b"skytill-lan-v1"
MAGIC = b"SKL1"
_HELLO, _REPLY, _FINISH = 1, 2, 3
_KEY, _NONCE, _TAG = 32, 16, 32
_HELLO_LEN = len(MAGIC) + 1 + _KEY + _NONCE
_REPLY_LEN = _HELLO_LEN + _TAG
_FINISH_LEN = len(MAGIC) + 1 + _TAG
_AEAD_TAG = 16
_MAX_COUNTER = 2**64 - 1

#: The shortest LAN secret accepted (the relay issues 32 random bytes).
MIN_SECRET_BYTES = 16
#: The largest plaintext frame accepted: any sync frame (a whole document) fits.
DEFAULT_MAX_FRAME = MAX_FRAME_BYTES


class Role(Enum):
    """Which side of the handshake: the device that dialled, or the one that listened."""

    INITIATOR = "initiator"
    RESPONDER = "responder"


@dataclass(frozen=True)
class ChannelEstablished:
    """Both sides proved they hold the shop secret: :meth:`SecureChannel.send` may be used."""


@dataclass(frozen=True)
class PlaintextReceived:
    """A decrypted, authenticated frame from the peer."""

    data: bytes


@dataclass(frozen=True)
class ChannelFailed:
    """The handshake or a frame failed; the channel is closed. Close the connection."""

    code: str
    reason: str


ChannelEvent: TypeAlias = ChannelEstablished | PlaintextReceived | ChannelFailed


class _State(Enum):
    AWAIT_HELLO = "await hello"
    AWAIT_REPLY = "await reply"
    AWAIT_FINISH = "await finish"
    ESTABLISHED = "established"
    FAILED = "failed"


@dataclass(frozen=True)
class _Keys:
    send: ChaCha20Poly1305
    receive: ChaCha20Poly1305
    tag_initiator: bytes
    tag_responder: bytes


class SecureChannel:
    """One side of a LAN link's secure channel (see the module docstring).

    Build it with :meth:`initiator` (the dialling side; its HELLO is queued at
    once) or :meth:`responder`. ``secret`` is the shop's LAN secret; a
    ``ValueError`` if it is shorter than :data:`MIN_SECRET_BYTES`.
    """

    def __init__(self, role: Role, secret: bytes, *, max_frame: int = DEFAULT_MAX_FRAME) -> None:
        if len(secret) < MIN_SECRET_BYTES:
            raise ValueError(f"a LAN secret has at least {MIN_SECRET_BYTES} bytes")
        self.role = role
        self.max_frame = max_frame
        self._secret = bytes(secret)
        self._ephemeral = X25519PrivateKey.generate()
        self._nonce = os.urandom(_NONCE)
        self._hello = b""
        self._keys: _Keys | None = None
        self._send_counter = 0
        self._receive_counter = 0
        self._events: list[ChannelEvent] = []
        self._outgoing: list[bytes] = []
        if role is Role.INITIATOR:
            self._hello = self._handshake_message(_HELLO)
            self._outgoing.append(self._hello)
            self._state = _State.AWAIT_REPLY
        else:
            self._state = _State.AWAIT_HELLO

    @classmethod
    def initiator(cls, secret: bytes, *, max_frame: int = DEFAULT_MAX_FRAME) -> SecureChannel:
        """The side that dials; its HELLO is already in :meth:`data_to_send`."""
        return cls(Role.INITIATOR, secret, max_frame=max_frame)

    @classmethod
    def responder(cls, secret: bytes, *, max_frame: int = DEFAULT_MAX_FRAME) -> SecureChannel:
        """The side that accepted the connection; it waits for the peer's HELLO."""
        return cls(Role.RESPONDER, secret, max_frame=max_frame)

    # -- state ---------------------------------------------------------------------------

    @property
    def established(self) -> bool:
        """True once the peer proved it holds the secret, until the channel fails."""
        return self._state is _State.ESTABLISHED

    @property
    def failed(self) -> bool:
        """True after a failed handshake, a bad frame or :meth:`fail`."""
        return self._state is _State.FAILED

    def fail(self, reason: str) -> None:
        """Close the channel for a reason of the owner's; nothing more is sent or accepted."""
        self._fail(LanError(reason))

    # -- I/O -------------------------------------------------------------------------------

    def receive_data(self, data: bytes) -> None:
        """Handle one message from the peer. Never raises; ignored once failed."""
        try:
            match self._state:
                case _State.AWAIT_HELLO:
                    self._receive_hello(data)
                case _State.AWAIT_REPLY:
                    self._receive_reply(data)
                case _State.AWAIT_FINISH:
                    self._receive_finish(data)
                case _State.ESTABLISHED:
                    self._receive_frame(data)
                case _State.FAILED:
                    return
        except LanError as error:
            self._fail(error)

    def send(self, data: bytes) -> None:
        """Encrypt ``data`` as one frame to the peer (queued in :meth:`data_to_send`).

        Raises :class:`~.errors.ChannelStateError` before the channel is
        established or after it failed, so no plaintext can leave early.
        """
        if self._keys is None or self._state is not _State.ESTABLISHED:
            raise ChannelStateError(f"cannot send while the channel is {self._state.value}")
        if len(data) > self.max_frame:
            raise ChannelStateError(f"a frame of {len(data)} bytes is over {self.max_frame}")
        if self._send_counter >= _MAX_COUNTER:
            self._fail(FrameAuthError("the frame counter is exhausted; reconnect"))
            raise ChannelStateError("the frame counter is exhausted")
        nonce = _counter_nonce(self._send_counter)
        self._send_counter += 1
        self._outgoing.append(self._keys.send.encrypt(nonce, data, PROTOCOL))

    def events_received(self) -> list[ChannelEvent]:
        """Return and forget the events since the last call, oldest first."""
        events, self._events = self._events, []
        return events

    def data_to_send(self) -> list[bytes]:
        """Return and forget the messages to send (one websocket message each), in order."""
        data, self._outgoing = self._outgoing, []
        return data

    # -- handshake -------------------------------------------------------------------------

    def _handshake_message(self, kind: int) -> bytes:
        public = self._ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return MAGIC + bytes([kind]) + public + self._nonce

    def _receive_hello(self, data: bytes) -> None:
        _check_message(data, _HELLO, _HELLO_LEN)
        body = self._handshake_message(_REPLY)
        keys = self._derive(data, body, peer_public=data[5 : 5 + _KEY])
        self._outgoing.append(body + keys.tag_responder)
        self._keys = keys
        self._state = _State.AWAIT_FINISH

    def _receive_reply(self, data: bytes) -> None:
        _check_message(data, _REPLY, _REPLY_LEN)
        body, tag = data[:_HELLO_LEN], data[_HELLO_LEN:]
        keys = self._derive(self._hello, body, peer_public=data[5 : 5 + _KEY])
        if not hmac.compare_digest(tag, keys.tag_responder):
            raise HandshakeError("the peer does not hold this shop's LAN secret")
        self._keys = keys
        self._outgoing.append(MAGIC + bytes([_FINISH]) + keys.tag_initiator)
        self._establish()

    def _receive_finish(self, data: bytes) -> None:
        _check_message(data, _FINISH, _FINISH_LEN)
        assert self._keys is not None
        if not hmac.compare_digest(data[5:], self._keys.tag_initiator):
            raise HandshakeError("the peer does not hold this shop's LAN secret")
        self._establish()

    def _establish(self) -> None:
        self._state = _State.ESTABLISHED
        self._ephemeral = X25519PrivateKey.generate()  # forget the handshake's private key
        self._events.append(ChannelEstablished())

    def _derive(self, hello: bytes, reply_body: bytes, *, peer_public: bytes) -> _Keys:
        try:
            shared = self._ephemeral.exchange(X25519PublicKey.from_public_bytes(peer_public))
        except ValueError as exc:  # a low-order point gives an all-zero secret
            raise HandshakeError("the peer's ephemeral key is invalid") from exc
        transcript = hashlib.sha256(PROTOCOL + hello + reply_body).digest()
        okm = HKDF(
            algorithm=hashes.SHA256(),
            length=4 * _KEY,
            salt=self._secret,
            info=PROTOCOL + b" keys" + transcript,
        ).derive(shared)
        i2r, r2i, confirm_i, confirm_r = (okm[i : i + _KEY] for i in range(0, 4 * _KEY, _KEY))
        tag_i = hmac.new(confirm_i, b"initiator" + transcript, hashlib.sha256).digest()
        tag_r = hmac.new(confirm_r, b"responder" + transcript, hashlib.sha256).digest()
        send, receive = (i2r, r2i) if self.role is Role.INITIATOR else (r2i, i2r)
        return _Keys(ChaCha20Poly1305(send), ChaCha20Poly1305(receive), tag_i, tag_r)

    # -- frames ----------------------------------------------------------------------------

    def _receive_frame(self, data: bytes) -> None:
        assert self._keys is not None
        if len(data) < _AEAD_TAG or len(data) > self.max_frame + _AEAD_TAG:
            raise FrameAuthError(f"an encrypted frame of {len(data)} bytes is out of bounds")
        if self._receive_counter >= _MAX_COUNTER:
            raise FrameAuthError("the peer's frame counter is exhausted")
        try:
            plain = self._keys.receive.decrypt(
                _counter_nonce(self._receive_counter), data, PROTOCOL
            )
        except InvalidTag as exc:
            raise FrameAuthError("a frame failed authentication (tampered, out of order)") from exc
        self._receive_counter += 1
        self._events.append(PlaintextReceived(plain))

    def _fail(self, error: LanError) -> None:
        if self._state is _State.FAILED:
            return
        logger.debug("LAN channel (%s) failed: %s", self.role.value, error)
        self._state = _State.FAILED
        self._keys = None
        self._outgoing.clear()  # never send what was queued after a failure
        self._events.append(ChannelFailed(error.code, str(error)))


def _check_message(data: bytes, kind: int, length: int) -> None:
    if len(data) != length or data[:4] != MAGIC or data[4] != kind:
        raise HandshakeError(f"a malformed handshake message ({len(data)} bytes)")


def _counter_nonce(counter: int) -> bytes:
    return counter.to_bytes(12, "little")
