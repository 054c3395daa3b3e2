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
