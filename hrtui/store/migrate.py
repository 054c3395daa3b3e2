"""Migration runner: applies migrations/NNNN_*.py in order, records them, backs the file up first.

A database that has a migration this code does not know comes from a newer hrtui and is refused: never silently
downgraded.
"""
from __future__ import annotations

import datetime as _dt
import importlib.util
import os
import re
from dataclasses import dataclass
from pathlib import Path

from hrtui.errors import UserError

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.py$")


@dataclass(frozen=True)
class Migration:
    """A file NNNN_name.py of migrations/."""

    number: int
    name: str
    path: Path


def migrations_dir() -> Path:
    """Installed wheels carry migrations/ as the hrtui.migrations package; a source tree has it at the top."""
    spec = importlib.util.find_spec("hrtui.migrations")
    if spec and spec.submodule_search_locations:
        for loc in spec.submodule_search_locations:
            if any(_NAME.match(p.name) for p in Path(loc).iterdir()):
                return Path(loc)
    return Path(__file__).resolve().parents[2] / "migrations"


def available() -> list[Migration]:
    found = []
    for p in sorted(migrations_dir().iterdir()):
        m = _NAME.match(p.name)
        if m:
            found.append(Migration(int(m.group(1)), p.stem, p))
    return found


def _ensure_table(db) -> None:
    db.execute_sql("CREATE TABLE IF NOT EXISTS schema_migration (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")


def applied(db) -> list[str]:
    exists = db.execute_sql("SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_migration'").fetchone()
    if not exists:
        return []
    return [r[0] for r in db.execute_sql("SELECT name FROM schema_migration ORDER BY name")]


def pending(db) -> list[Migration]:
    done = set(applied(db))
    known = {m.name for m in available()}
    newer = sorted(done - known)
    if newer:
        raise UserError(
            f"database schema {newer[-1]} is newer than this hrtui knows; upgrade hrtui (pip install -U hrtui)"
        )
    return [m for m in available() if m.name not in done]


def backup_before(db, db_path: Path, first: Migration) -> Path | None:
    """Copy a non-empty database aside (SQLite online backup) before migrating it."""
    has_tables = db.execute_sql("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
    if not has_tables:
        return None
    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = db_path.with_name(f"{db_path.name}.pre-{first.name}.{stamp}.bak")
    # A byte copy after a checkpoint keeps the SQLCipher salt, so the backup opens with the same keystore key.
    import shutil

    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out, open(db_path, "rb") as src:
        shutil.copyfileobj(src, out, 1 << 20)
        out.flush()
        os.fsync(out.fileno())
    return target


def upgrade(db, db_path: Path | None = None) -> list[str]:
    """Apply every pending migration, each in its own transaction; returns the names applied."""
    todo = pending(db)
    if not todo:
        return []
    if db_path is not None:
        backup_before(db, Path(db_path), todo[0])
    from playhouse.migrate import SqliteMigrator  # only when there is work: every open checks, few migrate

    _ensure_table(db)
    migrator = SqliteMigrator(getattr(db, "orm", db))  # peewee's database under a Store
    done = []
    for m in todo:
        spec = importlib.util.spec_from_file_location(f"hrtui_migration_{m.number:04d}", m.path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        with db.atomic():
            module.up(db, migrator)
            db.execute_sql(
                "INSERT INTO schema_migration (name, applied_at) VALUES (?, ?)",
                (m.name, _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")),
            )
        done.append(m.name)
    return done
