"""Plans, checklists, the inbox and the effect report through the pilot at 80×24, with snapshots in zh and en."""
from __future__ import annotations

import datetime as _dt

import pytest
from textual.widgets import DataTable

from hrtui.domain import plans as P
from hrtui.domain import reminders as R
from hrtui.store.db import database
from tests.tui.conftest import settle

T = _dt.date(2026, 11, 30)


def without_plan(flagged: bool = True) -> str:
    """A SALES employee without a plan: with key shortfalls, or (flagged=False) with none."""
    return database.execute_sql(
        f"""SELECT e.number FROM employee e JOIN department d ON d.id = e.department_id
            WHERE d.code = 'SALES' AND e.shortfalls {'>' if flagged else '='} 0
              AND NOT EXISTS (SELECT 1 FROM plan p WHERE p.employee_id = e.id)
            ORDER BY e.number LIMIT 1""").fetchone()[0]


def flagged_without_plan() -> str:
    return without_plan(flagged=True)


def plans_of(number: str) -> int:
    return database.execute_sql("SELECT count(*) FROM plan p JOIN employee e ON e.id = p.employee_id "
                                "WHERE e.number = ?", (number,)).fetchone()[0]


async def press_p_on_portrait(app, pilot, number: str):
    """From the roster: open the employee's portrait and press p (open or draft their plan)."""
    await settle(app, pilot)
    app.open_employee(number)
    await settle(app, pilot)
    assert type(app.screen).__name__ == "PortraitScreen"
    await pilot.press("p")
    await settle(app, pilot)


async def open_list(app, pilot):
    await settle(app, pilot)
    await pilot.press("f5")
    await settle(app, pilot)
    assert type(app.screen).__name__ == "PlanListScreen"
    return app.screen


async def pick(app, pilot, state: str, outcome: str | None = None, key: str = "enter"):
    """On the plan list: put the cursor on the first plan in `state` and press `key`."""
    screen = app.screen
    index = next(i for i, r in enumerate(screen.rows) if r.state == state and r.outcome == outcome)
    screen.query_one(DataTable).move_cursor(row=index)
    await pilot.press(key)
    await settle(app, pilot)
    return screen.rows[index]


def texts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


# -- the editor --------------------------------------------------------------------------------------------------
async def test_hr_edits_and_activates_a_draft_by_keyboard(make_app):
    app = make_app("hr.sales")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_list(app, pilot)
        row = await pick(app, pilot, "draft")
        screen = app.screen
        assert type(screen).__name__ == "PlanScreen" and screen.plan.state == "draft"
        goal = screen.plan.goals[0]
        assert goal.target_kind == "pct"
        goals = screen.query_one("#plan-goals", DataTable)
        assert goals.coordinate_to_cell_key(goals.cursor_coordinate)[1].value == "target"   # starts editable
        await pilot.press("left", "enter")                       # the "target is" cell cycles
        await settle(app, pilot)
        assert screen.plan.goals[0].target_kind == "team"
        await pilot.press("enter", "enter", "enter")             # team → requirement → value → pct
        await settle(app, pilot)
        assert screen.plan.goals[0].target_kind == "pct"
        await pilot.press("right", "enter")                      # the target: a % change
        await settle(app, pilot)
        assert type(app.screen).__name__ == "LineScreen"
        await pilot.press("ctrl+u", *"-40", "enter")
        await settle(app, pilot)
        assert screen.plan.goals[0].target_pct == -40.0
        await pilot.press("right", "enter", "ctrl+u", *"2026-11-01", "enter")   # mid-term before the start: refused
        await settle(app, pilot)
        assert type(app.screen).__name__ == "LineScreen"       # the line stays open with what was typed
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("tab", "a")                            # an action from the catalogue
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ChoiceScreen"
        n_items = len(screen.plan.items)
        await pilot.press("4")                                   # the 4th entry
        await settle(app, pilot)
        assert len(screen.plan.items) == n_items + 1
        added = screen.plan.items[screen.query_one("#plan-items", DataTable).cursor_row]
        await pilot.press("right", "enter")                      # owner cycles
        await settle(app, pilot)
        assert screen.plan.item(added.id).owner != added.owner
        await pilot.press("d", "y")
        await settle(app, pilot)
        assert len(screen.plan.items) == n_items
        await pilot.press("f2", "1")                             # activate
        await settle(app, pilot)
        assert screen.plan.state == "active" and screen.plan.start_date == T.isoformat()
        assert "active" in str(screen.query_one("#plan-title").render())
    plan = P.load(app.actor, row.id)
    assert plan.state == "active" and plan.goals[0].target_pct == -40.0


async def test_portrait_key_drafts_a_plan(make_app):
    app = make_app("hr.sales")
    number = flagged_without_plan()
    async with app.run_test(size=(80, 24)) as pilot:
        await press_p_on_portrait(app, pilot, number)
        await settle(app, pilot)
        screen = app.screen
        assert type(screen).__name__ == "PlanScreen"
        assert screen.plan.number == number and screen.plan.state == "draft" and screen.plan.goals
        await pilot.press("escape", "p")                         # again: the same plan opens, no second draft
        await settle(app, pilot)
        assert app.screen.plan_id == screen.plan_id
    assert plans_of(number) == 1


async def test_portrait_key_on_someone_without_a_shortfall_says_so_and_drafts_nothing(make_app):
    number = without_plan(flagged=False)
    app = make_app("hr.sales")
    async with app.run_test(size=(80, 24)) as pilot:
        await press_p_on_portrait(app, pilot, number)
        assert type(app.screen).__name__ == "PortraitScreen"
        assert any("has no key shortfall" in m and "none was drafted" in m for m in texts(app)), texts(app)
    assert plans_of(number) == 0


async def test_the_editor_shows_the_whole_text_the_table_cuts(make_app):
    app = make_app("hr.sales")
    number = flagged_without_plan()
    async with app.run_test(size=(80, 24)) as pilot:
        await press_p_on_portrait(app, pilot, number)
        screen = app.screen
        long = next(i for i in screen.plan.items if len(i.text("en")) > 34)  # wider than its column
        await pilot.press("tab")
        while screen._cell()[1] != long.id:
            await pilot.press("down")
        await settle(app, pilot)
        assert str(screen.query_one("#plan-help").render()).splitlines()[0] == long.text("en")


async def test_summary_key_drafts_a_plan_linked_to_the_interview(make_app):
    from hrtui.domain import interview as iv
    from hrtui.tui.screens.interview import SummaryScreen

    app = make_app("hr.sales")
    number = flagged_without_plan()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        session = iv.start_or_resume(app.actor, number)
        open_summary = SummaryScreen(None, iv.summary_of(session.id, "en"))
        open_summary.ended = False
        await app.push_screen(open_summary)
        await pilot.press("p")
        await settle(app, pilot)
        assert any("End the interview first" in m for m in texts(app))
        assert type(app.screen).__name__ == "SummaryScreen"
        await pilot.press("escape")
        summary = iv.end(app.actor, session.id, 90.0, [])
        await app.push_screen(SummaryScreen(None, summary))
        await pilot.press("p")
        await settle(app, pilot)
        await settle(app, pilot)
        assert type(app.screen).__name__ == "PlanScreen"
        assert app.screen.plan.interview_id == session.id


# -- the checklist in three views ------------------------------------------------------------------------------------
async def test_the_employee_acknowledges_and_ticks_their_own(make_app, monkeypatch):
    monkeypatch.setenv("HRTUI_TODAY", "2026-12-01")
    app = make_app("emp.sales")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert any("Due on 2026-12-04 (in 3 days)" in m for m in texts(app))      # the pop-up
        assert "2 reminders" in str(app.screen.query_one("#roster-remind").render())
        await open_list(app, pilot)
        await pick(app, pilot, "active")
        screen = app.screen
        assert type(screen).__name__ == "ChecklistScreen"        # employees never get the editor
        assert screen.check_action("plan_ack", ()) is True
        await pilot.press("a")
        await settle(app, pilot)
        assert screen.plan.acknowledged_at and screen.check_action("plan_ack", ()) is False
        own = next(i for i in screen.plan.items if i.owner == "employee" and not i.done)
        hr_item = next(i for i in screen.plan.items if i.owner == "hr")
        olist = screen.query_one("#cl-items")
        olist.highlighted = screen.rows.index(own.id)
        await pilot.press("space")
        await settle(app, pilot)
        assert screen.plan.item(own.id).done_on == "2026-12-01"
        olist.highlighted = screen.rows.index(hr_item.id)
        await pilot.pause()
        assert "you can see it, not tick it" in str(screen.query_one("#cl-detail").render())
        await pilot.press("space")
        await settle(app, pilot)
        assert not screen.plan.item(hr_item.id).done
        assert any("owned by the HR" in m for m in texts(app))
        assert screen.check_action("edit_plan", ()) is False


async def test_the_manager_ticks_the_items_they_own(make_app):
    app = make_app("mgr.sales")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_list(app, pilot)
        assert all(r.state != "draft" for r in app.screen.rows)
        await pick(app, pilot, "extended")
        screen = app.screen
        mine = next(i for i in screen.plan.items if i.owner == "manager" and not i.done)
        screen.query_one("#cl-items").highlighted = screen.rows.index(mine.id)
        await pilot.press("space")
        await settle(app, pilot)
        assert screen.plan.item(mine.id).done


async def test_hr_sees_overdue_items_stand_out(make_app):
    app = make_app("hr.rd")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert any("Overdue since 2026-11-28" in m for m in texts(app))   # the daily pop-up
        await open_list(app, pilot)
        await pick(app, pilot, "active", key="c")
        screen = app.screen
        progress = str(screen.query_one("#cl-progress").render())
        assert "1 overdue" in progress
        late = next(i for i in screen.plan.items if i.overdue_days(T))
        line = screen.query_one("#cl-items").get_option_at_index(screen.rows.index(late.id)).prompt
        assert str(line).startswith("[!]") and "overdue 2 d" in str(line)
        late_style = screen.part_style("late")                       # the theme's error colour, bold
        assert late_style.bold and any(span.style == late_style for span in line.spans)


# -- the inbox -----------------------------------------------------------------------------------------------------
async def test_inbox_words_each_reminder_as_of_today(make_app):
    # A reminder sent days ago ("Due on 11-28 (in 3 days)" then) reads as of today; its date says when it came.
    app = make_app("hr.rd")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        inbox = app.screen
        past = [e for e in inbox.entries if e.about_date < T.isoformat()]
        assert past and any(e.on_date < e.about_date for e in past)  # sent before its date, read after it
        shown = " ".join(strip.text for strip in inbox._compositor.render_strips())
        assert "in 3 days" not in shown and "(today)" not in shown.replace("2026-11-30", "")
        assert all("ago" in e.text("en", inbox.today) for e in past)


async def test_inbox_opens_the_plan_and_marks_read(make_app):
    app = make_app("hr.rd")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        unread = R.unread_count(app.actor)
        assert unread >= 1 and str(unread) in str(app.screen.query_one("#roster-remind").render())
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        inbox = app.screen
        assert type(inbox).__name__ == "InboxScreen" and inbox.entries[0].read_at is None
        first = inbox.entries[0]
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "PlanScreen" and app.screen.plan_id == first.plan_id
        await pilot.press("escape")
        await settle(app, pilot)
        assert next(e for e in inbox.entries if e.id == first.id).read_at is not None
        await pilot.press("R")
        await settle(app, pilot)
        assert R.unread_count(app.actor) == 0
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen.query_one("#roster-remind").display is False


# -- the effect report -----------------------------------------------------------------------------------------------
async def test_effect_screen_shows_before_after_and_a_chart(make_app):
    app = make_app("hr.sales")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_list(app, pilot)
        await pick(app, pilot, "closed", "met", key="r")
        screen = app.screen
        assert type(screen).__name__ == "EffectScreen"
        assert screen.report.effective
        assert "effective" in str(screen.query_one("#ef-summary").render())
        await settle(app, pilot)
        assert "┤" in str(screen.query_one("#ef-chart").render())
        first = str(screen.query_one("#ef-chart-title").render())
        await pilot.press("right")
        await settle(app, pilot)
        assert str(screen.query_one("#ef-chart-title").render()) != first
        await pilot.press("escape")
        await pick(app, pilot, "draft", key="r")
        assert type(app.screen).__name__ == "PlanListScreen"
        assert any("still a draft" in m for m in texts(app))


# -- snapshots -----------------------------------------------------------------------------------------------------
def _quiet(app):
    app.clear_notifications()


def _to(state: str, outcome: str | None = None, key: str = "enter", then: tuple = ()):
    async def run_before(pilot):
        app = pilot.app
        await open_list(app, pilot)
        await pick(app, pilot, state, outcome, key)
        if then:
            await pilot.press(*then)
        await settle(app, pilot)
        _quiet(app)
        await pilot.pause()
    return run_before


def test_plan_list_snapshot_en(make_app, snap_compare):
    async def run_before(pilot):
        await open_list(pilot.app, pilot)
    assert snap_compare(make_app("hr.sales", lang="en"), run_before=run_before, terminal_size=(80, 24))


def test_plan_editor_snapshot_en(make_app, snap_compare):
    assert snap_compare(make_app("hr.sales", lang="en"), run_before=_to("active", then=("tab", "down", "down")),
                        terminal_size=(80, 24))


def test_plan_editor_snapshot_zh(make_app, snap_compare):
    assert snap_compare(make_app("hr.sales", lang="zh"), run_before=_to("draft"),   # the cursor starts on the target
                        terminal_size=(80, 24))


def test_plan_state_menu_snapshot_zh(make_app, snap_compare):
    assert snap_compare(make_app("hr.sales", lang="zh"), run_before=_to("extended", then=("f2",)),
                        terminal_size=(80, 24))


def test_checklist_hr_snapshot_en(make_app, snap_compare):
    assert snap_compare(make_app("hr.rd", lang="en"), run_before=_to("active", key="c"), terminal_size=(80, 24))


def test_checklist_employee_snapshot_zh(make_app, snap_compare):
    assert snap_compare(make_app("emp.sales", lang="zh"), run_before=_to("active"), terminal_size=(80, 24))


def test_checklist_manager_snapshot_en(make_app, snap_compare):
    assert snap_compare(make_app("mgr.sales", lang="en"), run_before=_to("extended"), terminal_size=(80, 24))


def test_inbox_snapshot_zh(make_app, snap_compare):
    async def run_before(pilot):
        app = pilot.app
        await settle(app, pilot)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
    assert snap_compare(make_app("hr.sales", lang="zh"), run_before=run_before, terminal_size=(80, 24))


def test_popup_and_inbox_snapshot_en(make_app, snap_compare, monkeypatch):
    monkeypatch.setenv("HRTUI_TODAY", "2026-12-01")

    async def run_before(pilot):
        await settle(pilot.app, pilot)
        await pilot.pause()
    assert snap_compare(make_app("emp.sales", lang="en"), run_before=run_before, terminal_size=(80, 24))


def test_effect_snapshot_en(make_app, snap_compare):
    assert snap_compare(make_app("hr.sales", lang="en"), run_before=_to("closed", "met", key="r"),
                        terminal_size=(80, 24))


def test_effect_snapshot_zh(make_app, snap_compare):
    assert snap_compare(make_app("hr.sales", lang="zh"), run_before=_to("extended", key="r"),
                        terminal_size=(80, 24))


@pytest.mark.parametrize("user", ["emp.sales", "mgr.sales"])
async def test_non_hr_never_get_the_editor(make_app, user):
    app = make_app(user)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_list(app, pilot)
        await pick(app, pilot, app.screen.rows[0].state, app.screen.rows[0].outcome)
        assert type(app.screen).__name__ == "ChecklistScreen"
        from hrtui.tui.screens.plan import PlanScreen

        editor = PlanScreen(app.screen.plan_id)      # even pushed directly, it offers no write key
        await app.push_screen(editor)
        await settle(app, pilot)
        for action in ("plan_add", "plan_edit", "plan_delete", "plan_state"):
            assert editor.check_action(action, ()) is False
        before = len(editor.plan.items)
        await pilot.press("a", "d", "f2")
        await settle(app, pilot)
        assert app.screen is editor and len(editor.plan.items) == before


async def test_every_plan_action_is_in_the_palette(make_app):
    from hrtui.tui.commands import _plan_commands

    app = make_app("hr.sales")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        titles = [c[0] for c in _plan_commands(app, app.screen, "en")]
        assert "Improvement plans" in titles and "Reminders (inbox)" in titles
        await open_list(app, pilot)
        await pick(app, pilot, "active")
        titles = [c[0] for c in app.screen.palette_commands()]
        for title in ("Edit the cell", "Add a goal", "Add an action", "Delete the goal or action",
                      "Tick / untick the action", "Activate, extend or close the plan", "Checklist of the plan",
                      "Improvement-effect report", "Back"):
            assert title in titles
        await pilot.press("c")
        await settle(app, pilot)
        assert "Tick / untick the action" in [c[0] for c in app.screen.palette_commands()]
