"""Encrypted exports (issue 7): the acting user's scope only, always encrypted, JSON or a zip of CSVs."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from hrtui.crypto import age
from hrtui.store.db import database
from hrtui.transfer import export as ex


def hrtui(*args, timeout=180):
    env = dict(os.environ, HRTUI_PASSWORD="demo")
    return subprocess.run([sys.executable, "-m", "hrtui", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=timeout)


@pytest.fixture
def identity(tmp_path):
    path = tmp_path / "id.txt"
    return path, age.write_new_identity(path)


def decrypt(path: Path, id_path: Path | None = None, passphrase: str | None = None) -> bytes:
    out = io.BytesIO()
    with open(path, "rb") as f:
        age.decrypt(f, out, age.parse_identity_file(id_path) if id_path else None, passphrase=passphrase)
    return out.getvalue()


def numbers_of(department: str) -> list[str]:
    return [r[0] for r in database.execute_sql(
        "SELECT e.number FROM employee e JOIN department d ON d.id = e.department_id WHERE d.code = ?", (department,))]


def secrets() -> list[str]:
    """Texts that must never leave in an export: password hashes and account names other than people's."""
    return [r[0] for r in database.execute_sql("SELECT password_hash FROM user")]


def test_json_export_of_hr_sales_holds_sales_only(demo_db, identity, tmp_path):
    id_path, r = identity
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "sales.json.age"
    proc = hrtui("export", out, "--db", demo_db, "--user", "hr.sales", "--to", r)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"export written: {out} (json")
    assert out.read_bytes().startswith(b"age-encryption.org/v1\n")
    assert [p.name for p in folder.iterdir()] == ["sales.json.age"]  # no plaintext, no .part
    text = decrypt(out, id_path).decode("utf-8")
    doc = json.loads(text)
    assert doc["format"] == "hrtui-export" and doc["exported_by"] == "hr.sales"
    assert doc["scope"] == {"role": "hr", "departments": ["SALES"]}
    employees = doc["tables"]["employee"]
    sales = numbers_of("SALES")
    assert sorted(e["number"] for e in employees) == sorted(sales)
    assert {e["department_code"] for e in employees} == {"SALES"}
    assert [d["code"] for d in doc["tables"]["department"]] == ["SALES"]
    assert doc["counts"]["score"] == len(doc["tables"]["score"]) > 0
    assert {s["employee_number"] for s in doc["tables"]["score"]} <= set(sales)
    for key in ("attendance", "leave", "training_record"):
        assert doc["tables"][key] and {row["employee_number"] for row in doc["tables"][key]} <= set(sales)
    rd = numbers_of("RD")
    assert rd and not [n for n in rd if n in text], "an RD employee number leaked into hr.sales' export"
    for other in ("RD", "OPS", "CS", "FIN"):
        assert f'"{other}"' not in text
    assert "user" not in doc["tables"] and "audit" not in doc["tables"]
    assert not [s for s in secrets() if s in text]
    entry = database.execute_sql("SELECT actor, action, record, detail FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    assert entry[:3] == ("hr.sales", "export", "sales.json.age")
    assert json.loads(entry[3])["rows"]["employee"] == len(sales)
    names = [r[0] for r in database.execute_sql("SELECT name_en FROM employee")]
    assert not [n for n in names if n and n in entry[3]]  # counts only, never employee text


def test_csv_export_is_a_zip_of_bom_csvs_in_scope(demo_db, identity, tmp_path):
    id_path, r = identity
    out = tmp_path / "rd.zip.age"
    proc = hrtui("export", out, "--format", "csv", "--db", demo_db, "--user", "hr.rd", "--to", r)
    assert proc.returncode == 0, proc.stderr
    archive = zipfile.ZipFile(io.BytesIO(decrypt(out, id_path)))
    assert archive.testzip() is None
    names = archive.namelist()
    assert "employee.csv" in names and "score.csv" in names and "manifest.json" in names
    assert "user.csv" not in names
    sales = numbers_of("SALES")
    for name in names:
        raw = archive.read(name)
        if name.endswith(".csv"):
            assert raw.startswith("\ufeff".encode("utf-8")), f"{name} lacks the UTF-8 BOM"
        text = raw.decode("utf-8-sig")
        assert not [n for n in sales if n in text], f"a SALES employee number leaked into {name}"
    rows = list(csv.DictReader(io.StringIO(archive.read("employee.csv").decode("utf-8-sig"))))
    assert sorted(row["number"] for row in rows) == sorted(numbers_of("RD"))
    assert {row["department_code"] for row in rows} == {"RD"}
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in row["name_zh"]) for row in rows)  # Chinese survives
    projects = list(csv.DictReader(io.StringIO(archive.read("project.csv").decode("utf-8-sig"))))
    assert projects and {p["department_code"] for p in projects} == {"RD"}
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["counts"]["employee"] == len(rows) and manifest["scope"]["departments"] == ["RD"]


def test_passphrase_export(demo_db, tmp_path):
    secret = tmp_path / "pass.txt"
    secret.write_text("correct horse battery staple\n")
    os.chmod(secret, 0o600)
    out = tmp_path / "all.json.age"
    proc = hrtui("export", out, "--db", demo_db, "--user", "admin", "--passphrase-file", secret)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(decrypt(out, passphrase="correct horse battery staple"))
    assert len(doc["tables"]["employee"]) == 240 and doc["scope"] == {"role": "admin"}


def test_export_opens_with_the_age_command(demo_db, identity, tmp_path):
    if shutil.which("age") is None:
        pytest.skip("the `age` command is not installed (Debian: apt-get install age)")
    id_path, r = identity
    out = tmp_path / "x.json.age"
    assert hrtui("export", out, "--db", demo_db, "--user", "admin", "--to", r).returncode == 0
    proc = subprocess.run(["age", "-d", "-i", str(id_path), str(out)], capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)["tables"]["employee"]) == 240


def test_export_refusals(demo_db, identity, tmp_path):
    _, r = identity
    out = tmp_path / "x.age"
    for user in ("mgr.sales", "emp.sales"):
        proc = hrtui("export", out, "--db", demo_db, "--user", user, "--to", r)
        assert proc.returncode == 1 and "may not read export" in proc.stderr
    proc = hrtui("export", out, "--db", demo_db, "--user", "admin")
    assert proc.returncode == 2  # encryption is not optional: --to or --passphrase-file is required
    out.write_text("keep me")
    proc = hrtui("export", out, "--db", demo_db, "--user", "admin", "--to", r)
    assert proc.returncode == 1 and "already exists" in proc.stderr and out.read_text() == "keep me"
    assert hrtui("export", out, "--db", demo_db, "--user", "admin", "--to", r, "--force").returncode == 0
    proc = hrtui("export", tmp_path / "y.age", "--db", demo_db, "--user", "admin", "--to", "age1bad")
    assert proc.returncode == 1 and len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "y.age").exists() and not (tmp_path / "y.age.part").exists()


def test_in_process_export_streams_and_cleans_up_on_failure(demo_db, actor_of, identity, tmp_path, monkeypatch):
    _, r = identity
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "z.age"

    def broken(table, params):
        yield [("E1",) * len(table.columns)]
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(ex, "_rows", broken)
    with pytest.raises(RuntimeError):
        ex.export(actor_of("admin"), out, recipients=[r])
    assert list(folder.iterdir()) == []


def test_spreadsheet_formulas_are_defused_in_csv_text_cells():
    assert ex._cell("=HYPERLINK(\"x\")", False) == "'=HYPERLINK(\"x\")"
    assert ex._cell("+86 10", False) == "'+86 10"
    assert ex._cell("@SUM(A1)", False) == "'@SUM(A1)"
    assert ex._cell(-3.5, True) == "-3.5" and ex._cell(None, False) == "" and ex._cell("张伟", False) == "张伟"


def test_force_never_replaces_the_database_a_key_or_a_device(demo_db, identity, tmp_path, session_keystore):
    """--force replaces an earlier export, never the live database (by any name), a key file, a folder, a link or
    a device; each refusal is one line and leaves the target byte for byte as it was."""
    _, r = identity
    database.execute_sql("SELECT count(*) FROM employee").fetchone()  # the -wal exists while the DB is open
    key = next(session_keystore.glob("*.key"))
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (tmp_path / "link.age").symlink_to(victim)
    os.link(demo_db, tmp_path / "hard.db")
    (tmp_path / "folder").mkdir()
    targets = {demo_db: "open database", Path(f"{demo_db}-wal"): "open database", tmp_path / "hard.db":
               "open database", key: "keystore", session_keystore / "new.age": "keystore",
               tmp_path / "link.age": "not a regular file", tmp_path / "folder": "not a regular file",
               Path("/dev/full"): "not a regular file", Path("/dev/null"): "not a regular file"}
    before = {p: p.read_bytes() for p in (demo_db, key, victim)}
    for target, why in targets.items():
        proc = hrtui("export", target, "--db", demo_db, "--user", "admin", "--to", r, "--force")
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 1 and len(lines) == 1 and why in lines[0], (target, proc.stderr)
        assert not Path(f"{target}.part").exists()
    assert {p: p.read_bytes() for p in before} == before
    assert not (session_keystore / "new.age").exists() and (tmp_path / "link.age").is_symlink()
    assert numbers_of("SALES")  # the database still opens with its key


def test_a_stale_part_link_is_replaced_not_followed(demo_db, identity, tmp_path):
    id_path, r = identity
    victim = tmp_path / "victim.db"
    victim.write_bytes(b"precious")
    out = tmp_path / "x.age"
    Path(f"{out}.part").symlink_to(victim)
    proc = hrtui("export", out, "--db", demo_db, "--user", "admin", "--to", r)
    assert proc.returncode == 0, proc.stderr
    assert victim.read_bytes() == b"precious" and not Path(f"{out}.part").exists()
    assert out.stat().st_mode & 0o777 == 0o600 and json.loads(decrypt(out, id_path))["format"] == "hrtui-export"
