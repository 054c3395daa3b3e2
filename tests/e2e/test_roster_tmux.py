"""The real roster in tmux at 80×24: hr.sales sees only SALES, admin sees every department, filter works."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.e2e.tmux import Terminal, requires_tmux

pytestmark = [requires_tmux, pytest.mark.tmux]


@pytest.fixture
def demo_file(tmp_path):
    path = tmp_path / "demo.db"
    subprocess.run([sys.executable, "-m", "hrtui", "demo", "--no-tui", "--employees", "120", "--db", str(path)],
                   check=True, capture_output=True, env=dict(os.environ))
    return path


def run(path, user, *extra):
    env = {k: os.environ[k] for k in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "HRTUI_TODAY", "PATH")}
    env.update(HRTUI_PASSWORD="demo", LANG="en_US.UTF-8")
    return Terminal(["--db", str(path), "--user", user, *extra], env)


def roster_rows(screen: str) -> list[str]:
    return [line for line in screen.splitlines() if re.match(r"^\s*!?\s*E\d{6}\s", line)]


def test_hr_sales_sees_only_sales(demo_file):
    term = run(demo_file, "hr.sales")
    try:
        screen = term.wait_for("employees")
        rows = roster_rows(screen)
        assert len(rows) == 21
        assert all(" SALES " in r for r in rows), screen
        assert "hr.sales" in screen
        screen = term.keys("End")
        assert all(" SALES " in r for r in roster_rows(screen))
    finally:
        term.close()


def test_admin_sees_all_departments_and_filters_in_chinese(demo_file):
    term = run(demo_file, "admin", "--lang", "zh")
    try:
        term.wait_for("共 120 人")
        depts = set()
        screen = term.keys("End")
        for _ in range(8):
            depts |= {d for r in roster_rows(screen) for d in ("SALES", "RD", "CS", "OPS", "FIN", "HR") if f" {d} " in r}
            screen = term.keys("PageUp")
        assert depts == {"SALES", "RD", "CS", "OPS", "FIN", "HR"}
        term.keys("Escape")
        term.keys("客服")
        screen = term.wait_for("“客服” 匹配")
        assert roster_rows(screen) and all(" CS " in r for r in roster_rows(screen))
        term.keys("Enter")  # the employee's portrait
        screen = term.wait_for("客服部")
        assert "CS" in screen
    finally:
        term.close()


def test_hrtui_alone_reopens_as_the_account_of_the_last_session(demo_file):
    # The demo notes admin; a TUI session as hr.sales (noted once its first screen is out) makes `hrtui` alone
    # open as hr.sales next time.
    term = run(demo_file, "hr.sales")
    try:
        term.wait_for("hr.sales")
        term.keys("C-q")
    finally:
        term.close()
    env = {k: os.environ[k] for k in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "HRTUI_TODAY", "PATH")}
    env.update(HRTUI_PASSWORD="demo", LANG="en_US.UTF-8")
    term = Terminal(["--db", str(demo_file)], env)
    try:
        screen = term.wait_for("employees")
        assert "hr.sales" in screen and all(" SALES " in r for r in roster_rows(screen)), screen
    finally:
        term.close()
