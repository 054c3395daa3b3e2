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


def _fresh(code: str, demo_db) -> str:
    """Run `code` in a fresh interpreter (where nothing has loaded peewee yet) on a copy of the demo; its stdout."""
    import subprocess
    import sys

    from hrtui.store.db import database

    database.close()  # this process's connection: the child opens its own
    out = subprocess.run([sys.executable, "-c", f"DB = {str(demo_db)!r}\n" + code], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_login_and_first_roster_page_run_without_the_orm_on_the_connection_it_then_adopts(demo_db):
    # A temporary table lives on one connection only: seeing it through the models' transaction proves the ORM took
    # over the very connection the login used, rather than opening a second one.
    out = _fresh("""
import sys
from hrtui.store import open_store
from hrtui.store.db import database
from hrtui.access.actor import authenticate
from hrtui.domain.roster import Roster
open_store(DB)
actor = authenticate("hr.sales", "demo")
rows = Roster(actor, "").page(0, 21)
database.execute_sql("CREATE TEMP TABLE note (x)")
database.execute_sql("INSERT INTO note VALUES (42)")
print("orm before:", "peewee" in sys.modules, len(rows), {r.department_code for r in rows})
from hrtui.store.models import User
with database.atomic():
    last = User.get(User.name == "hr.sales").last_login
    seen = database.execute_sql("SELECT x FROM temp.note").fetchone()[0]
print("orm after:", "peewee" in sys.modules, seen, last is not None)
""", demo_db)
    assert out.splitlines() == ["orm before: False 21 {'SALES'}", "orm after: True 42 True"]


def test_once_the_orm_is_loaded_sql_errors_are_its_own_and_other_threads_have_their_own_connection(demo_db):
    out = _fresh("""
import threading
import peewee
from hrtui.store import open_store
from hrtui.store.db import database
open_store(DB)
database.execute_sql("CREATE TEMP TABLE mine (x)")
try:
    database.execute_sql("INSERT INTO department (id, code, name_zh, name_en) SELECT id, code, name_zh, name_en "
                         "FROM department LIMIT 1")
except peewee.IntegrityError:
    print("integrity error")
seen = []
def other():
    try:
        database.execute_sql("SELECT * FROM temp.mine")
        seen.append("shared")
    except peewee.OperationalError:
        seen.append("own connection")
    seen.append(database.execute_sql("SELECT count(*) FROM department").fetchone()[0] > 0)
t = threading.Thread(target=other); t.start(); t.join()
print(seen)
""", demo_db)
    assert out.splitlines() == ["integrity error", "['own connection', True]"]


def test_a_refused_file_leaves_the_open_database_in_use(demo_db, tmp_path):
    from hrtui.store.db import database

    junk = tmp_path / "notes.db"
    junk.write_bytes(b"these are not the droids" * 100)
    os.chmod(junk, 0o600)
    with pytest.raises(UserError, match="not an hrtui database"):
        open_db(junk)
    assert database.database == str(demo_db)
    assert database.execute_sql("SELECT count(*) FROM employee").fetchone()[0] == 240


def test_sql_before_any_open_says_so_and_a_later_open_works(demo_master, tmp_path):
    copy = tmp_path / "demo.db"
    shutil.copyfile(demo_master, copy)
    os.chmod(copy, 0o600)
    out = _fresh("""
import peewee
from hrtui.errors import UserError
from hrtui.store.db import database, open_db
try:
    database.execute_sql("SELECT 1")
except UserError as exc:
    print(exc)
open_db(DB)
print(database.execute_sql("SELECT count(*) FROM employee").fetchone()[0])
""", copy)
    assert out.splitlines() == ["no database is open", "240"]


def test_another_programs_sqlite_file_is_refused_and_left_byte_for_byte(tmp_path):
    import sqlite3

    path = tmp_path / "invoices.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE invoice (id INTEGER PRIMARY KEY, amount REAL)")
    con.execute("INSERT INTO invoice (amount) VALUES (12.5)")
    con.commit()
    con.close()
    os.chmod(path, 0o600)
    before = path.read_bytes()
    with pytest.raises(UserError, match="another program") as caught:
        open_store(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["invoices.db"]  # no -wal, no pre-migration copy
