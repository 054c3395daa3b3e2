"""The team statistics cache behind the portrait (hrtui.domain.team_stats): the cached numbers are the live
aggregate's, to the last bit; a data-version bump (scores written, employees moved or leaving) makes the next portrait
recompute; cold and warm portraits are identical; cache writes are safe from worker threads and never block a reader.

Today is pinned to 2026-11-30: the window is 2026-08..2026-10 and the trend 2025-11..2026-10.
"""
from __future__ import annotations

import datetime as _dt
import random
import threading

import pytest

from hrtui.access.actor import Actor
from hrtui.config import Thresholds
from hrtui.domain import team_stats as ts
from hrtui.domain.attention import refresh_shortfalls, scan
from hrtui.domain.gaps import TeamStats
from hrtui.domain.portrait import portrait
from hrtui.store import open_store
from hrtui.store.db import database, open_db
from hrtui.store.models import Department, Dimension, Employee, Score
from hrtui.transfer.engine import Options, run_import

TODAY = _dt.date(2026, 11, 30)
TH = Thresholds()
WIN, TREND = ts.months_for(TODAY, TH)
ADMIN = Actor("u-admin", "admin", "admin")


# -- the live aggregate, written out as the portrait computed it before the cache --------------------------------------
def live(department_id: str, win: list[str] = WIN, trend: list[str] = TREND) -> ts.DepartmentStats:
    members = database.execute_sql("SELECT count(*) FROM employee WHERE department_id = ? AND status != 'left'",
                                   (department_id,)).fetchone()[0]
    out = ts.DepartmentStats(members)
    for did, n, s1, s2 in database.execute_sql(
            """SELECT did, count(*), sum(v), sum(v * v) FROM (
                   SELECT s.dimension_id AS did, avg(s.value) AS v
                   FROM employee e CROSS JOIN dimension d CROSS JOIN score s
                        ON s.employee_id = e.id AND s.dimension_id = d.id AND s.month BETWEEN ? AND ?
                   WHERE e.department_id = ? AND e.status != 'left'
                   GROUP BY s.employee_id, s.dimension_id)
               GROUP BY did""", (win[0], win[-1], department_id)):
        out.window[did] = TeamStats(n, s1, s2)
    for did, m, n, s1, s2 in database.execute_sql(
            """SELECT s.dimension_id, s.month, count(*), sum(s.value), sum(s.value * s.value)
               FROM employee e CROSS JOIN dimension d CROSS JOIN score s
                    ON s.employee_id = e.id AND s.dimension_id = d.id AND s.month BETWEEN ? AND ?
               WHERE e.department_id = ? AND e.status != 'left'
               GROUP BY s.dimension_id, s.month""", (trend[0], trend[-1], department_id)):
        out.monthly[(did, m)] = (n, s1)
        out.monthly_s2[(did, m)] = s2
    return out


def departments() -> list[str]:
    return [r[0] for r in database.execute_sql("SELECT id FROM department ORDER BY code")]


def cache_of_every_department() -> dict[str, ts.DepartmentStats | None]:
    return {d: ts.cached(d, WIN, TREND) for d in departments()}


def clear_cache() -> None:
    database.execute_sql("DELETE FROM team_stats")


def number_in(code: str, offset: int = 0) -> str:
    return database.execute_sql(
        "SELECT e.number FROM employee e JOIN department d ON d.id = e.department_id"
        " WHERE d.code = ? AND e.status != 'left' ORDER BY e.number LIMIT 1 OFFSET ?", (code, offset)).fetchone()[0]


def department_of(number: str) -> str:
    return database.execute_sql("SELECT department_id FROM employee WHERE number = ?", (number,)).fetchone()[0]


def write_csv(path, rows) -> str:
    path.write_text("\n".join(",".join(map(str, r)) for r in rows) + "\n", encoding="utf-8")
    return str(path)


def import_(kind: str, path) -> None:
    report = run_import(ADMIN, kind, path, Options())
    assert report.committed and not report.invalid, report.errors


# -- on the demo ----------------------------------------------------------------------------------------------------
def test_the_demo_leaves_every_department_cached_with_the_live_numbers(demo_db):
    assert ts.data_version() > 0
    cache = cache_of_every_department()
    assert len(cache) == 6 and all(st is not None for st in cache.values())  # the first portrait is already fast
    for dept, st in cache.items():
        assert st == live(dept), dept                                          # exactly: same bits
        assert st.window and len(st.monthly) == 8 * 12


def test_every_way_of_filling_gives_the_same_numbers(demo_db):
    reference = {d: live(d) for d in departments()}
    clear_cache()
    ts.scores_changed()
    assert refresh_shortfalls(TODAY) > 0
    assert cache_of_every_department() == reference
    clear_cache()
    assert ts.refresh_all(TODAY) == 6
    assert cache_of_every_department() == reference
    clear_cache()
    assert {d: ts.department_stats(d, WIN, TREND) for d in departments()} == reference
    assert cache_of_every_department() == reference


def test_the_scan_finds_the_same_flags_when_it_fills_the_cache(demo_db):
    with database.atomic():
        plain = scan("1", [], WIN, TH, full=True)
        fill = ts.FullPass(WIN, TREND, ts.data_version())
        filled = scan("1", [], WIN, TH, full=True, fill=fill)
    assert filled == plain and plain
    assert fill.departments == {d: live(d) for d in departments()}
    with pytest.raises(ValueError):
        scan("1", [], WIN, TH, full=False, fill=fill)


def test_cold_and_warm_portraits_are_identical(demo_db, stories):
    numbers = sorted(set(stories.values()) | {number_in(c, 3) for c in ("SALES", "RD", "CS", "OPS", "FIN", "HR")})
    warm_from_demo = {n: portrait(ADMIN, n, "en", TODAY).to_dict() for n in numbers}
    clear_cache()
    cold = {n: portrait(ADMIN, n, "en", TODAY).to_dict() for n in numbers}
    warm = {n: portrait(ADMIN, n, "zh", TODAY) for n in numbers}
    assert cold == warm_from_demo
    for n in numbers:
        assert [(d.team_mean, d.team_sd, d.team_trend) for d in warm[n].dimensions] == \
               [(d["team_mean"], d["team_sd"], d["team_trend"]) for d in cold[n]["dimensions"]]


def test_a_score_written_by_the_importer_shows_after_the_bump(demo_db, stories, tmp_path):
    number = stories["csat"]
    dept = department_of(number)
    before = portrait(ADMIN, number, "en", TODAY).dimension("CSAT")
    teammate = next(n for n in (number_in("SALES", i) for i in range(10)) if n != number)
    assert department_of(teammate) == dept
    rows = [["工号", "指标", "月份", "得分"]] + [[teammate, "CSAT", m, 0] for m in WIN]
    import_("scores", write_csv(tmp_path / "scores.csv", rows))
    ts.scores_changed()
    after = portrait(ADMIN, number, "en", TODAY).dimension("CSAT")
    assert after.team_mean < before.team_mean - 0.5        # one of 66 teammates at 0 pulls the mean down
    team = live(dept).window[Dimension.get(Dimension.code == "CSAT").id].without(after.value)
    assert (after.team_size, after.team_mean) == (team.n, team.s1 / team.n)
    assert after.team_trend[-3:] != before.team_trend[-3:] and after.team_trend[:-3] == before.team_trend[:-3]
    assert ts.cached(dept, WIN, TREND) == live(dept)


def test_moving_an_employee_or_leaving_invalidates_the_departments(demo_db, tmp_path):
    sales_one, rd_one = number_in("SALES", 5), number_in("RD", 5)
    mover, leaver = number_in("SALES", 6), number_in("SALES", 7)
    sales, rd = department_of(sales_one), department_of(rd_one)
    p_sales, p_rd = portrait(ADMIN, sales_one, "en", TODAY), portrait(ADMIN, rd_one, "en", TODAY)
    import_("employees", write_csv(tmp_path / "move.csv", [["工号", "部门"], [mover, "RD"]]))
    ts.scores_changed()
    assert portrait(ADMIN, sales_one, "en", TODAY).team_size == p_sales.team_size - 1
    assert portrait(ADMIN, rd_one, "en", TODAY).team_size == p_rd.team_size + 1
    assert ts.cached(sales, WIN, TREND) == live(sales) and ts.cached(rd, WIN, TREND) == live(rd)
    import_("employees", write_csv(tmp_path / "leave.csv", [["工号", "状态"], [leaver, "离职"]]))
    ts.scores_changed()
    assert portrait(ADMIN, sales_one, "en", TODAY).team_size == p_sales.team_size - 2
    assert ts.cached(sales, WIN, TREND) == live(sales)


def test_without_a_bump_the_stored_numbers_are_served(demo_db):
    """The version is the whole contract: a writer that does not bump leaves the cache as it was."""
    dept = department_of(number_in("FIN"))
    stored = ts.cached(dept, WIN, TREND)
    database.execute_sql("UPDATE score SET value = 0 WHERE month = ? AND employee_id IN"
                         " (SELECT id FROM employee WHERE department_id = ?)", (WIN[-1], dept))
    assert ts.department_stats(dept, WIN, TREND) == stored != live(dept)
    ts.scores_changed()
    assert ts.department_stats(dept, WIN, TREND) == live(dept) != stored


def test_rows_of_an_older_version_never_replace_newer_ones(demo_db):
    dept = departments()[0]
    current = ts.department_stats(dept, WIN, TREND)
    old = ts.data_version()
    new = ts.scores_changed()
    assert new > old and ts.cached(dept, WIN, TREND) is None               # stale: never served
    ts.store(new, WIN, TREND, {dept: current})
    fake = ts.DepartmentStats(current.members + 1, {"x": TeamStats(1, 1.0, 1.0)})
    assert ts.store(old, WIN, TREND, {dept: fake})                          # a slow reader, finishing late
    assert ts.cached(dept, WIN, TREND) == current


def test_the_version_stays_above_every_cached_row(demo_db):
    high = database.execute_sql("SELECT max(version) FROM team_stats").fetchone()[0]
    database.execute_sql("DELETE FROM setting WHERE key = ?", (ts.VERSION_KEY,))
    assert ts.data_version() == 0
    assert ts.scores_changed() == high + 1 and ts.data_version() == high + 1
    assert all(st is None for st in cache_of_every_department().values())


def test_a_busy_database_still_gives_the_numbers(demo_db):
    """Another connection holding the write lock (an import) does not fail a portrait's cache write: it is skipped
    and made by a later read."""
    ts.scores_changed()
    dept = departments()[1]
    other = open_db(demo_db, bind=False)
    database.execute_sql("PRAGMA busy_timeout = 50")
    try:
        other.execute_sql("BEGIN IMMEDIATE")
        assert ts.department_stats(dept, WIN, TREND) == live(dept)
        assert ts.cached(dept, WIN, TREND) is None
        other.execute_sql("ROLLBACK")
    finally:
        other.close()
        database.execute_sql("PRAGMA busy_timeout = 5000")
    assert ts.department_stats(dept, WIN, TREND) == live(dept) == ts.cached(dept, WIN, TREND)


def test_portraits_in_worker_threads_share_the_cache(demo_db):
    numbers = [number_in(c, k) for c in ("SALES", "RD", "CS", "OPS", "FIN", "HR") for k in (1, 2)]
    expected = {n: portrait(ADMIN, n, "en", TODAY).to_dict() for n in numbers}
    ts.scores_changed()
    results, errors = {}, []

    def work(chunk):
        try:
            for n in chunk:
                results[n] = portrait(ADMIN, n, "en", TODAY).to_dict()
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            database.close()  # each worker has its own connection

    threads = [threading.Thread(target=work, args=(numbers[i::4],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and results == expected
    assert cache_of_every_department() == {d: live(d) for d in departments()}


# -- on hand-built data -----------------------------------------------------------------------------------------------
@pytest.fixture
def org(tmp_path):
    """Three departments with random values (many decimals, so sums depend on their order) and every edge case:
    leavers, members without scores, data only outside the window, gaps, a department of leavers only, nobody."""
    db = open_store(tmp_path / "x.db", create=True)
    rng = random.Random(3)
    dims = [Dimension.create(code=c, name_zh=c, name_en=c, direction=d, scale_min=0, scale_max=100, sort=i)
            for i, (c, d) in enumerate((("CSAT", "higher"), ("COMPLAINT", "lower"), ("QUALITY", "higher")))]
    depts = {c: Department.create(code=c, name_zh=c, name_en=c) for c in ("A", "B", "GONE", "EMPTY")}
    months = [f"2025-{m:02d}" for m in range(6, 13)] + [f"2026-{m:02d}" for m in range(1, 11)]
    k = 0
    for code, size in (("A", 40), ("B", 25), ("GONE", 3)):
        for i in range(size):
            k += 1
            status = "left" if code == "GONE" or i % 9 == 4 else "active"
            e = Employee.create(number=f"N{k:03d}", name_zh=f"员工{k}", name_en=f"P {k}", department=depts[code].id,
                                status=status)
            if i % 7 == 3:
                continue                                     # a member without any score
            only_before = i % 11 == 5                        # data only before the window
            for d in dims:
                for m in months:
                    if (only_before and m >= WIN[0]) or rng.random() < 0.15:
                        continue                             # gaps
                    Score.create(employee=e.id, dimension=d.id, month=m, value=round(rng.uniform(0, 100), 3))
    Employee.create(number="N999", name_zh="无部门", name_en="Nobody", department=None)
    yield depts
    db.close()


def test_hand_built_data_cached_equals_live(org):
    reference = {d: live(d) for d in departments()}
    assert reference[org["GONE"].id] == ts.DepartmentStats(0) and reference[org["EMPTY"].id] == ts.DepartmentStats(0)
    a = reference[org["A"].id]
    assert a.members == 36 and 0 < min(t.n for t in a.window.values()) < 36
    for fill in (lambda: refresh_shortfalls(TODAY), lambda: ts.refresh_all(TODAY),
                 lambda: [ts.department_stats(d, WIN, TREND) for d in departments()]):
        clear_cache()
        ts.scores_changed()
        fill()
        assert cache_of_every_department() == reference
        assert {d: ts.department_stats(d, WIN, TREND) for d in departments()} == reference


def test_hand_built_portraits_cold_and_warm(org):
    numbers = [r[0] for r in database.execute_sql("SELECT number FROM employee ORDER BY number")]
    cold = {n: portrait(ADMIN, n, "en", TODAY).to_dict() for n in numbers}
    warm = {n: portrait(ADMIN, n, "en", TODAY).to_dict() for n in numbers}
    clear_cache()
    ts.scores_changed()
    ts.refresh_all(TODAY)
    filled = {n: portrait(ADMIN, n, "en", TODAY).to_dict() for n in numbers}
    assert cold == warm == filled
    leaver = next(n for n in numbers if database.execute_sql(
        "SELECT status FROM employee WHERE number = ?", (n,)).fetchone()[0] == "left")
    assert cold[leaver]["team_size"] == live(department_of(leaver)).members  # a leaver's team: all active members
