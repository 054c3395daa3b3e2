"""The effect report's chart, drawn by plotext into an ANSI string (no Textual: callable from a worker thread).

One goal per chart: the employee's monthly values (half blocks), the mean of the baseline window and of the latest
window since the plan started as flat segments over their months (braille, drawn on top), the target as a
horizontal rule and the start of the plan as a vertical one. Only ASCII goes into the drawing; the screen writes
the legend beside it. The plotext set-up (and the lock on its one global figure) is shared with the portrait charts.
"""
from __future__ import annotations

from hrtui.tui.widgets.plotting import LOCK, draw, label_ticks, month_ticks, start

VALUES = {"marker": "hd", "color": "red"}
WINDOWS = {"marker": "braille", "color": "blue"}
TARGET_COLOR = "green"
START_COLOR = "gray"


def effect_chart(months: list[str], values: list[float | None], baseline: float | None, baseline_months: list[str],
                 after: float | None, after_months: list[str], target: float | None, width: int, height: int) -> str:
    import plotext as plt

    xs = list(range(len(months)))
    present = [v for v in values if v is not None] + [v for v in (baseline, after, target) if v is not None]
    with LOCK:
        start(plt, width, height)
        if not present or not months:
            return ""
        if target is not None:
            plt.hline(target, TARGET_COLOR)
        if after_months and after_months[0] in months:
            plt.vline(months.index(after_months[0]) - 0.5, START_COLOR)      # the plan starts here
        draw(plt, xs, values, VALUES)
        for mean, span in ((baseline, baseline_months), (after, after_months)):
            idx = [months.index(m) for m in span if m in months]
            if mean is not None and idx:
                lo, hi = min(idx), max(idx)
                plt.plot([lo - 0.3, hi + 0.3] if lo == hi else [lo, hi], [mean, mean], **WINDOWS)
        lo, hi = min(present), max(present)
        pad = max((hi - lo) * 0.12, abs(hi) * 0.02, 0.3)
        plt.ylim(lo - pad, hi + pad)
        plt.xlim(-0.4, len(months) - 1 + max(0.6, len(months) * 0.1))
        ticks = month_ticks(plt, len(months), 1 if len(months) <= 8 else 2 if len(months) <= 16 else 3)
        chart = plt.build()
    return label_ticks(chart, [months[i][2:] for i in ticks])
