"""Every roster read applies the actor's scope: admin all, hr their departments, manager reports, employee self."""
from __future__ import annotations

import pytest

from hrtui.access.actor import OutOfScope, authenticate, find_employee
from hrtui.domain.people import employee_card
from hrtui.domain.roster import Roster
from hrtui.errors import UserError
from hrtui.store.db import database


def all_rows(actor, text=""):
    roster = Roster(actor, text)
    return roster.page(0, roster.count() + 1)


def dept_counts():
    return dict(database.execute_sql(
        "SELECT d.code, count(*) FROM employee e JOIN department d ON d.id = e.department_id GROUP BY d.code"))


def test_admin_sees_every_department(actor_of):
    rows = all_rows(actor_of("admin"))
    assert len(rows) == 240
    assert {r.department_code for r in rows} == {"SALES", "RD", "CS", "OPS", "FIN", "HR"}


def test_hr_sees_only_their_departments(actor_of):
    rows = all_rows(actor_of("hr.sales"))
    assert rows and {r.department_code for r in rows} == {"SALES"}
    assert len(rows) == dept_counts()["SALES"]
    assert {r.department_code for r in all_rows(actor_of("hr.rd"))} == {"RD"}


def test_hr_filter_cannot_reach_other_departments(actor_of):
    for text in ("RD", "研发", "E0000", "a", "张", "Zhang"):
        assert {r.department_code for r in all_rows(actor_of("hr.sales"), text)} <= {"SALES"}, text


def test_manager_sees_reports_and_self(actor_of):
    mgr = actor_of("mgr.sales")
    rows = all_rows(mgr)
    reports = database.execute_sql("SELECT count(*) FROM employee WHERE manager_id = ?", (mgr.employee_id,)).fetchone()[0]
    assert len(rows) == reports + 1
    assert mgr.employee_id in {r.id for r in rows}


def test_employee_sees_only_self(actor_of):
    me = actor_of("emp.sales")
    rows = all_rows(me)
    assert [r.id for r in rows] == [me.employee_id]
    assert [r.id for r in all_rows(me, "E")] == [me.employee_id]
    assert all_rows(me, "RD") == []


def test_out_of_scope_employee_is_refused_without_saying_it_exists(actor_of):
    rd_number = database.execute_sql(
        "SELECT e.number FROM employee e JOIN department d ON d.id = e.department_id WHERE d.code = 'RD' LIMIT 1"
    ).fetchone()[0]
    with pytest.raises(OutOfScope, match=f"no employee '{rd_number}' in your scope"):
        employee_card(actor_of("hr.sales"), rd_number)
    assert employee_card(actor_of("hr.rd"), rd_number).number == rd_number
    with pytest.raises(OutOfScope, match="no employee 'E999999' in your scope"):
        find_employee(actor_of("admin"), "E999999")


def test_login_refusals_are_one_line(demo_db):
    with pytest.raises(UserError, match="wrong password for 'admin'"):
        authenticate("admin", "nope")
    with pytest.raises(UserError, match="unknown user 'ghost'"):
        authenticate("ghost", "demo")
    database.execute_sql("UPDATE user SET disabled = 1 WHERE name = 'hr.rd'")
    with pytest.raises(UserError, match="disabled"):
        authenticate("hr.rd", "demo")


def test_a_team_mean_never_stands_for_one_unseen_colleague(actor_of):
    """A manager whose report shares a small department with one person they may not see would read that person's
    scores as the 'team mean'; the portrait and the needs-attention list compare with the requirement instead."""
    from hrtui.domain import team_stats
    from hrtui.domain.attention import attention
    from hrtui.domain.portrait import portrait
    from hrtui.store.ids import uuid7

    mgr, admin = actor_of("mgr.sales"), actor_of("admin")
    report = database.execute_sql(
        "SELECT e.number FROM employee e JOIN employee m ON m.id = e.manager_id JOIN user u ON u.employee_id = m.id "
        "WHERE u.name = 'mgr.sales' ORDER BY e.number LIMIT 1").fetchone()[0]
    stranger = "E000068"                                                 # RD: not a report of mgr.sales
    tiny = uuid7()
    database.execute_sql("INSERT INTO department (id, code, name_zh, name_en) VALUES (?, 'TINY', '小组', 'Tiny')",
                         (tiny,))
    database.execute_sql("UPDATE employee SET department_id = ? WHERE number IN (?, ?)", (tiny, report, stranger))
    team_stats.scores_changed()

    seen_by_admin = portrait(admin, report)
    assert seen_by_admin.team_size == 1 and any(d.team_mean is not None for d in seen_by_admin.dimensions)
    seen_by_mgr = portrait(mgr, report)
    assert "withheld" in seen_by_mgr.team_note
    assert all(d.team_mean is None and d.gap_team is None and "team" not in d.reasons for d in seen_by_mgr.dimensions)
    assert all(v is None for d in seen_by_mgr.dimensions for v in d.team_trend)
    flags = [f for r in attention(mgr).rows if r.number == report for f in r.flags]
    assert all(f.team_mean is None and "team" not in f.reasons for f in flags)
    # two unseen colleagues are still too few; three are enough
    for extra in ("E000069", "E000070"):
        database.execute_sql("UPDATE employee SET department_id = ? WHERE number = ?", (tiny, extra))
        team_stats.scores_changed()
        team_seen = any(d.team_mean is not None for d in portrait(mgr, report).dimensions)
        assert team_seen is (extra == "E000070")


def test_a_team_mean_is_withheld_per_figure_when_few_unseen_colleagues_have_data(actor_of):
    """Headcount is not enough: in a big department where only one colleague the manager may not see has CSAT
    scores, the CSAT team mean (and its trend months) would be that colleague's scores minus known ones."""
    from hrtui.domain import team_stats
    from hrtui.domain.portrait import portrait

    mgr = actor_of("mgr.sales")
    report = database.execute_sql(
        "SELECT e.number FROM employee e JOIN employee m ON m.id = e.manager_id JOIN user u ON u.employee_id = m.id "
        "WHERE u.name = 'mgr.sales' ORDER BY e.number LIMIT 1").fetchone()[0]
    unseen = [r[0] for r in database.execute_sql(
        "SELECT e.id FROM employee e JOIN department d ON d.id = e.department_id JOIN user u ON u.name = 'mgr.sales' "
        "WHERE d.code = 'SALES' AND e.status != 'left' AND coalesce(e.manager_id, '') != u.employee_id "
        "AND e.id != u.employee_id ORDER BY e.number")]
    assert len(unseen) > 3
    before = portrait(mgr, report)
    assert all(d.team_mean is not None for d in before.dimensions if d.code in ("CSAT", "TARGET"))
    marks = ",".join("?" * (len(unseen) - 1))
    database.execute_sql(f"DELETE FROM score WHERE employee_id IN ({marks}) AND dimension_id = "
                         "(SELECT id FROM dimension WHERE code = 'CSAT')", unseen[1:])
    team_stats.scores_changed()
    after = {d.code: d for d in portrait(mgr, report).dimensions}
    assert after["CSAT"].team_mean is None and all(v is None for v in after["CSAT"].team_trend)
    assert after["TARGET"].team_mean is not None                      # the other figures still compare
    assert "withheld" in portrait(mgr, report).team_note
    assert portrait(actor_of("hr.sales"), report).team_note is None   # HR sees the whole department anyway
