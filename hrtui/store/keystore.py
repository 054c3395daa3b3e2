"""Database keys: a random 256-bit SQLCipher key per database, kept in the user's keystore, never beside the DB.

A key file is named after the database's 16-byte salt (the first bytes of an SQLCipher file, chosen here when the
database is created), so a copy or a moved file still finds its key, and a copied file alone is unreadable.
Key files are 0600 in a 0700 folder; optionally the key is wrapped with a passphrase (age scrypt, armored).
"""
from __future__ import annotations

import io
import os
import sys
from pathlib import Path

from hrtui import config
from hrtui.errors import UserError

SQLITE_MAGIC = b"SQLite format 3\x00"
_HEADER = "hrtui-db-key-v1"
_ARMOR = "-----BEGIN AGE ENCRYPTED FILE-----"
_unlocked_with: str | None = None  # the passphrase that opened a key in this process: a restore wraps the new key
                                   # with it (and, inside the TUI, cannot ask for it on the terminal)


def keystore_dir() -> Path:
    env = os.environ.get("HRTUI_KEYSTORE")
    return Path(env) if env else config.config_dir() / "keys"


def key_path(salt: bytes) -> Path:
    return keystore_dir() / f"{salt.hex()}.key"


def is_plain_sqlite(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(16) == SQLITE_MAGIC


def salt_of(path: Path) -> bytes:
    with open(path, "rb") as f:
        return f.read(16)


def pragma_key(key: bytes, salt: bytes) -> str:
    """SQLCipher raw key with explicit salt: no KDF on open (fast), salt decides the key file's name."""
    return f"x'{key.hex()}{salt.hex()}'"


def _write_private(path: Path, text: str) -> None:
    config.ensure_private_dir(path.parent)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def new_key() -> tuple[bytes, bytes, Path]:
    """Create and store a key for a database about to be created; returns (key, salt, key file)."""
    key, salt = os.urandom(32), os.urandom(16)
    path = key_path(salt)
    _write_private(path, f"# hrtui database key: keep it private; without it the database cannot be read\n"
                         f"{_HEADER} {key.hex()}\n")
    return key, salt, path


def _passphrase(prompt: str) -> str:
    env = os.environ.get("HRTUI_KEY_PASSPHRASE")
    if env:
        return env
    if sys.stdin.isatty():
        import getpass  # only when asking: it loads termios

        return getpass.getpass(prompt)
    raise UserError("the database key is protected by a passphrase: set HRTUI_KEY_PASSPHRASE or run in a terminal")


def _parse(text: str, path: Path) -> bytes:
    for line in text.splitlines():
        parts = line.strip().split()
        if len(parts) == 2 and parts[0] == _HEADER:
            try:
                key = bytes.fromhex(parts[1])
            except ValueError:
                break
            if len(key) == 32:
                return key
    raise UserError(f"key file {path} is damaged")


def read_key(path: Path) -> bytes:
    from hrtui.store.db import check_private_file

    check_private_file(path, "key file")
    check_private_file(path.parent, "keystore folder", allow_dir=True)
    text = path.read_text(encoding="ascii", errors="replace")
    if text.lstrip().startswith(_ARMOR):
        global _unlocked_with
        # the passphrase that opened a key before in this process first (a restore's new key, the TUI), else asked
        opened = _unwrap(text, _unlocked_with) if _unlocked_with is not None else None
        if opened is None:
            passphrase = _passphrase("Key passphrase: ")
            opened = _unwrap(text, passphrase)
            if opened is None:
                raise UserError(f"wrong passphrase for key file {path}")
            _unlocked_with = passphrase
        text = opened
    return _parse(text, path)


def _unwrap(armored: str, passphrase: str) -> str | None:
    """The key file's text inside its passphrase wrapping, or None for a wrong passphrase."""
    from hrtui.crypto import age
    from hrtui.crypto.errors import AgeError

    out = io.BytesIO()
    try:
        age.decrypt(io.BytesIO(armored.encode("ascii")), out, passphrase=passphrase)
    except AgeError:
        return None
    return out.getvalue().decode("ascii", errors="replace")


def is_protected(db_path: Path) -> bool:
    """Whether the database's key file is wrapped with a passphrase."""
    path = key_path(salt_of(db_path))
    return path.exists() and path.read_text(encoding="ascii", errors="replace").lstrip().startswith(_ARMOR)


def session_passphrase() -> str:
    """The passphrase that unlocked a key in this process, else asked for (HRTUI_KEY_PASSPHRASE or the terminal)."""
    return _unlocked_with if _unlocked_with is not None else _passphrase("Key passphrase: ")


def key_for(db_path: Path) -> str:
    """The SQLCipher key of an existing encrypted database, from the keystore."""
    salt = salt_of(db_path)
    path = key_path(salt)
    if not path.exists():
        raise UserError(f"{db_path} is not an hrtui database, or its key is not in {keystore_dir()} "
                        f"(expected {path.name}); copy the key file there, or restore from a backup")
    return pragma_key(read_key(path), salt)


def protect(db_path: Path, passphrase: str) -> Path:
    """Wrap the database's key with a passphrase (age scrypt, armored)."""
    from hrtui.crypto import age

    salt = salt_of(db_path)
    path = key_path(salt)
    key = read_key(path)
    out = io.BytesIO()
    age.encrypt(io.BytesIO(f"{_HEADER} {key.hex()}\n".encode("ascii")), out, passphrase=passphrase, armor=True)
    _write_private(path, out.getvalue().decode("ascii"))
    return path


def unprotect(db_path: Path) -> Path:
    salt = salt_of(db_path)
    path = key_path(salt)
    key = read_key(path)
    _write_private(path, f"# hrtui database key: keep it private; without it the database cannot be read\n"
                         f"{_HEADER} {key.hex()}\n")
    return path
