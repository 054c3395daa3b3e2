"""Encrypted exports of what the acting user may see.

`export(actor, FILE, fmt="json"|"csv", recipients=[…] | passphrase=…)` writes ONE age file and nothing else:
the serialised data is generated row by row and streamed through age into `FILE.part` (0600), fsynced, renamed.
No plaintext ever reaches the disk.

Scope: every employee row comes through `scope_sql(actor)`; scores, attendance, leave, training records and project
hours are those of the exported employees; departments, positions and projects only as far as those rows refer to
them. Dimensions and training courses are the organisation's shared catalogue. Accounts, password hashes, settings,
the audit log and interview notes are never exported.

json: one document {"format": "hrtui-export", "version": 1, "exported_at", "exported_by", "scope", "tables":
{table: [row objects]}, "counts"}.
csv:  a zip with one CSV per table (UTF-8 with BOM, so spreadsheet programs read Chinese correctly) and
manifest.json. Text cells that a spreadsheet would run as a formula (=, +, -, @ first) get a leading apostrophe.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from hrtui.errors import UserError
from hrtui.transfer.files import atomic_write, check_output

FORMAT_VERSION = 1
_BATCH = 2000


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    sql: str
    numeric: frozenset[str] = frozenset()


def tables(actor) -> list[tuple[Table, list]]:
    """The exported tables in dependency order, each with its SQL parameters, all bound to the actor's scope."""
    from hrtui.access.actor import scope_sql

    scope, sp = scope_sql(actor, "e")
    mscope, mp = scope_sql(actor, "m")
    scoped = f"SELECT e.id FROM employee e WHERE {scope}"
    out = [
        (Table("department", ("code", "name_zh", "name_en"),
               f"SELECT d.code, d.name_zh, d.name_en FROM department d WHERE d.id IN "
               f"(SELECT e.department_id FROM employee e WHERE {scope}) ORDER BY d.code"), sp),
        (Table("position", ("code", "name_zh", "name_en", "department_code", "is_manager"),
               f"SELECT p.code, p.name_zh, p.name_en, d.code, p.is_manager FROM position p "
               f"LEFT JOIN department d ON d.id = p.department_id WHERE p.id IN "
               f"(SELECT e.position_id FROM employee e WHERE {scope}) ORDER BY p.code",
               frozenset({"is_manager"})), sp),
        (Table("dimension", ("code", "name_zh", "name_en", "unit", "direction", "scale_min", "scale_max"),
               "SELECT code, name_zh, name_en, unit, direction, scale_min, scale_max FROM dimension ORDER BY sort, code",
               frozenset({"scale_min", "scale_max"})), []),
        (Table("position_requirement", ("position_code", "dimension_code", "value"),
               f"SELECT p.code, dm.code, r.value FROM position_requirement r JOIN position p ON p.id = r.position_id "
               f"JOIN dimension dm ON dm.id = r.dimension_id WHERE r.position_id IN "
               f"(SELECT e.position_id FROM employee e WHERE {scope}) ORDER BY p.code, dm.sort, dm.code",
               frozenset({"value"})), sp),
        (Table("employee", ("number", "name_zh", "name_en", "department_code", "position_code", "manager_number",
                            "hire_date", "status", "email", "overall_score"),
               f"SELECT e.number, e.name_zh, e.name_en, d.code, p.code, m.number, e.hire_date, e.status, e.email, "
               f"e.overall_score FROM employee e LEFT JOIN department d ON d.id = e.department_id "
               f"LEFT JOIN position p ON p.id = e.position_id "
               f"LEFT JOIN employee m ON m.id = e.manager_id AND {mscope} "  # a manager outside the scope stays blank
               f"WHERE {scope} ORDER BY e.number", frozenset({"overall_score"})), [*mp, *sp]),
        (Table("score", ("employee_number", "dimension_code", "month", "value"),
               f"SELECT e.number, dm.code, s.month, s.value FROM score s JOIN employee e ON e.id = s.employee_id "
               f"JOIN dimension dm ON dm.id = s.dimension_id WHERE {scope} ORDER BY e.number, dm.sort, s.month",
               frozenset({"value"})), sp),
        (Table("attendance", ("employee_number", "month", "scheduled_days", "attended_days", "leave_days"),
               f"SELECT e.number, a.month, a.scheduled_days, a.attended_days, a.leave_days FROM attendance a "
               f"JOIN employee e ON e.id = a.employee_id WHERE {scope} ORDER BY e.number, a.month",
               frozenset({"scheduled_days", "attended_days", "leave_days"})), sp),
        (Table("leave", ("employee_number", "kind", "start_date", "end_date", "days"),
               f"SELECT e.number, l.kind, l.start_date, l.end_date, l.days FROM leave l "
               f"JOIN employee e ON e.id = l.employee_id WHERE {scope} ORDER BY e.number, l.start_date",
               frozenset({"days"})), sp),
        (Table("training_course", ("code", "name_zh", "name_en", "mandatory", "dimension_code", "hours"),
               "SELECT c.code, c.name_zh, c.name_en, c.mandatory, dm.code, c.hours FROM training_course c "
               "LEFT JOIN dimension dm ON dm.id = c.dimension_id ORDER BY c.code",
               frozenset({"mandatory", "hours"})), []),
        (Table("training_record", ("employee_number", "course_code", "due_date", "completed_date"),
               f"SELECT e.number, c.code, t.due_date, t.completed_date FROM training_record t "
               f"JOIN employee e ON e.id = t.employee_id JOIN training_course c ON c.id = t.course_id "
               f"WHERE {scope} ORDER BY e.number, c.code, t.due_date"), sp),
        (Table("project", ("code", "name_zh", "name_en", "department_code"),
               f"SELECT pr.code, pr.name_zh, pr.name_en, d.code FROM project pr "
               f"LEFT JOIN department d ON d.id = pr.department_id WHERE pr.id IN "
               f"(SELECT a.project_id FROM assignment a WHERE a.employee_id IN ({scoped})) ORDER BY pr.code"), sp),
        (Table("assignment", ("employee_number", "project_code", "month", "hours"),
               f"SELECT e.number, pr.code, a.month, a.hours FROM assignment a JOIN employee e ON e.id = a.employee_id "
               f"JOIN project pr ON pr.id = a.project_id WHERE {scope} ORDER BY e.number, a.month, pr.code",
               frozenset({"hours"})), sp),
    ]
    return out


def _rows(table: Table, params: list) -> Iterator[list[tuple]]:
    from hrtui.store.db import database

    cursor = database.execute_sql(table.sql, params)
    while True:
        batch = cursor.fetchmany(_BATCH)
        if not batch:
            return
        yield batch


# -- serialisers: generators of bytes ------------------------------------------------------------------------------
def _json_stream(actor, meta: dict, counts: dict[str, int]) -> Iterator[bytes]:
    dump = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    yield ("{" + ",".join(f"{dump(k)}:{dump(v)}" for k, v in meta.items()) + ',"tables":{').encode("utf-8")
    for t_index, (table, params) in enumerate(tables(actor)):
        counts[table.name] = 0
        yield (("," if t_index else "") + dump(table.name) + ":[").encode("utf-8")
        first = True
        for batch in _rows(table, params):
            parts = []
            for row in batch:
                parts.append(("" if first else ",") + dump(dict(zip(table.columns, row))))
                first = False
            counts[table.name] += len(batch)
            yield "\n".join(parts).encode("utf-8")
        yield b"]"
    yield ('},"counts":' + dump(counts) + "}\n").encode("utf-8")


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value, numeric: bool) -> str:
    if value is None:
        return ""
    if numeric or not isinstance(value, str):
        return repr(value) if isinstance(value, float) else str(value)
    return "'" + value if value.startswith(_FORMULA) else value


class _Sink:
    """The write end zipfile writes to; the generator drains it after each batch."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self._parts = b"".join(self._parts), []
        return data


def _csv_stream(actor, meta: dict, counts: dict[str, int]) -> Iterator[bytes]:
    sink = _Sink()
    stamp = _dt.datetime.now().timetuple()[:6]

    def member(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        return info

    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for table, params in tables(actor):
            counts[table.name] = 0
            text = io.TextIOWrapper(zf.open(member(f"{table.name}.csv"), "w", force_zip64=True),
                                    encoding="utf-8-sig", newline="")
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(table.columns)
            numeric = [c in table.numeric for c in table.columns]
            for batch in _rows(table, params):
                writer.writerows([_cell(v, n) for v, n in zip(row, numeric)] for row in batch)
                counts[table.name] += len(batch)
                text.flush()
                yield sink.take()
            text.close()
            yield sink.take()
        zf.writestr(member("manifest.json"), json.dumps({**meta, "counts": counts}, ensure_ascii=False, indent=2) + "\n")
    yield sink.take()


class _GeneratorReader(io.RawIOBase):
    """A readable stream over a generator of byte chunks, so age.encrypt can pull what is being serialised."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buf = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._buf:
            try:
                self._buf = memoryview(next(self._chunks))
            except StopIteration:
                return 0
        n = min(len(buffer), len(self._buf))
        buffer[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n


# -- the export --------------------------------------------------------------------------------------------------------
@dataclass
class ExportResult:
    path: Path
    size: int
    counts: dict[str, int] = field(default_factory=dict)


def export(actor, path: Path | str, *, fmt: str = "json", recipients=None, passphrase: str | None = None,
           force: bool = False) -> ExportResult:
    """Write the actor's scope as one age-encrypted file; audited as `export` (counts only, no employee text)."""
    from hrtui.access import audit
    from hrtui.access.policy import require
    from hrtui.crypto import age
    from hrtui.crypto.errors import AgeError

    require(actor, "read", "export")
    if fmt not in ("json", "csv"):
        raise UserError(f"unknown export format {fmt!r}; expected json or csv")
    from hrtui.store.db import database

    path = Path(path).expanduser()
    check_output(path, database.database)  # not even --force replaces the database, a key or a device
    if path.exists() and not force:
        raise UserError(f"{path} already exists; pass --force to replace it")
    if not path.parent.is_dir():
        raise UserError(f"directory {path.parent} does not exist")
    try:
        wrapped = [] if passphrase is not None else [age.parse_recipient(r.strip()) if isinstance(r, str) else r
                                                     for r in (recipients or [])]
    except AgeError as exc:
        raise UserError(str(exc)) from None
    if passphrase is None and not wrapped:
        raise UserError("an export must be encrypted: give --to RECIPIENT or --passphrase-file F")
    meta = {
        "format": "hrtui-export",
        "version": FORMAT_VERSION,
        "exported_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "exported_by": actor.name,
        "scope": _scope_text(actor),
    }
    counts: dict[str, int] = {}
    stream = (_json_stream if fmt == "json" else _csv_stream)(actor, meta, counts)
    with atomic_write(path) as out:
        if passphrase is not None:
            age.encrypt(_GeneratorReader(stream), out, passphrase=passphrase)
        else:
            age.encrypt(_GeneratorReader(stream), out, wrapped)
    audit.record(actor, "export", path.name, {"format": fmt, "rows": counts})
    return ExportResult(path, path.stat().st_size, counts)


def _scope_text(actor) -> dict:
    from hrtui.store.db import database

    scope: dict = {"role": actor.role}
    if actor.role == "hr":
        marks = ",".join("?" * len(actor.department_ids)) or "NULL"
        scope["departments"] = [r[0] for r in database.execute_sql(
            f"SELECT code FROM department WHERE id IN ({marks}) ORDER BY code", list(actor.department_ids))]
    return scope
