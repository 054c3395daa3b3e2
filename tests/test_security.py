"""Accounts, the audit chain and data at rest, through the real CLI where a person would use it."""
from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys

import pytest

from hrtui.access import audit
from hrtui.access.actor import MustChangePassword, authenticate, failure_delay
from hrtui.errors import UserError
from hrtui.store.db import database, open_db


def hrtui(*args, password="demo", env_extra=None):
    env = dict(os.environ, **({"HRTUI_PASSWORD": password} if password is not None else {}), **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "hrtui", *args], capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def demo_file(demo_db):
    database.close()
    return demo_db


def test_user_lifecycle_through_the_cli(demo_file):
    db = ["--db", str(demo_file), "--user", "admin"]
    out = hrtui("user", "add", "anna", "--role", "hr", "--department", "CS", *db)
    assert out.returncode == 0, out.stderr
    temp = out.stdout.split("one-time password: ")[1].split()[0]
    # the one-time password works once, and only to set a new one
    first = hrtui("--db", str(demo_file), "--user", "anna", password=temp)
    assert first.returncode == 1 and "hrtui passwd" in first.stderr
    # any command asks for the change; from a script, a new password that is too short is one line
    scripted = hrtui("attention", "--db", str(demo_file), "--user", "anna", password=temp,
                     env_extra={"HRTUI_NEW_PASSWORD": "short"})
    assert scripted.returncode == 1 and len(scripted.stderr.strip().splitlines()) == 1, scripted.stderr
    assert "too short" in scripted.stderr
    short = hrtui("passwd", "--db", str(demo_file), "--user", "anna", password=temp, env_extra={"HRTUI_NEW_PASSWORD": "short"})
    assert short.returncode == 1 and "too short" in short.stderr
    ok = hrtui("passwd", "--db", str(demo_file), "--user", "anna", password=temp,
               env_extra={"HRTUI_NEW_PASSWORD": "a-much-longer-one"})
    assert ok.returncode == 0, ok.stderr
    listing = hrtui("user", "list", *db).stdout
    assert "anna" in listing and "CS" in listing
    assert hrtui("user", "disable", "anna", *db).returncode == 0
    refused = hrtui("audit", "verify", "--db", str(demo_file), "--user", "anna", password="a-much-longer-one")
    assert refused.returncode == 1 and "disabled" in refused.stderr
    assert hrtui("user", "enable", "anna", *db).returncode == 0
    not_admin = hrtui("user", "list", "--db", str(demo_file), "--user", "anna", password="a-much-longer-one")
    assert not_admin.returncode == 1 and "may not read users" in not_admin.stderr


def test_admin_reset_forces_a_change(demo_db):
    from hrtui.access.commands import change_password
    from hrtui.access.passwords import hash_password
    from hrtui.store.models import User

    User.update(password_hash=hash_password("temporary-1"), must_change=1).where(User.name == "hr.rd").execute()
    with pytest.raises(MustChangePassword):
        authenticate("hr.rd", "temporary-1")
    actor = authenticate("hr.rd", "temporary-1", allow_must_change=True)
    change_password(actor, "brand-new-password")
    assert authenticate("hr.rd", "brand-new-password").name == "hr.rd"


def test_stored_passwords_keep_verifying_and_odd_parameters_are_refused():
    import base64

    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    from hrtui.access.passwords import hash_password, verify_password

    # a hash written by the earlier scrypt implementation (cryptography) verifies with today's (hashlib)
    salt = b"0123456789abcdef"
    key = Scrypt(salt=salt, length=32, n=2**14, r=8, p=1).derive("correct horse".encode())
    b64 = lambda b: base64.b64encode(b).decode()  # noqa: E731
    stored = f"scrypt$14$8$1${b64(salt)}${b64(key)}"
    assert verify_password("correct horse", stored) and not verify_password("correct hors", stored)
    assert verify_password("密码很长的一句话", hash_password("密码很长的一句话"))
    # a tampered row asking for 2^30 × 8 × 128 bytes of memory is a failed login, not an out-of-memory crash
    assert not verify_password("correct horse", f"scrypt$30$8$1${b64(salt)}${b64(key)}")
    assert not verify_password("correct horse", "bcrypt$whatever")


def test_failures_slow_down_after_five(demo_db):
    assert [failure_delay(n) for n in range(8)] == [0, 0, 0, 0, 0, 1, 2, 4]
    assert failure_delay(40) == 60
    waits = []
    for _ in range(6):
        with pytest.raises(UserError, match="wrong password"):
            authenticate("hr.sales", "guess", sleep=waits.append)
    assert waits == [1.0]  # the sixth attempt waited
    assert authenticate("hr.sales", "demo", sleep=waits.append).name == "hr.sales"
    assert waits == [1.0, 2.0]
    assert authenticate("hr.sales", "demo", sleep=waits.append) and waits == [1.0, 2.0]  # reset after success


def test_audit_chain_finds_an_edited_deleted_or_reordered_entry(demo_file):
    path = str(demo_file)
    for i in range(4):
        assert hrtui("user", "reset", "hr.rd", "--db", path, "--user", "admin").returncode == 0
    assert hrtui("audit", "verify", "--db", path, "--user", "admin").returncode == 0

    def tamper(*statements):
        raw = open_db(demo_file, bind=False)
        raw.execute_sql("DROP TRIGGER IF EXISTS audit_no_update")
        raw.execute_sql("DROP TRIGGER IF EXISTS audit_no_delete")
        for sql in statements:
            raw.execute_sql(sql)
        raw.close()

    backup = demo_file.with_name("keep.db")
    shutil.copyfile(demo_file, backup)
    tamper("UPDATE audit SET detail = detail || ' ' WHERE seq = 2")
    out = hrtui("audit", "verify", "--db", path, "--user", "admin")
    assert out.returncode == 1 and "audit entry 2" in out.stderr and "edited" in out.stderr

    shutil.copyfile(backup, demo_file)
    tamper("DELETE FROM audit WHERE seq = 3")
    out = hrtui("audit", "verify", "--db", path, "--user", "admin")
    assert out.returncode == 1 and "audit entry 4" in out.stderr and "missing" in out.stderr

    shutil.copyfile(backup, demo_file)
    tamper("UPDATE audit SET seq = -2 WHERE seq = 2", "UPDATE audit SET seq = 2 WHERE seq = 3",
           "UPDATE audit SET seq = 3 WHERE seq = -2")
    out = hrtui("audit", "verify", "--db", path, "--user", "admin")
    assert out.returncode == 1 and "audit entry 2" in out.stderr


def test_audit_log_refuses_update_and_delete(demo_db):
    audit.record("admin", "test.write", "x")
    with pytest.raises(Exception, match="append-only"):
        database.execute_sql("UPDATE audit SET actor = 'someone' WHERE seq = 1")
    with pytest.raises(Exception, match="append-only"):
        database.execute_sql("DELETE FROM audit")
    assert audit.verify() == []


def test_a_copied_database_alone_is_unreadable(demo_file, tmp_path, monkeypatch):
    copy = tmp_path / "stolen.db"
    shutil.copyfile(demo_file, copy)
    os.chmod(copy, 0o600)
    assert not copy.read_bytes().startswith(b"SQLite format 3")
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(copy).execute("SELECT count(*) FROM sqlite_master").fetchone()
    if shutil.which("sqlite3"):
        proc = subprocess.run(["sqlite3", str(copy), "SELECT count(*) FROM employee"], capture_output=True, text=True)
        assert proc.returncode != 0 and "not a database" in proc.stderr
    # hrtui itself, without the keystore that holds the key (another user, another machine):
    empty = tmp_path / "other-keystore"
    empty.mkdir(mode=0o700)
    out = hrtui("--db", str(copy), "--user", "admin", env_extra={"HRTUI_KEYSTORE": str(empty)})
    assert out.returncode == 1 and "its key is not in" in out.stderr and "Traceback" not in out.stderr
    # ... and with it, the copy opens like the original
    assert hrtui("audit", "verify", "--db", str(copy), "--user", "admin").returncode == 0


def test_key_file_must_be_private(demo_file):
    key_file = hrtui("key", "path", "--db", str(demo_file)).stdout.strip()
    os.chmod(key_file, 0o644)
    try:
        out = hrtui("audit", "verify", "--db", str(demo_file), "--user", "admin")
        assert out.returncode == 1 and f"chmod 600 {key_file}" in out.stderr
    finally:
        os.chmod(key_file, 0o600)


def test_key_protected_by_a_passphrase(demo_file):
    path = str(demo_file)
    key_file = hrtui("key", "path", "--db", path).stdout.strip()
    before = open(key_file).read()
    try:
        out = hrtui("key", "protect", "--db", path, env_extra={"HRTUI_NEW_KEY_PASSPHRASE": "correct horse"})
        assert out.returncode == 0, out.stderr
        assert "BEGIN AGE ENCRYPTED FILE" in open(key_file).read()
        assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
        wrong = hrtui("audit", "verify", "--db", path, "--user", "admin", env_extra={"HRTUI_KEY_PASSPHRASE": "nope"})
        assert wrong.returncode == 1 and "wrong passphrase" in wrong.stderr
        right = hrtui("audit", "verify", "--db", path, "--user", "admin",
                      env_extra={"HRTUI_KEY_PASSPHRASE": "correct horse"})
        assert right.returncode == 0, right.stderr
        assert hrtui("key", "unprotect", "--db", path, env_extra={"HRTUI_KEY_PASSPHRASE": "correct horse"}).returncode == 0
        assert hrtui("audit", "verify", "--db", path, "--user", "admin").returncode == 0
    finally:
        with open(key_file, "w") as f:
            f.write(before)


def test_migrate_encrypts_a_plain_database(tmp_path):
    from tests.test_store import FIXTURES

    plain = tmp_path / "old.db"
    shutil.copyfile(FIXTURES / "schema_0001.db", plain)
    os.chmod(plain, 0o600)
    assert plain.read_bytes().startswith(b"SQLite format 3")
    out = hrtui("migrate", "--db", str(plain))
    assert out.returncode == 0, out.stderr
    assert "encrypted" in out.stdout
    assert not plain.read_bytes().startswith(b"SQLite format 3")
    copies = list(tmp_path.glob("old.db.pre-*.bak"))  # the plain safety copy is named, and said to be plain
    assert len(copies) == 1 and f"{copies[0]} is the copy taken before migrating, NOT encrypted" in out.stdout
    db = open_db(plain, bind=False)
    assert db.execute_sql("SELECT count(*) FROM employee").fetchone()[0] == 30
    db.close()


def test_a_password_checked_while_the_tui_loads_counts_even_if_loading_is_interrupted(demo_db):
    from hrtui.store.models import User

    def interrupted():
        raise KeyboardInterrupt

    with pytest.raises(UserError, match="wrong password"):
        authenticate("hr.sales", "guess", meanwhile=interrupted)     # Ctrl+C while Textual loads
    assert User.get(User.name == "hr.sales").failed_logins == 1
    assert database.execute_sql("SELECT count(*) FROM audit WHERE action = 'login.failed'").fetchone()[0] == 1
    with pytest.raises(KeyboardInterrupt):                             # right password: the interrupt goes on
        authenticate("hr.sales", "demo", meanwhile=interrupted)
    loaded = []
    assert authenticate("hr.sales", "demo", meanwhile=lambda: loaded.append(1)).name == "hr.sales" and loaded


def test_the_strongest_accepted_scrypt_cost_fits_what_openssl_takes():
    from hrtui.access import passwords

    assert passwords._memory(2**20, 8, 1) + 2**20 <= 2**31 - 1         # N=2^20 hashes stay verifiable
    assert passwords._memory(2**20, 16, 1) > passwords._MAX_MEMORY       # … and 2 GiB ones are refused outright


def test_an_interview_summary_file_is_private_and_never_written_through_a_link(demo_file, actor_of, tmp_path):
    from hrtui.domain import interview as iv
    from hrtui.store import open_store

    open_store(demo_file)
    session = iv.start_or_resume(actor_of("hr.sales"), "E000013")
    iv.end(actor_of("hr.sales"), session.id, 60.0, [])
    database.close()
    args = ["interview", "summary", "E000013", "--db", str(demo_file), "--user", "hr.sales"]
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    (tmp_path / "link.md").symlink_to(victim)
    size = demo_file.stat().st_size
    for target in (tmp_path / "link.md", demo_file):
        out = hrtui(*args, "-o", str(target))
        assert out.returncode == 1 and len(out.stderr.strip().splitlines()) == 1, out.stderr
        assert victim.read_text() == "keep me\n" and demo_file.stat().st_size >= size   # the database is still one
    out = hrtui(*args, "-o", str(tmp_path / "s.md"))
    assert out.returncode == 0, out.stderr
    assert stat.S_IMODE((tmp_path / "s.md").stat().st_mode) == 0o600 and "E000013" in (tmp_path / "s.md").read_text()
