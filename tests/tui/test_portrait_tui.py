"""The portrait screen through Textual's pilot at 80×24, and its snapshots in both languages."""
from __future__ import annotations

from hrtui.domain.goals import saved_goals
from hrtui.store.db import database
from hrtui.tui.screens.employee import EmployeeScreen
from hrtui.tui.screens.portrait import PortraitScreen


async def settle(app, pilot, rounds: int = 4):
    """Workers post messages whose handlers may start more workers (portrait → charts): wait them all out."""
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def open_portrait(app, pilot, number: str):
    await settle(app, pilot)
    app.open_employee(number)
    await settle(app, pilot)
    assert isinstance(app.screen, PortraitScreen)
    return app.screen


def text_of(screen, selector: str) -> str:
    """The plain text a Static shows (Rich tables and groups rendered at the widget's width)."""
    from rich.console import Console

    widget = screen.query_one(selector)
    content = widget.content
    if isinstance(content, str):
        return content
    console = Console(width=max(widget.size.width, 20), record=True, color_system=None, file=open("/dev/null", "w"))
    console.print(content)
    return console.export_text()


def employee_id(number: str) -> str:
    return database.execute_sql("SELECT id FROM employee WHERE number = ?", (number,)).fetchone()[0]


async def test_enter_on_the_roster_opens_the_portrait(make_app, stories):
    app = make_app("admin")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press(*stories["csat"], "enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, PortraitScreen) and screen.portrait.employee.number == stories["csat"]
        table = text_of(screen, "#pt-table")
        assert "Customer satisfaction" in table and "59.9" in table or "60." in table
        body = text_of(screen, "#pt-text")
        assert "Customer satisfaction 60 vs team mean 85" in body and "Signals" in body
        assert stories["csat"] in text_of(screen, "#portrait-title")
        await pilot.press("escape")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "RosterScreen"


async def test_scope_refusal_stays_on_the_roster(make_app, stories):
    app = make_app("hr.sales")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.open_employee(stories["training"])  # an R&D employee
        await settle(app, pilot)
        assert type(app.screen).__name__ == "RosterScreen"
        assert any(f"no employee '{stories['training']}' in your scope" in str(n.message)
                   for n in app._notifications)


async def test_charts_draw_radar_and_trend_without_cjk_inside(make_app, stories):
    app = make_app("admin", lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_portrait(app, pilot, stories["complaint"])
        await pilot.press("2")
        await settle(app, pilot)
        radar, trend = text_of(screen, "#pt-radar"), text_of(screen, "#pt-trend")
        assert radar.strip() and trend.strip()
        assert "2026-10" in trend and "1" in radar
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in radar + trend)  # CJK only beside the charts
        assert "客户投诉率" in text_of(screen, "#pt-trend-title")            # the most severe shortfall first
        assert "客户投诉率 !" in text_of(screen, "#pt-radar-legend")
        await pilot.press("right")
        await settle(app, pilot)
        assert "出勤率" in text_of(screen, "#pt-trend-title")


async def test_goals_add_edit_delete_save(make_app, stories):
    app = make_app("admin")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_portrait(app, pilot, stories["csat"])
        await pilot.press("3")
        await settle(app, pilot)
        assert [g.kind for g in screen.goals] == ["cause", "shortfall:CSAT", "plan"]
        assert "not saved" in text_of(screen, "#goal-status")
        await pilot.press("a", *"Ask about [workload]", "enter")
        assert screen.goals[-1].text("en") == "Ask about [workload]" and screen.dirty
        await pilot.press("up", "up", "up", "e", "end", *" now", "enter")  # the first goal
        assert screen.goals[0].text("en") == "Understand the causes of the performance gap now"
        await pilot.press("down", "d")
        assert [g.kind for g in screen.goals] == ["cause", "plan", "custom"]
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not screen.dirty and "Saved" in text_of(screen, "#goal-status")
        saved = saved_goals(employee_id(stories["csat"]))
        assert [g.text("en") for g in saved] == ["Understand the causes of the performance gap now",
                                                 "Agree a 3-month improvement plan", "Ask about [workload]"]


async def test_escape_while_typing_cancels_and_unsaved_goals_warn_before_leaving(make_app, stories):
    app = make_app("admin")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_portrait(app, pilot, stories["csat"])
        await pilot.press("3", "a", *"draft", "escape")
        assert app.screen is screen and len(screen.goals) == 3 and not screen.dirty
        await pilot.press("d")
        assert screen.dirty
        await pilot.press("escape")
        assert app.screen is screen and any("not saved" in str(n.message) for n in app._notifications)
        await pilot.press("escape")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "RosterScreen"
        assert saved_goals(employee_id(stories["csat"])) == []


async def test_goal_keys_only_in_the_goals_section_and_five_at_most(make_app, stories):
    app = make_app("hr.sales")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_portrait(app, pilot, stories["csat"])
        await pilot.press("a")
        assert len(screen.goals) == 3  # not in the overview
        await pilot.press("3", "a", *"four", "enter", "a", *"five", "enter", "a")
        assert len(screen.goals) == 5
        assert any("at most 5" in str(n.message) for n in app._notifications)
        assert not screen.query_one("#pt-goals").has_class("editing")


async def test_manager_sees_the_portrait_without_hr_goals(make_app):
    app = make_app("mgr.sales")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        report = database.execute_sql(
            "SELECT e.number FROM employee e JOIN user u ON u.name = 'mgr.sales' WHERE e.manager_id = u.employee_id"
            " ORDER BY e.number LIMIT 1").fetchone()[0]
        screen = await open_portrait(app, pilot, report)
        await pilot.press("3")
        await settle(app, pilot)
        assert "kept by HR" in text_of(screen, "#goal-status")
        assert screen.check_action("goal_add", ()) is False


async def test_employee_accounts_get_the_plain_record(make_app):
    app = make_app("emp.sales")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, EmployeeScreen)


async def test_language_switch_recomputes_the_sentences(make_app, stories):
    app = make_app("admin", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_portrait(app, pilot, stories["csat"])
        await pilot.press("f7")
        await settle(app, pilot)
        assert "客户满意度 60，团队均值 85" in text_of(screen, "#pt-text")
        assert "概况" in text_of(screen, "#portrait-tabs")
        labels = {b.binding.description for b in screen.active_bindings.values()}
        assert "返回" in labels and "需关注" in labels


async def test_palette_lists_the_portrait_actions_in_the_ui_language(make_app, stories):
    from hrtui.tui.commands import HRCommands

    app = make_app("admin", lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_portrait(app, pilot, stories["csat"])
        titles = [c[0] for c in HRCommands(screen)._commands()]
        assert {"画像：图表", "趋势：客户满意度", "保存面谈目标", "需关注名单", "员工档案", "返回"} <= set(titles)
        dict((c[0], c[2]) for c in HRCommands(screen)._commands())["趋势：客户投诉率"]()
        await settle(app, pilot)
        assert screen.section == "charts" and "客户投诉率" in text_of(screen, "#pt-trend-title")


async def test_record_key_opens_the_plain_detail(make_app, stories):
    app = make_app("admin")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_portrait(app, pilot, stories["csat"])
        await pilot.press("f5")
        await settle(app, pilot)
        assert isinstance(app.screen, EmployeeScreen)


# -- snapshots (80×24) ---------------------------------------------------------------------------------------
def _opened(number: str, *keys: str):
    async def run_before(pilot):
        app = pilot.app
        await settle(app, pilot)
        app.open_employee(number)
        await settle(app, pilot)
        if keys:
            await pilot.press(*keys)
            await settle(app, pilot)
    return run_before


def test_portrait_snapshot_en(make_app, stories, snap_compare):
    assert snap_compare(make_app("admin", lang="en"), run_before=_opened(stories["csat"]), terminal_size=(80, 24))


def test_portrait_snapshot_zh(make_app, stories, snap_compare):
    assert snap_compare(make_app("hr.sales", lang="zh"), run_before=_opened(stories["csat"]), terminal_size=(80, 24))


def test_portrait_charts_snapshot_zh(make_app, stories, snap_compare):
    assert snap_compare(make_app("admin", lang="zh"), run_before=_opened(stories["complaint"], "2"),
                        terminal_size=(80, 24))


def test_portrait_charts_snapshot_en(make_app, stories, snap_compare):
    assert snap_compare(make_app("admin", lang="en"), run_before=_opened(stories["csat"], "2"),
                        terminal_size=(80, 24))


def test_portrait_goals_snapshot_en(make_app, stories, snap_compare):
    assert snap_compare(make_app("admin", lang="en"), run_before=_opened(stories["leave"], "3"),
                        terminal_size=(80, 24))


def test_portrait_goals_snapshot_zh(make_app, stories, snap_compare):
    assert snap_compare(make_app("admin", lang="zh"), run_before=_opened(stories["training"], "3"),
                        terminal_size=(80, 24))
