"""The improvement-effect report: verdict rules, the windows, the demo's plans, and `hrtui report effect`."""
from __future__ import annotations

import datetime as _dt
import json
import os
import subprocess
import sys

import pytest

from hrtui.domain import effect as E
from hrtui.domain import plans as P
from hrtui.errors import UserError

T = _dt.date(2026, 11, 30)


# -- the rules ---------------------------------------------------------------------------------------------------------
def test_complaint_rate_halved_is_met():
    # the example: complaint rate 20 % → 5 % against a −50 % target (10 %)
    assert E.verdict("lower", 20.0, 5.0, 10.0, 5.0)[0] == "met"
    assert E.verdict("lower", 20.0, 10.0, 10.0, 5.0)[0] == "met"          # reaching the target exactly counts
    verdict, change, pct = E.verdict("lower", 20.0, 12.0, 10.0, 5.0)
    assert (verdict, change, pct) == ("improved", -8.0, -40.0)
    assert E.verdict("lower", 20.0, 19.5, 10.0, 5.0)[0] == "unchanged"
    assert E.verdict("lower", 20.0, 24.0, 10.0, 5.0)[0] == "worse"


def test_higher_is_better():
    assert E.verdict("higher", 60.0, 86.0, 85.0, 5.0)[0] == "met"
    assert E.verdict("higher", 60.0, 70.0, 85.0, 5.0)[0] == "improved"
    assert E.verdict("higher", 60.0, 61.0, 85.0, 5.0)[0] == "unchanged"
    assert E.verdict("higher", 60.0, 50.0, 85.0, 5.0)[0] == "worse"
    assert E.verdict("higher", 60.0, 62.0, 85.0, 2.0)[0] == "improved"    # the threshold is a setting
    assert E.verdict("higher", 60.0, None, 85.0, 5.0)[0] == "no_data"


def test_the_window_since_the_start():
    assert E.after_window(_dt.date(2026, 4, 1), _dt.date(2026, 7, 5), 3) == ["2026-04", "2026-05", "2026-06"]
    assert E.after_window(_dt.date(2026, 4, 2), _dt.date(2026, 7, 5), 3) == ["2026-05", "2026-06"]  # April is part
    assert E.after_window(_dt.date(2026, 1, 1), _dt.date(2026, 11, 30), 3) == ["2026-08", "2026-09", "2026-10"]
    assert E.after_window(_dt.date(2026, 11, 9), _dt.date(2026, 11, 30), 3) == []


# -- the demo's plans -------------------------------------------------------------------------------------------------
def _plan(actor, state, outcome=None):
    row = next(r for r in P.plans(actor, state, today=T) if r.outcome == outcome)
    return P.load(actor, row.id)


def test_closed_met_plan_shows_before_and_after(actor_of):
    hr = actor_of("hr.sales")
    plan = _plan(hr, "closed", "met")
    r = E.evaluate(plan, T)
    assert r.effective and r.measurable and r.met == len(r.goals) >= 1
    assert r.as_of == plan.closed_on                                    # a closed plan is judged at its close
    complaint = next(g for g in r.goals if g.code == "COMPLAINT")
    assert complaint.baseline > 5 and complaint.after < complaint.target <= complaint.baseline * 0.5 + 0.05
    assert complaint.after_months_with_data == 3
    assert max(complaint.baseline_months) < plan.start_date[:7] <= min(complaint.after_months)
    assert complaint.change_pct < -50 and complaint.verdict == "met"
    months = [m for m, _v in complaint.monthly]
    assert months[0] == complaint.baseline_months[0] and complaint.after_months[-1] in months


def test_closed_not_met_and_extended_plans_improved(actor_of):
    hr = actor_of("hr.sales")
    r = E.evaluate(_plan(hr, "closed", "not_met"), T)
    assert not r.effective and r.goals[0].verdict == "improved"
    ext = E.evaluate(_plan(hr, "extended"), T)
    g = ext.goals[0]
    assert g.verdict in ("improved", "met") and g.after > g.baseline
    assert g.after_months and g.after_months[-1] == "2026-10"           # data since the start, up to last month


def test_a_new_plan_is_not_measurable_yet(actor_of, stories):
    emp = actor_of("emp.sales")
    r = E.report(emp, stories["csat"], "en", T)
    assert not r.measurable and not r.effective
    assert all(g.verdict == "no_data" for g in r.goals)
    assert "not measurable yet" in r.summary("en")


def test_drafts_have_no_effect(actor_of):
    hr = actor_of("hr.sales")
    draft = P.plans(hr, "draft", today=T)[0]
    with pytest.raises(UserError, match="still a draft"):
        E.report(hr, draft.number, "en", T)


def test_text_and_markdown(actor_of):
    hr = actor_of("hr.sales")
    r = E.report(hr, _plan(hr, "closed", "met").number, "en", T)
    text = E.to_text(r, "en")
    assert "before" in text and "after" in text and "target" in text and "█" in text
    assert "Verdict: effective — every goal met" in text
    md = E.to_markdown(r, "zh")
    assert md.startswith("# 改进效果：") and "| 维度 | 改进前 | 改进后 | 目标 | 变化 | 结论 |" in md
    assert "**达成**" in md and "**结论：**有效" in md


# -- the command ---------------------------------------------------------------------------------------------------
def _hrtui(db, *args, user="hr.sales"):
    env = {**os.environ, "HRTUI_PASSWORD": "demo"}
    return subprocess.run([sys.executable, "-m", "hrtui", "--db", str(db), "--user", user, *args],
                          capture_output=True, text=True, env=env, timeout=120)


def test_report_effect_command(demo_db, actor_of):
    hr = actor_of("hr.sales")
    met = _plan(hr, "closed", "met")
    proc = _hrtui(demo_db, "report", "effect", met.number)
    assert proc.returncode == 0, proc.stderr
    assert "Customer complaint rate" in proc.stdout and "→ met" in proc.stdout
    assert "effective — every goal met" in proc.stdout
    data = json.loads(_hrtui(demo_db, "report", "effect", met.number, "--format", "json").stdout)
    assert data["effective"] is True and data["state"] == "closed" and data["outcome"] == "met"
    goal = next(g for g in data["goals"] if g["code"] == "COMPLAINT")
    assert goal["verdict"] == "met" and goal["after"] < goal["target"] < goal["baseline"]
    md = _hrtui(demo_db, "report", "effect", met.number, "--format", "md", "--lang", "zh")
    assert md.returncode == 0 and "改进效果" in md.stdout and "达成" in md.stdout
    refused = _hrtui(demo_db, "report", "effect", met.number, user="hr.rd")
    assert refused.returncode == 1 and refused.stderr.startswith("hrtui: ") and len(refused.stderr.splitlines()) == 1
