"""The real `hrtui` command in subprocesses: demo, init, and one clear line for every bad input."""
from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest


def hrtui(*args, env_extra=None, input_text=None):
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "hrtui", *args], capture_output=True, text=True, env=env,
                          input=input_text, timeout=120)


def one_line_error(proc, code=1):
    assert proc.returncode == code, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hrtui: "), proc.stderr
    assert "Traceback" not in proc.stderr
    return lines[0]


def test_version():
    proc = hrtui("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("hrtui ")


def test_demo_prints_accounts_and_is_private(tmp_path):
    path = tmp_path / "x.db"
    proc = hrtui("demo", "--no-tui", "--employees", "50", "--db", str(path))
    assert proc.returncode == 0, proc.stderr
    for account in ("admin", "hr.sales", "hr.rd", "mgr.sales", "emp.sales"):
        assert account in proc.stdout
    assert "password: demo" in proc.stdout
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.db"]


def test_demo_goes_to_the_default_private_data_dir(isolated_env):
    proc = hrtui("demo", "--no-tui", "--employees", "30")
    assert proc.returncode == 0, proc.stderr
    data = isolated_env / "data" / "hrtui"
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert (data / "hrtui.db").exists()
    proc = hrtui("demo", "--no-tui", "--employees", "30")
    assert "already exists" in one_line_error(proc)


def test_demo_is_deterministic_for_a_seed(tmp_path):
    outs = []
    for name in ("a.db", "b.db"):
        proc = hrtui("demo", "--no-tui", "--employees", "40", "--seed", "11", "--db", str(tmp_path / name))
        assert proc.returncode == 0
        outs.append(proc.stdout.split("planted stories:")[1])
    assert outs[0] == outs[1]
    from hrtui.store.db import open_db

    dumps = []
    for name in ("a.db", "b.db"):
        con = open_db(tmp_path / name, bind=False)
        dumps.append(con.execute_sql("SELECT group_concat(number || name_zh || coalesce(overall_score, ''), ',') "
                                     "FROM (SELECT * FROM employee ORDER BY number)").fetchone())
        con.close()
    assert dumps[0] == dumps[1]


@pytest.mark.parametrize("count", ["0", "-5", "many"])
def test_bad_employee_counts_are_usage_errors(tmp_path, count):
    proc = hrtui("demo", "--no-tui", "--employees", count, "--db", str(tmp_path / "x.db"))
    line = one_line_error(proc, code=2)
    assert "--employees" in line and "(see: hrtui demo --help)" in line
    assert list(tmp_path.iterdir()) == []


def test_usage_errors_are_one_line_and_an_unknown_command_lists_them_all():
    assert "required: KIND, FILE" in one_line_error(hrtui("--db", "x.db", "import"), code=2)
    line = one_line_error(hrtui("frobnicate"), code=2)
    assert "invalid choice: 'frobnicate'" in line and all(c in line for c in ("'demo'", "'import'", "'backup'"))


def test_bad_settings_and_dates_are_one_line(tmp_path, isolated_env):
    path = tmp_path / "x.db"
    assert hrtui("demo", "--no-tui", "--employees", "20", "--db", str(path)).returncode == 0
    env = {"HRTUI_PASSWORD": "demo"}
    line = one_line_error(hrtui("portrait", "E000001", "--db", str(path), "--user", "admin",
                                env_extra={**env, "HRTUI_TODAY": "garbage"}))
    assert line == "hrtui: HRTUI_TODAY must be a date like 2026-12-01, got 'garbage'"
    settings = isolated_env / "config" / "hrtui" / "settings.toml"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text("[plans]\nmidterm_days = 200\n", encoding="utf-8")
    line = one_line_error(hrtui("remind", "--db", str(path), "--user", "admin", env_extra=env))
    assert line == f"hrtui: settings file {settings}: [plans] midterm_days must not exceed deadline_days"


def test_bad_paths_and_files(tmp_path):
    line = one_line_error(hrtui("--db", str(tmp_path / "missing" / "x.db"), "--user", "admin"))
    assert "does not exist" in line
    junk = tmp_path / "junk.db"
    junk.write_bytes(os.urandom(4096))
    os.chmod(junk, 0o600)
    before = junk.read_bytes()
    line = one_line_error(hrtui("--db", str(junk), "--user", "admin", env_extra={"HRTUI_PASSWORD": "demo"}))
    assert "not an hrtui database" in line
    assert junk.read_bytes() == before
    ro = tmp_path / "ro"
    ro.mkdir(mode=0o500)
    if os.geteuid() != 0:  # root writes anywhere; the check only means something for ordinary users
        line = one_line_error(hrtui("demo", "--no-tui", "--db", str(ro / "x.db")))
        assert "not writable" in line or "Permission" in line


def test_login_refusals(tmp_path):
    path = tmp_path / "x.db"
    assert hrtui("demo", "--no-tui", "--employees", "20", "--db", str(path)).returncode == 0
    before = path.read_bytes()
    env = {"HRTUI_PASSWORD": "wrong"}
    assert "wrong password for 'admin'" in one_line_error(hrtui("--db", str(path), "--user", "admin", env_extra=env))
    assert "unknown user 'ghost'" in one_line_error(hrtui("--db", str(path), "--user", "ghost", env_extra=env))
    line = one_line_error(hrtui("--db", str(path), "--user", "admin", input_text=""))
    assert "no password" in line
    os.chmod(path, 0o640)
    assert "chmod 600" in one_line_error(hrtui("--db", str(path), "--user", "admin", env_extra=env))


def test_an_empty_file_is_no_database_and_init_fills_it_encrypted(tmp_path):
    empty = tmp_path / "z.db"
    empty.touch(mode=0o600)
    line = one_line_error(hrtui("--db", str(empty), "--user", "admin", env_extra={"HRTUI_PASSWORD": "demo"}))
    assert "is empty, not an hrtui database" in line
    assert empty.stat().st_size == 0                                    # not turned into a plain SQLite file
    proc = hrtui("init", "--admin", "root.hr", "--db", str(empty), env_extra={"HRTUI_PASSWORD": "s3cret-pass"})
    assert proc.returncode == 0, proc.stderr
    assert not empty.read_bytes().startswith(b"SQLite format 3")      # encrypted like any new database
    assert stat.S_IMODE(empty.stat().st_mode) == 0o600


def test_init_creates_an_empty_organisation(tmp_path):
    path = tmp_path / "org.db"
    proc = hrtui("init", "--admin", "root.hr", "--db", str(path), env_extra={"HRTUI_PASSWORD": "s3cret-pass"})
    assert proc.returncode == 0, proc.stderr
    from hrtui.store.db import open_db

    con = open_db(path, bind=False)
    assert con.execute_sql("SELECT count(*) FROM dimension").fetchone()[0] == 8
    assert con.execute_sql("SELECT name, role FROM user").fetchall() == [("root.hr", "admin")]
    assert con.execute_sql("SELECT count(*) FROM employee").fetchone()[0] == 0
    con.close()
    again = hrtui("init", "--admin", "x", "--db", str(path), env_extra={"HRTUI_PASSWORD": "s3cret-pass"})
    assert "already holds an organisation" in one_line_error(again)
    short = hrtui("init", "--admin", "x", "--db", str(tmp_path / "b.db"), env_extra={"HRTUI_PASSWORD": "abc"})
    assert "too short" in one_line_error(short)
    assert not (tmp_path / "b.db").exists()


def test_hrtui_alone_reopens_the_default_database_as_the_last_account(isolated_env):
    """After `hrtui demo`, `hrtui` alone opens the same database as the account that last logged in there."""
    assert hrtui("demo", "--no-tui", "--employees", "20").returncode == 0
    # no OS account named like the login, no --user: the last account that logged in from here is used
    first = hrtui("audit", "verify", "--user", "admin", env_extra={"HRTUI_PASSWORD": "demo"})
    assert first.returncode == 0, first.stderr
    again = hrtui("audit", "verify", env_extra={"HRTUI_PASSWORD": "demo", "USER": "nobody-here", "LOGNAME": "nobody-here"})
    assert again.returncode == 0, again.stderr
    stranger = hrtui("audit", "verify", env_extra={"HRTUI_PASSWORD": "demo", "USER": "x", "LOGNAME": "x",
                                                   "XDG_CONFIG_HOME": str(isolated_env / "other")})
    assert "no account for OS user" in one_line_error(stranger)


def test_a_damaged_or_busy_database_is_one_line(demo_db, tmp_path):
    from hrtui.store.db import database

    env = {"HRTUI_PASSWORD": "demo"}
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    damaged = tmp_path / "damaged.db"
    data = bytearray(demo_db.read_bytes())
    data[38 * 4096 + 100] ^= 0xFF  # one flipped byte inside an encrypted page: its MAC no longer matches
    damaged.write_bytes(bytes(data))
    os.chmod(damaged, 0o600)
    line = one_line_error(hrtui("--db", str(damaged), "--user", "hr.sales", "attention", env_extra=env))
    assert "cannot be read" in line and "restore it from a backup" in line
    # Another writer holds the database past the 5 s busy timeout: the login's write gives up with one line.
    database.execute_sql("BEGIN EXCLUSIVE")
    try:
        line = one_line_error(hrtui("--db", str(demo_db), "--user", "hr.sales", "attention", env_extra=env))
    finally:
        database.execute_sql("ROLLBACK")
    assert "busy" in line


def test_ctrl_c_inside_a_long_statement_reads_as_interrupted():
    # SQLite stops a statement on Ctrl+C (a progress handler, or interrupt()) with OperationalError("interrupted"):
    # the command line says "interrupted" and exits 130, as for Ctrl+C anywhere else.
    import threading

    from sqlcipher3 import dbapi2

    from hrtui.cli import _database_trouble

    con = dbapi2.connect(":memory:")
    threading.Timer(0.05, con.interrupt).start()
    with pytest.raises(dbapi2.OperationalError) as caught:
        con.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n").fetchone()
    assert _database_trouble(caught.value) == ("interrupted", 130)
    assert _database_trouble(ValueError("interrupted")) is None
