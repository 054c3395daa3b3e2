"""Opening the database: file modes, pragmas, the SQLCipher connection.

Every HR database goes through `open_db`. It refuses files that group/others can read (as ssh does for keys) and
files that are not hrtui databases, and leaves nothing behind when it refuses.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from peewee import DatabaseError, DatabaseProxy
from playhouse.sqlcipher_ext import SqlCipherDatabase

from hrtui.errors import UserError

# Models bind to this proxy; open_db() initialises it (one open database per process is the app's model).
database = DatabaseProxy()

PRAGMAS = [
    ("cipher_log_level", "NONE"),  # SQLCipher logs to fd 2 by default, which would tear the TUI
    ("journal_mode", "wal"),
    ("foreign_keys", 1),
    ("busy_timeout", 5000),
    ("synchronous", "normal"),
    ("cache_size", -32000),
    ("temp_store", "memory"),
]


def check_private_file(path: Path, what: str = "database", allow_dir: bool = False) -> None:
    """Refuse a file (or folder) that group or others can read or write, naming the chmod that fixes it."""
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        fix = "700" if allow_dir and stat.S_ISDIR(mode) else "600"
        raise UserError(
            f"{what} {path} is accessible by group/others (mode {stat.S_IMODE(mode):04o}); run: chmod {fix} {path}"
        )


def _create_private_file(path: Path) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def open_db(path: Path | str, *, create: bool = False, key: str | None = None, bind: bool = True,
            encrypt: bool = True) -> SqlCipherDatabase:
    """Open (or with create=True, create) an hrtui database and return the peewee database.

    A new database is encrypted with a fresh key stored in the keystore (encrypt=False makes a plain SQLite file,
    for exports and tests of old files). An existing one is opened with its key from the keystore, or as plain
    SQLite when its header says so (databases from before encryption; `hrtui migrate` encrypts them).
    `key` overrides the keystore with an SQLCipher key string.
    """
    from hrtui.store import keystore

    path = Path(path).expanduser()
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UserError(f"directory {parent} does not exist")
    created = False
    new_key_file = None
    # An empty file (made by mktemp, or `touch`) is no database: SQLite would silently make it a plain, unencrypted
    # one. `create` fills it as a new database; anything else refuses it.
    empty = path.is_file() and path.stat().st_size == 0
    if path.exists() and not (empty and create):
        if not path.is_file():
            raise UserError(f"{path} is not a file")
        check_private_file(path)
        if empty:
            raise UserError(f"{path} is empty, not an hrtui database; create one with `hrtui init --admin NAME` "
                            "or `hrtui demo`")
        if key is None and path.stat().st_size >= 16 and not keystore.is_plain_sqlite(path):
            key = keystore.key_for(path)
    elif create:
        if not os.access(parent, os.W_OK | os.X_OK):
            raise UserError(f"cannot create {path}: directory {parent} is not writable")
        if empty:
            check_private_file(path)
        if encrypt and key is None:
            raw, salt, new_key_file = keystore.new_key()
            key = keystore.pragma_key(raw, salt)
        if not empty:
            _create_private_file(path)
        created = True
    else:
        raise UserError(f"no database at {path}; create one with `hrtui init --admin NAME` or `hrtui demo`")

    params = {"passphrase": key} if key else {}
    db = SqlCipherDatabase(str(path), pragmas=PRAGMAS, check_same_thread=False, **params)
    try:
        db.connect()
        db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
    except DatabaseError as exc:
        db.close()
        if created:
            _remove_db_files(path, new_key_file)
        if "not a database" in str(exc) or "encrypted" in str(exc):
            raise UserError(f"{path} is not an hrtui database (or its key is wrong)") from None
        raise UserError(f"cannot open {path}: {exc}") from None
    except Exception:
        db.close()
        if created:
            _remove_db_files(path, new_key_file)
        raise
    if bind:
        database.initialize(db)
    return db


def _remove_db_files(path: Path, key_file: Path | None = None) -> None:
    if key_file is not None:
        key_file.unlink(missing_ok=True)
    for suffix in ("", "-wal", "-shm"):
        try:
            os.unlink(f"{path}{suffix}")
        except FileNotFoundError:
            pass


def sqlite_version(db) -> str:
    return db.execute_sql("SELECT sqlite_version()").fetchone()[0]


def encrypt_in_place(path: Path) -> Path:
    """Turn a plain SQLite hrtui database into an encrypted one with a fresh keystore key; returns the key file.

    The encrypted copy is built beside the file and swapped in with one rename, so an interruption leaves the
    plain file as it was."""
    import sqlcipher3

    from hrtui.store import keystore

    path = Path(path)
    raw, salt, key_file = keystore.new_key()
    tmp = path.with_name(path.name + ".encrypting")
    tmp.unlink(missing_ok=True)
    _create_private_file(tmp)
    con = sqlcipher3.connect(str(path), isolation_level=None)
    try:
        con.execute("PRAGMA cipher_log_level = NONE")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("ATTACH DATABASE ? AS enc KEY ?", (str(tmp), keystore.pragma_key(raw, salt).replace("'", "'")))
        con.execute("SELECT sqlcipher_export('enc')")
        version = con.execute("PRAGMA user_version").fetchone()[0]
        con.execute(f"PRAGMA enc.user_version = {int(version)}")
        con.execute("DETACH DATABASE enc")
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        key_file.unlink(missing_ok=True)
        raise
    con.close()
    check = sqlcipher3.connect(str(tmp))
    try:
        check.execute(f"PRAGMA key = \"{keystore.pragma_key(raw, salt)}\"")
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise UserError(f"encrypting {path} failed its integrity check; the plain file is unchanged")
    finally:
        check.close()
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return key_file
