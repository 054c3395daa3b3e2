"""Performance improvement plans (issue 5): drafted from the key shortfalls, edited by HR, then followed up.

A plan belongs to one employee and moves draft → active → extended → closed (met / not met); an employee has at most
one open plan. Each **goal** measures one dimension: its baseline is the employee's value over the window when the
plan was drafted (the months are kept with it), its target is a change relative to the baseline ("complaint rate
−50 %"), the team mean, the position's requirement, or a number HR types; each goal has a deadline (default 90 days)
and a mid-term check (45 days). The **actions** (checklist items) come from a catalogue — the training course that
matches the dimension, a weekly review report, a mentor, HR coaching, shadowing a colleague — or are typed by HR;
each has an owner (employee / HR / manager) and a due date.

Who does what (access policy "plans" and "plan_items", scope on top):
- admin and HR draft, edit, activate, extend and close the plans of the employees in their scope;
- managers read the plans of their reports and check off the items they own;
- employees read their own plan, acknowledge it and check off their own items.
Drafts are HR's work in progress: managers and employees see a plan from its activation on. Closed plans are
read-only. Every write is audited in its own transaction (ids and field names only); opening a plan is audited as
a read.

Dates are calendar dates in the organisation's time zone (`org_today`), stored as 'YYYY-MM-DD'.
"""
from __future__ import annotations

import datetime as _dt
import os
from dataclasses import asdict, dataclass, field

from hrtui.access import audit
from hrtui.access.actor import Actor, find_employee, scope_sql
from hrtui.access.policy import can, require
from hrtui.errors import UserError
from hrtui.i18n import bilingual, register, t
from hrtui.store.db import database
from hrtui.store.ids import uuid7

STATES = ("draft", "active", "extended", "closed")
OPEN_STATES = ("draft", "active", "extended")
RUNNING = ("active", "extended")
OWNERS = ("employee", "hr", "manager")
TARGET_KINDS = ("pct", "team", "requirement", "value")
OUTCOMES = ("met", "not_met")
MAX_DRAFT_GOALS = 3
MAX_TEXT = 200
ITEM_KINDS = ("training", "weekly_review", "mentor", "coaching", "shadowing", "custom")
_UNSET = object()


# -- dates ------------------------------------------------------------------------------------------------------
def org_zone(timezone: str | None = None):
    """The organisation's time zone: settings [plans] timezone, else the system's (None = the system's)."""
    if timezone is None:
        from hrtui.config import load_plan_settings

        try:
            timezone = load_plan_settings().timezone
        except ValueError:
            timezone = None
    if not timezone:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError(f"unknown time zone {timezone!r} in [plans] timezone (use an IANA name like Asia/Shanghai)") from None


def org_date(now: _dt.datetime | _dt.date | None = None, timezone: str | None = None) -> _dt.date:
    """The calendar date at `now` in the organisation's zone. A naive time is read as local to the organisation;
    no `now` means the clock (or HRTUI_TODAY when set, as everywhere in hrtui)."""
    if now is None:
        if os.environ.get("HRTUI_TODAY"):
            from hrtui import config

            return config.today()
        now = _dt.datetime.now(_dt.timezone.utc)
    if not isinstance(now, _dt.datetime):
        return now
    if now.tzinfo is None:
        return now.date()
    zone = org_zone(timezone)
    return now.astimezone(zone).date() if zone is not None else now.astimezone().date()


def org_today() -> _dt.date:
    return org_date()


def parse_now(text: str) -> _dt.datetime | _dt.date:
    """`--now`: an ISO date ('2026-12-01') or date-time ('2026-12-01T08:00', '…+08:00', '…Z')."""
    text = text.strip()
    try:
        if len(text) == 10:
            return _dt.date.fromisoformat(text)
        return _dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise UserError(f"--now: {text!r} is not an ISO date or time (e.g. 2026-12-01 or 2026-12-01T08:00+08:00)") from None


def parse_day(text: str, base: _dt.date | None = None, lang: str = "en") -> _dt.date:
    """A date typed by HR: 'YYYY-MM-DD', or a shift of `base` like '+7', '-3', '+2w'."""
    s = text.strip().lower().replace("＋", "+").replace("－", "-")
    try:
        if s[:1] in "+-" and base is not None:
            unit = 7 if s.endswith("w") else 1
            return base + _dt.timedelta(days=int(s.rstrip("wd")) * unit)
        return _dt.date.fromisoformat(s)
    except (ValueError, IndexError):
        raise UserError(t("plan.bad_date", lang, text=text)) from None


def _d(text: str | None) -> _dt.date | None:
    return _dt.date.fromisoformat(text) if text else None


def _stamp() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


# -- what a plan looks like ---------------------------------------------------------------------------------------
@dataclass
class Goal:
    id: str
    position: int
    dimension_id: str
    code: str
    name_zh: str
    name_en: str
    unit: str
    direction: str
    scale_min: float
    scale_max: float
    baseline: float | None
    baseline_from: str
    baseline_to: str
    target_kind: str
    target_pct: float | None
    target: float | None
    deadline: str
    midterm: str

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en

    @property
    def places(self) -> int:
        from hrtui.domain.gaps import decimals

        return decimals(self.scale_min, self.scale_max)

    def fmt(self, value: float | None) -> str:
        from hrtui.domain.gaps import fmt_value

        return fmt_value(value, self.unit, self.places)

    def met_by(self, value: float | None) -> bool:
        if value is None or self.target is None:
            return False
        return value <= self.target + 1e-9 if self.direction == "lower" else value >= self.target - 1e-9

    def target_text(self, lang: str) -> str:
        """'−50 % → 3.1%', 'team mean 84.6', 'requirement 80', '90' — what the target means, in words."""
        value = self.fmt(self.target)
        if self.target_kind == "pct" and self.target_pct is not None:
            return f"{self.target_pct:+.0f}% → {value}".replace("-", "−")
        if self.target_kind in ("team", "requirement"):
            return t(f"plan.target.{self.target_kind}", lang, value=value)
        return value


@dataclass
class Item:
    id: str
    position: int
    goal_id: str | None
    kind: str
    course_id: str | None
    text_zh: str
    text_en: str
    owner: str
    due_date: str
    done_on: str | None
    done_by: str | None

    def text(self, lang: str) -> str:
        return bilingual(lang, self.text_zh, self.text_en)

    @property
    def done(self) -> bool:
        return self.done_on is not None

    def overdue_days(self, today: _dt.date) -> int:
        """Days past the due date while not done (0 when not overdue)."""
        if self.done:
            return 0
        return max(0, (today - _dt.date.fromisoformat(self.due_date)).days)


@dataclass
class Plan:
    id: str
    employee_id: str
    number: str
    name_zh: str
    name_en: str
    department_code: str | None
    manager_id: str | None
    interview_id: str | None
    hr_user_id: str | None
    hr_user_name: str | None
    state: str
    outcome: str | None
    drafted_on: str
    start_date: str | None
    closed_on: str | None
    extended_days: int
    acknowledged_at: str | None
    goals: list[Goal] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)

    def name(self, lang: str) -> str:
        return bilingual(lang, self.name_zh, self.name_en)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def running(self) -> bool:
        return self.state in RUNNING

    @property
    def deadline(self) -> str | None:
        return max((g.deadline for g in self.goals), default=None)

    @property
    def midterm(self) -> str | None:
        return min((g.midterm for g in self.goals), default=None)

    @property
    def progress(self) -> tuple[int, int]:
        return sum(1 for i in self.items if i.done), len(self.items)

    def goal(self, goal_id: str | None) -> Goal | None:
        return next((g for g in self.goals if g.id == goal_id), None)

    def item(self, item_id: str) -> Item:
        return next(i for i in self.items if i.id == item_id)

    def state_text(self, lang: str) -> str:
        if self.state == "closed":
            return t(f"plan.outcome.{self.outcome}", lang)
        return t(f"plan.state.{self.state}", lang)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["deadline"], out["midterm"] = self.deadline, self.midterm
        out["progress"] = {"done": self.progress[0], "total": self.progress[1]}
        return out


@dataclass
class PlanRow:
    """One line of the plan list."""

    id: str
    number: str
    name_zh: str
    name_en: str
    department_code: str | None
    state: str
    outcome: str | None
    drafted_on: str
    start_date: str | None
    deadline: str | None
    done: int
    total: int
    overdue: int
    next_due: str | None

    def name(self, lang: str) -> str:
        return bilingual(lang, self.name_zh, self.name_en)

    def state_text(self, lang: str) -> str:
        return t(f"plan.outcome.{self.outcome}", lang) if self.state == "closed" else t(f"plan.state.{self.state}", lang)

    def to_dict(self) -> dict:
        return asdict(self)


# -- reading ------------------------------------------------------------------------------------------------------
_PLAN_SQL = """SELECT p.id, p.employee_id, e.number, e.name_zh, e.name_en, d.code, e.manager_id, p.interview_id,
                      p.hr_user_id, u.name, p.state, p.outcome, p.drafted_on, p.start_date, p.closed_on,
                      p.extended_days, p.acknowledged_at
               FROM plan p JOIN employee e ON e.id = p.employee_id LEFT JOIN department d ON d.id = e.department_id
               LEFT JOIN user u ON u.id = p.hr_user_id"""


def _visible(actor: Actor, alias: str = "e") -> tuple[str, list]:
    """Plans the actor may see: their scope, and drafts only for those who write plans."""
    scope, params = scope_sql(actor, alias)
    if not can(actor, "read", "plans"):
        return "0", []
    if not can(actor, "write", "plans"):
        scope = f"({scope}) AND p.state != 'draft'"
    return f"p.deleted = 0 AND {scope}", params


def _fill(plan: Plan) -> Plan:
    plan.goals = [Goal(*r) for r in database.execute_sql(
        """SELECT g.id, g.position, g.dimension_id, dm.code, dm.name_zh, dm.name_en, dm.unit, dm.direction,
                  dm.scale_min, dm.scale_max, g.baseline, g.baseline_from, g.baseline_to, g.target_kind, g.target_pct,
                  g.target, g.deadline, g.midterm
           FROM plan_goal g JOIN dimension dm ON dm.id = g.dimension_id
           WHERE g.plan_id = ? AND g.deleted = 0 ORDER BY g.position, g.id""", (plan.id,))]
    plan.items = [Item(*r) for r in database.execute_sql(
        """SELECT i.id, i.position, i.goal_id, i.kind, i.course_id, i.text_zh, i.text_en, i.owner, i.due_date,
                  i.done_on, u.name
           FROM plan_item i LEFT JOIN user u ON u.id = i.done_by
           WHERE i.plan_id = ? AND i.deleted = 0 ORDER BY i.due_date, i.position, i.id""", (plan.id,))]
    return plan


def load_unchecked(plan_id: str) -> Plan:
    """A plan by id with no scope check: for system jobs (reminders) that decide recipients themselves."""
    row = database.execute_sql(_PLAN_SQL + " WHERE p.id = ? AND p.deleted = 0", (plan_id,)).fetchone()
    if row is None:
        raise UserError("no such plan")
    return _fill(Plan(*row))


def load(actor: Actor, plan_id: str, *, audit_read: bool = True, lang: str = "en") -> Plan:
    """A plan the actor may see, with its goals and items; reading it is audited."""
    cond, params = _visible(actor)
    row = database.execute_sql(_PLAN_SQL + f" WHERE p.id = ? AND {cond}", (plan_id, *params)).fetchone()
    if row is None:
        raise UserError(t("plan.not_found", lang))
    plan = _fill(Plan(*row))
    if audit_read:
        audit.record(actor, "plan.read", plan.id)
    return plan


def plan_of(actor: Actor, key: str, lang: str = "en", *, include_closed: bool = True) -> str | None:
    """The id of the employee's open plan, else (include_closed) their latest closed one; None when there is none."""
    employee_id = find_employee(actor, key)
    cond, params = _visible(actor)
    rows = database.execute_sql(
        f"""SELECT p.id, p.state FROM plan p JOIN employee e ON e.id = p.employee_id
            WHERE p.employee_id = ? AND {cond}
            ORDER BY p.state = 'closed', coalesce(p.start_date, p.drafted_on) DESC, p.id DESC""",
        (employee_id, *params)).fetchall()
    for pid, state in rows:
        if state != "closed" or include_closed:
            return pid
    return None


def require_plan_of(actor: Actor, key: str, lang: str = "en") -> str:
    pid = plan_of(actor, key, lang)
    if pid is None:
        raise UserError(t("plan.none_for", lang, employee=key))
    return pid


def plans(actor: Actor, state: str | None = None, today: _dt.date | None = None) -> list[PlanRow]:
    """The plans the actor may see: open ones first (drafts, then running), then closed; by employee number."""
    today = today or org_today()
    cond, params = _visible(actor)
    where = cond
    if state:
        if state not in STATES:
            raise UserError(f"unknown plan state {state!r}; expected one of {', '.join(STATES)}")
        where += " AND p.state = ?"
        params = [*params, state]
    day = today.isoformat()
    rows = database.execute_sql(
        f"""SELECT p.id, e.number, e.name_zh, e.name_en, d.code, p.state, p.outcome, p.drafted_on, p.start_date,
                   (SELECT max(g.deadline) FROM plan_goal g WHERE g.plan_id = p.id AND g.deleted = 0),
                   (SELECT count(*) FROM plan_item i WHERE i.plan_id = p.id AND i.deleted = 0 AND i.done_on IS NOT NULL),
                   (SELECT count(*) FROM plan_item i WHERE i.plan_id = p.id AND i.deleted = 0),
                   (SELECT count(*) FROM plan_item i WHERE i.plan_id = p.id AND i.deleted = 0 AND i.done_on IS NULL
                           AND i.due_date < ?),
                   (SELECT min(i.due_date) FROM plan_item i WHERE i.plan_id = p.id AND i.deleted = 0
                           AND i.done_on IS NULL)
            FROM plan p JOIN employee e ON e.id = p.employee_id LEFT JOIN department d ON d.id = e.department_id
            WHERE {where}
            ORDER BY CASE p.state WHEN 'draft' THEN 0 WHEN 'active' THEN 1 WHEN 'extended' THEN 1 ELSE 2 END,
                     e.number, p.drafted_on DESC""", (day, *params)).fetchall()
    out = []
    for r in rows:
        out.append(PlanRow(*r[:9], deadline=r[9], done=r[10], total=r[11],
                           overdue=r[12] if r[5] in RUNNING else 0, next_due=r[13]))
    return out


# -- permissions on one plan -------------------------------------------------------------------------------------
def can_edit(actor: Actor, plan: Plan) -> bool:
    return can(actor, "write", "plans") and plan.state != "closed"


def can_check(actor: Actor, plan: Plan, item: Item) -> bool:
    """May this actor tick (or untick) this item? HR: any item of a running plan in scope; a manager: the items
    owned by "manager" in their reports' plans; an employee (or a manager on their own plan): their own items."""
    if not plan.running or not can(actor, "write", "plan_items"):
        return False
    if can(actor, "write", "plans"):
        return True
    if actor.employee_id and plan.employee_id == actor.employee_id:
        return item.owner == "employee"
    if actor.role == "manager" and actor.employee_id and plan.manager_id == actor.employee_id:
        return item.owner == "manager"
    return False


def can_acknowledge(actor: Actor, plan: Plan) -> bool:
    return (plan.running and plan.acknowledged_at is None and actor.employee_id is not None
            and plan.employee_id == actor.employee_id)


def _for_write(actor: Actor, plan_id: str, lang: str, *, states=OPEN_STATES) -> Plan:
    require(actor, "write", "plans")
    plan = load(actor, plan_id, audit_read=False, lang=lang)
    if plan.state not in states:
        if plan.state == "closed":
            raise UserError(t("plan.closed_readonly", lang))
        raise UserError(t("plan.wrong_state", lang, state=plan.state_text(lang)))
    return plan


def _touch(plan_id: str, stamp: str) -> None:
    database.execute_sql("UPDATE plan SET updated_at = ? WHERE id = ?", (stamp, plan_id))


# -- reference values and targets --------------------------------------------------------------------------------
@dataclass
class Reference:
    """An employee's value on a dimension over some months, with the team mean and the requirement beside it."""

    value: float | None
    team_mean: float | None
    requirement: float | None
    months: list[str]


def reference(employee_id: str, dimension_id: str, months: list[str], team_stats: dict | None = None) -> Reference:
    """Mean over `months` (gaps left out), the department's mean of the others' means, the position requirement.

    `team_stats` (dimension id -> TeamStats of the department over the same months, as department_window_stats
    gives) spares the per-call department query when many references of one department are needed."""
    row = database.execute_sql(
        "SELECT avg(value) FROM score WHERE employee_id = ? AND dimension_id = ? AND month BETWEEN ? AND ?",
        (employee_id, dimension_id, months[0], months[-1])).fetchone()
    value = row[0] if row else None
    emp = database.execute_sql("SELECT department_id, position_id FROM employee WHERE id = ?", (employee_id,)).fetchone()
    team = None
    if team_stats is not None:
        stats = team_stats.get(dimension_id)
        team = stats.without(value).mean if stats is not None else None
    elif emp and emp[0]:
        r = database.execute_sql(
            """SELECT count(*), sum(v) FROM (
                   SELECT avg(s.value) AS v FROM employee e JOIN score s
                        ON s.employee_id = e.id AND s.dimension_id = ? AND s.month BETWEEN ? AND ?
                   WHERE e.department_id = ? AND e.status != 'left' AND e.id != ? GROUP BY e.id)""",
            (dimension_id, months[0], months[-1], emp[0], employee_id)).fetchone()
        if r and r[0]:
            team = r[1] / r[0]
    req = None
    if emp and emp[1]:
        r = database.execute_sql("SELECT value FROM position_requirement WHERE position_id = ? AND dimension_id = ?",
                                 (emp[1], dimension_id)).fetchone()
        req = r[0] if r else None
    return Reference(value, team, req, months)


def default_target(direction: str, baseline: float | None, team_mean: float | None, requirement: float | None,
                   reasons: list[str] | tuple[str, ...], places: int) -> tuple[str, float | None, float | None]:
    """(kind, pct, target) a goal starts with: a lower-is-better rate halves (−50 %); a higher-is-better score
    reaches the team mean when it was flagged against the team, else the requirement (else +10 %)."""
    if direction == "lower" and baseline is not None:
        return "pct", -50.0, round(baseline * 0.5, places)
    if "team" in reasons and team_mean is not None:
        return "team", None, round(team_mean, places)
    if requirement is not None:
        return "requirement", None, round(requirement, places)
    if team_mean is not None:
        return "team", None, round(team_mean, places)
    if baseline is not None:
        return "pct", 10.0, round(baseline * 1.1, places)
    return "value", None, None


def target_for(kind: str, pct: float | None, baseline: float | None, ref: Reference, places: int,
               typed: float | None = None) -> tuple[float | None, float | None]:
    """(pct, target) for a target kind: pct of the baseline, the team mean, the requirement, or the typed number."""
    if kind == "pct":
        pct = -50.0 if pct is None else pct
        return pct, (round(baseline * (1 + pct / 100.0), places) if baseline is not None else None)
    if kind == "team":
        return None, round(ref.team_mean, places) if ref.team_mean is not None else None
    if kind == "requirement":
        return None, round(ref.requirement, places) if ref.requirement is not None else None
    return None, typed


# -- the action catalogue ----------------------------------------------------------------------------------------
@dataclass
class CatalogueEntry:
    kind: str
    text_zh: str
    text_en: str
    owner: str
    due_days: int           # days after today (0 = at the goal's mid-term)
    course_id: str | None = None
    goal_id: str | None = None
    dimension_code: str | None = None

    def text(self, lang: str) -> str:
        return self.text_zh if lang == "zh" else self.text_en


DUE_DAYS = {"training": 30, "mentor": 14, "coaching": 21, "shadowing": 21, "custom": 14, "weekly_review": 0}
DEFAULT_OWNER = {"training": "employee", "weekly_review": "employee", "mentor": "manager", "coaching": "hr",
                 "shadowing": "employee", "custom": "employee"}


def _both(key: str, **fields) -> tuple[str, str]:
    return t(key, "zh", **fields), t(key, "en", **fields)


def catalogue(goals: list[tuple[str | None, str | None]] | None = None) -> list[CatalogueEntry]:
    """Actions HR can add: for each (goal id, dimension id) the course that trains that dimension, then every other
    course, then the general actions. Course names come from the training_course table in both languages."""
    goals = goals or []
    courses = database.execute_sql(
        """SELECT c.id, c.name_zh, c.name_en, c.dimension_id, dm.code FROM training_course c
           LEFT JOIN dimension dm ON dm.id = c.dimension_id ORDER BY c.mandatory, c.code""").fetchall()
    out: list[CatalogueEntry] = []
    used = set()
    for goal_id, dim_id in goals:
        for cid, zh, en, cdim, code in courses:
            if cdim and cdim == dim_id and cid not in used:
                used.add(cid)
                out.append(CatalogueEntry("training", *_both("plan.action.training", course_zh=zh, course_en=en),
                                          owner="employee", due_days=DUE_DAYS["training"], course_id=cid,
                                          goal_id=goal_id, dimension_code=code))
    for kind in ("weekly_review", "mentor", "coaching", "shadowing"):
        out.append(CatalogueEntry(kind, *_both(f"plan.action.{kind}"), owner=DEFAULT_OWNER[kind],
                                  due_days=DUE_DAYS[kind]))
    for cid, zh, en, cdim, code in courses:
        if cid not in used:
            out.append(CatalogueEntry("training", *_both("plan.action.training", course_zh=zh, course_en=en),
                                      owner="employee", due_days=DUE_DAYS["training"], course_id=cid,
                                      dimension_code=code))
    out.append(CatalogueEntry("custom", *_both("plan.action.custom"), owner="employee", due_days=DUE_DAYS["custom"]))
    return out


def _entry_due(entry: CatalogueEntry, today: _dt.date, midterm: _dt.date) -> _dt.date:
    if entry.due_days == 0:
        return midterm
    return min(today + _dt.timedelta(days=entry.due_days), midterm) if entry.kind == "training" else \
        today + _dt.timedelta(days=entry.due_days)


# -- drafting -------------------------------------------------------------------------------------------------------
@dataclass
class GoalSpec:
    """A goal before it is stored: what drafting (or the demo) decided."""

    dimension_id: str
    places: int
    baseline: float | None
    months: list[str]
    target_kind: str
    target_pct: float | None
    target: float | None
    deadline: _dt.date
    midterm: _dt.date


def goal_spec(dimension_id: str, direction: str, places: int, ref: Reference, reasons, today: _dt.date,
              deadline_days: int, midterm_days: int) -> GoalSpec:
    kind, pct, target = default_target(direction, ref.value, ref.team_mean, ref.requirement, reasons, places)
    return GoalSpec(dimension_id, places, ref.value, ref.months, kind, pct, target,
                    today + _dt.timedelta(days=deadline_days), today + _dt.timedelta(days=midterm_days))


def insert_plan(plan_id: str, employee_id: str, *, hr_user_id: str | None, created_by: str | None,
                drafted_on: _dt.date, goals: list[GoalSpec], new_id=uuid7, interview_id: str | None = None,
                with_default_items: bool = True, stamp: str | None = None) -> list[str]:
    """Write a draft with its goals and (optionally) the default actions: per goal its matching course, then a
    weekly review report and a mentor. Returns the goal ids. Callers hold the transaction and write the audit."""
    stamp = stamp or _stamp()
    database.execute_sql(
        """INSERT INTO plan (id, employee_id, interview_id, hr_user_id, state, drafted_on, created_by, created_at,
                             updated_at) VALUES (?,?,?,?,'draft',?,?,?,?)""",
        (plan_id, employee_id, interview_id, hr_user_id, drafted_on.isoformat(), created_by, stamp, stamp))
    goal_ids = []
    for pos, g in enumerate(goals):
        gid = new_id()
        goal_ids.append(gid)
        database.execute_sql(
            """INSERT INTO plan_goal (id, plan_id, position, dimension_id, baseline, baseline_from, baseline_to,
                                      target_kind, target_pct, target, deadline, midterm, updated_at)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            (gid, plan_id, pos, g.dimension_id, g.baseline, g.months[0], g.months[-1], g.target_kind, g.target_pct,
             g.target, g.deadline.isoformat(), g.midterm.isoformat(), stamp))
    if with_default_items:
        midterm = min((g.midterm for g in goals), default=drafted_on + _dt.timedelta(days=45))
        entries = catalogue(list(zip(goal_ids, [g.dimension_id for g in goals])))
        chosen = [e for e in entries if e.kind == "training" and e.goal_id] + \
                 [e for e in entries if e.kind in ("weekly_review", "mentor")]
        for pos, e in enumerate(chosen):
            database.execute_sql(
                """INSERT INTO plan_item (id, plan_id, goal_id, position, kind, course_id, text_zh, text_en, owner,
                                          due_date, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
                (new_id(), plan_id, e.goal_id, pos, e.kind, e.course_id, e.text_zh, e.text_en, e.owner,
                 _entry_due(e, drafted_on, midterm).isoformat(), stamp))
    return goal_ids


def _open_plan_row(employee_id: str):
    return database.execute_sql("SELECT id, state FROM plan WHERE employee_id = ? AND deleted = 0 AND state != 'closed'",
                                (employee_id,)).fetchone()


class NothingToDraft(UserError):
    """The employee has no key shortfall in the window: no goals to draft a plan from."""


def draft(actor: Actor, key: str, lang: str = "en", today: _dt.date | None = None, *,
          interview_id: str | None = None) -> Plan:
    """Draft a plan from the employee's key shortfalls (the portrait's ranking, at most three goals)."""
    from hrtui.config import load_plan_settings
    from hrtui.domain.portrait import portrait

    require(actor, "write", "plans")
    employee_id = find_employee(actor, key)
    existing = _open_plan_row(employee_id)
    if existing:
        raise UserError(t("plan.exists", lang, employee=key, state=t(f"plan.state.{existing[1]}", lang)))
    if interview_id is not None:
        row = database.execute_sql("SELECT employee_id FROM interview WHERE id = ?", (interview_id,)).fetchone()
        if row is None or row[0] != employee_id:
            raise UserError("that interview is not with this employee")
    today = today or org_today()
    ps = load_plan_settings()
    p = portrait(actor, key, lang, today)
    if not p.shortfalls:  # an empty draft would only stand in the way of the plans that matter
        raise NothingToDraft(t("plan.nothing_to_draft", lang, employee=key, first=p.window[0], last=p.window[-1]))
    dims = dict(database.execute_sql("SELECT code, id FROM dimension").fetchall())
    specs = [goal_spec(dims[d.code], d.direction, d.places, Reference(d.value, d.team_mean, d.requirement, p.window),
                       d.reasons, today, ps.deadline_days, ps.midterm_days) for d in p.shortfalls[:MAX_DRAFT_GOALS]]
    plan_id = uuid7()
    with database.atomic():
        if _open_plan_row(employee_id):  # a second HR drafting at the same moment
            raise UserError(t("plan.exists", lang, employee=key, state=t("plan.state.draft", lang)))
        insert_plan(plan_id, employee_id, hr_user_id=actor.user_id, created_by=actor.user_id, drafted_on=today,
                    goals=specs, interview_id=interview_id)
        audit.record(actor, "plan.draft", plan_id, {"employee": employee_id, "goals": len(specs),
                                                    "interview": interview_id})
    return load(actor, plan_id, audit_read=False, lang=lang)


def open_or_draft(actor: Actor, key: str, lang: str = "en", today: _dt.date | None = None, *,
                  interview_id: str | None = None) -> tuple[Plan, bool]:
    """The employee's open plan, or a new draft (True when drafted now). Roles that cannot draft get the open (or
    latest) plan, or a refusal."""
    pid = plan_of(actor, key, lang, include_closed=False)
    if pid is not None:
        return load(actor, pid, lang=lang), False
    if not can(actor, "write", "plans"):
        return load(actor, require_plan_of(actor, key, lang), lang=lang), False
    try:
        return draft(actor, key, lang, today, interview_id=interview_id), True
    except NothingToDraft:
        latest = plan_of(actor, key, lang)  # nothing to draft: their last (closed) plan, if any, is what to show
        if latest is None:
            raise
        return load(actor, latest, lang=lang), False


# -- editing goals --------------------------------------------------------------------------------------------------
def add_goal(actor: Actor, plan_id: str, dimension_code: str, lang: str = "en", today: _dt.date | None = None) -> str:
    from hrtui.config import load_plan_settings
    from hrtui.config import load_settings
    from hrtui.domain.gaps import decimals
    from hrtui.domain.months import window

    plan = _for_write(actor, plan_id, lang)
    row = database.execute_sql("SELECT id, direction, scale_min, scale_max FROM dimension WHERE code = ?",
                               (dimension_code.upper(),)).fetchone()
    if row is None:
        raise UserError(t("plan.unknown_dimension", lang, code=dimension_code))
    if any(g.dimension_id == row[0] for g in plan.goals):
        raise UserError(t("plan.goal_twice", lang, code=dimension_code.upper()))
    today = today or org_today()
    ps = load_plan_settings()
    # the baseline window of a draft is the one it was drafted on; a goal added to a running plan measures from now
    months = window(_d(plan.drafted_on) if plan.state == "draft" else today, load_settings().thresholds.window_months)
    ref = reference(plan.employee_id, row[0], months)
    start = max(today, _d(plan.start_date or plan.drafted_on))
    spec = goal_spec(row[0], row[1], decimals(row[2], row[3]), ref, (), start, ps.deadline_days, ps.midterm_days)
    if plan.goals:  # new goals share the plan's dates
        spec.deadline, spec.midterm = _d(plan.deadline), _d(plan.midterm)
    gid = uuid7()
    stamp = _stamp()
    with database.atomic():
        database.execute_sql(
            """INSERT INTO plan_goal (id, plan_id, position, dimension_id, baseline, baseline_from, baseline_to,
                                      target_kind, target_pct, target, deadline, midterm, updated_at)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            (gid, plan_id, max((g.position for g in plan.goals), default=-1) + 1, row[0], spec.baseline, months[0],
             months[-1], spec.target_kind, spec.target_pct, spec.target, spec.deadline.isoformat(),
             spec.midterm.isoformat(), stamp))
        _touch(plan_id, stamp)
        audit.record(actor, "plan.goal.add", plan_id, {"goal": gid})
    return gid


def _goal_plan(goal_id: str) -> str:
    row = database.execute_sql("SELECT plan_id FROM plan_goal WHERE id = ? AND deleted = 0", (goal_id,)).fetchone()
    if row is None:
        raise UserError("no such goal")
    return row[0]


def update_goal(actor: Actor, goal_id: str, lang: str = "en", *, baseline=_UNSET, target_kind=_UNSET,
                target_pct=_UNSET, target=_UNSET, deadline=_UNSET, midterm=_UNSET) -> None:
    """Change a goal. A new baseline moves a percentage target with it; a new kind recomputes the target from the
    baseline window (team mean, requirement); typing a target number makes it a fixed value."""
    plan = _for_write(actor, _goal_plan(goal_id), lang)
    g = plan.goal(goal_id)
    changed = {}
    new = {"baseline": g.baseline, "target_kind": g.target_kind, "target_pct": g.target_pct, "target": g.target,
           "deadline": g.deadline, "midterm": g.midterm}
    if baseline is not _UNSET:
        if plan.state != "draft":
            raise UserError(t("plan.baseline_fixed", lang))
        new["baseline"] = None if baseline is None else float(baseline)
    if target_kind is not _UNSET:
        if target_kind not in TARGET_KINDS:
            raise UserError(f"unknown target kind {target_kind!r}; expected one of {', '.join(TARGET_KINDS)}")
        new["target_kind"] = target_kind
        if target_kind == "pct" and target_pct is _UNSET:
            target_pct = new["target_pct"] if new["target_pct"] is not None else (-50.0 if g.direction == "lower" else 10.0)
    if target_pct is not _UNSET:
        new["target_kind"], new["target_pct"] = "pct", float(target_pct)
    if target is not _UNSET:
        new["target_kind"], new["target_pct"], new["target"] = "value", None, None if target is None else float(target)
    if new["target_kind"] != "pct":
        new["target_pct"] = None
    if new["target_kind"] != "value" and any(v is not _UNSET for v in (baseline, target_kind, target_pct)):
        months = _month_span(g.baseline_from, g.baseline_to)
        ref = reference(plan.employee_id, g.dimension_id, months)
        new["target_pct"], new["target"] = target_for(new["target_kind"], new["target_pct"], new["baseline"], ref,
                                                      g.places)
    for name, value in (("deadline", deadline), ("midterm", midterm)):
        if value is not _UNSET:
            new[name] = (value if isinstance(value, _dt.date) else parse_day(str(value), _d(new[name]), lang)).isoformat()
    if new["midterm"] > new["deadline"]:
        raise UserError(t("plan.midterm_after_deadline", lang, midterm=new["midterm"], deadline=new["deadline"]))
    start = plan.start_date or plan.drafted_on
    if new["deadline"] < start:
        raise UserError(t("plan.deadline_before_start", lang, deadline=new["deadline"], start=start))
    if new["midterm"] < start and new["midterm"] != g.midterm:
        raise UserError(t("plan.midterm_before_start", lang, midterm=new["midterm"], start=start))
    for k, v in new.items():
        if v != getattr(g, k):
            changed[k] = v
    if not changed:
        return
    stamp = _stamp()
    with database.atomic():
        sets = ", ".join(f"{k} = ?" for k in changed)
        database.execute_sql(f"UPDATE plan_goal SET {sets}, updated_at = ? WHERE id = ?",
                             (*changed.values(), stamp, goal_id))
        _touch(plan.id, stamp)
        audit.record(actor, "plan.goal.update", plan.id, {"goal": goal_id, "fields": sorted(changed)})


def _month_span(first: str, last: str) -> list[str]:
    from hrtui.domain.months import add_months

    out = [first]
    while out[-1] < last:
        out.append(add_months(out[-1], 1))
    return out


def delete_goal(actor: Actor, goal_id: str, lang: str = "en") -> None:
    plan = _for_write(actor, _goal_plan(goal_id), lang)
    if plan.running and len(plan.goals) == 1:
        raise UserError(t("plan.last_goal", lang))
    stamp = _stamp()
    with database.atomic():
        database.execute_sql("UPDATE plan_goal SET deleted = 1, updated_at = ? WHERE id = ?", (stamp, goal_id))
        database.execute_sql("UPDATE plan_item SET goal_id = NULL, updated_at = ? WHERE goal_id = ?", (stamp, goal_id))
        _touch(plan.id, stamp)
        audit.record(actor, "plan.goal.delete", plan.id, {"goal": goal_id})


# -- editing items --------------------------------------------------------------------------------------------------
def _clean_text(text: str, lang: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise UserError(t("plan.empty_text", lang))
    if len(text) > MAX_TEXT:
        raise UserError(t("plan.text_too_long", lang, max=MAX_TEXT))
    return text


def add_item(actor: Actor, plan_id: str, entry: CatalogueEntry | None = None, lang: str = "en",
             today: _dt.date | None = None, *, text: str | None = None, owner: str | None = None,
             due: _dt.date | str | None = None, goal_id: str | None = None) -> str:
    """Add an action from the catalogue (or a custom one with `text`); returns the item id."""
    plan = _for_write(actor, plan_id, lang)
    today = today or org_today()
    entry = entry or CatalogueEntry("custom", "", "", "employee", DUE_DAYS["custom"])
    zh, en = entry.text_zh, entry.text_en
    if text is not None:
        typed = _clean_text(text, lang)
        zh, en = (typed, "") if lang == "zh" else ("", typed)
    if not zh and not en:
        raise UserError(t("plan.empty_text", lang))
    owner = owner or entry.owner
    if owner not in OWNERS:
        raise UserError(t("plan.bad_owner", lang, owner=owner))
    start = max(today, _d(plan.start_date or plan.drafted_on))
    midterm = _d(plan.midterm) or start + _dt.timedelta(days=45)
    if due is None:
        due_day = _entry_due(entry, start, midterm)
    else:
        due_day = due if isinstance(due, _dt.date) else parse_day(str(due), start, lang)
    goal_id = goal_id if goal_id is not None else entry.goal_id
    if goal_id is not None and plan.goal(goal_id) is None:
        raise UserError("no such goal in this plan")
    iid = uuid7()
    stamp = _stamp()
    with database.atomic():
        database.execute_sql(
            """INSERT INTO plan_item (id, plan_id, goal_id, position, kind, course_id, text_zh, text_en, owner,
                                      due_date, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
            (iid, plan_id, goal_id, max((i.position for i in plan.items), default=-1) + 1, entry.kind,
             entry.course_id, zh, en, owner, due_day.isoformat(), stamp))
        _touch(plan_id, stamp)
        audit.record(actor, "plan.item.add", plan_id, {"item": iid, "kind": entry.kind})
    return iid


def _item_plan(item_id: str) -> str:
    row = database.execute_sql("SELECT plan_id FROM plan_item WHERE id = ? AND deleted = 0", (item_id,)).fetchone()
    if row is None:
        raise UserError("no such item")
    return row[0]


def update_item(actor: Actor, item_id: str, lang: str = "en", *, text=_UNSET, owner=_UNSET, due=_UNSET,
                goal_id=_UNSET) -> None:
    plan = _for_write(actor, _item_plan(item_id), lang)
    item = plan.item(item_id)
    changed = {}
    if text is not _UNSET:
        typed = _clean_text(text, lang)
        if typed != item.text(lang):
            changed["text_zh"], changed["text_en"] = (typed, "") if lang == "zh" else ("", typed)
    if owner is not _UNSET and owner != item.owner:
        if owner not in OWNERS:
            raise UserError(t("plan.bad_owner", lang, owner=owner))
        changed["owner"] = owner
    if due is not _UNSET:
        day = due if isinstance(due, _dt.date) else parse_day(str(due), _d(item.due_date), lang)
        if day.isoformat() != item.due_date:
            changed["due_date"] = day.isoformat()
    if goal_id is not _UNSET and goal_id != item.goal_id:
        if goal_id is not None and plan.goal(goal_id) is None:
            raise UserError("no such goal in this plan")
        changed["goal_id"] = goal_id
    if not changed:
        return
    stamp = _stamp()
    with database.atomic():
        sets = ", ".join(f"{k} = ?" for k in changed)
        database.execute_sql(f"UPDATE plan_item SET {sets}, updated_at = ? WHERE id = ?", (*changed.values(), stamp,
                                                                                            item_id))
        _touch(plan.id, stamp)
        audit.record(actor, "plan.item.update", plan.id, {"item": item_id, "fields": sorted(changed)})


def delete_item(actor: Actor, item_id: str, lang: str = "en") -> None:
    plan = _for_write(actor, _item_plan(item_id), lang)
    stamp = _stamp()
    with database.atomic():
        database.execute_sql("UPDATE plan_item SET deleted = 1, updated_at = ? WHERE id = ?", (stamp, item_id))
        _touch(plan.id, stamp)
        audit.record(actor, "plan.item.delete", plan.id, {"item": item_id})


def set_done(actor: Actor, item_id: str, done: bool = True, lang: str = "en", today: _dt.date | None = None) -> None:
    """Tick (or untick) a checklist item. Managers and employees only their own items (see `can_check`)."""
    require(actor, "write", "plan_items")
    plan = load(actor, _item_plan(item_id), audit_read=False, lang=lang)
    item = plan.item(item_id)
    if not plan.running:
        raise UserError(t("plan.closed_readonly" if plan.state == "closed" else "plan.not_running", lang))
    if not can_check(actor, plan, item):
        raise UserError(t("plan.not_your_item", lang, owner=t(f"plan.owner.{item.owner}", lang)))
    if item.done == done:
        return
    today = today or org_today()
    stamp = _stamp()
    with database.atomic():
        database.execute_sql("UPDATE plan_item SET done_on = ?, done_by = ?, updated_at = ? WHERE id = ?",
                             (today.isoformat() if done else None, actor.user_id if done else None, stamp, item_id))
        _touch(plan.id, stamp)
        audit.record(actor, "plan.item.done" if done else "plan.item.undone", plan.id, {"item": item_id})


# -- state changes ------------------------------------------------------------------------------------------------
def activate(actor: Actor, plan_id: str, lang: str = "en", today: _dt.date | None = None) -> None:
    """draft → active: the plan starts today; reminders begin; the employee and the manager can see it."""
    plan = _for_write(actor, plan_id, lang, states=("draft",))
    if not plan.goals:
        raise UserError(t("plan.no_goals", lang))
    missing = [g.code for g in plan.goals if g.target is None]
    if missing:
        raise UserError(t("plan.no_target", lang, codes=", ".join(missing)))
    today = today or org_today()
    late = [g.code for g in plan.goals if g.deadline <= today.isoformat()]
    if late:
        raise UserError(t("plan.deadline_past", lang, codes=", ".join(late)))
    stamp = _stamp()
    with database.atomic():
        database.execute_sql("UPDATE plan SET state = 'active', start_date = ?, updated_at = ? WHERE id = ?",
                             (today.isoformat(), stamp, plan_id))
        audit.record(actor, "plan.activate", plan_id)


def extend(actor: Actor, plan_id: str, days: int | None = None, lang: str = "en", today: _dt.date | None = None) -> None:
    """active/extended → extended: every goal's deadline moves by `days`, so do mid-term checks still ahead and the
    due dates of the items not done (overdue ones included); done items keep their dates. Reminders follow."""
    from hrtui.config import load_plan_settings

    _for_write(actor, plan_id, lang, states=RUNNING)  # refuses what the actor may not extend
    days = load_plan_settings().extend_days if days is None else int(days)
    if not 1 <= days <= 365:
        raise UserError(t("plan.bad_extension", lang))
    today = today or org_today()
    shift = f"date(%s, '+{days} days')"
    stamp = _stamp()
    with database.atomic():
        database.execute_sql(f"UPDATE plan_goal SET deadline = {shift % 'deadline'}, updated_at = ? "
                             "WHERE plan_id = ? AND deleted = 0", (stamp, plan_id))
        database.execute_sql(f"UPDATE plan_goal SET midterm = {shift % 'midterm'} "
                             "WHERE plan_id = ? AND deleted = 0 AND midterm >= ?", (plan_id, today.isoformat()))
        database.execute_sql(f"UPDATE plan_item SET due_date = {shift % 'due_date'}, updated_at = ? "
                             "WHERE plan_id = ? AND deleted = 0 AND done_on IS NULL", (stamp, plan_id))
        database.execute_sql("UPDATE plan SET state = 'extended', extended_days = extended_days + ?, updated_at = ? "
                             "WHERE id = ?", (days, stamp, plan_id))
        audit.record(actor, "plan.extend", plan_id, {"days": days})


def close(actor: Actor, plan_id: str, outcome: str | None = None, lang: str = "en",
          today: _dt.date | None = None) -> str:
    """active/extended → closed with an outcome; without one, the effect report decides (met when every goal is
    met). Returns the outcome. Reminders stop."""
    plan = _for_write(actor, plan_id, lang, states=RUNNING)
    today = today or org_today()
    if outcome is None:
        from hrtui.domain.effect import evaluate

        outcome = "met" if evaluate(plan, today).effective else "not_met"
    if outcome not in OUTCOMES:
        raise UserError(f"unknown outcome {outcome!r}; expected met or not_met")
    stamp = _stamp()
    with database.atomic():
        database.execute_sql("UPDATE plan SET state = 'closed', outcome = ?, closed_on = ?, updated_at = ? WHERE id = ?",
                             (outcome, today.isoformat(), stamp, plan_id))
        audit.record(actor, "plan.close", plan_id, {"outcome": outcome})
    return outcome


def acknowledge(actor: Actor, plan_id: str, lang: str = "en") -> None:
    """The employee confirms they have read their plan (their own, once it is running)."""
    require(actor, "write", "plan_items")
    plan = load(actor, plan_id, audit_read=False, lang=lang)
    if not actor.employee_id or plan.employee_id != actor.employee_id:
        raise UserError(t("plan.ack_own_only", lang))
    if not plan.running:
        raise UserError(t("plan.not_running", lang))
    if plan.acknowledged_at:
        return
    stamp = _stamp()
    with database.atomic():
        database.execute_sql("UPDATE plan SET acknowledged_at = ?, acknowledged_by = ?, updated_at = ? WHERE id = ?",
                             (stamp, actor.user_id, stamp, plan_id))
        audit.record(actor, "plan.acknowledge", plan_id)


def discard(actor: Actor, plan_id: str, lang: str = "en") -> None:
    """Throw a draft away (kept as a tombstone); running plans are closed, never discarded."""
    _for_write(actor, plan_id, lang, states=("draft",))
    stamp = _stamp()
    with database.atomic():
        database.execute_sql("UPDATE plan SET deleted = 1, updated_at = ? WHERE id = ?", (stamp, plan_id))
        audit.record(actor, "plan.discard", plan_id)


def dimensions() -> list[tuple[str, str, str]]:
    """(code, zh, en) of every dimension, in the portrait's order (for adding a goal)."""
    return [tuple(r) for r in database.execute_sql("SELECT code, name_zh, name_en FROM dimension ORDER BY sort, code")]


register(
    {
        "plan.state.draft": "draft", "plan.state.active": "active", "plan.state.extended": "extended",
        "plan.state.closed": "closed",
        "plan.outcome.met": "closed · met", "plan.outcome.not_met": "closed · not met",
        "plan.owner.employee": "employee", "plan.owner.hr": "HR", "plan.owner.manager": "manager",
        "plan.target.team": "team mean {value}", "plan.target.requirement": "requirement {value}",
        "plan.kind.pct": "change %", "plan.kind.team": "team mean", "plan.kind.requirement": "requirement",
        "plan.kind.value": "fixed value",
        "plan.action.training": "Complete the training \u201c{course_en}\u201d",
        "plan.action.weekly_review": "Weekly review report to the manager (every Friday)",
        "plan.action.mentor": "Assign a mentor and hold the first mentoring session",
        "plan.action.coaching": "HR coaching conversation on progress",
        "plan.action.shadowing": "Shadow a top performer for a day",
        "plan.action.custom": "New action",
        "plan.not_found": "no such plan in your scope",
        "plan.none_for": "no improvement plan for {employee!r} in your scope",
        "plan.exists": "{employee} already has an open plan ({state}); open it instead of drafting another",
        "plan.nothing_to_draft": "{employee} has no key shortfall in {first}..{last}: there are no goals to draft a "
                                 "plan from, so none was drafted",
        "plan.closed_readonly": "this plan is closed: it can no longer change",
        "plan.wrong_state": "not possible while the plan is {state}",
        "plan.not_running": "the plan is not running (activate it first)",
        "plan.bad_date": "{text!r} is not a date: type YYYY-MM-DD, or +N / -N days (+2w for weeks)",
        "plan.unknown_dimension": "unknown dimension {code!r}",
        "plan.goal_twice": "the plan already has a goal on {code}",
        "plan.baseline_fixed": "the baseline is fixed once the plan is active",
        "plan.midterm_after_deadline": "the mid-term check ({midterm}) must not come after the deadline ({deadline})",
        "plan.deadline_before_start": "the deadline ({deadline}) cannot come before the plan starts ({start})",
        "plan.midterm_before_start": "the mid-term check ({midterm}) cannot come before the plan starts ({start})",
        "plan.last_goal": "a running plan keeps at least one goal",
        "plan.empty_text": "an action needs a text",
        "plan.text_too_long": "an action is at most {max} characters",
        "plan.bad_owner": "unknown owner {owner!r}: employee, hr or manager",
        "plan.not_your_item": "this item is owned by the {owner}: you can check off your own items only",
        "plan.no_goals": "a plan needs at least one goal before it is activated",
        "plan.no_target": "set a target for {codes} before activating",
        "plan.deadline_past": "the deadline of {codes} has passed: move it before activating",
        "plan.bad_extension": "extend by 1 to 365 days",
        "plan.ack_own_only": "only the employee acknowledges their own plan",
    },
    {
        "plan.state.draft": "草稿", "plan.state.active": "进行中", "plan.state.extended": "已延期",
        "plan.state.closed": "已结束",
        "plan.outcome.met": "已结束 · 达成", "plan.outcome.not_met": "已结束 · 未达成",
        "plan.owner.employee": "员工", "plan.owner.hr": "HR", "plan.owner.manager": "经理",
        "plan.target.team": "团队均值 {value}", "plan.target.requirement": "岗位要求 {value}",
        "plan.kind.pct": "变化百分比", "plan.kind.team": "团队均值", "plan.kind.requirement": "岗位要求",
        "plan.kind.value": "固定值",
        "plan.action.training": "完成培训《{course_zh}》",
        "plan.action.weekly_review": "每周五向经理提交周复盘报告",
        "plan.action.mentor": "指定导师并完成首次辅导",
        "plan.action.coaching": "HR 进度辅导面谈",
        "plan.action.shadowing": "跟岗学习优秀同事一天",
        "plan.action.custom": "新行动项",
        "plan.not_found": "你的范围内没有这个计划",
        "plan.none_for": "你的范围内 {employee!r} 没有改进计划",
        "plan.exists": "{employee} 已有未结束的计划（{state}）：请打开它，不要重复起草",
        "plan.nothing_to_draft": "{employee} 在 {first}..{last} 没有关键短板，没有可据以起草的目标，未起草计划",
        "plan.closed_readonly": "该计划已结束，不能再修改",
        "plan.wrong_state": "计划{state}时不能这样做",
        "plan.not_running": "计划尚未启动（请先启动）",
        "plan.bad_date": "{text!r} 不是日期：请输入 YYYY-MM-DD，或 +N / -N 天（+2w 表示周）",
        "plan.unknown_dimension": "未知维度 {code!r}",
        "plan.goal_twice": "计划中已有 {code} 的目标",
        "plan.baseline_fixed": "计划启动后基线不能再改",
        "plan.midterm_after_deadline": "中期检查（{midterm}）不能晚于截止日期（{deadline}）",
        "plan.deadline_before_start": "截止日期（{deadline}）不能早于计划开始（{start}）",
        "plan.midterm_before_start": "中期检查（{midterm}）不能早于计划开始（{start}）",
        "plan.last_goal": "进行中的计划至少保留一个目标",
        "plan.empty_text": "行动项不能为空",
        "plan.text_too_long": "行动项最多 {max} 个字",
        "plan.bad_owner": "未知负责人 {owner!r}：employee、hr 或 manager",
        "plan.not_your_item": "该事项由{owner}负责：你只能勾选自己的事项",
        "plan.no_goals": "启动前计划至少要有一个目标",
        "plan.no_target": "启动前请为 {codes} 设定目标",
        "plan.deadline_past": "{codes} 的截止日期已过：请先调整",
        "plan.bad_extension": "延期天数为 1 到 365 天",
        "plan.ack_own_only": "只有员工本人可以确认自己的计划",
    },
)

# words of the plan listings (CLI and screens)
register(
    {
        "plan.cli.dates": "drafted {drafted} · started {start} · mid-term {midterm} · deadline {deadline}",
        "plan.cli.extended": "extended by {days} days in all",
        "plan.cli.ack_yes": "acknowledged by the employee on {at}",
        "plan.cli.ack_no": "not yet acknowledged by the employee",
        "plan.cli.goal": "{name}: baseline {baseline} ({months}) → target {target}",
        "plan.cli.goal_dates": "mid-term check {midterm} · deadline {deadline}",
        "plan.cli.goals": "Goals", "plan.cli.checklist": "Checklist ({done}/{total} done)",
        "plan.cli.none": "none", "plan.cli.done_on": "done {day}", "plan.cli.overdue": "overdue {n} d",
        "plan.cli.count": "{n} plans", "plan.cli.now": "{employee}: {state} · deadline {deadline}",
        "plan.cli.discarded": "the draft plan of {employee} was discarded",
        "plan.cli.acknowledged": "You acknowledged your improvement plan.",
        "plan.md.title": "Improvement plan", "plan.md.state_line": "State: {state}",
        "plan.md.heading": "{title}: {who}", "plan.md.item": "{text} — {owner}, due {due}",
        "plan.col.number": "No.", "plan.col.name": "Name", "plan.col.dept": "Dept", "plan.col.state": "State",
        "plan.col.progress": "Done", "plan.col.deadline": "Deadline", "plan.col.overdue": "Late",
        "plan.col.dimension": "Dimension", "plan.col.baseline": "baseline", "plan.col.target": "target",
        "plan.col.midterm": "mid-term",
        "plan.role.hr": "HR", "plan.role.employee": "employee", "plan.role.manager": "manager",
    },
    {
        "plan.cli.dates": "起草 {drafted} · 开始 {start} · 中期 {midterm} · 截止 {deadline}",
        "plan.cli.extended": "累计延期 {days} 天",
        "plan.cli.ack_yes": "员工已于 {at} 确认",
        "plan.cli.ack_no": "员工尚未确认",
        "plan.cli.goal": "{name}：基线 {baseline}（{months}）→ 目标 {target}",
        "plan.cli.goal_dates": "中期检查 {midterm} · 截止 {deadline}",
        "plan.cli.goals": "目标", "plan.cli.checklist": "清单（已完成 {done}/{total}）",
        "plan.cli.none": "无", "plan.cli.done_on": "{day} 完成", "plan.cli.overdue": "逾期 {n} 天",
        "plan.cli.count": "共 {n} 个计划", "plan.cli.now": "{employee}：{state} · 截止 {deadline}",
        "plan.cli.discarded": "已放弃 {employee} 的草稿计划",
        "plan.cli.acknowledged": "你已确认自己的改进计划。",
        "plan.md.title": "改进计划", "plan.md.state_line": "状态：{state}",
        "plan.md.heading": "{title}：{who}", "plan.md.item": "{text}——{owner}，{due} 截止",
        "plan.col.number": "工号", "plan.col.name": "姓名", "plan.col.dept": "部门", "plan.col.state": "状态",
        "plan.col.progress": "完成", "plan.col.deadline": "截止", "plan.col.overdue": "逾期",
        "plan.col.dimension": "维度", "plan.col.baseline": "基线", "plan.col.target": "目标",
        "plan.col.midterm": "中期",
        "plan.role.hr": "HR", "plan.role.employee": "员工", "plan.role.manager": "经理",
    },
)
