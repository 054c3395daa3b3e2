"""Needs attention: every employee in the actor's scope with at least one key shortfall, most severe first.

Built for 100k employees × 8 dimensions (the bar: at most 2× a raw SQL aggregate of the same data). Three SQL passes
on per-connection temp tables, then the exact rules in Python on a few percent of the rows:

1. person means: one aggregate over the window's scores → `_attn_pm` (employee key, dimension, mean, months);
2. department totals of those means (n, Σ, Σ²) — the team of each employee is their department minus themself,
   `TeamStats.without()`;
3. candidates: each person mean against a cut-off per (department, position, dimension), computed in Python from
   the totals and requirements with a small slack, so SQL passes a superset and never decides a flag itself.
   `gaps.assess()` — the same function the portrait uses — then decides every flag.

The list reads portraits' numbers, so it follows the access policy's "portraits" and is written to the audit log.
`refresh_shortfalls(today)` runs the same scan over everyone and stores each employee's number of key shortfalls
in employee.shortfalls (the roster's '!'). Its pass over the score table also reads the 12 trend months and fills
the portrait's team statistics cache for every department (`hrtui.domain.team_stats`).
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass, field

from hrtui.access import audit
from hrtui.access.actor import Actor, scope_sql
from hrtui.access.policy import can
from hrtui.config import Thresholds, load_settings
from hrtui.domain import team_stats
from hrtui.domain.gaps import Assessment, TeamStats, assess, decimals, explain, fmt_value
from hrtui.domain.months import window
from hrtui.errors import UserError
from hrtui.i18n import bilingual, register, t
from hrtui.store.db import database

_SLACK = 0.005          # cut-offs are this much looser than the rules: SQL keeps a superset of the flags
_CHUNK = 500


@dataclass
class AttentionFlag:
    code: str
    name_zh: str
    name_en: str
    unit: str
    places: int
    direction: str
    value: float
    months_with_data: int
    team_mean: float | None
    team_sd: float | None
    team_size: int
    requirement: float | None
    gap_team: float | None
    gap_team_pct: float | None
    team_ratio: float | None
    gap_requirement: float | None
    gap_requirement_pct: float | None
    z: float | None
    reasons: list[str]
    severity: float
    severity_basis: str

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en

    def fmt(self, value: float | None) -> str:
        return fmt_value(value, self.unit, self.places)

    def explanation(self, lang: str, window_months: int) -> str:
        a = Assessment(self.direction, self.value, self.team_mean, self.team_sd, self.team_size, self.requirement,
                       self.gap_team, self.gap_team_pct, self.team_ratio, self.gap_requirement,
                       self.gap_requirement_pct, self.z, list(self.reasons), self.severity, self.severity_basis)
        return explain(self.name(lang), self.unit, self.places, a, lang, months_with_data=self.months_with_data,
                       window_months=window_months, alone=self.team_mean is None) or ""


@dataclass
class AttentionRow:
    employee_id: str
    number: str
    name_zh: str
    name_en: str
    department_code: str
    department_zh: str
    department_en: str
    severity: float                   # of the most severe flag shown
    flags: list[AttentionFlag] = field(default_factory=list)  # most severe first

    def name(self, lang: str) -> str:
        return bilingual(lang, self.name_zh, self.name_en)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class AttentionResult:
    window: list[str]
    department: str | None
    dimension: str | None
    rows: list[AttentionRow]

    def to_dict(self) -> dict:
        return asdict(self)


# -- the scan --------------------------------------------------------------------------------------------------
@dataclass
class _Dim:
    id: str
    code: str
    name_zh: str
    name_en: str
    unit: str
    direction: str
    lo: float
    hi: float


def _dimensions() -> dict[str, _Dim]:
    return {r[0]: _Dim(*r) for r in database.execute_sql(
        "SELECT id, code, name_zh, name_en, unit, direction, scale_min, scale_max FROM dimension ORDER BY sort, code")}


def _cut(d: _Dim, team: TeamStats | None, requirement: float | None, th: Thresholds) -> float:
    """Person means beyond this value may be flagged (≤ for higher-is-better, ≥ for lower-is-better)."""
    if d.lo < 0:  # references may be negative: no shortcut, every value goes to the exact rules
        return 1e308 if d.direction != "lower" else -1e308
    cuts = []
    if d.direction == "lower":
        k = th.lower_ratio * (1 - _SLACK)
        if team is not None and team.n > 1 and team.s1 > 0:
            cuts.append(k * team.s1 / (team.n - 1 + k))  # v ≥ k·(S1−v)/(n−1)  ⇔  v ≥ k·S1/(n−1+k)
        if requirement is not None and requirement > 0:
            cuts.append(requirement * (1 + th.requirement_gap_pct / 100) * (1 - _SLACK))
        return min(cuts) if cuts else 1e308
    k = (1 - th.team_gap_pct / 100) * (1 + _SLACK)
    if team is not None and team.n > 1 and team.s1 > 0:
        cuts.append(k * team.s1 / (team.n - 1 + k))      # v ≤ k·(S1−v)/(n−1)  ⇔  v ≤ k·S1/(n−1+k)
    if requirement is not None and requirement > 0:
        cuts.append(requirement * (1 - th.requirement_gap_pct / 100) * (1 + _SLACK))
    return max(cuts) if cuts else -1e308


def scan(scope: str, params: list, win: list[str], th: Thresholds, *, departments: list[str] | None = None,
         dimension_id: str | None = None, full: bool = False, fill: team_stats.FullPass | None = None,
         no_team: set[tuple[str, str]] = frozenset()) -> dict[str, list[tuple[str, Assessment, int]]]:
    """employee id -> [(dimension id, assessment, months with data)] of their key shortfalls.

    `scope` (SQL on employee alias e) picks the subjects; `departments` (ids) limits which departments are read at
    all (None: every department); `full` reads the window with one scan of the score table (fastest when most
    employees are read). `fill` (with `full` over every department) also reads its trend months in that scan and
    hands it every department's team statistics (the caller stores them). For the (department, dimension) pairs
    of `no_team` (`team_stats.withheld`) nobody is compared with the team: the requirement only.
    """
    if fill is not None and not (full and departments is None and fill.win == win):
        raise ValueError("scan(fill=...) needs a full scan of every department over the same window")
    db = database
    dims = _dimensions()
    for name in ("_attn_pm", "_attn_em", "_attn_cut"):
        db.execute_sql(f"DROP TABLE IF EXISTS temp.{name}")
    db.execute_sql("CREATE TEMP TABLE _attn_em (k INTEGER PRIMARY KEY, eid TEXT UNIQUE, dept TEXT, pos TEXT, subj INT)")
    where, wparams = "e.status != 'left'", []
    if departments is not None:
        where += f" AND e.department_id IN ({','.join('?' * len(departments))})"
        wparams = list(departments)
    db.execute_sql(
        f"""INSERT INTO _attn_em (eid, dept, pos, subj)
            SELECT e.id, e.department_id, coalesce(e.position_id, ''), CASE WHEN {scope} THEN 1 ELSE 0 END
            FROM employee e WHERE {where}""", [*params, *wparams])
    if fill is not None:
        # One pass for the window means (v, n) and the trend months (m0…) of the team statistics cache.
        cols, cparams = team_stats.person_columns(win, fill.trend)
        lo, hi = team_stats.scan_range(win, fill.trend)
        db.execute_sql("CREATE TEMP TABLE _attn_pm (k INTEGER, did TEXT, v REAL, n INTEGER"
                       + "".join(f", m{i} REAL" for i in range(len(fill.trend))) + ")")
        db.execute_sql(
            f"""INSERT INTO _attn_pm SELECT * FROM (
                   SELECT (SELECT k FROM _attn_em WHERE eid = s.employee_id) AS k, s.dimension_id AS did, {cols}
                   FROM score s WHERE s.month BETWEEN ? AND ? GROUP BY s.employee_id, s.dimension_id)
               WHERE k IS NOT NULL""", [*cparams, lo, hi])
        fill.add_members(db.execute_sql("SELECT dept, count(*) FROM _attn_em WHERE dept IS NOT NULL GROUP BY dept"))
        fill.add_monthly(db.execute_sql(
            f"""SELECT em.dept, p.did, {team_stats.month_aggregates(fill.trend)}
                FROM _attn_pm p JOIN _attn_em em ON em.k = p.k WHERE em.dept IS NOT NULL GROUP BY em.dept, p.did"""))
        db.execute_sql("DELETE FROM _attn_pm WHERE n = 0")  # data in the trend months only: not in the window
    elif full:
        db.execute_sql("CREATE TEMP TABLE _attn_pm (k INTEGER, did TEXT, v REAL, n INTEGER)")
        db.execute_sql(
            """INSERT INTO _attn_pm SELECT k, did, v, n FROM (
                   SELECT (SELECT k FROM _attn_em WHERE eid = s.employee_id) AS k, s.dimension_id AS did,
                          avg(s.value) AS v, count(*) AS n
                   FROM score s WHERE s.month BETWEEN ? AND ? GROUP BY s.employee_id, s.dimension_id)
               WHERE k IS NOT NULL""", (win[0], win[-1]))
    else:
        db.execute_sql("CREATE TEMP TABLE _attn_pm (k INTEGER, did TEXT, v REAL, n INTEGER)")
        db.execute_sql(
            """INSERT INTO _attn_pm SELECT em.k, d.id, avg(s.value), count(*)
               FROM _attn_em em CROSS JOIN dimension d CROSS JOIN score s
                    ON s.employee_id = em.eid AND s.dimension_id = d.id AND s.month BETWEEN ? AND ?
               GROUP BY em.k, d.id""", (win[0], win[-1]))
    teams = {(dept, did): TeamStats(n, s1, s2) for dept, did, n, s1, s2 in db.execute_sql(
        """SELECT em.dept, p.did, count(*), sum(p.v), sum(p.v * p.v) FROM _attn_pm p JOIN _attn_em em ON em.k = p.k
           WHERE em.dept IS NOT NULL GROUP BY em.dept, p.did""")}
    if fill is not None:
        fill.add_window(teams)
    reqs = {(pos, did): v for pos, did, v in db.execute_sql(
        "SELECT position_id, dimension_id, value FROM position_requirement")}
    pairs = db.execute_sql("SELECT DISTINCT coalesce(dept, ''), pos FROM _attn_em WHERE subj = 1").fetchall()
    db.execute_sql("CREATE TEMP TABLE _attn_cut (dept TEXT, pos TEXT, did TEXT, dir INT, cut REAL,"
                   " PRIMARY KEY (dept, pos, did)) WITHOUT ROWID")
    cuts = []
    for dept, pos in pairs:
        for did, d in dims.items():
            if dimension_id and did != dimension_id:
                continue
            cuts.append((dept, pos, did, -1 if d.direction == "lower" else 1,
                         _cut(d, None if (dept, did) in no_team else teams.get((dept, did)), reqs.get((pos, did)), th)))
    db.cursor().executemany("INSERT INTO _attn_cut VALUES (?,?,?,?,?)", cuts)
    candidates = db.execute_sql(
        """SELECT em.eid, coalesce(em.dept, ''), em.pos, p.did, p.v, p.n
           FROM _attn_pm p JOIN _attn_em em ON em.k = p.k AND em.subj = 1
           JOIN _attn_cut c ON c.dept = coalesce(em.dept, '') AND c.pos = em.pos AND c.did = p.did
           WHERE (c.dir = 1 AND p.v <= c.cut) OR (c.dir = -1 AND p.v >= c.cut)""").fetchall()
    for name in ("_attn_pm", "_attn_em", "_attn_cut"):
        db.execute_sql(f"DROP TABLE IF EXISTS temp.{name}")
    out: dict[str, list[tuple[str, Assessment, int]]] = {}
    for eid, dept, pos, did, v, n in candidates:
        team = teams.get((dept, did)) if dept and (dept, did) not in no_team else None
        a = assess(dims[did].direction, v, team.without(v) if team else None, reqs.get((pos, did)), th)
        if a.flagged:
            out.setdefault(eid, []).append((did, a, n))
    return out


def _withheld_means(actor: Actor, departments: list[str], today: _dt.date, th: Thresholds) -> set[tuple[str, str]]:
    """(department, dimension) team means this actor may not see (`team_stats.withheld`); none for HR and admins."""
    if actor.role in ("admin", "hr"):
        return set()
    win, trend = team_stats.months_for(today, th)
    return {(dept, did) for dept in departments for did, _period in
            team_stats.withheld(actor, dept, win, team_stats.department_stats(dept, win, trend))}


def _order(dims: dict[str, _Dim]) -> dict[str, int]:
    return {did: i for i, did in enumerate(dims)}


# -- the needs-attention list ---------------------------------------------------------------------------------
def attention(actor: Actor, department: str | None = None, dimension: str | None = None, *, lang: str = "en",
              today: _dt.date | None = None, thresholds: Thresholds | None = None) -> AttentionResult:
    """Employees in the actor's scope with at least one key shortfall, ranked by severity (most severe first).

    `department` and `dimension` are codes; a dimension filter keeps employees flagged on that dimension and ranks
    them by that flag.
    """
    from hrtui import config

    if not can(actor, "read", "portraits"):
        raise UserError(t("attention.not_allowed", lang))
    th = thresholds or load_settings().thresholds
    today = today or config.today()
    win = window(today, th.window_months)
    dims = _dimensions()
    dimension_id = None
    if dimension:
        dimension_id = next((d.id for d in dims.values() if d.code == dimension.upper()), None)
        if dimension_id is None:
            raise UserError(t("attention.unknown_dimension", lang, code=dimension,
                              codes=", ".join(d.code for d in dims.values())))
    scope, params = scope_sql(actor, "e")
    dept_id = None
    if department:
        row = database.execute_sql("SELECT id FROM department WHERE code = ?", (department.upper(),)).fetchone()
        if row is None:
            raise UserError(t("attention.unknown_department", lang, code=department))
        dept_id = row[0]
        if actor.role == "hr" and dept_id not in actor.department_ids:
            raise UserError(t("attention.department_out_of_scope", lang, code=department.upper()))
        scope, params = f"({scope}) AND e.department_id = ?", [*params, dept_id]
    no_team: set[tuple[str, str]] = set()   # (department, dimension) team means the actor may not see
    if dept_id:
        departments, full = [dept_id], False
        no_team = _withheld_means(actor, departments, today, th)
    elif actor.role == "admin":
        departments, full = None, True
    elif actor.role == "hr":
        departments, full = list(actor.department_ids), False
    else:  # a manager's reports: their whole departments are their teams
        inner, p2 = scope_sql(actor, "e")
        departments = [r[0] for r in database.execute_sql(
            f"SELECT DISTINCT e.department_id FROM employee e WHERE {inner} AND e.department_id IS NOT NULL", p2)]
        no_team = _withheld_means(actor, departments, today, th)
        full = False
        if database.execute_sql(f"SELECT 1 FROM employee e WHERE {inner} AND e.department_id IS NULL LIMIT 1",
                                p2).fetchone():
            # Reports without a department have no team; read them too (their "department" is nobody).
            departments, full = None, True
    found = scan(scope, params, win, th, departments=departments, dimension_id=dimension_id, full=full,
                 no_team=no_team)
    order = _order(dims)
    info = _employee_info(list(found))
    rows = []
    for eid, flags in found.items():
        flags.sort(key=lambda f: (-f[1].severity, order[f[0]]))
        num, zh, en, dcode, dzh, den = info[eid]
        rows.append(AttentionRow(eid, num, zh, en, dcode, dzh, den, flags[0][1].severity,
                                 [_flag(dims[did], a, n) for did, a, n in flags]))
    rows.sort(key=lambda r: (-r.severity, r.number))
    audit.record(actor, "attention.read", "", {"department": department or "", "dimension": dimension or "",
                                               "employees": len(rows)})
    return AttentionResult(win, department.upper() if department else None,
                           dimension.upper() if dimension else None, rows)


def _flag(d: _Dim, a: Assessment, n: int) -> AttentionFlag:
    return AttentionFlag(d.code, d.name_zh, d.name_en, d.unit, decimals(d.lo, d.hi), d.direction, a.value, n,
                         a.team_mean, a.team_sd, a.team_size, a.requirement, a.gap_team, a.gap_team_pct,
                         a.team_ratio, a.gap_requirement, a.gap_requirement_pct, a.z, list(a.reasons), a.severity,
                         a.severity_basis)


def _employee_info(ids: list[str]) -> dict[str, tuple]:
    out = {}
    for i in range(0, len(ids), _CHUNK):
        part = ids[i:i + _CHUNK]
        for r in database.execute_sql(
                f"""SELECT e.id, e.number, e.name_zh, e.name_en, coalesce(d.code, ''), coalesce(d.name_zh, ''),
                           coalesce(d.name_en, '')
                    FROM employee e LEFT JOIN department d ON d.id = e.department_id
                    WHERE e.id IN ({','.join('?' * len(part))})""", part):
            out[r[0]] = r[1:]
    return out


def refresh_shortfalls(today: _dt.date | None = None, thresholds: Thresholds | None = None, *,
                       cache: bool = True) -> int:
    """Store every employee's number of key shortfalls in employee.shortfalls; returns how many have any.

    With `cache` the same pass fills the portrait's team statistics (every department's window and 12 trend months,
    `hrtui.domain.team_stats`) for the data version it read."""
    from hrtui import config

    th = thresholds or load_settings().thresholds
    win, trend = team_stats.months_for(today or config.today(), th)
    with database.atomic():
        fill = team_stats.FullPass(win, trend, team_stats.data_version()) if cache else None
        found = scan("1", [], win, th, full=True, fill=fill)
        database.execute_sql("UPDATE employee SET shortfalls = 0 WHERE shortfalls != 0")
        database.cursor().executemany("UPDATE employee SET shortfalls = ? WHERE id = ?",
                                      [(len(flags), eid) for eid, flags in found.items()])
        if fill is not None:
            fill.store()
    return len(found)


def department_choices(actor: Actor) -> list[tuple[str, str, str]]:
    """(code, name_zh, name_en) of the departments the actor's attention list can be filtered by."""
    scope, params = scope_sql(actor, "e")
    return database.execute_sql(
        f"""SELECT d.code, d.name_zh, d.name_en FROM department d
            WHERE EXISTS (SELECT 1 FROM employee e WHERE e.department_id = d.id AND {scope}) ORDER BY d.code""",
        params).fetchall()


def dimension_choices() -> list[tuple[str, str, str]]:
    return [(d.code, d.name_zh, d.name_en) for d in _dimensions().values()]


register(
    {
        "attention.not_allowed": "the needs-attention list is for HR, managers and admins",
        "attention.unknown_department": "unknown department {code!r}",
        "attention.department_out_of_scope": "department {code} is outside your scope",
        "attention.unknown_dimension": "unknown dimension {code!r}; expected one of {codes}",
        "attention.col.number": "No.",
        "attention.col.name": "Name",
        "attention.col.department": "Dept",
        "attention.col.dimension": "Dimension",
        "attention.col.value": "Value",
        "attention.col.team": "Team",
        "attention.col.req": "Req.",
        "attention.col.severity": "Severity",
        "attention.cli.count": "{n} employees need attention (window {first}..{last})",
    },
    {
        "attention.not_allowed": "“需关注”名单仅供 HR、经理和管理员查看",
        "attention.unknown_department": "没有部门 {code!r}",
        "attention.department_out_of_scope": "部门 {code} 不在你的权限范围内",
        "attention.unknown_dimension": "没有维度 {code!r}；可选：{codes}",
        "attention.col.number": "工号",
        "attention.col.name": "姓名",
        "attention.col.department": "部门",
        "attention.col.dimension": "维度",
        "attention.col.value": "本人",
        "attention.col.team": "团队",
        "attention.col.req": "要求",
        "attention.col.severity": "严重度",
        "attention.cli.count": "共 {n} 人需关注（时段 {first}..{last}）",
    },
)
