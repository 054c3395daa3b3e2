"""What the interview's prompts may say about one employee: facts taken from their portrait, in both languages.

A script entry that states something about the employee needs facts (its ``when`` list and its ``{placeholders}``,
see `hrtui.domain.scripts_library`); this module builds them from the portrait (`hrtui.domain.portrait.portrait`),
so every figure a prompt says is the figure the portrait shows, formatted the same way. A fact exists only when it
is true for the employee — no strengths, no ``strengths``; no leave signal, no ``leave.days`` — so a prompt that
needs it is left out rather than said falsely.

Facts (``CODE`` is a dimension code, e.g. ``CSAT``, ``COMPLAINT``; ``top`` is the most severe key shortfall):

- ``strengths``: up to 3 dimensions where the employee does better than the team mean and that are no key
  shortfall, furthest ahead first — those the portrait shows at "+1%" or more against the team;
- ``shortfalls``, ``team_shortfalls``, ``requirement_shortfalls``: up to 3 key shortfalls, most severe first (all of
  them; those flagged against the team mean; those flagged against the requirement);
- ``CODE.name``; ``CODE.value``, ``CODE.team``, ``CODE.requirement`` (as the portrait prints them) when they exist;
  ``CODE.ratio`` (value ÷ team mean, one decimal, as in the shortfall sentence) when the team mean is positive;
  ``CODE.shortfall``, ``CODE.team_shortfall``, ``CODE.requirement_shortfall`` (the dimension's name) when it is a
  key shortfall (against either, the team, the requirement); ``CODE.since``: the first month of the run of months,
  ending with the latest one, in which the employee did worse than the team mean every month;
- ``top.<field>``: the same fields for the most severe key shortfall;
- ``leave.days``, ``leave.months``, ``leave.ratio`` (the leave signal's days, months and multiple of the baseline);
- ``training.overdue``, ``training.due``, ``training.days_overdue`` (the first mandatory course overdue and not
  completed);
- ``project.hours``, ``project.baseline``, ``project.drop_pct``, ``project.months`` (the project-hours signal).
"""
from __future__ import annotations

from hrtui.access.actor import Actor
from hrtui.domain.goals import _in_sentence
from hrtui.domain.portrait import DimensionPortrait, Portrait, portrait
from hrtui.domain.signals import _num, _span  # the signal sentences' own formats
from hrtui.errors import UserError

MAX_NAMED = 3
DIMENSION_FIELDS = ("name", "value", "team", "requirement", "ratio", "shortfall", "team_shortfall",
                    "requirement_shortfall", "since")
GENERAL = ("strengths", "shortfalls", "team_shortfalls", "requirement_shortfalls",
           "leave.days", "leave.months", "leave.ratio",
           "training.overdue", "training.due", "training.days_overdue",
           "project.hours", "project.baseline", "project.drop_pct", "project.months")

Facts = dict[str, dict[str, str]]


def _both(text: str) -> dict[str, str]:
    return {"zh": text, "en": text}


def _names(dims: list[DimensionPortrait]) -> dict[str, str] | None:
    """'客户满意度、工作质量和学习成长' / 'customer satisfaction, work quality and learning'."""
    if not dims:
        return None
    zh = [d.name_zh for d in dims[:MAX_NAMED]]
    en = [_in_sentence(d.name_en) for d in dims[:MAX_NAMED]]
    if len(zh) == 1:
        return {"zh": zh[0], "en": en[0]}
    return {"zh": "、".join(zh[:-1]) + "和" + zh[-1], "en": ", ".join(en[:-1]) + " and " + en[-1]}


def _worse_since(d: DimensionPortrait, months: list[str]) -> str | None:
    """The first month of the run, ending with the latest trend month, in which the employee did worse than the
    team mean every month (both known); None when the latest month is not worse or lacks data."""
    sign = -1.0 if d.direction == "lower" else 1.0
    since = None
    for month, mine, team in reversed(list(zip(months, d.trend, d.team_trend))):
        if mine is None or team is None or sign * (mine - team) >= 0:
            break
        since = month
    return since


def _strength(d: DimensionPortrait) -> bool:
    """Better than the team mean by at least what the portrait prints as +1% (its column rounds to whole %)."""
    return not d.flagged and d.gap_team_pct is not None and round(d.gap_team_pct) >= 1


def _dimension_facts(d: DimensionPortrait, months: list[str]) -> dict[str, dict[str, str]]:
    name = {"zh": d.name_zh, "en": _in_sentence(d.name_en)}
    out = {"name": name}
    if d.value is not None:
        out["value"] = _both(d.fmt(d.value))
    if d.team_mean is not None:
        out["team"] = _both(d.fmt(d.team_mean))
    if d.requirement is not None:
        out["requirement"] = _both(d.fmt(d.requirement))
    if d.team_ratio is not None:
        out["ratio"] = _both(f"{d.team_ratio:.1f}")
    if d.flagged:
        out["shortfall"] = name
    if "team" in d.reasons:
        out["team_shortfall"] = name
    if "requirement" in d.reasons:
        out["requirement_shortfall"] = name
    since = _worse_since(d, months)
    if since:
        out["since"] = _both(since)
    return out


def facts_of(p: Portrait) -> Facts:
    """The facts of the employee of portrait `p`, both languages (`p.lang` does not matter)."""
    facts: Facts = {}
    for d in p.dimensions:
        for field, value in _dimension_facts(d, p.trend_months).items():
            facts[f"{d.code}.{field}"] = value
    shortfalls = p.shortfalls
    if shortfalls:
        for field, value in _dimension_facts(shortfalls[0], p.trend_months).items():
            facts[f"top.{field}"] = value
    strengths = sorted((d for d in p.dimensions if _strength(d)), key=lambda d: -d.gap_team_pct)
    for name, dims in (("strengths", strengths), ("shortfalls", shortfalls),
                       ("team_shortfalls", [d for d in shortfalls if "team" in d.reasons]),
                       ("requirement_shortfalls", [d for d in shortfalls if "requirement" in d.reasons])):
        names = _names(dims)
        if names:
            facts[name] = names
    for s in p.signals:
        data = s.data
        if s.kind == "leave" and "leave.days" not in facts:
            facts["leave.days"] = _both(_num(data["recent_days"]))
            facts["leave.months"] = _both(_span(data["recent_months"]))
            if data.get("ratio") is not None:
                facts["leave.ratio"] = _both(f"{data['ratio']:.1f}")
        elif s.kind == "training" and data.get("completed_date") is None and "training.overdue" not in facts:
            facts["training.overdue"] = {"zh": data["course_zh"], "en": data["course_en"]}
            facts["training.due"] = _both(data["due_date"])
            facts["training.days_overdue"] = _both(str(data["days_overdue"]))
        elif s.kind == "project" and "project.hours" not in facts:
            facts["project.hours"] = _both(_num(data["recent_hours_per_month"]))
            facts["project.baseline"] = _both(_num(data["baseline_hours_per_month"]))
            facts["project.drop_pct"] = _both(f"{data['drop_pct']:.0f}")
            facts["project.months"] = _both(_span(data["recent_months"]))
    return facts


def employee_facts(actor: Actor, key: str) -> Facts:
    """The facts of employee `key` (number or exact name) from their portrait as `actor` may read it; none when the
    actor may not read it (then only the general prompts are offered)."""
    try:
        return facts_of(portrait(actor, key, "en"))
    except UserError:
        return {}


def unknown_names(names, dimension_codes) -> list[str]:
    """The fact names that no employee can ever have (typos): an entry needing one would never be offered."""
    codes = set(dimension_codes) | {"top"}
    out = []
    for name in names:
        code, _, field = name.rpartition(".")
        if name in GENERAL or (code in codes and field in DIMENSION_FIELDS):
            continue
        out.append(name)
    return out
