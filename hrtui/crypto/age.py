"""age v1 file encryption (C2SP, https://age-encryption.org/v1) built on `cryptography` alone.

    encrypt(src, dst, recipients=[...] | passphrase=..., armor=False)
    decrypt(src, dst, identities=[...] | passphrase=...)
    encrypt_to_path(src_path, out_path, ...) / decrypt_to_path(src_path, out_path, ...)
    generate_identity(), parse_recipient(), parse_identity(), parse_identity_file(), parse_recipients_file()

Recipients: X25519 (`age1…`), MLKEM768-X25519 post-quantum (`age1pq1…`, when the OpenSSL under
`cryptography` has ML-KEM) and scrypt passphrases. Both directions stream 64 KiB at a time, so memory
stays flat whatever the file size. Every failure is an AgeError subclass whose str() is one line.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as _dt
import hashlib
import hmac
import io
import os
import re
import shlex
import stat
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import x25519
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from . import bech32, hybrid
from .armor import ArmorReader, ArmorWriter
from .errors import AgeError, ArmorFailure, HeaderFailure, HmacFailure, InvalidKey, NoMatch, PayloadFailure

__all__ = [
    "AgeError", "ArmorFailure", "HeaderFailure", "HmacFailure", "InvalidKey", "NoMatch", "PayloadFailure",
    "X25519Identity", "X25519Recipient", "HybridIdentity", "HybridRecipient", "ScryptIdentity",
    "ScryptRecipient", "Stanza", "Header",
    "encrypt", "decrypt", "encrypt_to_path", "decrypt_to_path", "read_header",
    "generate_identity", "parse_recipient", "parse_identity", "parse_identity_file",
    "parse_recipients_file", "read_passphrase_file", "check_private_file", "write_new_identity",
    "hybrid_available",
]

VERSION_LINE = b"age-encryption.org/v1\n"
FILE_KEY_SIZE = 16
NONCE_SIZE = 16
CHUNK_SIZE = 64 * 1024
TAG_SIZE = 16
ENC_CHUNK_SIZE = CHUNK_SIZE + TAG_SIZE
DEFAULT_WORK_FACTOR = 18
MAX_WORK_FACTOR = 22  # 2**22 * 8 * 128 bytes = 4 GiB of scrypt memory: age's own ceiling

X25519_INFO = b"age-encryption.org/v1/X25519"
SCRYPT_SALT_LABEL = b"age-encryption.org/v1/scrypt"
HYBRID_INFO = b"age-encryption.org/mlkem768x25519"

_ZERO_NONCE = bytes(12)
_LINE_LIMIT = 64 * 1024  # a post-quantum stanza line is ~1.5 KiB; plugin stanzas stay well under this
_HEADER_LIMIT = 16 * 1024 * 1024
_WHITESPACE = b" \t\r\n"
_B64_RAW = re.compile(rb"[A-Za-z0-9+/]*")
_ARG = re.compile(rb"[\x21-\x7e]+")
_WORK_FACTOR = re.compile(r"[1-9][0-9]*")


# --- encodings ---------------------------------------------------------------------------------


def b64encode_raw(data: bytes) -> bytes:
    return base64.b64encode(data).rstrip(b"=")


def b64decode_raw(s: bytes) -> bytes:
    """Canonical unpadded base64 only: the spec forbids padding and non-zero trailing bits."""
    if not _B64_RAW.fullmatch(s) or len(s) % 4 == 1:
        raise ValueError("invalid base64")
    data = binascii.a2b_base64(s + b"=" * (-len(s) % 4), strict_mode=True)
    if b64encode_raw(data) != s:
        raise ValueError("non-canonical base64")
    return data


def _hkdf(ikm: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


# --- header ------------------------------------------------------------------------------------


@dataclass
class Stanza:
    type: str
    args: list[str]
    body: bytes

    def encode(self) -> bytes:
        head = b"-> " + " ".join([self.type, *self.args]).encode("ascii") + b"\n"
        enc = b64encode_raw(self.body)
        lines = [enc[i : i + 64] for i in range(0, len(enc), 64)]
        if len(enc) % 64 == 0:
            lines.append(b"")  # every body ends with a line shorter than 64 columns, possibly empty
        return head + b"".join(line + b"\n" for line in lines)


@dataclass
class Header:
    stanzas: list[Stanza]
    mac: bytes
    # The exact bytes the MAC covers (through "---"), as read: no re-encoding can mask a parse quirk.
    mac_input: bytes = field(repr=False)

    def encode(self) -> bytes:
        return _header_without_mac(self.stanzas) + b" " + b64encode_raw(self.mac) + b"\n"


def _header_without_mac(stanzas: Sequence[Stanza]) -> bytes:
    return VERSION_LINE + b"".join(s.encode() for s in stanzas) + b"---"


def _header_mac(file_key: bytes, mac_input: bytes) -> bytes:
    return hmac.new(_hkdf(file_key, b"", b"header"), mac_input, hashlib.sha256).digest()


def _parse_header(src: _Input) -> Header:
    raw = bytearray()

    def next_line() -> bytes:
        line = src.readline(_LINE_LIMIT)
        if not line:
            raise HeaderFailure("age: file is truncated (in the header)" if raw else "age: empty file, not an age file")
        if not line.endswith(b"\n"):
            if len(line) >= _LINE_LIMIT:
                raise HeaderFailure("age: invalid header: line too long")
            raise HeaderFailure("age: file is truncated (in the header)")
        raw.extend(line)
        if len(raw) > _HEADER_LIMIT:
            raise HeaderFailure("age: invalid header: too large")
        return line

    first = next_line()
    if first != VERSION_LINE:
        if first.endswith(b"\r\n"):
            raise HeaderFailure("age: invalid header: CRLF line ends (damaged by a text-mode transfer?)")
        if first.startswith(b"age-encryption.org/"):
            raise HeaderFailure("age: unsupported age format version (this reads age-encryption.org/v1)")
        raise HeaderFailure("age: not an age file")

    stanzas: list[Stanza] = []
    while True:
        line = next_line()
        if line.startswith(b"---"):
            parts = line[:-1].split(b" ")
            if parts[0] != b"---" or len(parts) != 2:
                raise HeaderFailure("age: invalid header: malformed MAC line")
            try:
                mac = b64decode_raw(parts[1])
            except ValueError:
                raise HeaderFailure("age: invalid header: malformed MAC") from None
            if len(mac) != 32:
                raise HeaderFailure("age: invalid header: malformed MAC")
            if not stanzas:
                raise HeaderFailure("age: invalid header: no recipient stanzas")
            mac_input = bytes(raw[: len(raw) - len(line)]) + b"---"
            return Header(stanzas, mac, mac_input)
        if not line.startswith(b"->"):
            raise HeaderFailure("age: invalid header: unexpected line")
        parts = line[:-1].split(b" ")
        if parts[0] != b"->" or len(parts) < 2 or not all(_ARG.fullmatch(a) for a in parts[1:]):
            raise HeaderFailure("age: invalid header: malformed recipient stanza")
        body = bytearray()
        while True:
            encoded = next_line()[:-1]
            if len(encoded) > 64:
                raise HeaderFailure("age: invalid header: stanza body line too long")
            try:
                body += b64decode_raw(encoded)
            except ValueError:
                raise HeaderFailure("age: invalid header: malformed stanza body") from None
            if len(encoded) < 64:
                break
        stanzas.append(Stanza(parts[1].decode("ascii"), [a.decode("ascii") for a in parts[2:]], bytes(body)))


# --- input plumbing ----------------------------------------------------------------------------


class _Input:
    """A binary source with bytes already consumed (while sniffing for armor) pushed back in front."""

    def __init__(self, src, prefix: bytes = b"") -> None:
        self._src = src
        self._prefix = prefix

    def readline(self, limit: int = -1) -> bytes:
        prefix = self._prefix
        if not prefix:
            return self._src.readline(limit)
        cap = len(prefix) if limit < 0 else min(limit, len(prefix))
        end = prefix.find(b"\n", 0, cap)
        if end >= 0:
            self._prefix = prefix[end + 1 :]
            return prefix[: end + 1]
        if cap < len(prefix):
            self._prefix = prefix[cap:]
            return prefix[:cap]
        # The pushed-back bytes end mid-line: the rest of the line is still in src.
        self._prefix = b""
        return prefix + self._src.readline(-1 if limit < 0 else limit - len(prefix))

    def readinto(self, buffer) -> int:
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        readinto = getattr(self._src, "readinto", None)
        if readinto is not None:
            return readinto(buffer) or 0
        data = self._src.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _buffered(src):
    return io.BufferedReader(src) if isinstance(src, io.RawIOBase) else src


def _open_input(src, armor: bool | None) -> _Input:
    src = _buffered(src)
    if armor is False:
        return _Input(src)
    # Sniff the first non-blank line: armor may be preceded by whitespace, binary age never is.
    prefix = bytearray()
    while True:
        line = src.readline(_LINE_LIMIT)
        prefix += line
        if not line or line.strip(_WHITESPACE) or len(prefix) > _LINE_LIMIT:
            break
    looks_armored = prefix.lstrip(_WHITESPACE).startswith(b"-----BEGIN")
    if armor is None and not looks_armored:
        return _Input(src, bytes(prefix))
    return _Input(io.BufferedReader(ArmorReader(_Input(src, bytes(prefix)))))


def _readfull(src: _Input, buffer: memoryview) -> int:
    """Fill buffer unless EOF comes first (pipes and armor may return short reads)."""
    n = 0
    size = len(buffer)
    while n < size:
        got = src.readinto(buffer[n:])
        if not got:
            break
        n += got
    return n


def read_header(src: BinaryIO, armor: bool | None = None) -> Header:
    """Parse just the header (for inspection): stanza types and arguments, no decryption."""
    return _parse_header(_open_input(src, armor))


# --- STREAM payload ----------------------------------------------------------------------------


def payload_key(file_key: bytes, nonce: bytes) -> bytes:
    return _hkdf(file_key, nonce, b"payload")


def _chunk_nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


# encrypt_into/decrypt_into save an allocation and a copy per chunk; older cryptography releases
# (which pyproject still allows) lack them, and then the allocating calls do the same job.
_AEAD_INTO = hasattr(ChaCha20Poly1305, "encrypt_into")


def _seal(aead: ChaCha20Poly1305, nonce: bytes, plaintext: memoryview, out: memoryview):
    if _AEAD_INTO:
        aead.encrypt_into(nonce, plaintext, None, out)
        return out
    return aead.encrypt(nonce, plaintext, None)


def _open(aead: ChaCha20Poly1305, nonce: bytes, sealed: memoryview, out: memoryview) -> None:
    if _AEAD_INTO:
        aead.decrypt_into(nonce, sealed, None, out)
    else:
        out[:] = aead.decrypt(nonce, sealed, None)


def stream_encrypt(key: bytes, src, dst) -> int:
    """Encrypt src to dst as STREAM chunks; returns the plaintext size.

    One AEAD object and reusable buffers: the per-chunk Python work is a readinto, an encrypt_into
    and a write, so throughput stays close to the raw cipher.
    """
    src = src if isinstance(src, _Input) else _Input(_buffered(src))
    aead = ChaCha20Poly1305(key)
    bufs = (memoryview(bytearray(CHUNK_SIZE)), memoryview(bytearray(CHUNK_SIZE)))
    out = memoryview(bytearray(ENC_CHUNK_SIZE))
    cur = 0
    n = _readfull(src, bufs[0])
    counter = 0
    total = 0
    while True:
        # A chunk is the last one when the next read finds EOF; a full last chunk is allowed.
        nxt = _readfull(src, bufs[1 - cur]) if n == CHUNK_SIZE else 0
        last = nxt == 0
        dst.write(_seal(aead, _chunk_nonce(counter, last), bufs[cur][:n], out[: n + TAG_SIZE]))
        total += n
        if last:
            return total
        counter += 1
        cur = 1 - cur
        n = nxt


def stream_decrypt(key: bytes, src, dst) -> int:
    """Decrypt STREAM chunks from src to dst; returns the plaintext size.

    Each chunk is written only after it authenticates, but earlier chunks are already out when a
    later one fails: callers that must not expose partial plaintext use decrypt_to_path.
    """
    src = src if isinstance(src, _Input) else _Input(_buffered(src))
    aead = ChaCha20Poly1305(key)
    buf = memoryview(bytearray(ENC_CHUNK_SIZE))
    out = memoryview(bytearray(CHUNK_SIZE))
    counter = 0
    total = 0
    while True:
        n = _readfull(src, buf)
        human = counter + 1
        if n == 0:
            raise PayloadFailure(
                "age: file is truncated (no payload chunk)" if counter == 0
                else f"age: file is truncated (payload ends before chunk {human})"
            )
        if n < TAG_SIZE:
            raise PayloadFailure(f"age: file is truncated (payload chunk {human})")
        size = n - TAG_SIZE
        if n == ENC_CHUNK_SIZE:
            # A full chunk is usually not the last; try that first, as the reference does, so the
            # released plaintext matches it byte for byte on every failure path.
            try:
                _open(aead, _chunk_nonce(counter, False), buf, out)
                last = False
            except InvalidTag:
                try:
                    _open(aead, _chunk_nonce(counter, True), buf, out)
                    last = True
                except InvalidTag:
                    raise PayloadFailure(
                        f"age: payload chunk {human} failed authentication (file corrupted or altered)"
                    ) from None
        else:
            try:
                _open(aead, _chunk_nonce(counter, True), buf[:n], out[:size])
            except InvalidTag:
                raise PayloadFailure(
                    f"age: payload chunk {human} failed authentication (file truncated, corrupted or altered)"
                ) from None
            last = True
            if size == 0 and counter > 0:
                raise PayloadFailure("age: invalid payload: empty final chunk")
        dst.write(out[:size])
        total += size
        if last:
            if _readfull(src, buf[:1]):
                raise PayloadFailure("age: trailing data after the end of the encrypted payload")
            return total
        counter += 1


# --- recipients and identities -----------------------------------------------------------------


class Recipient(Protocol):
    def wrap(self, file_key: bytes) -> list[Stanza]: ...


class Identity(Protocol):
    def unwrap(self, stanzas: Sequence[Stanza]) -> bytes | None:
        """The file key, None when no stanza is for this identity; HeaderFailure for a bad stanza."""


def _decode_arg(arg: str, size: int, what: str) -> bytes:
    try:
        value = b64decode_raw(arg.encode("ascii"))
    except ValueError:
        raise HeaderFailure(f"age: invalid {what} stanza: malformed argument") from None
    if len(value) != size:
        raise HeaderFailure(f"age: invalid {what} stanza: argument has the wrong size")
    return value


def _check_body(stanza: Stanza, what: str) -> None:
    # Checked before any decryption attempt, against partitioning-oracle attacks.
    if len(stanza.body) != FILE_KEY_SIZE + TAG_SIZE:
        raise HeaderFailure(f"age: invalid {what} stanza: body has the wrong size")


class X25519Recipient:
    def __init__(self, public_key: bytes) -> None:
        if len(public_key) != 32:
            raise InvalidKey("age: an X25519 recipient is 32 bytes")
        self.public_key = bytes(public_key)
        self._key = x25519.X25519PublicKey.from_public_bytes(self.public_key)
        try:
            # A low-order point would make every shared secret zero: refuse it now, not mid-encrypt.
            x25519.X25519PrivateKey.generate().exchange(self._key)
        except ValueError:
            raise InvalidKey("age: invalid X25519 recipient (low-order point)") from None

    def encode(self) -> str:
        return bech32.encode("age", self.public_key)

    __str__ = encode

    def __repr__(self) -> str:
        return f"X25519Recipient({self.encode()})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, X25519Recipient) and other.public_key == self.public_key

    def __hash__(self) -> int:
        return hash(self.public_key)

    def wrap(self, file_key: bytes) -> list[Stanza]:
        ephemeral = x25519.X25519PrivateKey.generate()
        share = ephemeral.public_key().public_bytes_raw()
        wrap_key = _hkdf(ephemeral.exchange(self._key), share + self.public_key, X25519_INFO)
        body = ChaCha20Poly1305(wrap_key).encrypt(_ZERO_NONCE, file_key, None)
        return [Stanza("X25519", [b64encode_raw(share).decode("ascii")], body)]


class X25519Identity:
    def __init__(self, secret: bytes) -> None:
        if len(secret) != 32:
            raise InvalidKey("age: an X25519 identity is 32 bytes")
        self._secret = bytes(secret)
        self._key = x25519.X25519PrivateKey.from_private_bytes(self._secret)
        self._public = self._key.public_key().public_bytes_raw()

    @classmethod
    def generate(cls) -> X25519Identity:
        return cls(os.urandom(32))

    def recipient(self) -> X25519Recipient:
        return X25519Recipient(self._public)

    def encode(self) -> str:
        """The secret AGE-SECRET-KEY-1… string. Never log it."""
        return bech32.encode("age-secret-key-", self._secret).upper()

    def __repr__(self) -> str:  # the public half only: identities end up in tracebacks
        return f"X25519Identity({self.recipient().encode()})"

    def unwrap(self, stanzas: Sequence[Stanza]) -> bytes | None:
        for stanza in stanzas:
            if stanza.type != "X25519":
                continue
            if len(stanza.args) != 1:
                raise HeaderFailure("age: invalid X25519 stanza: wrong number of arguments")
            share = _decode_arg(stanza.args[0], 32, "X25519")
            _check_body(stanza, "X25519")
            try:
                shared = self._key.exchange(x25519.X25519PublicKey.from_public_bytes(share))
            except ValueError:
                raise HeaderFailure("age: invalid X25519 stanza: low-order share") from None
            wrap_key = _hkdf(shared, share + self._public, X25519_INFO)
            try:
                return ChaCha20Poly1305(wrap_key).decrypt(_ZERO_NONCE, stanza.body, None)
            except InvalidTag:
                continue
        return None


def hybrid_available() -> bool:
    """True when post-quantum (mlkem768x25519) files can be made and opened here."""
    return hybrid.available()


class HybridRecipient:
    def __init__(self, public_key: bytes) -> None:
        try:
            hybrid.check_public_key(public_key)
        except ValueError:
            raise InvalidKey("age: invalid MLKEM768-X25519 recipient") from None
        self.public_key = bytes(public_key)

    def encode(self) -> str:
        return bech32.encode("age1pq", self.public_key)

    __str__ = encode

    def __repr__(self) -> str:
        return f"HybridRecipient({self.encode()[:20]}…)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HybridRecipient) and other.public_key == self.public_key

    def __hash__(self) -> int:
        return hash(self.public_key)

    def wrap(self, file_key: bytes) -> list[Stanza]:
        if not hybrid.available():
            raise InvalidKey("age: this cryptography build has no ML-KEM: cannot encrypt to a post-quantum recipient")
        enc, body = hybrid.seal(self.public_key, HYBRID_INFO, file_key)
        return [Stanza("mlkem768x25519", [b64encode_raw(enc).decode("ascii")], body)]


class HybridIdentity:
    def __init__(self, seed: bytes) -> None:
        if len(seed) != hybrid.SEED_SIZE:
            raise InvalidKey("age: an MLKEM768-X25519 identity is 32 bytes")
        self._key = hybrid.HybridPrivateKey(seed)

    @classmethod
    def generate(cls) -> HybridIdentity:
        return cls(os.urandom(hybrid.SEED_SIZE))

    def recipient(self) -> HybridRecipient:
        try:
            return HybridRecipient(self._key.public_key())
        except ValueError as exc:
            raise InvalidKey(f"age: {exc}") from None

    def encode(self) -> str:
        """The secret AGE-SECRET-KEY-PQ-1… string. Never log it."""
        return bech32.encode("age-secret-key-pq-", self._key.seed).upper()

    def __repr__(self) -> str:
        return "HybridIdentity(…)"

    def unwrap(self, stanzas: Sequence[Stanza]) -> bytes | None:
        for stanza in stanzas:
            if stanza.type != "mlkem768x25519":
                continue
            if len(stanza.args) != 1:
                raise HeaderFailure("age: invalid mlkem768x25519 stanza: wrong number of arguments")
            enc = _decode_arg(stanza.args[0], hybrid.ENC_SIZE, "mlkem768x25519")
            _check_body(stanza, "mlkem768x25519")
            try:
                shared = self._key.decapsulate(enc)
            except ValueError:
                raise HeaderFailure("age: invalid mlkem768x25519 stanza: low-order X25519 share") from None
            if shared is None:  # no ML-KEM in this build: the stanza cannot be opened here
                continue
            try:
                return hybrid.open_with_secret(shared, HYBRID_INFO, stanza.body)
            except InvalidTag:
                continue
        return None


def _passphrase_bytes(passphrase: str | bytes) -> bytes:
    return passphrase.encode("utf-8") if isinstance(passphrase, str) else bytes(passphrase)


class ScryptRecipient:
    def __init__(self, passphrase: str | bytes, work_factor: int = DEFAULT_WORK_FACTOR) -> None:
        self._passphrase = _passphrase_bytes(passphrase)
        if not self._passphrase:
            raise ValueError("age: the passphrase is empty")
        if not 1 <= work_factor <= MAX_WORK_FACTOR:
            raise ValueError(f"age: the scrypt work factor must be between 1 and {MAX_WORK_FACTOR}")
        self.work_factor = work_factor

    def __repr__(self) -> str:
        return f"ScryptRecipient(work_factor={self.work_factor})"

    def wrap(self, file_key: bytes) -> list[Stanza]:
        salt = os.urandom(16)
        key = Scrypt(salt=SCRYPT_SALT_LABEL + salt, length=32, n=1 << self.work_factor, r=8, p=1).derive(
            self._passphrase
        )
        body = ChaCha20Poly1305(key).encrypt(_ZERO_NONCE, file_key, None)
        return [Stanza("scrypt", [b64encode_raw(salt).decode("ascii"), str(self.work_factor)], body)]


class ScryptIdentity:
    def __init__(self, passphrase: str | bytes, max_work_factor: int = MAX_WORK_FACTOR) -> None:
        self._passphrase = _passphrase_bytes(passphrase)
        self.max_work_factor = max_work_factor

    def __repr__(self) -> str:
        return "ScryptIdentity(…)"

    def unwrap(self, stanzas: Sequence[Stanza]) -> bytes | None:
        for stanza in stanzas:
            if stanza.type != "scrypt":
                continue
            if len(stanzas) != 1:
                raise HeaderFailure("age: invalid header: an scrypt stanza must be the only one")
            if len(stanza.args) != 2:
                raise HeaderFailure("age: invalid scrypt stanza: wrong number of arguments")
            salt = _decode_arg(stanza.args[0], 16, "scrypt")
            if not _WORK_FACTOR.fullmatch(stanza.args[1]):
                raise HeaderFailure("age: invalid scrypt stanza: malformed work factor")
            work_factor = int(stanza.args[1])
            if work_factor > self.max_work_factor:
                raise HeaderFailure(
                    f"age: scrypt work factor {work_factor} is above the limit of {self.max_work_factor}; refusing"
                )
            _check_body(stanza, "scrypt")
            key = Scrypt(salt=SCRYPT_SALT_LABEL + salt, length=32, n=1 << work_factor, r=8, p=1).derive(
                self._passphrase
            )
            try:
                return ChaCha20Poly1305(key).decrypt(_ZERO_NONCE, stanza.body, None)
            except InvalidTag:
                return None
        return None


RecipientLike = str | X25519Recipient | HybridRecipient | ScryptRecipient
IdentityLike = str | X25519Identity | HybridIdentity | ScryptIdentity


def parse_recipient(s: str) -> X25519Recipient | HybridRecipient:
    """An `age1…` (X25519) or `age1pq1…` (post-quantum) recipient string."""
    if s[:15].upper() == "AGE-SECRET-KEY-":
        # Never echo it: a secret key pasted where a recipient belongs must not reach a log.
        raise InvalidKey("age: that is a secret key, not a recipient: give its age1… public key")
    shown = repr(s) if len(s) <= 80 else repr(s[:40]) + "…"
    try:
        hrp, data = bech32.decode(s)
    except bech32.Bech32Error as exc:
        raise InvalidKey(f"age: invalid recipient {shown}: {exc}") from None
    if hrp == "age":
        if len(data) != 32:
            raise InvalidKey(f"age: invalid recipient {shown}: wrong length")
        return X25519Recipient(data)
    if hrp == "age1pq":
        return HybridRecipient(data)
    raise InvalidKey(f"age: unsupported recipient type {shown} (expected age1…)")


def parse_identity(s: str) -> X25519Identity | HybridIdentity:
    """An AGE-SECRET-KEY-1… or AGE-SECRET-KEY-PQ-1… string. Errors never quote the key."""
    try:
        hrp, data = bech32.decode(s)
    except bech32.Bech32Error as exc:
        raise InvalidKey(f"age: malformed secret key ({exc})") from None
    if hrp == "age-secret-key-":
        return X25519Identity(data)
    if hrp == "age-secret-key-pq-":
        return HybridIdentity(data)
    raise InvalidKey("age: unsupported secret key type (expected AGE-SECRET-KEY-1…)")


def generate_identity(post_quantum: bool = False) -> tuple[str, str]:
    """A fresh (identity string, recipient string) pair."""
    ident: X25519Identity | HybridIdentity = HybridIdentity.generate() if post_quantum else X25519Identity.generate()
    return ident.encode(), ident.recipient().encode()


def check_private_file(path: str | os.PathLike) -> None:
    """Refuse a key or passphrase file that group or others can open, as ssh does."""
    if os.name != "posix":
        return
    mode = stat.S_IMODE(os.stat(path).st_mode)
    if mode & 0o077:
        quoted = shlex.quote(str(path))
        raise InvalidKey(f"age: {path} is open to group or others (mode {mode:04o}); run: chmod 600 {quoted}")


def _read_text_lines(path: Path, what: str) -> list[tuple[int, str]]:
    try:
        text = path.read_bytes().decode("ascii")
    except UnicodeDecodeError:
        raise InvalidKey(f"age: {path} is not an {what} file (not ASCII text)") from None
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if line and not line.startswith("#"):
            out.append((number, line))
    return out


def parse_identity_file(path: str | os.PathLike, *, check_permissions: bool = True) -> list:
    """Identities from an age identity file: '#' comments, blank lines, one secret key a line."""
    path = Path(path)
    if check_permissions:
        check_private_file(path)
    identities = []
    for number, line in _read_text_lines(path, "age identity"):
        try:
            identities.append(parse_identity(line))
        except InvalidKey:
            raise InvalidKey(f"age: {path} line {number}: not a valid age secret key") from None
    if not identities:
        raise InvalidKey(f"age: no identities found in {path}")
    return identities


def parse_recipients_file(path: str | os.PathLike) -> list:
    """Recipients from a file: '#' comments, blank lines, one age1… recipient a line."""
    path = Path(path)
    recipients = []
    for number, line in _read_text_lines(path, "age recipients"):
        try:
            recipients.append(parse_recipient(line))
        except InvalidKey as exc:
            raise InvalidKey(f"age: {path} line {number}: {str(exc).removeprefix('age: ')}") from None
    if not recipients:
        raise InvalidKey(f"age: no recipients found in {path}")
    return recipients


def read_passphrase_file(path: str | os.PathLike, *, check_permissions: bool = True) -> str:
    """The first line of a passphrase file (without its line end); the file must be private."""
    path = Path(path)
    if check_permissions:
        check_private_file(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidKey(f"age: {path} is not UTF-8 text") from None
    lines = text.splitlines()
    passphrase = lines[0] if lines else ""
    if not passphrase:
        raise InvalidKey(f"age: {path} holds an empty passphrase")
    return passphrase


def write_new_identity(path: str | os.PathLike, *, post_quantum: bool = False) -> str:
    """Create an identity file (mode 0600, never overwriting) in age-keygen's layout; returns the recipient."""
    identity, recipient = generate_identity(post_quantum)
    created = _dt.datetime.now().astimezone().replace(microsecond=0).isoformat()
    text = f"# created: {created}\n# public key: {recipient}\n{identity}\n"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        with open(fd, "w", encoding="ascii", closefd=False) as f:
            f.write(text)
            f.flush()
            os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    os.close(fd)
    return recipient


# --- encrypt / decrypt -------------------------------------------------------------------------


def _recipients(recipients: Iterable[RecipientLike] | None, passphrase, work_factor: int) -> list:
    if passphrase is not None:
        if recipients:
            raise ValueError("age: give recipients or a passphrase, not both")
        return [ScryptRecipient(passphrase, work_factor)]
    out = [parse_recipient(r) if isinstance(r, str) else r for r in (recipients or [])]
    if not out:
        raise ValueError("age: no recipients given")
    if any(isinstance(r, ScryptRecipient) for r in out) and len(out) > 1:
        raise ValueError("age: a passphrase must be the only recipient")
    if any(isinstance(r, HybridRecipient) for r in out) and not all(isinstance(r, HybridRecipient) for r in out):
        # A classic recipient next to a post-quantum one would undo its quantum resistance.
        raise ValueError("age: post-quantum recipients cannot be mixed with other recipient types")
    return out


def encrypt(
    src: BinaryIO,
    dst: BinaryIO,
    recipients: Iterable[RecipientLike] | None = None,
    *,
    passphrase: str | bytes | None = None,
    armor: bool = False,
    work_factor: int = DEFAULT_WORK_FACTOR,
) -> int:
    """Encrypt src to dst, chunk by chunk; returns the plaintext size."""
    wrapped = _recipients(recipients, passphrase, work_factor)
    file_key = os.urandom(FILE_KEY_SIZE)
    stanzas = [s for r in wrapped for s in r.wrap(file_key)]
    header = _header_without_mac(stanzas)
    header += b" " + b64encode_raw(_header_mac(file_key, header)) + b"\n"
    out = ArmorWriter(dst) if armor else dst
    out.write(header)
    nonce = os.urandom(NONCE_SIZE)
    out.write(nonce)
    size = stream_encrypt(payload_key(file_key, nonce), src, out)
    if isinstance(out, ArmorWriter):
        out.close()
    return size


def _identities(identities: Iterable[IdentityLike] | None, passphrase, max_work_factor: int) -> list:
    out = [parse_identity(i) if isinstance(i, str) else i for i in (identities or [])]
    if passphrase is not None:
        out.append(ScryptIdentity(passphrase, max_work_factor))
    if not out:
        raise ValueError("age: no identities or passphrase given")
    return out


def _no_match(header: Header, identities: list) -> NoMatch:
    types = {s.type for s in header.stanzas}
    have_passphrase = any(isinstance(i, ScryptIdentity) for i in identities)
    have_keys = any(not isinstance(i, ScryptIdentity) for i in identities)
    if "scrypt" in types:
        if have_passphrase:
            return NoMatch("age: wrong passphrase")
        return NoMatch("age: this file is protected by a passphrase, not encrypted to an identity")
    if not have_keys:
        return NoMatch("age: this file is encrypted to age keys, not protected by a passphrase")
    if "mlkem768x25519" in types and not hybrid.available() and any(isinstance(i, HybridIdentity) for i in identities):
        return NoMatch("age: this file needs ML-KEM (post-quantum), which this cryptography build lacks")
    return NoMatch()


def decrypt(
    src: BinaryIO,
    dst: BinaryIO,
    identities: Iterable[IdentityLike] | None = None,
    *,
    passphrase: str | bytes | None = None,
    armor: bool | None = None,
    max_work_factor: int = MAX_WORK_FACTOR,
) -> int:
    """Decrypt src to dst; returns the plaintext size.

    armor=None detects ASCII armor; True requires it; False refuses it. Plaintext is written
    chunk by chunk as each authenticates: on a PayloadFailure dst holds the chunks before the bad
    one. Use decrypt_to_path to release nothing unless the whole file authenticates.
    """
    ids = _identities(identities, passphrase, max_work_factor)
    reader = _open_input(src, armor)
    header = _parse_header(reader)
    if any(s.type == "scrypt" for s in header.stanzas) and len(header.stanzas) != 1:
        raise HeaderFailure("age: invalid header: an scrypt stanza must be the only one")
    file_key = None
    for identity in ids:
        file_key = identity.unwrap(header.stanzas)
        if file_key is not None:
            break
    if file_key is None:
        raise _no_match(header, ids)
    if not hmac.compare_digest(_header_mac(file_key, header.mac_input), header.mac):
        raise HmacFailure()
    nonce = memoryview(bytearray(NONCE_SIZE))
    if _readfull(reader, nonce) != NONCE_SIZE:
        raise PayloadFailure("age: file is truncated (no payload)")
    return stream_decrypt(payload_key(file_key, bytes(nonce)), reader, dst)


def _fsync_dir(directory: Path) -> None:
    # Makes the rename itself durable; not every platform can open a directory.
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def encrypt_to_path(
    src_path: str | os.PathLike,
    out_path: str | os.PathLike,
    recipients: Iterable[RecipientLike] | None = None,
    *,
    passphrase: str | bytes | None = None,
    armor: bool = False,
    work_factor: int = DEFAULT_WORK_FACTOR,
) -> int:
    """Encrypt a file to OUT.part (0600), fsync, then rename onto out_path; nothing is left on failure."""
    wrapped = _recipients(recipients, passphrase, work_factor)  # bad keys fail before any file is touched
    out_path = Path(out_path)
    part = out_path.with_name(out_path.name + ".part")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    with open(src_path, "rb") as src:
        fd = os.open(part, flags, 0o600)
        try:
            if os.name == "posix":
                os.fchmod(fd, 0o600)  # a stale .part may carry looser bits
            with open(fd, "wb", closefd=False) as dst:
                size = encrypt(src, dst, wrapped, armor=armor)
                dst.flush()
                os.fsync(fd)
            os.close(fd)
            fd = -1
            os.replace(part, out_path)
        except BaseException:
            if fd >= 0:
                os.close(fd)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(part)
            raise
    _fsync_dir(out_path.parent)
    return size


def decrypt_to_path(
    src_path: str | os.PathLike,
    out_path: str | os.PathLike,
    identities: Iterable[IdentityLike] | None = None,
    *,
    passphrase: str | bytes | None = None,
    armor: bool | None = None,
    max_work_factor: int = MAX_WORK_FACTOR,
) -> int:
    """Decrypt into a 0600 temp file beside out_path and rename it into place only after the
    last chunk authenticates. On any failure the temp file is removed and out_path is untouched."""
    ids = _identities(identities, passphrase, max_work_factor)
    out_path = Path(out_path)
    directory = out_path.parent
    with open(src_path, "rb") as src:
        fd, tmp = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".tmp", dir=directory)
        try:
            with open(fd, "wb", closefd=False) as dst:
                size = decrypt(src, dst, ids, armor=armor)
                dst.flush()
                os.fsync(fd)
            os.close(fd)
            fd = -1
            os.replace(tmp, out_path)
        except BaseException:
            if fd >= 0:
                os.close(fd)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
    _fsync_dir(directory)
    return size
