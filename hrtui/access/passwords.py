"""Password hashing with scrypt; the stored form names its parameters so they can grow.

hashlib's scrypt (OpenSSL) gives the same bytes as cryptography's and costs no import at login; it releases the GIL,
so the TUI can load while a password is checked (see `authenticate`).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os

_N_LOG2, _R, _P = 14, 8, 1


_MAX_MEMORY = 2**31 - 2**21  # scrypt memory a stored hash may ask for: what OpenSSL takes (INT_MAX), less slack


def _memory(n: int, r: int, p: int) -> int:
    return 128 * r * (n + p + 2)  # V (128·r·N) plus the B and XY buffers, as OpenSSL counts them


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          maxmem=min(_memory(n, r, p) + 2**20, 2**31 - 1), dklen=32)


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    key = _scrypt(password, salt, 2**_N_LOG2, _R, _P)
    b64 = lambda b: base64.b64encode(b).decode("ascii")  # noqa: E731
    return f"scrypt${_N_LOG2}${_R}${_P}${b64(salt)}${b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n_log2, r, p, salt, key = stored.split("$")
        if scheme != "scrypt" or not (10 <= int(n_log2) <= 20 and 1 <= int(r) <= 32 and 1 <= int(p) <= 16) \
                or _memory(2 ** int(n_log2), int(r), int(p)) > _MAX_MEMORY:
            return False  # not ours, or parameters no login should spend memory on
        derived = _scrypt(password, base64.b64decode(salt), 2 ** int(n_log2), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(derived, base64.b64decode(key))
