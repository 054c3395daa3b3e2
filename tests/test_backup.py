"""Backups, verify and restore (issue 7): round trip, --weekly and --keep, tampering, truncation, wrong keys,
schema checks, the standard `age` tool, and the private temp folder that a killed process cannot leave behind."""
from __future__ import annotations

import datetime as _dt
import hashlib
import io
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hrtui.crypto import age
from hrtui.errors import UserError
from hrtui.store import keystore
from hrtui.store.db import database, open_db
from hrtui.transfer import backup as bk

FIXTURES = Path(__file__).parent / "fixtures"


# -- helpers ---------------------------------------------------------------------------------------------------------
def hrtui(*args, env_extra=None, timeout=180):
    env = dict(os.environ, HRTUI_PASSWORD="demo", **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "hrtui", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=timeout)


def one_line_error(proc) -> str:
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hrtui: "), proc.stderr
    assert "Traceback" not in proc.stderr
    return lines[0]


LOGIN_BOOKKEEPING = {"user": {"last_login"}}  # every CLI login stamps it; it is not data a restore may touch


def contents(path: Path, skip=("audit",)) -> dict[str, str]:
    """A digest of every table's rows (the audit log and login stamps apart), in a stable order."""
    db = open_db(path, bind=False)
    try:
        names = [r[0] for r in db.execute_sql(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        out = {}
        for name in names:
            if name in skip:
                continue
            cols = [r[1] for r in db.execute_sql(f'PRAGMA table_info("{name}")')
                    if r[1] not in LOGIN_BOOKKEEPING.get(name, ())]
            listed = ", ".join(f'"{c}"' for c in cols)
            rows = sorted(repr(row) for row in db.execute_sql(f'SELECT {listed} FROM "{name}"'))
            out[name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        return out
    finally:
        db.close()


def audit_rows(path: Path) -> list[tuple]:
    db = open_db(path, bind=False)
    try:
        return db.execute_sql("SELECT seq, actor, action, record, detail, hash FROM audit ORDER BY seq").fetchall()
    finally:
        db.close()


@pytest.fixture
def identity(tmp_path) -> tuple[Path, str]:
    path = tmp_path / "id.txt"
    recipient = age.write_new_identity(path)
    return path, recipient


@pytest.fixture
def admin(actor_of):
    return actor_of("admin")


def make_backup(admin, demo_db, recipient, when="2026-11-27T18:00", **kw):
    return bk.run_backup(admin, demo_db, recipients=[recipient], now=_dt.datetime.fromisoformat(when), **kw)


def no_leftovers(*folders: Path) -> None:
    for folder in folders:
        left = [p.name for p in folder.iterdir() if p.name.startswith(bk.TEMP_PREFIX) or p.name.endswith(".part")]
        assert left == [], f"left behind in {folder}: {left}"


# -- backup --------------------------------------------------------------------------------------------------------
def test_backup_verify_restore_round_trip(demo_db, admin, identity):
    id_path, recipient = identity
    out = make_backup(admin, demo_db, recipient)
    assert out.path.name == "demo-20261127T180000.db.age" and out.path.parent == demo_db.parent / "backups"
    assert stat.S_IMODE(out.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(out.path.parent.stat().st_mode) == 0o700
    assert out.path.read_bytes().startswith(b"age-encryption.org/v1\n")
    no_leftovers(out.path.parent, demo_db.parent)
    before = contents(demo_db)

    info = bk.verify_backup(admin, demo_db, out.path, identities=bk.identities_for([id_path]))
    assert info.employees == 240 and info.pending == ()

    # change the live data after the backup: the restore must bring back exactly the backed-up rows
    database.execute_sql("UPDATE employee SET email = 'changed@example' WHERE number = 'E000001'")
    assert contents(demo_db) != before
    old_salt = keystore.salt_of(demo_db)
    result = bk.restore(admin, demo_db, out.path, identities=bk.identities_for([id_path]))
    assert contents(demo_db) == before
    assert result.aside is not None and result.aside.name.startswith("demo.db.before-restore-")
    assert stat.S_IMODE(result.aside.stat().st_mode) == 0o600 and stat.S_IMODE(demo_db.stat().st_mode) == 0o600
    assert keystore.salt_of(result.aside) == old_salt != keystore.salt_of(demo_db)  # a new key for the new file
    assert contents(result.aside)["employee"] != before["employee"]  # the aside copy is the pre-restore database
    assert not Path(f"{demo_db}-wal").exists() or Path(f"{demo_db}-wal").stat().st_size == 0
    no_leftovers(demo_db.parent)
    actions = [r[2] for r in audit_rows(demo_db)]
    assert actions[-1] == "backup.restore"
    from hrtui.access import audit

    open_db(demo_db)  # rebind: the restored database goes on working as the live one
    try:
        assert audit.verify() == []
    finally:
        database.close()


def test_weekly_is_a_noop_within_the_iso_week_and_keep_prunes_the_oldest(demo_db, admin, identity):
    _, r = identity
    first = make_backup(admin, demo_db, r, "2026-11-23T09:00")  # Monday, ISO week 48
    again = make_backup(admin, demo_db, r, "2026-11-27T18:00", weekly=True)  # Friday, same week
    assert again.path is None and again.existing.path == first.path
    later = make_backup(admin, demo_db, r, "2026-11-30T18:00", weekly=True)  # Monday, week 49
    assert later.path is not None
    third = make_backup(admin, demo_db, r, "2026-12-04T18:00", keep=2)
    folder = first.path.parent
    assert [b.path for b in bk.list_backups(folder, "demo")] == [later.path, third.path]
    assert third.pruned == [first.path] and not first.path.exists()


def test_backup_cli_weekly_keep_and_settings(demo_db, identity, isolated_env):
    _, r = identity
    folder = demo_db.parent / "elsewhere"
    settings = isolated_env / "config" / "hrtui" / "settings.toml"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(f'[backup]\ndir = "{folder}"\nrecipients = ["{r}"]\nkeep = 2\n', encoding="utf-8")
    common = ("--db", demo_db, "--user", "admin")
    for when in ("2026-11-16T18:00", "2026-11-20T18:00", "2026-11-27T18:00"):
        proc = hrtui("backup", *common, "--now", when)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.startswith("backup written: ")
    assert sorted(p.name for p in folder.glob("*.age")) == ["demo-20261120T180000.db.age",
                                                           "demo-20261127T180000.db.age"]
    proc = hrtui("backup", *common, "--weekly", "--now", "2026-11-28T07:00")
    assert proc.returncode == 0 and "nothing to do" in proc.stdout
    proc = hrtui("backup", *common, "--weekly")  # HRTUI_TODAY=2026-11-30: a new ISO week
    assert proc.returncode == 0 and "backup written" in proc.stdout, proc.stderr
    assert len(list(folder.glob("*.age"))) == 2
    actions = [r[2] for r in audit_rows(demo_db)]
    assert actions.count("backup.run") == 4


def test_backup_refusals_are_one_line(demo_db, identity):
    _, r = identity
    common = ("--db", demo_db)
    assert "no backup recipients" in one_line_error(hrtui("backup", *common, "--user", "admin"))
    assert "may not write backup" in one_line_error(hrtui("backup", *common, "--user", "hr.sales", "--to", r))
    assert "backup recipient" in one_line_error(hrtui("backup", *common, "--user", "admin", "--to", "age1nope"))
    assert "--now" in one_line_error(hrtui("backup", *common, "--user", "admin", "--to", r, "--now", "Friday"))
    assert hrtui("backup", *common, "--keep", "-1").returncode == 2


def test_a_running_backup_holds_the_folder(demo_db, admin, identity):
    _, r = identity
    folder = demo_db.parent / "backups"
    folder.mkdir(mode=0o700)
    with bk._folder_lock(folder):
        with pytest.raises(bk.UserError, match="another backup is running"):
            make_backup(admin, demo_db, r)


# -- tampering, truncation, wrong keys ---------------------------------------------------------------------------------
def flipped(src: Path, dst: Path, offset: int) -> Path:
    data = bytearray(src.read_bytes())
    data[offset] ^= 0x01
    dst.write_bytes(bytes(data))
    return dst


def test_one_flipped_byte_anywhere_changes_nothing(demo_db, admin, identity, tmp_path):
    """Header, every payload chunk, the last byte: verify and restore refuse; the data stays exactly as it was."""
    id_path, r = identity
    good = make_backup(admin, demo_db, r).path
    ids = bk.identities_for([id_path])
    data = good.read_bytes()
    header_end = data.index(b"\n---") + 1
    payload = header_end + data[header_end:].index(b"\n") + 1 + 16  # after the MAC line and the nonce
    chunk = 64 * 1024 + 16
    offsets = [5, header_end + 10, payload - 5]  # version line, stanza/MAC line, nonce
    offsets += list(range(payload + 100, len(data) - 1, chunk))  # one byte inside every chunk
    offsets.append(len(data) - 1)
    before, audit_before = contents(demo_db), audit_rows(demo_db)
    salt = keystore.salt_of(demo_db)
    for n, offset in enumerate(offsets):
        bad = flipped(good, tmp_path / f"bad{n}.db.age", offset)
        with pytest.raises(bk.RestoreRefused):
            bk.verify_backup(admin, demo_db, bad, identities=ids)
        with pytest.raises(bk.RestoreRefused):
            bk.restore(admin, demo_db, bad, identities=ids)
        bad.unlink()
    assert len(offsets) > 10
    assert contents(demo_db) == before and keystore.salt_of(demo_db) == salt
    after = audit_rows(demo_db)
    assert after[: len(audit_before)] == audit_before
    added = [r[2] for r in after[len(audit_before):]]
    assert added == ["backup.verify.failed", "backup.restore.refused"] * len(offsets)
    no_leftovers(demo_db.parent)
    assert sorted(p.name for p in demo_db.parent.iterdir() if p.name.startswith("demo.db.before")) == []


@pytest.mark.parametrize("damage", ["header", "first-chunk", "middle", "last-byte", "truncated", "wrong-key",
                                    "empty"])
def test_cli_verify_and_restore_fail_with_one_line_and_change_nothing(demo_db, admin, identity, tmp_path, damage):
    id_path, r = identity
    good = make_backup(admin, demo_db, r).path
    data = good.read_bytes()
    bad = tmp_path / "bad.db.age"
    key = id_path
    if damage == "truncated":
        bad.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        bad.write_bytes(b"")
    elif damage == "wrong-key":
        shutil.copyfile(good, bad)
        key = tmp_path / "other.txt"
        age.write_new_identity(key)
    else:
        offset = {"header": 30, "first-chunk": data.index(b"\n---") + 200, "middle": len(data) // 2,
                  "last-byte": len(data) - 1}[damage]
        flipped(good, bad, offset)
    database.close()  # the subprocess must be able to take the database
    before, audit_before = contents(demo_db), audit_rows(demo_db)
    common = ("--db", demo_db, "--user", "admin", "-i", key)
    line = one_line_error(hrtui("verify", bad, *common))
    assert line.startswith("hrtui: verify failed: bad.db.age: ")
    line = one_line_error(hrtui("restore", bad, *common))
    assert line.startswith("hrtui: restore refused: bad.db.age: ") and line.endswith("nothing was changed")
    if damage == "wrong-key":
        assert "no identity matches" in line
    assert contents(demo_db) == before
    after = audit_rows(demo_db)
    assert after[: len(audit_before)] == audit_before
    assert [r[2] for r in after[len(audit_before):]] == ["backup.verify.failed", "backup.restore.refused"]
    assert "bad.db.age" in after[-1][3] and "reason" in after[-1][4]
    no_leftovers(demo_db.parent)


def test_not_a_backup_and_a_newer_schema_are_refused(demo_db, admin, identity, tmp_path):
    id_path, r = identity
    ids = bk.identities_for([id_path])
    junk = tmp_path / "junk.age"
    with open(junk, "wb") as out:
        age.encrypt(io.BytesIO(b"not a database" * 100), out, [r])
    with pytest.raises(bk.RestoreRefused, match="not an hrtui backup"):
        bk.restore(admin, demo_db, junk, identities=ids)

    good = make_backup(admin, demo_db, r).path
    plain = tmp_path / "plain.db"
    age.decrypt_to_path(good, plain, ids)
    import sqlcipher3

    conn = sqlcipher3.connect(str(plain))
    conn.execute("INSERT INTO schema_migration (name, applied_at) VALUES ('9999_from_the_future', 'x')")
    conn.commit()
    conn.close()
    future = tmp_path / "future.db.age"
    age.encrypt_to_path(plain, future, [r])
    before = contents(demo_db)
    with pytest.raises(bk.RestoreRefused, match="newer than this hrtui knows"):
        bk.restore(admin, demo_db, future, identities=ids)
    assert contents(demo_db) == before
    reasons = [r[4] for r in audit_rows(demo_db) if r[2] == "backup.restore.refused"]
    assert reasons == ['{"reason":"not-a-backup"}', '{"reason":"newer-schema"}']


def test_a_backup_of_an_older_schema_is_migrated_on_restore(demo_db, admin, identity, tmp_path):
    id_path, r = identity
    old = FIXTURES / "schema_0001.db"
    packed = tmp_path / "old.db.age"
    age.encrypt_to_path(old, packed, [r])
    counts_before = {}
    import sqlcipher3

    conn = sqlcipher3.connect(str(old))
    for t in ("employee", "score", "department", "user"):
        counts_before[t] = conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
    conn.close()
    ids = bk.identities_for([id_path])
    info = bk.verify_backup(admin, demo_db, packed, identities=ids)
    assert info.pending and info.schema == "0001_initial"
    bk.restore(admin, demo_db, packed, identities=ids)
    db = open_db(demo_db, bind=False)
    try:
        from hrtui.store.migrate import available

        applied = [r[0] for r in db.execute_sql("SELECT name FROM schema_migration ORDER BY name")]
        assert applied == [m.name for m in available()]
        assert {t: db.execute_sql(f"SELECT count(*) FROM {t}").fetchone()[0] for t in counts_before} == counts_before
    finally:
        db.close()


def test_restore_refuses_while_another_program_has_the_database_open(demo_db, admin, identity):
    id_path, r = identity
    good = make_backup(admin, demo_db, r).path
    other = open_db(demo_db, bind=False)
    other.execute_sql("SELECT count(*) FROM employee").fetchone()
    before = contents(demo_db)
    salt = keystore.salt_of(demo_db)
    keys_before = set(keystore.keystore_dir().iterdir())
    try:
        with pytest.raises(bk.UserError, match="open in another hrtui session"):
            bk.restore(admin, demo_db, good, identities=bk.identities_for([id_path]))
    finally:
        other.close()
    assert keystore.salt_of(demo_db) == salt and contents(demo_db) == before
    assert set(keystore.keystore_dir().iterdir()) == keys_before  # the unused new key was removed
    no_leftovers(demo_db.parent)


def test_restore_onto_a_new_machine_checks_the_account_in_the_backup(demo_db, admin, identity, tmp_path):
    id_path, r = identity
    good = make_backup(admin, demo_db, r).path
    before = contents(demo_db)
    target = tmp_path / "fresh" / "hrtui.db"
    target.parent.mkdir(mode=0o700)
    proc = hrtui("restore", good, "--db", target, "--user", "hr.sales", "-i", id_path)
    assert "may not write backup" in one_line_error(proc)
    assert not target.exists() and list(target.parent.iterdir()) == []
    proc = hrtui("restore", good, "--db", target, "--user", "admin", "-i", id_path)
    assert proc.returncode == 0, proc.stderr
    assert "restored" in proc.stdout and "kept as" not in proc.stdout
    assert contents(target) == before and stat.S_IMODE(target.stat().st_mode) == 0o600


def test_cli_round_trip_with_the_default_identity(demo_db, identity, isolated_env):
    id_path, r = identity
    default = isolated_env / "config" / "hrtui" / "identity.txt"
    default.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(id_path, default)
    os.chmod(default, 0o600)
    database.close()
    before = contents(demo_db)
    common = ("--db", demo_db, "--user", "admin")
    proc = hrtui("backup", *common, "--to", r)
    assert proc.returncode == 0, proc.stderr
    made = Path(proc.stdout.split("backup written: ")[1].split(" (")[0])
    proc = hrtui("verify", made, *common)
    assert proc.returncode == 0 and proc.stdout.startswith("ok: ") and "240 employees" in proc.stdout, proc.stderr
    proc = hrtui("restore", made, *common)
    assert proc.returncode == 0, proc.stderr
    assert "the previous database is kept as" in proc.stdout
    assert contents(demo_db) == before


# -- the standard age tool ----------------------------------------------------------------------------------------------
def test_the_backup_opens_with_the_standard_age_tool(demo_db, admin, identity, tmp_path):
    if shutil.which("age") is None:
        pytest.skip("the `age` command is not installed (Debian: apt-get install age)")
    id_path, r = identity
    good = make_backup(admin, demo_db, r).path
    out = tmp_path / "plain.sqlite"
    proc = subprocess.run(["age", "-d", "-i", str(id_path), "-o", str(out), str(good)], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes()[:16] == b"SQLite format 3\x00"
    import sqlcipher3

    conn = sqlcipher3.connect(str(out))
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM employee").fetchone()[0] == 240
    conn.close()


# -- the janitor: no plaintext survives a killed process ---------------------------------------------------------------
def test_private_temp_folder_is_removed_when_its_process_is_killed(tmp_path):
    code = (
        "import os, sys, time\n"
        "from pathlib import Path\n"
        "from hrtui.transfer.backup import PrivateTemp\n"
        "tmp = PrivateTemp(Path(sys.argv[1])).__enter__()\n"
        "f = tmp.file('plain.db'); f.write_bytes(b'secret')\n"
        "extra = Path(sys.argv[1]) / 'x.part'; extra.write_bytes(b'x'); tmp.add(extra)\n"
        "print(tmp.path, flush=True)\n"
        "time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    folder = Path(proc.stdout.readline().strip())
    assert folder.is_dir() and stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "plain.db").stat().st_mode) == 0o600
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while (folder.exists() or (tmp_path / "x.part").exists()) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not folder.exists() and not (tmp_path / "x.part").exists()


def test_stale_temp_folders_of_dead_processes_are_swept(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f"{bk.TEMP_PREFIX}{dead.stdout.strip()}-abc"
    stale.mkdir()
    (stale / "plain.db").write_bytes(b"x")
    alive = tmp_path / f"{bk.TEMP_PREFIX}{os.getpid()}-def"
    alive.mkdir()
    assert bk.sweep_stale(tmp_path) == [stale]
    assert not stale.exists() and alive.exists()


def test_backup_settings_are_read_and_checked(isolated_env):
    from hrtui import config

    path = isolated_env / "config" / "hrtui" / "settings.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[backup]\ndir = "~/bk"\nrecipients = "age1abc"\nkeep = 4\nidentity = "~/id.txt"\n')
    s = config.load_backup_settings()
    assert s.dir == isolated_env / "bk" and s.recipients == ["age1abc"] and s.keep == 4
    assert s.identity == isolated_env / "id.txt"
    path.write_text("[backup]\nkeep = -2\n")
    with pytest.raises(ValueError, match="keep"):
        config.load_backup_settings()
    path.write_text("[backup]\nrecipients = [1, 2]\n")
    with pytest.raises(ValueError, match="recipients"):
        config.load_backup_settings()


def test_status_reports_the_week_and_fridays(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    for name in ("hrtui-20261120T180000.db.age", "hrtui-20261127T180000.db.age", "other-20261130T180000.db.age",
                 "hrtui-20261127T180000.db.age.part", "notes.txt"):
        (folder / name).write_bytes(b"x" * 10)
    from hrtui import config

    settings = config.BackupSettings(dir=folder)
    friday = bk.status(tmp_path / "hrtui.db", settings, _dt.date(2026, 11, 27))
    assert [b.path.name for b in friday.backups] == ["hrtui-20261120T180000.db.age", "hrtui-20261127T180000.db.age"]
    assert friday.is_friday and friday.done_this_week and not friday.overdue and friday.age_days == 0
    monday = bk.status(tmp_path / "hrtui.db", settings, _dt.date(2026, 11, 30))
    assert monday.overdue and not monday.is_friday and monday.age_days == 3 and monday.week == (2026, 49)


def test_restore_keeps_a_copy_aside_where_hard_links_are_not_supported(demo_db, admin, identity, monkeypatch):
    id_path, r = identity
    good = make_backup(admin, demo_db, r).path
    before = contents(demo_db)
    database.execute_sql("UPDATE employee SET email = 'aside@example' WHERE number = 'E000002'")
    live = contents(demo_db)

    def no_links(src, dst):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    result = bk.restore(admin, demo_db, good, identities=bk.identities_for([id_path]))
    assert contents(demo_db) == before
    assert contents(result.aside) == live and stat.S_IMODE(result.aside.stat().st_mode) == 0o600
    no_leftovers(demo_db.parent)


# -- --now and --keep, an empty schema history ---------------------------------------------------------------------
def test_now_outside_the_years_that_make_sense_is_refused(demo_db, identity):
    _, r = identity
    common = ("--db", demo_db, "--user", "admin", "--to", r, "--now")
    for when in ("0001-01-01T00:00", "1999-12-31T23:59", "2100-01-01T00:00"):
        assert "--now must be between 2000 and 2099" in one_line_error(hrtui("backup", *common, when))
    assert not (demo_db.parent / "backups").exists()


def test_keep_never_prunes_the_backup_just_written(demo_db, identity):
    _, r = identity
    common = ("--db", demo_db, "--user", "admin", "--to", r)
    for when in ("2026-11-20T18:00", "2027-01-08T18:00"):
        assert hrtui("backup", *common, "--now", when).returncode == 0
    folder = demo_db.parent / "backups"
    proc = hrtui("backup", *common, "--now", "2026-11-27T18:00", "--keep", "2")  # older than the 2027 one
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in folder.glob("*.age")) == ["demo-20261127T180000.db.age",
                                                           "demo-20270108T180000.db.age"]
    proc = hrtui("backup", *common, "--now", "2026-11-29T18:00", "--keep", "1")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].startswith(f"backup written: {folder / 'demo-20261129T180000.db.age'} (")
    assert [p.name for p in folder.glob("*.age")] == ["demo-20261129T180000.db.age"]
    assert sorted(proc.stdout.splitlines()[1:]) == [f"pruned: {folder / n}" for n in (
        "demo-20261127T180000.db.age", "demo-20270108T180000.db.age")]


@pytest.mark.parametrize("where,what", [("1", "is empty"), ("name = '0003_salary'", "has gaps")])
def test_a_backup_with_a_broken_schema_history_is_refused(demo_db, admin, identity, tmp_path, where, what):
    id_path, r = identity
    good = make_backup(admin, demo_db, r).path
    plain = tmp_path / "plain.db"
    age.decrypt_to_path(good, plain, bk.identities_for([id_path]))
    import sqlcipher3

    conn = sqlcipher3.connect(str(plain))
    conn.execute(f"DELETE FROM schema_migration WHERE {where}")
    conn.commit()
    conn.close()
    bad = tmp_path / "empty.db.age"
    age.encrypt_to_path(plain, bad, [r])
    database.close()
    before, audit_before = contents(demo_db), audit_rows(demo_db)
    common = ("--db", demo_db, "--user", "admin", "-i", id_path)
    assert one_line_error(hrtui("verify", bad, *common)) == (
        f"hrtui: verify failed: empty.db.age: not an hrtui backup (its schema_migration table {what})")
    assert one_line_error(hrtui("restore", bad, *common)) == (
        f"hrtui: restore refused: empty.db.age: not an hrtui backup (its schema_migration table {what}); "
        "nothing was changed")
    assert contents(demo_db) == before
    added = audit_rows(demo_db)[len(audit_before):]
    assert [(a[2], a[3], a[4]) for a in added] == [("backup.verify.failed", "empty.db.age", '{"reason":"bad-schema"}'),
                                                   ("backup.restore.refused", "empty.db.age",
                                                    '{"reason":"bad-schema"}')]
    no_leftovers(demo_db.parent)


def test_a_restore_keeps_the_key_wrapped_with_the_passphrase_when_it_was(demo_db, admin, identity, monkeypatch):
    id_path, recipient = identity
    out = make_backup(admin, demo_db, recipient)
    old_key = keystore.key_path(keystore.salt_of(demo_db))
    before = old_key.read_text()
    monkeypatch.setattr(keystore, "_unlocked_with", None)  # (put back after the test: no passphrase outlives it)
    monkeypatch.setenv("HRTUI_KEY_PASSPHRASE", "correct horse")
    try:
        keystore.protect(demo_db, "correct horse")
        assert keystore.is_protected(demo_db)
        bk.restore(admin, demo_db, out.path, identities=bk.identities_for([id_path]))
        new_key = keystore.key_path(keystore.salt_of(demo_db))
        assert new_key != old_key and keystore.is_protected(demo_db)  # not a plain key beside the new file
        monkeypatch.setenv("HRTUI_KEY_PASSPHRASE", "wrong")
        keystore._unlocked_with = None  # as in a new process
        with pytest.raises(UserError, match="wrong passphrase"):
            keystore.key_for(demo_db)
        monkeypatch.setenv("HRTUI_KEY_PASSPHRASE", "correct horse")
        open_db(demo_db)  # the restored database opens with the passphrase
        assert database.execute_sql("SELECT count(*) FROM employee").fetchone()[0] == 240
        database.close()
    finally:
        old_key.write_text(before)
        os.chmod(old_key, 0o600)


def test_a_restore_through_a_symbolic_link_replaces_the_database_it_points_to(demo_db, admin, identity, tmp_path):
    id_path, recipient = identity
    out = make_backup(admin, demo_db, recipient)
    before = contents(demo_db)
    database.execute_sql("UPDATE employee SET email = 'changed@example' WHERE number = 'E000001'")
    link = tmp_path / "elsewhere" / "hr.db"
    link.parent.mkdir(mode=0o700)
    link.symlink_to(demo_db)
    bk.restore(admin, link, out.path, identities=bk.identities_for([id_path]))
    assert link.is_symlink() and link.resolve() == demo_db.resolve()
    assert contents(demo_db) == before  # the real database is the restored one
    assert not [p for p in link.parent.iterdir() if p != link]  # nothing built or set aside beside the link
