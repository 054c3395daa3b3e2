"""The store: file modes, refusals that leave nothing behind, migrations with backup, newer schema refused."""
from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from hrtui.errors import UserError
from hrtui.store import open_store
from hrtui.store import migrate as migrate_mod
from hrtui.store.db import open_db, sqlite_version

FIXTURES = Path(__file__).parent / "fixtures"


def test_new_database_is_private_and_uses_bundled_sqlite(tmp_path):
    db = open_store(tmp_path / "org.db", create=True)
    assert stat.S_IMODE(os.stat(tmp_path / "org.db").st_mode) == 0o600
    major, minor, patch = (int(x) for x in sqlite_version(db).split("."))
    assert (major, minor, patch) >= (3, 51, 3)
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 5000
    db.close()


def test_group_readable_database_is_refused_with_chmod_hint(tmp_path):
    path = tmp_path / "org.db"
    open_store(path, create=True).close()
    os.chmod(path, 0o644)
    with pytest.raises(UserError, match=rf"chmod 600 {path}"):
        open_db(path)


def test_missing_directory_and_missing_file_create_nothing(tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        open_db(tmp_path / "nope" / "x.db", create=True)
    with pytest.raises(UserError, match="no database at"):
        open_db(tmp_path / "x.db")
    assert list(tmp_path.iterdir()) == []


def test_non_sqlite_file_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not a database at all" * 100)
    os.chmod(path, 0o600)
    before = path.read_bytes()
    with pytest.raises(UserError, match="not an hrtui database"):
        open_db(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_migrations_are_recorded_once(tmp_path):
    db = open_store(tmp_path / "org.db", create=True)
    names = [r[0] for r in db.execute_sql("SELECT name FROM schema_migration")]
    assert names == [m.name for m in migrate_mod.available()]
    assert migrate_mod.upgrade(db, tmp_path / "org.db") == []
    db.close()


def test_newer_schema_is_refused_and_unchanged(tmp_path):
    path = tmp_path / "org.db"
    db = open_store(path, create=True)
    db.execute_sql("INSERT INTO schema_migration (name, applied_at) VALUES ('9999_from_the_future', 'x')")
    db.close()
    before = path.read_bytes()
    with pytest.raises(UserError, match="9999_from_the_future is newer"):
        open_store(path)
    assert path.read_bytes() == before


def test_fixture_of_first_schema_upgrades_with_data_intact(tmp_path, monkeypatch):
    """Every released schema has a fixture DB; upgrading it keeps every row. A later migration is simulated here
    (added in a copy of migrations/) so the runner's backup and record keeping are exercised too."""
    src = FIXTURES / "schema_0001.db"
    path = tmp_path / "old.db"
    shutil.copyfile(src, path)
    os.chmod(path, 0o600)
    mig = tmp_path / "migrations"
    shutil.copytree(migrate_mod.migrations_dir(), mig, ignore=shutil.ignore_patterns("__pycache__"))
    (mig / "0999_add_nickname.py").write_text(
        "def up(db, migrator):\n    db.execute_sql(\"ALTER TABLE employee ADD COLUMN nickname TEXT NOT NULL DEFAULT ''\")\n")
    monkeypatch.setattr(migrate_mod, "migrations_dir", lambda: mig)

    raw = open_db(path, bind=False)
    before = {t: raw.execute_sql(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("employee", "score", "department", "user", "attendance", "training_record")}
    raw.close()
    assert before["employee"] > 0 and before["score"] > 0

    db = open_store(path)
    after = {t: db.execute_sql(f"SELECT count(*) FROM {t}").fetchone()[0] for t in before}
    assert after == before
    assert db.execute_sql("SELECT count(*) FROM employee WHERE nickname = ''").fetchone()[0] == before["employee"]
    applied = [r[0] for r in db.execute_sql("SELECT name FROM schema_migration ORDER BY name")]
    assert applied[-1] == "0999_add_nickname"
    backups = list(tmp_path.glob("old.db.pre-*.bak"))
    assert len(backups) == 1 and stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    db.close()
