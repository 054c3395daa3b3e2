"""Gap, key-shortfall, signal and goal rules on a tiny hand-built organisation (issue 3).

Today is pinned to 2026-11-30: the window is 2026-08..2026-10, the signals' recent months 2026-09..2026-10 and their
baseline 2026-03..2026-08.
"""
from __future__ import annotations

import datetime as _dt
import json

import pytest

from hrtui.access.actor import Actor, OutOfScope
from hrtui.config import Thresholds
from hrtui.domain.attention import attention, refresh_shortfalls
from hrtui.domain.gaps import TeamStats, assess
from hrtui.domain.goals import MAX_GOALS, Goal, save_goals, saved_goals, suggest_goals
from hrtui.domain.portrait import portrait
from hrtui.errors import UserError
from hrtui.store import open_store
from hrtui.store.db import database
from hrtui.store.models import (Assignment, Attendance, Department, Dimension, Employee, Position, PositionRequirement,
                                Score, TrainingCourse, TrainingRecord, User)

TODAY = _dt.date(2026, 11, 30)
WINDOW = ["2026-08", "2026-09", "2026-10"]
TH = Thresholds()
ADMIN = Actor("u-admin", "admin", "admin")


class Org:
    """Builder for a small organisation: departments, two dimensions, positions with requirements, people."""

    def __init__(self):
        self.csat = Dimension.create(code="CSAT", name_zh="客户满意度", name_en="Customer satisfaction", unit="pts",
                                     direction="higher", scale_min=0, scale_max=100, sort=0)
        self.complaint = Dimension.create(code="COMPLAINT", name_zh="客户投诉率", name_en="Customer complaint rate",
                                          unit="%", direction="lower", scale_min=0, scale_max=20, sort=1)
        self.depts = {}
        self.positions = {}
        self.people = {}

    def dept(self, code):
        if code not in self.depts:
            self.depts[code] = Department.create(code=code, name_zh=code + "部", name_en=code)
            pos = Position.create(code=code + "-P", name_zh=code + "专员", name_en=code + " specialist",
                                  department=self.depts[code].id)
            PositionRequirement.create(position=pos.id, dimension=self.csat.id, value=80)
            PositionRequirement.create(position=pos.id, dimension=self.complaint.id, value=5)
            self.positions[code] = pos
        return self.depts[code]

    def person(self, number, dept="SALES", csat=None, complaint=None, status="active", months=WINDOW):
        """csat/complaint: one value for every month in `months`, or a {month: value} dict."""
        d = self.dept(dept) if dept else None
        e = Employee.create(number=number, name_zh="员工" + number[-2:], name_en="Person " + number[-2:],
                            department=d.id if d else None,
                            position=self.positions[dept].id if dept else None, status=status)
        self.people[number] = e
        for dim, spec in ((self.csat, csat), (self.complaint, complaint)):
            if spec is None:
                continue
            values = spec if isinstance(spec, dict) else {m: spec for m in months}
            for m, v in values.items():
                Score.create(employee=e.id, dimension=dim.id, month=m, value=v)
        return e


@pytest.fixture
def org(tmp_path):
    db = open_store(tmp_path / "x.db", create=True)
    yield Org()
    db.close()


def dim(p, code):
    return p.dimension(code)


# -- pure rules ----------------------------------------------------------------------------------------------
def test_team_stats_exclude_the_employee_and_measure_spread():
    team = TeamStats(4, 60 + 84 + 85 + 86, 60**2 + 84**2 + 85**2 + 86**2).without(60)
    assert team.n == 3 and team.mean == pytest.approx(85)
    assert team.sd == pytest.approx((2 / 3) ** 0.5)
    assert TeamStats(3, 300, 30000).sd == 0.0          # all equal: no spread (not 1e-7 of float noise)
    assert TeamStats(1, 85, 85**2).sd is None           # one teammate has no spread to speak of


def test_threshold_reached_exactly_flags_and_just_short_does_not():
    flat = TeamStats(3, 300, 30000)                      # teammates all at 100
    assert assess("higher", 85.0, flat, None, TH).reasons == ["team"]           # exactly -15 %
    assert assess("higher", 85.1, flat, None, TH).reasons == []
    assert assess("higher", 72.0, None, 80, TH).reasons == ["requirement"]      # exactly -10 %
    assert assess("higher", 72.1, None, 80, TH).reasons == []
    lower = TeamStats(2, 6.0, 18.0)                      # teammates at 3.0
    assert assess("lower", 4.5, lower, None, TH).reasons == ["team"]            # exactly 1.5x
    assert assess("lower", 4.49, lower, None, TH).reasons == []
    assert assess("lower", 5.5, None, 5, TH).reasons == ["requirement"]         # exactly 10 % over
    assert assess("lower", 5.49, None, 5, TH).reasons == []


def test_gaps_are_sign_normalised_negative_is_worse():
    team = TeamStats(2, 6.0, 18.0)
    a = assess("lower", 6.0, team, 5.0, TH)
    assert a.gap_team == pytest.approx(-3.0) and a.gap_team_pct == pytest.approx(-100)
    assert a.team_ratio == pytest.approx(2.0) and a.gap_requirement_pct == pytest.approx(-20)
    b = assess("lower", 1.5, team, 5.0, TH)
    assert b.gap_team == pytest.approx(1.5) and not b.flagged


def test_severity_is_the_z_score_else_threshold_units():
    team = TeamStats(3, 84 + 85 + 86, 84**2 + 85**2 + 86**2)
    a = assess("higher", 60.0, team, 80, TH)
    assert a.severity_basis == "z" and a.severity == pytest.approx(25 / (2 / 3) ** 0.5)
    flat = assess("higher", 80.0, TeamStats(2, 200, 20000), None, TH)  # ties: no spread
    assert flat.severity_basis == "threshold" and flat.severity == pytest.approx(20 / 15)
    alone = assess("higher", 70.0, None, 80, TH)
    assert alone.team_mean is None and alone.severity == pytest.approx(12.5 / 10)


def test_thresholds_come_from_settings(tmp_path, monkeypatch):
    from hrtui.config import load_settings

    cfg = tmp_path / "settings.toml"
    cfg.write_text("[thresholds]\nteam_gap_pct = 5\nlower_ratio = 1.2\n", encoding="utf-8")
    th = load_settings(cfg).thresholds
    assert assess("higher", 94.0, TeamStats(2, 200, 20000), None, th).flagged
    assert assess("lower", 3.6, TeamStats(2, 6.0, 18.0), None, th).flagged


# -- the portrait on hand-built data ---------------------------------------------------------------------------
def test_portrait_flags_a_shortfall_with_its_sentence(org):
    org.person("E01", csat=60, complaint=3.0)
    for n, v in (("E02", 84), ("E03", 85), ("E04", 86)):
        org.person(n, csat=v, complaint=3.0)
    p = portrait(ADMIN, "E01", "en", TODAY)
    c = dim(p, "CSAT")
    assert (c.value, c.team_mean, c.team_size, c.requirement) == (60, pytest.approx(85), 3, 80)
    assert c.flagged and c.reasons == ["team", "requirement"]
    assert c.explanation == "Customer satisfaction 60 vs team mean 85 (29% lower) and requirement 80 (25% short)"
    assert p.key_shortfalls == ["CSAT"]
    zh = portrait(ADMIN, "E01", "zh", TODAY)
    assert dim(zh, "CSAT").explanation == "客户满意度 60，团队均值 85，低 29%；岗位要求 80，低 25%"
    json.dumps(p.to_dict(), ensure_ascii=False)  # the CLI's JSON is the dataclass as it is


def test_lower_is_better_flags_on_ratio(org):
    org.person("E01", csat=85, complaint=6.0)
    org.person("E02", csat=85, complaint=2.9)
    org.person("E03", csat=85, complaint=3.1)
    c = dim(portrait(ADMIN, "E01", "zh", TODAY), "COMPLAINT")
    assert c.team_ratio == pytest.approx(2.0) and c.reasons == ["team", "requirement"]
    assert c.explanation == "客户投诉率 6.0%，团队均值 3.0%，是团队的 2.0 倍；岗位要求不高于 5.0%，超出 20%"
    ok = dim(portrait(ADMIN, "E02", "en", TODAY), "COMPLAINT")
    assert not ok.flagged and ok.gap_team > 0


def test_alone_in_department_has_no_team_mean_and_says_so(org):
    org.person("E01", dept="LEGAL", csat=70, complaint=3.0)
    org.person("E02", csat=85, complaint=3.0)  # another department: not a teammate
    p = portrait(ADMIN, "E01", "en", TODAY)
    c = dim(p, "CSAT")
    assert c.team_mean is None and c.team_size == 0 and c.team_trend == [None] * 12
    assert c.reasons == ["requirement"] and c.severity_basis == "threshold"
    assert "no team mean" in c.explanation and p.team_size == 0
    assert p.team_note.startswith("Alone in the department")
    assert "部门内无其他同事" in portrait(ADMIN, "E01", "zh", TODAY).team_note


def test_no_department_is_treated_like_alone(org):
    org.person("E01", dept=None, csat=70)
    p = portrait(ADMIN, "E01", "en", TODAY)
    assert p.team_note.startswith("No department") and dim(p, "CSAT").requirement is None
    assert not dim(p, "CSAT").flagged  # nothing to compare with: no flag, no guess


def test_missing_months_are_gaps_not_zeros(org):
    org.person("E01", csat={"2026-08": 60, "2026-10": 62, "2026-02": 90})
    org.person("E02", csat={"2026-08": 84, "2026-09": 86, "2026-10": 85})
    org.person("E03", csat={"2026-08": 85, "2026-09": 84, "2026-10": 86})
    p = portrait(ADMIN, "E01", "en", TODAY)
    c = dim(p, "CSAT")
    assert c.monthly == [60, None, 62] and c.months_with_data == 2 and c.value == pytest.approx(61)
    assert c.explanation.endswith("(data for 2 of 3 months)")
    assert p.trend_months[0] == "2025-11" and p.trend_months[-1] == "2026-10"
    assert c.trend[p.trend_months.index("2026-09")] is None
    assert c.trend[p.trend_months.index("2026-02")] == 90
    assert c.team_trend[p.trend_months.index("2026-02")] is None   # no teammate had data then
    assert dim(p, "COMPLAINT").value is None and not dim(p, "COMPLAINT").flagged


def test_new_hire_with_one_month_of_data(org):
    org.person("E01", csat={"2026-10": 64})
    org.person("E02", csat=85)
    org.person("E03", csat=86)
    c = dim(portrait(ADMIN, "E01", "zh", TODAY), "CSAT")
    assert c.value == 64 and c.months_with_data == 1 and c.flagged
    assert c.explanation.endswith("（近3个月中仅1个月有数据）")


def test_team_leaves_out_leavers_and_people_without_data(org):
    org.person("E01", csat=70)
    org.person("E02", csat=80)
    org.person("E03", csat=20, status="left")   # would drag the mean down
    org.person("E04")                            # no scores at all
    c = dim(portrait(ADMIN, "E01", "en", TODAY), "CSAT")
    assert c.team_mean == pytest.approx(80) and c.team_size == 1


def test_ties_flag_alike_and_rank_by_dimension_order(org):
    org.person("E01", csat=85, complaint=4.5)
    org.person("E02", csat=100, complaint=3.0)
    org.person("E03", csat=100, complaint=3.0)
    p = portrait(ADMIN, "E01", "en", TODAY)
    # Both exactly at their thresholds with zero team spread: severity 1.0 each, order = dimension order.
    assert p.key_shortfalls == ["CSAT", "COMPLAINT"]
    assert [dim(p, c).severity for c in p.key_shortfalls] == [pytest.approx(1.0), pytest.approx(1.0)]


def test_shortfalls_are_ranked_by_severity(org):
    org.person("E01", csat=60, complaint=4.6)
    for n, (c, k) in enumerate([(84, 2.9), (85, 3.0), (86, 3.1), (85, 3.0)], 2):
        org.person(f"E0{n}", csat=c, complaint=k)
    p = portrait(ADMIN, "E01", "en", TODAY)
    assert p.key_shortfalls == ["CSAT", "COMPLAINT"]
    assert dim(p, "CSAT").severity > dim(p, "COMPLAINT").severity > 0


# -- attention and the roster's shortfall count -------------------------------------------------------------
def test_attention_agrees_with_the_portrait_and_fills_the_roster_count(org):
    org.person("E01", csat=60, complaint=6.0)
    org.person("E02", csat=84, complaint=3.0)
    org.person("E03", csat=86, complaint=3.1)
    org.person("E04", csat=85, complaint=4.5)   # 1.1x the others' mean (6.0, 3.0, 3.1): not flagged
    org.person("E05", dept="LEGAL", csat=71)    # alone, below the requirement
    org.person("E06", dept=None, csat=10)       # no department, no requirement: nothing to flag
    org.person("E07", csat=50, status="left")
    result = attention(ADMIN, today=TODAY, thresholds=TH)
    found = {r.number: [f.code for f in r.flags] for r in result.rows}
    for number in ("E01", "E02", "E03", "E04", "E05", "E06"):
        assert found.get(number, []) == portrait(ADMIN, number, "en", TODAY, thresholds=TH).key_shortfalls, number
    assert found == {"E01": ["CSAT", "COMPLAINT"], "E05": ["CSAT"]}
    assert [r.number for r in result.rows] == ["E01", "E05"]       # most severe first
    assert attention(ADMIN, dimension="complaint", today=TODAY).rows[0].flags[0].code == "COMPLAINT"
    assert refresh_shortfalls(TODAY) == 2
    counts = dict(database.execute_sql("SELECT number, shortfalls FROM employee").fetchall())
    assert counts == {"E01": 2, "E02": 0, "E03": 0, "E04": 0, "E05": 1, "E06": 0, "E07": 0}


def test_attention_scan_full_and_by_department_agree(org):
    for i in range(30):
        org.person(f"S{i:02d}", csat=60 + i, complaint=2 + i / 10)
        org.person(f"R{i:02d}", dept="RD", csat=90 - i, complaint=5 - i / 10)
    hr = Actor("u-hr", "hr.sales", "hr", (org.depts["SALES"].id,))
    everyone = attention(ADMIN, today=TODAY)
    sales = attention(hr, today=TODAY)
    by_dept = attention(ADMIN, department="sales", today=TODAY)
    flagged_sales = [(r.number, [f.code for f in r.flags]) for r in everyone.rows if r.department_code == "SALES"]
    assert [(r.number, [f.code for f in r.flags]) for r in sales.rows] == flagged_sales
    assert [(r.number, [f.code for f in r.flags]) for r in by_dept.rows] == flagged_sales
    assert flagged_sales and all(r.number.startswith("S") for r in sales.rows)
    with pytest.raises(UserError, match="outside your scope"):
        attention(hr, department="RD", today=TODAY)
    with pytest.raises(UserError, match="unknown dimension"):
        attention(ADMIN, dimension="NOPE", today=TODAY)


# -- scope and roles ----------------------------------------------------------------------------------------
def test_scope_and_roles(org):
    org.person("E01", csat=60)
    org.person("R01", dept="RD", csat=60)
    hr = Actor("u-hr", "hr.sales", "hr", (org.depts["SALES"].id,))
    with pytest.raises(OutOfScope, match="no employee 'R01' in your scope"):
        portrait(hr, "R01", "en", TODAY)
    assert portrait(hr, "E01", "en", TODAY).goals_visible
    employee = Actor("u-e", "e01", "employee", (), org.people["E01"].id)
    with pytest.raises(UserError, match="portraits are for HR"):
        portrait(employee, "E01", "en", TODAY)
    manager = Actor("u-m", "boss", "manager", (), org.people["E01"].id)
    p = portrait(manager, "E01", "en", TODAY)
    assert not p.goals_visible and p.goals == [] and p.suggested_goals == []


# -- signals ------------------------------------------------------------------------------------------------
BASE = ["2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08"]


def leave(e, days_by_month):
    for m, d in days_by_month.items():
        Attendance.create(employee=e.id, month=m, scheduled_days=21, attended_days=21 - d, leave_days=d)


def hours(e, by_month):
    from hrtui.store.models import Project

    proj = Project.get_or_none(Project.code == "P1") or Project.create(code="P1", name_zh="项目1", name_en="Project 1")
    for m, h in by_month.items():
        Assignment.create(project=proj.id, employee=e.id, month=m, hours=h)


def signals_of(number, lang="en"):
    return {s.kind: s for s in portrait(ADMIN, number, lang, TODAY).signals}


def test_leave_spike_against_the_personal_baseline(org):
    e = org.person("E01", csat=85)
    leave(e, {**{m: 1 for m in BASE}, "2026-09": 4, "2026-10": 3})
    s = signals_of("E01")["leave"]
    assert s.months == ["2026-09", "2026-10"] and s.data["recent_days"] == 7 and s.data["ratio"] == pytest.approx(3.5)
    assert s.sentence == ("Leave: 7 days in 2026-09–2026-10, vs a personal baseline of 2 days per 2 months"
                          " (the 6 months before; 3.5×)")
    assert "请假：2026-09–2026-10 共 7 天" in signals_of("E01", "zh")["leave"].sentence


def test_leave_needs_three_days_and_a_baseline_and_gaps_are_not_zeros(org):
    a = org.person("E01", csat=85)
    leave(a, {**{m: 0 for m in BASE}, "2026-09": 1, "2026-10": 1})        # 2x of nothing, but only 2 days
    b = org.person("E02", csat=85)
    leave(b, {"2026-07": 0, "2026-08": 0, "2026-09": 5, "2026-10": 5})   # 2 baseline months only: no baseline
    c = org.person("E03", csat=85)
    leave(c, {**{m: 2 for m in BASE}, "2026-10": 4})   # 2026-09 missing: a gap, 4/month vs 2 is exactly 2x
    assert "leave" not in signals_of("E01") and "leave" not in signals_of("E02")
    s = signals_of("E03")["leave"]
    assert s.months == ["2026-10"] and s.data["recent_days"] == 4


def test_project_hours_drop(org):
    a = org.person("E01", csat=85)
    hours(a, {**{m: 150 for m in BASE}, "2026-09": 90, "2026-10": 90})    # exactly -40 %
    b = org.person("E02", csat=85)
    hours(b, {**{m: 150 for m in BASE}, "2026-09": 91, "2026-10": 91})    # -39.3 %
    c = org.person("E03", csat=85)
    hours(c, {m: 150 for m in BASE})                                       # no hours recorded lately: a gap
    s = signals_of("E01")["project"]
    assert s.data["drop_pct"] == pytest.approx(40) and s.months == ["2026-09", "2026-10"]
    assert s.sentence.startswith("Project hours down 40%: 90 h a month in 2026-09–2026-10")
    assert "project" not in signals_of("E02") and "project" not in signals_of("E03")


def test_mandatory_training_overdue_or_late(org):
    sec = TrainingCourse.create(code="SEC", name_zh="信息安全意识", name_en="Security awareness", mandatory=1)
    topic = TrainingCourse.create(code="TOPIC", name_zh="沟通", name_en="Communication", mandatory=0)
    a = org.person("E01", csat=85)
    TrainingRecord.create(employee=a.id, course=sec.id, due_date="2026-09-15", completed_date=None)
    TrainingRecord.create(employee=a.id, course=topic.id, due_date="2026-09-15", completed_date=None)
    b = org.person("E02", csat=85)
    TrainingRecord.create(employee=b.id, course=sec.id, due_date="2026-06-30", completed_date="2026-07-20")
    c = org.person("E03", csat=85)
    TrainingRecord.create(employee=c.id, course=sec.id, due_date="2026-06-30", completed_date="2026-06-01")
    d = org.person("E04", csat=85)
    TrainingRecord.create(employee=d.id, course=sec.id, due_date="2026-12-31", completed_date=None)
    s = [x for x in portrait(ADMIN, "E01", "zh", TODAY).signals if x.kind == "training"]
    assert len(s) == 1 and s[0].months == ["2026-09", "2026-10"]
    assert s[0].sentence == "必修培训《信息安全意识》已逾期：截止 2026-09-15，尚未完成（逾期 76 天）"
    late = signals_of("E02")["training"]
    assert late.data["days_late"] == 20 and late.months == ["2026-06", "2026-07"]
    assert "training" not in signals_of("E03") and "training" not in signals_of("E04")


# -- goals --------------------------------------------------------------------------------------------------
def test_suggested_goals_are_bilingual_and_at_most_five(org):
    org.person("E01", csat=60, complaint=6.0)
    org.person("E02", csat=85, complaint=3.0)
    org.person("E03", csat=85, complaint=3.0)
    p = portrait(ADMIN, "E01", "en", TODAY)
    kinds = [g.kind for g in p.goals]
    assert kinds == ["cause", "shortfall:CSAT", "shortfall:COMPLAINT", "plan"] and not p.goals_saved
    assert p.goals[0].text("zh") == "明确绩效差的原因" and p.goals[-1].text("zh") == "制定3个月改进计划"
    assert p.goals[1].text("en") == "Raise customer satisfaction from 60 to the team mean 85"
    assert p.goals[2].text("zh") == "将客户投诉率从 6.0% 降到团队均值 3.0%"
    many = suggest_goals([{"code": f"D{i}", "name_zh": "维度", "name_en": "Dim", "direction": "higher",
                           "target_kind": "team", "value": "1", "target": "2"} for i in range(6)],
                         [{"kind": "leave", "data": {}}])
    assert len(many) == MAX_GOALS and many[0].kind == "cause" and many[-1].kind == "plan"
    calm = suggest_goals([], [])
    assert [g.kind for g in calm] == ["review", "develop"]


def test_goals_are_saved_with_the_employee_edited_and_deleted(org):
    org.person("E01", csat=60)
    org.person("E02", csat=85)
    User.create(id="u-admin", name="admin", role="admin", password_hash="x")
    p = portrait(ADMIN, "E01", "en", TODAY)
    first = save_goals(ADMIN, "E01", p.goals, "en")
    assert all(g.id for g in first)
    again = portrait(ADMIN, "E01", "zh", TODAY)
    assert again.goals_saved and [g.id for g in again.goals] == [g.id for g in first]
    edited = [first[1].edited("zh", "  先了解  客户反馈  "), first[0], Goal("", "Check workload", "custom")]
    second = save_goals(ADMIN, "E01", edited, "en")
    assert [g.id for g in second][:2] == [first[1].id, first[0].id] and second[2].id not in {g.id for g in first}
    assert second[0].text("zh") == "先了解 客户反馈" and second[0].text("en") == "先了解 客户反馈"
    employee_id = org.people["E01"].id
    assert [g.kind for g in saved_goals(employee_id)] == ["shortfall:CSAT", "cause", "custom"]
    tomb = database.execute_sql("SELECT count(*) FROM interview_goal WHERE employee_id = ? AND deleted = 1",
                                (employee_id,)).fetchone()[0]
    assert tomb == 1  # the plan goal, kept as a tombstone for sync
    actions = [r[0] for r in database.execute_sql("SELECT action FROM audit ORDER BY seq")]
    assert actions.count("interview_goals.write") == 2 and "portrait.read" in actions


def test_goal_lists_hr_could_not_mean_are_refused(org):
    org.person("E01", csat=60)
    goals = [Goal("目标", "", "custom") for _ in range(MAX_GOALS + 1)]
    with pytest.raises(UserError, match="at most 5"):
        save_goals(ADMIN, "E01", goals)
    with pytest.raises(UserError, match="cannot be empty"):
        save_goals(ADMIN, "E01", [Goal("  ", "", "custom")])
    manager = Actor("u-m", "boss", "manager", (), org.people["E01"].id)
    with pytest.raises(UserError, match="kept by HR"):
        save_goals(manager, "E01", [Goal("x", "x")])
    hr = Actor("u-hr", "hr.rd", "hr", ())
    with pytest.raises(OutOfScope):
        save_goals(hr, "E01", [Goal("x", "x")])
