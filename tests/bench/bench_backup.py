"""Benchmark backup, verify and restore on a large demo database (about 1 GB at 50 000 employees).

    python tests/bench/bench_backup.py [--employees 50000] [--dir DIR] [--db EXISTING.db]

Builds the demo with `hrtui demo --no-tui` (or uses --db, which must open with the current keystore), then measures
in this process, each with its phases (from the progress callbacks):
  backup   sqlcipher_export to a plain copy -> integrity_check -> age encryption to .part, fsync, rename
  verify   decrypt to a private temp file -> integrity_check and schema check
  restore  decrypt -> checks -> rebuild as a new encrypted database -> swap
and, for comparison, the raw ChaCha20-Poly1305 rate of this machine and a plain file copy with fsync.
Everything lives in a temp folder (its own keystore too) that is removed at the end.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    import hrtui  # noqa: F401
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

MB = 1_000_000


class Phases:
    """Records when each phase starts (progress callback) to report per-phase seconds."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.marks: list[tuple[str, float]] = []

    def __call__(self, phase: str, fraction: float) -> None:
        if not self.marks or self.marks[-1][0] != phase:
            self.marks.append((phase, time.perf_counter()))

    def report(self, end: float) -> str:
        parts = []
        for i, (phase, at) in enumerate(self.marks):
            if phase == "done":
                continue
            until = self.marks[i + 1][1] if i + 1 < len(self.marks) else end
            parts.append(f"{phase} {until - at:.2f}s")
        return ", ".join(parts)


def raw_chacha_mbs(mib: int = 256) -> float:
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    aead = ChaCha20Poly1305(ChaCha20Poly1305.generate_key())
    src = memoryview(os.urandom(64 * 1024))
    out = memoryview(bytearray(64 * 1024 + 16))
    chunks = mib * 16
    start = time.perf_counter()
    for i in range(chunks):
        aead.encrypt_into(i.to_bytes(12, "big"), src, None, out)
    return chunks * 64 * 1024 / MB / (time.perf_counter() - start)


def copy_mbs(src: Path, dst: Path) -> float:
    start = time.perf_counter()
    with open(src, "rb") as f, open(dst, "wb") as g:
        buf = memoryview(bytearray(1 << 20))
        while n := f.readinto(buf):
            g.write(buf[:n])
        g.flush()
        os.fsync(g.fileno())
    seconds = time.perf_counter() - start
    size = dst.stat().st_size
    dst.unlink()
    return size / MB / seconds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark hrtui backup, verify and restore.")
    ap.add_argument("--employees", type=int, default=50_000, help="demo size (default 50000, about 1 GB)")
    ap.add_argument("--dir", type=Path, default=None, help="where to put the temp folder (default: system temp)")
    ap.add_argument("--db", type=Path, default=None, help="use this demo database instead of building one")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(dir=args.dir, prefix="bench-backup-") as tmp:
        tmp = Path(tmp)
        os.chmod(tmp, 0o700)
        if args.db is None:
            os.environ["HRTUI_KEYSTORE"] = str(tmp / "keys")
        os.environ.setdefault("HRTUI_TODAY", "2026-11-30")
        os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")  # no developer settings
        db_path = args.db or tmp / "demo.db"
        if args.db is None:
            print(f"building a demo of {args.employees} employees …", flush=True)
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "hrtui", "demo", "--no-tui", "--employees",
                                   str(args.employees), "--db", str(db_path)], capture_output=True, text=True)
            if proc.returncode:
                print(proc.stderr, file=sys.stderr)
                return 1
            print(f"  built in {time.perf_counter() - start:.1f}s")

        from hrtui.access.actor import authenticate
        from hrtui.crypto import age
        from hrtui.store import open_store
        from hrtui.transfer import backup as bk

        identity, recipient = age.generate_identity()
        ids = [age.parse_identity(identity)]
        open_store(db_path)
        actor = authenticate("admin", "demo")
        db_mb = db_path.stat().st_size / MB
        print(f"database {db_path.name}: {db_mb:.0f} MB (SQLCipher-encrypted)")
        raw = raw_chacha_mbs()
        copy = copy_mbs(db_path, tmp / "copy.bin")
        print(f"reference: raw ChaCha20-Poly1305 {raw:.0f} MB/s; plain file copy + fsync {copy:.0f} MB/s")

        phases = Phases()
        start = time.perf_counter()
        out = bk.run_backup(actor, db_path, folder=tmp / "backups", recipients=[recipient],
                            now=_dt.datetime(2026, 11, 27, 18, 0), progress=phases)
        end = time.perf_counter()
        secs = end - start
        print(f"backup   {secs:6.2f}s  {db_mb / secs:6.1f} MB/s of database   plain copy {out.plain_size / MB:.0f} MB, "
              f"backup file {out.size / MB:.0f} MB")
        print(f"         {phases.report(end)}")
        enc = [at for p, at in phases.marks if p == "encrypt"]
        if enc:
            enc_secs = end - enc[0]
            print(f"         age encryption of the copy: {out.plain_size / MB / enc_secs:.0f} MB/s "
                  f"({out.plain_size / MB / enc_secs / raw:.0%} of raw ChaCha20-Poly1305, incl. read/write/fsync)")

        phases = Phases()
        start = time.perf_counter()
        info = bk.verify_backup(actor, db_path, out.path, identities=ids, progress=phases)
        end = time.perf_counter()
        print(f"verify   {end - start:6.2f}s  {out.size / MB / (end - start):6.1f} MB/s of backup   "
              f"({info.employees} employees, schema {info.schema})")
        print(f"         {phases.report(end)}")

        phases = Phases()
        start = time.perf_counter()
        result = bk.restore(actor, db_path, out.path, identities=ids, progress=phases)
        end = time.perf_counter()
        print(f"restore  {end - start:6.2f}s  {out.size / MB / (end - start):6.1f} MB/s of backup   "
              f"(previous database kept as {result.aside.name})")
        print(f"         {phases.report(end)}")

        start = time.perf_counter()
        env = dict(os.environ, HRTUI_PASSWORD="demo")
        proc = subprocess.run([sys.executable, "-m", "hrtui", "backup", "--db", str(db_path), "--user", "admin",
                               "--to", recipient, "--dir", str(tmp / "cli")], capture_output=True, text=True, env=env)
        cli = time.perf_counter() - start
        if proc.returncode:
            print(proc.stderr, file=sys.stderr)
            return 1
        print(f"`hrtui backup` as cron runs it (process start, login, backup): {cli:.2f}s")
        if args.db is not None:
            print(f"note: {db_path} is now the restored copy; the original is kept as {result.aside}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
