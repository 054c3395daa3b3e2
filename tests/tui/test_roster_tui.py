"""The roster driven through Textual's pilot at 80×24, and its snapshots in both languages."""
from __future__ import annotations

from hrtui.tui.widgets.roster_view import RosterView
from tests.tui.conftest import settle


async def test_roster_fills_the_screen_in_number_order(make_app):
    app = make_app("admin")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        view = app.screen.query_one(RosterView)
        rows = view.visible_rows()
        assert len(rows) == view.size.height == 21  # 24 lines less filter, header, footer
        assert [r.number for r in rows] == sorted(r.number for r in rows)
        assert view.total == 240


async def test_typing_filters_incrementally(make_app):
    app = make_app("admin")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("z")  # typed on the list: the filter takes it
        await settle(app, pilot)
        first = app.screen.query_one(RosterView).total
        await pilot.press("h", "a")
        await settle(app, pilot)
        view = app.screen.query_one(RosterView)
        assert app.screen.query_one("#filter").value == "zha"
        assert 0 < view.total < first
        assert all("zha" in n.lower() for n in app.screen.visible_names())
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen.query_one(RosterView).total == 240


async def test_cjk_filter_for_hr_shows_only_their_department(make_app):
    app = make_app("hr.sales", lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+f", *"李")
        await settle(app, pilot)
        rows = app.screen.query_one(RosterView).visible_rows()
        assert rows and all("李" in r.name_zh and r.department_code == "SALES" for r in rows)


async def test_jump_keys_and_sort(make_app):
    app = make_app("admin")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        view = app.screen.query_one(RosterView)
        await pilot.press("end")
        assert view.current.number == "E000240"
        await pilot.press("home")
        assert view.current.number == "E000001"
        await pilot.press("pagedown")
        assert view.cursor == view.size.height - 1
        assert view.scroll_offset.y == 0
        await pilot.press("pagedown")
        assert view.scroll_offset.y > 0 and view.cursor in range(view.scroll_offset.y, view.scroll_offset.y + view.size.height)
        for _ in range(4):  # number -> name -> department -> position -> score (descending first)
            await pilot.press("f2")
        await settle(app, pilot)
        assert app.screen.sort == "score" and app.screen.descending
        scores = [r.score for r in view.visible_rows()]
        assert scores == sorted(scores, reverse=True)
        assert str(app.screen.query_one("#roster-header").render()).rstrip().endswith("Score ▼")  # the arrow shows
        await pilot.press("f3")
        await settle(app, pilot)
        scores = [r.score for r in view.visible_rows()]
        assert scores == sorted(scores)
        assert str(app.screen.query_one("#roster-header").render()).rstrip().endswith("Score ▲")


async def test_enter_opens_the_employee_and_escape_returns(make_app):
    app = make_app("admin")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "down", "enter")
        await settle(app, pilot)
        assert "E000003" in str(app.screen.query("Static").first().render())
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen.query_one(RosterView).current.number == "E000003"


async def test_language_switch_relabels_keys_and_headers(make_app):
    app = make_app("admin", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        header = str(app.screen.query_one("#roster-header").render())
        assert "Name" in header
        await pilot.press("f7")
        await settle(app, pilot)
        assert app.lang == "zh"
        assert "姓名" in str(app.screen.query_one("#roster-header").render())
        labels = {b.binding.description for b in app.screen.active_bindings.values()}
        assert "筛选" in labels and "English" in labels


async def test_theme_cycle_and_palette_lists_actions(make_app):
    app = make_app("hr.sales")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.theme == "hrtui-dark"
        await pilot.press("f8")
        assert app.theme != "hrtui-dark"
        from hrtui.tui.commands import HRCommands

        titles = [c[0] for c in HRCommands(app.screen)._commands()]
        assert "Open employee" in titles and "Sort roster by Score" in titles and "Switch language to 中文" in titles
        system = [c.title for c in app.get_system_commands(app.screen)]
        assert "Screenshot" not in system  # HR data on screen: screenshots for admins only


async def test_chinese_palette_names_themes_and_the_language_switch_in_chinese(make_app):
    app = make_app("hr.sales", lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        from hrtui.tui.commands import HRCommands

        titles = [c[0] for c in HRCommands(app.screen)._commands()]
        assert any("语言" in x and "English" in x for x in titles)  # found by typing 语言 as well as English
        assert {"主题：深色", "主题：浅色", "主题：高对比度", "主题：单色"} <= set(titles)
        await pilot.press("f8")
        await settle(app, pilot)
        assert "主题：高对比度" in [str(n.message) for n in app._notifications]  # the next after dark


async def test_no_color_uses_mono_theme(make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app("admin")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.theme == "hrtui-mono"


async def test_broken_user_theme_falls_back_with_a_notice(make_app, isolated_env):
    folder = isolated_env / "config" / "hrtui" / "themes"
    folder.mkdir(parents=True)
    (folder / "bad.toml").write_text('name = "bad"\nprimary = "not-a-colour"\n')
    app = make_app("admin", theme="bad")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.theme == "hrtui-dark"
        assert any("bad.toml" in str(n.message) for n in app._notifications)


def test_roster_snapshot_en(make_app, snap_compare):
    assert snap_compare(make_app("admin", lang="en"), terminal_size=(80, 24))


def test_roster_snapshot_zh_filtered(make_app, snap_compare):
    assert snap_compare(make_app("hr.sales", lang="zh"), press=["ctrl+f", "李"], terminal_size=(80, 24))


async def test_audit_screen_is_offered_to_admins_only(make_app):
    from hrtui.tui.commands import HRCommands

    app = make_app("hr.sales")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.check_action("open_audit", ()) is False  # the F12 key is neither shown nor run
        assert "Audit log" not in [c[0] for c in HRCommands(app.screen)._commands()]
        app.action_open_audit()  # a direct attempt: refused with one clear line, no screen
        await settle(app, pilot)
        assert type(app.screen).__name__ == "RosterScreen"
        assert any("may not read audit" in str(n.message) for n in app._notifications)

    app = make_app("admin")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert "Audit log" in [c[0] for c in HRCommands(app.screen)._commands()]
        await pilot.press("f12")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "AuditScreen"
        await pilot.press("f5")
        await settle(app, pilot)
        assert "Chain verified" in str(app.screen.query_one("#audit-status").render())


async def test_problem_report_from_the_palette_is_encrypted_for_the_admin(make_app, tmp_path, monkeypatch):
    from hrtui.crypto import age
    from hrtui.support import set_recipient

    identity, recipient = age.generate_identity()
    monkeypatch.chdir(tmp_path)
    app = make_app("hr.sales")
    set_recipient(app.actor.__class__("x", "admin", "admin"), recipient)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        app.action_report_problem(screenshot=True)
        await settle(app, pilot)
    [report] = list(tmp_path.glob("hrtui-problem-*.json.age"))
    import io
    import json

    out = io.BytesIO()
    age.decrypt(open(report, "rb"), out, identities=[identity])
    data = json.loads(out.getvalue())
    assert data["role"] == "hr" and "RosterScreen:sort_next" in data["steps"]
    assert "<svg" in data["screenshot.svg"]


async def test_key_bar_follows_focus_language_and_width(make_app):
    from rich.cells import cell_len

    from hrtui.tui.widgets.key_bar import KeyBar

    app = make_app("admin")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        bar = app.screen.query_one(KeyBar)
        line = str(bar.render())
        assert line.startswith("⏎ Open / Filter f2 Sort") and line.rstrip().endswith("▏^p palette")
        assert cell_len(line) == 80                     # the palette key sits at the right edge
        await pilot.press("slash")                      # focus on the filter: the list's Enter key leaves the bar
        await pilot.pause()
        assert "Open" not in str(bar.render())
        await pilot.press("escape", "f7")               # back to the list, then Chinese
        await pilot.pause()
        zh = str(bar.render())
        assert zh.startswith("⏎ 打开 / 筛选 f2 排序") and zh.endswith("▏^p 命令") and cell_len(zh) == 80
    async with make_app("admin").run_test(size=(40, 24)) as pilot:
        await settle(pilot.app, pilot)
        line = str(pilot.app.screen.query_one(KeyBar).render())
        # at 40 columns: only whole keys, then the palette key; no key cut in half
        assert line == "⏎ Open / Filter f2 Sort      ▏^p palette"


async def test_a_filter_that_matches_nobody_says_so(make_app):
    app = make_app("admin")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press(*"qqqx")
        await settle(app, pilot)
        view = app.screen.query_one(RosterView)
        assert view.total == 0
        assert view.render_line(1).text.strip().startswith("Nobody matches \u201cqqqx\u201d. Esc clears the filter")
        await pilot.press("escape")
        await settle(app, pilot)
        assert view.total == 240 and view.render_line(1).text.strip().startswith("E0000")


async def test_the_palette_speaks_chinese_too(make_app):
    from textual.command import CommandPalette
    from textual.widgets import Input

    app = make_app("admin", lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "退出" in titles and "Quit" not in titles and "Theme" not in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(Input).placeholder == "搜索命令…"
