"""Import at scale (issue 8): 1M score rows from CSV against a raw executemany of the same parsed rows, and memory
that stays flat (200k rows vs 1M rows).

    python tests/bench/bench_import.py [--db PATH] [--rows 1000000] [--small 200000] [--order employee|month]
                                       [--rounds 2] [--no-trace]

Builds a 12,000-employee demo (`hrtui demo --no-tui --employees 12000`) when --db is missing, writes score CSVs for
months before the demo's 18 (so every row is new), then runs each measurement in its own process on a fresh copy
of the database:
  import  run_import(admin, "scores", FILE): decode, sniff, parse and check every cell, upsert in one transaction
  raw     the same rows, parsed beforehand (not timed), inserted with executemany in batches of 5000, one transaction
Both times include the commit. Rounds alternate import/raw; the best round of each is compared (target <= 3x).
Memory: the peak RSS of the import process (getrusage) for --small and --rows rows, and the peak of Python
allocations (tracemalloc, a separate slower run) for both: flat means the 1M figure is within 20 % of the 200k one.
Exit status 1 when a target is missed.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TODAY = "2026-11-30"
EARLY_MONTHS = [f"2023-{m:02d}" for m in range(1, 13)] + [f"2024-{m:02d}" for m in range(1, 13)] + \
    [f"2025-{m:02d}" for m in range(1, 5)]  # before the demo's 18 months (2025-05 .. 2026-10): every key is new


def ensure_demo(path: Path, employees: int) -> None:
    if not path.exists():
        print(f"building the {employees}-employee demo at {path} …", flush=True)
        subprocess.run([sys.executable, "-m", "hrtui", "demo", "--no-tui", "--employees", str(employees),
                        "--db", str(path)], check=True, stdout=subprocess.DEVNULL)


def write_scores(db: Path, out: Path, rows: int, order: str) -> None:
    """A CSV of `rows` score rows: 工号,指标,月份,得分 with values inside each dimension's scale."""
    from hrtui.store import open_store
    from hrtui.store.db import database

    open_store(db)
    numbers = [r[0] for r in database.execute_sql("SELECT number FROM employee ORDER BY number")]
    dims = list(database.execute_sql("SELECT code, scale_min, scale_max FROM dimension ORDER BY sort"))
    database.close()
    months_needed = -(-rows // (len(numbers) * len(dims)))
    months = EARLY_MONTHS[-months_needed:]
    if len(months) < months_needed:
        raise SystemExit(f"{rows} rows need {months_needed} months; the bench has {len(EARLY_MONTHS)}")

    def keys():
        if order == "employee":
            for n in numbers:
                for d in dims:
                    for m in months:
                        yield n, d, m
        else:
            for m in months:
                for n in numbers:
                    for d in dims:
                        yield n, d, m

    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["工号", "指标", "月份", "得分"])
        for i, (n, (code, lo, hi), m) in enumerate(keys()):
            if i >= rows:
                break
            w.writerow([n, code, m, f"{lo + (i % 97) / 97 * (hi - lo):.1f}"])


def fresh_copy(db: Path, folder: Path) -> Path:
    target = folder / "run.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(db, target)
    os.chmod(target, 0o600)
    return target


def worker(mode: str, db: Path, csv_path: Path) -> dict:
    """Runs in a child process; prints one JSON line."""
    import resource

    from hrtui.access.actor import authenticate
    from hrtui.store import open_store
    from hrtui.store.db import database

    open_store(db)
    admin = authenticate("admin", "demo")
    out: dict = {"mode": mode}
    if mode in ("import", "trace"):
        from hrtui.transfer.engine import Options, run_import

        if mode == "trace":
            import tracemalloc

            tracemalloc.start()
        t0 = time.perf_counter()
        report = run_import(admin, "scores", csv_path, Options())
        out["seconds"] = time.perf_counter() - t0
        if mode == "trace":
            out["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        assert report.committed and report.invalid == 0, [e.line("en") for e in report.errors[:5]]
        out["rows"], out["new"] = report.rows, report.new
    else:
        ids = dict(database.execute_sql("SELECT number, id FROM employee"))
        dims = dict(database.execute_sql("SELECT code, id FROM dimension"))
        with open(csv_path, newline="", encoding="utf-8") as f:
            r = csv.reader(f)
            next(r)
            rows = [(ids[n], dims[d], m, float(v)) for n, d, m, v in r]
        t0 = time.perf_counter()
        with database.atomic():
            cur = database.cursor()
            for i in range(0, len(rows), 5000):
                cur.executemany("INSERT INTO score (employee_id, dimension_id, month, value) VALUES (?,?,?,?)",
                                rows[i:i + 5000])
        out["seconds"] = time.perf_counter() - t0
        out["rows"] = len(rows)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    database.close()
    print(json.dumps(out))
    return out


def run_child(mode: str, db: Path, csv_path: Path, folder: Path) -> dict:
    copy = fresh_copy(db, folder)
    env = dict(os.environ, HRTUI_TODAY=os.environ.get("HRTUI_TODAY", TODAY))
    proc = subprocess.run([sys.executable, __file__, "--worker", mode, "--db", str(copy), "--csv", str(csv_path)],
                          capture_output=True, text=True, env=env)
    if proc.returncode:
        raise SystemExit(f"{mode} run failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, help="demo database (built when missing)")
    ap.add_argument("--employees", type=int, default=12000)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--small", type=int, default=200_000)
    ap.add_argument("--order", choices=("employee", "month"), default="employee",
                    help="row order of the file: by employee (as hrtui writes it) or month by month")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--no-trace", action="store_true", help="skip the tracemalloc runs")
    ap.add_argument("--worker", choices=("import", "raw", "trace"), help=argparse.SUPPRESS)
    ap.add_argument("--csv", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    os.environ.setdefault("HRTUI_TODAY", TODAY)
    if args.worker:
        worker(args.worker, args.db, args.csv)
        return 0

    work = Path(tempfile.mkdtemp(prefix="hrtui-bench-import-"))
    os.chmod(work, 0o700)
    db = args.db or work / "demo12k.db"
    ensure_demo(db, args.employees)
    big, small = work / f"scores-{args.rows}.csv", work / f"scores-{args.small}.csv"
    print(f"writing {args.rows:,} and {args.small:,} score rows ({args.order} order) …", flush=True)
    write_scores(db, big, args.rows, args.order)
    write_scores(db, small, args.small, args.order)
    print(f"  {big.name}: {big.stat().st_size / 2**20:.1f} MiB", flush=True)

    imports, raws = [], []
    for i in range(args.rounds):
        imports.append(run_child("import", db, big, work))
        raws.append(run_child("raw", db, big, work))
        print(f"round {i + 1}: import {imports[-1]['seconds']:.2f} s, raw executemany {raws[-1]['seconds']:.2f} s",
              flush=True)
    t_import = min(r["seconds"] for r in imports)
    t_raw = min(r["seconds"] for r in raws)
    ratio = t_import / t_raw
    small_run = run_child("import", db, small, work)
    rss_small, rss_big = small_run["peak_rss_mb"], min(r["peak_rss_mb"] for r in imports)
    print()
    print(f"1M-row import      {t_import:6.2f} s  ({args.rows / t_import:,.0f} rows/s)")
    print(f"raw executemany    {t_raw:6.2f} s  ({args.rows / t_raw:,.0f} rows/s)")
    print(f"ratio              {ratio:6.2f} x   (target <= 3)")
    print(f"peak RSS import    {rss_small:6.1f} MiB for {args.small:,} rows, {rss_big:6.1f} MiB for {args.rows:,} rows")
    ok = ratio <= 3.0 and rss_big <= rss_small * 1.2
    if not args.no_trace:
        t_small = run_child("trace", db, small, work)["traced_peak_mb"]
        t_big = run_child("trace", db, big, work)["traced_peak_mb"]
        print(f"Python allocations {t_small:6.1f} MiB for {args.small:,} rows, {t_big:6.1f} MiB for {args.rows:,} rows"
              " (tracemalloc peak)")
        ok = ok and t_big <= t_small * 1.2
    print("PASS" if ok else "FAIL")
    if not args.db:
        shutil.rmtree(work, ignore_errors=True)
    else:
        for p in work.iterdir():
            p.unlink()
        work.rmdir()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
