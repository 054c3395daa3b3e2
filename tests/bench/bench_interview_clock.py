"""What saving the interview clock costs (the screen saves it every few seconds, so a killed session loses little).

    python tests/bench/bench_interview_clock.py [--db DEMO.db] [--repeat N]

On a copy of a demo database (built with `hrtui demo --no-tui` in a temp folder with its own keystore when --db is
not given; --db must open with the current keystore), as `hr.sales`, in an open interview with 40 committed lines:
  save      `interview.save_clock` on the calling thread: one UPDATE of one row (encrypted, WAL, synchronous=normal)
  enqueue   `Recorder.clock` on the calling thread: what the UI thread pays per save
  recorder  `Recorder.clock` then `flush`: the save as the writer thread does it, queue hand-over included
Medians, 95th percentiles and maxima in milliseconds.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    import hrtui  # noqa: F401
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def report(name: str, seconds: list[float]) -> None:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[int(len(ms) * 0.95) - 1]
    print(f"{name:<9} median {statistics.median(ms):8.3f} ms   p95 {p95:8.3f} ms   max {ms[-1]:8.3f} ms   (n={len(ms)})")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path)
    ap.add_argument("--repeat", type=int, default=500)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.db is None:
            keys = tmp / "keys"
            keys.mkdir(mode=0o700)
            os.environ.update(HRTUI_KEYSTORE=str(keys), XDG_DATA_HOME=str(tmp / "data"),
                              XDG_CONFIG_HOME=str(tmp / "config"), HRTUI_TODAY="2026-11-30")
            src = tmp / "demo.db"
            subprocess.run([sys.executable, "-m", "hrtui", "demo", "--no-tui", "--db", str(src)], check=True,
                           stdout=subprocess.DEVNULL, env=dict(os.environ))
        else:
            src = args.db
        path = tmp / "bench.db"
        shutil.copyfile(src, path)
        os.chmod(path, 0o600)

        from hrtui.access.actor import authenticate
        from hrtui.domain import interview as iv
        from hrtui.store import open_store
        from hrtui.store.db import database

        open_store(path)
        actor = authenticate("hr.sales", os.environ.get("HRTUI_PASSWORD", "demo"))
        number = database.execute_sql(
            "SELECT e.number FROM employee e JOIN department d ON d.id = e.department_id WHERE d.code = 'SALES' "
            "ORDER BY e.number LIMIT 1").fetchone()[0]
        session = iv.start_or_resume(actor, number)
        for i in range(40):
            iv.commit_note(actor, session.id, iv.Note(i + 1, float(i), 0, "hr", f"line {i}"))

        direct = []
        for i in range(args.repeat):
            t0 = time.perf_counter()
            iv.save_clock(session.id, 100.0 + i)
            direct.append(time.perf_counter() - t0)

        recorder = iv.Recorder(actor, session.id)
        enqueue, round_trip = [], []
        for i in range(args.repeat):
            t0 = time.perf_counter()
            recorder.clock(1000.0 + i)
            t1 = time.perf_counter()
            recorder.flush()
            round_trip.append(time.perf_counter() - t0)
            enqueue.append(t1 - t0)
        recorder.close()
        assert recorder.error is None, recorder.error
        saved = database.execute_sql("SELECT elapsed_s FROM interview WHERE id = ?", (session.id,)).fetchone()[0]
        assert saved == 1000.0 + args.repeat - 1, saved
        report("save", direct)
        report("enqueue", enqueue)
        report("recorder", round_trip)
        database.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
