"""Contrast of the rendered screens at 80×24 in every shipped theme, on 256 and 16 colours and with NO_COLOR.

A review over SSH (tmux, standard xterm palette, black terminal) found the inbox's and the checklist's cursor line
unreadable (orange or green on the cursor's blue, yellow, grey: 1.0–1.7:1), the portrait's one flagged row the dimmest
on the screen with NO_COLOR (1.85:1) and yellow on white on a 16-colour terminal (1.7:1). These read the screen the way
that terminal draws it (`tests.tui.contrast`): the cursor line and the flagged row must reach 4.5:1, every other piece
of text 3:1. The terminal's kind is set through TERM, as over SSH: xterm-256color, or xterm for 16 colours.
"""
from __future__ import annotations

import pytest

from tests.tui.conftest import settle
from tests.tui.contrast import Cell, is_text, screen_cells
from tests.tui.test_plan_tui import open_list

SIZE = (80, 24)
MAIN, SECONDARY = 4.5, 3.0
THEMES = ("hrtui-dark", "hrtui-light", "hrtui-high-contrast", "hrtui-mono")
TERMS = {"256": "xterm-256color", "16": "xterm"}
CASES = [pytest.param(theme, colours, False, id=f"{theme.removeprefix('hrtui-')}-{colours}")
         for theme in THEMES for colours in TERMS]
CASES += [pytest.param("hrtui-mono", colours, True, id=f"NO_COLOR-{colours}") for colours in TERMS]


@pytest.fixture
def terminal(monkeypatch):
    def set_up(colours: str, no_color: bool) -> None:
        monkeypatch.setenv("TERM", TERMS[colours])
        monkeypatch.delenv("COLORTERM", raising=False)
        if no_color:
            monkeypatch.setenv("NO_COLOR", "1")
    return set_up


async def deep_settle(app, pilot, rounds: int = 4):
    for _ in range(rounds):
        await settle(app, pilot)


def low(cells: list[Cell], floor: float) -> list[str]:
    """`ratio:text` for each pair of colours under `floor`, the text being what is drawn in it."""
    pairs: dict[tuple, list[Cell]] = {}
    for c in cells:
        if is_text(c.char) and c.ratio < floor:
            pairs.setdefault((c.fg, c.bg), []).append(c)
    return [f"{same[0].ratio:.2f}:{''.join(c.char for c in same)[:40]}" for same in pairs.values()]


def check(cells: list[Cell], target: list[Cell], what: str) -> None:
    assert [c for c in target if is_text(c.char)], f"no {what} found on the screen"
    assert not low(target, MAIN), f"{what} under {MAIN}:1: {low(target, MAIN)}"
    assert not low(cells, SECONDARY), f"text under {SECONDARY}:1: {low(cells, SECONDARY)}"


def cursor_line(app, cells: list[Cell]) -> list[Cell]:
    """The cells of the list's highlighted option (each option's cells carry its index)."""
    olist = app.screen.focused
    line = [c for c in cells if ("option", olist.highlighted) in c.meta]
    others = [c for c in cells if c not in line and dict(c.meta).get("option") is not None]
    # the cursor keeps its emphasis: its background is not the other lines'
    assert others and {c.bg for c in line}.isdisjoint({c.bg for c in others}), "the cursor line does not stand out"
    return line


def app_for(make_app, terminal, theme, colours, no_color):
    """hr.sales in Chinese (the review's account), on that terminal; with NO_COLOR the theme is the app's choice."""
    terminal(colours, no_color)
    return make_app("hr.sales", lang="zh", theme=None if no_color else theme)


@pytest.mark.parametrize("theme, colours, no_color", CASES)
async def test_inbox_cursor_line_reads(make_app, terminal, theme, colours, no_color):
    app = app_for(make_app, terminal, theme, colours, no_color)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.theme == theme
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        screen = app.screen
        assert type(screen).__name__ == "InboxScreen" and screen.entries[0].read_at is None  # its date is on the cursor
        assert any(e.done_on for e in screen.entries)
        cells = screen_cells(app, colours)
        check(cells, cursor_line(app, cells), "the cursor line")


@pytest.mark.parametrize("theme, colours, no_color", CASES)
async def test_checklist_cursor_line_reads(make_app, terminal, theme, colours, no_color):
    app = app_for(make_app, terminal, theme, colours, no_color)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot)
        await pilot.press("down", "c")
        await settle(app, pilot)
        screen = app.screen
        assert type(screen).__name__ == "ChecklistScreen"
        assert screen._current() is not None and screen._current().done     # the cursor on a ticked item: [✓]
        cells = screen_cells(app, colours)
        check(cells, cursor_line(app, cells), "the cursor line")


@pytest.mark.parametrize("theme, colours, no_color", CASES)
async def test_portrait_flagged_row_reads(make_app, stories, terminal, theme, colours, no_color):
    app = app_for(make_app, terminal, theme, colours, no_color)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_employee(stories["csat"])
        await deep_settle(app, pilot)
        screen = app.screen
        assert any(d.flagged for d in screen.portrait.dimensions)
        cells = screen_cells(app, colours)
        check(cells, flagged_row(app, cells), "the flagged row")


def flagged_row(app, cells: list[Cell]) -> list[Cell]:
    """The portrait's flagged rows of the dimension table (`!` at the end) and the `1.` of the key shortfalls."""
    table, text = app.screen.query_one("#pt-table").region, app.screen.query_one("#pt-text").region
    rows: dict[int, list[Cell]] = {}
    for c in cells:
        rows.setdefault(c.row, []).append(c)
    line = {y: "".join(c.char for c in rows[y]) for y in rows}
    flagged = [c for y in range(table.y + 1, table.bottom) if line[y].rstrip().endswith("!") for c in rows[y]]
    first = next(y for y in range(text.y, text.bottom) if line[y].strip().startswith("1."))
    marker = [c for c in rows[first] if is_text(c.char)][:2]
    assert flagged and "".join(c.char for c in marker) == "1."
    return flagged + marker


async def test_a_theme_change_recolours_the_open_screens(make_app, stories, terminal):
    """The screens colour their text from the theme when they draw it: F8 draws them again, on top or underneath."""
    terminal("256", False)
    app = make_app("hr.sales", lang="zh", theme="hrtui-dark")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        app.open_employee(stories["csat"])
        await deep_settle(app, pilot)
        app.theme = "hrtui-light"
        await settle(app, pilot)
        cells = screen_cells(app, "256")
        check(cells, flagged_row(app, cells), "the flagged row")
        await pilot.press("escape")                       # back to the inbox, drawn in the dark theme's colours
        await settle(app, pilot)
        assert type(app.screen).__name__ == "InboxScreen"
        cells = screen_cells(app, "256")
        check(cells, cursor_line(app, cells), "the cursor line")


# -- the 16-colour keys of a theme file ----------------------------------------------------------------------------
def test_a_16_colour_terminal_gets_the_themes_colors16_keys(monkeypatch):
    from hrtui.tui.themes import colour_system, shipped_dir, theme_from_file

    light = shipped_dir() / "light.toml"
    monkeypatch.setenv("TERM", "xterm")
    assert colour_system() == "standard"
    sixteen = theme_from_file(light, colour_system())
    monkeypatch.setenv("TERM", "xterm-256color")
    assert colour_system() == "256"
    full = theme_from_file(light, colour_system())
    assert sixteen.name == full.name == "hrtui-light"
    assert full.primary == "#1b65a6" and sixteen.primary == "#143ca0"
    # the [colors16] variables join the theme's own, a key in both taking the 16-colour value
    assert full.variables["text-error"] == "#b3261e" and sixteen.variables["text-error"] == "#aa0000"
    assert sixteen.variables["block-cursor-foreground"] == full.variables["block-cursor-foreground"]


def test_a_colors16_table_is_checked_like_the_rest(tmp_path):
    from hrtui.tui.themes import theme_from_file

    path = tmp_path / "mine.toml"
    path.write_text('name = "mine"\nprimary = "#336699"\n[colors16]\nprimry = "#0000aa"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="unknown keys primry"):
        theme_from_file(path)
    path.write_text('name = "mine"\nprimary = "#336699"\n[colors16]\nprimary = "not a colour"\n', encoding="utf-8")
    with pytest.raises(Exception):
        theme_from_file(path)           # a bad 16-colour value fails on any terminal, not only on a 16-colour one
