"""What every plotext chart of the TUI does the same way (no Textual here: charts are drawn in worker threads).

plotext keeps one global figure, so a drawing holds `LOCK` from `start()` to `plt.build()`. Only ASCII goes into a
drawing (plotext counts a CJK character as one cell); the screens write the legends beside it.
"""
from __future__ import annotations

import re
import threading

LOCK = threading.Lock()
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def start(plt, width: int, height: int) -> None:
    """A clean figure of the given size, transparent on the terminal's own background."""
    plt.clf()
    plt.theme("clear")
    plt.plotsize(max(10, width), max(5, height))


def segments(xs: list[float], ys: list[float | None]) -> list[tuple[list[float], list[float]]]:
    """Split a series at its gaps (None): a missing month is a break in the line, never a zero."""
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


def draw(plt, xs, ys, style) -> None:
    """A series with gaps: a line per run of values, a single point where a run is one value long."""
    for sx, sy in segments(xs, ys):
        if len(sx) == 1:
            plt.scatter(sx, sy, **style)
        else:
            plt.plot(sx, sy, **style)


def month_ticks(plt, n: int, step: int) -> list[int]:
    """Unlabelled tick marks every `step` months, ending at the latest; `label_ticks` writes their labels."""
    ticks = list(range(n - 1, -1, -step))[::-1]
    plt.xticks(ticks, [" "] * len(ticks))
    return ticks


def label_ticks(chart: str, labels: list[str]) -> str:
    """Write the x labels under the tick marks ourselves: plotext's own placement of crowded labels depends on the
    interpreter's hash seed, so the same data would not always draw the same (and snapshots would flicker)."""
    lines = chart.split("\n")
    frame = next((i for i in range(len(lines) - 1, -1, -1) if "└" in _ANSI.sub("", lines[i])), None)
    if frame is None or frame + 1 >= len(lines):
        return chart
    plain = _ANSI.sub("", lines[frame])
    cols = [i for i, ch in enumerate(plain) if ch in "┬┼"]
    width = len(_ANSI.sub("", lines[frame + 1])) or len(plain)
    row = [" "] * width
    free = 0  # first column a label may use (one blank between labels)
    for col, label in zip(cols, labels):
        left = max(free, min(col - len(label) // 2, width - len(label)))
        if left + len(label) > width:
            break
        row[left:left + len(label)] = label
        free = left + len(label) + 1
    lines[frame + 1] = "".join(row)
    return "\n".join(lines)
