"""`hrtui portrait` and `hrtui attention` through a real process: the same numbers as the domain functions."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from hrtui.domain.attention import attention
from hrtui.domain.portrait import portrait


def run(db, *args, user="admin"):
    env = {**os.environ, "HRTUI_PASSWORD": "demo"}
    return subprocess.run([sys.executable, "-m", "hrtui", *args, "--db", str(db), "--user", user],
                          capture_output=True, text=True, env=env, timeout=120)


def test_portrait_json_has_the_domain_numbers(demo_db, actor_of, stories):
    number = stories["csat"]
    proc = run(demo_db, "portrait", number, "--format", "json", "--lang", "zh")
    assert proc.returncode == 0, proc.stderr
    cli = json.loads(proc.stdout)
    mine = json.loads(json.dumps(portrait(actor_of("admin"), number, "zh").to_dict(), ensure_ascii=False))
    assert cli == mine
    csat = next(d for d in cli["dimensions"] if d["code"] == "CSAT")
    assert round(csat["value"]) == 60 and round(csat["team_mean"]) == 85 and cli["key_shortfalls"][0] == "CSAT"


def test_portrait_text_shows_table_sentences_signals_and_goals(demo_db, stories):
    proc = run(demo_db, "portrait", stories["csat"], "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Customer satisfaction 60 vs team mean 85" in out
    assert "Key shortfalls:" in out and "Interview goals (suggested, not saved):" in out
    zh = run(demo_db, "portrait", stories["leave"], "--lang", "zh").stdout
    assert "请假：" in zh and "信号：" in zh


def test_portrait_outside_scope_is_one_line_exit_1(demo_db, stories):
    proc = run(demo_db, "portrait", stories["training"], user="hr.sales")
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"hrtui: no employee '{stories['training']}' in your scope"
    assert proc.stdout == ""


def test_attention_json_and_text(demo_db, actor_of, stories):
    proc = run(demo_db, "attention", "--format", "json", user="hr.sales")
    assert proc.returncode == 0, proc.stderr
    cli = json.loads(proc.stdout)
    mine = json.loads(json.dumps(attention(actor_of("hr.sales")).to_dict(), ensure_ascii=False))
    assert cli == mine and cli["rows"]
    first = cli["rows"][0]
    assert {"number", "name_zh", "name_en", "department_code", "severity", "flags"} <= set(first)
    assert {"code", "value", "team_mean", "requirement", "severity"} <= set(first["flags"][0])
    text = run(demo_db, "attention", "--department", "SALES", "--lang", "en", user="hr.sales")
    lines = text.stdout.splitlines()
    assert lines[0].split()[:4] == ["No.", "Name", "Dept", "Dimension"]
    assert any(line.startswith(stories["csat"]) and " CSAT " in line for line in lines)
    assert lines[-1].startswith(f"{len(cli['rows'])} employees need attention")


def test_attention_refuses_a_department_outside_scope(demo_db):
    proc = run(demo_db, "attention", "--department", "RD", user="hr.sales")
    assert proc.returncode == 1 and proc.stderr.strip() == "hrtui: department RD is outside your scope"
    proc = run(demo_db, "attention", "--department", "NOPE")
    assert proc.returncode == 1 and "unknown department" in proc.stderr
