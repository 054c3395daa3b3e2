"""`hrtui plan …` through the real command line: a plan from draft to closed, as HR, the employee and the manager."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from hrtui.store.db import database


def hrtui(db, *args, user="hr.sales", lang="en"):
    env = {**os.environ, "HRTUI_PASSWORD": "demo"}
    return subprocess.run([sys.executable, "-m", "hrtui", "--db", str(db), "--user", user, "--lang", lang, *args],
                          capture_output=True, text=True, env=env, timeout=120, stdin=subprocess.DEVNULL)


def one_line(proc) -> str:
    assert proc.returncode == 1, proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hrtui: "), proc.stderr
    return lines[0]


def test_list_and_show(demo_db, stories):
    out = hrtui(demo_db, "plan", "list")
    assert out.returncode == 0, out.stderr
    for state in ("draft", "active", "extended", "closed · met", "closed · not met"):
        assert state in out.stdout
    rows = json.loads(hrtui(demo_db, "plan", "list", "--format", "json", "--state", "active").stdout)
    assert [r["number"] for r in rows] == [stories["csat"]]
    show = hrtui(demo_db, "plan", "show", stories["csat"])
    assert "Customer satisfaction: baseline" in show.stdout and "Checklist (2/5 done)" in show.stdout
    zh = hrtui(demo_db, "plan", "show", stories["csat"], "--lang", "zh", "--format", "md")
    assert zh.stdout.startswith("# 改进计划：") and "- [x] " in zh.stdout
    mine = hrtui(demo_db, "plan", "show", user="emp.sales")              # an employee: their own plan
    assert mine.returncode == 0 and stories["csat"] in mine.stdout
    assert "no improvement plan" in one_line(hrtui(demo_db, "plan", "show", "E000002"))


def test_a_plan_from_draft_to_closed(demo_db):
    number = database.execute_sql(
        """SELECT e.number FROM employee e JOIN department d ON d.id = e.department_id
           WHERE d.code = 'SALES' AND e.shortfalls > 0 AND NOT EXISTS (SELECT 1 FROM plan p WHERE p.employee_id = e.id)
           ORDER BY e.number LIMIT 1""").fetchone()[0]
    drafted = hrtui(demo_db, "plan", "draft", number, "--format", "json")
    assert drafted.returncode == 0, drafted.stderr
    plan = json.loads(drafted.stdout)
    assert plan["state"] == "draft" and plan["goals"] and plan["items"]
    assert "already has an open plan" in one_line(hrtui(demo_db, "plan", "draft", number))
    changed = hrtui(demo_db, "plan", "goal", number, "1", "--target-pct", "-40", "--deadline", "+7")
    assert changed.returncode == 0 and "−40% →" in changed.stdout
    added = hrtui(demo_db, "plan", "add-item", number, "Call two customers with the manager", "--owner", "manager",
                  "--due", "+5")
    assert "Call two customers with the manager" in added.stdout
    assert hrtui(demo_db, "plan", "activate", number).stdout.startswith(f"{number}: active")
    checked = hrtui(demo_db, "plan", "check", number, "1")
    assert checked.returncode == 0 and "[x]" in checked.stdout
    extended = hrtui(demo_db, "plan", "extend", number, "--days", "20")
    assert "extended" in extended.stdout
    closed = hrtui(demo_db, "plan", "close", number, "--not-met")
    assert "closed · not met" in closed.stdout
    assert "closed" in one_line(hrtui(demo_db, "plan", "check", number, "2"))


def test_the_employee_acknowledges_and_ticks(demo_db, stories):
    assert hrtui(demo_db, "plan", "ack", user="emp.sales").stdout.strip() == "You acknowledged your improvement plan."
    show = json.loads(hrtui(demo_db, "plan", "show", "--format", "json", user="emp.sales").stdout)
    assert show["acknowledged_at"]
    own = next(i for i, item in enumerate(show["items"], 1) if item["owner"] == "employee" and not item["done_on"])
    hr_item = next(i for i, item in enumerate(show["items"], 1) if item["owner"] == "hr")
    assert hrtui(demo_db, "plan", "check", str(own), user="emp.sales").returncode == 0
    assert "your own items" in one_line(hrtui(demo_db, "plan", "check", str(hr_item), user="emp.sales"))
    assert "may not write plans" in one_line(hrtui(demo_db, "plan", "extend", stories["csat"], user="emp.sales"))


def test_managers_read_but_do_not_edit(demo_db, stories):
    rows = json.loads(hrtui(demo_db, "plan", "list", "--format", "json", user="mgr.sales").stdout)
    assert rows and all(r["state"] != "draft" for r in rows)
    assert "may not write plans" in one_line(hrtui(demo_db, "plan", "draft", rows[0]["number"], user="mgr.sales"))
    assert "in your scope" in one_line(hrtui(demo_db, "plan", "show", stories["csat"], user="mgr.sales"))


def test_no_plan_is_drafted_for_someone_without_a_key_shortfall(demo_db):
    number = database.execute_sql(
        "SELECT e.number FROM employee e JOIN department d ON d.id = e.department_id WHERE d.code = 'SALES' "
        "AND e.shortfalls = 0 AND NOT EXISTS (SELECT 1 FROM plan p WHERE p.employee_id = e.id) "
        "ORDER BY e.number LIMIT 1").fetchone()[0]
    plans_before = database.execute_sql("SELECT count(*) FROM plan").fetchone()[0]
    line = one_line(hrtui(demo_db, "plan", "draft", number))
    assert f"{number} has no key shortfall in 2026-08..2026-10" in line and "none was drafted" in line
    assert "没有关键短板" in one_line(hrtui(demo_db, "plan", "draft", number, lang="zh"))
    assert database.execute_sql("SELECT count(*) FROM plan").fetchone()[0] == plans_before
