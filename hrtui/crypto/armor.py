"""Strict ASCII armor for age files: PEM "AGE ENCRYPTED FILE", 64 columns, canonical padded base64.

Armored files are malleable unless the parser is strict, so this one rejects everything but whitespace
around the PEM block, and accepts LF or CRLF line ends (as the age spec allows).
"""

from __future__ import annotations

import base64
import binascii
import io
from typing import BinaryIO, Protocol

from .errors import ArmorFailure

BEGIN = b"-----BEGIN AGE ENCRYPTED FILE-----"
END = b"-----END AGE ENCRYPTED FILE-----"
COLUMNS = 64
BYTES_PER_LINE = COLUMNS // 4 * 3
_WHITESPACE = b" \t\r\n"
# Real armored lines are at most 64 columns plus CRLF; anything much longer is not armor.
_LINE_LIMIT = 128


class LineSource(Protocol):
    def readline(self, limit: int = -1, /) -> bytes: ...


class ArmorReader(io.RawIOBase):
    """Decodes an armored age file line by line, so memory stays flat whatever its size."""

    def __init__(self, src: LineSource) -> None:
        super().__init__()
        self._src = src
        self._started = False
        self._done = False
        self._last_short = False
        self._pending = bytearray()

    def readable(self) -> bool:
        return True

    def _line(self) -> tuple[bytes, bool]:
        """Next line without its end of line, and whether it had one (the last line may not)."""
        raw = self._src.readline(_LINE_LIMIT)
        if not raw:
            raise ArmorFailure("age: invalid armor: file ends before the END line")
        if raw.endswith(b"\r\n"):
            return raw[:-2], True
        if raw.endswith(b"\n"):
            return raw[:-1], True
        if len(raw) >= _LINE_LIMIT:
            raise ArmorFailure("age: invalid armor: line too long")
        return raw, False

    def _start(self) -> None:
        while True:
            raw = self._src.readline(_LINE_LIMIT)
            if not raw:
                raise ArmorFailure("age: invalid armor: no BEGIN line")
            if raw.strip(_WHITESPACE):
                break
        line = raw.lstrip(b" \t")
        if line.endswith(b"\r\n"):
            line = line[:-2]
        elif line.endswith(b"\n"):
            line = line[:-1]
        else:
            raise ArmorFailure("age: invalid armor: bad BEGIN line")
        if line != BEGIN:
            raise ArmorFailure("age: invalid armor: expected '-----BEGIN AGE ENCRYPTED FILE-----'")
        self._started = True

    def _finish(self, had_eol: bool) -> None:
        # Only whitespace may follow the END line.
        if had_eol:
            while raw := self._src.readline(4096):
                if raw.strip(_WHITESPACE):
                    raise ArmorFailure("age: invalid armor: data after the END line")
        self._done = True

    def _decode_line(self) -> None:
        line, had_eol = self._line()
        if line == END:
            self._finish(had_eol)
            return
        if self._last_short:
            raise ArmorFailure("age: invalid armor: expected the END line after the short last line")
        if not had_eol:
            raise ArmorFailure("age: invalid armor: file ends before the END line")
        if not line or len(line) > COLUMNS:
            raise ArmorFailure("age: invalid armor: lines must hold 1 to 64 base64 characters")
        try:
            data = binascii.a2b_base64(line, strict_mode=True)
        except binascii.Error:
            raise ArmorFailure("age: invalid armor: bad base64") from None
        if base64.b64encode(data) != line:
            raise ArmorFailure("age: invalid armor: non-canonical base64")
        if len(data) < BYTES_PER_LINE:
            self._last_short = True
        self._pending += data

    def readinto(self, buffer) -> int:  # type: ignore[override]
        if not self._started:
            self._start()
        want = len(buffer)
        while len(self._pending) < want and not self._done:
            self._decode_line()
        n = min(want, len(self._pending))
        buffer[:n] = self._pending[:n]
        del self._pending[:n]
        return n


class ArmorWriter:
    """Armors everything written to it; close() writes the last line and the END line."""

    def __init__(self, dst: BinaryIO) -> None:
        self._dst = dst
        self._buf = bytearray()
        dst.write(BEGIN + b"\n")

    def _emit(self, raw) -> None:
        enc = base64.b64encode(raw)
        self._dst.write(b"".join(enc[i : i + COLUMNS] + b"\n" for i in range(0, len(enc), COLUMNS)))

    def write(self, data) -> int:
        self._buf += data
        # Encode only whole lines' worth so that every line but the last is exactly 64 columns.
        n = len(self._buf) // BYTES_PER_LINE * BYTES_PER_LINE
        if n:
            self._emit(bytes(self._buf[:n]))
            del self._buf[:n]
        return len(data)

    def close(self) -> None:
        if self._buf:
            self._emit(bytes(self._buf))
            self._buf.clear()
        self._dst.write(END + b"\n")
