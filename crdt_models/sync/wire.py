"""Strict, bounded reading and writing of lib0 primitives (varuint, varbytes, varstring).

pycrdt's :class:`pycrdt.Decoder` trusts its input (a truncated varint raises
IndexError, a declared length past the end is silently cut short), so frames
from the network are read with :class:`Reader` instead: every length is checked
against the bytes that remain *before* anything is sliced or allocated, varints
must be minimal and below 2**53 (lib0's safe integer), and every failure is a
:class:`~crdt_models.sync.errors.FrameError`. Writing reuses pycrdt's
``write_var_uint`` / ``write_message``, so both ends agree with lib0.
"""

from __future__ import annotations

from pycrdt import write_message, write_var_uint

from crdt_models.sync.errors import FrameError, FrameTooLargeError

__all__ = ["MAX_VAR_UINT", "Reader", "write_var_bytes", "write_var_string", "write_var_uint"]

#: lib0 encodes integers up to ``Number.MAX_SAFE_INTEGER``; so do we.
MAX_VAR_UINT = 2**53 - 1
_MAX_VAR_UINT_BYTES = 8  # ceil(53 / 7)


def write_var_bytes(data: bytes) -> bytes:
    """Encode ``data`` as lib0 varbytes (varuint length, then the bytes)."""
    return write_message(data)


def write_var_string(text: str) -> bytes:
    """Encode ``text`` as a lib0 varstring: the UTF-8 *byte* length, then the bytes.

    (pycrdt's ``Encoder.write_var_string`` writes the character count, which
    disagrees with lib0 for non-ASCII text, so it is not used.)
    """
    return write_message(text.encode("utf-8"))


class Reader:
    """Reads lib0 primitives from one frame, refusing anything malformed.

    Create one per frame, read the fields in order, then call :meth:`finish` to
    refuse trailing bytes.
    """

    __slots__ = ("_data", "_pos")

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    @property
    def remaining(self) -> int:
        """How many bytes are left to read."""
        return len(self._data) - self._pos

    def read_var_uint(self, what: str = "integer") -> int:
        """Read a minimal varuint below 2**53."""
        data, pos = self._data, self._pos
        if pos < len(data) and data[pos] < 0x80:  # the common one-byte case
            self._pos = pos + 1
            return data[pos]
        value = 0
        shift = 0
        for count in range(1, _MAX_VAR_UINT_BYTES + 1):
            if pos >= len(data):
                raise FrameError(f"truncated varint in {what}")
            byte = data[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                if byte == 0 and count > 1:
                    raise FrameError(f"non-minimal varint in {what}")
                if value > MAX_VAR_UINT:
                    raise FrameError(f"varint out of range in {what}")
                self._pos = pos
                return value
            shift += 7
        raise FrameError(f"varint longer than {_MAX_VAR_UINT_BYTES} bytes in {what}")

    def read_length(self, what: str, maximum: int) -> int:
        """Read a declared length or count, refusing one past the end or over ``maximum``."""
        length = self.read_var_uint(what)
        if length > maximum:
            raise FrameTooLargeError(f"{what} declares {length}, more than the limit {maximum}")
        remaining = len(self._data) - self._pos
        if length > remaining:
            raise FrameError(f"{what} declares {length} bytes, only {remaining} remain")
        return length

    def read_bytes(self, length: int) -> bytes:
        """Read exactly ``length`` bytes (already checked by :meth:`read_length`)."""
        start = self._pos
        if length > len(self._data) - start:
            raise FrameError(f"{length} bytes wanted, only {self.remaining} remain")
        self._pos = start + length
        return self._data[start : self._pos]

    def read_var_bytes(self, what: str, maximum: int) -> bytes:
        """Read lib0 varbytes of at most ``maximum`` bytes."""
        return self.read_bytes(self.read_length(what, maximum))

    def read_var_string(self, what: str, maximum: int) -> str:
        """Read a lib0 varstring of at most ``maximum`` UTF-8 bytes."""
        raw = self.read_var_bytes(what, maximum)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FrameError(f"{what} is not valid UTF-8") from exc

    def finish(self, what: str) -> None:
        """Refuse trailing bytes after the last field of ``what``."""
        if self.remaining:
            raise FrameError(f"{self.remaining} trailing bytes after {what}")
