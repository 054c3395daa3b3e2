"""The import screen at 80×24, keyboard only: F6 from the roster, type a path, preview, dry run, import; scope
errors listed by row; refused roles never see it; both languages; one snapshot."""
from __future__ import annotations

from textual.widgets import Checkbox, DataTable, Input, RichLog, Select, Static

from hrtui.tui.screens.import_data import ImportScreen
from tests.test_import_support import count, score_of, write_csv
from tests.tui.conftest import settle

ROWS = [["工号", "指标", "月份", "得分", "备注"], ["E000001", "CSAT", "2026-03", "61", "ok"],
        ["E000002", "客户满意度", "2026年3月", "62分", ""], ["E000100", "CSAT", "2026-03", "63", "RD"]]


def log_text(app) -> str:
    return "\n".join(str(line.text) for line in app.screen.query_one("#imp-errors", RichLog).lines)


def status(app) -> str:
    return str(app.screen.query_one("#imp-status", Static).render())


async def open_with_file(app, pilot, name: str = "scores.csv"):
    await settle(app, pilot)
    await pilot.press("f6")
    await settle(app, pilot)
    assert isinstance(app.screen, ImportScreen)
    app.screen.query_one("#imp-path", Input).focus()
    await pilot.press(*name, "enter")
    await settle(app, pilot)


async def test_preview_dry_run_then_import(make_app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_csv(tmp_path / "scores.csv", ROWS[:3])
    app = make_app("admin")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_with_file(app, pilot)
        screen = app.screen
        table = screen.query_one("#imp-preview", DataTable)
        assert table.row_count == 2 and [str(c.label) for c in table.columns.values()][:3] == ["#", "工号", "指标"]
        assert "工号 → employee" in str(screen.query_one("#imp-mapping", Static).render())
        assert "备注" in str(screen.query_one("#imp-mapping", Static).render())
        from hrtui.tui.commands import HRCommands

        palette = {c[0]: c[2] for c in HRCommands(screen)._commands()}
        assert "Import data" not in palette
        palette["Import: dry run (F5)"]()  # the palette runs what F5 runs
        await settle(app, pilot)
        assert "Dry run: 2 rows — 0 new, 2 updated, 0 unchanged, 0 invalid. Nothing was written." in status(app)
        assert score_of("E000001", "CSAT", "2026-03") != 61
        await pilot.press("f9")
        await settle(app, pilot)
        assert "Imported 2 rows — 0 new, 2 updated" in status(app)
        assert log_text(app) == "No errors."
        assert score_of("E000001", "CSAT", "2026-03") == 61
        await pilot.press("escape")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "RosterScreen"


async def test_hr_sees_the_out_of_scope_row_and_can_skip_it(make_app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_csv(tmp_path / "scores.csv", ROWS)
    app = make_app("hr.sales")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_with_file(app, pilot)
        await pilot.press("f9")
        await settle(app, pilot)
        assert "row 4, column 工号: no employee 'E000100' in your scope" in log_text(app)
        assert "Nothing imported: 1 invalid row(s)" in status(app)
        assert score_of("E000001", "CSAT", "2026-03") != 61
        app.screen.query_one("#imp-skip", Checkbox).focus()
        await pilot.press("space")
        assert app.screen.query_one("#imp-skip", Checkbox).value
        await pilot.press("f9")
        await settle(app, pilot)
        assert "Imported 3 rows — 0 new, 2 updated, 0 unchanged, 1 invalid." in status(app)
        assert (tmp_path / "scores.csv.rejects.csv").exists()
        assert score_of("E000001", "CSAT", "2026-03") == 61


async def test_kind_by_keyboard_and_file_errors(make_app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_csv(tmp_path / "people.csv", [["ID", "Full Name", "Department", "Date of Joining"],
                                        ["HR-EMP-1", "Mei Lin", "Sales - ACME", "2021-04-12"]])
    (tmp_path / "junk.csv").write_bytes(b"\x00\x01binary")
    app = make_app("admin")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_with_file(app, pilot, "junk.csv")
        assert "not a text file" in status(app)
        kind = app.screen.query_one("#imp-kind", Select)
        kind.focus()
        await pilot.press("enter")          # open the list at "scores", walk up to "employees", choose it
        await pilot.press("up", "up", "enter")
        await settle(app, pilot)
        assert kind.value == "employees" and not app.screen.query_one("#imp-layout", Select).disabled
        app.screen.query_one("#imp-layout", Select).value = "frappe"
        path = app.screen.query_one("#imp-path", Input)
        path.value = ""
        path.focus()
        await pilot.press(*"people.csv", "enter")
        await settle(app, pilot)
        assert "ID → number" in str(app.screen.query_one("#imp-mapping", Static).render())
        await pilot.press("f9")
        await settle(app, pilot)
        assert "Imported 1 rows — 1 new" in status(app)
        assert count("employee", "number = 'HR-EMP-1'") == 1


def shown_choice(app, select_id: str) -> str:
    """What a drop-down shows as its current choice."""
    return str(app.screen.query_one(select_id, Select).query_one("#label", Static).render())


async def test_chinese_screen_and_language_switch(make_app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_csv(tmp_path / "scores.csv", ROWS[:2] + [["E000003", "CSAT", "2027-01", "70", ""]])
    app = make_app("admin", lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_with_file(app, pilot)
        assert str(app.screen.query_one("#imp-title", Static).render()) == "导入数据"
        labels = {b.binding.description for b in app.screen.active_bindings.values()}
        assert {"预览", "试运行", "导入", "返回"} <= labels
        shown = {wid: shown_choice(app, wid) for wid in ("#imp-layout", "#imp-encoding")}
        assert shown == {"#imp-layout": "本系统", "#imp-encoding": "自动识别"}  # no CLI words on the Chinese screen
        await pilot.press("f5")
        await settle(app, pilot)
        assert "第 3 行，列「月份」：月份 2027-01 在未来" in log_text(app)
        await pilot.press("f7")
        await settle(app, pilot)
        assert "row 3, column 月份: month 2027-01 is in the future" in log_text(app)
        assert "Dry run" in status(app)
        assert shown_choice(app, "#imp-encoding") == "auto"


async def test_managers_are_not_offered_the_import(make_app):
    from hrtui.tui.commands import HRCommands

    app = make_app("mgr.sales")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.screen.check_action("open_import", ()) is False  # F6 neither shown nor run
        assert "Import data" not in [c[0] for c in HRCommands(app.screen)._commands()]
        await pilot.press("f6")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "RosterScreen"
    app = make_app("hr.sales")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        titles = {c[0]: c[2] for c in HRCommands(app.screen)._commands()}
        titles["Import data"]()
        await settle(app, pilot)
        assert isinstance(app.screen, ImportScreen)
        kinds = [v for _label, v in app.screen.query_one("#imp-kind", Select)._options]
        assert "dimensions" not in kinds and "scores" in kinds


def test_import_screen_snapshot(make_app, snap_compare, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_csv(tmp_path / "scores.csv", ROWS[:3] + [["E000003", "CSAT", "2026-13", "120", ""]])

    async def run_before(pilot):
        app = pilot.app
        await open_with_file(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)

    assert snap_compare(make_app("admin"), run_before=run_before, terminal_size=(80, 24))


async def test_escape_cancels_a_running_import(make_app, tmp_path, monkeypatch):
    import time

    import hrtui.transfer.engine as engine
    from hrtui.transfer.handlers import Scores
    from tests.test_import_support import fingerprint

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(engine, "BATCH", 50)  # many batches: the worker asks for cancellation after each
    flush = Scores.flush
    monkeypatch.setattr(Scores, "flush", lambda self: (time.sleep(0.02), flush(self))[1])  # a slow disk
    months = [f"2024-{m:02d}" for m in range(1, 13)]
    write_csv(tmp_path / "scores.csv", [ROWS[0][:4]] + [[f"E{n:06d}", d, m, "50"] for n in range(1, 241)
                                                       for d in ("CSAT", "QUALITY", "TEAMWORK") for m in months])
    app = make_app("admin")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_with_file(app, pilot)
        before = fingerprint()
        await pilot.press("f9", "escape")
        await settle(app, pilot)
        assert status(app) == "import cancelled: nothing was written"
        assert isinstance(app.screen, ImportScreen) and not app.screen.running
        assert fingerprint() == before


async def test_preview_and_import_without_a_file_say_what_is_missing(make_app):
    app = make_app("admin")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        for key in ("f4", "f5", "f9"):                     # preview, dry run, import
            app.screen._status("")
            await pilot.press(key)
            await settle(app, pilot)
            assert status(app) == "Type the path of a file first.", key
        assert not app.screen.running
