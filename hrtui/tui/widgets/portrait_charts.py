"""The portrait's charts, drawn by plotext into ANSI strings (no Textual here: callable from a worker thread).

plotext counts a CJK character as one cell, so nothing but ASCII goes into a drawing: spokes are numbered, months are
"YYYY-MM", and the screen puts the (bilingual) legend beside the chart. Series differ by marker as well as colour so
the charts still read in 16 colours and under NO_COLOR: the employee is drawn in half blocks, the team in braille dots,
the requirement as a plain rule. The plotext set-up they share with the effect chart is in `plotting`.
"""
from __future__ import annotations

import math

from hrtui.tui.widgets.plotting import LOCK, draw, label_ticks, month_ticks, start

RADAR_MAX = 1.6          # radii are clipped here (1.0 = the reference)

EMPLOYEE = {"marker": "hd", "color": "red"}
TEAM = {"marker": "braille", "color": "blue"}
REQUIREMENT = {"marker": "dot", "color": "green"}
SPOKE = {"marker": "braille", "color": "gray"}


def radar_radius(direction: str, value: float | None, reference: float | None) -> float | None:
    """Where a value sits on its spoke: 1.0 is the reference (team mean, else requirement); outwards is better.

    Higher-is-better: value / reference. Lower-is-better: reference / value (a complaint rate twice the team's sits
    at 0.5). Clipped to [0, RADAR_MAX]; None when either number is missing or the ratio has no meaning.
    """
    if value is None or reference is None or reference <= 0:
        return None
    if direction == "lower":
        r = RADAR_MAX if value <= 0 else reference / value
    else:
        r = value / reference
    return max(0.0, min(RADAR_MAX, r))


def radar_series(dimensions) -> dict[str, list[float | None]]:
    """The three polygons (employee, team, requirement) as radii per dimension, relative to the team mean — or, for
    a dimension without a team mean, to the requirement."""
    emp, team, req = [], [], []
    for d in dimensions:
        ref = d.team_mean if d.team_mean is not None else d.requirement
        emp.append(radar_radius(d.direction, d.value, ref))
        team.append(1.0 if d.team_mean is not None and d.team_mean > 0 else None)
        req.append(radar_radius(d.direction, d.requirement, ref) if d.requirement is not None else None)
    return {"employee": emp, "team": team, "requirement": req}


def radar(dimensions, width: int, height: int) -> str:
    """A gap radar of up to ~12 dimensions: spoke i (1-based, clockwise from the top) is dimensions[i-1]."""
    import plotext as plt

    series = radar_series(dimensions)
    n = len(dimensions)
    if n < 3:
        return ""
    angles = [math.pi / 2 - 2 * math.pi * i / n for i in range(n)]
    with LOCK:
        start(plt, width, height)
        for i, a in enumerate(angles):
            plt.plot([0, RADAR_MAX * math.cos(a)], [0, RADAR_MAX * math.sin(a)], **SPOKE)
        for key, style in (("team", TEAM), ("requirement", REQUIREMENT), ("employee", EMPLOYEE)):
            radii = series[key]
            xs, ys = [], []
            for r, a in zip(radii + radii[:1], angles + angles[:1]):
                xs.append(None if r is None else r * math.cos(a))
                ys.append(None if r is None else r * math.sin(a))
            draw(plt, xs, ys, style)
        for i, a in enumerate(angles):
            plt.text(str(i + 1), RADAR_MAX * 1.13 * math.cos(a), RADAR_MAX * 1.13 * math.sin(a), alignment="center")
        lim = RADAR_MAX * 1.25
        plt.xlim(-lim, lim)
        plt.ylim(-lim, lim)
        plt.xaxes(False, False)
        plt.yaxes(False, False)
        plt.xticks([])
        plt.yticks([])
        return plt.build()


def trend(months: list[str], values: list[float | None], team: list[float | None], requirement: float | None,
          width: int, height: int) -> str:
    """Monthly values of one dimension: the employee, the team mean, and the requirement as a rule."""
    import plotext as plt

    xs = list(range(len(months)))
    present = [v for v in values + team if v is not None] + ([requirement] if requirement is not None else [])
    with LOCK:
        start(plt, width, height)
        if not present:
            return ""
        draw(plt, xs, team, TEAM)
        if requirement is not None:
            plt.hline(requirement, REQUIREMENT["color"])
        draw(plt, xs, values, EMPLOYEE)
        lo, hi = min(present), max(present)
        pad = max((hi - lo) * 0.1, abs(hi) * 0.02, 0.5)
        plt.ylim(lo - pad, hi + pad)
        # Ticks every 3 months, ending at the latest; a right margin keeps the last label on the canvas.
        plt.xlim(-0.3, len(months) - 1 + max(0.6, len(months) * 0.12))
        ticks = month_ticks(plt, len(months), 3 if len(months) > 6 else 1)
        return label_ticks(plt.build(), [months[i] for i in ticks])
