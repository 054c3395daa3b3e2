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


def prompt_shown(screen) -> str:
    """The prompt line as one string (it wraps onto more rows by cell width; a CJK break adds no space)."""
    return str(screen.query_one("#iv-prompt").render()).replace("\n", "")


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
        shown = prompt_shown(screen)
        assert opening[0] in shown and f"1/{len(opening)}" in shown
        await pilot.press("f4")
        assert opening[1] in prompt_shown(screen)
        await pilot.press("f5", "f5")  # data review, then the employee's view
        view = [p["text"] for p in screen.prompts()]
        assert view and set(view).isdisjoint(opening)
        assert view[0] in prompt_shown(screen)
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


# -- the user review: clock, goals, keys, wrapping, agenda, Markdown, resume ----------------------------------------
def saved_elapsed(interview_id: str) -> float:
    """What a new process would resume from: the elapsed time in the database (WAL: readable beside the app)."""
    return database.execute_sql("SELECT elapsed_s FROM interview WHERE id = ?", (interview_id,)).fetchone()[0]


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_a_silent_stretch_is_saved_without_typing(make_app, stories):
    """A dropped SSH connection after 42 silent seconds: the saved clock is at most a few seconds behind."""
    app = make_app("hr.sales")
    clock = FakeClock()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = await open_interview(app, pilot, stories["csat"], clock)
        await type_line(pilot, "Hello")
        for _ in range(42):  # nobody types; the screen's own 2 Hz timer runs
            clock.now += 1
            await pilot.pause(0.06)
        await pilot.pause(0.6)
        screen.recorder.flush()
        assert "total 00:42" in head(screen)
        assert 39 <= saved_elapsed(screen.iv.id) <= 42, saved_elapsed(screen.iv.id)


async def test_ending_stops_the_clock_and_back_goes_on_without_the_summary_time(make_app, stories):
    app = make_app("hr.sales")
    clock = FakeClock()
    number = stories["csat"]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = await open_interview(app, pilot, number, clock)
        clock.now += 60
        await type_line(pilot, "Let us look at the numbers")
        await pilot.press("f12")
        await settle(app, pilot)
        clock.now += 100  # reading the summary, then back to the interview
        await pilot.press("escape")
        await settle(app, pilot)
        screen._tick()
        assert app.screen is screen and "total 01:00" in head(screen)
        clock.now += 30
        screen._tick()
        assert "total 01:30" in head(screen)
        await pilot.press("f12")
        await settle(app, pilot)
        clock.now += 300  # five minutes reading the summary before Enter
        await pilot.pause(0.6)  # the interview screen's timer ticks underneath
        assert any(r.startswith(" Interview summary") and r.endswith("total 01:30") for r in screen_rows(app))
        await pilot.press("enter")
        await settle(app, pilot)
        rows = screen_rows(app)
        assert any(r.strip().startswith("Opening") and "01:30 / 03:00" in r for r in rows), rows
    elapsed, md = database.execute_sql("SELECT elapsed_s, summary_md FROM interview").fetchone()
    assert elapsed == 90
    assert "- Total: 01:30" in md and "| Opening | 03:00 | 01:30 |" in md, md


async def test_suggested_goals_are_covered_without_saving_them_first(make_app, stories):
    from hrtui.domain.portrait import portrait

    app = make_app("hr.sales")
    number = stories["csat"]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        shown = portrait(app.actor, number, "en")
        assert not shown.goals_saved and shown.goals  # section 3 shows suggestions only
        suggested = [g.text("en") for g in shown.goals]
        await open_interview(app, pilot, number)  # started without Ctrl+S in the portrait
        await pilot.press("f12")
        await settle(app, pilot)
        rows = screen_rows(app)
        goals = [r.strip() for r in rows if "[ ]" in r or "[x]" in r]
        assert [g.split("] ", 1)[1] for g in goals] == suggested, rows
        assert not any(r.strip() == "none" for r in rows)
        await pilot.press("space", "down", "down", "space", "enter")
        await settle(app, pilot)
        rows = screen_rows(app)
        assert [r.strip()[:3] for r in rows if "[ ]" in r or "[x]" in r][:3] == ["[x]", "[ ]", "[x]"], rows
    md = database.execute_sql("SELECT summary_md FROM interview").fetchone()[0]
    assert f"- [x] {suggested[0]}" in md and f"- [ ] {suggested[1]}" in md and f"- [x] {suggested[2]}" in md, md


async def test_f7_and_f8_switch_language_and_theme_during_the_interview(make_app, stories):
    app = make_app("hr.sales")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = await open_interview(app, pilot, stories["csat"])
        await pilot.press(*"Half a line")
        theme = app.theme
        await pilot.press("f7")
        await settle(app, pilot)
        assert app.lang == "zh" and head(screen).startswith("面谈 · ")
        assert screen_rows(app)[-1].startswith("esc 离开 f12 结束")
        assert screen.query_one("#iv-input").value == "Half a line"  # the note line kept, nothing typed into it
        await pilot.press("f8")
        await settle(app, pilot)
        assert app.theme != theme
        await pilot.press("f12")  # and on the summary
        await settle(app, pilot)
        assert any(r.startswith(" 面谈纪要") for r in screen_rows(app))
        await pilot.press("f7")
        await settle(app, pilot)
        rows = screen_rows(app)
        assert any(r.startswith(" Interview summary") for r in rows) and "Time per part" in [r.strip() for r in rows]


def prompt_rows(app) -> list[str]:
    """The rows the current prompt takes on screen: below the agenda, above the banner or the notes' rule."""
    rows = screen_rows(app)
    end = next(i for i, r in enumerate(rows) if i > 2 and (r.startswith("────") or r.lstrip().startswith("⚠")))
    return rows[2:end]


async def test_every_prompt_shows_whole_with_its_counter_at_80_columns(make_app, stories):
    for lang in ("zh", "en"):
        app = make_app("hr.sales", lang=lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            screen = await open_interview(app, pilot, stories["csat"], FakeClock())
            wrapped = 0
            for part in range(len(screen.iv.agenda)):
                prompts = screen.prompts()
                for i, prompt in enumerate(prompts):
                    rows = prompt_rows(app)
                    assert rows[0].startswith(" » ") and all(len(r) <= 80 for r in rows), rows
                    shown = "".join("".join(rows).split())
                    assert shown.endswith("".join(prompt["text"].split()) + f"{i + 1}/{len(prompts)}"), (lang, rows)
                    wrapped += len(rows) > 1
                    await pilot.press("f4")
                await pilot.press("f5")
            assert wrapped, "no prompt needed a second row: the check proved nothing"


async def test_the_agenda_editor_speaks_the_ui_language_and_its_bounds_are_true(make_app, stories):
    from hrtui.tui.screens.interview import AskScreen

    app = make_app("hr.sales", lang="zh")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        screen = await open_interview(app, pilot, stories["csat"])

        async def answer(text: str) -> None:
            assert isinstance(app.screen, AskScreen)
            app.screen.query_one("#ask-input").value = text
            await pilot.press("enter")
            await settle(app, pilot)

        await pilot.press("ctrl+g")
        await settle(app, pilot)
        await answer("3")
        assert notices(app)[-1] == ("议程：共 5 个环节（开场、数据回顾、员工观点、改进计划、收尾），需要 5 个分钟数，"
                                    "如 3,10,10,10,5；你输入了 1 个")
        assert app.screen.query_one("#ask-input").value == "3"  # the editor again, to correct what was typed
        await answer("0,1,1,1,1")
        assert notices(app)[-1] == "议程：开场的时长须大于 0 分钟、不超过 240 分钟（你输入的是 0）"
        await answer("0.5,1,1,1,241")
        assert notices(app)[-1] == "议程：收尾的时长须大于 0 分钟、不超过 240 分钟（你输入的是 241）"
        await answer("0.5,1,1,1,240")
        assert app.screen is screen and [s.minutes for s in screen.iv.agenda] == [0.5, 1, 1, 1, 240]
        assert screen_rows(app)[1].startswith("  开场 0.5 ")
        assert not any("agenda" in n or "segment" in n for n in notices(app))


async def test_the_markdown_summary_is_all_in_chinese(make_app, stories):
    app = make_app("hr.sales", lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = await open_interview(app, pilot, stories["csat"], FakeClock())
        await pilot.press("f2")
        await type_line(pilot, "凭什么只说我，别人也这样")  # read as resistant: a cue
        await pilot.press("f9")  # HR's own reading (after resistant comes calm): a tag
        screen._write_tag()
        await pilot.press("f12")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
    from hrtui.tui.files import exports_dir

    md = next(exports_dir().glob("interview-*.md")).read_text(encoding="utf-8")
    moods = md.split("## 情绪变化")[1].split("##")[0]
    assert "- 00:00 抵触（据发言识别）" in moods and "- 00:00 平静（HR 标注）" in moods, moods
    assert "(cue)" not in md and "(tag)" not in md


async def test_an_i_right_after_an_automatic_resume_is_not_typed(make_app, stories):
    number = stories["leave"]
    app = make_app("hr.sales")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = await open_interview(app, pilot, number)
        await type_line(pilot, "How was last month")
        await pilot.press(*"I was going to sa")
        screen.recorder.flush()
        await pilot.press("escape")
        await settle(app, pilot)
        app.open_employee(number)  # Enter on the roster: straight back into the unfinished interview …
        await pilot.press("i")     # … and the habit: `i` to start the interview from the portrait
        await settle(app, pilot)
        screen = app.screen
        assert type(screen).__name__ == "InterviewScreen"
        assert screen.query_one("#iv-input").value == "I was going to sa"
        assert [n.text for n in screen.iv.notes] == ["How was last month"]
        await pilot.press(*"id")  # only that first key: the line goes on as typed
        assert screen.query_one("#iv-input").value == "I was going to said"
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        clock = FakeClock()  # later than the grace time, `i` is a letter like any other
        screen = await open_interview(app, pilot, number, clock)
        clock.now += 10
        await pilot.press("backspace", "backspace", "i")
        assert screen.query_one("#iv-input").value == "I was going to sai"
