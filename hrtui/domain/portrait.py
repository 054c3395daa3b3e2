"""The employee portrait: what HR needs to know before the interview (issue 3).

`portrait(actor, key, lang)` is the one function behind the portrait screen and `hrtui portrait`: per dimension the
employee's mean over the window (the last 3 full months by default), the team mean (same department, others only),
the position's requirement, the gaps to both and the key-shortfall flag with its sentence (rules in
`hrtui.domain.gaps`); 12 months of trend per dimension with the team's monthly mean; the signals
(`hrtui.domain.signals`); and the interview goals (`hrtui.domain.goals`). Months without data are None — gaps, never
zeros. An employee alone in their department has no team mean, and the portrait says so. The department's
aggregates (its members' window means, its monthly totals, its headcount) come from the team statistics cache
(`hrtui.domain.team_stats`), recomputed once after every change of the data version.

Who may read a portrait: the access policy's "portraits" (admin, HR in their departments, managers for their reports;
not employees). Saved goals are HR's interview notes ("interview_notes": admin and HR). Every portrait read is written
to the audit log.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass, field

from hrtui.access import audit
from hrtui.access.actor import Actor, find_employee
from hrtui.access.policy import can
from hrtui.config import Thresholds, load_settings
from hrtui.domain import goals as goals_mod
from hrtui.domain import team_stats
from hrtui.domain.gaps import Assessment, TeamStats, assess, decimals, explain, fmt_value
from hrtui.domain.signals import Signal, employee_signals
from hrtui.errors import UserError
from hrtui.i18n import bilingual, register, t
from hrtui.store.db import database

TREND_MONTHS = team_stats.TREND_MONTHS


@dataclass
class DimensionPortrait:
    code: str
    name: str                     # in the portrait's language
    name_zh: str
    name_en: str
    unit: str
    direction: str
    scale_min: float
    scale_max: float
    places: int                   # decimals that read well for this dimension
    monthly: list[float | None]   # the window months, oldest first (None = no data)
    months_with_data: int
    value: float | None
    team_mean: float | None
    team_sd: float | None
    team_size: int
    requirement: float | None
    gap_team: float | None
    gap_team_pct: float | None
    team_ratio: float | None
    gap_requirement: float | None
    gap_requirement_pct: float | None
    z: float | None
    flagged: bool
    reasons: list[str]
    severity: float | None
    severity_basis: str | None
    explanation: str | None
    trend: list[float | None]       # TREND_MONTHS months, oldest first
    team_trend: list[float | None]

    def fmt(self, value: float | None) -> str:
        return fmt_value(value, self.unit, self.places)


@dataclass
class EmployeeInfo:
    id: str
    number: str
    name_zh: str
    name_en: str
    department_code: str | None
    department_zh: str | None
    department_en: str | None
    position_zh: str | None
    position_en: str | None
    hire_date: str | None
    status: str

    def name(self, lang: str) -> str:
        return bilingual(lang, self.name_zh, self.name_en)

    def department(self, lang: str) -> str:
        return (self.department_zh if lang == "zh" else self.department_en) or ""

    def position(self, lang: str) -> str:
        return (self.position_zh if lang == "zh" else self.position_en) or ""


@dataclass
class Portrait:
    lang: str
    today: str
    window: list[str]
    trend_months: list[str]
    employee: EmployeeInfo
    team_size: int                 # other members of the department (active)
    team_note: str | None          # e.g. "alone in the department: compared with the requirement only"
    dimensions: list[DimensionPortrait]
    key_shortfalls: list[str]      # dimension codes, most severe first
    signals: list[Signal]
    goals: list[goals_mod.Goal]
    goals_saved: bool
    goals_visible: bool
    suggested_goals: list[goals_mod.Goal]
    thresholds: dict = field(default_factory=dict)

    def dimension(self, code: str) -> DimensionPortrait:
        return next(d for d in self.dimensions if d.code == code)

    @property
    def shortfalls(self) -> list[DimensionPortrait]:
        return [self.dimension(c) for c in self.key_shortfalls]

    def to_dict(self) -> dict:
        """JSON-ready (the CLI's --format json): numbers as computed, months as 'YYYY-MM', gaps as null."""
        return asdict(self)


def can_view_portraits(actor: Actor) -> bool:
    return can(actor, "read", "portraits")


def close_thread_connection() -> None:
    """Close the calling thread's own connection (peewee keeps one per thread): worker threads call this when done."""
    if not database.is_closed():
        database.close()


def _check_role(actor: Actor, lang: str) -> None:
    if not can_view_portraits(actor):
        raise UserError(t("portrait.not_allowed", lang))


def department_window_stats(department_id: str, months: list[str]) -> dict[str, TeamStats]:
    """dimension id -> TeamStats of the window means of every active member of the department with data.

    Computed live, for any months (the improvement plans' baselines); the portrait's own window is read from the
    team statistics cache (`team_stats.department_stats`), whose numbers are the same."""
    rows = database.execute_sql(
        """SELECT did, count(*), sum(v), sum(v * v) FROM (
               SELECT s.dimension_id AS did, avg(s.value) AS v
               FROM employee e CROSS JOIN dimension d CROSS JOIN score s
                    ON s.employee_id = e.id AND s.dimension_id = d.id AND s.month BETWEEN ? AND ?
               WHERE e.department_id = ? AND e.status != 'left'
               GROUP BY s.employee_id, s.dimension_id)
           GROUP BY did""", (months[0], months[-1], department_id)).fetchall()
    return {did: TeamStats(n, s1, s2) for did, n, s1, s2 in rows}


def portrait(actor: Actor, key: str, lang: str = "en", today: _dt.date | None = None, *,
             thresholds: Thresholds | None = None) -> Portrait:
    """Compute the portrait of the employee `key` (number or exact name) in the actor's scope."""
    from hrtui import config

    _check_role(actor, lang)
    employee_id = find_employee(actor, key)
    th = thresholds or load_settings().thresholds
    today = today or config.today()
    win, trend_months = team_stats.months_for(today, th)

    row = database.execute_sql(
        """SELECT e.id, e.number, e.name_zh, e.name_en, d.code, d.name_zh, d.name_en, p.name_zh, p.name_en,
                  e.hire_date, e.status, e.department_id, e.position_id
           FROM employee e LEFT JOIN department d ON d.id = e.department_id LEFT JOIN position p ON p.id = e.position_id
           WHERE e.id = ?""", (employee_id,)).fetchone()
    info = EmployeeInfo(*row[:11])
    dept_id, pos_id = row[11], row[12]
    included = info.status != "left"

    dims = database.execute_sql(
        "SELECT id, code, name_zh, name_en, unit, direction, scale_min, scale_max FROM dimension ORDER BY sort, code"
    ).fetchall()
    own: dict[tuple[str, str], float] = {
        (did, m): v for did, m, v in database.execute_sql(
            "SELECT dimension_id, month, value FROM score WHERE employee_id = ? AND month BETWEEN ? AND ?",
            (employee_id, trend_months[0], trend_months[-1]))}
    # The window mean comes from SQL's avg() exactly as the needs-attention scan computes it, so both agree.
    own_mean = {did: (v, n) for did, v, n in database.execute_sql(
        "SELECT dimension_id, avg(value), count(*) FROM score WHERE employee_id = ? AND month BETWEEN ? AND ?"
        " GROUP BY dimension_id", (employee_id, win[0], win[-1]))}
    reqs = dict(database.execute_sql(
        "SELECT dimension_id, value FROM position_requirement WHERE position_id = ?", (pos_id,)).fetchall())
    if dept_id:
        team = team_stats.department_stats(dept_id, win, trend_months)
        stats, monthly = team.window, team.monthly
        team_size = team.members - (1 if included else 0)  # the other active members
    else:
        stats, monthly, team_size = {}, {}, 0
    hidden = team_stats.withheld(actor, dept_id, win, team, trend_months) if dept_id and team_size else set()
    if hidden:
        stats = {did: s for did, s in stats.items() if (did, "window") not in hidden}
        monthly = {key: v for key, v in monthly.items() if key not in hidden}
    if hidden and not stats:
        team_note = t("portrait.team_withheld", lang, n=team_stats.MIN_UNSEEN)
    elif hidden:
        team_note = t("portrait.team_partly_withheld", lang, n=team_stats.MIN_UNSEEN)
    elif not dept_id:
        team_note = t("portrait.no_department", lang)
    elif team_size == 0:
        team_note = t("portrait.alone", lang)
    elif not any(s.n - (1 if included and did in own_mean else 0) > 0 for did, s in stats.items()):
        team_note = t("portrait.no_team_data", lang)
    else:
        team_note = None

    dimensions: list[DimensionPortrait] = []
    for did, code, name_zh, name_en, unit, direction, lo, hi in dims:
        value, n_months = own_mean.get(did, (None, 0))
        team = stats.get(did)
        if team is not None:
            team = team.without(value, included and value is not None)
        a: Assessment = assess(direction, value, team, reqs.get(did), th)
        places = decimals(lo, hi)
        name = name_zh if lang == "zh" else name_en
        trend, team_trend = [], []
        for m in trend_months:
            mine = own.get((did, m))
            trend.append(mine)
            n, total = monthly.get((did, m), (0, 0.0))
            if included and mine is not None:
                n, total = n - 1, total - mine
            team_trend.append(total / n if n > 0 else None)
        dimensions.append(DimensionPortrait(
            code=code, name=name, name_zh=name_zh, name_en=name_en, unit=unit, direction=direction,
            scale_min=lo, scale_max=hi, places=places,
            monthly=[own.get((did, m)) for m in win], months_with_data=n_months, value=value,
            team_mean=a.team_mean, team_sd=a.team_sd, team_size=a.team_size, requirement=a.requirement,
            gap_team=a.gap_team, gap_team_pct=a.gap_team_pct, team_ratio=a.team_ratio,
            gap_requirement=a.gap_requirement, gap_requirement_pct=a.gap_requirement_pct, z=a.z,
            flagged=a.flagged, reasons=list(a.reasons), severity=a.severity, severity_basis=a.severity_basis,
            explanation=explain(name, unit, places, a, lang, months_with_data=n_months, window_months=len(win),
                                alone=a.team_mean is None),
            trend=trend, team_trend=team_trend))

    ranked = sorted((d for d in dimensions if d.flagged),
                    key=lambda d: (-(d.severity if d.severity is not None else float("-inf")),
                                   [x.code for x in dimensions].index(d.code)))
    signals = employee_signals(employee_id, today, th, lang)
    suggested = goals_mod.suggest_goals([_shortfall_brief(d) for d in ranked], [s.to_dict() for s in signals])
    visible = goals_mod.can_read_goals(actor)
    saved = goals_mod.saved_goals(employee_id) if visible else []
    audit.record(actor, "portrait.read", employee_id)
    return Portrait(
        lang=lang, today=today.isoformat(), window=win, trend_months=trend_months, employee=info,
        team_size=team_size, team_note=team_note,
        dimensions=dimensions, key_shortfalls=[d.code for d in ranked], signals=signals,
        goals=saved or (suggested if visible else []), goals_saved=bool(saved), goals_visible=visible,
        suggested_goals=suggested if visible else [],
        thresholds=asdict(th))


def _shortfall_brief(d: DimensionPortrait) -> dict:
    """What a suggested goal needs: the target is the team mean when the team flagged it, else the requirement."""
    target_kind = "team" if "team" in d.reasons else "requirement"
    target = d.team_mean if target_kind == "team" else d.requirement
    return {"code": d.code, "name_zh": d.name_zh, "name_en": d.name_en, "direction": d.direction,
            "target_kind": target_kind, "value": d.fmt(d.value), "target": d.fmt(target)}


register(
    {
        "portrait.not_allowed": "portraits are for HR, managers and admins",
        "portrait.alone": "Alone in the department: no team mean; compared with the requirement only.",
        "portrait.team_withheld": "Team figures withheld: fewer than {n} of the colleagues are outside what you may "
                                  "see, so their mean would show a person's scores. Compared with the requirement only.",
        "portrait.team_partly_withheld": "Some team figures are withheld (—): fewer than {n} colleagues outside what "
                                         "you may see have data there, so the mean would show a person's scores.",
        "portrait.no_department": "No department: no team mean; compared with the requirement only.",
        "portrait.no_team_data": "No teammate has data in the window: compared with the requirement only.",
        "portrait.cli.window": "window {first}..{last} ({n} months) · {team} others in the department",
        "portrait.col.dimension": "Dimension",
        "portrait.col.value": "Value",
        "portrait.col.team": "Team",
        "portrait.col.req": "Req.",
        "portrait.col.gap_team": "vs team",
        "portrait.col.gap_req": "vs req.",
        "portrait.col.months": "Months",
        "portrait.col.flag": "Flag",
        "portrait.severity": "severity",
        "portrait.cli.shortfalls": "Key shortfalls:",
        "portrait.cli.no_shortfalls": "No key shortfalls.",
        "portrait.cli.signals": "Signals:",
        "portrait.cli.no_signals": "No signals.",
        "portrait.cli.goals_saved": "Interview goals (saved):",
        "portrait.cli.goals_suggested": "Interview goals (suggested, not saved):",
    },
    {
        "portrait.not_allowed": "员工画像仅供 HR、经理和管理员查看",
        "portrait.alone": "部门内无其他同事：没有团队均值，仅与岗位要求比较。",
        "portrait.team_withheld": "团队数据不予显示：你无权查看的同事少于 {n} 人，其均值会暴露个人成绩。仅与岗位要求比较。",
        "portrait.team_partly_withheld": "部分团队数据不予显示（—）：在该处有数据且你无权查看的同事少于 {n} 人，其均值会暴露个人成绩。",
        "portrait.no_department": "未分配部门：没有团队均值，仅与岗位要求比较。",
        "portrait.no_team_data": "同事在该时段均无数据：仅与岗位要求比较。",
        "portrait.cli.window": "时段 {first}..{last}（{n} 个月）· 部门内其他 {team} 人",
        "portrait.col.dimension": "维度",
        "portrait.col.value": "本人",
        "portrait.col.team": "团队",
        "portrait.col.req": "要求",
        "portrait.col.gap_team": "比团队",
        "portrait.col.gap_req": "比要求",
        "portrait.col.months": "月数",
        "portrait.col.flag": "短板",
        "portrait.severity": "严重度",
        "portrait.cli.shortfalls": "关键短板：",
        "portrait.cli.no_shortfalls": "无关键短板。",
        "portrait.cli.signals": "信号：",
        "portrait.cli.no_signals": "无信号。",
        "portrait.cli.goals_saved": "面谈目标（已保存）：",
        "portrait.cli.goals_suggested": "面谈目标（建议，未保存）：",
    },
)
