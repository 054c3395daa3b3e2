"""Helpers for the import tests: files in every encoding and shape, and fingerprints that prove a DB unchanged.

(No tests here; the other test_import* modules import these.)
"""
from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

TABLES = ("department", "position", "position_requirement", "dimension", "employee", "name_key", "score",
          "attendance", "leave", "training_course", "training_record", "project", "assignment", "salary", "audit")


def write_csv(path: Path, rows: list[list], *, encoding: str = "utf-8", delimiter: str = ",", bom: bool = False) -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    data = buf.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def write_xlsx(path: Path, rows: list[list], *, formats: dict[str, str] | None = None, sheet: str = "Sheet1",
               before: list[list] | None = None) -> Path:
    """An XLSX workbook: `rows` on `sheet` (after `before` rows, e.g. a title); formats {"C2": "0%"}."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in (before or []) + rows:
        ws.append(r)
    for ref, fmt in (formats or {}).items():
        ws[ref].number_format = fmt
    wb.save(path)
    return path


def fingerprint() -> str:
    """A hash of every row of every data table (a change anywhere changes it)."""
    from hrtui.store.db import database

    h = hashlib.sha256()
    for table in TABLES:
        exists = database.execute_sql("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone()
        if not exists:
            continue
        for row in sorted(map(repr, database.execute_sql(f"SELECT * FROM {table}"))):
            h.update(row.encode())
        h.update(table.encode())
    return h.hexdigest()


def count(table: str, where: str = "1", params=()) -> int:
    from hrtui.store.db import database

    return database.execute_sql(f"SELECT count(*) FROM {table} WHERE {where}", params).fetchone()[0]


def score_of(number: str, dim: str, month: str):
    from hrtui.store.db import database

    row = database.execute_sql(
        "SELECT s.value FROM score s JOIN employee e ON e.id = s.employee_id JOIN dimension d ON d.id = s.dimension_id"
        " WHERE e.number = ? AND d.code = ? AND s.month = ?", (number, dim, month)).fetchone()
    return row[0] if row else None


def run(actor, kind: str, path: Path, **options):
    from hrtui.transfer.engine import Options, run_import

    return run_import(actor, kind, path, Options(**options))


def lines(report, lang: str = "en") -> list[str]:
    return [e.line(lang) for e in report.errors]
