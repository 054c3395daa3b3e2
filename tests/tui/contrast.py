"""Contrast of what the terminal shows: the app's rendered cells, as a 256- or 16-colour xterm would draw them.

The compositor's strips carry the colours Textual sends (after its filters: ANSI names made truecolour, dim blended
into the colour, NO_COLOR's greys). Rich downgrades them to the terminal's colour system on output exactly as
`downgrade` does here; the resulting colour numbers are then drawn with the standard xterm palette on a black
terminal (what a user reviewing over SSH measured), and each cell's contrast is the WCAG ratio of its two colours.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rich.cells import cell_len
from rich.color import Color, ColorSystem

XTERM16 = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
           (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255),
           (0, 255, 255), (255, 255, 255)]
DEFAULT_FG, DEFAULT_BG = XTERM16[7], XTERM16[0]
SYSTEMS = {"truecolor": ColorSystem.TRUECOLOR, "256": ColorSystem.EIGHT_BIT, "16": ColorSystem.STANDARD}


def xterm256(n: int) -> tuple[int, int, int]:
    if n < 16:
        return XTERM16[n]
    if n < 232:
        n -= 16
        levels = (0, 95, 135, 175, 215, 255)
        return levels[n // 36], levels[(n // 6) % 6], levels[n % 6]
    grey = 8 + 10 * (n - 232)
    return grey, grey, grey


def shown(color: Color | None, system: str, default: tuple[int, int, int]) -> tuple[int, int, int]:
    """The RGB a terminal with `system` colours draws for `color` (Rich's downgrade, then xterm's palette)."""
    if color is None or color.is_default:
        return default
    color = color.downgrade(SYSTEMS[system])
    if color.number is None:         # still truecolor
        return tuple(color.triplet)
    return xterm256(color.number)


def luminance(rgb) -> float:
    def channel(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def ratio(a, b) -> float:
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    char: str
    fg: tuple[int, int, int]
    bg: tuple[int, int, int]
    meta: tuple

    @property
    def ratio(self) -> float:
        return ratio(self.fg, self.bg)


def is_text(char: str) -> bool:
    """A character a person reads (not a rule, block, braille dot or blank)."""
    if not char.strip():
        return False
    code = ord(char)
    return not (0x2500 <= code <= 0x259F or 0x2800 <= code <= 0x28FF or unicodedata.category(char) == "Zs")


def screen_cells(app, system: str) -> list[Cell]:
    """Every character cell of the current screen with the colours a `system`-colour terminal shows it in."""
    cells = []
    for row, strip in enumerate(app.screen._compositor.render_strips()):
        col = 0
        for text, style, _control in strip:
            if style is None:
                fg, bg, reverse, dim, meta = DEFAULT_FG, DEFAULT_BG, False, False, ()
            else:
                fg = shown(style.color, system, DEFAULT_FG)
                bg = shown(style.bgcolor, system, DEFAULT_BG)
                reverse, dim = bool(style.reverse), bool(style.dim)
                meta = tuple(sorted((k, v) for k, v in style.meta.items() if isinstance(v, (int, str)))) \
                    if style._meta else ()
            if reverse:
                fg, bg = bg, fg
            if dim:  # what a terminal's faint does, about: half way to the background
                fg = tuple((f + b) // 2 for f, b in zip(fg, bg))
            for char in text:
                cells.append(Cell(row, col, char, fg, bg, meta))
                col += cell_len(char)
    return cells


def worst(cells: list[Cell]) -> tuple[float, str]:
    """The lowest contrast among the readable cells, and the text drawn in that pair of colours."""
    text = [c for c in cells if is_text(c.char)]
    if not text:
        return 99.0, ""
    low = min(text, key=lambda c: c.ratio)
    same = "".join(c.char for c in text if (c.fg, c.bg) == (low.fg, low.bg))
    return round(low.ratio, 2), same
