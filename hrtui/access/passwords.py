"""Password hashing with scrypt (cryptography); the stored form names its parameters so they can grow."""
from __future__ import annotations

import base64
import hmac
import os

from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

_N_LOG2, _R, _P = 14, 8, 1


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    key = Scrypt(salt=salt, length=32, n=2**_N_LOG2, r=_R, p=_P).derive(password.encode("utf-8"))
    b64 = lambda b: base64.b64encode(b).decode("ascii")  # noqa: E731
    return f"scrypt${_N_LOG2}${_R}${_P}${b64(salt)}${b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n_log2, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        derived = Scrypt(salt=base64.b64decode(salt), length=32, n=2 ** int(n_log2), r=int(r), p=int(p)).derive(
            password.encode("utf-8")
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(derived, base64.b64decode(key))
