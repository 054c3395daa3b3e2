"""Backups, verification and restore of the whole database, in the age format.

A backup is a plain SQLite copy of the database (made with `sqlcipher_export`, so it needs no keystore to open),
checked with `PRAGMA integrity_check`, then age-encrypted to the recipients of settings.toml [backup] as it streams
into `NAME.part`, which is fsynced and renamed. The plaintext copy lives only in a private (0700) temp folder beside
the target, and a small janitor process removes that folder even when hrtui itself is killed (`kill -9`).

Restore decrypts into such a folder, checks integrity and schema (an older schema is migrated, a newer one refused),
builds a NEW encrypted database from it (fresh key in the keystore), keeps the current database aside as
`NAME.before-restore-STAMP`, and swaps the files with one rename while it holds the old database exclusively.
A tampered, truncated or wrong-key file fails before anything is touched; the refusal is audited.

Names: `<db stem>-YYYYMMDDTHHMMSS.db.age` (local time), so the folder sorts by date and a week is read off the name.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hrtui import config
from hrtui.errors import UserError
from hrtui.transfer.files import atomic_write, fsync_dir, part_path

Progress = Callable[[str, float], None]  # (phase, overall fraction 0..1); may raise to cancel

SUFFIX = ".db.age"
TEMP_PREFIX = ".hrtui-tmp-"
LOCK_NAME = ".hrtui-backup.lock"
_STAMP = "%Y%m%dT%H%M%S"
_TMP = re.compile(rf"^{re.escape(TEMP_PREFIX)}(\d+)-")
_READ = 1 << 20
NOW_YEARS = (2000, 2099)


class RestoreRefused(UserError):
    """The backup file cannot be used (tampered, truncated, wrong key, not a backup, newer schema): nothing changed.

    `reason` is a short tag for the audit log: the age error class (NoMatch, PayloadFailure…), `integrity`,
    `not-a-backup`, `newer-schema` or `unreadable`."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


# -- clock and names ---------------------------------------------------------------------------------------------
def now_local(explicit: str | None = None) -> _dt.datetime:
    """The backup clock, naive local time: `--now ISO`, else HRTUI_TODAY's date at the current time, else now."""
    if explicit:
        try:
            value = _dt.datetime.fromisoformat(explicit)
        except ValueError:
            raise UserError(f"--now expects an ISO date-time such as 2026-11-27T18:00, got {explicit!r}") from None
        if value.tzinfo is not None:
            value = value.astimezone().replace(tzinfo=None)
        if not NOW_YEARS[0] <= value.year <= NOW_YEARS[1]:  # the name needs 4 digits; far dates defeat --keep
            raise UserError(f"--now must be between {NOW_YEARS[0]} and {NOW_YEARS[1]}, got {explicit!r}")
        return value.replace(microsecond=0)
    current = _dt.datetime.now().replace(microsecond=0)
    if os.environ.get("HRTUI_TODAY"):
        return _dt.datetime.combine(config.today(), current.time())
    return current


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken: _dt.datetime
    size: int

    @property
    def week(self) -> tuple[int, int]:
        iso = self.taken.isocalendar()
        return iso[0], iso[1]


def _name_pattern(stem: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(stem)}-(\d{{8}}T\d{{6}})(?:-(\d+))?{re.escape(SUFFIX)}$")


def backup_name(stem: str, taken: _dt.datetime, n: int = 1) -> str:
    return f"{stem}-{taken.strftime(_STAMP)}{'' if n == 1 else f'-{n}'}{SUFFIX}"


def list_backups(folder: Path, stem: str) -> list[BackupFile]:
    """This database's backups in `folder`, oldest first (other files are left alone)."""
    pattern = _name_pattern(stem)
    found = []
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return []
    for entry in entries:
        m = pattern.match(entry.name)
        if not m or not entry.is_file(follow_symlinks=False):
            continue
        try:
            taken = _dt.datetime.strptime(m.group(1), _STAMP)
        except ValueError:
            continue
        found.append((taken, int(m.group(2) or 1), BackupFile(Path(entry.path), taken, entry.stat().st_size)))
    return [b for _, _, b in sorted(found, key=lambda item: (item[0], item[1]))]


def backup_folder(db_path: Path, explicit: Path | None = None,
                  settings: config.BackupSettings | None = None) -> Path:
    settings = settings or config.load_backup_settings()
    folder = explicit or settings.dir or (Path(db_path).parent / "backups")
    return Path(folder).expanduser()


def _stem(db_path: Path) -> str:
    name = Path(db_path).name
    return name[:-3] if name.endswith(".db") and len(name) > 3 else name


# -- status (for the TUI and `hrtui backup --status`-like messages) ------------------------------------------------
@dataclass(frozen=True)
class BackupStatus:
    folder: Path
    backups: list[BackupFile]
    today: _dt.date
    recipients: list[str]

    @property
    def last(self) -> BackupFile | None:
        return self.backups[-1] if self.backups else None

    @property
    def age_days(self) -> int | None:
        return None if self.last is None else max(0, (self.today - self.last.taken.date()).days)

    @property
    def week(self) -> tuple[int, int]:
        iso = self.today.isocalendar()
        return iso[0], iso[1]

    @property
    def done_this_week(self) -> bool:
        return any(b.week == self.week for b in self.backups)

    @property
    def is_friday(self) -> bool:
        return self.today.weekday() == 4

    @property
    def overdue(self) -> bool:
        """This ISO week's backup is missing."""
        return not self.done_this_week


def status(db_path: Path, settings: config.BackupSettings | None = None, today: _dt.date | None = None) -> BackupStatus:
    settings = settings or config.load_backup_settings()
    folder = backup_folder(db_path, None, settings)
    return BackupStatus(folder, list_backups(folder, _stem(db_path)), today or config.today(), list(settings.recipients))


# -- private temp folders that survive nothing, not even kill -9 ----------------------------------------------------
_JANITOR = """\
import os, shutil, sys
paths = []
for raw in sys.stdin.buffer:
    verb, _, arg = raw.rstrip(b"\\n").partition(b" ")
    if verb == b"done":
        sys.exit(0)
    if verb == b"add":
        paths.append(os.fsdecode(arg))
    elif verb == b"keep" and os.fsdecode(arg) in paths:
        paths.remove(os.fsdecode(arg))
for p in reversed(paths):
    if os.path.isdir(p) and not os.path.islink(p):
        shutil.rmtree(p, ignore_errors=True)
    else:
        try:
            os.unlink(p)
        except OSError:
            pass
"""


class Janitor:
    """A tiny watcher process that removes the paths it was told about when this process dies without saying
    `done` (a crash, `kill -9`). Its only link to us is a pipe: EOF without `done` means
    we are gone. Best effort: if it cannot start, the stale-folder sweep of the next run still cleans up."""

    def __init__(self) -> None:
        self._proc = None
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", _JANITOR], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, close_fds=True, start_new_session=True)
        except OSError:
            self._proc = None

    def _say(self, verb: str, path: Path | None = None) -> None:
        if self._proc is None or self._proc.stdin is None:
            return
        line = verb.encode() + (b" " + os.fsencode(str(path)) if path is not None else b"") + b"\n"
        try:
            self._proc.stdin.write(line)
            self._proc.stdin.flush()
        except (BrokenPipeError, OSError):
            self._proc = None

    def add(self, path: Path) -> None:
        self._say("add", path)

    def keep(self, path: Path) -> None:
        self._say("keep", path)

    def close(self) -> None:
        """We cleaned up ourselves: tell the janitor to stand down."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            proc.stdin.write(b"done\n")
            proc.stdin.close()
        except (BrokenPipeError, OSError):
            pass
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_stale(folder: Path) -> list[Path]:
    """Remove private temp folders left in `folder` by hrtui processes that no longer run."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return removed
    for entry in entries:
        m = _TMP.match(entry.name)
        if m and entry.is_dir(follow_symlinks=False) and int(m.group(1)) != os.getpid() and not _pid_alive(int(m.group(1))):
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(Path(entry.path))
    return removed


class PrivateTemp:
    """A 0700 folder beside the target (same file system, so renames are atomic), removed on exit and by the
    janitor if the process is killed. `add()` more paths for the janitor; `keep()` withdraws one."""

    def __init__(self, parent: Path) -> None:
        self.parent = Path(parent)
        self.path: Path | None = None
        self.janitor: Janitor | None = None

    def __enter__(self) -> PrivateTemp:
        sweep_stale(self.parent)
        self.janitor = Janitor()
        self.path = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", dir=self.parent))
        os.chmod(self.path, 0o700)
        self.janitor.add(self.path)
        return self

    def add(self, path: Path) -> None:
        if self.janitor:
            self.janitor.add(path)

    def keep(self, path: Path) -> None:
        if self.janitor:
            self.janitor.keep(path)

    def file(self, name: str) -> Path:
        """An empty 0600 file in the folder (SQLite would create its files with the umask's mode)."""
        path = self.path / name
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600))
        return path

    def close(self) -> None:
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            self.path = None
        if self.janitor is not None:
            self.janitor.close()
            self.janitor = None

    def __exit__(self, *exc) -> None:
        self.close()


# -- small file helpers --------------------------------------------------------------------------------------------
def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class _Counted:
    """A buffered binary file that reports how far it has been read (for progress bars).

    Not an io.RawIOBase on purpose: age then reads straight from it (64 KiB readinto) without another buffer."""

    def __init__(self, f, total: int, report: Callable[[float], None]) -> None:
        self._f, self._total, self._report = f, max(total, 1), report
        self._done = 0
        self._next = 0

    def _count(self, n: int) -> None:
        self._done += n
        if self._done >= self._next:
            self._next = self._done + 8 * _READ
            self._report(min(self._done / self._total, 1.0))

    def readinto(self, buffer) -> int:
        n = self._f.readinto(buffer) or 0
        self._count(n)
        return n

    def readline(self, limit: int = -1) -> bytes:
        line = self._f.readline(limit)
        self._count(len(line))
        return line

    def read(self, size: int = -1) -> bytes:
        data = self._f.read(size)
        self._count(len(data))
        return data


class _Phases:
    """Maps (phase, fraction of phase) to one overall fraction for a progress bar."""

    def __init__(self, progress: Progress | None, weights: dict[str, float]) -> None:
        self.progress = progress
        total = sum(weights.values())
        self.start, self.weight, acc = {}, {}, 0.0
        for phase, w in weights.items():
            self.start[phase], self.weight[phase] = acc / total, w / total
            acc += w

    def __call__(self, phase: str, fraction: float = 0.0) -> None:
        if self.progress is not None:
            self.progress(phase, min(1.0, self.start[phase] + self.weight[phase] * max(0.0, min(fraction, 1.0))))

    def done(self) -> None:
        if self.progress is not None:
            self.progress("done", 1.0)


# -- checks on a plain SQLite copy ---------------------------------------------------------------------------------
SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class BackupInfo:
    """What a decrypted backup holds (no employee data: counts and schema only)."""

    schema: str
    pending: tuple[str, ...]
    employees: int
    users: int
    size: int

    @property
    def summary(self) -> str:
        schema = self.schema + (f" (older: {len(self.pending)} migration(s) to apply)" if self.pending else "")
        return f"schema {schema}, {self.employees} employees, {self.users} accounts"


def _plain_connect(path: Path):
    import sqlcipher3

    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA cipher_log_level = NONE")
    return conn


def check_plain(path: Path, label: str) -> BackupInfo:
    """Integrity and schema of a plain SQLite copy; raises RestoreRefused with one line when it is unusable."""
    from hrtui.store.migrate import available

    with open(path, "rb") as f:
        if f.read(16) != SQLITE_MAGIC:
            raise RestoreRefused(f"{label}: not an hrtui backup (its content is not an SQLite database)",
                                 "not-a-backup")
    conn = _plain_connect(path)
    try:
        try:
            result = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
        except Exception as exc:  # sqlcipher3.DatabaseError: "file is not a database", "malformed"
            raise RestoreRefused(f"{label}: the database inside fails its integrity check ({exc})",
                                 "integrity") from None
        if result != ["ok"]:
            raise RestoreRefused(f"{label}: the database inside fails its integrity check ({result[0]})", "integrity")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"employee", "schema_migration", "user"} <= tables:
            raise RestoreRefused(f"{label}: not an hrtui backup (no hrtui tables inside)", "not-a-backup")
        applied = [r[0] for r in conn.execute("SELECT name FROM schema_migration ORDER BY name")]
        known = [m.name for m in available()]
        newer = sorted(set(applied) - set(known))
        if newer:
            raise RestoreRefused(f"{label}: its schema {newer[-1]} is newer than this hrtui knows; "
                                 f"upgrade hrtui (pip install -U hrtui), then restore", "newer-schema")
        if not applied or applied != known[:len(applied)]:  # hrtui applies every migration in order
            what = "is empty" if not applied else "has gaps"
            raise RestoreRefused(f"{label}: not an hrtui backup (its schema_migration table {what})", "bad-schema")
        pending = tuple(n for n in known if n not in set(applied))
        employees = conn.execute("SELECT count(*) FROM employee").fetchone()[0]
        users = conn.execute("SELECT count(*) FROM user").fetchone()[0]
    finally:
        conn.close()
    return BackupInfo(applied[-1] if applied else "none", pending, employees, users, path.stat().st_size)


def _table_counts(conn, schema: str = "main") -> dict[str, int]:
    names = [r[0] for r in conn.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type='table' "
                                        "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {n: conn.execute(f'SELECT count(*) FROM {schema}."{n}"').fetchone()[0] for n in names}


# -- backup ------------------------------------------------------------------------------------------------------------
@dataclass
class BackupOutcome:
    path: Path | None                      # the new backup, or None when --weekly found this week's
    existing: BackupFile | None = None     # this week's backup that made --weekly a no-op
    size: int = 0
    plain_size: int = 0
    pruned: list[Path] = field(default_factory=list)


def _parse_recipients(recipients: Sequence[str]):
    from hrtui.crypto import age
    from hrtui.crypto.errors import AgeError

    parsed = []
    for r in recipients:
        try:
            parsed.append(age.parse_recipient(r.strip()))
        except AgeError as exc:
            raise UserError(f"backup recipient {r.strip()[:24]!r}…: {str(exc).removeprefix('age: ')}") from None
    return parsed


@contextlib.contextmanager
def _folder_lock(folder: Path):
    import fcntl

    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UserError(f"another backup is running into {folder}; try again when it has finished") from None
        yield
    finally:
        os.close(fd)


def export_plain(db, target: Path, report: Callable[[float], None] | None = None) -> None:
    """Copy the open database `db` (peewee, this thread's connection) into the empty plain SQLite file `target`,
    as one consistent snapshot. `report(fraction)` is called as the copy grows; if it raises, the copy stops."""
    source = Path(db.database)
    expected = sum(p.stat().st_size for p in (source, Path(f"{source}-wal")) if p.exists()) or 1
    conn = db.connection()
    failure: list[BaseException] = []

    def tick() -> int:
        try:
            if report is not None:
                report(min(target.stat().st_size / expected, 1.0))
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller below
            failure.append(exc)
            return 1
        return 0

    db.execute_sql("ATTACH DATABASE ? AS hrtui_plain KEY ''", (str(target),))
    try:
        if report is not None:
            conn.set_progress_handler(tick, 20000)
        db.execute_sql("BEGIN")
        try:
            db.execute_sql("SELECT sqlcipher_export('hrtui_plain')")
            db.execute_sql("COMMIT")
        except BaseException:
            with contextlib.suppress(Exception):
                db.execute_sql("ROLLBACK")
            if failure:
                raise failure[0] from None
            raise
    finally:
        conn.set_progress_handler(None, 0)
        db.execute_sql("DETACH DATABASE hrtui_plain")


def run_backup(actor, db_path: Path, *, folder: Path | None = None, recipients: Sequence[str] | None = None,
               weekly: bool = False, keep: int | None = None, now: _dt.datetime | None = None,
               progress: Progress | None = None) -> BackupOutcome:
    """Back the bound database up; see the module doc. Admins only. Audited as `backup.run`."""
    from hrtui.access import audit
    from hrtui.access.policy import require
    from hrtui.crypto import age
    from hrtui.store.db import database

    require(actor, "write", "backup")
    settings = config.load_backup_settings()
    folder = backup_folder(db_path, folder, settings)
    wanted = list(recipients or settings.recipients)
    if not wanted:
        raise UserError(f"no backup recipients: add recipients = [\"age1…\"] under [backup] in "
                        f"{config.settings_path()}, or pass --to (make a key with `hrtui keygen`)")
    parsed = _parse_recipients(wanted)
    keep = settings.keep if keep is None else keep
    now = now or now_local()
    stem = _stem(db_path)
    phases = _Phases(progress, {"export": 45, "check": 10, "encrypt": 45})

    config.ensure_private_dir(folder)
    with _folder_lock(folder):
        existing = list_backups(folder, stem)
        week = now.isocalendar()[:2]
        if weekly:
            this_week = [b for b in existing if b.week == week]
            if this_week:
                return BackupOutcome(None, existing=this_week[-1])
        for leftover in folder.glob(f"{glob_escape(stem)}-*{SUFFIX}.part"):
            leftover.unlink(missing_ok=True)  # a killed run's ciphertext: we hold the folder lock
        n = 1
        while (folder / backup_name(stem, now, n)).exists():
            n += 1
        final = folder / backup_name(stem, now, n)
        with PrivateTemp(folder) as tmp:
            tmp.add(part_path(final))
            plain = tmp.file("backup.db")
            phases("export")
            export_plain(database, plain, lambda f: phases("export", f))
            phases("check")
            try:
                info = check_plain(plain, "the copy")
            except RestoreRefused as exc:
                raise UserError(f"backup stopped, nothing was written: {exc}") from None
            phases("encrypt")
            plain_size = plain.stat().st_size
            with atomic_write(final) as out, open(plain, "rb") as raw:
                age.encrypt(_Counted(raw, plain_size, lambda f: phases("encrypt", f)), out, parsed)
        pruned = prune(folder, stem, keep, final) if keep else []
    size = final.stat().st_size
    audit.record(actor, "backup.run", final.name, {"bytes": size, "employees": info.employees,
                                                    "recipients": len(parsed), "pruned": len(pruned)})
    phases.done()
    return BackupOutcome(final, size=size, plain_size=plain_size, pruned=pruned)


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def prune(folder: Path, stem: str, keep: int, written: Path | None = None) -> list[Path]:
    """Delete the oldest backups of this database beyond the newest `keep`. The one just `written` always stays
    and counts as one of them, even when older-named than others (a clock set back, --now in the past)."""
    backups = [b for b in list_backups(folder, stem) if b.path != written]
    room = keep - 1 if written is not None else keep
    doomed = (backups[:-room] if room else backups) if keep > 0 else []
    for b in doomed:
        b.path.unlink(missing_ok=True)
    if doomed:
        fsync_dir(folder)
    return [b.path for b in doomed]


# -- decrypting ----------------------------------------------------------------------------------------------------
def identities_for(identity_files: Sequence[Path] | None = None, settings: config.BackupSettings | None = None):
    """Identities from -i files, else settings [backup] identity, else the `hrtui keygen` default file."""
    from hrtui.crypto import age
    from hrtui.crypto.commands import default_identity_path
    from hrtui.crypto.errors import AgeError

    files = list(identity_files or [])
    if not files:
        settings = settings or config.load_backup_settings()
        default = settings.identity or default_identity_path()
        if not default.exists():
            raise UserError(f"no identity to open backups: pass --identity FILE, or set identity under [backup] "
                            f"in {config.settings_path()} (looked for {default})")
        files = [default]
    try:
        return [i for f in files for i in age.parse_identity_file(f)]
    except FileNotFoundError as exc:
        raise UserError(f"identity file {exc.filename} does not exist") from None
    except AgeError as exc:
        raise UserError(str(exc)) from None


def decrypt_into(source: Path, target: Path, identities=None, passphrase: str | None = None,
                 report: Callable[[float], None] | None = None) -> int:
    """Decrypt `source` into the private file `target`; every failure is a RestoreRefused with one line.
    The caller keeps `target` in a private temp folder and throws it away on failure."""
    from hrtui.crypto import age
    from hrtui.crypto.errors import AgeError

    source = Path(source)
    try:
        total = source.stat().st_size
        with open(source, "rb") as raw, open(target, "wb") as out:
            src = _Counted(raw, total, report or (lambda f: None))
            size = age.decrypt(src, out, identities, passphrase=passphrase)
            out.flush()
            os.fsync(out.fileno())
    except AgeError as exc:
        raise RestoreRefused(f"{source.name}: {exc}", type(exc).__name__) from None
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        raise RestoreRefused(f"{source}: {exc.strerror}", "unreadable") from None
    return size


# -- verify ------------------------------------------------------------------------------------------------------------
def verify_backup(actor, db_path: Path, source: Path, *, identities=None, passphrase: str | None = None,
                  progress: Progress | None = None) -> BackupInfo:
    """Decrypt and check a backup without touching the database; audited as backup.verify(.failed)."""
    from hrtui.access import audit
    from hrtui.access.policy import require

    require(actor, "read", "backup")
    source = Path(source)
    phases = _Phases(progress, {"decrypt": 70, "check": 30})
    try:
        with PrivateTemp(Path(db_path).parent) as tmp:
            plain = tmp.file("verify.db")
            phases("decrypt")
            decrypt_into(source, plain, identities, passphrase, lambda f: phases("decrypt", f))
            phases("check")
            info = check_plain(plain, source.name)
    except RestoreRefused as exc:
        audit.record(actor, "backup.verify.failed", source.name, {"reason": exc.reason})
        raise
    audit.record(actor, "backup.verify", source.name, {"schema": info.schema, "employees": info.employees})
    phases.done()
    return info


# -- restore ---------------------------------------------------------------------------------------------------------
class PreparedRestore:
    """A verified backup rebuilt as a new encrypted database in a private temp folder, ready to go live."""

    def __init__(self, tmp: PrivateTemp, new_path: Path, key_file: Path | None, db, info: BackupInfo,
                 source: Path) -> None:
        self.tmp, self.new_path, self.key_file, self.db, self.info, self.source = tmp, new_path, key_file, db, info, source
        self.swapped = False

    def record(self, actor_name: str, action: str = "backup.restore", detail: dict | None = None) -> None:
        from hrtui.access import audit

        audit.record(actor_name, action, self.source.name,
                     {"schema": self.info.schema, "employees": self.info.employees, **(detail or {})}, db=self.db)

    def release(self) -> None:
        """Close the new database's connection of this thread (call it in the thread that prepared it)."""
        self._close_new()

    def _close_new(self) -> None:
        if self.db is not None and not self.db.is_closed():
            self.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            self.db.close()

    def swap(self, db_path: Path, now: _dt.datetime | None = None) -> Path | None:
        """Put the new database in place of `db_path`, keeping the current one aside; returns the aside path.

        Every connection of this process to `db_path` must be closed first. The old file is held with an
        exclusive lock (which also proves no other program has it open) while it is linked aside and the new
        file is renamed over it: at every instant the path names one whole database."""
        from playhouse.sqlcipher_ext import SqlCipherDatabase
        from peewee import OperationalError

        from hrtui.store import keystore

        db_path = Path(db_path).resolve()  # the database a link points to (see prepare_restore)
        self._close_new()
        _fsync_file(self.new_path)
        aside = None
        holder = None
        protected = False
        if db_path.exists():
            key = None if keystore.is_plain_sqlite(db_path) else keystore.key_for(db_path)
            protected = key is not None and keystore.is_protected(db_path)
            holder = SqlCipherDatabase(str(db_path), pragmas=[("cipher_log_level", "NONE")],
                                       check_same_thread=False, **({"passphrase": key} if key else {}))
            try:
                holder.connect()
                holder.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                mode = holder.execute_sql("PRAGMA journal_mode=DELETE").fetchone()[0]
                if str(mode).lower() != "delete":
                    raise OperationalError("database is locked")
                holder.execute_sql("PRAGMA locking_mode=EXCLUSIVE")
                holder.execute_sql("BEGIN EXCLUSIVE")
            except OperationalError:
                holder.close()
                raise UserError(f"{db_path} is open in another hrtui session or program; close it, "
                                "then run the restore again (nothing was changed)") from None
        try:
            if holder is not None:
                stamp = (now or now_local()).strftime(_STAMP)
                aside = db_path.with_name(f"{db_path.name}.before-restore-{stamp}")
                n = 1
                while aside.exists():
                    n += 1
                    aside = db_path.with_name(f"{db_path.name}.before-restore-{stamp}-{n}")
                try:
                    os.link(db_path, aside)  # the same file under a second name: instant, and no copy to go wrong
                except OSError:
                    _copy_private(db_path, aside)  # file systems without hard links
            if protected and self.key_file is not None:  # the live key was wrapped: so is its successor, before
                keystore.protect(self.new_path, keystore.session_passphrase())  # the new file goes live
            if self.key_file is not None:
                self.tmp.keep(self.key_file)  # from here on the key may belong to the live database
            for suffix in ("-wal", "-shm", "-journal"):
                Path(f"{db_path}{suffix}").unlink(missing_ok=True)  # never let the new file meet old logs
            os.replace(self.new_path, db_path)
            self.swapped = True
            fsync_dir(db_path.parent)
        finally:
            if holder is not None:
                with contextlib.suppress(Exception):
                    holder.execute_sql("ROLLBACK")
                holder.close()
        return aside

    def discard(self) -> None:
        """Drop the temp folder (and the new key, unless the new database went live)."""
        with contextlib.suppress(Exception):
            if self.db is not None:
                self.db.close()
        if not self.swapped and self.key_file is not None:
            self.key_file.unlink(missing_ok=True)
        self.tmp.close()


def _copy_private(src: Path, dst: Path) -> None:
    with atomic_write(dst) as out, open(src, "rb") as f:
        shutil.copyfileobj(f, out, _READ)


def prepare_restore(source: Path, db_path: Path, *, identities=None, passphrase: str | None = None,
                    progress: Progress | None = None) -> PreparedRestore:
    """Decrypt, check, migrate and rebuild a backup beside `db_path`; nothing of the current database is touched.
    Raises RestoreRefused (one line) for a file that cannot be used."""
    from hrtui.store import keystore
    from hrtui.store.db import open_db
    from hrtui.store.migrate import upgrade

    # A --db that is a symbolic link names the database it points to: that file is rebuilt beside and replaced
    # (replacing the link would leave the real database as it was, and the new one where the link was).
    source, db_path = Path(source), Path(db_path).resolve()
    parent = db_path.parent if str(db_path.parent) else Path(".")
    if not parent.is_dir():
        raise UserError(f"directory {parent} does not exist")
    phases = _Phases(progress, {"decrypt": 40, "check": 15, "rebuild": 45})
    tmp = PrivateTemp(parent).__enter__()
    new = None
    key_file = None
    try:
        plain = tmp.file("restore-plain.db")
        phases("decrypt")
        decrypt_into(source, plain, identities, passphrase, lambda f: phases("decrypt", f))
        phases("check")
        info = check_plain(plain, source.name)
        if info.pending:
            from peewee import DatabaseError

            old = open_db(plain, bind=False, encrypt=False)
            try:
                upgrade(old)
                old.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                old.execute_sql("PRAGMA journal_mode=DELETE")
            except DatabaseError as exc:  # tables that do not match their recorded schema
                raise RestoreRefused(f"{source.name}: migrating its schema {info.schema} failed ({exc})",
                                     "migration") from None
            finally:
                old.close()
        phases("rebuild")
        new_path = tmp.path / "restore-new.db"
        new = open_db(new_path, create=True, bind=False)  # a fresh key; its salt is on disk from here on
        key_file = keystore.key_path(keystore.salt_of(new_path))
        tmp.add(key_file)  # a killed restore leaves no orphan key behind
        _rebuild(new, new_path, plain, lambda f: phases("rebuild", f))
        return PreparedRestore(tmp, new_path, key_file, new, info, source)
    except BaseException:
        if new is not None:
            new.close()
        if key_file is not None:
            key_file.unlink(missing_ok=True)
        tmp.close()
        raise


def _rebuild(new, new_path: Path, plain: Path, report: Callable[[float], None]) -> None:
    """Fill the new, empty encrypted database from the plain copy; row counts must match table by table."""
    expected = plain.stat().st_size or 1
    failure: list[BaseException] = []

    def tick() -> int:
        try:
            report(min(new_path.stat().st_size / expected, 1.0))
        except BaseException as exc:  # noqa: BLE001 - handed back below
            failure.append(exc)
            return 1
        return 0

    # A fresh file: no WAL while it fills (one write of each page), no fsync until the end.
    new.execute_sql("PRAGMA journal_mode=DELETE")
    new.execute_sql("PRAGMA synchronous=OFF")
    new.execute_sql("PRAGMA foreign_keys=OFF")
    new.execute_sql("ATTACH DATABASE ? AS hrtui_plain KEY ''", (str(plain),))
    conn = new.connection()
    try:
        conn.set_progress_handler(tick, 20000)
        try:
            new.execute_sql("SELECT sqlcipher_export('main', 'hrtui_plain')")
        except BaseException:
            if failure:
                raise failure[0] from None
            raise
        finally:
            conn.set_progress_handler(None, 0)
        if _table_counts(conn, "main") != _table_counts(conn, "hrtui_plain"):
            raise UserError("restore stopped: the rebuilt database does not hold every row of the backup "
                            "(nothing was changed)")
    finally:
        new.execute_sql("DETACH DATABASE hrtui_plain")
    new.execute_sql("PRAGMA foreign_keys=ON")
    new.execute_sql("PRAGMA synchronous=NORMAL")
    new.execute_sql("PRAGMA journal_mode=WAL")
    report(1.0)


@dataclass
class RestoreOutcome:
    path: Path
    aside: Path | None
    info: BackupInfo


def refuse(actor, source: Path, exc: RestoreRefused) -> None:
    """Audit a refused restore in the current database (its own entry; nothing else changes)."""
    from hrtui.access import audit

    audit.record(actor, "backup.restore.refused", Path(source).name, {"reason": exc.reason})


def restore(actor, db_path: Path, source: Path, *, identities=None, passphrase: str | None = None,
            progress: Progress | None = None, now: _dt.datetime | None = None) -> RestoreOutcome:
    """Restore `source` over the bound database at `db_path` (admins only); closes this thread's connection.

    A refused file is audited as `backup.restore.refused` in the current database; a restore is audited as
    `backup.restore` inside the restored database, so the live audit chain tells where it came from."""
    from hrtui.access.policy import require
    from hrtui.store.db import database

    require(actor, "write", "backup")
    try:
        prepared = prepare_restore(source, db_path, identities=identities, passphrase=passphrase, progress=progress)
    except RestoreRefused as exc:
        refuse(actor, source, exc)
        raise
    try:
        prepared.record(actor.name)
        database.close()
        aside = prepared.swap(db_path, now)
    finally:
        prepared.discard()
    if progress is not None:
        progress("done", 1.0)
    return RestoreOutcome(Path(db_path), aside, prepared.info)
