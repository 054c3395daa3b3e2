"""The interview screen's data-review prompts are true for the employee, with the portrait's figures, in zh and en."""
from __future__ import annotations

from hrtui.domain import interview as iv
from hrtui.domain.portrait import portrait
from tests.tui.conftest import settle


async def shown_prompts(app, pilot, screen, joiner: str) -> list[str]:
    """Every prompt of the current part as the screen draws it (F4 steps through them), wrapped lines joined."""
    out = []
    for _ in range(len(screen.prompts())):
        out.append(joiner.join(str(screen.query_one("#iv-prompt").render()).splitlines()))
        await pilot.press("f4")
    return out


async def test_data_review_prompts_follow_the_portrait(make_app, actor_of, stories):
    from hrtui.tui.screens.interview import InterviewScreen

    number = stories["csat"]
    p = portrait(actor_of("hr.sales"), number, "zh")
    csat = p.dimension("CSAT")
    strengths = sorted((d for d in p.dimensions if not d.flagged and d.gap_team_pct is not None
                        and round(d.gap_team_pct) >= 1), key=lambda d: -d.gap_team_pct)
    assert len(strengths) == 2 and "ATTENDANCE" not in {d.code for d in strengths}
    app = make_app("hr.sales", lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await app.push_screen(InterviewScreen(iv.start_or_resume(app.actor, number)))
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("f5")  # data review
        zh = "\n".join(await shown_prompts(app, pilot, screen, ""))
        # attendance is below the team here (the review's example); no leave, no complaints to ask about
        assert "{" not in zh and "出勤" not in zh and "请假" not in zh and "客户投诉，" not in zh
        assert f"你的{'和'.join(d.name_zh for d in strengths)}好于团队平均" in zh
        assert f"需要重点关注的是{csat.name_zh}" in zh
        await pilot.press("f7")  # English: the same facts, the other language
        await settle(app, pilot)
        en = "\n".join(await shown_prompts(app, pilot, screen, " "))
        assert "{" not in en and "attendance" not in en.lower() and "leave" not in en
        assert "the focus should be on customer satisfaction" in en
        names = " and ".join(d.name_en.lower() for d in strengths)
        assert f"better than the team average on {names}." in en


async def test_the_palette_offers_only_prompts_true_for_this_employee(make_app, stories):
    from hrtui.tui.commands import HRCommands
    from hrtui.tui.screens.interview import InterviewScreen

    app = make_app("hr.sales", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await app.push_screen(InterviewScreen(iv.start_or_resume(app.actor, stories["csat"])))
        await settle(app, pilot)
        entries = [title for title, _help, _run in HRCommands(app.screen)._commands()]
        assert any("customer satisfaction" in e for e in entries)            # filled with this employee's facts
        assert not any("{" in e for e in entries), [e for e in entries if "{" in e]
        assert not any("leave than usual" in e for e in entries)              # no leave signal for this story
