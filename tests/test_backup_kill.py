"""kill -9 in the middle of a backup or a restore, with the real `hrtui` process on a larger demo database.

A killed backup leaves no final-named file and no plaintext anywhere (the janitor process removes the private temp
folder and the .part); a killed restore leaves the database whole, and it is either the old one or the restored one.
"""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hrtui.crypto import age
from hrtui.store import keystore
from hrtui.store.db import open_db
from hrtui.transfer.backup import SUFFIX, TEMP_PREFIX

EMPLOYEES = 4000  # ~85 MB: each phase lasts long enough to be hit on purpose
MARK = "kill-test-marker@example"


def hrtui_cmd(*args) -> list[str]:
    return [sys.executable, "-m", "hrtui", *map(str, args)]


def env() -> dict:
    return dict(os.environ, HRTUI_PASSWORD="demo")


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """A larger demo database, an identity, and one backup of it; the live copy then gets a marker row change."""
    folder = tmp_path_factory.mktemp("big")
    os.chmod(folder, 0o700)
    db = folder / "big.db"
    proc = subprocess.run(hrtui_cmd("demo", "--no-tui", "--employees", EMPLOYEES, "--db", db), env=env(),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    ident = folder / "id.txt"
    recipient = age.write_new_identity(ident)
    proc = subprocess.run(hrtui_cmd("backup", "--db", db, "--user", "admin", "--to", recipient, "--dir",
                                    folder / "made"), env=env(), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    backup = next((folder / "made").glob(f"*{SUFFIX}"))
    return {"folder": folder, "db": db, "identity": ident, "recipient": recipient, "backup": backup}


def run_until(cmd: list[str], ready, timeout: float = 120) -> subprocess.Popen:
    """Start cmd; SIGKILL it as soon as ready() is true. Returns the (killed) process."""
    proc = subprocess.Popen(cmd, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    while not ready():
        if proc.poll() is not None:
            pytest.fail(f"the process ended before the kill point: {proc.stderr.read().decode()}")
        assert time.monotonic() < deadline, "kill point never reached"
        time.sleep(0.001)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    return proc


def temp_folders(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX)]


def wait_clean(*folders: Path, timeout: float = 15) -> None:
    """The janitor needs a moment after the kill; then no temp folder and no .part may remain."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = [p for f in folders for p in f.iterdir() if p.name.startswith(TEMP_PREFIX) or p.name.endswith(".part")]
        if not left:
            return
        time.sleep(0.05)
    pytest.fail(f"left behind after kill -9: {left}")


def no_plaintext(*folders: Path) -> None:
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                with open(path, "rb") as f:
                    assert f.read(16) != b"SQLite format 3\x00", f"plaintext database left at {path}"


@pytest.mark.parametrize("point", ["export", "encrypt"])
def test_kill_during_backup_leaves_no_final_file_and_no_plaintext(big, tmp_path, point):
    out = tmp_path / "backups"
    out.mkdir(mode=0o700)
    if point == "export":
        ready = lambda: any((p / "backup.db").exists() and (p / "backup.db").stat().st_size > 1 << 20  # noqa: E731
                            for p in temp_folders(out))
    else:
        ready = lambda: any(p.name.endswith(".part") and p.stat().st_size > 1 << 20  # noqa: E731
                            for p in out.iterdir())
    run_until(hrtui_cmd("backup", "--db", big["db"], "--user", "admin", "--to", big["recipient"], "--dir", out,
                        "--now", "2026-11-27T18:00"), ready)
    wait_clean(out)
    assert list(out.glob(f"*{SUFFIX}")) == []
    no_plaintext(out, big["folder"])
    # the lock died with the process: the next backup runs, and opens with the identity
    proc = subprocess.run(hrtui_cmd("backup", "--db", big["db"], "--user", "admin", "--to", big["recipient"],
                                    "--dir", out, "--now", "2026-11-27T18:00"), env=env(), capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    [made] = out.glob(f"*{SUFFIX}")
    assert made.name == "big-20261127T180000.db.age"


def _marker_state(db: Path) -> str:
    conn = open_db(db, bind=False)
    try:
        assert conn.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute_sql("SELECT count(*) FROM employee").fetchone()[0] == EMPLOYEES
        marked = conn.execute_sql("SELECT count(*) FROM employee WHERE email = ?", (MARK,)).fetchone()[0]
        return "old" if marked else "new"
    finally:
        conn.close()


@pytest.mark.parametrize("point", ["decrypt", "check", "rebuild", "aside", "swapped", "0.4s", "0.9s", "1.4s"])
def test_kill_during_restore_leaves_the_old_or_the_new_database_whole(big, tmp_path, point):
    import shutil

    db = tmp_path / "live.db"
    shutil.copyfile(big["db"], db)
    os.chmod(db, 0o600)
    conn = open_db(db, bind=False)
    conn.execute_sql("UPDATE employee SET email = ? WHERE number = 'E000001'", (MARK,))
    conn.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    assert _marker_state(db) == "old"
    keys_before = set(keystore.keystore_dir().iterdir())

    def stage(name: str, at_least: int = 1 << 20):
        def ready() -> bool:
            for p in temp_folders(tmp_path):
                with contextlib.suppress(FileNotFoundError):
                    if (p / name).stat().st_size >= at_least:
                        return True
            return False
        return ready

    # the decrypted copy is the backup less ~0.03 % (header, 16-byte tags): within 64 KiB means decryption is done
    decrypted = stage("restore-plain.db", big["backup"].stat().st_size - (64 << 10))

    if point.endswith("s"):
        start = time.monotonic()
        delay = float(point[:-1])
        ready = lambda: time.monotonic() - start >= delay  # noqa: E731
    else:
        inode = db.stat().st_ino
        ready = {"decrypt": stage("restore-plain.db"), "check": decrypted, "rebuild": stage("restore-new.db"),
                 # the old file linked aside: the rename onto the live name comes next
                 "aside": lambda: any(tmp_path.glob("live.db.before-restore-*")),
                 # renamed: the new database is live, the process has not finished (the key must survive)
                 "swapped": lambda: db.stat().st_ino != inode}[point]
    cmd = hrtui_cmd("restore", big["backup"], "--db", db, "--user", "admin", "-i", big["identity"], "--yes")
    proc = subprocess.Popen(cmd, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    finished = False
    while not ready():
        if proc.poll() is not None:
            finished = True  # a timed kill point after the end: the restore completed, which is fine too
            break
        assert time.monotonic() < deadline, "kill point never reached"
        time.sleep(0.001)
    if not finished:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    if point in ("decrypt", "check", "rebuild"):
        assert not finished and proc.returncode == -signal.SIGKILL
    wait_clean(tmp_path)
    no_plaintext(tmp_path)
    state = _marker_state(db)  # opens, passes integrity_check, holds every employee
    keys_after = set(keystore.keystore_dir().iterdir())
    if state == "old":
        assert keys_after == keys_before  # a killed restore leaves no orphan key
    else:
        new_key = keystore.key_path(keystore.salt_of(db))
        assert keys_after == keys_before | {new_key}
    if point in ("decrypt", "check", "rebuild"):
        assert state == "old"
    if point == "swapped":
        assert state == "new"
    # whatever happened, a restore can run again and completes
    proc = subprocess.run(cmd, env=env(), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert _marker_state(db) == "new"
