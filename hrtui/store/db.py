"""Opening the database: file modes, pragmas, the SQLCipher connections.

Every HR database goes through `open_db`. It refuses files that group/others can read (as ssh does for keys) and
files that are not hrtui databases, and leaves nothing behind when it refuses.

The open database is a `Store` (`database` is the process's own). SQL runs on SQLCipher connections opened here, one
per thread. The ORM (peewee: the models, `atomic`, the rest of its Database API) takes over those same connections
the first time anything loads it, so logging in and drawing the first roster page never import it: a tenth of the
start-up time (docs/decisions.md, "Start-up"). There is one way to open a connection, and one connection per thread
whichever of the two runs the SQL.
"""
from __future__ import annotations

import os
import stat
import sys
import threading
from pathlib import Path

from hrtui.errors import UserError

PRAGMAS = [
    ("cipher_log_level", "NONE"),  # SQLCipher logs to fd 2 by default, which would tear the TUI
    ("journal_mode", "wal"),
    ("foreign_keys", 1),
    ("busy_timeout", 5000),
    ("synchronous", "normal"),
    ("cache_size", -32000),
    ("temp_store", "memory"),
]

_adapters_registered = False


def _sqlcipher():
    """The SQLCipher driver, with the parameter adapters the ORM's SQLCipher support registers (the same values
    bind the same way before and after it loads)."""
    global _adapters_registered
    from sqlcipher3 import dbapi2

    if not _adapters_registered:
        import datetime
        import decimal

        dbapi2.register_adapter(decimal.Decimal, str)
        dbapi2.register_adapter(datetime.date, str)
        dbapi2.register_adapter(datetime.time, str)
        _adapters_registered = True
    return dbapi2


class Store:
    """An open hrtui database: `execute_sql` and `cursor` here, the rest of peewee's Database API (atomic, close,
    connection, …) through the ORM, which adopts this thread's connection when it first runs."""

    def __init__(self) -> None:
        self._target: tuple[str | None, str | None] = (None, None)  # (file, key): one value, swapped whole
        self._local = threading.local()  # .conn: this thread's connection while the ORM has not taken it
        self._orm = None
        self._lock = threading.Lock()

    @property
    def database(self) -> str | None:
        """The open file, as peewee names it."""
        return self._target[0]

    # -- connections -------------------------------------------------------------------------------------------
    def _new_connection(self, first: bool = False):
        path, key = self._target  # read once: a worker opening while the restore swaps files gets one or the other
        if path is None:
            raise UserError("no database is open")
        conn = _sqlcipher().connect(path, isolation_level=None, check_same_thread=False)
        try:
            if key:
                conn.execute("PRAGMA key='%s'" % key.replace("'", "''"))
            if first:  # before the pragmas: journal_mode=wal writes to the file
                conn.execute("PRAGMA cipher_log_level = NONE")
                _check_is_hrtui(conn, path)
            for pragma, value in PRAGMAS:
                conn.execute(f"PRAGMA {pragma} = {value};")
        except BaseException:
            conn.close()
            raise
        return conn

    def _connection(self):
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._new_connection()
        return conn

    def _take_connection(self):
        """For the ORM: this thread's connection (it owns it from now on), or a new one."""
        return self._local.__dict__.pop("conn", None) or self._new_connection()

    @property
    def _raw(self) -> bool:
        # Once peewee is loaded anywhere, all SQL goes through it (its errors, its transactions); before, nothing can
        # be waiting for its exception types.
        return self._orm is None and "peewee" not in sys.modules

    # -- opening -----------------------------------------------------------------------------------------------
    def _open(self, path: str, key: str | None) -> None:
        """Point this new Store at `path` and check, on a first connection, that it reads as a database."""
        self._target = (path, key)
        self._local.conn = self._new_connection(first=True)

    def initialize(self, other: "Store", *, take_connection: bool = False) -> None:
        """Go on with the database `other` has open (a restored copy going live): `other` keeps its connections,
        unless `take_connection` moves this thread's one here (open_db, after a successful check)."""
        self.close()
        self._target = other._target
        self._orm, self._local = None, threading.local()
        if take_connection and (conn := other._local.__dict__.pop("conn", None)) is not None:
            self._local.conn = conn
        if self is database:
            _bind_models()

    # -- SQL -----------------------------------------------------------------------------------------------------
    def execute_sql(self, sql: str, params=None, commit=None):
        if self._raw:
            return self._connection().execute(sql, params or ())
        return self.orm.execute_sql(sql, params)

    def cursor(self, *args, **kwargs):
        if self._raw:
            return self._connection().cursor()
        return self.orm.cursor(*args, **kwargs)

    def is_closed(self) -> bool:
        if self._orm is not None and not self._orm.is_closed():
            return False
        return getattr(self._local, "conn", None) is None

    def close(self) -> bool:
        """Close this thread's connection (as peewee's close does)."""
        closed = False
        if self._orm is not None:
            closed = self._orm.close()
        conn = self._local.__dict__.pop("conn", None)
        if conn is not None:
            conn.close()
            closed = True
        return closed

    # -- the ORM ---------------------------------------------------------------------------------------------------
    @property
    def orm(self):
        """peewee's database on the same file and key, built (and peewee imported) on first use."""
        if self._orm is None:
            if self.database is None:  # peewee would make a "deferred" database that no later open could close
                raise UserError("no database is open")
            with self._lock:
                if self._orm is None:
                    self._orm = _adopting_class()(self)
        return self._orm

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.orm, name)


def _check_is_hrtui(conn, path: str) -> None:
    """The first read of a file (a wrong key fails here): an SQLite database with tables but no hrtui schema history
    belongs to another program, and is refused before anything (the WAL pragma, a migration) writes to it."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if tables and "schema_migration" not in tables:
        raise UserError(f"{path} is an SQLite database of another program (no hrtui schema history); "
                        "it was left as it was")


_ADOPTING = None


def _adopting_class():
    global _ADOPTING
    if _ADOPTING is None:
        from playhouse.sqlcipher_ext import SqlCipherDatabase

        class AdoptingDatabase(SqlCipherDatabase):
            """peewee's SQLCipher database whose connections come from a Store."""

            def __init__(self, store: Store) -> None:
                super().__init__(store.database, check_same_thread=False)
                self.store = store

            def _connect(self):
                conn = self.store._take_connection()  # key and pragmas set by the Store
                try:
                    self._add_conn_hooks(conn)
                except BaseException:
                    conn.close()
                    raise
                return conn

        _ADOPTING = AdoptingDatabase
    return _ADOPTING


# The process's database. Models bind to peewee's view of it (`orm_proxy`); open_db() points it at a file (one open
# database per process is the app's model).
database = Store()
_PROXY = None
_BINDING = threading.RLock()  # the models may first load in a worker while the main thread reopens (a restore)


def orm_proxy():
    """The peewee proxy the models bind to; it follows `database` to every file it opens."""
    global _PROXY
    with _BINDING:
        if _PROXY is None:
            from peewee import DatabaseProxy

            _PROXY = DatabaseProxy()
            _bind_models()
        return _PROXY


def _bind_models() -> None:
    with _BINDING:
        if _PROXY is not None and database.database is not None:
            _PROXY.initialize(database.orm)


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
            encrypt: bool = True) -> Store:
    """Open (or with create=True, create) an hrtui database and return it (`database` itself unless bind=False).

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

    store = Store()  # the process's `database` moves to it only once it opened: a refused file changes nothing
    try:
        store._open(str(path), key)
    except _sqlcipher().DatabaseError as exc:
        store.close()
        if created:
            _remove_db_files(path, new_key_file)
        if "not a database" in str(exc) or "encrypted" in str(exc):
            raise UserError(f"{path} is not an hrtui database (or its key is wrong)") from None
        raise UserError(f"cannot open {path}: {exc}") from None
    except Exception:
        store.close()
        if created:
            _remove_db_files(path, new_key_file)
        raise
    if not bind:
        return store
    database.initialize(store, take_connection=True)
    return database


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
