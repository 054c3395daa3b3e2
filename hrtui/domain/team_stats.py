"""Team statistics cache: the department aggregates behind the portrait, computed once per data version.

The portrait compares an employee with the rest of their department. Per dimension it needs the count, sum and sum of
squares of the active members' window means (`gaps.TeamStats`; the employee is subtracted afterwards), and for the
12-month team trend the count and sum of the members' values in each month. Over a department of 28,000 people that
aggregate costs seconds, so it is kept in the table `team_stats` (migration 0007), one row per (department, period,
dimension), each stamped with the **data version** it was computed from. A period is a window
('YYYY-MM..YYYY-MM': stats of the members' window means) or a month ('YYYY-MM': stats of that month's values).
A row with dimension '' counts the department's active members and marks the period as computed.

**The version rule.** The data version is a counter in the setting table ('scores.version'). Every write that can
change a team statistic calls `scores_changed()` — in the same transaction as the writes or after they commit, never
before: scores inserted, updated or deleted; employees added, moved to another department, leaving or returning
(status). Readers compute from one snapshot: the version and the data are read in one transaction, and what was
computed is stored under that version, so nothing computed from older data can pass for current. Rows of another
version are stale. A read that finds its department's periods stale or missing recomputes that department (one
query) and stores it; later reads are a few index lookups. `refresh_shortfalls()` (the needs-attention scan over
everyone, run after the demo and after imports) fills every department in the same pass over the score table;
`refresh_all()` does the same on its own.

The numbers are those of the live aggregate: the same SQL aggregates over the same values. SQLite's sum() is
compensated (Kahan-Babuska-Neumaier, since 3.43), so a sum taken in another row order agrees to the last bit in
practice (the tests compare cached and live numbers exactly), and REAL columns keep floats exactly.

Cache writes are short transactions with upserts that never replace a row of a newer version by an older one; a
write that cannot be made (another connection holds the write lock, a read-only snapshot) is skipped — the next read
recomputes. Safe from any thread: each thread uses its own connection.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

import sqlcipher3
from peewee import DatabaseError

from hrtui.config import Thresholds, load_settings
from hrtui.domain.gaps import TeamStats
from hrtui.domain.months import window
from hrtui.store.db import database

TREND_MONTHS = 12
VERSION_KEY = "scores.version"
MEMBERS = ""  # dimension_id of the row that counts the department's active members


@dataclass
class DepartmentStats:
    """One department over one window and its trend months."""

    members: int                                                          # active members (status != 'left')
    window: dict[str, TeamStats] = field(default_factory=dict)             # dimension id -> members' window means
    monthly: dict[tuple[str, str], tuple[int, float]] = field(default_factory=dict)  # (dimension id, month) -> n, Σ
    monthly_s2: dict[tuple[str, str], float] = field(default_factory=dict)           # (dimension id, month) -> Σ²


MIN_UNSEEN = 3  # a team mean may stand for no fewer unseen colleagues than this


def withheld(actor, department_id: str, win: list[str], stats: DepartmentStats,
             months: list[str] = ()) -> set[tuple[str, str]]:
    """(dimension, period) whose team figure this actor must not see; period is 'window' (the team mean) or a
    month of `months` (a point of the team trend). A figure is withheld when the colleagues outside the actor's scope
    who have data in it number 1 or 2: that figure, less the colleagues the actor does see, would be one person's
    scores or two people's. Counted per figure — a headcount says nothing about who has scores — as the members with
    data (`stats`, the department's statistics) less those the actor may see (a manager's reports: a few rows).
    HR and admins see whole departments: nothing is withheld from them."""
    from hrtui.access.actor import scope_sql

    if actor.role == "admin" or (actor.role == "hr" and department_id in actor.department_ids):
        return set()
    scope, params = scope_sql(actor, "e")
    seen = f"""FROM employee e JOIN score s ON s.employee_id = e.id
               WHERE e.department_id = ? AND e.status != 'left' AND ({scope})"""
    seen_window = dict(database.execute_sql(
        f"SELECT s.dimension_id, count(DISTINCT e.id) {seen} AND s.month BETWEEN ? AND ? GROUP BY 1",
        (department_id, *params, win[0], win[-1])).fetchall())
    out = {(did, "window") for did, st in stats.window.items() if 0 < st.n - seen_window.get(did, 0) < MIN_UNSEEN}
    if months:
        seen_month = {(did, m): n for did, m, n in database.execute_sql(
            f"SELECT s.dimension_id, s.month, count(*) {seen} AND s.month BETWEEN ? AND ? GROUP BY 1, 2",
            (department_id, *params, months[0], months[-1]))}
        out |= {(did, m) for (did, m), (n, _total) in stats.monthly.items()
                if m in months and 0 < n - seen_month.get((did, m), 0) < MIN_UNSEEN}
    return out


def months_for(today: _dt.date, th: Thresholds) -> tuple[list[str], list[str]]:
    """(window, trend months) of the portrait on `today`: the trend is the last 12 full months (or the window when
    longer) and ends with the window."""
    return window(today, th.window_months), window(today, max(TREND_MONTHS, th.window_months))


def window_period(months: list[str]) -> str:
    return f"{months[0]}..{months[-1]}"


# -- the data version ----------------------------------------------------------------------------------------------
def data_version() -> int:
    row = database.execute_sql("SELECT CAST(value AS INTEGER) FROM setting WHERE key = ?", (VERSION_KEY,)).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def scores_changed() -> int:
    """Scores, memberships or statuses changed: every cached team statistic is stale from now on. Returns the new
    version. Call it in the transaction that wrote (or after it committed), never before the writes.

    The new version is above every version in the cache too, so a lost or reset counter cannot revive old rows."""
    rows = database.execute_sql(
        """INSERT INTO setting (key, value)
           VALUES (?, (SELECT coalesce(max(version), 0) + 1 FROM team_stats))
           ON CONFLICT(key) DO UPDATE SET value =
               max(CAST(value AS INTEGER), (SELECT coalesce(max(version), 0) FROM team_stats)) + 1
           RETURNING CAST(value AS INTEGER)""", (VERSION_KEY,)).fetchall()
    return int(rows[0][0])


# -- SQL shared by the per-department query and the full passes ------------------------------------------------------
def person_columns(win: list[str], trend: list[str], s: str = "s") -> tuple[str, list]:
    """Per (employee, dimension) group of score rows `s`: v = window mean, n = window months with data, m0… = the
    value of each trend month (NULL without one). Returns SQL and its parameters."""
    sql = [f"avg({s}.value) FILTER (WHERE {s}.month BETWEEN ? AND ?) AS v",
           f"count(*) FILTER (WHERE {s}.month BETWEEN ? AND ?) AS n"]
    params: list = [win[0], win[-1], win[0], win[-1]]
    for i, m in enumerate(trend):
        sql.append(f"max({s}.value) FILTER (WHERE {s}.month = ?) AS m{i}")
        params.append(m)
    return ", ".join(sql), params


def month_aggregates(trend: list[str], p: str = "p") -> str:
    """Count, sum and sum of squares of each trend month's column of `person_columns` rows `p`."""
    return ", ".join(f"count({p}.m{i}), sum({p}.m{i}), sum({p}.m{i} * {p}.m{i})" for i in range(len(trend)))


def scan_range(win: list[str], trend: list[str]) -> tuple[str, str]:
    """The months the score rows are read for: the window and the trend."""
    return min(win[0], trend[0]), max(win[-1], trend[-1])


def add_months_row(stats: DepartmentStats, did: str, trend: list[str], values) -> None:
    """Take one `month_aggregates` result row (n, Σ, Σ² per month) into `stats`."""
    for i, m in enumerate(trend):
        n, s1, s2 = values[3 * i:3 * i + 3]
        if n:
            stats.monthly[(did, m)] = (n, s1)
            stats.monthly_s2[(did, m)] = s2


def compute(department_id: str, win: list[str], trend: list[str]) -> DepartmentStats:
    """The live aggregate of one department (no cache): one pass over its members' scores."""
    cols, params = person_columns(win, trend)
    lo, hi = scan_range(win, trend)
    members = database.execute_sql("SELECT count(*) FROM employee WHERE department_id = ? AND status != 'left'",
                                    (department_id,)).fetchone()[0]
    out = DepartmentStats(members)
    rows = database.execute_sql(
        f"""SELECT p.did, count(p.v), sum(p.v), sum(p.v * p.v), {month_aggregates(trend)} FROM (
                SELECT d.id AS did, {cols}
                FROM employee e CROSS JOIN dimension d CROSS JOIN score s
                     ON s.employee_id = e.id AND s.dimension_id = d.id AND s.month BETWEEN ? AND ?
                WHERE e.department_id = ? AND e.status != 'left'
                GROUP BY e.rowid, d.rowid) p
            GROUP BY p.did""", [*params, lo, hi, department_id])
    for did, n, s1, s2, *months in rows:
        if n:
            out.window[did] = TeamStats(n, s1, s2)
        add_months_row(out, did, trend, months)
    return out


# -- the cache -------------------------------------------------------------------------------------------------------
def department_stats(department_id: str, win: list[str], trend: list[str]) -> DepartmentStats:
    """The department's statistics over `win` and `trend`: from the cache when current, else computed and stored."""
    with database.atomic():  # one snapshot: the version and the data it describes
        version = data_version()
        found = cached(department_id, win, trend, version)
        if found is not None:
            return found
        stats = compute(department_id, win, trend)
    store(version, win, trend, {department_id: stats})
    return stats


def cached(department_id: str, win: list[str], trend: list[str], version: int | None = None) -> DepartmentStats | None:
    """The stored statistics of data version `version` (default: the current one); None unless every period is
    there."""
    if version is None:
        version = data_version()
    wp = window_period(win)
    periods = [wp, *trend]
    rows = database.execute_sql(
        f"""SELECT period, dimension_id, n, s1, s2 FROM team_stats
            WHERE department_id = ? AND period IN ({','.join('?' * len(periods))}) AND version = ?""",
        [department_id, *periods, version]).fetchall()
    marked = {period: n for period, did, n, _s1, _s2 in rows if did == MEMBERS}
    if len(marked) < len(set(periods)):
        return None
    out = DepartmentStats(marked[wp])
    for period, did, n, s1, s2 in rows:
        if did == MEMBERS:
            continue
        if period == wp:
            out.window[did] = TeamStats(n, s1, s2)
        else:
            out.monthly[(did, period)] = (n, s1)
            out.monthly_s2[(did, period)] = s2
    return out


def _rows(version: int, win: list[str], trend: list[str], departments: dict[str, DepartmentStats]) -> list[tuple]:
    wp = window_period(win)
    rows = []
    for dept, st in departments.items():
        for period in (wp, *trend):
            rows.append((dept, period, MEMBERS, st.members, 0.0, 0.0, version))
        for did, t in st.window.items():
            rows.append((dept, wp, did, t.n, t.s1, t.s2, version))
        for (did, m), (n, s1) in st.monthly.items():
            rows.append((dept, m, did, n, s1, st.monthly_s2[(did, m)], version))
    return rows


_UPSERT = """INSERT INTO team_stats (department_id, period, dimension_id, n, s1, s2, version) VALUES (?,?,?,?,?,?,?)
             ON CONFLICT (department_id, period, dimension_id) DO UPDATE
             SET n = excluded.n, s1 = excluded.s1, s2 = excluded.s2, version = excluded.version
             WHERE excluded.version >= team_stats.version"""


def store(version: int, win: list[str], trend: list[str], departments: dict[str, DepartmentStats], *,
          everything: bool = False) -> bool:
    """Keep statistics computed from data version `version`; False when the write had to be skipped.

    Rows older than `version` are dropped (of these departments; of every department when `everything`)."""
    rows = _rows(version, win, trend, departments)
    try:
        with database.atomic():
            if everything:
                database.execute_sql("DELETE FROM team_stats WHERE version < ?", (version,))
            else:
                database.cursor().executemany("DELETE FROM team_stats WHERE department_id = ? AND version < ?",
                                              [(d, version) for d in departments])
            database.cursor().executemany(_UPSERT, rows)
    except (DatabaseError, sqlcipher3.Error) as exc:  # locked by a long writer, a snapshot that cannot write: skip
        from hrtui import log

        log.event("team_stats.store_skipped", error=type(exc).__name__)
        return False
    return True


# -- every department in one pass ----------------------------------------------------------------------------------
class FullPass:
    """Collects every department's statistics from one pass over the score table, then stores them.

    `refresh_all()` runs the pass on its own; the needs-attention scan (`attention.scan(fill=...)`) runs it inside
    its own read of the window. `version` must be read in the transaction that reads the data."""

    def __init__(self, win: list[str], trend: list[str], version: int):
        self.win, self.trend, self.version = win, trend, version
        self.departments: dict[str, DepartmentStats] = {}

    def department(self, dept: str) -> DepartmentStats:
        if dept not in self.departments:
            self.departments[dept] = DepartmentStats(0)
        return self.departments[dept]

    def add_members(self, rows) -> None:
        """(department id, active members) rows; departments without members are kept as empty."""
        for (dept,) in database.execute_sql("SELECT id FROM department"):
            self.department(dept)
        for dept, n in rows:
            self.department(dept).members = n

    def add_window(self, teams: dict[tuple[str, str], TeamStats]) -> None:
        for (dept, did), t in teams.items():
            if t.n:
                self.department(dept).window[did] = t

    def add_monthly(self, rows) -> None:
        """(department id, dimension id, then `month_aggregates`) rows."""
        for dept, did, *values in rows:
            add_months_row(self.department(dept), did, self.trend, values)

    def store(self) -> bool:
        return store(self.version, self.win, self.trend, self.departments, everything=True)


def refresh_all(today: _dt.date | None = None, thresholds: Thresholds | None = None) -> int:
    """Compute and store every department's statistics for the portrait's window and trend on `today` (one pass over
    the score table); returns the number of departments stored (0 when the write had to be skipped)."""
    from hrtui import config

    th = thresholds or load_settings().thresholds
    win, trend = months_for(today or config.today(), th)
    cols, params = person_columns(win, trend)
    lo, hi = scan_range(win, trend)
    db = database
    with db.atomic():  # one snapshot
        full = FullPass(win, trend, data_version())
        db.execute_sql("DROP TABLE IF EXISTS temp._ts_em")
        db.execute_sql("CREATE TEMP TABLE _ts_em (eid TEXT PRIMARY KEY, dept TEXT NOT NULL) WITHOUT ROWID")
        try:
            db.execute_sql("INSERT INTO _ts_em SELECT id, department_id FROM employee"
                           " WHERE status != 'left' AND department_id IS NOT NULL")
            full.add_members(db.execute_sql("SELECT dept, count(*) FROM _ts_em GROUP BY dept"))
            rows = db.execute_sql(
                f"""SELECT em.dept, p.did, count(p.v), sum(p.v), sum(p.v * p.v), {month_aggregates(trend)} FROM (
                        SELECT s.employee_id AS eid, s.dimension_id AS did, {cols}
                        FROM score s WHERE s.month BETWEEN ? AND ? GROUP BY s.employee_id, s.dimension_id) p
                    JOIN _ts_em em ON em.eid = p.eid
                    GROUP BY em.dept, p.did""", [*params, lo, hi]).fetchall()
        finally:
            db.execute_sql("DROP TABLE IF EXISTS temp._ts_em")
    full.add_window({(dept, did): TeamStats(n, s1, s2) for dept, did, n, s1, s2, *_m in rows if n})
    full.add_monthly([(dept, did, *months) for dept, did, _n, _s1, _s2, *months in rows])
    return len(full.departments) if full.store() else 0
