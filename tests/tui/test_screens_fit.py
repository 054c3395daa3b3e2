"""What a user sees at 80×24, read off the screen as text: titles, hints, key bars and wrapped lines that fit.

Each test drives the app with the pilot and reads the rendered screen (one string per terminal row), so it checks
the layout the terminal shows, not what a widget was given to show.
"""
from __future__ import annotations

import re

import pytest
from rich.cells import cell_len
from textual.widgets import DataTable

from hrtui.i18n import t
from hrtui.store.db import database
from tests.tui.conftest import settle
from tests.tui.test_plan_tui import open_list, pick

SIZE = (80, 24)


def screen_lines(app) -> list[str]:
    """The rows of the terminal as plain text (a CJK character is one str character and two cells)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def key_bar(app) -> str:
    return screen_lines(app)[-1]


def errors(app) -> list[str]:
    return [str(n.message) for n in app._notifications if n.severity == "error"]


async def deep_settle(app, pilot, rounds: int = 4):
    """Workers post messages whose handlers start more workers (portrait → charts): wait them all out."""
    for _ in range(rounds):
        await settle(app, pilot)


# -- 1. the audit log ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_audit_screen_shows_title_filter_table_and_result_at_80x24(make_app, lang):
    from hrtui.access import audit

    app = make_app("admin", lang=lang)
    for _ in range(60):                                       # far more entries than rows
        audit.record(app.actor, "settings.report_recipient", "0197742a-dc69-7bfb-a669-b6d5c1710ba6")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f12")
        await settle(app, pilot)
        screen = app.screen
        assert type(screen).__name__ == "AuditScreen"
        lines = screen_lines(app)
        assert len(lines) == 24
        assert lines[0].strip() == t("audit.title", lang)
        assert lines[1].strip() == t("audit.filter", lang)
        assert t("audit.col.at", lang) in lines[2] and t("audit.col.record", lang) in lines[2]
        assert re.match(r"^ +\d+ +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +admin +settings\.report_rec", lines[3])
        assert lines[22].strip() == t("audit.hint", lang)      # where F5's answer will appear
        assert lines[23].rstrip().endswith("^p " + t("keys.palette", lang))
        assert not re.search(r"[▁▂▃▄▅▆▇█]", lines[23])         # no scrollbar bleeding into the key bar
        # One scrollbar: the table's. The screen itself does not scroll, the table does not scroll sideways.
        table = screen.query_one(DataTable)
        scrolled = [w for w in [screen, *screen.query("*")]
                    if getattr(w, "show_vertical_scrollbar", False) or getattr(w, "show_horizontal_scrollbar", False)]
        assert scrolled == [table] and not table.show_horizontal_scrollbar
        assert screen.max_scroll_y == 0

        await pilot.press("f5")
        await settle(app, pilot)
        count = database.execute_sql("SELECT count(*) FROM audit").fetchone()[0]
        lines = screen_lines(app)
        assert lines[22].strip() == t("audit.ok", lang, count=count)
        assert lines[0].strip() == t("audit.title", lang)       # nothing scrolled away


async def test_audit_screen_names_whose_portrait_was_read(make_app):
    app = make_app("admin", lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for number in ("E000001", "E000002"):
            app.open_employee(number)
            await settle(app, pilot)
            await pilot.press("escape")
            await settle(app, pilot)
        await pilot.press("f12")
        await settle(app, pilot)
        reads = [line for line in screen_lines(app) if "ait.read " in line]
        assert [line.split()[-1] for line in reads[:2]] == ["E000002", "E000001"], reads  # newest first


# -- 2. the checklist ------------------------------------------------------------------------------------------------
async def test_checklist_milestone_rules_fill_one_line_in_chinese(make_app):
    app = make_app("emp.sales", lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot)
        await pick(app, pilot, "active")
        assert type(app.screen).__name__ == "ChecklistScreen"
        lines = screen_lines(app)
        rules = [i for i, line in enumerate(lines) if line.startswith(" ── ")]
        assert {lines[i].split()[1] for i in rules} == {"中期检查", "截止"}
        for i in rules:
            assert lines[i].rstrip().endswith("──")                  # the rule runs on to the list's edge …
            assert cell_len(lines[i].rstrip()) == 79
            assert set(lines[i + 1].strip()) != {"─"}               # … and does not wrap onto the next row


async def test_checklist_detail_shows_goal_date_and_user_in_english(make_app):
    app = make_app("emp.sales", lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot)
        await pick(app, pilot, "active")
        screen = app.screen
        item = next(i for i in screen.plan.items if i.owner == "employee" and i.goal_id and not i.done)
        screen.query_one("#cl-items").highlighted = screen.rows.index(item.id)
        await pilot.press("space")                                   # done today, by emp.sales
        await settle(app, pilot)
        goal = screen.plan.goal(item.goal_id)
        done_by = t("checklist.done_by", "en", day="2026-11-30", who="emp.sales")
        wanted = " · ".join([t("checklist.owner", "en", owner="employee"),
                             t("checklist.goal", "en", goal=goal.name("en"), target=goal.target_text("en")), done_by])
        assert cell_len(wanted) > 78                                  # it needs a second row
        lines = screen_lines(app)
        rule = max(i for i, line in enumerate(lines) if set(line) == {"─"})
        detail = lines[rule + 1:-1]
        assert detail[0].strip() == item.text("en")
        assert " ".join(line.strip() for line in detail[1:] if line.strip()) == wanted
        assert lines[-1].rstrip().endswith("^p palette")


# -- 3. the plan list ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_plan_list_hint_shows_whole(make_app, lang):
    app = make_app("hr.sales", lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot)
        lines = screen_lines(app)
        assert lines[-2].strip() == t("plan.ui.list_help_hr", lang)
        assert lines[-2].rstrip().endswith("drafts one" if lang == "en" else "在画像上按 p")


# -- 4. the plan editor ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_plan_editor_key_bar_has_the_editing_keys(make_app, lang):
    app = make_app("hr.sales", lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot)
        await pick(app, pilot, "active")
        bar = key_bar(app)
        for key in ("edit", "add", "delete", "toggle", "state", "switch", "back"):
            assert t(f"bind.plan.{key}", lang) in bar, key
        assert bar.rstrip().endswith("^p " + t("keys.palette", lang))
        titles = [c[0] for c in app.screen.palette_commands()]       # the keys not on the bar stay in the palette
        assert t("cmd.plans.checklist", lang) in titles and t("cmd.plans.effect", lang) in titles


async def test_enter_and_e_on_a_goal_edit_the_target_not_the_dimension(make_app):
    app = make_app("hr.sales", lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot)
        await pick(app, pilot, "draft")
        editor = app.screen
        goal = editor.plan.goals[0]
        assert "Enter: the % change" in screen_lines(app)[-2]       # the help line speaks of the target
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "LineScreen"
        assert app.screen.question == t("plan.ui.ask.target_pct", "en", name=goal.name("en"))
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("left", "left", "left", "e")              # on the dimension itself
        await settle(app, pilot)
        assert type(app.screen).__name__ == "LineScreen"
        assert app.screen.question == t("plan.ui.ask.target_pct", "en", name=goal.name("en"))
        assert not app._notifications
        await pilot.press("escape")


@pytest.mark.parametrize("lang, name", [("zh", "客户满意度"), ("en", "Customer satisfaction")])
async def test_add_goal_lists_dimension_names_in_the_ui_language(make_app, lang, name):
    app = make_app("hr.sales", lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot)
        await pick(app, pilot, "draft")
        await pilot.press("a")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ChoiceScreen"
        text = "\n".join(screen_lines(app))
        assert re.search(rf"\d\. {name} +CSAT", text)             # the name first, the code after it
        assert not re.search(r"\d\. [A-Z]{3,}", text)               # no option starts with a code


# -- 5. the inbox ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_inbox_entries_wrap_under_their_text(make_app, lang):
    app = make_app("hr.sales", lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        lines = screen_lines(app)
        body = lines[1:lines.index(next(line for line in lines if line.strip() == t("inbox.help", lang)))]
        starts = [line for line in body if re.match(r"^ [● ] \d{4}-\d\d-\d\d \S", line)]
        more = [line for line in body if line.strip() and line not in starts]
        assert starts and more                                      # long entries do wrap at 80 columns …
        for line in more:
            assert re.match(r"^ {14}\S", line), line                 # … under their text, past the date


# -- 6. the portrait -------------------------------------------------------------------------------------------------
def _manager_numbers(actor) -> tuple[str, str]:
    """(an employee of the manager's with a plan, one without)."""
    from hrtui.access.actor import scope_sql
    from hrtui.domain import plans as P

    scope, params = scope_sql(actor, "e")
    numbers = [r[0] for r in database.execute_sql(
        f"SELECT e.number FROM employee e WHERE {scope} ORDER BY e.number", params).fetchall()]
    with_plan = {r.number for r in P.plans(actor)}
    return (next(n for n in numbers if n in with_plan), next(n for n in numbers if n not in with_plan))


async def test_manager_sees_p_only_where_there_is_a_plan(make_app, actor_of):
    app = make_app("mgr.sales", lang="zh")
    with_plan, without = _manager_numbers(actor_of("mgr.sales"))
    async with app.run_test(size=SIZE) as pilot:
        await deep_settle(app, pilot)
        app.open_employee(without)
        await deep_settle(app, pilot)
        screen = app.screen
        assert type(screen).__name__ == "PortraitScreen"
        assert "p 计划" not in key_bar(app) and "p Plan" not in key_bar(app)
        assert screen.check_action("open_plan", ()) is False
        assert "i " not in key_bar(app)                              # no interviews for managers either
        await pilot.press("p")
        await settle(app, pilot)
        assert app.screen is screen and not errors(app)
        await pilot.press("escape")
        await settle(app, pilot)
        app.open_employee(with_plan)
        await deep_settle(app, pilot)
        assert "p 计划" in key_bar(app)
        await pilot.press("p")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ChecklistScreen" and not errors(app)


async def test_plan_key_is_labelled_in_chinese(make_app, stories):
    # The label must not depend on another screen's module having been imported first (in one test run it always
    # has been): the portrait module alone brings it.
    import subprocess
    import sys

    code = ("import sys, hrtui.tui.screens.portrait; from hrtui.i18n import t; "
            "assert 'hrtui.tui.screens.plan' not in sys.modules; print(t('bind.portrait.plan', 'zh'))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "计划"
    app = make_app("hr.sales", lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await deep_settle(app, pilot)
        app.open_employee(stories["csat"])
        await deep_settle(app, pilot)
        bar = key_bar(app)
        assert "p 计划" in bar and "Plan" not in bar


async def test_radar_legend_keeps_the_shortfall_flag_when_cut(make_app, stories):
    app = make_app("admin", lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await deep_settle(app, pilot)
        app.open_employee(stories["csat"])
        await deep_settle(app, pilot)
        await pilot.press("2")
        await deep_settle(app, pilot)
        screen = app.screen
        flagged = [(i, d) for i, d in enumerate(screen.portrait.dimensions, 1) if d.flagged]
        assert any(d.name == "Customer satisfaction" for _, d in flagged)
        legend = "\n".join(screen_lines(app)[-8:])
        for i, d in flagged:
            assert re.search(rf"\b{i} {re.escape(d.name[:8])}\S*( \S+)*… !|\b{i} {re.escape(d.name)} !", legend), d.name
