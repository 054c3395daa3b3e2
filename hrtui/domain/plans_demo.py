"""Improvement plans in the demo company: one in every state, so plans, checklists, reminders and the effect report
can be tried right after `hrtui demo`.

With T = the day the demo is built:
- **active** — the self-service employee `emp.sales` (the planted CSAT under-performer): started T−21, not yet
  acknowledged; one item due T+4 (so `hrtui remind --now T+1` lists its "in 3 days" reminder for hr.sales and
  emp.sales), two items done, one owned by HR;
- **active** — an R&D employee with a key shortfall (hr.rd's): its training is overdue since T−2, so hr.rd gets a
  reminder every day and a pop-up when opening hrtui;
- **draft** — another flagged SALES employee, drafted yesterday by hr.sales with the default actions;
- **extended** — a report of `mgr.sales`: target completion was far below the team before the plan (T−110), has
  improved since but not reached the team mean, so the deadline moved 60 days; the manager owns an open item;
- **closed · met** — a report of mgr.sales: complaint rate and satisfaction before and after, both targets met;
- **closed · not met** — a report of mgr.sales: satisfaction improved but stayed below the team mean.
The plans of the last three lie before the portrait's window, and their "before" months are rewritten to show the
problem the plan addressed (the window itself, and so every flag and overall score, is left as generated).

Reminders the recipients would already have seen before T are in their inboxes (read when older than a week), as
if hrtui had been opened every day; nothing is e-mailed. Ids are deterministic for a seed and a date, like the rest
of the demo; nothing is audited (the demo is generated, not done by anyone).
"""
from __future__ import annotations

import datetime as _dt
import random

from hrtui.domain import plans as P
from hrtui.domain import reminders as R
from hrtui.domain.gaps import assess, decimals
from hrtui.domain.months import add_months, month_of, window
from hrtui.store.db import database

EMAILS = {"admin": "admin@demo.example", "hr.sales": "hr.sales@demo.example", "hr.rd": "hr.rd@demo.example"}


class _Ids:
    """UUIDv7-shaped ids from a seeded generator (time field from the demo's date)."""

    def __init__(self, seed: int, today: _dt.date):
        self.rng = random.Random(seed * 7919 + 17)
        self.ms = int(_dt.datetime(today.year, today.month, today.day, tzinfo=_dt.timezone.utc).timestamp() * 1000)

    def __call__(self) -> str:
        self.ms += 1
        value = (self.ms << 80) | (0x7 << 76) | (self.rng.getrandbits(12) << 64) | (0b10 << 62) | self.rng.getrandbits(62)
        h = f"{value:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _day(base: _dt.date, days: int) -> _dt.date:
    return base + _dt.timedelta(days=days)


def _stamp(day: _dt.date, hour: int = 9) -> str:
    return f"{day.isoformat()}T{hour:02d}:00:00.000Z"


def add_demo_plans(today: _dt.date, seed: int = 7) -> None:
    """Add the demo's plans, their score stories and their inbox history (see the module text)."""
    from hrtui.config import load_plan_settings, load_settings

    th = load_settings().thresholds
    ps = load_plan_settings()
    new_id = _Ids(seed, today)
    rng = random.Random(seed * 104729 + 3)
    users = {name: (uid, eid) for uid, name, eid in database.execute_sql("SELECT id, name, employee_id FROM user")}
    if "hr.sales" not in users:
        return
    dims = {code: (did, direction, decimals(lo, hi)) for did, code, direction, lo, hi in database.execute_sql(
        "SELECT id, code, direction, scale_min, scale_max FROM dimension")}
    depts = dict(database.execute_sql("SELECT code, id FROM department").fetchall())
    cur_win = window(today, th.window_months)
    ctx = _Ctx(today, th, ps, new_id, rng, dims, users)
    with database.atomic():
        for name, address in EMAILS.items():
            database.execute_sql("UPDATE user SET email = ? WHERE name = ? AND email IS NULL", (address, name))
        emp_sales = users.get("emp.sales", (None, None))[1]
        mgr_sales = users.get("mgr.sales", (None, None))[1]
        taken = {emp_sales, mgr_sales}
        if emp_sales:
            ctx.active_self_service(emp_sales)
        flagged = _employees("e.department_id = ? AND e.shortfalls > 0", (depts.get("SALES"),), taken)
        if flagged:
            taken.add(flagged[0])
            ctx.draft(flagged[0])
        if "hr.rd" in users and depts.get("RD"):
            rd = _employees("e.department_id = ? AND e.shortfalls > 0", (depts["RD"],), taken)
            if rd:
                taken.add(rd[0])
                ctx.active_overdue(rd[0])
        reports = _employees("e.department_id = ? AND e.shortfalls = 0 AND e.manager_id = ?", (depts.get("SALES"), mgr_sales),
                             taken) if mgr_sales else []
        if not reports:
            reports = _employees("e.department_id = ? AND e.shortfalls = 0", (depts.get("SALES"),), taken)
        if reports:
            target_id = dims["TARGET"][0]
            lowest = min(reports, key=lambda e: P.reference(e, target_id, cur_win, {}).value or 1e9)  # value only
            reports.remove(lowest)
            ctx.extended(lowest)
        if reports:
            ctx.closed_met(reports.pop(0))
        if reports:
            ctx.closed_not_met(reports.pop(0))
        ctx.inbox_history()


def _employees(where: str, params, taken) -> list[str]:
    rows = database.execute_sql(
        f"SELECT e.id FROM employee e JOIN position p ON p.id = e.position_id "
        f"WHERE p.is_manager = 0 AND e.status = 'active' AND {where} ORDER BY e.number", params).fetchall()
    return [r[0] for r in rows if r[0] not in taken]


class _Ctx:
    def __init__(self, today, th, ps, new_id, rng, dims, users):
        self.today, self.th, self.ps, self.new_id, self.rng = today, th, ps, new_id, rng
        self.dims, self.users = dims, users
        self.plan_ids: list[str] = []
        self._stats: dict[tuple, dict] = {}

    # -- helpers ------------------------------------------------------------------------------------------------
    def _flags(self, employee_id: str, months: list[str]) -> list[tuple[str, P.Reference, list[str]]]:
        """(dimension code, reference, reasons) of the employee's key shortfalls over `months`, worst first."""
        from hrtui.domain.portrait import department_window_stats

        dept = database.execute_sql("SELECT department_id FROM employee WHERE id = ?", (employee_id,)).fetchone()[0]
        key = (dept, tuple(months))
        if key not in self._stats:  # one department query per (department, months), not one per reference
            self._stats[key] = department_window_stats(dept, months)
        stats = self._stats[key]
        out = []
        for code, (did, direction, _places) in self.dims.items():
            ref = P.reference(employee_id, did, months, stats)
            team = stats.get(did)
            if team is not None:
                team = team.without(ref.value, ref.value is not None)
            a = assess(direction, ref.value, team, ref.requirement, self.th)
            if a.flagged:
                out.append((a.severity or 0.0, code, ref, list(a.reasons)))
        out.sort(key=lambda x: -x[0])
        return [(code, ref, reasons) for _sev, code, ref, reasons in out]

    def _spec(self, code: str, ref: P.Reference, reasons, drafted: _dt.date) -> P.GoalSpec:
        did, direction, places = self.dims[code]
        return P.goal_spec(did, direction, places, ref, reasons, drafted, self.ps.deadline_days, self.ps.midterm_days)

    def _plan(self, employee_id: str, hr: str, drafted: _dt.date, specs, *, default_items: bool = False) -> tuple[str, list[str]]:
        pid = self.new_id()
        hr_id = self.users[hr][0]
        gids = P.insert_plan(pid, employee_id, hr_user_id=hr_id, created_by=hr_id, drafted_on=drafted, goals=specs,
                             new_id=self.new_id, with_default_items=default_items, stamp=_stamp(drafted))
        self.plan_ids.append(pid)
        return pid, gids

    def _state(self, pid: str, state: str, start: _dt.date | None, **extra) -> None:
        sets = {"state": state, "start_date": start.isoformat() if start else None, **extra}
        database.execute_sql(f"UPDATE plan SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
                             (*sets.values(), pid))

    def _item(self, pid: str, kind: str, owner: str, due: _dt.date, *, goal_id: str | None = None,
              course: str | None = None, done: _dt.date | None = None, done_by: str | None = None,
              text: tuple[str, str] | None = None) -> str | None:
        """One checklist item; a training without a matching course is left out."""
        course_id = None
        if kind == "training":
            row = database.execute_sql("SELECT id, name_zh, name_en FROM training_course WHERE code = ?",
                                       (course,)).fetchone() if course else None
            if row is None:
                return None
            course_id = row[0]
            text = P._both("plan.action.training", course_zh=row[1], course_en=row[2])
        iid = self.new_id()
        if text is None:
            text = P._both(f"plan.action.{kind}")
        pos = database.execute_sql("SELECT count(*) FROM plan_item WHERE plan_id = ?", (pid,)).fetchone()[0]
        database.execute_sql(
            """INSERT INTO plan_item (id, plan_id, goal_id, position, kind, course_id, text_zh, text_en, owner,
                                      due_date, done_on, done_by, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            (iid, pid, goal_id, pos, kind, course_id, text[0],
             text[1], owner, due.isoformat(), done.isoformat() if done else None,
             self.users[done_by][0] if done and done_by in self.users else None, _stamp(done or self.today)))
        return iid

    def _course_for(self, code: str) -> str | None:
        row = database.execute_sql("SELECT c.code FROM training_course c WHERE c.dimension_id = ? ORDER BY c.code",
                                   (self.dims[code][0],)).fetchone()
        return row[0] if row else None

    def _rewrite(self, employee_id: str, code: str, months: list[str], around: float, spread: float) -> None:
        """Scores of `code` in `months` around a value (the story before / after a plan)."""
        did, _direction, places = self.dims[code]
        lo, hi = database.execute_sql("SELECT scale_min, scale_max FROM dimension WHERE id = ?", (did,)).fetchone()
        for m in months:
            v = min(hi, max(lo, around + (self.rng.random() - 0.5) * 2 * spread))
            database.execute_sql("INSERT OR REPLACE INTO score (employee_id, dimension_id, month, value) VALUES (?,?,?,?)",
                                 (employee_id, did, m, round(v, 1)))

    def _months_from(self, start: _dt.date, n: int) -> list[str]:
        first = month_of(start) if start.day == 1 else add_months(month_of(start), 1)
        return [add_months(first, i) for i in range(n)]

    # -- the plans ------------------------------------------------------------------------------------------------
    def active_self_service(self, employee_id: str) -> None:
        T = self.today
        drafted, start = _day(T, -22), _day(T, -21)
        flags = self._flags(employee_id, window(drafted, self.th.window_months))[:2]
        if not flags:
            return
        pid, gids = self._plan(employee_id, "hr.sales", drafted, [self._spec(c, r, why, drafted) for c, r, why in flags])
        self._state(pid, "active", start)
        midterm = _day(drafted, self.ps.midterm_days)
        first_course = self._course_for(flags[0][0])
        self._item(pid, "training", "employee", _day(T, 4), goal_id=gids[0], course=first_course)
        self._item(pid, "mentor", "manager", _day(T, -8), done=_day(T, -9), done_by="hr.sales")
        self._item(pid, "shadowing", "employee", _day(T, -2), done=_day(T, -3), done_by="emp.sales")
        self._item(pid, "coaching", "hr", _day(T, 10))
        self._item(pid, "weekly_review", "employee", midterm)

    def active_overdue(self, employee_id: str) -> None:
        T = self.today
        drafted, start = _day(T, -31), _day(T, -30)
        flags = self._flags(employee_id, window(drafted, self.th.window_months))[:2]
        if not flags:
            return
        pid, gids = self._plan(employee_id, "hr.rd", drafted, [self._spec(c, r, why, drafted) for c, r, why in flags])
        self._state(pid, "active", start, acknowledged_at=_stamp(_day(start, 1), 10))
        course = self._course_for(flags[0][0])
        self._item(pid, "training", "employee", _day(T, -2), goal_id=gids[0], course=course)
        self._item(pid, "coaching", "hr", _day(T, -12), done=_day(T, -13), done_by="hr.rd")
        self._item(pid, "mentor", "manager", _day(T, 6))
        self._item(pid, "weekly_review", "employee", _day(drafted, self.ps.midterm_days))

    def draft(self, employee_id: str) -> None:
        drafted = _day(self.today, -1)
        flags = self._flags(employee_id, window(drafted, self.th.window_months))[:P.MAX_DRAFT_GOALS]
        self._plan(employee_id, "hr.sales", drafted, [self._spec(c, r, why, drafted) for c, r, why in flags],
                   default_items=True)

    def extended(self, employee_id: str) -> None:
        T = self.today
        drafted, start = _day(T, -111), _day(T, -110)
        base = window(drafted, self.th.window_months)
        now_value = P.reference(employee_id, self.dims["TARGET"][0], window(T, self.th.window_months)).value or 95.0
        self._rewrite(employee_id, "TARGET", base, now_value - 24, 2.5)
        ref = P.reference(employee_id, self.dims["TARGET"][0], base)
        spec = self._spec("TARGET", ref, ["team"], drafted)
        if ref.team_mean is not None and now_value >= ref.team_mean:
            spec.target_kind, spec.target_pct, spec.target = "value", None, round(now_value + 4, 0)
        pid, gids = self._plan(employee_id, "hr.sales", drafted, [spec])
        self._item(pid, "training", "employee", _day(start, 28), goal_id=gids[0], course=self._course_for("TARGET"),
                   done=_day(start, 26), done_by="hr.sales")
        self._item(pid, "mentor", "manager", _day(start, 14), done=_day(start, 12), done_by="mgr.sales")
        self._item(pid, "weekly_review", "employee", _day(drafted, self.ps.midterm_days),
                   done=_day(drafted, self.ps.midterm_days - 1), done_by="hr.sales")
        self._item(pid, "custom", "manager", _day(T, 5),
                   text=("与经理一起拜访两家重点客户", "Visit two key accounts together with the manager"))
        self._item(pid, "coaching", "hr", _day(T, 12))
        extension = 60
        database.execute_sql("UPDATE plan_goal SET deadline = date(deadline, ?) WHERE plan_id = ?",
                             (f"+{extension} days", pid))
        self._state(pid, "extended", start, extended_days=extension, acknowledged_at=_stamp(_day(start, 2), 10))

    def _closed(self, employee_id: str, months_back: int, stories: list[tuple[str, float, float, str]],
                outcome: str) -> None:
        """A plan that began `months_back` months before the portrait's window and has been closed."""
        first = window(self.today, self.th.window_months)[0]
        start_month = add_months(first, -months_back)
        start = _dt.date(int(start_month[:4]), int(start_month[5:7]), 1)
        drafted = _day(start, -2)
        base = window(drafted, self.th.window_months)
        after = self._months_from(start, self.th.window_months)
        specs = []
        for code, before, later, kind in stories:
            did = self.dims[code][0]
            self._rewrite(employee_id, code, base, before, 1.2 if self.dims[code][2] == 0 else 0.25)
            ref = P.reference(employee_id, did, base)
            spec = self._spec(code, ref, [kind], drafted)
            if later is None and spec.target is not None:
                later = spec.target + (1.5 if self.dims[code][1] == "higher" else -0.4)
            self._rewrite(employee_id, code, after, later, 0.8 if self.dims[code][2] == 0 else 0.15)
            specs.append(spec)
        pid, gids = self._plan(employee_id, "hr.sales", drafted, specs)
        deadline = _day(drafted, self.ps.deadline_days)
        closed = _day(deadline, 5)
        for gid, (code, *_rest) in zip(gids, stories):
            course = self._course_for(code)
            if course:
                self._item(pid, "training", "employee", _day(start, 30), goal_id=gid, course=course,
                           done=_day(start, 27), done_by="hr.sales")
        self._item(pid, "mentor", "manager", _day(start, 14), done=_day(start, 13), done_by="mgr.sales")
        self._item(pid, "weekly_review", "employee", _day(drafted, self.ps.midterm_days),
                   done=_day(drafted, self.ps.midterm_days) if outcome == "met" else None,
                   done_by="hr.sales")
        self._state(pid, "closed", start, outcome=outcome, closed_on=closed.isoformat(),
                    acknowledged_at=_stamp(_day(start, 1), 10))

    def closed_met(self, employee_id: str) -> None:
        self._closed(employee_id, 4, [("COMPLAINT", 6.2, 2.5, "team"), ("CSAT", 74.0, None, "team")], "met")

    def closed_not_met(self, employee_id: str) -> None:
        self._closed(employee_id, 7, [("CSAT", 70.0, 76.0, "team")], "not_met")

    # -- what the recipients saw before today --------------------------------------------------------------------
    def inbox_history(self) -> None:
        """In-app reminders of every day before today, as if each recipient had opened hrtui daily."""
        lang = "en"
        for pid in self.plan_ids:
            plan = P.load_unchecked(pid)
            if not plan.running:
                continue
            who = R.Resolver(plan, lang)
            day = _dt.date.fromisoformat(plan.start_date)
            while day < self.today:
                for occ in R.due(plan, day, self.ps.lead_days, self.ps.catch_up_days):
                    for r in who(occ):
                        if not r.user_id:
                            continue
                        read = _stamp(day, 11) if (self.today - day).days > 7 else None
                        database.execute_sql(
                            """INSERT OR IGNORE INTO reminder (id, key, recipient, channel, user_id, plan_id, item_id,
                                   kind, on_date, about_date, status, sent_at, read_at, created_at)
                               VALUES (?,?,?,'app',?,?,?,?,?,?,'sent',?,?,?)""",
                            (self.new_id(), occ.key, r.key, r.user_id, pid, occ.item_id, occ.kind,
                             occ.on.isoformat(), occ.about.isoformat(), _stamp(day, 8), read, _stamp(day, 8)))
                day += _dt.timedelta(days=1)
