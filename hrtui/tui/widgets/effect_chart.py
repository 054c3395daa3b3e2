"""The effect report's chart, drawn by plotext into an ANSI string (no Textual: callable from a worker thread).

One goal per chart: the employee's monthly values (half blocks), the mean of the baseline window and of the latest
window since the plan started as flat segments over their months (braille, drawn on top), the target as a
horizontal rule and the start of the plan as a vertical one. Only ASCII
goes into the drawing (plotext counts a CJK character as one cell); the screen writes the legend beside it.
plotext keeps one global figure, so drawings are serialised by the portrait charts' lock.
"""
from __future__ import annotations

import re
import threading

VALUES = {"marker": "hd", "color": "red"}
WINDOWS = {"marker": "braille", "color": "blue"}
TARGET_COLOR = "green"
START_COLOR = "gray"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


_OWN_LOCK = threading.Lock()


def _lock() -> threading.Lock:
    """plotext has one global figure: share the portrait charts' lock when it is there."""
    from hrtui.tui.widgets import portrait_charts

    return getattr(portrait_charts, "_LOCK", _OWN_LOCK)


def _segments(xs, ys):
    out, cx, cy = [], [], []
    for x, y in zip(xs, ys):
        if y is None:
            if cx:
                out.append((cx, cy))
            cx, cy = [], []
        else:
            cx.append(x)
            cy.append(y)
    if cx:
        out.append((cx, cy))
    return out


def effect_chart(months: list[str], values: list[float | None], baseline: float | None, baseline_months: list[str],
                 after: float | None, after_months: list[str], target: float | None, width: int, height: int) -> str:
    import plotext as plt

    xs = list(range(len(months)))
    present = [v for v in values if v is not None] + [v for v in (baseline, after, target) if v is not None]
    with _lock():
        plt.clf()
        plt.theme("clear")
        plt.plotsize(max(10, width), max(5, height))
        if not present or not months:
            return ""
        if target is not None:
            plt.hline(target, TARGET_COLOR)
        if after_months and after_months[0] in months:
            plt.vline(months.index(after_months[0]) - 0.5, START_COLOR)      # the plan starts here
        for sx, sy in _segments(xs, values):
            if len(sx) == 1:
                plt.scatter(sx, sy, **VALUES)
            else:
                plt.plot(sx, sy, **VALUES)
        for mean, span in ((baseline, baseline_months), (after, after_months)):
            idx = [months.index(m) for m in span if m in months]
            if mean is not None and idx:
                lo, hi = min(idx), max(idx)
                plt.plot([lo - 0.3, hi + 0.3] if lo == hi else [lo, hi], [mean, mean], **WINDOWS)
        lo, hi = min(present), max(present)
        pad = max((hi - lo) * 0.12, abs(hi) * 0.02, 0.3)
        plt.ylim(lo - pad, hi + pad)
        plt.xlim(-0.4, len(months) - 1 + max(0.6, len(months) * 0.1))
        step = 1 if len(months) <= 8 else 2 if len(months) <= 16 else 3
        ticks = list(range(len(months) - 1, -1, -step))[::-1]
        plt.xticks(ticks, [" "] * len(ticks))
        chart = plt.build()
    return _label_ticks(chart, [months[i][2:] for i in ticks])


def _label_ticks(chart: str, labels: list[str]) -> str:
    """Labels under the tick marks, placed by us (plotext's placement of crowded labels is not stable)."""
    lines = chart.split("\n")
    frame = next((i for i in range(len(lines) - 1, -1, -1) if "└" in _ANSI.sub("", lines[i])), None)
    if frame is None or frame + 1 >= len(lines):
        return chart
    plain = _ANSI.sub("", lines[frame])
    cols = [i for i, ch in enumerate(plain) if ch in "┬┼"]
    width = len(_ANSI.sub("", lines[frame + 1])) or len(plain)
    row = [" "] * width
    free = 0
    for col, label in zip(cols, labels):
        start = max(free, min(col - len(label) // 2, width - len(label)))
        if start + len(label) > width:
            break
        row[start:start + len(label)] = label
        free = start + len(label) + 1
    lines[frame + 1] = "".join(row)
    return "\n".join(lines)
