"""The interview screen through the pilot at 80×24: timer, prompts, speakers, mood banner, resume, summary."""
from __future__ import annotations

from hrtui.domain import interview as iv
from hrtui.store.db import database
from tests.tui.conftest import settle


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


async def open_interview(app, pilot, number, clock=None):
    from hrtui.tui.screens.interview import InterviewScreen

    session = iv.start_or_resume(app.actor, number)
    await app.push_screen(InterviewScreen(session, clock=clock) if clock else InterviewScreen(session))
    await settle(app, pilot)
    return app.screen


def head(screen) -> str:
    return str(screen.query_one("#iv-head").render())


async def test_timer_counts_from_the_clock_and_shows_overrun(make_app, stories):
    app = make_app("hr.sales")
    clock = FakeClock()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = await open_interview(app, pilot, stories["csat"], clock)
        assert "00:00" in head(screen) and "Opening left 03:00" in head(screen)
        clock.now += 95
        screen._tick()
        assert "total 01:35" in head(screen) and "left 01:25" in head(screen)
        clock.now += 200  # opening is 3 minutes: now 1:55 over
        screen._tick()
        assert "Opening over by 01:55" in head(screen)
        await pilot.press("f5")  # next part: data review, its own 10-minute countdown
        assert "Data review left 10:00" in head(screen)
        clock.now += 60
        screen._tick()
        assert "Data review left 09:00" in head(screen) and "total 05:55" in head(screen)


async def test_prompts_follow_the_agenda_part(make_app, stories):
    app = make_app("hr.sales", lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = await open_interview(app, pilot, stories["csat"])
        opening = [p["text"] for p in screen.prompts()]
        shown = str(screen.query_one("#iv-prompt").render())
        assert opening[0] in shown and f"1/{len(opening)}" in shown
        await pilot.press("f4")
        assert opening[1] in str(screen.query_one("#iv-prompt").render())
        await pilot.press("f5", "f5")  # data review, then the employee's view
        view = [p["text"] for p in screen.prompts()]
        assert view and set(view).isdisjoint(opening)
        assert view[0] in str(screen.query_one("#iv-prompt").render())
        assert any("困难" in p for p in view)


async def test_speakers_lines_and_the_pause_banner(make_app, stories):
    app = make_app("hr.sales", lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = await open_interview(app, pilot, stories["csat"])
        await pilot.press(*"Please tell me how things are going", "enter")
        assert str(screen.query_one("#iv-speaker").render()) == "[HR]"
        await pilot.press("f2")
        assert str(screen.query_one("#iv-speaker").render()) == "[员工]"
        assert not screen.query_one("#iv-banner").display
        for ch in "凭什么只说我，别人也这样":
            await pilot.press(ch)
        await pilot.press("enter")
        await settle(app, pilot)
        banner = str(screen.query_one("#iv-banner").render())
        assert screen.query_one("#iv-banner").display and "暂停当前话题，先关注对方感受" in banner
        assert [(n.speaker, n.mood) for n in screen.iv.notes] == [("hr", None), ("employee", "resistant")]
        for ch in "好的，我明白了，谢谢":
            await pilot.press(ch)
        await pilot.press("enter")
        assert not screen.query_one("#iv-banner").display  # a calm answer lowers it
        await pilot.press("f9", "f9")  # HR's own reading of the last employee line: irritated, then low
        screen._write_tag()
        screen.recorder.flush()
        row = database.execute_sql("SELECT mood, mood_tag FROM interview_note WHERE seq = 3").fetchone()
        assert row == ("calm", "low")
        assert database.execute_sql("SELECT label, source FROM interview_mood ORDER BY offset_s").fetchall()[-1] == ("low", "tag")


async def test_everything_typed_is_back_after_a_restart(make_app, stories):
    app = make_app("hr.sales")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = await open_interview(app, pilot, stories["leave"])
        await pilot.press(*"How was last month", "enter", "f2", *"Too many tickets", "enter", *"I was going to sa")
        screen.recorder.flush()  # what the autosave does within a second
    # a new process: same database, nothing carried over in memory
    app2 = make_app("hr.sales")
    async with app2.run_test(size=(80, 24)) as pilot:
        await settle(app2, pilot)
        assert app2.resume_interview_if_open(stories["leave"])
        await settle(app2, pilot)
        screen = app2.screen
        assert [n.text for n in screen.iv.notes] == ["How was last month", "Too many tickets"]
        assert screen.query_one("#iv-input").value == "I was going to sa"
        assert screen.speaker == "employee"


async def test_ending_saves_a_summary_with_goals_covered(make_app, stories):
    from hrtui.domain.goals import save_goals, suggest_goals  # noqa: F401  (goals exist from the portrait)

    app = make_app("hr.sales")
    number = stories["csat"]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        from hrtui.domain.portrait import portrait

        p = portrait(app.actor, number, "en")
        save_goals(app.actor, number, p.goals)
        screen = await open_interview(app, pilot, number)
        await pilot.press(*"Let us look at the numbers", "enter", "f12")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "SummaryScreen"
        await pilot.press("space", "enter")
        await settle(app, pilot)
        state, md = database.execute_sql("SELECT state, summary_md FROM interview").fetchone()
        assert state == "ended"
        assert "Let us look at the numbers" in md and "[x]" in md and "## Time per segment" in md
        assert type(app.screen).__name__ == "SummaryScreen"
        await pilot.press("m")
        await settle(app, pilot)
    assert iv.open_interview(app.actor, number) is None


def test_interview_snapshot_zh(make_app, stories, snap_compare):
    async def run_before(pilot):
        app = pilot.app
        await settle(app, pilot)
        await open_interview(app, pilot, stories["csat"], FakeClock())
        await pilot.press(*"Hello", "enter", "f2")
        for ch in "凭什么只说我，别人也这样":
            await pilot.press(ch)
        await pilot.press("enter")
        await settle(app, pilot)

    assert snap_compare(make_app("hr.sales", lang="zh"), run_before=run_before, terminal_size=(80, 24))


# -- what the user sees at 80×24 ------------------------------------------------------------------------------
def screen_rows(app) -> list[str]:
    """The whole screen as text rows, as a terminal shows it (what the compositor draws, not widget contents)."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, color_system=None,
                      legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return [row.rstrip() for row in console.export_text().splitlines()]


def note_rows(app) -> list[str]:
    """The rows of the notes log, between its top rule and the line being typed."""
    rows = screen_rows(app)
    top = next(i for i, r in enumerate(rows) if r.startswith("────"))
    return [r.strip() for r in rows[top + 1:-2] if r.strip()]


def cells_before(row: str, text: str) -> int:
    from rich.cells import cell_len

    return cell_len(row[:row.index(text)])


LONG_ZH = "最近家里事情比较多，心情不太好，工作上确实有些力不从心，客户那边的投诉我也很难过，希望公司能够理解我的处境并给我一些时间"
LONG_EN = "Honestly I think these targets are unfair and I do not accept the blame now"


async def type_line(pilot, text: str) -> None:
    """Type a line and commit it (the text is set at once: the pilot has no key for CJK punctuation)."""
    pilot.app.screen.query_one("#iv-input").value = text
    await pilot.press("enter")


async def test_long_lines_wrap_by_cell_width_and_keep_every_character(make_app, stories):
    app = make_app("hr.sales", lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await open_interview(app, pilot, stories["csat"], FakeClock())
        await pilot.press("f2")
        await type_line(pilot, LONG_ZH)
        await settle(app, pilot)
        rows = note_rows(app)
        assert len(rows) == 2, rows
        # CJK breaks between characters: the first row is filled after the speaker, no character is cut off
        assert rows[0].startswith("00:00 员工: 最近家里")
        assert LONG_ZH in "".join(rows[0].split(": ", 1)[1:] + rows[1:]).replace("  [低落]", "")
        assert rows[1].endswith("[低落]")
        await pilot.resize_terminal(60, 24)  # a narrower terminal: the lines are wrapped again, still whole
        await settle(app, pilot)
        rows = note_rows(app)
        assert len(rows) == 3 and LONG_ZH in "".join(rows).split(": ", 1)[1].replace("  [低落]", ""), rows
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        app.action_toggle_lang()  # English: the mood tag stays whole at the end of a wrapped line
        await pilot.press("f2")  # back to HR, then the employee again
        await pilot.press("f2")
        await type_line(pilot, LONG_EN)
        await settle(app, pilot)
        rows = note_rows(app)
        assert rows[-2] == "00:00 Employee: Honestly I think these targets are unfair and I do not accept"
        assert rows[-1] == "the blame now  [resistant]"
        assert all(len(r) <= 78 for r in rows)


async def test_the_leave_key_is_always_on_the_key_bar(make_app, stories):
    app = make_app("hr.sales")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await open_interview(app, pilot, stories["csat"])
        bar = screen_rows(app)[-1]
        assert bar.startswith("esc Leave f12 End f2 Speaker"), bar
        app.action_toggle_lang()
        await settle(app, pilot)
        bar = screen_rows(app)[-1]
        assert bar.startswith("esc 离开 f12 结束") and "f10 图表" in bar, bar


async def summary_rows(app, pilot, number):
    from hrtui.domain.goals import save_goals
    from hrtui.domain.portrait import portrait

    save_goals(app.actor, number, portrait(app.actor, number, app.lang).goals)
    screen = await open_interview(app, pilot, number, FakeClock())
    screen.clock._now.now += 200  # past the 3-minute opening: the overrun mark
    await type_line(pilot, "Hello")
    await pilot.press("f12")
    await settle(app, pilot)
    await pilot.press("space", "down")
    await settle(app, pilot)
    return screen_rows(app)


async def test_summary_checkboxes_time_table_and_key_labels_zh(make_app, stories):
    app = make_app("hr.sales", lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        rows = await summary_rows(app, pilot, stories["csat"])
        goals = [r for r in rows if "[x]" in r or "[ ]" in r]
        assert len(goals) >= 2 and "[x]" in goals[0] and goals[1].lstrip().startswith("› [ ]"), rows
        names = ("开场", "数据回顾", "员工观点", "改进计划", "收尾")
        times = [next(r for r in rows if r.strip().startswith(n)) for n in names]
        assert len({cells_before(r, ":") for r in times}) == 1, times  # one column, counted in cells
        assert times[0].rstrip().endswith("03:20 / 03:00 +")
        assert "共 1 行记录" in [r.strip() for r in rows]
        assert "p 起草计划" in rows[-1] and "Draft plan" not in rows[-1]


async def test_summary_time_table_and_count_en(make_app, stories):
    app = make_app("hr.sales")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        rows = await summary_rows(app, pilot, stories["csat"])
        names = ("Opening", "Data review", "Employee's view", "Plan", "Closing")
        times = [next(r for r in rows if r.strip().startswith(n)) for n in names]
        assert "Employee's view  00:00 / 10:00" in times[2]  # the column is as wide as the longest name
        assert len({r.index(":") for r in times}) == 1, times
        assert any(r.strip().startswith("[x] ") for r in rows)
        assert "1 line" in [r.strip() for r in rows] and not any("1 lines" in r for r in rows)
        assert "p Draft plan" in rows[-1] and "esc Back" in rows[-1]


async def test_f10_shows_the_charts_and_i_goes_back_to_the_interview(make_app, stories):
    from hrtui.tui.screens.interview import InterviewScreen
    from hrtui.tui.screens.portrait import PortraitScreen
    from tests.tui.test_portrait_tui import settle as settle_all

    app = make_app("hr.sales", lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        interview = await open_interview(app, pilot, stories["csat"])
        await type_line(pilot, "Hello")
        await pilot.press("f10")
        await settle_all(app, pilot)
        assert isinstance(app.screen, PortraitScreen)
        assert app.screen.query_one("#portrait-body").current == "pt-charts"
        rows = screen_rows(app)
        assert any("差距雷达" in r for r in rows) and not any("关键短板" in r for r in rows), rows
        await pilot.press("i")
        await settle(app, pilot)
        assert app.screen is interview  # back to the open interview, not a second one on top
        assert sum(isinstance(s, InterviewScreen) for s in app.screen_stack) == 1
        assert [n.text for n in interview.iv.notes] == ["Hello"]
        await pilot.press("escape")
        await settle(app, pilot)
        assert not any(isinstance(s, (InterviewScreen, PortraitScreen)) for s in app.screen_stack)


async def test_the_resume_notice_reads_as_one_sentence(make_app, stories):
    for lang, title, sentence in (("zh", "已恢复面谈", "已记录的2行和没写完的一行都在。"),
                                  ("en", "Interview resumed", "2 lines and the unfinished one are back.")):
        app = make_app("hr.sales", lang=lang)
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await settle(app, pilot)
            screen = await open_interview(app, pilot, stories["leave"])
            if not screen.iv.notes:
                await type_line(pilot, "How was last month")
                await pilot.press("f2")
                await type_line(pilot, "Too many tickets")
                await pilot.press(*"I was going to sa")
            screen.recorder.flush()
            await pilot.press("escape")
            await settle(app, pilot)
            app.clear_notifications()
            assert app.resume_interview_if_open(stories["leave"])
            await settle(app, pilot)
            await pilot.pause(0.2)
            toast = [r.rsplit("▌", 1)[1].strip() for r in screen_rows(app) if "▌" in r]  # the toast's column
            toast = [r for r in toast if r]
            assert toast[0] == title, toast
            if lang == "zh":
                assert toast[1:] == [sentence]  # one row: not split after the number
            else:
                assert " ".join(toast[1:]) == sentence
