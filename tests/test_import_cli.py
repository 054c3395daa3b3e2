"""`hrtui import` as scripts and cron run it: a real process, its output, its exit codes."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.test_import_support import write_csv

HEADER = ["工号", "指标", "月份", "得分"]


def hrtui(*args, user="admin"):
    env = dict(os.environ, HRTUI_PASSWORD="demo")
    return subprocess.run([sys.executable, "-m", "hrtui", *args, "--user", user], capture_output=True, text=True,
                          env=env, timeout=120)


def test_import_scores(demo_db, tmp_path):
    path = write_csv(tmp_path / "s.csv", [HEADER, ["E000001", "CSAT", "2026-03", "85分"],
                                          ["E000002", "客户满意度", "2026年3月", "８５"]], bom=True)
    proc = hrtui("import", "scores", str(path), "--db", str(demo_db))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[:3] == [
        "scores from s.csv (CSV, UTF-8 (BOM), separator ,)",
        "columns: 工号 → employee, 指标 → dimension, 月份 → month, 得分 → score",
        "2 rows: 0 new, 2 updated, 0 unchanged, 0 invalid"]
    again = hrtui("import", "scores", str(path), "--db", str(demo_db))
    assert "2 rows: 0 new, 0 updated, 2 unchanged, 0 invalid" in again.stdout and again.stderr == ""


def test_invalid_rows_fail_with_a_line_each(demo_db, tmp_path):
    path = write_csv(tmp_path / "s.csv", [HEADER, ["E000001", "CSAT", "2026-12", "85"], ["E000002", "CSAT", "2026-03",
                                                                                        "120"]])
    proc = hrtui("import", "scores", str(path), "--db", str(demo_db))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.splitlines() == [
        "row 2, column 月份: month 2026-12 is in the future (today is 2026-11-30)",
        "row 3, column 得分: 120 is outside the scale of Customer satisfaction (CSAT): 0 to 100",
        "hrtui: nothing imported: 2 invalid row(s); fix them, or pass --skip-invalid to import the valid rows"]
    dry = hrtui("import", "scores", str(path), "--db", str(demo_db), "--dry-run", "--lang", "zh")
    assert dry.returncode == 1 and "试运行：未写入任何数据" in dry.stdout
    assert dry.stderr.splitlines()[0] == "第 2 行，列「月份」：月份 2026-12 在未来（今天是 2026-11-30）"
    skip = hrtui("import", "scores", str(path), "--db", str(demo_db), "--skip-invalid")
    assert skip.returncode == 0 and f"2 rejected row(s) written to {path}.rejects.csv" in skip.stdout


@pytest.mark.parametrize("content,message", [
    (b"", "hrtui: s.csv is empty: no header row and no data"),
    (b"a,b\n1,2\n", "hrtui: no known column in the header (found: a, b); scores needs 工号/employee, "
                    "指标/dimension, 月份/month, 得分/score"),
    (b"\xe5\xb7\xa5\xe5\x8f\xb7\n\x80\xff\n", "hrtui: unknown encoding: not UTF-8 (invalid byte at offset 7) and "
                                               "not GB18030/GBK (invalid byte at offset 7); save the file as UTF-8 CSV"),
])
def test_unreadable_files_are_one_line(demo_db, tmp_path, content, message):
    (tmp_path / "s.csv").write_bytes(content)
    proc = hrtui("import", "scores", str(tmp_path / "s.csv"), "--db", str(demo_db))
    assert (proc.returncode, proc.stderr.strip()) == (1, message)


def test_refusals(demo_db, tmp_path):
    path = write_csv(tmp_path / "s.csv", [HEADER, ["E000001", "CSAT", "2026-03", "85"]])
    proc = hrtui("import", "scores", str(path), "--db", str(demo_db), user="mgr.sales")
    assert (proc.returncode, proc.stderr.strip()) == (
        1, "hrtui: mgr.sales is a manager: importing data needs an admin or HR account")
    proc = hrtui("import", "scores", str(path), "--db", str(demo_db), "--layout", "frappe")
    assert proc.stderr.strip() == "hrtui: the frappe layout is an employee list: use it with `import employees`"
    proc = hrtui("import", "payroll", str(path), "--db", str(demo_db))
    assert proc.returncode == 2 and "invalid choice: 'payroll'" in proc.stderr


def test_scope_refusal_for_hr_names_the_row(demo_db, tmp_path):
    path = write_csv(tmp_path / "s.csv", [HEADER, ["E000010", "CSAT", "2026-03", "85"], ["E000100", "CSAT", "2026-03",
                                                                                        "85"]])
    proc = hrtui("import", "scores", str(path), "--db", str(demo_db), user="hr.sales")
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[0] == "row 3, column 工号: no employee 'E000100' in your scope"


def test_xlsx_and_help(demo_db, tmp_path):
    from tests.test_import_support import write_xlsx

    path = write_xlsx(tmp_path / "s.xlsx", [HEADER, ["E000001", "CSAT", 46082, 90]])
    proc = hrtui("import", "scores", str(path), "--db", str(demo_db), "--sheet", "Sheet1")
    assert proc.returncode == 0 and "(XLSX, sheet Sheet1)" in proc.stdout
    helped = subprocess.run([sys.executable, "-m", "hrtui", "import", "--help"], capture_output=True, text=True)
    assert helped.returncode == 0 and "--skip-invalid" in helped.stdout and "--layout" in helped.stdout


def test_reading_csv_needs_neither_textual_nor_openpyxl(demo_db, tmp_path):
    path = write_csv(tmp_path / "s.csv", [HEADER, ["E000001", "CSAT", "2026-03", "85"]])
    code = ("import sys\nfrom hrtui.cli import main\n"
            f"rc = main(['import', 'scores', {str(path)!r}, '--db', {str(demo_db)!r}, '--user', 'admin'])\n"
            "print(rc, 'textual' in sys.modules, 'openpyxl' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=dict(os.environ, HRTUI_PASSWORD="demo"), timeout=120)
    assert proc.stdout.strip().splitlines()[-1] == "0 False False", proc.stderr


def _mixed(tmp_path):
    """One row that would change a score, one invalid row: --skip-invalid imports one and rejects one."""
    folder = tmp_path / "in"  # apart from the database's files
    folder.mkdir()
    return write_csv(folder / "a.csv", [HEADER, ["E000001", "CSAT", "2026-03", "11"],
                                          ["E000002", "CSAT", "2026-03", "120"]])


@pytest.mark.parametrize("in_the_way", ["a.csv.rejects.csv", "a.csv.rejects.csv.part"])
def test_a_rejects_path_in_the_way_is_refused_before_importing(demo_db, tmp_path, in_the_way):
    from tests.test_import_support import fingerprint, score_of

    path = _mixed(tmp_path)
    (path.parent / in_the_way).mkdir()
    assert score_of("E000001", "CSAT", "2026-03") != 11  # the valid row would change something
    before = fingerprint()
    proc = hrtui("import", "scores", str(path), "--db", str(demo_db), "--skip-invalid")
    assert (proc.returncode, proc.stderr.strip()) == (
        1, f"hrtui: {path.parent / in_the_way} exists and is not a regular file, so the rejected rows cannot be "
           "written there; move it away and import again (nothing was imported)")
    assert fingerprint() == before
    assert sorted(p.name for p in path.parent.iterdir()) == sorted(["a.csv", in_the_way])
    zh = hrtui("import", "scores", str(path), "--db", str(demo_db), "--skip-invalid", "--lang", "zh")
    assert zh.returncode == 1 and "不是普通文件" in zh.stderr and len(zh.stderr.strip().splitlines()) == 1


def test_the_rejects_part_never_follows_a_link(demo_db, tmp_path):
    import stat

    from tests.test_import_support import score_of

    path = _mixed(tmp_path)
    victim = path.parent / "victim.db"
    victim.write_bytes(b"precious")
    (path.parent / "a.csv.rejects.csv.part").symlink_to(victim)
    proc = hrtui("import", "scores", str(path), "--db", str(demo_db), "--skip-invalid")
    assert proc.returncode == 0, proc.stderr
    assert victim.read_bytes() == b"precious" and score_of("E000001", "CSAT", "2026-03") == 11
    rejects = path.parent / "a.csv.rejects.csv"
    assert not rejects.is_symlink() and stat.S_IMODE(rejects.stat().st_mode) == 0o600
    assert "120" in rejects.read_text(encoding="utf-8-sig")
    assert sorted(p.name for p in path.parent.iterdir()) == ["a.csv", "a.csv.rejects.csv", "victim.db"]


def test_a_rejects_file_that_cannot_be_placed_rolls_the_import_back(demo_db, actor_of, tmp_path, monkeypatch):
    from hrtui.transfer import engine
    from tests.test_import_support import fingerprint, run

    path = _mixed(tmp_path)
    before = fingerprint()

    def full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(engine.os, "replace", full)
    with pytest.raises(engine.ImportFailure, match="No space left on device"):
        run(actor_of("admin"), "scores", path, skip_invalid=True)
    assert fingerprint() == before and [p.name for p in path.parent.iterdir()] == ["a.csv"]


def test_a_dry_run_from_the_command_line_leaves_the_database_byte_for_byte(demo_db, tmp_path):
    # Not even the login's "last login" is written: a user may check a dry run with sha256sum.
    from hrtui.store.db import database

    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    image = demo_db.read_bytes()
    path = write_csv(tmp_path / "s.csv", [HEADER, ["E000001", "CSAT", "2026-03", "85"]])
    proc = hrtui("import", "scores", str(path), "--db", str(demo_db), "--dry-run", user="hr.sales")
    assert proc.returncode == 0, proc.stderr
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    assert demo_db.read_bytes() == image
    real = hrtui("import", "scores", str(path), "--db", str(demo_db), user="hr.sales")
    assert real.returncode == 0, real.stderr
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    assert demo_db.read_bytes() != image
