"""Signals beside the scores (DESIGN §4): leave spike, mandatory training missed or overdue, project hours drop.

Each signal is a plain-language sentence linked to the months it touches. Monthly facts that are missing are gaps,
never zeros: a month without an attendance row says nothing about leave, and a month without project hours says
nothing about a drop (a project that ended is not a drop).

Windows, for "today" in month M: the **recent** months are the last 2 full months (M-2, M-1); the personal
**baseline** is the 6 full months before them (M-8 … M-3). A baseline needs at least `MIN_BASELINE_MONTHS` months
with data, otherwise no comparison is made.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass, field

from hrtui.config import Thresholds
from hrtui.domain.months import add_months, last_full_month, month_of
from hrtui.i18n import register, t
from hrtui.store.db import database

RECENT_MONTHS = 2
BASELINE_MONTHS = 6
MIN_BASELINE_MONTHS = 3


@dataclass
class Signal:
    kind: str                 # 'leave' | 'training' | 'project'
    months: list[str]         # the months the signal is about
    sentence: str
    data: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def signal_months(today: _dt.date) -> tuple[list[str], list[str]]:
    """(recent, baseline) month lists, oldest first."""
    end = last_full_month(today)
    recent = [add_months(end, -i) for i in range(RECENT_MONTHS - 1, -1, -1)]
    first_base = add_months(recent[0], -BASELINE_MONTHS)
    baseline = [add_months(first_base, i) for i in range(BASELINE_MONTHS)]
    return recent, baseline


def _span(months: list[str]) -> str:
    return months[0] if len(months) == 1 else f"{months[0]}–{months[-1]}"


def _num(x: float) -> str:
    return f"{x:.0f}" if abs(x - round(x)) < 0.05 else f"{x:.1f}"


# -- rules on plain data -------------------------------------------------------------------------------------------
def leave_signal(monthly: dict[str, float], recent: list[str], baseline: list[str], th: Thresholds,
                 lang: str) -> Signal | None:
    """Leave in the recent months ≥ `leave_ratio` × the personal baseline (per month) and ≥ `leave_min_days` days."""
    rec = [m for m in recent if m in monthly]
    base = [m for m in baseline if m in monthly]
    if not rec or len(base) < MIN_BASELINE_MONTHS:
        return None
    total = sum(monthly[m] for m in rec)
    rate = total / len(rec)
    base_rate = sum(monthly[m] for m in base) / len(base)
    if total < th.leave_min_days - 1e-9 or rate < th.leave_ratio * base_rate - 1e-9:
        return None
    ratio = rate / base_rate if base_rate > 0 else None
    per2 = base_rate * len(recent)
    if ratio is None:
        sentence = t("signal.leave_from_zero", lang, days=_num(total), span=_span(rec), n=len(base))
    else:
        sentence = t("signal.leave", lang, days=_num(total), span=_span(rec), base=_num(per2), k=len(recent),
                     n=len(base), ratio=f"{ratio:.1f}")
    return Signal("leave", rec, sentence, {"recent_days": total, "recent_months": rec, "baseline_months": base,
                                           "baseline_days_per_month": base_rate, "ratio": ratio})


def project_signal(monthly: dict[str, float], recent: list[str], baseline: list[str], th: Thresholds,
                   lang: str) -> Signal | None:
    """Project hours per month in the recent months down ≥ `project_drop_pct` % from the baseline months."""
    rec = [m for m in recent if m in monthly]
    base = [m for m in baseline if m in monthly]
    if not rec or len(base) < MIN_BASELINE_MONTHS:
        return None
    rate = sum(monthly[m] for m in rec) / len(rec)
    base_rate = sum(monthly[m] for m in base) / len(base)
    if base_rate <= 0:
        return None
    drop = (base_rate - rate) / base_rate * 100.0
    if drop < th.project_drop_pct - 1e-9:
        return None
    sentence = t("signal.project", lang, pct=f"{drop:.0f}", hours=_num(rate), span=_span(rec), base=_num(base_rate),
                 n=len(base))
    return Signal("project", rec, sentence, {"recent_hours_per_month": rate, "baseline_hours_per_month": base_rate,
                                             "drop_pct": drop, "recent_months": rec, "baseline_months": base})


def training_signals(records: list[tuple[str, str, str | None, str | None]], today: _dt.date, lookback: list[str],
                     lang: str) -> list[Signal]:
    """Mandatory courses not completed by their due date: (name_zh, name_en, due, completed) rows.

    Overdue (due date passed, not completed) always counts; a late completion counts when its due date falls in the
    lookback months (older history is not a signal any more).
    """
    out = []
    end = last_full_month(today)
    for name_zh, name_en, due, done in records:
        if not due:
            continue
        due_day = _dt.date.fromisoformat(due[:10])
        name = name_zh if lang == "zh" else name_en
        if done is None and due_day < today:
            first = month_of(due_day)
            months = _months_between(first, max(first, end))
            days = (today - due_day).days
            out.append(Signal("training", months, t("signal.training_overdue", lang, course=name, due=due[:10],
                                                    days=days),
                              {"course_zh": name_zh, "course_en": name_en, "due_date": due[:10], "completed_date": None,
                               "days_overdue": days}))
        elif done is not None and done[:10] > due[:10] and month_of(due_day) >= lookback[0]:
            months = _months_between(month_of(due_day), month_of(_dt.date.fromisoformat(done[:10])))
            late = (_dt.date.fromisoformat(done[:10]) - due_day).days
            out.append(Signal("training", months, t("signal.training_late", lang, course=name, due=due[:10],
                                                    done=done[:10], days=late),
                              {"course_zh": name_zh, "course_en": name_en, "due_date": due[:10],
                               "completed_date": done[:10], "days_late": late}))
    return out


def _months_between(first: str, last: str) -> list[str]:
    months, m = [], first
    while m <= last and len(months) < 36:
        months.append(m)
        m = add_months(m, 1)
    return months


# -- reading one employee's facts ------------------------------------------------------------------------------
def employee_signals(employee_id: str, today: _dt.date, th: Thresholds, lang: str) -> list[Signal]:
    recent, baseline = signal_months(today)
    first, last = baseline[0], recent[-1]
    leave = dict(database.execute_sql(
        "SELECT month, leave_days FROM attendance WHERE employee_id = ? AND month BETWEEN ? AND ?",
        (employee_id, first, last)).fetchall())
    hours = dict(database.execute_sql(
        "SELECT month, sum(hours) FROM assignment WHERE employee_id = ? AND month BETWEEN ? AND ? GROUP BY month",
        (employee_id, first, last)).fetchall())
    records = database.execute_sql(
        """SELECT c.name_zh, c.name_en, r.due_date, r.completed_date FROM training_record r
           JOIN training_course c ON c.id = r.course_id
           WHERE r.employee_id = ? AND c.mandatory = 1 ORDER BY r.due_date, c.code""", (employee_id,)).fetchall()
    out: list[Signal] = []
    sig = leave_signal(leave, recent, baseline, th, lang)
    if sig:
        out.append(sig)
    out.extend(training_signals(records, today, baseline + recent, lang))
    sig = project_signal(hours, recent, baseline, th, lang)
    if sig:
        out.append(sig)
    return out


register(
    {
        "signal.leave": "Leave: {days} days in {span}, vs a personal baseline of {base} days per {k} months"
                        " (the {n} months before; {ratio}×)",
        "signal.leave_from_zero": "Leave: {days} days in {span}, after no leave in the {n} months before",
        "signal.training_overdue": "Mandatory training \u201c{course}\u201d overdue: due {due}, not completed"
                                   " ({days} days late)",
        "signal.training_late": "Mandatory training \u201c{course}\u201d completed late: due {due}, done {done}"
                                " ({days} days late)",
        "signal.project": "Project hours down {pct}%: {hours} h a month in {span}, vs {base} h a month"
                          " in the {n} months before",
    },
    {
        "signal.leave": "请假：{span} 共 {days} 天，个人基线为每{k}个月 {base} 天（此前{n}个月；{ratio} 倍）",
        "signal.leave_from_zero": "请假：{span} 共 {days} 天，此前{n}个月未请假",
        "signal.training_overdue": "必修培训《{course}》已逾期：截止 {due}，尚未完成（逾期 {days} 天）",
        "signal.training_late": "必修培训《{course}》逾期完成：截止 {due}，完成于 {done}（晚 {days} 天）",
        "signal.project": "项目工时下降 {pct}%：{span} 月均 {hours} 小时，此前{n}个月月均 {base} 小时",
    },
)
