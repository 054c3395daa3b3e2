"""The needs-attention screen through Textual's pilot at 80×24, and its snapshots in both languages."""
from __future__ import annotations

from hrtui.tui.screens.attention import AttentionScreen
from hrtui.tui.screens.portrait import PortraitScreen
from hrtui.tui.widgets.attention_view import AttentionView
from tests.tui.test_portrait_tui import settle, text_of


async def open_attention(app, pilot):
    await settle(app, pilot)
    await pilot.press("f4")
    await settle(app, pilot)
    assert isinstance(app.screen, AttentionScreen)
    return app.screen


async def test_f4_on_the_roster_lists_shortfalls_most_severe_first(make_app, stories):
    app = make_app("admin")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_attention(app, pilot)
        view = screen.query_one(AttentionView)
        rows = view.rows
        assert rows and [r.severity for r in rows] == sorted((r.severity for r in rows), reverse=True)
        assert {stories["csat"], stories["complaint"], stories["target"]} <= {r.number for r in rows}
        assert f"{len(rows)} employees" in text_of(screen, "#attention-top")
        assert rows[0].number in text_of(screen, "#attention-detail")
        assert "vs team mean" in text_of(screen, "#attention-detail")


async def test_filters_by_department_and_dimension(make_app):
    app = make_app("admin")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_attention(app, pilot)
        await pilot.press("f2")  # first department: CS
        await settle(app, pilot)
        view = screen.query_one(AttentionView)
        assert screen.department == "CS" and view.rows and {r.department_code for r in view.rows} == {"CS"}
        await pilot.press("f3")  # first dimension: TARGET
        await settle(app, pilot)
        assert screen.dimension == "TARGET"
        assert all(r.flags[0].code == "TARGET" and len(r.flags) == 1 for r in view.rows)
        assert "Dimension: Target completion" in text_of(screen, "#attention-top")


async def test_enter_opens_the_portrait_and_escape_comes_back(make_app):
    app = make_app("hr.sales", lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_attention(app, pilot)
        view = screen.query_one(AttentionView)
        assert {r.department_code for r in view.rows} == {"SALES"}
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PortraitScreen) and app.screen.number == view.rows[1].number
        await pilot.press("f4")  # back to the same list, not a second one on the stack
        await settle(app, pilot)
        assert app.screen is screen and view.cursor == 1
        assert sum(isinstance(s, AttentionScreen) for s in app.screen_stack) == 1


async def test_language_switch_redraws_without_scanning_again(make_app):
    app = make_app("admin", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_attention(app, pilot)
        scans = screen._generation
        await pilot.press("f7")
        await settle(app, pilot)
        assert screen._generation == scans
        assert "工号" in text_of(screen, "#attention-header") and "需关注" in text_of(screen, "#attention-top")
        assert "团队均值" in text_of(screen, "#attention-detail")


async def test_attention_is_not_offered_to_employees(make_app):
    from hrtui.tui.commands import HRCommands

    app = make_app("emp.sales")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.check_action("open_attention", ()) is False
        await pilot.press("f4")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "RosterScreen"
        assert "Needs attention" not in [c[0] for c in HRCommands(app.screen)._commands()]


async def test_palette_filters(make_app):
    from hrtui.tui.commands import HRCommands

    app = make_app("admin", lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert "需关注名单" in [c[0] for c in HRCommands(app.screen)._commands()]
        screen = await open_attention(app, pilot)
        cmds = {c[0]: c[2] for c in HRCommands(screen)._commands()}
        assert "需关注：部门 SALES 销售部" in cmds and "打开画像" in cmds
        cmds["需关注：维度 客户满意度"]()
        await settle(app, pilot)
        rows = screen.query_one(AttentionView).rows
        assert screen.dimension == "CSAT" and rows and all(r.flags[0].code == "CSAT" for r in rows)
        assert "客户满意度" in text_of(screen, "#attention-detail")


def _attention(*keys: str):
    async def run_before(pilot):
        app = pilot.app
        await settle(app, pilot)
        await pilot.press("f4", *keys)
        await settle(app, pilot)
    return run_before


def test_attention_snapshot_en(make_app, snap_compare):
    assert snap_compare(make_app("admin", lang="en"), run_before=_attention(), terminal_size=(80, 24))


def test_attention_snapshot_zh(make_app, snap_compare):
    assert snap_compare(make_app("hr.sales", lang="zh"), run_before=_attention("down"), terminal_size=(80, 24))
