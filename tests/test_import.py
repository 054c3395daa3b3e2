"""Importing rows (issue 8): every value form, every bad row named by row and column with the DB unchanged,
upsert semantics (re-import changes nothing, empty cells keep values), dry run, skip-invalid, scope, each kind,
the OrangeHRM and Frappe layouts, and the round trip into an empty organisation."""
from __future__ import annotations

import csv
import io
import os
import stat

import pytest

from hrtui.transfer.engine import Cancelled, ImportFailure
from tests.test_import_support import count, fingerprint, lines, run, score_of, write_csv

HEADER = ["工号", "指标", "月份", "得分"]
SALES, RD = "E000010", "E000100"   # demo employees of SALES and RD


# -- values --------------------------------------------------------------------------------------------------------
def test_each_value_form_in_one_file(demo_db, actor_of, tmp_path):
    forms = ["85", "85.0", "85分", "85%", "８５"]
    months = ["2026-03", "2026年3月", "2026/3", "202603", "2026.03"]
    rows = [HEADER] + [[f"E00000{i + 1}", "CSAT", m, v] for i, (v, m) in enumerate(zip(forms, months))]
    report = run(actor_of("admin"), "scores", write_csv(tmp_path / "s.csv", rows))
    assert (report.rows, report.updated, report.invalid) == (5, 5, 0)
    assert [score_of(f"E00000{i}", "CSAT", "2026-03") for i in range(1, 6)] == [85.0] * 5


@pytest.mark.parametrize("dimension", ["CSAT", "csat", "客户满意度", "Customer Satisfaction", "customer  satisfaction"])
def test_a_dimension_by_code_or_either_name(demo_db, actor_of, tmp_path, dimension):
    path = write_csv(tmp_path / "s.csv", [HEADER, ["E000001", dimension, "2026-03", "71"]])
    assert run(actor_of("admin"), "scores", path).updated == 1
    assert score_of("E000001", "CSAT", "2026-03") == 71


def test_every_date_form_for_hire_dates(demo_db, actor_of, tmp_path):
    forms = ["2026-03-01", "2026/3/1", "2026年3月1日", "20260301", "46082"]
    rows = [["工号", "姓名", "部门", "入职日期"]] + [[f"N{i}", f"新人{i}", "HR", d] for i, d in enumerate(forms)]
    assert run(actor_of("admin"), "employees", write_csv(tmp_path / "e.csv", rows)).new == 5
    from hrtui.store.db import database

    assert {r[0] for r in database.execute_sql("SELECT hire_date FROM employee WHERE number LIKE 'N%'")} == {"2026-03-01"}


def test_wide_score_sheet_one_column_per_dimension(demo_db, actor_of, tmp_path):
    rows = [["工号", "姓名", "月份", "客户满意度", "工作效率（分）", "COMPLAINT", "备注"],
            ["E000001", "郑洋", "2026-11", "88", "", "2.5%", "ok"],
            ["E000002", "陈志强", "2026-11", "", "", "", ""]]
    report = run(actor_of("admin"), "scores", write_csv(tmp_path / "wide.csv", rows))
    assert report.wide and (report.new, report.invalid) == (2, 0)
    assert score_of("E000001", "CSAT", "2026-11") == 88 and score_of("E000001", "COMPLAINT", "2026-11") == 2.5
    assert score_of("E000001", "EFFICIENCY", "2026-11") is None  # empty: missing, not zero


# -- bad rows: a message per row, the DB unchanged -------------------------------------------------------------------
def _bad(actor, kind, tmp_path, rows, **options):
    before = fingerprint()
    report = run(actor, kind, write_csv(tmp_path / "bad.csv", rows), **options)
    assert not report.committed and fingerprint() == before
    return lines(report)


def test_duplicate_keys_inside_the_file(demo_db, actor_of, tmp_path):
    rows = [HEADER, ["E000001", "CSAT", "2026-03", "80"], ["E000002", "CSAT", "2026-03", "81"],
            ["E000001", "客户满意度", "2026年3月", "82"]]
    assert _bad(actor_of("admin"), "scores", tmp_path, rows) == [
        "row 4: E000001 · CSAT · 2026-03 is already in an earlier row: each key may appear once in a file"]


def test_score_outside_the_dimension_scale(demo_db, actor_of, tmp_path):
    rows = [HEADER, ["E000001", "CSAT", "2026-03", "101"], ["E000002", "COMPLAINT", "2026-03", "25%"]]
    assert _bad(actor_of("admin"), "scores", tmp_path, rows) == [
        "row 2, column 得分: 101 is outside the scale of Customer satisfaction (CSAT): 0 to 100",
        "row 3, column 得分: 25 is outside the scale of Customer complaint rate (COMPLAINT): 0 to 20"]


def test_a_narrower_scale_must_hold_the_stored_scores(demo_db, actor_of, tmp_path):
    from hrtui.store.db import database

    low, high, n = database.execute_sql(
        "SELECT min(value), max(value), sum(value > 50) FROM score s JOIN dimension d ON d.id = s.dimension_id "
        "WHERE d.code = 'CSAT'").fetchone()
    (line,) = _bad(actor_of("admin"), "dimensions", tmp_path, [["code", "scale_max"], ["CSAT", "50"]])
    assert line.startswith(f"row 2, column scale_max: {n} stored scores lie outside 0–50 (from ")
    assert line.endswith("); keep a scale that holds them")
    ok = run(actor_of("admin"), "dimensions", write_csv(tmp_path / "wide.csv", [["code", "scale_max"], ["CSAT", "120"]]))
    assert ok.committed and ok.updated == 1                                      # a wider scale holds them all


def test_month_in_the_future(demo_db, actor_of, tmp_path):
    rows = [HEADER, ["E000001", "CSAT", "2026-11", "80"], ["E000001", "CSAT", "2026-12", "80"]]
    assert _bad(actor_of("admin"), "scores", tmp_path, rows) == [
        "row 3, column 月份: month 2026-12 is in the future (today is 2026-11-30)"]


def test_unknown_department(demo_db, actor_of, tmp_path):
    rows = [["工号", "姓名", "部门"], ["N1", "新人", "Marketing"]]
    assert _bad(actor_of("admin"), "employees", tmp_path, rows) == [
        "row 2, column 部门: unknown department 'Marketing' (expected a code or name: CS, FIN, HR, OPS, RD, SALES)"]


def test_row_with_too_many_cells(demo_db, actor_of, tmp_path):
    rows = [HEADER, ["E000001", "CSAT", "2026-03", "80", "", ""], ["E000002", "CSAT", "2026-03", "80", "90"]]
    assert _bad(actor_of("admin"), "scores", tmp_path, rows) == [
        "row 3, column E: the row has 5 cells but the header has 4 columns"]


def test_every_problem_of_a_file_at_once_in_either_language(demo_db, actor_of, tmp_path):
    rows = [HEADER, ["E999999", "CSAT", "2026-03", "80"], ["E000001", "Happiness", "三月", "eighty"],
            ["E000002", "CSAT", "2026-03", ""], ["", "", "", ""], ["E000003", "CSAT", "2026-03", "70"]]
    before = fingerprint()
    report = run(actor_of("admin"), "scores", write_csv(tmp_path / "bad.csv", rows))
    assert fingerprint() == before and (report.rows, report.invalid, report.error_count) == (4, 3, 5)
    assert lines(report) == [
        "row 2, column 工号: no employee 'E999999' in your scope",
        "row 3, column 月份: expected a month like 2026-03, got '三月'",
        "row 3, column 指标: unknown dimension 'Happiness' (expected a code or name: TARGET, EFFICIENCY, TEAMWORK, "
        "CSAT, COMPLAINT, ATTENDANCE, QUALITY, LEARNING)",
        "row 3, column 得分: expected a number, got 'eighty'",
        "row 4, column 得分: the cell is empty; a value is needed"]
    assert lines(report, "zh")[0] == "第 2 行，列「工号」：你的权限范围内没有员工 'E999999'"


def test_a_name_column_is_checked_against_the_number(demo_db, actor_of, tmp_path):
    rows = [["工号", "姓名", "指标", "月份", "得分"], ["E000001", "郑洋", "CSAT", "2026-03", "80"],
            ["E000002", "Zheng Yang", "CSAT", "2026-03", "80"]]
    assert _bad(actor_of("admin"), "scores", tmp_path, rows) == [
        "row 3, column 姓名: employee E000002 is 陈志强, not 'Zheng Yang'"]


# -- semantics -------------------------------------------------------------------------------------------------------
def test_reimporting_the_same_file_changes_nothing(demo_db, actor_of, tmp_path):
    admin = actor_of("admin")
    scores = write_csv(tmp_path / "s.csv", [HEADER, ["E000001", "CSAT", "2026-11", "55"], ["E000002", "CSAT", "2025-01",
                                                                                          "66"]])
    people = write_csv(tmp_path / "e.csv", [["工号", "姓名", "英文名", "部门", "直属上级"], ["N1", "新一", "Xin Yi", "RD", "E000068"],
                                            ["E000001", "郑洋", "Zheng Yang", "SALES", ""]])
    first = run(admin, "scores", scores), run(admin, "employees", people)
    assert (first[0].new, first[1].new, first[1].unchanged) == (2, 1, 1)
    before = fingerprint()
    again = run(admin, "scores", scores), run(admin, "employees", people)
    assert [(r.new, r.updated, r.unchanged, r.invalid) for r in again] == [(0, 0, 2, 0), (0, 0, 2, 0)]
    assert fingerprint() == before  # not even an audit entry


def test_new_scores_in_the_window_refresh_the_roster_score(demo_db, actor_of, tmp_path):
    from hrtui.store.models import Employee

    old = Employee.get(Employee.number == "E000001").overall_score
    rows = [HEADER] + [["E000001", d, m, "0"] for d in ("CSAT", "TEAMWORK") for m in ("2026-08", "2026-09", "2026-10")]
    run(actor_of("admin"), "scores", write_csv(tmp_path / "s.csv", rows))
    assert Employee.get(Employee.number == "E000001").overall_score < old


def test_empty_cells_leave_stored_values(demo_db, actor_of, tmp_path):
    from hrtui.store.models import Employee

    before = Employee.get(Employee.number == "E000001")
    rows = [["工号", "姓名", "邮箱", "部门", "入职日期"], ["E000001", "", "", "", "2020-01-02"]]
    report = run(actor_of("admin"), "employees", write_csv(tmp_path / "e.csv", rows))
    assert report.updated == 1
    after = Employee.get(Employee.number == "E000001")
    assert (after.email, after.name_zh, after.department_id) == (before.email, before.name_zh, before.department_id)
    assert after.hire_date == "2020-01-02"


def test_dry_run_leaves_the_file_byte_identical(demo_db, actor_of, tmp_path):
    from hrtui.store.db import database

    admin = actor_of("admin")  # logging in writes (last login): before the snapshot
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    wal = demo_db.with_name(demo_db.name + "-wal")
    image = demo_db.read_bytes()
    rows = [HEADER] + [[f"E{n:06d}", "CSAT", "2026-02", "77"] for n in range(1, 241)] + [["E000001", "QUALITY",
                                                                                         "2026-02", "900"]]
    report = run(admin, "scores", write_csv(tmp_path / "s.csv", rows), dry_run=True)
    assert (report.rows, report.updated, report.invalid, report.committed) == (241, 240, 1, False)
    people = write_csv(tmp_path / "e.csv", [["工号", "姓名", "部门"], ["N9", "新人", "HR"]])
    assert run(admin, "employees", people, dry_run=True, skip_invalid=True).new == 1
    assert not wal.exists() or wal.stat().st_size == 0
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    assert demo_db.read_bytes() == image
    assert not list(tmp_path.glob("*.rejects.csv"))


def test_dry_run_counts_match_the_real_import(demo_db, actor_of, tmp_path):
    rows = [HEADER, ["E000001", "CSAT", "2026-02", "77"], ["E000002", "CSAT", "2025-01", "77"]]
    path = write_csv(tmp_path / "s.csv", rows + [["E000003", "CSAT", "2026-02", str(score_of("E000003", "CSAT",
                                                                                            "2026-02"))]])
    dry = run(actor_of("admin"), "scores", path, dry_run=True)
    real = run(actor_of("admin"), "scores", path)
    assert (dry.new, dry.updated, dry.unchanged) == (real.new, real.updated, real.unchanged) == (1, 1, 1)


def test_skip_invalid_imports_the_rest_and_writes_the_rejects(demo_db, actor_of, tmp_path):
    rows = [HEADER, ["E000001", "CSAT", "2026-03", "70"], ["E000002", "CSAT", "2026-13", "71"],
            ["E000003", "CSAT", "2026-03", "999"], ["E000004", "CSAT", "2026-03", "73"]]
    path = write_csv(tmp_path / "s.csv", rows)
    report = run(actor_of("admin"), "scores", path, skip_invalid=True)
    assert report.committed and (report.updated, report.invalid) == (2, 2)
    assert score_of("E000001", "CSAT", "2026-03") == 70 and score_of("E000004", "CSAT", "2026-03") == 73
    rejects = tmp_path / "s.csv.rejects.csv"
    assert report.rejects == rejects and stat.S_IMODE(rejects.stat().st_mode) == 0o600
    data = rejects.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel shows the Chinese right
    assert list(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == [
        ["工号", "指标", "月份", "得分", "row", "reason"],
        ["E000002", "CSAT", "2026-13", "71", "3", "月份: expected a month like 2026-03, got '2026-13'"],
        ["E000003", "CSAT", "2026-03", "999", "4", "得分: 999 is outside the scale of Customer satisfaction (CSAT): 0 to 100"]]
    # fixed by hand, the rejects file imports as it is (its row/reason columns are ignored)
    rejects.write_text(data.decode("utf-8-sig").replace("2026-13", "2026-03").replace(",999,", ",99,"),
                       encoding="utf-8-sig")
    fixed = run(actor_of("admin"), "scores", rejects)
    assert (fixed.updated, fixed.invalid, fixed.ignored) == (2, 0, ["row", "reason"])


def test_rejects_in_chinese_and_stale_rejects_removed(demo_db, actor_of, tmp_path):
    path = write_csv(tmp_path / "s.csv", [HEADER, ["E000001", "CSAT", "2027-01", "70"]])
    run(actor_of("admin"), "scores", path, skip_invalid=True, lang="zh")
    text = (tmp_path / "s.csv.rejects.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].endswith(",行号,原因") and "月份 2027-01 在未来" in text
    path = write_csv(tmp_path / "s.csv", [HEADER, ["E000001", "CSAT", "2026-01", "70"]])
    run(actor_of("admin"), "scores", path, skip_invalid=True)
    assert not (tmp_path / "s.csv.rejects.csv").exists()


def test_cancel_rolls_everything_back(demo_db, actor_of, tmp_path):
    rows = [HEADER] + [[f"E{n:06d}", d, "2026-01", "50"] for n in range(1, 241) for d in ("CSAT", "QUALITY", "TEAMWORK")]
    before = fingerprint()
    seen = []
    with pytest.raises(Cancelled):
        run_ = __import__("hrtui.transfer.engine", fromlist=["run_import"])
        run_.run_import(actor_of("admin"), "scores", write_csv(tmp_path / "s.csv", rows),
                        progress=lambda f, n: seen.append((f, n)), cancelled=lambda: True)
    assert fingerprint() == before and seen


# -- scope -----------------------------------------------------------------------------------------------------------
def test_hr_imports_only_into_their_departments(demo_db, actor_of, tmp_path):
    hr = actor_of("hr.sales")
    rows = [HEADER, [SALES, "CSAT", "2026-03", "60"], [RD, "CSAT", "2026-03", "60"]]
    assert _bad(hr, "scores", tmp_path, rows) == [f"row 3, column 工号: no employee '{RD}' in your scope"]
    people = [["工号", "姓名", "部门"], ["N1", "新人", "RD"], [RD, "改名", ""], ["N2", "无部门", ""],
              [SALES, "", "RD"]]
    assert _bad(hr, "employees", tmp_path, people) == [
        "row 2, column 部门: department RD is outside your departments (SALES)",
        f"row 3, column 工号: employee {RD} belongs to a department outside your scope",
        "row 4, column 部门: a new employee needs a department (yours: SALES)",
        "row 5, column 部门: department RD is outside your departments (SALES)"]
    ok = run(hr, "scores", write_csv(tmp_path / "ok.csv", rows[:2]))
    assert ok.updated == 1 and score_of(SALES, "CSAT", "2026-03") == 60
    # a manager outside the scope reads exactly like one who does not exist, and no link is written
    managers = [["工号", "直属上级"], [SALES, RD], ["E000011", "E999999"]]
    assert _bad(hr, "employees", tmp_path, managers) == [
        f"row 2, column 直属上级: manager '{RD}' is neither an employee in your scope nor a valid row of this file",
        "row 3, column 直属上级: manager 'E999999' is neither an employee in your scope nor a valid row of this file"]


def test_hr_cannot_create_departments_or_reference_data(demo_db, actor_of, tmp_path):
    hr = actor_of("hr.sales")
    assert _bad(hr, "departments", tmp_path, [["编码", "名称"], ["MKT", "市场部"], ["RD", "研发"]]) == [
        "row 2, column 编码: no department 'MKT'; creating departments needs an admin",
        "row 3, column 编码: department RD is outside your departments (SALES)"]
    assert run(hr, "departments", write_csv(tmp_path / "d.csv", [["code", "name_en"], ["SALES", "Sales & BD"]])).updated
    for kind in ("dimensions", "courses"):
        with pytest.raises(ImportFailure) as err:
            run(hr, kind, write_csv(tmp_path / "x.csv", [["code"], ["X"]]))
        assert str(err.value) == f"hr.sales (hr) may not import {kind}: it is organisation-wide reference data, ask an admin"


@pytest.mark.parametrize("user,role", [("mgr.sales", "manager"), ("emp.sales", "employee")])
def test_managers_and_employees_cannot_import(demo_db, actor_of, tmp_path, user, role):
    path = write_csv(tmp_path / "s.csv", [HEADER, [SALES, "CSAT", "2026-03", "60"]])
    before = fingerprint()
    with pytest.raises(ImportFailure) as err:
        run(actor_of(user), "scores", path)
    assert str(err.value) == f"{user} is a {role}: importing data needs an admin or HR account"
    assert fingerprint() == before


# -- employees: managers in any order, search index ------------------------------------------------------------------
def test_managers_may_come_later_in_the_file(demo_db, actor_of, tmp_path):
    rows = [["工号", "姓名", "部门", "直属上级"],
            ["N3", "孙三", "HR", "N2"],        # N2 is two rows down, and waits for N1
            ["N4", "李四", "HR", "E000224"],   # an existing manager
            ["N2", "钱二", "HR", "N1"],
            ["N1", "赵一", "HR", ""],
            ["N5", "周五", "HR", "N9"]]       # N9 never appears
    report = run(actor_of("admin"), "employees", write_csv(tmp_path / "e.csv", rows), skip_invalid=True)
    assert (report.new, report.invalid) == (4, 1)
    assert lines(report) == ["row 6, column 直属上级: manager 'N9' is neither an employee in your scope nor a valid row of this file"]
    from hrtui.store.db import database

    chain = dict(database.execute_sql("SELECT e.number, m.number FROM employee e LEFT JOIN employee m "
                                      "ON m.id = e.manager_id WHERE e.number LIKE 'N%'"))
    assert chain == {"N1": None, "N2": "N1", "N3": "N2", "N4": "E000224"}


def test_own_manager_and_duplicate_numbers(demo_db, actor_of, tmp_path):
    rows = [["工号", "姓名", "部门", "上级"], ["N1", "赵一", "HR", "n1"], ["N2", "钱二", "HR", ""], ["N2", "钱二", "HR", ""]]
    assert _bad(actor_of("admin"), "employees", tmp_path, rows) == [
        "row 2, column 上级: an employee cannot be their own manager (n1)",
        "row 4, column 工号: the same key as row 3: each key may appear once in a file"]


def test_a_loop_of_managers_is_refused_with_its_row(demo_db, actor_of, tmp_path):
    from hrtui.store.db import database

    def manager_of(number):
        return database.execute_sql("SELECT m.number FROM employee e LEFT JOIN employee m ON m.id = e.manager_id "
                                    "WHERE e.number = ?", (number,)).fetchone()[0]

    chain = ["E000004"]
    while manager_of(chain[-1]) is not None:
        chain.append(manager_of(chain[-1]))
    top = chain[-1]  # E000004 reports to `top`, directly or through others
    rows = [["工号", "上级"], [top, "E000004"]]
    assert _bad(actor_of("admin"), "employees", tmp_path, rows) == [
        f"row 2, column 上级: E000004 reports to {top}, directly or through others: {top} cannot report to E000004"]
    assert manager_of(top) is None
    # a row earlier in the same file counts too
    rows = [["工号", "姓名", "部门", "上级"], ["N1", "赵一", "HR", top], ["N2", "钱二", "HR", "N1"], [top, "", "", "N2"]]
    assert _bad(actor_of("admin"), "employees", tmp_path, rows) == [
        f"row 4, column 上级: N2 reports to {top}, directly or through others: {top} cannot report to N2"]


def test_imported_employees_are_searchable_in_the_roster(demo_db, actor_of, tmp_path):
    from hrtui.domain.roster import Roster

    rows = [["工号", "姓名", "英文名", "部门"], ["N1", "欧阳娜娜", "Ouyang Nana", "HR"], ["E000001", "郑新名", "", ""]]
    run(actor_of("admin"), "employees", write_csv(tmp_path / "e.csv", rows))
    admin = actor_of("admin")
    assert [r.number for r in Roster(admin, "娜娜").page(0, 10)] == ["N1"]
    assert [r.number for r in Roster(admin, "ouyang nana").page(0, 10)] == ["N1"]
    assert "E000001" in [r.number for r in Roster(admin, "新名").page(0, 10)]
    assert "E000001" not in [r.number for r in Roster(admin, "郑洋").page(0, 10)]


# -- the other kinds -------------------------------------------------------------------------------------------------
def test_reference_kinds(demo_db, actor_of, tmp_path):
    admin = actor_of("admin")
    files = {
        "dimensions": [["编码", "指标名称", "英文名称", "单位", "方向", "最低分", "最高分"], ["NPS", "净推荐值", "Net promoter",
                                                                                 "pts", "越高越好", "-100", "100"]],
        "departments": [["部门编码", "部门名称", "英文名称"], ["MKT", "市场部", "Marketing"], ["SALES", "", "Sales Dept"]],
        "positions": [["职位编码", "职位名称", "部门", "管理岗"], ["MKT-SPEC", "市场专员", "市场部", "否"]],
        "requirements": [["职位", "指标", "要求"], ["MKT-SPEC", "NPS", "30"], ["市场专员", "CSAT", "85"]],
        "courses": [["课程编码", "课程名称", "必修", "关联指标", "学时"], ["NPS-101", "客户推荐", "是", "净推荐值", "4"]],
        "projects": [["项目编码", "项目名称", "部门"], ["MKT-P1", "Launch", "MKT"]],
    }
    for kind, rows in files.items():
        report = run(admin, kind, write_csv(tmp_path / f"{kind}.csv", rows))
        assert report.committed and report.invalid == 0, (kind, lines(report))
    from hrtui.store.models import Department, Dimension, Position, Project, TrainingCourse

    assert Department.get(Department.code == "SALES").name_en == "Sales Dept"
    assert Department.get(Department.code == "MKT").name_zh == "市场部"
    nps = Dimension.get(Dimension.code == "NPS")
    assert (nps.scale_min, nps.direction, nps.name_en, nps.sort) == (-100, "higher", "Net promoter", 8)
    pos = Position.get(Position.code == "MKT-SPEC")
    assert (pos.name_en, pos.department.code, pos.is_manager) == ("市场专员", "MKT", 0)  # one name stands for both
    assert count("position_requirement", "position_id = ?", (pos.id,)) == 2
    course = TrainingCourse.get(TrainingCourse.code == "NPS-101")
    assert (course.mandatory, course.dimension.code, course.hours) == (1, "NPS", 4)
    assert Project.get(Project.code == "MKT-P1").name_zh == "Launch"


def test_monthly_and_dated_kinds(demo_db, actor_of, tmp_path):
    admin = actor_of("admin")
    files = {
        "attendance": [["工号", "月份", "应出勤天数", "实际出勤天数", "请假天数"], ["E000001", "2026-11", "21天", "20", "1"]],
        "leave": [["工号", "假期类型", "开始日期", "结束日期"], ["E000001", "年假", "2026/12/24", "2026/12/26"]],
        "training": [["工号", "课程", "截止日期", "完成日期"], ["E000001", "时间管理", "2026-12-31", ""]],
        "hours": [["工号", "项目", "月份", "工时"], ["E000068", "RD-P001", "2026-11", "120.5小时"]],
        "salary": [["工号", "月份", "基本工资", "奖金"], ["E000001", "2026年10月", "12,345.67", "1.2万"]],
    }
    for kind, rows in files.items():
        report = run(admin, kind, write_csv(tmp_path / f"{kind}.csv", rows))
        assert report.committed and report.invalid == 0 and report.new + report.updated == 1, (kind, lines(report))
    from hrtui.store.db import database

    q = lambda sql: database.execute_sql(sql).fetchone()  # noqa: E731
    assert q("SELECT scheduled_days, attended_days, leave_days FROM attendance a JOIN employee e ON e.id = a.employee_id"
             " WHERE e.number = 'E000001' AND month = '2026-11'") == (21, 20, 1)
    assert q("SELECT kind, end_date, days FROM leave WHERE start_date = '2026-12-24'") == ("annual", "2026-12-26", 3)
    assert q("SELECT base_cents, bonus_cents FROM salary") == (1234567, 1200000)
    assert q("SELECT hours FROM assignment a JOIN project p ON p.id = a.project_id WHERE p.code = 'RD-P001' AND "
             "a.month = '2026-11'") == (120.5,)


def test_bad_rows_of_the_other_kinds(demo_db, actor_of, tmp_path):
    admin = actor_of("admin")
    assert _bad(admin, "attendance", tmp_path, [["工号", "月份", "应出勤天数", "实际出勤天数"],
                                                ["E000001", "2026-11", "20", "22"], ["E000002", "2026-11", "", "20"]]) == [
        "row 2, column 实际出勤天数: attended days (22) exceed scheduled days (20)",
        "row 3: a new record needs scheduled_days"]
    assert _bad(admin, "leave", tmp_path, [["工号", "类型", "开始", "结束", "天数"], ["E000001", "病假", "2026-12-05", "2026-12-01",
                                                                          ""], ["E000001", "holiday", "2026-12-05", "", ""],
                                           ["E000001", "事假", "2026-12-07", "2026-12-08", "5"]]) == [
        "row 2, column 结束: the end 2026-12-01 is before the start 2026-12-05",
        "row 3, column 类型: expected one of annual, sick, personal, marriage, maternity, paternity, bereavement, "
        "compensatory, other, got 'holiday'",
        "row 4, column 天数: 5 days do not fit between start and end (2 calendar days)"]
    assert _bad(admin, "training", tmp_path, [["工号", "课程", "完成日期"], ["E000001", "Yoga", ""],
                                              ["E000001", "SEC", "2026-12-01"]]) == [
        "row 2, column 课程: unknown course 'Yoga' (import courses first)",
        "row 3, column 完成日期: 2026-12-01 is in the future (today is 2026-11-30)"]
    assert _bad(admin, "salary", tmp_path, [["工号", "月份", "基本工资"], ["E000001", "2026-10", "-5"],
                                            ["E000001", "2026-09", "100.001"]]) == [
        "row 2, column 基本工资: expected an amount of at least 0, got '-5'",
        "row 3, column 基本工资: expected an amount with at most 2 decimals, got '100.001'"]


# -- layouts of other HR systems -------------------------------------------------------------------------------------
ORANGE_HEADER = ("first_name,middle_name,last_name,employee_id,other_id,driver's_license_no,license_expiry_date,gender,"
                 "marital_status,nationality,date_of_birth,address_street_1,address_street_2,city,state/province,"
                 "zip/postal_code,country,home_telephone,mobile,work_telephone,work_email,other_email").split(",")


def test_orangehrm_pim_import_file(demo_db, actor_of, tmp_path):
    rows = [ORANGE_HEADER,
            ["Yasiru", "", "Nilan", "Emp-002", "", "", "", "Male", "", "", "1992-10-29", "Wimalasewana", "Hingurupanagala",
             "Kotapola", "Southern", "81500", "Sri Lanka", "0412271230", "", "702132850", "yasiru@example.com",
             "nilan@example.net"],
            ["伟", "", "张", "Emp-003"] + [""] * 16 + ["zhang.wei@example.com", ""],
            ["Krishan", "", "Madhushanka", ""] + [""] * 18]
    path = write_csv(tmp_path / "importData.csv", rows)
    report = run(actor_of("admin"), "employees", path, layout="orangehrm", skip_invalid=True)
    assert (report.new, report.invalid) == (2, 1)
    assert lines(report) == ["row 4, column employee_id: the cell is empty; a value is needed"]
    assert "date_of_birth" not in [h for h, _k in report.columns]  # read, not kept: hrtui holds no birth dates
    from hrtui.store.models import Employee

    e = Employee.get(Employee.number == "Emp-002")
    assert (e.name_en, e.email, e.department_id) == ("Yasiru Nilan", "yasiru@example.com", None)
    assert Employee.get(Employee.number == "Emp-003").name_zh == "张伟"
    again = run(actor_of("admin"), "employees", path, layout="orangehrm", skip_invalid=True)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)


def test_orangehrm_file_with_a_department_column_added(demo_db, actor_of, tmp_path):
    rows = [ORANGE_HEADER + ["部门"], ["Ann", "", "Lee", "Emp-009"] + [""] * 18 + ["SALES"]]
    report = run(actor_of("hr.sales"), "employees", write_csv(tmp_path / "o.csv", rows), layout="orangehrm")
    assert report.new == 1


FRAPPE = [["ID", "First Name", "Last Name", "Full Name", "Gender", "Date of Birth", "Date of Joining", "Status",
           "Company", "Department", "Employee Number", "Designation", "Reports to", "Company Email",
           "Institute Name (Education)"],
          ["HR-EMP-00002", "Mei", "Lin", "Mei Lin", "Female", "1990-01-01", "2021-04-12", "Active", "ACME",
           "Sales - ACME", "A-17", "Sales Representative", "HR-EMP-00001", "mei.lin@acme.example", "PKU"],
          ["", "", "", "", "", "", "", "", "", "", "", "", "", "", "Tsinghua"],
          ["HR-EMP-00001", "Hua", "Zhou", "", "Male", "1980-01-01", "2015-01-05", "Active", "ACME",
           "Sales - ACME", "A-01", "Sales Manager", "", "hua.zhou@acme.example", ""],
          ["HR-EMP-00003", "Jun", "Wu", "Jun Wu", "Male", "1985-01-01", "2018-06-01", "Left", "ACME",
           "Research and Development - ACME", "", "", "HR-EMP-00001", "", ""]]


def test_frappe_employee_export(demo_db, actor_of, tmp_path):
    report = run(actor_of("admin"), "employees", write_csv(tmp_path / "Employee.csv", FRAPPE), layout="frappe",
                 skip_invalid=True)
    assert (report.rows, report.new, report.invalid) == (3, 2, 1)
    assert lines(report) == ["row 5, column Department: unknown department 'Research and Development - ACME' "
                             "(expected a code or name: CS, FIN, HR, OPS, RD, SALES)"]
    from hrtui.store.models import Employee

    mei = Employee.get(Employee.number == "HR-EMP-00002")
    assert (mei.name_en, mei.department.code, mei.position.code, mei.manager.number, mei.hire_date, mei.email) == (
        "Mei Lin", "SALES", "SALES-REP", "HR-EMP-00001", "2021-04-12", "mei.lin@acme.example")
    assert Employee.get(Employee.number == "HR-EMP-00001").name_en == "Hua Zhou"
    before = fingerprint()
    again = run(actor_of("admin"), "employees", tmp_path / "Employee.csv", layout="frappe", skip_invalid=True)
    assert (again.new, again.updated, again.unchanged, again.invalid) == (0, 0, 2, 1) and fingerprint() == before


# -- round trip ------------------------------------------------------------------------------------------------------
def test_round_trip_into_an_empty_organisation(demo_db, actor_of, tmp_path, monkeypatch):
    from hrtui.access.actor import authenticate
    from hrtui.cli import main
    from hrtui.store.db import database
    from hrtui.transfer.kinds import ORDER
    from hrtui.transfer.writer import write_all

    admin = actor_of("admin")
    run(admin, "salary", write_csv(tmp_path / "pay.csv", [["工号", "月份", "基本工资", "奖金"]] + [
        [f"E{n:06d}", m, f"{8000 + n}.5", "0" if n % 2 else "1,000"] for n in range(1, 241)
        for m in ("2026-09", "2026-10")]))
    old_dir, new_dir = tmp_path / "old", tmp_path / "new"
    old_dir.mkdir()
    new_dir.mkdir()
    written = write_all(admin, old_dir)
    demo_rows = {t: count(t) for t in ("employee", "score", "attendance", "leave", "training_record", "assignment",
                                       "salary", "position_requirement", "name_key")}
    overall = dict(database.execute_sql("SELECT number, overall_score FROM employee"))

    fresh = tmp_path / "fresh.db"
    monkeypatch.setenv("HRTUI_PASSWORD", "fresh-password")
    assert main(["init", "--admin", "boss", "--db", str(fresh)]) == 0
    boss = authenticate("boss", "fresh-password")
    for kind in ORDER:
        report = run(boss, kind, written[kind])
        assert report.committed and report.invalid == 0, (kind, lines(report))
    assert {t: count(t) for t in demo_rows} == demo_rows
    assert dict(database.execute_sql("SELECT number, overall_score FROM employee")) == overall
    write_all(boss, new_dir)
    for kind in ORDER:
        assert (new_dir / f"{kind}.csv").read_bytes() == written[kind].read_bytes(), kind
    database.close()
    os.chmod(fresh, 0o600)


def test_duplicates_in_the_monthly_and_dated_kinds(demo_db, actor_of, tmp_path):
    admin = actor_of("admin")
    assert _bad(admin, "attendance", tmp_path, [["工号", "月份", "应出勤", "实出勤"], ["E000001", "2026-11", "21", "21"],
                                                ["e000001", "2026年11月", "21", "20"]]) == [
        "row 3: E000001 · 2026-11 is already in an earlier row: each key may appear once in a file"]
    assert _bad(admin, "hours", tmp_path, [["工号", "项目", "月份", "工时"], ["E000068", "RD-P001", "2026-11", "10"],
                                           ["E000068", "RD project 1", "2026-11", "12"]]) == [
        "row 3: E000068 · RD-P001 · 2026-11 is already in an earlier row: each key may appear once in a file"]
    assert _bad(admin, "leave", tmp_path, [["工号", "假别", "开始日期"], ["E000001", "年假", "2026-12-01"],
                                           ["E000001", "annual", "2026/12/1"]]) == [
        "row 3: the same key as row 2: each key may appear once in a file"]


def test_rejected_rows_keep_their_extra_cells_and_row_numbers_count_blank_lines(demo_db, actor_of, tmp_path):
    from tests.test_import_support import write_xlsx

    rows = [HEADER, ["E000001", "CSAT", "2026-03", 70], [None, None, None, None],
            ["E000002", "CSAT", "2026-03", 71, None, "stray"]]
    path = write_xlsx(tmp_path / "s.xlsx", rows)
    report = run(actor_of("admin"), "scores", path, skip_invalid=True)
    assert lines(report) == ["row 4, column F: the row has 6 cells but the header has 4 columns"]
    data = list(csv.reader(io.StringIO((tmp_path / "s.xlsx.rejects.csv").read_text(encoding="utf-8-sig"))))
    assert data[1] == ["E000002", "CSAT", "2026-03", "71", "4",
                       "F: the row has 6 cells but the header has 4 columns", "", "stray"]


def test_progress_is_reported_as_a_fraction_of_the_file(demo_db, actor_of, tmp_path):
    from hrtui.transfer.engine import run_import

    dims = ("CSAT", "QUALITY", "TEAMWORK", "LEARNING", "EFFICIENCY", "TARGET")
    rows = [HEADER] + [[f"E{n:06d}", d, m, "50"] for n in range(1, 241) for d in dims
                       for m in ("2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06")]
    seen = []
    report = run_import(actor_of("admin"), "scores", write_csv(tmp_path / "s.csv", rows),
                        progress=lambda f, n: seen.append((f, n)))
    assert report.rows == 8640 and seen[-1] == (1.0, 8640)
    assert seen == sorted(seen) and 0 < seen[0][0] < 1 and seen[0][1] == 5000


def test_large_files_count_with_count_star_and_agree_with_the_dry_run(demo_db, actor_of, tmp_path, monkeypatch):
    import hrtui.transfer.handlers as handlers

    rows = [HEADER] + [[f"E{n:06d}", "CSAT", "2026-10", str(score_of(f"E{n:06d}", "CSAT", "2026-10"))]
                       for n in range(1, 101)]                                              # unchanged
    rows += [[f"E{n:06d}", "QUALITY", "2026-10", "1"] for n in range(1, 51)]                # updated
    rows += [[f"E{n:06d}", "QUALITY", "2024-01", "1"] for n in range(1, 31)]                # new
    path = write_csv(tmp_path / "s.csv", rows)
    dry = run(actor_of("admin"), "scores", path, dry_run=True)
    monkeypatch.setattr(handlers, "COUNT_STRATEGY_BYTES", 0)  # as for a file of more than 2 MiB
    real = run(actor_of("admin"), "scores", path)
    assert (dry.new, dry.updated, dry.unchanged) == (real.new, real.updated, real.unchanged) == (30, 50, 100)


# -- review: values that must be refused, with their row and column --------------------------------------------------
def test_an_absurd_salary_is_refused_alike_by_the_dry_run_and_the_import(demo_db, tmp_path):
    from tests.test_import_cli import hrtui

    path = write_csv(tmp_path / "pay.csv", [["employee", "month", "base", "bonus"],
                                            ["E000001", "2026-03", "99999999999999999999999", ""]])
    before = fingerprint()
    line = "row 2, column base: expected an amount of at most 1,000,000,000, got '99999999999999999999999'"
    for extra in (["--dry-run"], []):
        proc = hrtui("import", "salary", str(path), "--db", str(demo_db), *extra)
        assert proc.returncode == 1 and proc.stderr.splitlines()[0] == line, proc.stderr
        assert "1 invalid" in proc.stdout and "unexpected" not in proc.stderr
    assert fingerprint() == before


def test_control_characters_are_refused_and_never_echoed_raw(demo_db, actor_of, tmp_path):
    from tests.test_import_cli import hrtui

    red = "\x1b[31mRed\x1b]0;pwned\x07\x1b[2J"
    rows = [["number", "name", "department", "note\x1b[2J"], ["N1", red, "HR", ""], ["N2", "Ann\x9b6n", "HR", ""]]
    assert _bad(actor_of("admin"), "employees", tmp_path, rows) == [
        "row 2, column name: the cell holds a control character, which cannot be imported: "
        "'\\x1b[31mRed\\x1b]0;pwned\\x07\\x1b[2J'",
        "row 3, column name: the cell holds a control character, which cannot be imported: 'Ann\\x9b6n'"]
    proc = hrtui("import", "employees", str(tmp_path / "bad.csv"), "--db", str(demo_db), "--lang", "zh")
    assert proc.returncode == 1 and "第 2 行，列「name」：单元格含有控制字符，无法导入" in proc.stderr
    assert "ignored columns: note\\x1b[2J" in hrtui("import", "employees", str(tmp_path / "bad.csv"), "--db",
                                                    str(demo_db)).stdout  # an ignored header is shown escaped
    for out in (proc.stdout, proc.stderr):
        assert not any(c in out for c in "\x1b\x07\x9b"), out


def test_invisible_format_characters_do_not_make_another_employee(demo_db, actor_of, tmp_path):
    from hrtui.store.models import Employee

    people = count("employee")
    rows = [["工号", "姓名", "部门"], ["E000001\u200b", "郑洋", "SALES"], ["\ufeffE000002\u200d", "陈志强\u200e", ""]]
    report = run(actor_of("admin"), "employees", write_csv(tmp_path / "e.csv", rows))
    assert (report.new, report.invalid) == (0, 0) and count("employee") == people
    assert Employee.get(Employee.number == "E000002").name_zh == "陈志强"
    scores = [HEADER, ["E000001\u200b", "CSAT\u2060", "2026-03\u200b", "6\u200b3"]]
    assert run(actor_of("admin"), "scores", write_csv(tmp_path / "s.csv", scores)).updated == 1
    assert score_of("E000001", "CSAT", "2026-03") == 63


def test_numbers_that_only_python_would_read(demo_db, actor_of, tmp_path):
    from tests.test_import_support import write_xlsx

    rows = [HEADER, ["E000001", "CSAT", "2026-03", "85"],  # (the next rows take the fast path of known cells)
            ["E000002", "CSAT", "2026-03", "1_0"], ["E000003", "CSAT", "2026-03", "8 5"],
            ["E000004", "CSAT", "2026-03", "1_000e-1"], ["E000005", "CSAT", "2026-03", "８５"]]
    assert _bad(actor_of("admin"), "scores", tmp_path, rows) == [
        "row 3, column 得分: expected a number, got '1_0'", "row 4, column 得分: expected a number, got '8 5'",
        "row 5, column 得分: expected a number, got '1_000e-1'"]
    book = write_xlsx(tmp_path / "b.xlsx", [HEADER, ["E000001", "CSAT", "2026-03", 85], ["E000002", "CSAT", "2026-03",
                                                                                        True]])
    before = fingerprint()
    report = run(actor_of("admin"), "scores", book)
    assert lines(report) == ["row 3, column 得分: expected a number, got 'TRUE'"] and fingerprint() == before
    days = write_xlsx(tmp_path / "a.xlsx", [["工号", "月份", "应出勤天数", "实际出勤天数"], ["E000001", "2026-10", 21, False]])
    assert lines(run(actor_of("admin"), "attendance", days)) == [
        "row 2, column 实际出勤天数: expected a number, got 'FALSE'"]
    ok = run(actor_of("admin"), "salary", write_csv(tmp_path / "p.csv", [["工号", "月份", "基本工资"],
                                                                          ["E000001", "2026-10", "12 000.50"]]))
    assert ok.committed and count("salary", "base_cents = 1200050") == 1


def test_an_open_ended_leave_is_refused_and_a_huge_cell_is_echoed_as_written(demo_db, actor_of, tmp_path):
    admin = actor_of("admin")
    assert _bad(admin, "leave", tmp_path, [["工号", "类型", "开始日期", "结束日期"],
                                           ["E000001", "年假", "2026-05-01", "9999-12-31"],
                                           ["E000002", "病假", "2026-01-01", "2027-01-01"]]) == [  # 366 days: fine
        "row 2, column 结束日期: 2026-05-01 to 9999-12-31 is 2912323 days; a leave lasts at most 366 days"]
    assert _bad(admin, "hours", tmp_path, [["工号", "项目", "月份", "工时"], ["E000068", "RD-P001", "2026-11", "1e308"]]) == [
        "row 2, column 工时: expected a number from 0 to 744, got 1e308"]


def test_hr_cannot_give_a_position_of_another_department(demo_db, actor_of, tmp_path):
    from hrtui.store.models import Employee

    hr = actor_of("hr.sales")
    rows = [["工号", "姓名", "部门", "职位"], [SALES, "", "", "CS-AGENT"], ["N1", "新人", "SALES", "客服专员"],
            ["N2", "新人二", "SALES", "NO-SUCH"]]
    assert _bad(hr, "employees", tmp_path, rows) == [
        "row 2, column 职位: unknown position 'CS-AGENT' (expected a position code or name)",
        "row 3, column 职位: unknown position '客服专员' (expected a position code or name)",
        "row 4, column 职位: unknown position 'NO-SUCH' (expected a position code or name)"]
    assert run(hr, "employees", write_csv(tmp_path / "ok.csv", [rows[0], [SALES, "", "", "SALES-LEAD"]])).committed
    # a position an admin gave stays: hr re-importing the roster as it is changes nothing
    run(actor_of("admin"), "employees", write_csv(tmp_path / "a.csv", [rows[0], [SALES, "", "", "CS-AGENT"]]))
    again = run(hr, "employees", write_csv(tmp_path / "same.csv", [rows[0], [SALES, "", "", "CS-AGENT"]]))
    assert (again.unchanged, again.invalid) == (1, 0)
    assert Employee.get(Employee.number == SALES).position.code == "CS-AGENT"
