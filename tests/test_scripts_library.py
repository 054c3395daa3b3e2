"""The interview script library: the seed file and the selection functions."""

from __future__ import annotations

import collections
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from hrtui.domain import scripts_library as sl

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def entries():
    return sl.load_seed()


def test_seed_size_and_categories(entries):
    assert len(entries) >= 70
    per_category = collections.Counter(e["category"] for e in entries)
    assert set(per_category) == set(sl.CATEGORIES)
    for cat in sl.CATEGORIES:
        assert per_category[cat] >= 8, f"{cat}: {per_category[cat]}"


def test_keys_are_unique_and_stable_looking(entries):
    keys = [e["key"] for e in entries]
    assert len(keys) == len(set(keys))
    assert all(re.fullmatch(r"[a-z_]+\.[a-z_]+", k) for k in keys)


def test_both_languages_present(entries):
    for e in entries:
        assert e["zh"].strip() and e["en"].strip(), e["key"]
        assert CJK.search(e["zh"]), e["key"]
        assert not CJK.search(e["en"]), e["key"]
    assert sl.validate(entries) == []


def test_every_segment_has_prompts(entries):
    for seg in sl.SEGMENTS:
        assert len(sl.for_segment(entries, seg, "zh")) >= 5, seg


def test_for_segment(entries):
    prompts = sl.for_segment(entries, "data_review", "en")
    assert prompts and all(p["segment"] == "data_review" for p in prompts)
    assert all(not CJK.search(p["text"]) for p in prompts)
    # data first, then the questions and de-escalation that serve this segment
    cats = [p["category"] for p in prompts]
    assert cats[0] == "data_review"
    assert cats == sorted(cats, key=lambda c: sl._CATEGORY_ORDER[c])
    zh = sl.for_segment(entries, "data_review", "zh")
    assert [p["key"] for p in zh] == [p["key"] for p in prompts]
    assert all(CJK.search(p["text"]) for p in zh)
    with pytest.raises(ValueError):
        sl.for_segment(entries, "lunch", "zh")


def test_search_zh_and_en(entries):
    hits = sl.search(entries, "困难", "zh")
    assert any(h["key"] == "question.hardest" for h in hits)
    assert all("困难" in h["text"] for h in hits)
    hits = sl.search(entries, "HARDEST part", "en")            # case-insensitive
    assert [h["key"] for h in hits] == ["question.hardest"]
    # an English query finds an entry and shows it in Chinese
    hits = sl.search(entries, "mentor", "zh")
    assert hits and all(CJK.search(h["text"]) for h in hits)
    assert {"plan.mentor"} <= {h["key"] for h in hits}
    assert sl.search(entries, "ＰＲＥＳＳＵＲＥ", "en")            # full-width query
    assert sl.search(entries, "no such words anywhere", "en") == []
    assert len(sl.search(entries, "", "en")) == len(entries)


def test_empathy_for(entries):
    for mood in sl.MOODS:
        prompts = sl.empathy_for(mood, entries)
        assert len(prompts) >= 4, mood
        assert {p["category"] for p in prompts} <= {"empathy", "de_escalation"}
    assert sl.empathy_for("low", entries)[0]["category"] == "empathy"
    assert sl.empathy_for("resistant", entries)[0]["category"] == "de_escalation"
    assert len(sl.empathy_for("irritated", entries, "en", limit=3)) == 3
    assert sl.empathy_for("calm", entries) == []
    with pytest.raises(ValueError):
        sl.empathy_for("angry", entries)


def test_empathy_for_rows_without_moods(entries):
    # the store's script table has no moods column: builtin keys keep the seed's mapping,
    # a custom prompt suits every negative mood
    rows = [{k: v for k, v in e.items() if k != "moods"} for e in entries]
    rows.append({"key": "empathy.custom", "category": "empathy", "segment": "employee_view",
                 "zh": "我明白这不容易。", "en": "I know this isn't easy."})
    for mood in sl.MOODS:
        from_rows = [p["key"] for p in sl.empathy_for(mood, rows)]
        from_seed = [p["key"] for p in sl.empathy_for(mood, entries)]
        assert [k for k in from_rows if k != "empathy.custom"] == from_seed
        assert "empathy.custom" in from_rows


def test_functions_work_on_edited_lists(entries):
    edited = [dict(e) for e in entries if e["category"] == "closing"]
    edited.append({"key": "closing.custom", "category": "closing", "segment": "closing",
                   "zh": "今天先到这里。", "en": ""})
    prompts = sl.for_segment(edited, "closing", "en")
    assert prompts[-1] == {"key": "closing.custom", "category": "closing", "segment": "closing",
                           "text": "今天先到这里。"}       # falls back to the other language
    assert sl.validate(edited) == ["entry 'closing.custom': no en text"]


def test_validate_and_bad_seed(tmp_path):
    bad = [{"key": "a.b", "category": "gossip", "segment": "plan", "zh": "好", "en": "ok"},
           {"key": "a.b", "category": "closing", "segment": "tea", "zh": "", "en": "x", "moods": ["happy"]}]
    problems = sl.validate(bad)
    assert any("gossip" in p for p in problems) and any("duplicate key" in p for p in problems)
    assert any("tea" in p for p in problems) and any("no zh text" in p for p in problems)
    assert any("moods" in p for p in problems)
    path = tmp_path / "scripts.json"
    path.write_text(json.dumps({"entries": bad}), encoding="utf-8")
    with pytest.raises(sl.ScriptError, match="duplicate key"):
        sl.load_seed(path)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(sl.ScriptError, match="not valid JSON"):
        sl.load_seed(path)


def test_load_seed_returns_fresh_copies():
    a, b = sl.load_seed(), sl.load_seed()
    a[0]["zh"] = "changed"
    assert b[0]["zh"] != "changed" and sl.load_seed()[0]["zh"] != "changed"


def test_no_textual_or_peewee_import():
    root = Path(__file__).resolve().parents[1]
    code = ("import sys, hrtui.domain.scripts_library as s; s.load_seed(); "
            "sys.exit(1 if {'textual', 'peewee'} & set(sys.modules) else 0)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_conditional_entries_need_their_facts(entries):
    strengths = next(e for e in entries if e["key"] == "data.strengths_first")
    assert sl.requirements(strengths) == {"strengths"}
    facts = {"strengths": {"zh": "出勤率和学习成长", "en": "attendance rate and learning"}}
    assert sl.fill(strengths, "zh", facts) == "先说做得好的地方：你的出勤率和学习成长好于团队平均。"
    assert sl.fill(strengths, "en", facts).endswith("better than the team average on attendance rate and learning.")
    assert sl.fill(strengths, "en", {}) is None and sl.fill(strengths, "en", None) is None
    # without facts only the general prompts: no template, no claim
    general = sl.for_segment(entries, "data_review", "en")
    assert general and all(not sl.requirements(e) for e in entries if e["key"] in {p["key"] for p in general})
    assert not any("{" in p["text"] for p in general)
    keys = [p["key"] for p in sl.for_segment(entries, "data_review", "en", facts)]
    assert "data.strengths_first" in keys and "data.summary" not in keys


def test_rows_without_when_use_the_seeds(entries):
    # the store keeps no "when" column: a builtin key keeps the seed's condition even with an edited text
    row = {k: v for k, v in next(e for e in entries if e["key"] == "data.complaints").items() if k != "when"}
    row["zh"], row["en"] = "我们看看投诉的情况。", "Let's look at the complaints."
    assert sl.requirements(row) == {"COMPLAINT.team_shortfall"}
    assert sl.fill(row, "en", {}) is None
    assert sl.fill(row, "en", {"COMPLAINT.team_shortfall": {"zh": "客户投诉率", "en": "customer complaint rate"}}) \
        == "Let's look at the complaints."
    # an admin's entry: no condition unless it fills a fact in
    custom = {"key": "custom.1", "category": "data_review", "segment": "data_review", "zh": "好", "en": "Good."}
    assert sl.requirements(custom) == set() and sl.fill(custom, "en", None) == "Good."
    only_zh = dict(custom, zh="你请了 {leave.days} 天假。", en="")
    assert sl.fill(only_zh, "en", {"leave.days": {"zh": "11", "en": "11"}}) == "你请了 11 天假。"


def test_validate_placeholders_and_when():
    bad = [{"key": "a.b", "category": "data_review", "segment": "data_review", "zh": "你的{strengths}很好",
            "en": "Your {shortfalls}", "when": "strengths"}]
    problems = sl.validate(bad)
    assert any("different placeholders" in p for p in problems) and any("when must be" in p for p in problems)
