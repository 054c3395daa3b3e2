"""The reminder schedule: 3 days before each due date, on it, daily while overdue; mid-term; the deadline.

Pure tests on plan objects, plus the organisation's calendar date (time zones) and what a plan extension does.
"""
from __future__ import annotations

import datetime as _dt

import pytest

from hrtui.domain import plans as P
from hrtui.domain import reminders as R

D = _dt.date


def make_plan(start=D(2026, 11, 2), state="active", items=(), goals=((D(2026, 12, 17), D(2027, 1, 31)),)):
    goal_rows = [P.Goal(f"g{i}", i, "dim", "CSAT", "客户满意度", "Customer satisfaction", "pts", "higher", 0, 100, 60.0,
                        "2026-08", "2026-10", "team", None, 85.0, deadline.isoformat(), midterm.isoformat())
                 for i, (midterm, deadline) in enumerate(goals)]
    item_rows = [P.Item(iid, i, None, "custom", None, "", f"item {iid}", owner, due.isoformat(),
                        done.isoformat() if done else None, None)
                 for i, (iid, due, done, owner) in enumerate(items)]
    return P.Plan("plan1", "emp1", "E000001", "张三", "Zhang San", "SALES", "mgr1", None, "hr1", "hr.sales", state,
                  "met" if state == "closed" else None, "2026-11-01", start.isoformat() if start else None, None, 0,
                  None, goal_rows, item_rows)


def kinds_on(occs, day):
    return sorted((o.kind, o.item_id) for o in occs if o.on == day)


def test_three_days_before_on_the_day_then_daily_while_overdue():
    plan = make_plan(items=[("a", D(2026, 11, 20), None, "employee")], goals=())
    occs = R.schedule(plan, D(2026, 11, 24))
    assert [(o.kind, o.on) for o in occs] == [
        ("item_before", D(2026, 11, 17)), ("item_due", D(2026, 11, 20)), ("item_overdue", D(2026, 11, 21)),
        ("item_overdue", D(2026, 11, 22)), ("item_overdue", D(2026, 11, 23)), ("item_overdue", D(2026, 11, 24))]
    assert all(o.about == D(2026, 11, 20) for o in occs)
    assert len({o.key for o in occs}) == len(occs)                 # every reminder has its own key


def test_midterm_and_deadline():
    plan = make_plan(goals=[(D(2026, 12, 17), D(2027, 1, 31)), (D(2026, 12, 17), D(2027, 1, 31))])
    occs = R.schedule(plan, D(2027, 2, 2))
    assert kinds_on(occs, D(2026, 12, 17)) == [("midterm", None)]      # two goals, one date: one reminder
    assert kinds_on(occs, D(2027, 1, 28)) == [("deadline_before", None)]
    assert kinds_on(occs, D(2027, 1, 31)) == [("deadline", None)]
    assert kinds_on(occs, D(2027, 2, 1)) == [("deadline_overdue", None)]
    assert kinds_on(occs, D(2027, 2, 2)) == [("deadline_overdue", None)]
    assert kinds_on(occs, D(2026, 12, 14)) == []                        # no reminder before the mid-term


def test_weekends_are_days_like_any_other():
    # due Tuesday 8 Dec 2026: "3 days before" is Saturday 5 Dec, not moved to a working day
    plan = make_plan(items=[("a", D(2026, 12, 8), None, "employee")], goals=())
    before = next(o for o in R.schedule(plan, D(2026, 12, 31)) if o.kind == "item_before")
    assert before.on == D(2026, 12, 5) and before.on.weekday() == 5
    overdue = [o.on for o in R.schedule(plan, D(2026, 12, 14)) if o.kind == "item_overdue"]
    assert overdue == [D(2026, 12, d) for d in range(9, 15)]              # Saturday and Sunday included


def test_done_items_stop():
    plan = make_plan(items=[("a", D(2026, 11, 20), D(2026, 11, 22), "employee"),
                            ("b", D(2026, 11, 20), D(2026, 11, 10), "employee")], goals=())
    occs = R.schedule(plan, D(2026, 11, 30))
    assert [(o.kind, o.on) for o in occs if o.item_id == "a"] == [
        ("item_before", D(2026, 11, 17)), ("item_due", D(2026, 11, 20)), ("item_overdue", D(2026, 11, 21))]
    assert [o for o in occs if o.item_id == "b"] == []                     # done before anything was due
    assert R.due(plan, D(2026, 11, 21)) and all(o.item_id != "a" for o in R.due(plan, D(2026, 11, 22)))


def test_closed_and_draft_plans_have_no_reminders():
    items = [("a", D(2026, 11, 20), None, "employee")]
    assert R.schedule(make_plan(state="closed", items=items), D(2026, 12, 31)) == []
    assert R.schedule(make_plan(state="draft", start=None, items=items), D(2026, 12, 31)) == []
    assert R.schedule(make_plan(state="extended", items=items), D(2026, 12, 31))


def test_nothing_before_the_plan_started():
    plan = make_plan(start=D(2026, 11, 19), items=[("a", D(2026, 11, 20), None, "employee")], goals=())
    assert [o.kind for o in R.schedule(plan, D(2026, 11, 20))] == ["item_due"]


def test_due_keeps_the_newest_reminder_of_each_subject_within_the_catch_up():
    plan = make_plan(items=[("a", D(2026, 11, 20), None, "employee"), ("b", D(2026, 11, 26), None, "hr")])
    due = R.due(plan, D(2026, 11, 23), lead_days=3, catch_up_days=3)
    assert sorted((o.item_id, o.kind, o.on) for o in due) == [
        ("a", "item_overdue", D(2026, 11, 23)), ("b", "item_before", D(2026, 11, 23))]
    # a run after a gap does not deliver stale reminders: the mid-term of 17 Dec is gone by the 21st
    assert [o.kind for o in R.due(make_plan(), D(2026, 12, 20))] == ["midterm"]
    assert R.due(make_plan(), D(2026, 12, 21)) == []
    assert [o.kind for o in R.due(make_plan(), D(2026, 12, 21), catch_up_days=10)] == ["midterm"]


def test_lead_days_come_from_settings(tmp_path, monkeypatch):
    cfg = tmp_path / "cfg"
    (cfg / "hrtui").mkdir(parents=True)
    (cfg / "hrtui" / "settings.toml").write_text("[plans]\nlead_days = 5\ncatch_up_days = 1\n", encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(cfg))
    from hrtui.config import load_plan_settings

    ps = load_plan_settings()
    assert (ps.lead_days, ps.catch_up_days, ps.deadline_days) == (5, 1, 90)
    plan = make_plan(items=[("a", D(2026, 11, 20), None, "employee")], goals=())
    assert R.schedule(plan, D(2026, 11, 30), ps.lead_days)[0].on == D(2026, 11, 15)


def test_bad_plan_settings_are_one_clear_line(tmp_path, monkeypatch):
    cfg = tmp_path / "cfg"
    (cfg / "hrtui").mkdir(parents=True)
    (cfg / "hrtui" / "settings.toml").write_text("[plans]\nlead_dayz = 5\n", encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(cfg))
    from hrtui.config import load_plan_settings

    with pytest.raises(ValueError, match="lead_dayz"):
        load_plan_settings()


# -- the organisation's calendar -------------------------------------------------------------------------------------
@pytest.mark.parametrize("now, zone, day", [
    ("2026-12-01T01:00:00Z", "Asia/Shanghai", D(2026, 12, 1)),        # 09:00 in Shanghai
    ("2026-12-01T01:00:00Z", "America/New_York", D(2026, 11, 30)),    # 20:00 the evening before
    ("2026-11-30T16:30:00+00:00", "Asia/Shanghai", D(2026, 12, 1)),   # 00:30 next day in Shanghai
    ("2026-12-01T08:00:00+08:00", "Europe/Berlin", D(2026, 12, 1)),   # 01:00 in Berlin
    ("2026-12-01T23:30:00", "Pacific/Auckland", D(2026, 12, 1)),      # no offset: already the organisation's time
    ("2026-12-01", "America/New_York", D(2026, 12, 1)),               # a date is a date
])
def test_now_is_read_in_the_organisation_zone(now, zone, day):
    assert P.org_date(P.parse_now(now), zone) == day


def test_a_reminder_is_due_on_the_organisation_date():
    plan = make_plan(items=[("a", D(2026, 12, 4), None, "employee")], goals=())
    late_evening_utc = P.parse_now("2026-11-30T17:00:00Z")            # 1 Dec 01:00 in Shanghai
    assert [o.kind for o in R.due(plan, P.org_date(late_evening_utc, "Asia/Shanghai"))] == ["item_before"]
    assert R.due(plan, P.org_date(late_evening_utc, "America/Los_Angeles")) == []


def test_unknown_zone_is_refused():
    from hrtui.errors import UserError

    with pytest.raises(UserError, match="unknown time zone"):
        P.org_zone("Mars/Olympus")


# -- extending and closing a real plan moves and stops its reminders ------------------------------------------------
def test_extending_a_plan_moves_its_reminders(actor_of, stories):
    hr = actor_of("hr.sales")
    pid = P.require_plan_of(hr, stories["csat"])
    before = P.load(hr, pid)
    open_item = next(i for i in before.items if not i.done)
    due = D.fromisoformat(open_item.due_date)
    old = [o for o in R.schedule(before, due) if o.item_id == open_item.id]
    assert old[-1].kind == "item_due" and old[-1].on == due
    P.extend(hr, pid, 14, "en", D(2026, 11, 30))
    after = P.load(hr, pid)
    new = [o for o in R.schedule(after, due + _dt.timedelta(days=14)) if o.item_id == open_item.id]
    assert [o.on for o in new] == [o.on + _dt.timedelta(days=14) for o in old]
    assert not {o.key for o in new} & {o.key for o in old}
    deadline = D.fromisoformat(after.deadline)
    assert deadline == D.fromisoformat(before.deadline) + _dt.timedelta(days=14)
    assert [o.kind for o in R.schedule(after, deadline) if o.on == deadline and not o.item_id] == ["deadline"]
    P.close(hr, pid, "not_met", "en", D(2026, 11, 30))
    assert R.schedule(P.load(hr, pid), D(2027, 12, 31)) == []
