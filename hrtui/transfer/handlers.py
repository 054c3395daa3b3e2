"""The kinds' row handlers: parse a row into records (checking every cell), then upsert a batch of records.

Reference data (departments, dimensions, positions, courses, projects) and the roster are read once per import
and indexed by every way a file may name a row (code, zh name, en name; width- and case-insensitive).
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

from hrtui import config
from hrtui.access.actor import Actor
from hrtui.domain.months import month_of, window
from hrtui.i18n import has_cjk
from hrtui.store.db import database
from hrtui.store.ids import uuid7
from hrtui.transfer import values as V
from hrtui.transfer.kinds import Kind, Mapping, field_label, norm_header
from hrtui.transfer.messages import render
from hrtui.transfer.source import Source

COUNT_STRATEGY_BYTES = 2 << 20     # score files larger than this count new rows with count(*) instead of lookups
STATUS = V.vocabulary({
    "active": ("在职", "正式", "试用", "试用期", "在岗", "active", "employed", "working", "current"),
    "leave": ("休假", "停薪留职", "长假", "on leave", "suspended"),
    "left": ("离职", "已离职", "退休", "resigned", "terminated", "inactive", "former", "exited", "retired"),
})
LEAVE_KINDS = V.vocabulary({
    "annual": ("年假", "年休假", "annual leave", "vacation", "pto"),
    "sick": ("病假", "sick leave"),
    "personal": ("事假", "personal leave", "casual", "casual leave", "unpaid", "unpaid leave"),
    "marriage": ("婚假", "marriage leave"),
    "maternity": ("产假", "maternity leave"),
    "paternity": ("陪产假", "paternity leave"),
    "bereavement": ("丧假", "bereavement leave"),
    "compensatory": ("调休", "comp off", "time off in lieu", "toil"),
    "other": ("其他", "其它"),
})
DIRECTION = V.vocabulary({"higher": ("越高越好", "正向", "高", "high", "up", "+", "↑"),
                          "lower": ("越低越好", "反向", "低", "low", "down", "↓")})


@dataclass
class RowError:
    row: int
    column: str          # the header text as in the file ("" when the row as a whole is wrong)
    key: str
    fields: dict = field(default_factory=dict)

    def message(self, lang: str) -> str:
        return render(self.key, lang, self.fields)

    def line(self, lang: str) -> str:
        if self.column:
            return render("import.at_cell", lang, {"row": self.row, "column": self.column,
                                                   "message": self.message(lang)})
        return render("import.at_row", lang, {"row": self.row, "message": self.message(lang)})


class RowInvalid(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(errors[0].key if errors else "")
        self.errors = errors


_BAD = object()  # a cell that failed to parse (its error is already recorded)


# -- reference data ------------------------------------------------------------------------------------------------
def _n(s) -> str:
    return V.norm_word(str(s)) if s is not None else ""


def _index(rows: list, value) -> dict:
    """{word: value(row)} for rows (id, code, name_zh, name_en, …): every name, then every code, so that a code
    always means its own row even when it is also another row's name."""
    out = {}
    for r in rows:
        for w in (r[2], r[3]):
            if w:
                out[_n(w)] = value(r)
    for r in rows:
        out[_n(r[1])] = value(r)
    return out


class Reference:
    """The organisation's reference tables, indexed by every way a file may name a row."""

    def __init__(self, actor: Actor):
        self.actor = actor
        self.scoped = actor.role != "admin"
        self.my_departments = frozenset(actor.department_ids)
        depts = list(database.execute_sql("SELECT id, code, name_zh, name_en FROM department"))
        self.dept_code = {did: code for did, code, _zh, _en in depts}                      # id -> code
        self.dept = _index(depts, lambda r: (r[0], r[1]))                                 # word -> (id, code)
        dims = list(database.execute_sql(
            "SELECT id, code, name_zh, name_en, scale_min, scale_max FROM dimension ORDER BY sort, code"))
        self.dim_list = [(i, *r) for i, r in enumerate(dims)]          # (idx, id, code, zh, en, lo, hi)
        self.dims = _index([(d[1], d[2], d[3], d[4], d) for d in self.dim_list], lambda r: r[4])
        positions = list(database.execute_sql("SELECT id, code, name_zh, name_en, department_id FROM position"))
        self.positions = {_n(code): (pid, dept, code) for pid, code, _zh, _en, dept in positions}
        self.position_names: dict[str, list[tuple]] = {}                # a name several positions may share
        for pid, code, zh, en, dept in positions:
            for w in {_n(zh), _n(en)} - {""}:
                self.position_names.setdefault(w, []).append((pid, dept, code))
        self.courses = _index(list(database.execute_sql("SELECT id, code, name_zh, name_en FROM training_course")),
                              lambda r: (r[0], r[1]))
        self.projects = _index(list(database.execute_sql(
            "SELECT id, code, name_zh, name_en, department_id FROM project")), lambda r: (r[0], r[1], r[4]))

    def in_scope(self, department_id: str | None) -> bool:
        return not self.scoped or (department_id is not None and department_id in self.my_departments)

    def mine(self) -> str:
        return ", ".join(sorted(self.dept_code.get(d, d) for d in self.my_departments)) or "—"

    def wide_dimensions(self) -> dict[str, str]:
        out = {}
        for d in self.dim_list:
            for w in (d[2], d[3], d[4]):
                if w:
                    out[norm_header(w)] = d[2]
        return out

    def department(self, x, column: str, row: int, errs: list) -> tuple | None | object:
        s = V.text(x)
        if s is None:
            return None
        found = self.dept.get(_n(s))
        if found is None:
            m = re.match(r"^(.*\S)\s+-\s+[^-]+$", s)  # Frappe names departments "Sales - ACME"
            if m:
                found = self.dept.get(_n(m.group(1)))
        if found is None:
            errs.append(RowError(row, column, "import.val.unknown_department",
                                 {"value": V.show(x), "known": _some(sorted(set(self.dept_code.values())))}))
            return _BAD
        return found

    def dimension(self, x, column: str, row: int, errs: list):
        s = V.text(x)
        if s is None:
            errs.append(RowError(row, column, "import.val.required", {}))
            return _BAD
        found = self.dims.get(_n(s))
        if found is None:
            errs.append(RowError(row, column, "import.val.unknown_dimension",
                                 {"value": V.show(x), "known": _some([d[2] for d in self.dim_list])}))
            return _BAD
        return found

    def position(self, x, column: str, row: int, errs: list, department_id=None, allowed=None):
        """A position by code or name; positions that `allowed(position)` rejects read as unknown (same words)."""
        s = V.text(x)
        if s is None:
            return None
        found = self.positions.get(_n(s))
        if found and (allowed is None or allowed(found)):
            return found
        named = self.position_names.get(_n(s), [])
        if allowed is not None:
            named = [p for p in named if allowed(p)]
        if len(named) > 1 and department_id:
            named = [p for p in named if p[1] == department_id] or named
        if len(named) == 1:
            return named[0]
        if named:
            errs.append(RowError(row, column, "import.val.ambiguous_position",
                                 {"value": V.show(x), "codes": ", ".join(sorted(p[2] for p in named))}))
        else:
            errs.append(RowError(row, column, "import.val.unknown_position", {"value": V.show(x)}))
        return _BAD

    def course(self, x, column, row, errs):
        return self._named(self.courses, "import.val.unknown_course", x, column, row, errs)

    def project(self, x, column, row, errs):
        return self._named(self.projects, "import.val.unknown_project", x, column, row, errs)

    def _named(self, known: dict, unknown_key: str, x, column, row, errs):
        """A required reference by code or name, looked up in `known` (normalised key -> id)."""
        s = V.text(x)
        if s is None:
            errs.append(RowError(row, column, "import.val.required", {}))
            return _BAD
        found = known.get(_n(s))
        if found is None:
            errs.append(RowError(row, column, unknown_key, {"value": V.show(x)}))
            return _BAD
        return found


def _some(items: list[str], n: int = 8) -> str:
    return ", ".join(items[:n]) + (" …" if len(items) > n else "")


class Employees:
    """Employee numbers -> [index, id, department_id, name_zh, name_en, number]. For the fact kinds only the actor's scope
    is loaded (an employee outside it reads as unknown, as everywhere in hrtui)."""

    def __init__(self, actor: Actor, whole: bool):
        from hrtui.access.actor import scope_sql

        where, params = ("1", []) if whole else scope_sql(actor, "e")
        self.by_number: dict[str, list] = {}
        for i, (number, eid, dept, zh, en) in enumerate(database.execute_sql(
                f"SELECT e.number, e.id, e.department_id, e.name_zh, e.name_en FROM employee e WHERE {where}",
                params)):
            self.by_number[number] = [i, eid, dept, zh, en, number]
        self.size = len(self.by_number)
        self.get = self.by_number.get

    def find(self, x):
        """The entry for a cell (exact first, then width/case-normalised), or None."""
        if x.__class__ is str:
            hit = self.get(x)
            if hit is not None:
                return hit
        s = V.text(x)
        if s is None:
            return None
        return self.get(s) or self.get(s.upper())

    def add(self, number: str, eid: str, dept, zh: str, en: str) -> list:
        entry = [self.size, eid, dept, zh, en, number]
        self.size += 1
        self.by_number[number] = entry
        return entry


class Seen:
    """Which keys a file has given so far: one bitmap per group (a dimension and month), one bit per employee.

    Memory is a bit per possible key (1.5 KB per group for 12,000 employees), whatever the number of rows; a
    duplicate is named by its key ("E000001 · CSAT · 2026-03") since row numbers are not kept."""

    def __init__(self, employees: int):
        self.size = (max(1, employees) >> 3) + 1
        self.groups: dict = {}

    def has(self, group, idx: int) -> bool:
        bits = self.groups.get(group)
        return bits is not None and (idx >> 3) < len(bits) and bool(bits[idx >> 3] & (1 << (idx & 7)))

    def mark(self, group, idx: int) -> None:
        bits = self.groups.get(group)
        if bits is None:
            bits = self.groups[group] = bytearray(self.size)
        bits[idx >> 3] |= 1 << (idx & 7)


# -- handlers ------------------------------------------------------------------------------------------------------
class Handler:
    """One kind: parse a row into records, then write (or, dry, classify) a batch of them."""

    whole_roster = False
    uses_employees = True

    def __init__(self, kind: Kind, mapping: Mapping, ref: Reference, today: _dt.date, writing: bool, source: Source):
        self.kind, self.mapping, self.ref, self.today = kind, mapping, ref, today
        self.writing = writing
        self.source = source
        self.this_month = month_of(today)
        self.new = self.updated = self.unchanged = 0
        self.col = {c.key: c.index for c in mapping.used}
        self.head = {c.key: c.header for c in mapping.used}
        self.emps = Employees(ref.actor, self.whole_roster) if self.uses_employees else None
        self.month = V.MonthCache()
        self.touched_months: set[str] = set()
        self.batch: list = []   # (row, cells, records) waiting to be written
        self.parse = self.screened(self.parse)

    def screened(self, parse):
        """`parse` behind values.clean() of every cell read: invisible format characters dropped, and a control
        character refusing the row (one line per such cell). A row of printable text costs one check."""
        col, head = self.col, self.head

        def screened_parse(row, cells):
            try:
                if "".join(cells).isprintable():
                    return parse(row, cells)
            except TypeError:
                pass  # XLSX: numbers, dates, None
            cells, errs = list(cells), []
            for key, i in col.items():
                if i < len(cells):
                    try:
                        cells[i] = V.clean(cells[i])
                    except V.CellError as exc:
                        errs.append(RowError(row, head[key], exc.key, exc.fields))
            if errs:
                raise RowInvalid(errs)
            return parse(row, cells)
        return screened_parse

    def keep(self, row: int, cells: list, recs: list) -> None:
        self.batch.append((row, cells, recs))

    def begin(self) -> None:
        """Before the first row (inside the transaction)."""

    def end(self) -> None:
        """After the last flush."""

    # -- cells --------------------------------------------------------------------------------------------------
    def cell(self, cells: list, key: str):
        i = self.col.get(key)
        if i is None or i >= len(cells):
            return None
        return cells[i]

    def parse_cell(self, cells, key, parser, row, errs, *args):
        i = self.col.get(key)
        if i is None or i >= len(cells):
            return None
        try:
            return parser(cells[i], *args)
        except V.CellError as exc:
            errs.append(RowError(row, self.head[key], exc.key, exc.fields))
            return _BAD

    def required(self, value, key, row, errs):
        """`value`, or an error on the column of `key` when the cell is empty."""
        if value is None:
            errs.append(RowError(row, self.head.get(key, key), "import.val.required", {}))
            return _BAD
        return value

    def employee(self, cells, row, errs):
        raw = self.cell(cells, "employee")
        entry = self.emps.find(raw) if raw not in (None, "") else None
        if entry is None:
            if V.text(raw) is None:
                self.required(None, "employee", row, errs)
            else:
                errs.append(RowError(row, self.head["employee"], "import.val.unknown_employee",
                                     {"value": V.show(raw)}))
            return _BAD
        name = self.cell(cells, "name")
        if name not in (None, ""):
            given = _n(V.text(name) or "")
            if given and given not in (_n(entry[3]), _n(entry[4]), _n(entry[4]).replace(" ", "")):
                errs.append(RowError(row, self.head["name"], "import.val.name_mismatch",
                                     {"value": V.show(name), "number": V.show(raw),
                                      "expected": entry[3] or entry[4]}))
                return _BAD
        return entry

    def month_cell(self, cells, row, errs):
        """The month cell: required, and not after the current month (monthly facts are of months that were)."""
        m = self.parse_cell(cells, "month", self.month, row, errs)
        if m is None:
            return self.required(None, "month", row, errs)
        if m is not _BAD and m > self.this_month:
            errs.append(RowError(row, self.head["month"], "import.val.future_month",
                                 {"value": m, "today": self.today.isoformat()}))
            return _BAD
        return m

    # -- to override --------------------------------------------------------------------------------------------
    # parse(row, cells) -> records of one row; flush() -> write (or, when not writing, classify) self.batch, empty
    # it, and return the rows found invalid as [(row, cells, [RowError])].

    def finish(self) -> list[tuple[int, list, list[RowError]]]:
        """Rows that turn out invalid only at the end (employees whose manager never appeared)."""
        return []

    def after(self) -> None:
        """Last writes inside the transaction (derived data)."""


class TableHandler(Handler):
    """Upsert into one table by its business key; the generic path of every kind but scores.

    A record is (key tuple, values tuple, extra); values hold None for a missing cell."""

    table = ""
    id_col: str | None = "id"         # entities have a UUIDv7 id; None for tables keyed by their natural key
    key_cols: tuple[str, ...] = ()
    value_cols: tuple[str, ...] = ()
    defaults: dict = {}               # value column -> default for a new row (REQUIRED: the row must give it)
    REQUIRED = object()

    def fetch(self, keys: list[tuple]) -> dict[tuple, tuple]:
        """key -> (id or None, values) of the existing rows among `keys`."""
        out = {}
        cols = ", ".join(self.key_cols + self.value_cols)
        idc = f"{self.id_col}, " if self.id_col else "NULL, "
        nk = len(self.key_cols)
        step = max(1, 30000 // max(1, nk))
        for i in range(0, len(keys), step):
            chunk = keys[i:i + step]
            if nk == 1:
                sql = f"SELECT {idc}{cols} FROM {self.table} WHERE {self.key_cols[0]} IN ({','.join('?' * len(chunk))})"
                params = [k[0] for k in chunk]
            else:
                row = "(" + ",".join("?" * nk) + ")"
                sql = (f"SELECT {idc}{cols} FROM {self.table} WHERE ({', '.join(self.key_cols)}) IN "
                       f"(VALUES {','.join([row] * len(chunk))})")
                params = [x for k in chunk for x in k]
            for r in database.execute_sql(sql, params):
                out[tuple(r[1:1 + nk])] = (r[0], tuple(r[1 + nk:]))
        return out

    def check(self, row: int, key: tuple, merged: tuple, old, extra) -> list[RowError]:
        return []

    def new_id(self, extra) -> str:
        return uuid7()

    def fill_new(self, key: tuple, merged: tuple) -> tuple:
        """Values of a new row after the defaults (derived defaults go here)."""
        return merged

    def after_write(self, inserted: list, updated: list) -> None:
        pass

    def flush(self):
        recs = [(row, cells, rec) for row, cells, recs in self.batch for rec in recs]
        self.batch.clear()
        existing = self.fetch([rec[0] for _r, _c, rec in recs])
        bad, inserts, updates = [], [], []
        for row, cells, (key, vals, extra) in recs:
            old = existing.get(key)
            if old is None:
                merged = tuple(v if v is not None else self.defaults.get(c) for c, v in zip(self.value_cols, vals))
                missing = [c for c, v in zip(self.value_cols, merged) if v is self.REQUIRED]
                if missing:
                    bad.append((row, cells, [RowError(row, "", "import.val.new_needs", {
                        "what": ", ".join(self._label(c, "en") for c in missing),
                        "what_zh": ", ".join(self._label(c, "zh") for c in missing)})]))
                    continue
                merged = self.fill_new(key, merged)
            else:
                merged = tuple(v if v is not None else o for v, o in zip(vals, old[1]))
            errs = self.check(row, key, merged, old, extra)
            if errs:
                bad.append((row, cells, errs))
                continue
            if old is None:
                self.new += 1
                inserts.append(((self.new_id(extra),) if self.id_col else ()) + key + merged)
            elif merged == old[1]:
                self.unchanged += 1
            else:
                self.updated += 1
                updates.append(merged + (key if not self.id_col else (old[0],)))
        if self.writing:
            cur = database.cursor()
            if inserts:
                cols = ((self.id_col,) if self.id_col else ()) + self.key_cols + self.value_cols
                cur.executemany(f"INSERT INTO {self.table} ({', '.join(cols)}) VALUES ({','.join('?' * len(cols))})",
                                inserts)
            if updates:
                sets = ", ".join(f"{c} = ?" for c in self.value_cols)
                where = f"{self.id_col} = ?" if self.id_col else " AND ".join(f"{c} = ?" for c in self.key_cols)
                cur.executemany(f"UPDATE {self.table} SET {sets} WHERE {where}", updates)
            self.after_write(inserts, updates)
        return bad

    def _label(self, col: str, lang: str) -> str:
        key = {"department_id": "department", "position_id": "position", "manager_id": "manager",
               "dimension_id": "dimension", "base_cents": "base", "bonus_cents": "bonus"}.get(col, col)
        try:
            return field_label(self.kind, key, lang)
        except StopIteration:
            return col

    def names(self, cells, row, errs) -> tuple:
        """name / name_zh / name_en columns -> (zh, en); a CJK name goes to zh, any other to en."""
        name = V.text(self.cell(cells, "name"))
        zh = V.text(self.cell(cells, "name_zh"))
        en = V.text(self.cell(cells, "name_en"))
        if name:
            if has_cjk(name):
                zh = zh or name
            else:
                en = en or name
        return zh, en


class NamedHandler(TableHandler):
    """Entities with a code and zh/en names: a new one needs a name; given in one language only, it stands for
    both (name_zh and name_en are NOT NULL)."""

    uses_employees = False

    def fill_new(self, key, merged):
        zh, en = merged[0], merged[1]
        return (zh or en, en or zh) + merged[2:]

    def check(self, row, key, merged, old, extra):
        if old is None and not (merged[0] or merged[1]):
            return [RowError(row, "", "import.val.new_needs", {"what": "name", "what_zh": "名称"})]
        return []

    def scope_errors(self, row, code, current_dept, new_dept) -> list[RowError]:
        """hr: the row's department as stored and as given must both be theirs (a row without one is admin's)."""
        if not self.ref.scoped:
            return []
        column = self.head.get("department", self.head["code"])
        for d in {current_dept, new_dept} if new_dept is not None else {current_dept}:
            if not self.ref.in_scope(d):
                return [RowError(row, column, "import.val.department_out_of_scope",
                                 {"value": self.ref.dept_code.get(d, "—"), "mine": self.ref.mine()})]
        return []


class Departments(NamedHandler):
    table, key_cols, value_cols = "department", ("code",), ("name_zh", "name_en")
    defaults = {"name_zh": None, "name_en": None}

    def parse(self, row, cells):
        errs = []
        code = self.required(V.text(self.cell(cells, "code")), "code", row, errs)
        zh, en = self.names(cells, row, errs)
        if code is not _BAD and self.ref.scoped:
            found = self.ref.dept.get(_n(code))
            if found is None or found[1] != code:
                errs.append(RowError(row, self.head["code"], "import.val.create_needs_admin", {"value": code}))
            elif not self.ref.in_scope(found[0]):
                errs.append(RowError(row, self.head["code"], "import.val.department_out_of_scope",
                                     {"value": code, "mine": self.ref.mine()}))
        if errs:
            raise RowInvalid(errs)
        return [((code,), (zh, en), None)]


class Positions(NamedHandler):
    table, key_cols = "position", ("code",)
    value_cols = ("name_zh", "name_en", "department_id", "is_manager")
    defaults = {"name_zh": None, "name_en": None, "department_id": None, "is_manager": 0}

    def parse(self, row, cells):
        errs = []
        code = self.required(V.text(self.cell(cells, "code")), "code", row, errs)
        zh, en = self.names(cells, row, errs)
        dept = self.ref.department(self.cell(cells, "department"), self.head.get("department", ""), row, errs)
        manager = self.parse_cell(cells, "is_manager", V.flag, row, errs)
        if code is not _BAD and dept is not _BAD:
            existing = self.ref.positions.get(_n(code))
            errs += self.scope_errors(row, code, existing[1] if existing else (dept[0] if dept else None),
                                      dept[0] if dept else None)
        if errs:
            raise RowInvalid(errs)
        return [((code,), (zh, en, dept[0] if dept else None, manager), None)]


class Projects(NamedHandler):
    table, key_cols = "project", ("code",)
    value_cols = ("name_zh", "name_en", "department_id")
    defaults = {"name_zh": None, "name_en": None, "department_id": None}

    def parse(self, row, cells):
        errs = []
        code = self.required(V.text(self.cell(cells, "code")), "code", row, errs)
        zh, en = self.names(cells, row, errs)
        dept = self.ref.department(self.cell(cells, "department"), self.head.get("department", ""), row, errs)
        if code is not _BAD and dept is not _BAD:
            existing = self.ref.projects.get(_n(code))
            errs += self.scope_errors(row, code, existing[2] if existing else (dept[0] if dept else None),
                                      dept[0] if dept else None)
        if errs:
            raise RowInvalid(errs)
        return [((code,), (zh, en, dept[0] if dept else None), None)]


class Dimensions(NamedHandler):
    table, key_cols = "dimension", ("code",)
    value_cols = ("name_zh", "name_en", "unit", "direction", "scale_min", "scale_max")
    defaults = {"name_zh": None, "name_en": None, "unit": "", "direction": "higher", "scale_min": 0.0,
                "scale_max": 100.0}

    def parse(self, row, cells):
        errs = []
        code = self.required(V.text(self.cell(cells, "code")), "code", row, errs)
        zh, en = self.names(cells, row, errs)
        unit = V.text(self.cell(cells, "unit"))
        direction = self.parse_cell(cells, "direction", V.choice, row, errs, DIRECTION)
        lo = self.parse_cell(cells, "scale_min", V.number, row, errs)
        hi = self.parse_cell(cells, "scale_max", V.number, row, errs)
        if errs:
            raise RowInvalid(errs)
        return [((code,), (zh, en, unit, direction, lo, hi), None)]

    def check(self, row, key, merged, old, extra):
        errs = super().check(row, key, merged, old, extra)
        if not errs and merged[4] >= merged[5]:
            errs.append(RowError(row, self.head.get("scale_max", ""), "import.val.scale_order",
                                 {"lo": V.fmt(merged[4]), "hi": V.fmt(merged[5])}))
        elif not errs and old is not None and (merged[4] > old[1][4] or merged[5] < old[1][5]):
            # A narrower scale must still hold every stored score: otherwise portraits and charts would scale them
            # out of range and the overall score would pass 100.
            n, low, high = database.execute_sql(
                "SELECT count(*), min(value), max(value) FROM score WHERE dimension_id = ? AND (value < ? OR value > ?)",
                (old[0], merged[4], merged[5])).fetchone()
            if n:
                errs.append(RowError(row, self.head.get("scale_max" if high is not None and high > merged[5]
                                                        else "scale_min", ""), "import.val.scale_data",
                                     {"n": n, "lo": V.fmt(merged[4]), "hi": V.fmt(merged[5]),
                                      "low": V.fmt(low), "high": V.fmt(high)}))
        return errs

    def after_write(self, inserted, updated):
        if inserted:
            top = database.execute_sql("SELECT coalesce(max(sort), -1) FROM dimension WHERE id NOT IN (%s)"
                                       % ",".join("?" * len(inserted)), [r[0] for r in inserted]).fetchone()[0]
            database.cursor().executemany("UPDATE dimension SET sort = ? WHERE id = ?",
                                          [(top + 1 + i, r[0]) for i, r in enumerate(inserted)])


class Courses(NamedHandler):
    table, key_cols = "training_course", ("code",)
    value_cols = ("name_zh", "name_en", "mandatory", "dimension_id", "hours")
    defaults = {"name_zh": None, "name_en": None, "mandatory": 0, "dimension_id": None, "hours": 0.0}

    def parse(self, row, cells):
        errs = []
        code = self.required(V.text(self.cell(cells, "code")), "code", row, errs)
        zh, en = self.names(cells, row, errs)
        mandatory = self.parse_cell(cells, "mandatory", V.flag, row, errs)
        dim = None
        if V.text(self.cell(cells, "dimension")) is not None:
            dim = self.ref.dimension(self.cell(cells, "dimension"), self.head["dimension"], row, errs)
        hours = self.parse_cell(cells, "hours", V.ranged, row, errs, 0, 10000)
        if errs:
            raise RowInvalid(errs)
        return [((code,), (zh, en, mandatory, dim[1] if dim else None, hours), None)]


class EmployeesHandler(TableHandler):
    table, key_cols = "employee", ("number",)
    value_cols = ("name_zh", "name_en", "department_id", "position_id", "manager_id", "hire_date", "status", "email")
    defaults = {"name_zh": "", "name_en": "", "department_id": None, "position_id": None, "manager_id": None,
                "hire_date": None, "status": "active", "email": ""}
    whole_roster = True

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.waiting: dict[str, list] = {}     # manager number not yet known -> rows waiting for it
        self.ready: list = []                  # rows whose manager became known (written with the next batch)
        self.renamed: list[tuple[str, str, str]] = []  # (number, zh, en) of this batch's renamed employees
        self.added: list[tuple[str, str, str]] = []    # … and of its new ones
        self.first_row: dict[str, int] = {}    # number -> the row that gave it (duplicates are refused)
        self._managers: dict[str, str | None] | None = None  # employee id -> manager id, as this import leaves it

    def names(self, cells, row, errs):
        zh, en = super().names(cells, row, errs)
        parts = [V.text(self.cell(cells, k)) for k in ("first_name", "middle_name", "last_name")]
        if any(parts):
            first, middle, last = parts
            if any(has_cjk(p) for p in parts if p):
                zh = zh or "".join(p for p in (last, middle, first) if p)
            else:
                en = en or " ".join(p for p in (first, middle, last) if p)
        return zh, en

    def parse(self, row, cells):
        errs = []
        number = self.required(V.text(self.cell(cells, "number")), "number", row, errs)
        zh, en = self.names(cells, row, errs)
        dept = self.ref.department(self.cell(cells, "department"), self.head.get("department", ""), row, errs)
        entry = self.emps.find(number) if number is not _BAD else None
        pos = self.ref.position(self.cell(cells, "position"), self.head.get("position", ""), row, errs,
                                dept[0] if dept not in (None, _BAD) else None,
                                self._position_allowed(entry) if self.ref.scoped else None)
        hire = self.parse_cell(cells, "hire_date", V.date, row, errs)
        status = self.parse_cell(cells, "status", V.choice, row, errs, STATUS)
        email = V.text(self.cell(cells, "email")) or V.text(self.cell(cells, "email_fallback"))
        if email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
            errs.append(RowError(row, self.head.get("email", self.head.get("email_fallback", "")), "import.val.email",
                                 {"value": V.show(email)}))
        manager_raw = V.text(self.cell(cells, "manager"))
        if number is not _BAD:
            if entry is not None:
                number = entry[5]  # the number as stored (e000001 in a file is E000001)
            first = self.first_row.get(number)
            if first:
                errs.append(RowError(row, self.head["number"], "import.val.duplicate", {"first": first}))
            if entry is None and not (zh or en):
                errs.append(RowError(row, "", "import.val.new_needs", {"what": "name", "what_zh": "姓名"}))
            if manager_raw is not None and (_n(manager_raw) == _n(number)
                                            or entry is not None and self.emps.find(manager_raw) is entry):
                errs.append(RowError(row, self.head["manager"], "import.val.own_manager", {"value": manager_raw}))
        if self.ref.scoped and number is not _BAD and dept is not _BAD:
            if entry is not None and not self.ref.in_scope(entry[2]):
                errs.append(RowError(row, self.head["number"], "import.val.employee_out_of_scope",
                                     {"value": number}))
            elif dept is not None and not self.ref.in_scope(dept[0]):
                errs.append(RowError(row, self.head["department"], "import.val.department_out_of_scope",
                                     {"value": dept[1], "mine": self.ref.mine()}))
            elif entry is None and dept is None:
                errs.append(RowError(row, self.head.get("department", self.head["number"]),
                                     "import.val.department_needed", {"mine": self.ref.mine()}))
        if errs:
            raise RowInvalid(errs)
        self.first_row[number] = row
        rec = [number, (zh, en, dept[0] if dept else None, pos[0] if pos else None, None, hire, status, email),
               entry]
        if manager_raw is not None:
            manager = self.emps.find(manager_raw)
            if manager is not None and not self.ref.in_scope(manager[2]):
                manager = None  # someone outside your scope is as unknown as no one: same words, no link written
            if manager is None:
                # written once its manager is known (a later row), or reported at the end
                self.waiting.setdefault(_n(manager_raw), []).append((row, cells, rec, manager_raw))
                return []
            if entry is not None and self._reports_to(manager[1], entry[1]):
                del self.first_row[number]
                raise RowInvalid([RowError(row, self.head["manager"], "import.val.manager_cycle",
                                           {"value": manager[5], "number": number})])
            rec[1] = rec[1][:4] + (manager[1],) + rec[1][5:]
        out = self._accept(rec)
        if rec[1][4] is not None:
            self._chain()[self.emps.find(rec[0])[1]] = rec[1][4]
        return [out]

    def _chain(self) -> dict[str, str | None]:
        if self._managers is None:  # the whole organisation's reporting lines: a cycle may pass anywhere
            self._managers = dict(database.execute_sql("SELECT id, manager_id FROM employee").fetchall())
        return self._managers

    def _reports_to(self, manager_id: str, employee_id: str) -> bool:
        """Whether `manager_id` reports, directly or through others, to `employee_id` (so the row would close a
        loop of managers)."""
        chain, seen, at = self._chain(), set(), manager_id
        while at is not None and at not in seen:
            if at == employee_id:
                return True
            seen.add(at)
            at = chain.get(at)
        return False

    def _position_allowed(self, entry):
        """hr gives their employees positions of their departments (or of none): another department's position is
        as unknown as one that does not exist, unless the employee holds it already (an exported roster re-imports)."""
        def allowed(p) -> bool:
            if p[1] is None or self.ref.in_scope(p[1]):
                return True
            held = entry and database.execute_sql("SELECT position_id FROM employee WHERE id = ?",
                                                  (entry[1],)).fetchone()
            return bool(held) and held[0] == p[0]
        return allowed

    def _accept(self, rec: list) -> tuple:
        """A row that will be written. A new number joins the roster (so later rows may name it as their
        manager), and the rows that were waiting for it as their manager are released (and so on down)."""
        out = self._register(rec)
        todo = [rec[0]]
        while todo:
            number = todo.pop()
            manager_id = self.emps.find(number)[1]
            for row, cells, wrec, _raw in self.waiting.pop(_n(number), []):
                wrec[1] = wrec[1][:4] + (manager_id,) + wrec[1][5:]
                self.ready.append((row, cells, [self._register(wrec)]))
                todo.append(wrec[0])
        return out

    def _register(self, rec: list) -> tuple:
        number, vals, entry = rec
        is_new = entry is None
        if is_new:
            entry = self.emps.add(number, uuid7(), vals[2], vals[0] or "", vals[1] or "")
        return ((number,), vals, (entry[1], is_new))

    def new_id(self, extra):
        return extra[0]

    def check(self, row, key, merged, old, extra):
        if old is None:
            self.added.append((key[0], merged[0], merged[1]))
        elif old[1][0:2] != merged[0:2]:
            self.renamed.append((key[0], merged[0], merged[1]))
        return []

    def after_write(self, inserted, updated):
        """Keep the roster's name search in step: renamed employees through the roster's replace_name_keys;
        new ones get their terms inserted in bulk (replace_name_keys deletes per number, and the name_key table
        has no index on number: a scan per new employee would make a 10,000-row import take many seconds)."""
        from hrtui.domain.roster import name_key_rows, replace_name_keys

        if self.renamed:
            replace_name_keys(self.renamed)
        if self.added:
            cur = database.cursor()
            numbers = [r[0] for r in self.added]
            for i in range(0, len(numbers), 10000):  # terms left by an earlier holder of the number: one scan
                chunk = numbers[i:i + 10000]
                cur.execute(f"DELETE FROM name_key WHERE number IN ({','.join('?' * len(chunk))})", chunk)
            cur.executemany("INSERT OR IGNORE INTO name_key (term, number) VALUES (?, ?)",
                            [k for r in self.added for k in name_key_rows(*r)])
        self.renamed, self.added = [], []

    def flush(self):
        self.renamed, self.added = [], []
        self.batch.extend(self.ready)  # rows whose manager appeared since
        self.ready = []
        return super().flush()

    def finish(self):
        bad = []
        for rows in self.waiting.values():
            for row, cells, _rec, raw in rows:
                bad.append((row, cells, [RowError(row, self.head["manager"], "import.val.unknown_manager",
                                                  {"value": raw})]))
        self.waiting = {}
        return sorted(bad, key=lambda b: b[0])

    def after(self) -> None:
        """New hires, moves and leavers change every team they touch: refresh what derives from teams."""
        if self.new or self.updated:
            refresh_derived(self.today, window_changed=True)


class FactHandler(TableHandler):
    """Monthly facts and per-employee records keyed by (employee, …)."""

    id_col = None
    group_arrays = True      # duplicate keys remembered in per-group bitmaps (else in a dict, with their rows)

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.seen = Seen(self.emps.size) if self.group_arrays else None
        self.seen_keys: dict = {}

    def duplicate(self, row, group, idx, errs, key: str) -> bool:
        if self.seen is not None:
            if self.seen.has(group, idx):
                errs.append(RowError(row, "", "import.val.duplicate_key", {"key": key}))
                return True
            return False
        first = self.seen_keys.get((group, idx), 0)
        if first:
            errs.append(RowError(row, "", "import.val.duplicate", {"first": first}))
            return True
        return False

    def remember(self, row, group, idx):
        if self.seen is not None:
            self.seen.mark(group, idx)
        else:
            self.seen_keys[(group, idx)] = row


class Attendance(FactHandler):
    table, key_cols = "attendance", ("employee_id", "month")
    value_cols = ("scheduled_days", "attended_days", "leave_days")
    defaults = {"scheduled_days": TableHandler.REQUIRED, "attended_days": TableHandler.REQUIRED, "leave_days": 0.0}

    def parse(self, row, cells):
        errs = []
        emp = self.employee(cells, row, errs)
        m = self.month_cell(cells, row, errs)
        vals = tuple(self.parse_cell(cells, k, V.ranged, row, errs, 0, 31)
                     for k in ("scheduled_days", "attended_days", "leave_days"))
        if not errs:
            self.duplicate(row, m, emp[0], errs, f"{emp[5]} · {m}")
        if errs:
            raise RowInvalid(errs)
        self.remember(row, m, emp[0])
        self.touched_months.add(m)
        return [((emp[1], m), vals, None)]

    def check(self, row, key, merged, old, extra):
        if merged[1] > merged[0]:
            return [RowError(row, self.head.get("attended_days", ""), "import.val.attended_gt_scheduled",
                             {"attended": V.fmt(merged[1]), "scheduled": V.fmt(merged[0])})]
        return []


class Salary(FactHandler):
    table, key_cols = "salary", ("employee_id", "month")
    value_cols = ("base_cents", "bonus_cents")
    defaults = {"base_cents": TableHandler.REQUIRED, "bonus_cents": 0}

    def parse(self, row, cells):
        errs = []
        emp = self.employee(cells, row, errs)
        m = self.month_cell(cells, row, errs)
        base = self.parse_cell(cells, "base", V.cents, row, errs)
        bonus = self.parse_cell(cells, "bonus", V.cents, row, errs)
        if not errs:
            self.duplicate(row, m, emp[0], errs, f"{emp[5]} · {m}")
        if errs:
            raise RowInvalid(errs)
        self.remember(row, m, emp[0])
        return [((emp[1], m), (base, bonus), None)]


class Hours(FactHandler):
    table, key_cols = "assignment", ("employee_id", "month", "project_id")
    value_cols = ("hours",)
    defaults = {"hours": TableHandler.REQUIRED}

    def parse(self, row, cells):
        errs = []
        emp = self.employee(cells, row, errs)
        proj = self.ref.project(self.cell(cells, "project"), self.head["project"], row, errs)
        m = self.month_cell(cells, row, errs)
        hours = self.parse_cell(cells, "hours", V.ranged, row, errs, 0, 744)
        if hours is None:
            self.required(None, "hours", row, errs)
        if not errs:
            self.duplicate(row, (m, proj[0]), emp[0], errs, f"{emp[5]} · {proj[1]} · {m}")
        if errs:
            raise RowInvalid(errs)
        self.remember(row, (m, proj[0]), emp[0])
        return [((emp[1], m, proj[0]), (hours,), None)]


class Training(FactHandler):
    table, id_col, key_cols = "training_record", "id", ("employee_id", "course_id")
    value_cols = ("due_date", "completed_date")
    defaults = {"due_date": None, "completed_date": None}

    def parse(self, row, cells):
        errs = []
        emp = self.employee(cells, row, errs)
        course = self.ref.course(self.cell(cells, "course"), self.head["course"], row, errs)
        due = self.parse_cell(cells, "due_date", V.date, row, errs)
        done = self.parse_cell(cells, "completed_date", V.date, row, errs)
        if done not in (None, _BAD) and done > self.today.isoformat():
            errs.append(RowError(row, self.head["completed_date"], "import.val.future_date",
                                 {"value": done, "today": self.today.isoformat()}))
        if not errs:
            self.duplicate(row, course[0], emp[0], errs, f"{emp[5]} · {course[1]}")
        if errs:
            raise RowInvalid(errs)
        self.remember(row, course[0], emp[0])
        return [((emp[1], course[0]), (due, done), None)]


class Leave(FactHandler):
    table, id_col, key_cols = "leave", "id", ("employee_id", "kind", "start_date")
    value_cols = ("end_date", "days")
    defaults = {"end_date": None, "days": None}
    group_arrays = False

    def parse(self, row, cells):
        errs = []
        emp = self.employee(cells, row, errs)
        kind = self.parse_cell(cells, "kind", V.choice, row, errs, LEAVE_KINDS)
        if kind is None:
            self.required(None, "kind", row, errs)
        start = self.parse_cell(cells, "start_date", V.date, row, errs)
        if start is None:
            self.required(None, "start_date", row, errs)
        end = self.parse_cell(cells, "end_date", V.date, row, errs)
        days = self.parse_cell(cells, "days", V.ranged, row, errs, 0.5, 366)
        if not errs:
            self.duplicate(row, (kind, start), emp[0], errs, f"{emp[5]} · {kind} · {start}")
        if errs:
            raise RowInvalid(errs)
        self.remember(row, (kind, start), emp[0])
        return [((emp[1], kind, start), (end, days), None)]

    def fill_new(self, key, merged):
        """A new leave without an end lasts one day; without days, it counts the calendar days."""
        end = merged[0] or key[2]
        days = merged[1]
        if days is None and end >= key[2]:
            days = float((_dt.date.fromisoformat(end) - _dt.date.fromisoformat(key[2])).days + 1)
        return (end, days)

    def check(self, row, key, merged, old, extra):
        end, days = merged
        if end < key[2]:
            return [RowError(row, self.head.get("end_date", ""), "import.val.end_before_start",
                             {"start": key[2], "end": end})]
        span = (_dt.date.fromisoformat(end) - _dt.date.fromisoformat(key[2])).days + 1
        if span > 366:  # the days column's own bound (0.5 to 366): a range cannot make a leave longer
            return [RowError(row, self.head.get("end_date") or self.head.get("start_date", ""),
                             "import.val.leave_too_long", {"start": key[2], "end": end, "days": span})]
        if days is not None and days > span:
            return [RowError(row, self.head.get("days", ""), "import.val.days_over_span",
                             {"days": V.fmt(days), "span": span})]
        return []


class Requirements(TableHandler):
    table, id_col, key_cols = "position_requirement", None, ("position_id", "dimension_id")
    value_cols = ("value",)
    defaults = {"value": TableHandler.REQUIRED}
    uses_employees = False

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.seen_keys: dict = {}

    def parse(self, row, cells):
        errs = []
        pos = self.ref.position(self.cell(cells, "position"), self.head["position"], row, errs)
        if pos is None:
            pos = self.required(None, "position", row, errs)
        dim = self.ref.dimension(self.cell(cells, "dimension"), self.head["dimension"], row, errs)
        # Any number: a requirement may sit outside the scale's usual range (a target of 101 % attendance is a
        # policy choice, not a typo hrtui can judge).
        value = self.parse_cell(cells, "value", V.number, row, errs)
        if value is None:
            self.required(None, "value", row, errs)
        if pos not in (None, _BAD) and not self.ref.in_scope(pos[1]):
            errs.append(RowError(row, self.head["position"], "import.val.department_out_of_scope",
                                 {"value": self.ref.dept_code.get(pos[1], "—"), "mine": self.ref.mine()}))
        if not errs:
            first = self.seen_keys.get((pos[0], dim[1]))
            if first:
                errs.append(RowError(row, "", "import.val.duplicate", {"first": first}))
        if errs:
            raise RowInvalid(errs)
        self.seen_keys[(pos[0], dim[1])] = row
        return [((pos[0], dim[1]), (value,), None)]


class Scores(Handler):
    """The hot path: a million rows must cost at most three times a bare executemany of the same rows.

    Long shape: one row per employee, dimension, month and score. Wide shape: one row per employee and month with
    a column per dimension (its code or zh/en name as header); each non-empty cell is one score.

    parse() first tries the common case with as little work as possible (exact employee number, a month and a
    dimension seen before, a plain number in range, a new key); anything else goes through careful() which checks
    every cell and names every problem."""

    UPSERT = ("INSERT INTO score (employee_id, dimension_id, month, value) VALUES (?,?,?,?) "
              "ON CONFLICT(employee_id, dimension_id, month) DO UPDATE SET value = excluded.value "
              "WHERE score.value IS NOT excluded.value")

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.seen = Seen(self.emps.size)
        # Large files written for real count new rows with count(*) before and after (one pass over the table)
        # instead of looking every key up first (which costs as much as the insert itself).
        self.count_strategy = self.writing and self.source.size > COUNT_STRATEGY_BYTES
        self.changes = self.records = 0
        self.before: int | None = None
        self.wide_cols = [(c.index, self.ref.dims[_n(c.key[4:])], c.header) for c in self.mapping.used
                          if c.key.startswith("dim:")] if self.mapping.wide else []
        self.ie, self.im = self.col["employee"], self.col["month"]
        self.idim, self.iv = self.col.get("dimension"), self.col.get("score")
        self.fast = not self.mapping.wide and "name" not in self.col
        self.months_ok: dict = {}   # month cell -> 'YYYY-MM' (valid, not in the future)
        self.dims_ok: dict = {}     # dimension cell -> dimension
        if self.fast:
            self.parse = self._fast_parse()

    def keep(self, row, cells, recs):
        self.batch += recs

    def begin(self) -> None:
        if self.count_strategy:
            self.before = database.execute_sql("SELECT count(*) FROM score").fetchone()[0]

    def parse(self, row, cells):
        return self.careful(row, cells)

    def _fast_parse(self):
        """parse() for the long shape: locals instead of attribute lookups, ~1 µs a row."""
        emps_get, months_ok, dims_ok = self.emps.get, self.months_ok, self.dims_ok
        ie, im, idim, iv = self.ie, self.im, self.idim, self.iv
        groups, append, careful = self.seen.groups, self.batch.append, self.screened(self.careful)

        def parse(row, cells):
            try:
                emp = emps_get(cells[ie])
                m = months_ok[cells[im]]
                dim = dims_ok[cells[idim]]
                raw = cells[iv]
                v = float(raw)
            except (KeyError, IndexError, TypeError, ValueError):
                return careful(row, cells)
            if emp is None or not (dim[5] <= v <= dim[6]):  # (a NaN fails the range test too)
                return careful(row, cells)
            if raw.__class__ is bool or raw.__class__ is str and "_" in raw:  # float() reads TRUE and 1_0 too
                return careful(row, cells)
            bits = groups.get((dim[0], m))
            i = emp[0]
            if bits is None or bits[i >> 3] & (1 << (i & 7)):
                return careful(row, cells)  # a new (dimension, month), or a duplicate key
            bits[i >> 3] |= 1 << (i & 7)
            append((emp[1], dim[1], m, v))
            return None
        return parse

    def careful(self, row, cells):
        errs: list = []
        n = len(cells)
        emp = self.employee(cells, row, errs)
        raw_m = cells[self.im] if self.im < n else None
        try:
            m = self.month(raw_m)
        except V.CellError as exc:
            errs.append(RowError(row, self.head["month"], exc.key, exc.fields))
            m = _BAD
        else:
            if m is None:
                m = self.required(None, "month", row, errs)
            elif m > self.this_month:
                errs.append(RowError(row, self.head["month"], "import.val.future_month",
                                     {"value": m, "today": self.today.isoformat()}))
                m = _BAD
            elif raw_m.__class__ is str:
                self.months_ok[raw_m] = m
        if self.mapping.wide:
            recs = self._wide(row, cells, n, errs)
        else:
            raw_d = cells[self.idim] if self.idim < n else None
            dim = self.ref.dimension(raw_d, self.head["dimension"], row, errs)
            if dim is not _BAD and raw_d.__class__ is str:
                self.dims_ok[raw_d] = dim
            raw_v = cells[self.iv] if self.iv < n else None
            try:
                v = V.number(raw_v)
            except V.CellError as exc:
                errs.append(RowError(row, self.head["score"], exc.key, exc.fields))
                v = _BAD
            else:
                if v is None:
                    v = self.required(None, "score", row, errs)
            if v is not _BAD and dim is not _BAD and not (dim[5] <= v <= dim[6]):
                errs.append(self._range_error(row, self.head["score"], v, dim))
            recs = [(dim, v)]
        if errs:
            raise RowInvalid(errs)
        for dim, _v in recs:
            if self.seen.has((dim[0], m), emp[0]):
                raise RowInvalid([RowError(row, "", "import.val.duplicate_key",
                                           {"key": f"{emp[5]} · {dim[2]} · {m}"})])
        out = []
        for dim, v in recs:
            self.seen.mark((dim[0], m), emp[0])
            out.append((emp[1], dim[1], m, v))
        if out:
            self.touched_months.add(m)
        return out

    def _wide(self, row, cells, n, errs) -> list:
        recs = []
        for idx, dim, header in self.wide_cols:
            try:
                v = V.number(cells[idx] if idx < n else None)
            except V.CellError as exc:
                errs.append(RowError(row, header, exc.key, exc.fields))
                continue
            if v is None:
                continue  # an empty cell: that dimension was not scored that month
            if not (dim[5] <= v <= dim[6]):
                errs.append(self._range_error(row, header, v, dim))
                continue
            recs.append((dim, v))
        return recs

    @staticmethod
    def _range_error(row, header, v, dim):
        return RowError(row, header, "import.val.score_range",
                        {"value": V.fmt(v), "lo": V.fmt(dim[5]), "hi": V.fmt(dim[6]), "code": dim[2],
                         "name_zh": dim[3], "name_en": dim[4]})

    def flush(self):
        recs = self.batch
        if not recs:
            return []
        self.touched_months.update(self.months_ok.values())
        if self.writing and self.count_strategy:
            cur = database.cursor()
            cur.executemany(self.UPSERT, recs)
            self.changes += max(0, cur.rowcount)
            self.records += len(recs)
            recs.clear()
            return []
        existing = {}
        for i in range(0, len(recs), 5000):
            chunk = recs[i:i + 5000]
            sql = ("SELECT employee_id, dimension_id, month, value FROM score WHERE (employee_id, dimension_id, month)"
                   " IN (VALUES " + ",".join(["(?,?,?)"] * len(chunk)) + ")")
            for e, d, m, v in database.execute_sql(sql, [x for r in chunk for x in r[:3]]):
                existing[(e, d, m)] = v
        changed = []
        for r in recs:
            old = existing.get(r[:3])
            if old is None:
                self.new += 1
                changed.append(r)
            elif old == r[3]:
                self.unchanged += 1
            else:
                self.updated += 1
                changed.append(r)
        if self.writing and changed:
            database.cursor().executemany(self.UPSERT, changed)
        recs.clear()
        return []

    def end(self) -> None:
        if self.count_strategy and self.writing and self.before is not None:
            after = database.execute_sql("SELECT count(*) FROM score").fetchone()[0]
            self.new = after - self.before
            self.updated = self.changes - self.new
            self.unchanged = self.records - self.changes

    def after(self) -> None:
        """Derived data follows the scores: the portrait's team statistics go stale (any month: trends too), and
        when the window changed, the roster's overall score and its key-shortfall marks are recomputed."""
        if not (self.new or self.updated):
            return
        refresh_derived(self.today, window_changed=bool(self._window() & self.touched_months))

    def _window(self) -> set[str]:
        return set(window(self.today, _window_months()))


def refresh_derived(today, *, window_changed: bool) -> None:
    """After scores or employees changed (inside the import's transaction): mark the team statistics stale and,
    when the window's data moved, recompute overall scores and shortfall marks (which warms the statistics)."""
    from hrtui.domain import team_stats

    team_stats.scores_changed()
    if window_changed:
        from hrtui.domain.attention import refresh_shortfalls
        from hrtui.domain.roster import refresh_overall

        refresh_overall(today, _window_months())
        refresh_shortfalls(today)


def _window_months() -> int:
    try:
        return config.load_settings().thresholds.window_months
    except ValueError:
        return 3


HANDLERS = {"departments": Departments, "positions": Positions, "dimensions": Dimensions, "courses": Courses,
            "projects": Projects, "employees": EmployeesHandler, "attendance": Attendance, "salary": Salary,
            "hours": Hours, "training": Training, "leave": Leave, "requirements": Requirements, "scores": Scores}


