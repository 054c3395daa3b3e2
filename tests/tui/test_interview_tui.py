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
