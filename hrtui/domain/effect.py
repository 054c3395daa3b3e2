"""The improvement-effect report (issue 5): did the plan work?

Per goal it compares the **baseline** — the employee's value over the window the plan was drafted on (kept with the
goal) — with the **latest window since the plan started**: the last 3 full months (settings [thresholds]
window_months) that begin on or after the start date, up to the last full month before the report date (for a
closed plan, before the day it was closed). Months without data are left out of the means, never counted as zero.

Verdict per goal:
- **met**: the latest value reaches the target (at or above it; at or below it for a lower-is-better dimension such
  as the complaint rate — 20 % → 5 % against a −50 % target of 10 % is met);
- else **improved** / **worse**: the change in the good / bad direction is at least `improve_pct` % of the baseline
  (settings [plans], default 5);
- else **unchanged**;
- **no data** when no month since the start has a value yet.
The plan is **effective** when every goal is met.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass, field

from hrtui.access import audit
from hrtui.access.actor import Actor
from hrtui.access.policy import require
from hrtui.domain.months import add_months, last_full_month, month_of
from hrtui.errors import UserError
from hrtui.i18n import bilingual, register, t
from hrtui.store.db import database

VERDICTS = ("met", "improved", "unchanged", "worse", "no_data")


@dataclass
class GoalEffect:
    goal_id: str
    code: str
    name_zh: str
    name_en: str
    unit: str
    direction: str
    places: int
    scale_min: float
    scale_max: float
    baseline: float | None
    baseline_months: list[str]
    after: float | None
    after_months: list[str]          # the window since the start (months with and without data)
    after_months_with_data: int
    target: float | None
    target_kind: str
    target_pct: float | None
    change: float | None             # after − baseline, raw units
    change_pct: float | None         # relative to the baseline, raw sign (a falling rate is negative)
    verdict: str
    monthly: list[tuple[str, float | None]] = field(default_factory=list)  # baseline start .. last month

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en

    def fmt(self, value: float | None) -> str:
        from hrtui.domain.gaps import fmt_value

        return fmt_value(value, self.unit, self.places)


@dataclass
class EffectReport:
    plan_id: str
    number: str
    name_zh: str
    name_en: str
    department_code: str | None
    state: str
    outcome: str | None
    start_date: str | None
    deadline: str | None
    as_of: str
    goals: list[GoalEffect]

    def name(self, lang: str) -> str:
        return bilingual(lang, self.name_zh, self.name_en)

    @property
    def met(self) -> int:
        return sum(1 for g in self.goals if g.verdict == "met")

    @property
    def effective(self) -> bool:
        return bool(self.goals) and all(g.verdict == "met" for g in self.goals)

    @property
    def measurable(self) -> bool:
        return bool(self.goals) and all(g.verdict != "no_data" for g in self.goals)

    def summary(self, lang: str) -> str:
        if self.effective:
            return t("effect.effective", lang, n=len(self.goals))
        if not self.measurable:
            return t("effect.not_measurable", lang, start=self.start_date or "—")
        return t("effect.not_effective", lang, met=self.met, n=len(self.goals))

    def to_dict(self) -> dict:
        out = asdict(self)
        out["effective"], out["measurable"], out["goals_met"] = self.effective, self.measurable, self.met
        for g in out["goals"]:
            g["monthly"] = [{"month": m, "value": v} for m, v in g["monthly"]]
        return out


def first_month_after(start: _dt.date) -> str:
    """The first month that lies wholly within the plan: the start month when it starts on the 1st."""
    return month_of(start) if start.day == 1 else add_months(month_of(start), 1)


def after_window(start: _dt.date, as_of: _dt.date, months: int) -> list[str]:
    first, last = first_month_after(start), last_full_month(as_of)
    if first > last:
        return []
    span = [first]
    while span[-1] < last:
        span.append(add_months(span[-1], 1))
    return span[-months:]


def verdict(direction: str, baseline: float | None, after: float | None, target: float | None,
            improve_pct: float) -> tuple[str, float | None, float | None]:
    """(verdict, change, change %) of one goal; see the module's rules."""
    if after is None:
        return "no_data", None, None
    met = target is not None and (after <= target + 1e-9 if direction == "lower" else after >= target - 1e-9)
    if baseline is None:
        return ("met" if met else "no_data"), None, None
    change = after - baseline
    pct = change / abs(baseline) * 100.0 if baseline else None
    if met:
        return "met", change, pct
    sign = -1.0 if direction == "lower" else 1.0
    good = sign * (pct if pct is not None else (change and (100.0 if change > 0 else -100.0)))
    if good >= improve_pct - 1e-9:
        return "improved", change, pct
    if good <= -improve_pct + 1e-9:
        return "worse", change, pct
    return "unchanged", change, pct


def evaluate(plan, today: _dt.date, *, window_months: int | None = None, improve_pct: float | None = None) -> EffectReport:
    """The effect of a loaded plan (hrtui.domain.plans.Plan) as of `today` (a closed plan: as of its closing day)."""
    from hrtui.config import load_plan_settings, load_settings

    if window_months is None:
        window_months = load_settings().thresholds.window_months
    if improve_pct is None:
        improve_pct = load_plan_settings().improve_pct
    as_of = _dt.date.fromisoformat(plan.closed_on) if plan.state == "closed" and plan.closed_on else today
    start = _dt.date.fromisoformat(plan.start_date) if plan.start_date else None
    after_months = after_window(start, as_of, window_months) if start else []
    last = last_full_month(as_of)
    goals = []
    for g in plan.goals:
        rows = dict(database.execute_sql(
            "SELECT month, value FROM score WHERE employee_id = ? AND dimension_id = ? AND month BETWEEN ? AND ?",
            (plan.employee_id, g.dimension_id, g.baseline_from, max(last, g.baseline_to))).fetchall())
        baseline = g.baseline
        if baseline is None:
            vals = [v for m, v in rows.items() if g.baseline_from <= m <= g.baseline_to]
            baseline = sum(vals) / len(vals) if vals else None
        after_vals = [rows[m] for m in after_months if rows.get(m) is not None]
        after = sum(after_vals) / len(after_vals) if after_vals else None
        v, change, pct = verdict(g.direction, baseline, after, g.target, improve_pct)
        span = [g.baseline_from]
        while span[-1] < max(last, g.baseline_to):
            span.append(add_months(span[-1], 1))
        goals.append(GoalEffect(
            goal_id=g.id, code=g.code, name_zh=g.name_zh, name_en=g.name_en, unit=g.unit, direction=g.direction,
            places=g.places, scale_min=g.scale_min, scale_max=g.scale_max, baseline=baseline,
            baseline_months=[m for m in span if g.baseline_from <= m <= g.baseline_to], after=after,
            after_months=after_months, after_months_with_data=len(after_vals), target=g.target,
            target_kind=g.target_kind, target_pct=g.target_pct, change=change, change_pct=pct, verdict=v,
            monthly=[(m, rows.get(m)) for m in span]))
    return EffectReport(plan.id, plan.number, plan.name_zh, plan.name_en, plan.department_code, plan.state,
                        plan.outcome, plan.start_date, plan.deadline, as_of.isoformat(), goals)


def report(actor: Actor, key: str, lang: str = "en", today: _dt.date | None = None, *,
           plan_id: str | None = None) -> EffectReport:
    """The effect report of the employee's plan (the open one, else the latest closed); audited as a read."""
    from hrtui.domain import plans

    require(actor, "read", "plans")
    pid = plan_id or plans.require_plan_of(actor, key, lang)
    plan = plans.load(actor, pid, audit_read=False, lang=lang)
    if plan.state == "draft":
        raise UserError(t("effect.draft", lang, employee=plan.number))
    result = evaluate(plan, today or plans.org_today())
    audit.record(actor, "effect.read", plan.id)
    return result


# -- text, markdown --------------------------------------------------------------------------------------------------
def span_text(months: list[str]) -> str:
    if not months:
        return "—"
    if len(months) == 1:
        return months[0]
    last = months[-1][5:] if months[0][:4] == months[-1][:4] else months[-1]
    return f"{months[0]}..{last}"


def fmt_pct(x: float | None) -> str:
    if x is None:
        return "—"
    return "0%" if round(x) == 0 else f"{x:+.0f}%".replace("-", "−")


def bar(value: float | None, lo: float, hi: float, width: int) -> str:
    """A horizontal bar of `value` on the scale lo..hi, in eighths of a cell."""
    if value is None or hi <= lo:
        return ""
    frac = min(1.0, max(0.0, (value - lo) / (hi - lo)))
    eighths = round(frac * width * 8)
    full, rest = divmod(eighths, 8)
    return "█" * full + (" ▏▎▍▌▋▊▉"[rest] if rest else "")


def _chart_scale(g: GoalEffect) -> tuple[float, float]:
    values = [v for v in (g.baseline, g.after, g.target) if v is not None]
    hi = max(values) * 1.15 if values else g.scale_max
    return 0.0 if g.scale_min >= 0 else g.scale_min, max(hi, 1e-9)


def chart_lines(g: GoalEffect, lang: str, width: int = 28) -> list[str]:
    """before / after / target as bars on one scale (text: CJK labels padded by terminal cells)."""
    from rich.cells import set_cell_size

    lo, hi = _chart_scale(g)
    rows = [(t("effect.before", lang), span_text(g.baseline_months), g.baseline),
            (t("effect.after", lang), span_text(g.after_months), g.after),
            (t("effect.target", lang), fmt_pct(g.target_pct) if g.target_kind == "pct" else t(f"plan.kind.{g.target_kind}", lang), g.target)]
    out = []
    for label, when, value in rows:
        out.append(f"  {set_cell_size(label, 6)} {set_cell_size(when, 16)} {set_cell_size(bar(value, lo, hi, width), width)}"
                   f" {g.fmt(value)}")
    return out


def to_text(r: EffectReport, lang: str) -> str:
    state = t(f"plan.outcome.{r.outcome}", lang) if r.state == "closed" else t(f"plan.state.{r.state}", lang)
    other = r.name_en if lang == "zh" else r.name_zh
    who = f"{r.number} {r.name(lang)} {other}".rstrip() + f" · {r.department_code or '—'} · {state}"
    lines = [t("effect.heading", lang, title=t("effect.title", lang), who=who),
             t("effect.period", lang, start=r.start_date or "—", deadline=r.deadline or "—", as_of=r.as_of), ""]
    for g in r.goals:
        direction = t("effect.lower_better" if g.direction == "lower" else "effect.higher_better", lang)
        lines.append(t("effect.goal_line", lang, name=g.name(lang), direction=direction))
        lines.extend(chart_lines(g, lang))
        lines.append("  " + t("effect.change_line", lang, change=fmt_pct(g.change_pct),
                              verdict=t(f"effect.verdict.{g.verdict}", lang)))
        lines.append("")
    lines.append(t("effect.verdict_line", lang, summary=r.summary(lang)))
    return "\n".join(lines)


def to_markdown(r: EffectReport, lang: str) -> str:
    state = t(f"plan.outcome.{r.outcome}", lang) if r.state == "closed" else t(f"plan.state.{r.state}", lang)
    out = ["# " + t("effect.heading", lang, title=t("effect.title", lang), who=f"{r.name(lang)} ({r.number})"), "",
           "- " + t("effect.md.state_line", lang, state=state),
           f"- {t('effect.period', lang, start=r.start_date or '—', deadline=r.deadline or '—', as_of=r.as_of)}", "",
           f"| {t('effect.md.goal', lang)} | {t('effect.md.before', lang)} | {t('effect.md.after', lang)} | "
           f"{t('effect.md.target', lang)} | {t('effect.md.change', lang)} | {t('effect.md.verdict', lang)} |",
           "|---|---:|---:|---:|---:|---|"]
    for g in r.goals:
        out.append(f"| {g.name(lang)} | {g.fmt(g.baseline)} ({span_text(g.baseline_months)}) | {g.fmt(g.after)} "
                   f"({span_text(g.after_months)}) | {g.fmt(g.target)} | {fmt_pct(g.change_pct)} | "
                   f"**{t(f'effect.verdict.{g.verdict}', lang)}** |")
    out += ["", "```"]
    for g in r.goals:
        out.append(g.name(lang))
        out.extend(chart_lines(g, lang))
    out += ["```", "", t("effect.md.verdict_line", lang, summary=r.summary(lang)), ""]
    return "\n".join(out)


register(
    {
        "effect.title": "Improvement effect",
        "effect.period": "plan started {start} · deadline {deadline} · as of {as_of}",
        "effect.before": "before", "effect.after": "after", "effect.target": "target",
        "effect.lower_better": "lower is better", "effect.higher_better": "higher is better",
        "effect.change_line": "change {change} → {verdict}",
        "effect.verdict": "Verdict",
        "effect.verdict.met": "met", "effect.verdict.improved": "improved", "effect.verdict.unchanged": "unchanged",
        "effect.verdict.worse": "worse", "effect.verdict.no_data": "no data yet",
        "effect.effective": "effective — every goal met ({n} of {n})",
        "effect.not_effective": "not effective — {met} of {n} goals met",
        "effect.not_measurable": "not measurable yet — no full month of data since the plan started ({start})",
        "effect.draft": "the plan of {employee} is still a draft: it has no effect to report until it is activated",
        "effect.md.state": "State", "effect.md.goal": "Goal", "effect.md.change": "Change",
        "effect.md.verdict": "Verdict", "effect.md.before": "Before", "effect.md.after": "After",
        "effect.md.target": "Target",
        "effect.heading": "{title}: {who}", "effect.goal_line": "{name} ({direction})",
        "effect.verdict_line": "Verdict: {summary}", "effect.md.verdict_line": "**Verdict:** {summary}",
        "effect.md.state_line": "State: {state}",
    },
    {
        "effect.title": "改进效果",
        "effect.period": "计划开始 {start} · 截止 {deadline} · 统计至 {as_of}",
        "effect.before": "改进前", "effect.after": "改进后", "effect.target": "目标",
        "effect.lower_better": "越低越好", "effect.higher_better": "越高越好",
        "effect.change_line": "变化 {change} → {verdict}",
        "effect.verdict": "结论",
        "effect.verdict.met": "达成", "effect.verdict.improved": "有改善", "effect.verdict.unchanged": "无变化",
        "effect.verdict.worse": "变差", "effect.verdict.no_data": "暂无数据",
        "effect.effective": "有效——全部目标达成（{n}/{n}）",
        "effect.not_effective": "尚未有效——{n} 个目标中达成 {met} 个",
        "effect.not_measurable": "暂不能评估——计划开始（{start}）以来还没有完整月份的数据",
        "effect.draft": "{employee} 的计划仍是草稿：启动后才有改进效果",
        "effect.md.state": "状态", "effect.md.goal": "维度", "effect.md.change": "变化",
        "effect.md.verdict": "结论", "effect.md.before": "改进前", "effect.md.after": "改进后",
        "effect.md.target": "目标",
        "effect.heading": "{title}：{who}", "effect.goal_line": "{name}（{direction}）",
        "effect.verdict_line": "结论：{summary}", "effect.md.verdict_line": "**结论：**{summary}",
        "effect.md.state_line": "状态：{state}",
    },
)
