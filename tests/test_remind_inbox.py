"""The in-app inbox: what opening hrtui delivers, once; unread counts; read marks; the demo's history."""
from __future__ import annotations

import datetime as _dt

from hrtui.domain import reminders as R
from hrtui.store.db import database

T = _dt.date(2026, 11, 30)


def test_the_demo_inboxes_hold_what_was_due_before_today(actor_of):
    hr = actor_of("hr.sales")
    entries = R.inbox(hr)
    assert entries and all(e.on_date < T.isoformat() for e in entries)
    assert R.unread_count(hr) == sum(1 for e in entries if e.read_at is None) >= 1
    old = [e for e in entries if (T - _dt.date.fromisoformat(e.on_date)).days > 7]
    assert old and all(e.read_at for e in old)                         # older than a week: read
    assert R.inbox(actor_of("admin")) == []                             # admins draft no demo plan


def test_opening_hrtui_today_pops_up_nothing_new_for_sales(actor_of):
    for user in ("hr.sales", "emp.sales", "mgr.sales", "admin"):
        assert R.refresh_inbox(actor_of(user), T) == []


def test_overdue_items_remind_every_day(actor_of):
    hr_rd = actor_of("hr.rd")
    fresh = R.refresh_inbox(hr_rd, T)
    assert [d.occurrence.kind for d in fresh] == ["item_overdue"]
    assert "Overdue since 2026-11-28 (2 days ago)" in fresh[0].text("en", T)
    assert R.refresh_inbox(hr_rd, T) == []                              # delivered once
    tomorrow = R.refresh_inbox(hr_rd, T + _dt.timedelta(days=1))
    assert [d.occurrence.on for d in tomorrow] == [T + _dt.timedelta(days=1)]


def test_three_days_before_reaches_hr_and_the_employee(actor_of):
    day = T + _dt.timedelta(days=1)
    for user in ("hr.sales", "emp.sales"):
        fresh = R.refresh_inbox(actor_of(user), day)
        assert [(d.occurrence.kind, d.occurrence.about) for d in fresh] == [("item_before", _dt.date(2026, 12, 4))]
    emp = actor_of("emp.sales")
    (entry,) = [e for e in R.inbox(emp) if e.on_date == day.isoformat()]
    assert entry.own and entry.read_at is None
    assert entry.text("zh").startswith("2026-12-04 到期（还有 3 天）：完成培训《客户服务技巧》——你的改进计划")


def test_the_manager_hears_about_the_items_they_own(actor_of):
    mgr = actor_of("mgr.sales")
    fresh = R.refresh_inbox(mgr, T + _dt.timedelta(days=2))
    assert fresh and all(d.occurrence.owner == "manager" for d in fresh)
    assert all(d.recipient.role == "manager" for d in fresh)


def test_read_marks(actor_of):
    emp = actor_of("emp.sales")
    R.refresh_inbox(emp, T + _dt.timedelta(days=1))
    unread = R.unread_count(emp)
    assert unread >= 1
    first = R.inbox(emp)[0]
    assert R.mark_read(emp, [first.id]) == 1
    assert R.unread_count(emp) == unread - 1
    assert R.mark_read(emp, [first.id], read=False) == 1
    assert R.mark_read(emp) == unread and R.unread_count(emp) == 0
    hr = actor_of("hr.sales")
    assert R.mark_read(hr, [first.id]) == 0                             # not theirs: nothing happens
    audit = database.execute_sql("SELECT count(*) FROM audit WHERE action = 'remind.read'").fetchone()[0]
    assert audit == 2


def test_a_disabled_hr_account_hands_over_to_the_department_hr(actor_of):
    from hrtui.access.actor import authenticate, create_user

    create_user("hr.rd2", "hr", "another-password", departments=["RD"])
    database.execute_sql("UPDATE user SET disabled = 1 WHERE name = 'hr.rd'")
    deputy = authenticate("hr.rd2", "another-password")
    fresh = R.refresh_inbox(deputy, T)
    assert [d.occurrence.kind for d in fresh] == ["item_overdue"]
    assert {d.recipient.name for d in R.collect(actor_of("admin"), T) if d.recipient.role == "hr"} >= {"hr.rd2"}
    assert "hr.rd" not in {d.recipient.name for d in R.collect(actor_of("admin"), T)}


def test_an_employee_who_moves_department_leaves_the_old_hr_reminders(actor_of, stories):
    """The plan's HR owner hears about it only while the employee is theirs; then the new department's HR does."""
    hr_sales, hr_rd, admin = actor_of("hr.sales"), actor_of("hr.rd"), actor_of("admin")
    day = T + _dt.timedelta(days=1)                                     # the csat plan's item is due in 3 days
    assert any(d.number == stories["csat"] for d in R.collect(hr_sales, day))
    before = [e for e in R.inbox(hr_sales) if e.number == stories["csat"]]
    assert before and R.unread_count(hr_sales) >= 1
    database.execute_sql("UPDATE employee SET department_id = (SELECT id FROM department WHERE code = 'RD') "
                         "WHERE number = ?", (stories["csat"],))
    assert not any(d.number == stories["csat"] for d in R.collect(hr_sales, day))
    assert not any(e.number == stories["csat"] for e in R.inbox(hr_sales))          # old entries go with it
    assert R.unread_count(hr_sales) == sum(1 for e in R.inbox(hr_sales) if e.read_at is None)
    recipients = {d.recipient.name for d in R.collect(admin, day) if d.number == stories["csat"]}
    assert "hr.rd" in recipients and "hr.sales" not in recipients       # e-mail goes to who covers RD now
    fresh = R.refresh_inbox(hr_rd, day)
    assert any(d.number == stories["csat"] for d in fresh)
    assert all(d.number != stories["csat"] for d in R.refresh_inbox(hr_sales, day))
