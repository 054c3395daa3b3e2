"""Benchmark hrtui's age streaming against the raw cipher.

    python tests/bench/bench_age.py [--mib 256] [--repeat 3] [--dir DIR]

Measures, for a payload of --mib MiB:
  raw      ChaCha20-Poly1305 over 64 KiB chunks in memory: the ceiling;
  stream   hrtui's age encrypt/decrypt of a (page-cached) file in a temp dir to /dev/null: the
           crypto path with all its per-chunk Python work and real read/write system calls;
  file     encrypt_to_path/decrypt_to_path file to file with fsync and rename, beside a plain
           copy with fsync, which is the filesystem's own ceiling.
Prints MiB/s and ratios. The bar: stream encryption at >= 50% of raw; exit status 1 if missed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

try:
    from hrtui.crypto import age
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from hrtui.crypto import age

from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

CHUNK = 64 * 1024


def raw_chacha(mib: int) -> float:
    """Seconds to seal mib MiB as 64 KiB chunks, with no I/O and no allocation per chunk."""
    aead = ChaCha20Poly1305(ChaCha20Poly1305.generate_key())
    src = memoryview(os.urandom(CHUNK))
    out = memoryview(bytearray(CHUNK + 16))
    chunks = mib * 1024 * 1024 // CHUNK
    nonces = [i.to_bytes(12, "big") for i in range(chunks)]
    start = time.perf_counter()
    for nonce in nonces:
        aead.encrypt_into(nonce, src, None, out)
    return time.perf_counter() - start


def make_input(path: Path, mib: int) -> None:
    block = os.urandom(1024 * 1024)
    with open(path, "wb") as f:
        for _ in range(mib):
            f.write(block)


def best(fn, repeat: int) -> float:
    return min(fn() for _ in range(repeat))


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def plain_copy(src: Path, dst: Path) -> None:
    with open(src, "rb") as f, open(dst, "wb") as g:
        buf = memoryview(bytearray(CHUNK))
        while n := f.readinto(buf):
            g.write(buf[:n])
        g.flush()
        os.fsync(g.fileno())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark hrtui's age streaming against the raw cipher.")
    ap.add_argument("--mib", type=int, default=256, help="payload size in MiB (default 256)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is kept (default 3)")
    ap.add_argument("--dir", type=Path, default=None, help="where to put the temp files (default: system temp)")
    args = ap.parse_args(argv)

    identity, recipient = age.generate_identity()
    with tempfile.TemporaryDirectory(dir=args.dir, prefix="bench-age-") as tmp:
        plain, sealed, opened = Path(tmp) / "plain", Path(tmp) / "plain.age", Path(tmp) / "opened"
        copy = Path(tmp) / "copy"
        make_input(plain, args.mib)

        def stream_encrypt() -> None:
            with open(plain, "rb") as src, open(os.devnull, "wb") as dst:
                age.encrypt(src, dst, [recipient])

        def stream_decrypt() -> None:
            with open(sealed, "rb") as src, open(os.devnull, "wb") as dst:
                age.decrypt(src, dst, [identity])

        raw_s = min(raw_chacha(args.mib) for _ in range(args.repeat))
        file_enc_s = best(lambda: timed(lambda: age.encrypt_to_path(plain, sealed, [recipient])), args.repeat)
        file_dec_s = best(lambda: timed(lambda: age.decrypt_to_path(sealed, opened, [identity])), args.repeat)
        copy_s = best(lambda: timed(lambda: plain_copy(plain, copy)), args.repeat)
        enc_s = best(lambda: timed(stream_encrypt), args.repeat)
        dec_s = best(lambda: timed(stream_decrypt), args.repeat)
        if opened.read_bytes() != plain.read_bytes():
            print("the decrypted file differs from the input", file=sys.stderr)
            return 2

    raw, enc, dec, fenc, fdec, cp = (args.mib / s for s in (raw_s, enc_s, dec_s, file_enc_s, file_dec_s, copy_s))
    print(f"payload {args.mib} MiB, best of {args.repeat}, temp dir {args.dir or tempfile.gettempdir()}")
    print(f"  raw ChaCha20-Poly1305, 64 KiB chunks, memory   {raw:8.1f} MiB/s")
    print(f"  stream encrypt, file -> /dev/null             {enc:8.1f} MiB/s  {enc / raw:6.1%} of raw")
    print(f"  stream decrypt, file -> /dev/null             {dec:8.1f} MiB/s  {dec / raw:6.1%} of raw")
    print(f"  plain copy, file -> file + fsync              {cp:8.1f} MiB/s  (the filesystem's ceiling)")
    print(f"  encrypt_to_path, file -> file + fsync         {fenc:8.1f} MiB/s  {fenc / cp:6.1%} of plain copy")
    print(f"  decrypt_to_path, file -> file + fsync         {fdec:8.1f} MiB/s  {fdec / cp:6.1%} of plain copy")
    ok = enc / raw >= 0.5
    print("bar: stream encryption >= 50% of raw:", "met" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
