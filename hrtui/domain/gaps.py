"""Gap and key-shortfall rules (DESIGN §4), shared by the portrait and the needs-attention scan.

Inputs are plain numbers so the rules are testable without a database:

- `value`: the employee's mean over the window (months without data are left out, never counted as zero);
- the **team**: the other members of the department with data in the window, summarised as (n, sum, sum of
  squares) of their own window means — `TeamStats`. The department's totals minus the employee's own mean give
  "others only" in O(1), which is what lets the needs-attention scan handle 100k employees in SQL passes;
- the position's **requirement**.

Gaps are sign-normalised so that negative is worse: for a lower-is-better dimension (complaint rate) the gap is
reference − value. A **key shortfall** is flagged when the employee is worse than the team mean by at least
`team_gap_pct` % of it (for lower-is-better: at least `lower_ratio` × the team mean), or worse than the requirement
by at least `requirement_gap_pct` % of it. Percentages and ratios need a positive reference; a threshold reached
exactly counts (ties flag). **Severity** is the z-score in the team, sign-normalised so that larger is worse
(2.0 = two standard deviations worse than the teammates). Without a spread to measure against (fewer than two
teammates, or all teammates equal) severity falls back to the shortfall in units of its threshold (1.0 = exactly at
the threshold), and `severity_basis` says which one was used.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from hrtui.config import Thresholds
from hrtui.i18n import register, t

# Comparisons against thresholds tolerate float noise: the same numbers summed in another order must flag alike.
EPS = 1e-9
# Below this relative variance the teammates count as all equal (cancellation in sum-of-squares leaves ~1e-13).
_FLAT = 1e-10


@dataclass(frozen=True)
class TeamStats:
    """The teammates' window means: how many, their sum and their sum of squares."""

    n: int
    s1: float
    s2: float

    def without(self, value: float | None, included: bool = True) -> "TeamStats":
        """These statistics with one member (the employee) removed, when they were counted."""
        if not included or value is None:
            return self
        return TeamStats(self.n - 1, self.s1 - value, self.s2 - value * value)

    @property
    def mean(self) -> float | None:
        return self.s1 / self.n if self.n > 0 else None

    @property
    def sd(self) -> float | None:
        """Population standard deviation of the members' means (None for fewer than two members)."""
        if self.n < 2:
            return None
        mean = self.s1 / self.n
        var = self.s2 / self.n - mean * mean
        if var <= _FLAT * max(1.0, mean * mean):
            return 0.0
        return math.sqrt(var)


@dataclass
class Assessment:
    """One dimension of one employee, judged against the team and the requirement."""

    direction: str                       # 'higher' or 'lower' is better
    value: float | None
    team_mean: float | None = None
    team_sd: float | None = None
    team_size: int = 0                   # teammates with data in the window
    requirement: float | None = None
    gap_team: float | None = None        # sign-normalised: negative is worse
    gap_team_pct: float | None = None
    team_ratio: float | None = None      # value / team mean (how lower-is-better dimensions are judged)
    gap_requirement: float | None = None
    gap_requirement_pct: float | None = None
    z: float | None = None               # sign-normalised z-score in the team: negative is worse
    reasons: list[str] = field(default_factory=list)  # 'team' and/or 'requirement'
    severity: float | None = None
    severity_basis: str | None = None    # 'z' or 'threshold'

    @property
    def flagged(self) -> bool:
        return bool(self.reasons)


def _pct(gap: float, ref: float) -> float | None:
    return gap / ref * 100.0 if ref > 0 else None


def assess(direction: str, value: float | None, team: TeamStats | None, requirement: float | None,
           th: Thresholds) -> Assessment:
    """Apply the key-shortfall rules to one dimension. `team` holds the teammates only (the employee excluded)."""
    a = Assessment(direction=direction, value=value, requirement=requirement)
    if team is not None and team.n > 0:
        a.team_mean, a.team_sd, a.team_size = team.mean, team.sd, team.n
    if value is None:
        return a
    sign = -1.0 if direction == "lower" else 1.0
    units: list[float] = []  # each breached rule's shortfall in units of its threshold
    if a.team_mean is not None:
        a.gap_team = sign * (value - a.team_mean)
        a.gap_team_pct = _pct(a.gap_team, a.team_mean)
        if a.team_mean > 0:
            a.team_ratio = value / a.team_mean
        if direction == "lower":
            if a.team_ratio is not None:
                unit = (a.team_ratio - 1.0) / (th.lower_ratio - 1.0) if th.lower_ratio > 1 else math.inf
                units.append(unit)
                if a.team_ratio >= th.lower_ratio - EPS:
                    a.reasons.append("team")
        elif a.gap_team_pct is not None:
            units.append(-a.gap_team_pct / th.team_gap_pct if th.team_gap_pct > 0 else math.inf)
            if a.gap_team_pct <= -th.team_gap_pct + EPS:
                a.reasons.append("team")
        if a.team_sd:
            a.z = a.gap_team / a.team_sd
    if requirement is not None:
        a.gap_requirement = sign * (value - requirement)
        a.gap_requirement_pct = _pct(a.gap_requirement, requirement)
        if a.gap_requirement_pct is not None:
            units.append(-a.gap_requirement_pct / th.requirement_gap_pct if th.requirement_gap_pct > 0 else math.inf)
            if a.gap_requirement_pct <= -th.requirement_gap_pct + EPS:
                a.reasons.append("requirement")
    if a.z is not None:
        a.severity, a.severity_basis = -a.z, "z"
    elif units:
        a.severity, a.severity_basis = max(units), "threshold"
    return a


# -- numbers and sentences --------------------------------------------------------------------------------------
def decimals(scale_min: float, scale_max: float) -> int:
    """Narrow scales (a complaint rate of 0-20 %) need one decimal; scores of 0-100 read best as whole numbers."""
    return 1 if (scale_max - scale_min) <= 20 else 0


def fmt_value(value: float | None, unit: str, places: int) -> str:
    if value is None:
        return "—"
    text = f"{value:.{places}f}"
    return text + "%" if unit == "%" else text


def explain(name: str, unit: str, places: int, a: Assessment, lang: str, *, months_with_data: int,
            window_months: int, alone: bool) -> str | None:
    """The sentence that explains a key shortfall with its numbers, e.g. "客户满意度 60，团队均值 85，低 29%"."""
    if not a.flagged:
        return None
    v = fmt_value(a.value, unit, places)
    clauses = []
    if "team" in a.reasons:
        team = fmt_value(a.team_mean, unit, places)
        if a.direction == "lower":
            clauses.append(t("gap.team_lower", lang, team=team, ratio=f"{a.team_ratio:.1f}"))
        else:
            clauses.append(t("gap.team_higher", lang, team=team, pct=f"{-a.gap_team_pct:.0f}"))
    if "requirement" in a.reasons:
        req = fmt_value(a.requirement, unit, places)
        key = "gap.req_lower" if a.direction == "lower" else "gap.req_higher"
        clauses.append(t(key, lang, req=req, pct=f"{-a.gap_requirement_pct:.0f}"))
    text = t("gap.sentence", lang, dim=name, value=v, clauses=t("gap.join", lang).join(clauses))
    if alone:
        text += t("gap.alone_suffix", lang)
    if months_with_data < window_months:
        text += t("gap.partial_suffix", lang, n=months_with_data, of=window_months)
    return text


register(
    {
        "gap.sentence": "{dim} {value} vs {clauses}",
        "gap.join": " and ",
        "gap.team_higher": "team mean {team} ({pct}% lower)",
        "gap.team_lower": "team mean {team} ({ratio}× the team)",
        "gap.req_higher": "requirement {req} ({pct}% short)",
        "gap.req_lower": "requirement at most {req} ({pct}% over)",
        "gap.alone_suffix": " (no team mean: compared with the requirement only)",
        "gap.partial_suffix": " (data for {n} of {of} months)",
    },
    {
        "gap.sentence": "{dim} {value}，{clauses}",
        "gap.join": "；",
        "gap.team_higher": "团队均值 {team}，低 {pct}%",
        "gap.team_lower": "团队均值 {team}，是团队的 {ratio} 倍",
        "gap.req_higher": "岗位要求 {req}，低 {pct}%",
        "gap.req_lower": "岗位要求不高于 {req}，超出 {pct}%",
        "gap.alone_suffix": "（无团队均值，仅与岗位要求比较）",
        "gap.partial_suffix": "（近{of}个月中仅{n}个月有数据）",
    },
)
