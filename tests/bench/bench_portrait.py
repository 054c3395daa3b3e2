"""Portrait and needs-attention at scale (issue 3).

    python tests/bench/bench_portrait.py [--db PATH] [--small PATH] [--repeat N]

Bars: the portrait of one employee with 36 months × 8 dimensions ≤ 20 ms; the needs-attention scan over
100k employees × 12 months × 8 dimensions ≤ 2× a raw SQL aggregate of the same data, measured in the same run.

- `--db` is a 100k-employee demo (built with `hrtui demo --no-tui --employees 100000` when missing, ~60 s). The demo
  has 18 months of scores; the scan is measured on a copy trimmed to the last 12 months (built once beside it), so
  the data is exactly 100k × 12 × 8. The raw aggregate is the plain GROUP BY of the window means of every
  employee and dimension, fetched into Python; scan and aggregate alternate, medians are compared.
- The portrait is timed on a 240-employee demo (`--small`) and on the 12-month 100k copy, each with one employee
  given 36 months of scores (18 or 24 earlier months inserted), as the screen and `hrtui portrait` compute it: a
  Finance employee (~7k colleagues), the Sales story (~28k) and one of the largest department (R&D, ~30k).
  Inserting the months bumps the data version (`team_stats.scores_changed()`), so the first portrait is **cold**: it
  recomputes the department's team statistics and stores them; the next ones are **warm** (read from the cache).
- The team statistics of every department in one pass (`team_stats.refresh_all`, what `hrtui demo` runs last) and
  `refresh_shortfalls` (which fills the same cache in its own pass) are timed on the 12-month copy.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TODAY = "2026-11-30"


def ensure_demo(path: Path, n: int) -> None:
    if not path.exists():
        print(f"building {n}-employee demo at {path} …", flush=True)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "hrtui", "demo", "--no-tui", "--employees", str(n), "--db", str(path)],
                       check=True, stdout=subprocess.DEVNULL, env={**os.environ, "HRTUI_TODAY": TODAY})
        print(f"  built in {time.perf_counter() - t0:.0f} s", flush=True)


def trimmed_copy(src: Path, months: int) -> Path:
    """A copy of the demo keeping only the last `months` months of scores (same key: the keystore names it by salt)."""
    dst = src.with_name(f"{src.stem}-{months}m{src.suffix}")
    if dst.exists():
        return dst
    from hrtui.domain.months import window
    from hrtui.store import open_store
    from hrtui.config import today

    print(f"making a {months}-month copy at {dst} …", flush=True)
    part = dst.with_name(dst.name + ".part")
    shutil.copyfile(src, part)
    os.chmod(part, 0o600)
    db = open_store(part)
    first = window(today(), months)[0]
    from hrtui.domain.team_stats import scores_changed

    with db.atomic():
        db.execute_sql("DELETE FROM score WHERE month < ?", (first,))
        scores_changed()
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{part}{suffix}").unlink(missing_ok=True)
    for bak in part.parent.glob(part.name + ".pre-*.bak"):  # open_store's pre-migration copy of our own copy
        bak.unlink()
    os.replace(part, dst)
    return dst


def give_36_months(number: str) -> int:
    """Insert earlier months for one employee until they have 36 months of every dimension; returns months held."""
    from hrtui.domain.months import add_months
    from hrtui.domain.team_stats import scores_changed
    from hrtui.store.db import database

    eid = database.execute_sql("SELECT id FROM employee WHERE number = ?", (number,)).fetchone()[0]
    first = database.execute_sql("SELECT min(month) FROM score WHERE employee_id = ?", (eid,)).fetchone()[0]
    held = database.execute_sql("SELECT count(DISTINCT month) FROM score WHERE employee_id = ?", (eid,)).fetchone()[0]
    rng = random.Random(36)
    rows = []
    for did, lo, hi in database.execute_sql("SELECT id, scale_min, scale_max FROM dimension"):
        for k in range(1, 36 - held + 1):
            rows.append((eid, did, add_months(first, -k), round(lo + (hi - lo) * (0.6 + 0.3 * rng.random()), 1)))
    with database.atomic():
        database.cursor().executemany("INSERT OR IGNORE INTO score (employee_id, dimension_id, month, value)"
                                      " VALUES (?,?,?,?)", rows)
        scores_changed()
    return database.execute_sql("SELECT count(DISTINCT month) FROM score WHERE employee_id = ?", (eid,)).fetchone()[0]


def time_portrait(actor, number: str, repeat: int) -> tuple[float, float, float]:
    """(cold ms, warm median ms, warm max ms): the first portrait after a data change, then `repeat` more."""
    from hrtui.domain.portrait import portrait

    t0 = time.perf_counter()
    cold = portrait(actor, number, "zh")
    cold_ms = (time.perf_counter() - t0) * 1000
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        warm = portrait(actor, number, "zh")
        samples.append((time.perf_counter() - t0) * 1000)
    assert warm.to_dict() == cold.to_dict(), "a warm portrait differs from the cold one"
    return cold_ms, statistics.median(samples), max(samples)


def largest_department_member() -> str:
    """An employee of the largest department (the middle of its numbers)."""
    from hrtui.store.db import database

    dept = database.execute_sql("SELECT department_id FROM employee GROUP BY department_id"
                                " ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    n = database.execute_sql("SELECT count(*) FROM employee WHERE department_id = ?", (dept,)).fetchone()[0]
    return database.execute_sql("SELECT number FROM employee WHERE department_id = ? ORDER BY number LIMIT 1 OFFSET ?",
                                (dept, n // 2)).fetchone()[0]


def portrait_case(path: Path, number: str | None, repeat: int, label: str) -> None:
    from hrtui.access.actor import authenticate
    from hrtui.store import open_store
    from hrtui.store.db import database

    db = open_store(path)
    number = number or largest_department_member()
    months = give_36_months(number)  # bumps the data version: the first portrait recomputes the department
    dept, size = database.execute_sql(
        "SELECT d.code, (SELECT count(*) FROM employee x WHERE x.department_id = d.id) FROM employee e"
        " JOIN department d ON d.id = e.department_id WHERE e.number = ?", (number,)).fetchone()
    cold, med, worst = time_portrait(authenticate("admin", "demo"), number, repeat)
    verdict = "ok" if med <= 20 else "OVER 20 ms"
    print(f"portrait {label}: {number} ({months} months x 8 dimensions, {dept} of {size}): "
          f"cold {cold:.0f} ms; warm median {med:.1f} ms, max {worst:.1f} ms  [{verdict}]", flush=True)
    db.close()


def fill_cache(path: Path) -> None:
    from hrtui.domain import team_stats
    from hrtui.store import open_store

    db = open_store(path)
    team_stats.scores_changed()
    t0 = time.perf_counter()
    n = team_stats.refresh_all()
    print(f"team statistics of every department in one pass (refresh_all, {n} departments, window + 12 months): "
          f"{(time.perf_counter() - t0) * 1000:.0f} ms", flush=True)
    db.close()


def scan_vs_raw(path: Path, repeat: int) -> None:
    from hrtui.access.actor import authenticate
    from hrtui.config import load_settings, today
    from hrtui.domain.attention import attention, refresh_shortfalls
    from hrtui.domain.months import window
    from hrtui.store import open_store
    from hrtui.store.db import database

    db = open_store(path)
    rows, emps, months = database.execute_sql(
        "SELECT count(*), count(DISTINCT employee_id), count(DISTINCT month) FROM score").fetchone()
    print(f"attention data: {emps} employees, {months} months, {rows} score rows", flush=True)
    admin = authenticate("admin", "demo")
    win = window(today(), load_settings().thresholds.window_months)
    raw_sql = ("SELECT s.employee_id, s.dimension_id, avg(s.value), count(*) FROM score s"
               " WHERE s.month BETWEEN ? AND ? GROUP BY s.employee_id, s.dimension_id")
    database.execute_sql(raw_sql, (win[0], win[-1])).fetchall()  # warm up both paths
    attention(admin)
    raw_t, scan_t, flagged = [], [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        n = len(database.execute_sql(raw_sql, (win[0], win[-1])).fetchall())
        raw_t.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        flagged = len(attention(admin).rows)
        scan_t.append(time.perf_counter() - t0)
    raw, scan = statistics.median(raw_t), statistics.median(scan_t)
    verdict = "ok" if scan <= 2 * raw else "OVER 2x"
    print(f"raw SQL aggregate ({n} employee-dimension means): median {raw * 1000:.0f} ms", flush=True)
    print(f"needs-attention scan ({flagged} employees flagged): median {scan * 1000:.0f} ms  "
          f"ratio {scan / raw:.2f}  [{verdict}]", flush=True)
    hr = authenticate("hr.sales", "demo")
    t0 = time.perf_counter()
    n_hr = len(attention(hr).rows)
    print(f"needs-attention for hr.sales (one department): {(time.perf_counter() - t0) * 1000:.0f} ms, "
          f"{n_hr} flagged", flush=True)
    t0 = time.perf_counter()
    refresh_shortfalls(cache=False)
    print(f"refresh_shortfalls (all employees, writes employee.shortfalls): "
          f"{(time.perf_counter() - t0) * 1000:.0f} ms", flush=True)
    t0 = time.perf_counter()
    refresh_shortfalls()
    print(f"refresh_shortfalls filling the team statistics in the same pass: "
          f"{(time.perf_counter() - t0) * 1000:.0f} ms", flush=True)
    db.close()


def main() -> None:
    tmp = Path(tempfile.gettempdir())
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, default=tmp / "hrtui-bench-100k.db", help="100k demo (built when missing)")
    ap.add_argument("--small", type=Path, default=None, help="240-employee demo (default: a fresh temporary one)")
    ap.add_argument("--repeat", type=int, default=5, help="scan/aggregate pairs to time")
    args = ap.parse_args()
    os.environ.setdefault("HRTUI_TODAY", TODAY)

    work = Path(tempfile.mkdtemp(prefix="hrtui-bench-portrait-"))
    os.chmod(work, 0o700)
    try:
        small = args.small
        if small is None:
            small = work / "demo-240.db"
            ensure_demo(small, 240)
        else:
            ensure_demo(small, 240)
            copy = work / "demo-240.db"
            shutil.copyfile(small, copy)
            os.chmod(copy, 0o600)
            small = copy
        portrait_case(small, "E000060", 50, "on the 240-employee demo")

        ensure_demo(args.db, 100_000)
        big12 = trimmed_copy(args.db, 12)
        scan_vs_raw(big12, args.repeat)
        copy = work / "big.db"
        shutil.copyfile(big12, copy)
        os.chmod(copy, 0o600)
        fill_cache(copy)
        # a Finance employee (~7k colleagues), the Sales story (~28k), one of the largest department (R&D, ~30k)
        for number in ("E090000", "E007289", None):
            portrait_case(copy, number, 20, "on the 100k demo")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
