"""The portrait and the needs-attention list on the demo company: the planted under-performers are found with the
right dimension and numbers (issue 3, "done when")."""
from __future__ import annotations

import json

import pytest

from hrtui.access.actor import OutOfScope
from hrtui.domain.attention import attention
from hrtui.domain.portrait import portrait
from hrtui.errors import UserError
from hrtui.store.db import database


def test_satisfaction_case_reads_about_60_vs_85(actor_of, stories):
    p = portrait(actor_of("admin"), stories["csat"], "zh")
    assert p.key_shortfalls[0] == "CSAT"
    c = p.dimension("CSAT")
    assert c.value == pytest.approx(60, abs=2) and c.team_mean == pytest.approx(85, abs=1.5)
    assert c.explanation.startswith("客户满意度 60，团队均值 85，低 ")
    assert c.severity_basis == "z" and c.severity > 3
    en = portrait(actor_of("admin"), stories["csat"], "en").dimension("CSAT").explanation
    assert en.startswith("Customer satisfaction 60 vs team mean 85 (")


def test_complaint_case_is_about_twice_the_team(actor_of, stories):
    p = portrait(actor_of("admin"), stories["complaint"], "en")
    assert p.key_shortfalls[0] == "COMPLAINT"
    c = p.dimension("COMPLAINT")
    assert c.team_ratio == pytest.approx(2.0, abs=0.25) and "team" in c.reasons
    assert "× the team" in c.explanation


def test_target_case(actor_of, stories):
    p = portrait(actor_of("admin"), stories["target"], "en")
    c = p.dimension("TARGET")
    assert "TARGET" in p.key_shortfalls and c.value == pytest.approx(68, abs=3)
    assert c.team_mean == pytest.approx(100, abs=3)


def test_leave_training_and_project_signals_appear(actor_of, stories):
    admin = actor_of("admin")
    leave = {s.kind: s for s in portrait(admin, stories["leave"], "en").signals}["leave"]
    assert leave.months == ["2026-09", "2026-10"] and leave.data["recent_days"] >= 10 and leave.data["ratio"] >= 2
    training = [s for s in portrait(admin, stories["training"], "zh").signals if s.kind == "training"]
    assert training and training[0].data["course_en"] == "Information security awareness"
    assert training[0].sentence.startswith("必修培训《信息安全意识》已逾期")
    project = {s.kind: s for s in portrait(admin, stories["project"], "en").signals}["project"]
    assert project.data["drop_pct"] == pytest.approx(60, abs=8) and project.months == ["2026-09", "2026-10"]
    # each signal suggests its own interview goal
    kinds = [g.kind for g in portrait(admin, stories["leave"], "en").goals]
    assert "signal:leave" in kinds and len(kinds) <= 5


def test_portrait_is_json_ready_and_has_twelve_months_of_trend(actor_of, stories):
    p = portrait(actor_of("admin"), stories["csat"], "en")
    data = json.loads(json.dumps(p.to_dict(), ensure_ascii=False))
    assert data["window"] == ["2026-08", "2026-09", "2026-10"] and len(data["trend_months"]) == 12
    assert all(len(d["trend"]) == 12 and len(d["team_trend"]) == 12 for d in data["dimensions"])
    assert data["employee"]["number"] == stories["csat"]


def test_scoped_hr_cannot_open_a_portrait_outside_their_departments(actor_of, stories):
    rd_number = stories["training"]  # planted in R&D
    dept = database.execute_sql("SELECT d.code FROM employee e JOIN department d ON d.id = e.department_id"
                                " WHERE e.number = ?", (rd_number,)).fetchone()[0]
    assert dept == "RD"
    with pytest.raises(OutOfScope, match=f"no employee '{rd_number}' in your scope"):
        portrait(actor_of("hr.sales"), rd_number, "en")
    assert portrait(actor_of("hr.rd"), rd_number, "en").employee.number == rd_number


def test_employee_accounts_cannot_read_portraits(actor_of, stories):
    with pytest.raises(UserError, match="portraits are for HR"):
        portrait(actor_of("emp.sales"), stories["csat"], "en")
    with pytest.raises(UserError):
        attention(actor_of("emp.sales"))


def test_attention_finds_the_planted_cases_ranked(actor_of, stories):
    rows = attention(actor_of("admin")).rows
    flagged = {r.number: [f.code for f in r.flags] for r in rows}
    assert "CSAT" in flagged[stories["csat"]]
    assert "COMPLAINT" in flagged[stories["complaint"]]
    assert "TARGET" in flagged[stories["target"]]
    severities = [r.severity for r in rows]
    assert severities == sorted(severities, reverse=True)


def test_attention_matches_every_portrait_and_the_roster_count(actor_of):
    admin = actor_of("admin")
    found = {r.number: [f.code for f in r.flags] for r in attention(admin).rows}
    for number, stored in database.execute_sql("SELECT number, shortfalls FROM employee ORDER BY number"):
        assert found.get(number, []) == portrait(admin, number, "en").key_shortfalls, number
        assert stored == len(found.get(number, [])), number  # refresh_shortfalls ran at the end of build_demo


def test_attention_is_scoped_and_filtered(actor_of, stories):
    sales = attention(actor_of("hr.sales"))
    assert sales.rows and {r.department_code for r in sales.rows} == {"SALES"}
    assert stories["csat"] in {r.number for r in sales.rows}
    only = attention(actor_of("admin"), department="SALES")
    assert [r.number for r in only.rows] == [r.number for r in sales.rows]
    csat = attention(actor_of("admin"), dimension="CSAT")
    assert csat.rows and all(r.flags[0].code == "CSAT" and len(r.flags) == 1 for r in csat.rows)
    mgr = attention(actor_of("mgr.sales"))
    reports = {r[0] for r in database.execute_sql(
        "SELECT e.number FROM employee e JOIN user u ON u.name = 'mgr.sales'"
        " WHERE e.manager_id = u.employee_id OR e.id = u.employee_id")}
    assert {r.number for r in mgr.rows} <= reports
