"""The interview's data-review prompts say only what is true for the employee in front of HR, with their figures.

Checked on the demo company: the planted under-performers and an employee without shortfalls or signals, in both
languages, against the portrait (the one source of every number a prompt says).
"""
from __future__ import annotations

import pytest

from hrtui.domain import script_facts, script_store
from hrtui.domain import scripts_library as sl
from hrtui.domain.portrait import portrait
from hrtui.errors import UserError
from hrtui.store.db import database

LANGS = ("zh", "en")
SEED = {e["key"]: e for e in sl.load_seed()}
GENERAL_DATA_REVIEW = {k for k, e in SEED.items() if e["segment"] == "data_review" and not sl.requirements(e)}


def data_review(actor, number: str, lang: str) -> dict[str, str]:
    facts = script_facts.employee_facts(actor, number)
    return {p["key"]: p["text"] for p in sl.for_segment(script_store.entries(), "data_review", lang, facts)}


def name(d, lang: str) -> str:
    return d.name_zh if lang == "zh" else d.name_en.lower()


def strengths(p) -> list:
    """What the portrait shows as better than the team ("+1%" or more in its column), not a key shortfall."""
    better = [d for d in p.dimensions if not d.flagged and d.gap_team_pct is not None and round(d.gap_team_pct) >= 1]
    return sorted(better, key=lambda d: -d.gap_team_pct)


def worse_than_team(d, i: int) -> bool:
    mine, team = d.trend[i], d.team_trend[i]
    if mine is None or team is None:
        return False
    return mine > team if d.direction == "lower" else mine < team


def clean_employee(actor) -> str:
    """The first demo employee with no key shortfall and no signal, who is ahead of the team somewhere."""
    for (number,) in database.execute_sql("SELECT number FROM employee WHERE status != 'left' ORDER BY number"):
        p = portrait(actor, number, "en")
        if not p.key_shortfalls and not p.signals and p.team_note is None and strengths(p):
            return number
    raise AssertionError("the demo has no employee without shortfalls or signals")


def check_no_false_claim(actor, number: str, lang: str) -> dict[str, str]:
    """Every data-review prompt offered for `number` is true for them, by the portrait; returns the prompts."""
    p = portrait(actor, number, lang)
    shown = data_review(actor, number, lang)
    assert not any("{" in text or "}" in text for text in shown.values()), shown
    short = p.shortfalls
    complaint = next((d for d in p.dimensions if d.code == "COMPLAINT"), None)
    kinds = {s.kind for s in p.signals}
    overdue = [s for s in p.signals if s.kind == "training" and s.data["completed_date"] is None]
    top_latest_worse = bool(short) and worse_than_team(short[0], len(p.trend_months) - 1)
    expected = set(GENERAL_DATA_REVIEW)
    for key, holds in (("data.strengths_first", bool(strengths(p))),
                       ("data.team_mean", any("team" in d.reasons for d in short)),
                       ("data.requirement", any("requirement" in d.reasons for d in short)),
                       ("data.summary", bool(short)),
                       ("data.trend", top_latest_worse),
                       ("data.complaints", complaint is not None and "team" in complaint.reasons),
                       ("question.what_happened", complaint is not None and complaint.flagged),
                       ("data.leave_signal", "leave" in kinds),
                       ("data.training_overdue", bool(overdue)),
                       ("data.project_hours", "project" in kinds)):
        if holds:
            expected.add(key)
    assert set(shown) == expected

    # the general prompts are said as written
    for key in GENERAL_DATA_REVIEW:
        assert shown[key] == SEED[key][lang]
    # the strengths named are the portrait's, best first, and no other dimension is praised
    if "data.strengths_first" in shown:
        text = shown["data.strengths_first"]
        named = strengths(p)[:script_facts.MAX_NAMED]
        positions = [text.index(name(d, lang)) for d in named]
        assert positions == sorted(positions)
        for d in p.dimensions:
            if d not in named:
                assert name(d, lang) not in text, (d.code, text)
    # the summary and the team/requirement sentences name the key shortfalls, most severe first, and nothing else
    for key, dims in (("data.summary", short), ("data.team_mean", [d for d in short if "team" in d.reasons]),
                      ("data.requirement", [d for d in short if "requirement" in d.reasons])):
        if key in shown:
            named = dims[:script_facts.MAX_NAMED]
            positions = [shown[key].index(name(d, lang)) for d in named]
            assert positions == sorted(positions)
            assert not any(name(d, lang) in shown[key] for d in p.dimensions if d not in named)
    # the trend month: worse than the team every month from then on, and not the month before
    if "data.trend" in shown:
        top = short[0]
        assert name(top, lang) in shown["data.trend"]
        since = next(m for m in p.trend_months if m in shown["data.trend"])
        i = p.trend_months.index(since)
        assert all(worse_than_team(top, j) for j in range(i, len(p.trend_months)))
        assert i == 0 or not worse_than_team(top, i - 1)
    if "data.complaints" in shown:
        text = shown["data.complaints"]
        ratio = f"{complaint.team_ratio:.1f}"
        assert complaint.fmt(complaint.value) in text and complaint.fmt(complaint.team_mean) in text
        assert ratio in text and ratio in complaint.explanation   # the same figure as the portrait's sentence
    if "data.leave_signal" in shown:
        leave = next(s for s in p.signals if s.kind == "leave")
        days = f"{leave.data['recent_days']:g}"
        assert f" {days} " in shown["data.leave_signal"] and f" {days} " in leave.sentence
        for month in leave.months:
            assert month in shown["data.leave_signal"]
    if "data.training_overdue" in shown:
        course = overdue[0].data["course_zh" if lang == "zh" else "course_en"]
        text = shown["data.training_overdue"]
        assert course in text and overdue[0].data["due_date"] in text
    if "data.project_hours" in shown:
        project = next(s for s in p.signals if s.kind == "project")
        assert f"{project.data['drop_pct']:.0f}%" in shown["data.project_hours"]
        assert f"{project.data['drop_pct']:.0f}%" in project.sentence
    return shown


@pytest.mark.parametrize("lang", LANGS)
def test_low_customer_satisfaction_story(actor_of, stories, lang):
    shown = check_no_false_claim(actor_of("hr.sales"), stories["csat"], lang)
    satisfaction, attendance = ("客户满意度", "出勤") if lang == "zh" else ("customer satisfaction", "attendance")
    # the review's example: the old prompt praised attendance, which is below the team here; now it is not named
    assert attendance not in shown["data.strengths_first"]
    assert satisfaction in shown["data.summary"] and satisfaction in shown["data.trend"]
    # no complaints, leave, training or project claims for this employee
    assert not {"data.complaints", "question.what_happened", "data.leave_signal", "data.training_overdue",
                "data.project_hours"} & set(shown)


@pytest.mark.parametrize("lang", LANGS)
def test_leave_doubled_story(actor_of, stories, lang):
    shown = check_no_false_claim(actor_of("hr.sales"), stories["leave"], lang)
    assert "data.leave_signal" in shown
    # no key shortfall: nothing is summed up or compared as a gap
    assert not {"data.summary", "data.team_mean", "data.requirement", "data.trend", "data.complaints"} & set(shown)


@pytest.mark.parametrize("lang", LANGS)
def test_employee_without_shortfalls_or_signals(actor_of, lang):
    actor = actor_of("admin")
    shown = check_no_false_claim(actor, clean_employee(actor), lang)
    assert set(shown) == GENERAL_DATA_REVIEW | {"data.strengths_first"}


@pytest.mark.parametrize("kind", ["complaint", "training", "project", "target"])
def test_the_other_planted_stories(actor_of, stories, kind):
    for lang in LANGS:
        shown = check_no_false_claim(actor_of("admin"), stories[kind], lang)
        key = {"complaint": "data.complaints", "training": "data.training_overdue", "project": "data.project_hours",
               "target": "data.summary"}[kind]
        assert key in shown


def test_both_languages_offer_the_same_prompts(actor_of, stories):
    actor = actor_of("admin")
    for number in (*stories.values(), clean_employee(actor)):
        assert set(data_review(actor, number, "zh")) == set(data_review(actor, number, "en"))


def test_every_fact_the_seed_needs_exists(demo_db):
    codes = [r[0] for r in database.execute_sql("SELECT code FROM dimension")]
    needed = set().union(*(sl.requirements(e) for e in SEED.values()))
    assert needed and script_facts.unknown_names(sorted(needed), codes) == []


def test_an_admins_own_entries(actor_of, stories):
    admin = actor_of("admin")
    clean = clean_employee(admin)
    plain = script_store.add(admin, "data_review", "data_review", "我们也看看考勤记录。",
                             "Let's look at the attendance records too.")
    figured = script_store.add(admin, "data_review", "data_review", "这两个月你请了 {leave.days} 天假。",
                               "You took {leave.days} days of leave in these two months.")
    for lang in LANGS:
        # without a placeholder: shown to everyone
        for number in (clean, stories["csat"], stories["leave"]):
            assert plain in data_review(admin, number, lang)
        # with one: shown only to the employee who has the fact, with their figure
        assert figured not in data_review(admin, clean, lang)
        assert figured not in data_review(admin, stories["csat"], lang)
        leave = next(s for s in portrait(admin, stories["leave"], lang).signals if s.kind == "leave")
        assert f" {leave.data['recent_days']:g} " in data_review(admin, stories["leave"], lang)[figured]
    with pytest.raises(UserError, match="strenghts"):
        script_store.add(admin, "data_review", "data_review", "你的{strenghts}不错。", "Your {strenghts} are good.")
    with pytest.raises(UserError, match="CSATT"):
        script_store.edit(admin, plain, en="Your score is {CSATT.value}.")


def test_a_database_seeded_with_the_former_texts_gets_the_new_ones(actor_of, stories):
    """An existing database holds the old seed texts as rows: unedited ones are replaced, edits are kept."""
    admin = actor_of("admin")
    script_store.entries()
    old = SEED["data.strengths_first"]["previous"][0]
    database.execute_sql("UPDATE script SET zh = ?, en = ? WHERE key = 'data.strengths_first'", (old["zh"], old["en"]))
    old = SEED["data.summary"]["previous"][0]
    database.execute_sql("UPDATE script SET zh = ?, en = ? WHERE key = 'data.summary'", ("我们今天重点谈两件事。", old["en"]))
    rows = {e["key"]: e for e in script_store.entries()}
    assert (rows["data.strengths_first"]["zh"], rows["data.strengths_first"]["en"]) == (
        SEED["data.strengths_first"]["zh"], SEED["data.strengths_first"]["en"])
    assert rows["data.summary"]["zh"] == "我们今天重点谈两件事。"                 # the admin's edit stays
    assert rows["data.summary"]["en"] == SEED["data.summary"]["en"]
    shown = data_review(admin, stories["csat"], "zh")
    assert "出勤" not in shown["data.strengths_first"]
    # the edited text keeps the seed's condition: no summary for an employee without shortfalls
    assert "data.summary" not in data_review(admin, stories["leave"], "zh")


def test_without_the_portrait_only_general_prompts(actor_of, stories):
    """An actor who may not read the employee's portrait gets the general prompts, never a guessed fact."""
    assert script_facts.employee_facts(actor_of("hr.rd"), stories["csat"]) == {}
    prompts = sl.for_segment(script_store.entries(), "data_review", "en", {})
    assert {p["key"] for p in prompts} == GENERAL_DATA_REVIEW
