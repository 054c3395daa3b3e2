"""Plain CSV files in the import's own layout, one per kind, of what an actor may see.

`write_kind(actor, "scores", path)` writes the file that `import scores` reads back into the same data: headers
are the kinds' canonical English column names, references are business keys (employee number, department code,
dimension code…), numbers are written so they parse back to the same float. It is the import's round-trip partner
(tests, and seeding one organisation from another); the user-facing export (`hrtui export`) encrypts its output.
Files are UTF-8 with a BOM (spreadsheets read Chinese right) and created 0600: they hold HR data.
"""
from __future__ import annotations

import csv
import os
from pathlib import Path

from hrtui.access.actor import Actor, scope_sql
from hrtui.store.db import database
from hrtui.transfer.files import create_private
from hrtui.transfer.kinds import KINDS, ORDER


def _queries(actor: Actor) -> dict[str, tuple[str, list]]:
    scope, sp = scope_sql(actor, "e")
    scoped = f"SELECT e.id FROM employee e WHERE {scope}"
    depts = f"SELECT e.department_id FROM employee e WHERE {scope}"
    return {
        "dimensions": ("SELECT code, NULL, name_zh, name_en, unit, direction, scale_min, scale_max FROM dimension "
                       "ORDER BY sort, code", []),
        "departments": ("SELECT code, NULL, name_zh, name_en FROM department"
                        + ("" if actor.role == "admin" else f" WHERE id IN ({depts})") + " ORDER BY code",
                        [] if actor.role == "admin" else sp),
        "positions": ("SELECT p.code, NULL, p.name_zh, p.name_en, d.code, p.is_manager FROM position p "
                      "LEFT JOIN department d ON d.id = p.department_id"
                      + ("" if actor.role == "admin" else f" WHERE p.department_id IN ({depts})") + " ORDER BY p.code",
                      [] if actor.role == "admin" else sp),
        "requirements": ("SELECT p.code, dm.code, r.value FROM position_requirement r "
                         "JOIN position p ON p.id = r.position_id JOIN dimension dm ON dm.id = r.dimension_id"
                         + ("" if actor.role == "admin" else f" WHERE p.department_id IN ({depts})")
                         + " ORDER BY p.code, dm.sort", [] if actor.role == "admin" else sp),
        "courses": ("SELECT c.code, NULL, c.name_zh, c.name_en, c.mandatory, dm.code, c.hours FROM training_course c "
                    "LEFT JOIN dimension dm ON dm.id = c.dimension_id ORDER BY c.code", []),
        "employees": (f"SELECT e.number, NULL, e.name_zh, e.name_en, d.code, p.code, m.number, e.hire_date, e.status, "
                      f"e.email FROM employee e LEFT JOIN department d ON d.id = e.department_id "
                      f"LEFT JOIN position p ON p.id = e.position_id LEFT JOIN employee m ON m.id = e.manager_id "
                      f"WHERE {scope} ORDER BY e.number", sp),
        "projects": ("SELECT pr.code, NULL, pr.name_zh, pr.name_en, d.code FROM project pr "
                     "LEFT JOIN department d ON d.id = pr.department_id"
                     + ("" if actor.role == "admin" else f" WHERE pr.department_id IN ({depts})")
                     + " ORDER BY pr.code", [] if actor.role == "admin" else sp),
        "scores": (f"SELECT e.number, NULL, dm.code, s.month, s.value FROM score s "
                   f"JOIN employee e ON e.id = s.employee_id JOIN dimension dm ON dm.id = s.dimension_id "
                   f"WHERE {scope} ORDER BY e.number, dm.sort, s.month", sp),
        "attendance": (f"SELECT e.number, NULL, a.month, a.scheduled_days, a.attended_days, a.leave_days "
                       f"FROM attendance a JOIN employee e ON e.id = a.employee_id WHERE {scope} "
                       f"ORDER BY e.number, a.month", sp),
        "leave": (f"SELECT e.number, NULL, l.kind, l.start_date, l.end_date, l.days FROM leave l "
                  f"JOIN employee e ON e.id = l.employee_id WHERE {scope} ORDER BY e.number, l.start_date, l.kind",
                  sp),
        "training": (f"SELECT e.number, NULL, c.code, t.due_date, t.completed_date FROM training_record t "
                     f"JOIN employee e ON e.id = t.employee_id JOIN training_course c ON c.id = t.course_id "
                     f"WHERE {scope} ORDER BY e.number, c.code", sp),
        "hours": (f"SELECT e.number, NULL, pr.code, a.month, a.hours FROM assignment a "
                  f"JOIN employee e ON e.id = a.employee_id JOIN project pr ON pr.id = a.project_id "
                  f"WHERE a.employee_id IN ({scoped}) ORDER BY e.number, a.month, pr.code", sp),
        "salary": (f"SELECT e.number, NULL, s.month, s.base_cents, s.bonus_cents FROM salary s "
                   f"JOIN employee e ON e.id = s.employee_id WHERE {scope} ORDER BY e.number, s.month", sp),
    }


def _cell(value, column: str) -> str:
    if value is None:
        return ""
    if column in ("base", "bonus"):  # cents -> an amount with two decimals
        return f"{value // 100}.{value % 100:02d}"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def write_kind(actor: Actor, kind: str, path: Path | str) -> int:
    """Write one kind as CSV; returns the number of data rows. (The queries select NULL for the generic "name"
    column, which is left out: zh and en names have their own columns.)"""
    fields = KINDS[kind].fields
    keep = [i for i, fl in enumerate(fields) if fl.key != "name"]
    sql, params = _queries(actor)[kind]
    path = Path(path)
    fd = create_private(path)  # 0600, never through a link
    n = 0
    with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow([fields[i].en for i in keep])
        cursor = database.execute_sql(sql, params)
        while True:
            rows = cursor.fetchmany(2000)
            if not rows:
                break
            out.writerows([_cell(row[i], fields[i].key) for i in keep] for row in rows)
            n += len(rows)
    return n


def write_all(actor: Actor, folder: Path | str) -> dict[str, Path]:
    """Every kind into `folder` as KIND.csv, in the order an import must read them back."""
    folder = Path(folder)
    out = {}
    for kind in ORDER:
        out[kind] = folder / f"{kind}.csv"
        write_kind(actor, kind, out[kind])
    return out
