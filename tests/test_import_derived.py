"""After an import, what derives from scores follows: the roster's '!' marks and the portrait's team numbers."""
from __future__ import annotations

import os
import subprocess
import sys

from hrtui.domain.portrait import portrait
from hrtui.store.db import database


def test_imported_scores_update_marks_and_team_means(demo_db, actor_of, tmp_path):
    admin = actor_of("admin")
    # a SALES employee with no flag today, and a teammate to watch the team mean from
    number, eid = database.execute_sql(
        "SELECT e.number, e.id FROM employee e JOIN department d ON d.id = e.department_id "
        "WHERE d.code = 'SALES' AND e.shortfalls = 0 ORDER BY e.number LIMIT 1").fetchone()
    mate = database.execute_sql(
        "SELECT e.number FROM employee e JOIN department d ON d.id = e.department_id "
        "WHERE d.code = 'SALES' AND e.number != ? ORDER BY e.number LIMIT 1", (number,)).fetchone()[0]
    team_before = portrait(admin, mate, "en").dimension("CSAT").team_mean
    csv = tmp_path / "scores.csv"
    csv.write_text("工号,指标,月份,得分\n" + "".join(f"{number},客户满意度,2026-{m:02d},30\n" for m in (8, 9, 10)),
                   encoding="utf-8")
    database.close()
    out = subprocess.run([sys.executable, "-m", "hrtui", "import", "scores", str(csv), "--db", str(demo_db),
                          "--user", "admin"], capture_output=True, text=True,
                         env=dict(os.environ, HRTUI_PASSWORD="demo"))
    assert out.returncode == 0, out.stderr
    database.connect(reuse_if_open=True)
    assert database.execute_sql("SELECT shortfalls FROM employee WHERE id = ?", (eid,)).fetchone()[0] >= 1
    team_after = portrait(admin, mate, "en").dimension("CSAT").team_mean
    assert team_after < team_before  # the teammate's team now includes a 30
