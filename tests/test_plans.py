"""Improvement plans in the domain: drafting from the key shortfalls, editing, states, who may do what, the audit."""
from __future__ import annotations

import datetime as _dt
import json

import pytest

from hrtui.access.policy import Refused
from hrtui.domain import plans as P
from hrtui.errors import UserError
from hrtui.store.db import database

T = _dt.date(2026, 11, 30)


def _employee_id(number: str) -> str:
    return database.execute_sql("SELECT id FROM employee WHERE number = ?", (number,)).fetchone()[0]


def _flagged_without_plan(department: str) -> str:
    """A flagged employee of the department who has no plan yet (the demo plans some of them)."""
    row = database.execute_sql(
        """SELECT e.number FROM employee e JOIN department d ON d.id = e.department_id
           WHERE d.code = ? AND e.shortfalls > 0 AND NOT EXISTS (SELECT 1 FROM plan p WHERE p.employee_id = e.id)
           ORDER BY e.number LIMIT 1""", (department,)).fetchone()
    return row[0]


def _audit(action: str) -> list[tuple[str, str, str]]:
    return database.execute_sql("SELECT actor, record, detail FROM audit WHERE action = ? ORDER BY seq",
                                (action,)).fetchall()


# -- the demo --------------------------------------------------------------------------------------------------------
def test_demo_has_a_plan_in_every_state(actor_of):
    rows = P.plans(actor_of("admin"), today=T)
    states = {(r.state, r.outcome) for r in rows}
    assert {("draft", None), ("active", None), ("extended", None), ("closed", "met"), ("closed", "not_met")} <= states
    own = P.plans(actor_of("emp.sales"), today=T)
    assert [r.state for r in own] == ["active"]          # the self-service employee has a running plan
    hr_rd = P.plans(actor_of("hr.rd"), today=T)
    assert hr_rd and all(r.department_code == "RD" for r in hr_rd)
    assert any(r.overdue for r in hr_rd)                  # the R&D plan has an overdue item


def test_drafts_are_hidden_from_managers_and_employees(actor_of):
    draft_rows = P.plans(actor_of("hr.sales"), "draft", today=T)
    assert draft_rows
    assert P.plans(actor_of("mgr.sales"), "draft", today=T) == []
    mgr_rows = P.plans(actor_of("mgr.sales"), today=T)
    manager_id = actor_of("mgr.sales").employee_id
    for r in mgr_rows:
        assert database.execute_sql("SELECT manager_id FROM employee WHERE number = ?", (r.number,)).fetchone()[0] \
            == manager_id
    with pytest.raises(UserError):
        P.load(actor_of("emp.sales"), draft_rows[0].id)


# -- drafting ---------------------------------------------------------------------------------------------------------
def test_draft_from_the_key_shortfalls(actor_of, stories):
    from hrtui.domain.portrait import portrait

    admin = actor_of("admin")
    number = stories["complaint"]
    p = portrait(admin, number, "en", T)
    assert "COMPLAINT" in p.key_shortfalls
    plan = P.draft(admin, number, "en", T)
    assert plan.state == "draft" and plan.drafted_on == T.isoformat()
    assert [g.code for g in plan.goals] == p.key_shortfalls[:P.MAX_DRAFT_GOALS]
    goal = next(g for g in plan.goals if g.code == "COMPLAINT")
    d = p.dimension("COMPLAINT")
    assert goal.baseline == pytest.approx(d.value)
    assert (goal.target_kind, goal.target_pct) == ("pct", -50.0)                   # complaint rate −50 %
    assert goal.target == pytest.approx(round(d.value * 0.5, 1))
    assert goal.deadline == (T + _dt.timedelta(days=90)).isoformat()
    assert goal.midterm == (T + _dt.timedelta(days=45)).isoformat()
    assert (goal.baseline_from, goal.baseline_to) == (p.window[0], p.window[-1])
    kinds = {i.kind: i for i in plan.items}
    course = database.execute_sql("SELECT code FROM training_course WHERE id = ?",
                                  (kinds["training"].course_id,)).fetchone()[0]
    assert course == "COMPLAINT"                                                   # the matching course
    assert kinds["training"].owner == "employee" and kinds["training"].goal_id == goal.id
    assert kinds["weekly_review"].owner == "employee" and kinds["weekly_review"].due_date == goal.midterm
    assert kinds["mentor"].owner == "manager"
    actor, record, detail = _audit("plan.draft")[-1]
    assert (actor, record) == ("admin", plan.id)
    assert json.loads(detail)["goals"] == len(plan.goals)


def test_higher_is_better_targets_the_team_mean(actor_of, stories):
    plan = P.draft(actor_of("hr.sales"), stories["target"], "en", T)
    goal = next(g for g in plan.goals if g.code == "TARGET")
    assert goal.target_kind in ("team", "requirement")
    assert goal.target > goal.baseline


def test_one_open_plan_per_employee(actor_of, stories):
    with pytest.raises(UserError, match="already has an open plan"):
        P.draft(actor_of("hr.sales"), stories["csat"], "en", T)   # emp.sales already has an active plan


def test_draft_links_the_interview(actor_of):
    from hrtui.domain import interview

    hr = actor_of("hr.sales")
    number = _flagged_without_plan("SALES")
    iv = interview.start_or_resume(hr, number)
    interview.end(hr, iv.id, 60.0, [])
    plan = P.draft(hr, number, "en", T, interview_id=iv.id)
    assert plan.interview_id == iv.id
    other = _flagged_without_plan("SALES")
    with pytest.raises(UserError, match="not with this employee"):
        P.draft(hr, other, "en", T, interview_id=iv.id)


def test_only_hr_and_admins_draft(actor_of, stories):
    for user in ("mgr.sales", "emp.sales"):
        with pytest.raises(Refused):
            P.draft(actor_of(user), stories["csat"], "en", T)
    with pytest.raises(UserError, match="no employee"):
        P.draft(actor_of("hr.rd"), stories["csat"], "en", T)    # SALES is outside hr.rd's scope


# -- editing -----------------------------------------------------------------------------------------------------------
@pytest.fixture
def draft_plan(actor_of):
    hr = actor_of("hr.sales")
    return P.draft(hr, _flagged_without_plan("SALES"), "en", T)


def test_goal_targets_follow_their_kind(actor_of, draft_plan):
    hr = actor_of("hr.sales")
    goal = draft_plan.goals[0]
    P.update_goal(hr, goal.id, "en", target_pct=-30)
    g = P.load(hr, draft_plan.id).goal(goal.id)
    assert (g.target_kind, g.target_pct) == ("pct", -30.0)
    assert g.target == pytest.approx(round(g.baseline * 0.7, g.places))
    P.update_goal(hr, goal.id, "en", target_kind="team")
    g = P.load(hr, draft_plan.id).goal(goal.id)
    ref = P.reference(draft_plan.employee_id, g.dimension_id, P._month_span(g.baseline_from, g.baseline_to))
    assert (g.target_kind, g.target_pct) == ("team", None)
    assert g.target == pytest.approx(round(ref.team_mean, g.places))
    P.update_goal(hr, goal.id, "en", target=1.5)
    g = P.load(hr, draft_plan.id).goal(goal.id)
    assert (g.target_kind, g.target) == ("value", 1.5)
    P.update_goal(hr, goal.id, "en", baseline=8.0, target_pct=-50)
    g = P.load(hr, draft_plan.id).goal(goal.id)
    assert (g.baseline, g.target) == (8.0, 4.0)


def test_goal_dates_are_checked(actor_of, draft_plan):
    hr = actor_of("hr.sales")
    goal = draft_plan.goals[0]
    P.update_goal(hr, goal.id, "en", deadline="+14")
    assert P.load(hr, draft_plan.id).goal(goal.id).deadline == \
        (_dt.date.fromisoformat(goal.deadline) + _dt.timedelta(days=14)).isoformat()
    with pytest.raises(UserError, match="mid-term check"):
        P.update_goal(hr, goal.id, "en", midterm="2030-01-01")
    with pytest.raises(UserError, match="not a date"):
        P.update_goal(hr, goal.id, "en", deadline="soon")
    with pytest.raises(UserError, match="before the plan starts"):
        P.update_goal(hr, goal.id, "en", midterm="2020-01-01", deadline="2020-02-01")


def test_goals_and_items_are_added_edited_and_deleted(actor_of, draft_plan):
    hr = actor_of("hr.sales")
    have = {g.code for g in draft_plan.goals}
    code = next(c for c, _zh, _en in P.dimensions() if c not in have)
    gid = P.add_goal(hr, draft_plan.id, code, "en", T)
    plan = P.load(hr, draft_plan.id)
    assert plan.goal(gid).code == code and plan.goal(gid).deadline == plan.goals[0].deadline
    with pytest.raises(UserError, match="already has a goal"):
        P.add_goal(hr, draft_plan.id, code, "en", T)
    entry = next(e for e in P.catalogue([(gid, plan.goal(gid).dimension_id)]) if e.kind == "coaching")
    iid = P.add_item(hr, draft_plan.id, entry, "en", T)
    item = P.load(hr, draft_plan.id).item(iid)
    assert (item.owner, item.due_date) == ("hr", (T + _dt.timedelta(days=21)).isoformat())
    P.update_item(hr, iid, "zh", text="每周与 HR 复盘一次", owner="manager", due="2027-01-05", goal_id=gid)
    item = P.load(hr, draft_plan.id).item(iid)
    assert (item.text("zh"), item.text("en"), item.owner, item.due_date, item.goal_id) == \
        ("每周与 HR 复盘一次", "每周与 HR 复盘一次", "manager", "2027-01-05", gid)
    custom = P.add_item(hr, draft_plan.id, None, "en", T, text="Call two unhappy customers", owner="employee",
                        due="+10")
    assert P.load(hr, draft_plan.id).item(custom).due_date == (T + _dt.timedelta(days=10)).isoformat()
    with pytest.raises(UserError, match="needs a text"):
        P.update_item(hr, custom, "en", text="   ")
    P.delete_item(hr, custom, "en")
    P.delete_goal(hr, gid, "en")
    plan = P.load(hr, draft_plan.id)
    assert gid not in {g.id for g in plan.goals} and custom not in {i.id for i in plan.items}
    assert plan.item(iid).goal_id is None                       # its goal went; the action stays
    tombstones = database.execute_sql("SELECT count(*) FROM plan_item WHERE id = ? AND deleted = 1",
                                      (custom,)).fetchone()[0]
    assert tombstones == 1


# -- states ------------------------------------------------------------------------------------------------------------
def test_activate_extend_close(actor_of, draft_plan):
    hr = actor_of("hr.sales")
    P.activate(hr, draft_plan.id, "en", T)
    plan = P.load(hr, draft_plan.id)
    assert (plan.state, plan.start_date) == ("active", T.isoformat())
    with pytest.raises(UserError, match="fixed once the plan is active"):
        P.update_goal(hr, plan.goals[0].id, "en", baseline=1.0)
    first = plan.items[0]
    P.set_done(hr, first.id, True, "en", T)
    later = T + _dt.timedelta(days=60)                            # past the mid-term check
    P.extend(hr, draft_plan.id, 30, "en", later)
    after = P.load(hr, draft_plan.id)
    assert after.state == "extended" and after.extended_days == 30
    for before, now in zip(plan.goals, after.goals):
        assert now.deadline == (_dt.date.fromisoformat(before.deadline) + _dt.timedelta(days=30)).isoformat()
        assert now.midterm == before.midterm                     # already passed: stays
    for item in after.items:
        was = plan.item(item.id)
        shift = 0 if item.id == first.id else 30                   # the done item keeps its date
        assert item.due_date == (_dt.date.fromisoformat(was.due_date) + _dt.timedelta(days=shift)).isoformat()
    outcome = P.close(hr, draft_plan.id, None, "en", later)
    closed = P.load(hr, draft_plan.id)
    assert closed.state == "closed" and closed.outcome == outcome == "not_met"  # no data yet: not met
    with pytest.raises(UserError, match="closed"):
        P.add_item(hr, draft_plan.id, None, "en", later, text="too late")
    with pytest.raises(UserError, match="closed"):
        P.set_done(hr, first.id, False, "en", later)
    assert [a[1] for a in _audit("plan.activate")][-1] == draft_plan.id
    assert json.loads(_audit("plan.extend")[-1][2]) == {"days": 30}
    assert json.loads(_audit("plan.close")[-1][2]) == {"outcome": "not_met"}


def test_activation_needs_goals_with_targets(actor_of, draft_plan):
    hr = actor_of("hr.sales")
    for g in draft_plan.goals:
        P.delete_goal(hr, g.id, "en")
    with pytest.raises(UserError, match="at least one goal"):
        P.activate(hr, draft_plan.id, "en", T)


def test_discard_a_draft(actor_of, draft_plan):
    hr = actor_of("hr.sales")
    P.discard(hr, draft_plan.id, "en")
    with pytest.raises(UserError):
        P.load(hr, draft_plan.id)
    P.draft(hr, draft_plan.number, "en", T)                       # a new draft is possible again


# -- the checklist: who ticks what ----------------------------------------------------------------------------------
def _emp_sales_plan(actor_of) -> P.Plan:
    emp = actor_of("emp.sales")
    return P.load(emp, P.require_plan_of(emp, database.execute_sql(
        "SELECT number FROM employee WHERE id = ?", (emp.employee_id,)).fetchone()[0]))


def test_the_employee_ticks_their_own_items_and_acknowledges(actor_of):
    emp = actor_of("emp.sales")
    plan = _emp_sales_plan(actor_of)
    own = next(i for i in plan.items if i.owner == "employee" and not i.done)
    hr_item = next(i for i in plan.items if i.owner == "hr")
    assert P.can_check(emp, plan, own) and not P.can_check(emp, plan, hr_item)
    P.set_done(emp, own.id, True, "en", T)
    assert P.load(emp, plan.id).item(own.id).done_on == T.isoformat()
    with pytest.raises(UserError, match="owned by the HR"):
        P.set_done(emp, hr_item.id, True, "en", T)
    with pytest.raises(Refused):
        P.add_item(emp, plan.id, None, "en", T, text="mine")
    assert P.can_acknowledge(emp, plan)
    P.acknowledge(emp, plan.id, "en")
    assert P.load(emp, plan.id).acknowledged_at
    with pytest.raises(UserError, match="only the employee"):
        P.acknowledge(actor_of("hr.sales"), plan.id, "en")


def test_the_manager_ticks_the_items_they_own(actor_of):
    mgr = actor_of("mgr.sales")
    row = next(r for r in P.plans(mgr, today=T) if r.state in P.RUNNING)
    plan = P.load(mgr, row.id)
    mine = next(i for i in plan.items if i.owner == "manager" and not i.done)
    theirs = next(i for i in plan.items if i.owner != "manager")
    assert P.can_check(mgr, plan, mine) and not P.can_check(mgr, plan, theirs)
    P.set_done(mgr, mine.id, True, "en", T)
    with pytest.raises(UserError, match="your own items"):
        P.set_done(mgr, theirs.id, True, "en", T)
    with pytest.raises(Refused):
        P.extend(mgr, plan.id, 10, "en", T)
    emp_plan = _emp_sales_plan(actor_of)
    with pytest.raises(UserError, match="no such plan"):
        P.load(mgr, emp_plan.id)          # not one of mgr.sales's reports


def test_hr_of_another_department_sees_nothing(actor_of):
    plan = _emp_sales_plan(actor_of)
    with pytest.raises(UserError, match="no such plan"):
        P.load(actor_of("hr.rd"), plan.id)
    with pytest.raises(UserError):
        P.set_done(actor_of("hr.rd"), plan.items[0].id, True, "en", T)


def test_the_audit_holds_ids_not_employee_text(actor_of):
    hr = actor_of("hr.sales")
    plan = _emp_sales_plan(actor_of)
    P.add_item(hr, plan.id, None, "en", T, text="Secret remark about 彭")
    P.load(hr, plan.id)
    rows = database.execute_sql("SELECT action, record, detail FROM audit WHERE action LIKE 'plan.%'").fetchall()
    assert {"plan.item.add", "plan.read"} <= {r[0] for r in rows}
    assert not any("Secret" in (r[2] or "") or "彭" in (r[2] or "") for r in rows)


def test_org_dates_and_parsing(monkeypatch):
    assert P.parse_day("+2w", T) == T + _dt.timedelta(days=14)
    assert P.parse_day("-3", T) == T - _dt.timedelta(days=3)
    assert P.parse_day("2027-01-31") == _dt.date(2027, 1, 31)
    with pytest.raises(UserError):
        P.parse_day("31/01/2027")
    assert P.parse_now("2026-12-01") == _dt.date(2026, 12, 1)
    with pytest.raises(UserError, match="--now"):
        P.parse_now("tomorrow")
    assert P.org_today() == T                                    # HRTUI_TODAY pins it


def test_demo_plans_are_deterministic_and_fit_small_demos(tmp_path):
    import subprocess
    import sys

    from hrtui.store.db import open_db

    dumps = []
    for name, employees in (("a.db", "40"), ("b.db", "40"), ("tiny.db", "3")):
        proc = subprocess.run([sys.executable, "-m", "hrtui", "demo", "--no-tui", "--employees", employees,
                               "--db", str(tmp_path / name)], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        con = open_db(tmp_path / name, bind=False)
        # account ids are random (create_user); everything the demo's plans are made of is not
        dumps.append([con.execute_sql(f"SELECT {cols} FROM {table} ORDER BY id").fetchall() for table, cols in (
            ("plan", "id, employee_id, state, outcome, drafted_on, start_date, closed_on, extended_days"),
            ("plan_goal", "*"),
            ("plan_item", "id, plan_id, goal_id, kind, course_id, text_en, owner, due_date, done_on"),
            ("reminder", "id, key, channel, kind, on_date, about_date, read_at"))])
        con.close()
    assert dumps[0] == dumps[1] and dumps[0][0]
    assert dumps[2][0] == []                         # three employees: no one to plan for, and no error
