"""Roster at scale (issue 2): first paint, filter keystrokes, End/PgDn, whole-process start-up.

    python tests/bench/bench_roster.py [--db PATH] [--small PATH]

Builds the 100k-employee demo (and a 10k one for start-up) with `hrtui demo` when the files are missing. Times are
taken at the app's own display hook (App._display, called when a frame goes to the terminal), not with pilot sleeps.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import pty
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KEYS = [("张", ["张"]), ("张伟", ["张", "伟"]), ("number E0123", list("E0123")), ("department SALES", list("SALES")),
        ("department 客服", ["客", "服"]), ("latin wan", list("wan"))]


def ensure_demo(path: Path, n: int) -> None:
    if not path.exists():
        print(f"building {n}-employee demo at {path} …", flush=True)
        subprocess.run([sys.executable, "-m", "hrtui", "demo", "--no-tui", "--employees", str(n), "--db", str(path)],
                       check=True, stdout=subprocess.DEVNULL)


def raw_query_times(actor) -> dict[str, float]:
    from hrtui.domain.roster import Roster
    from hrtui.tui.widgets.roster_view import EXACT

    out = {}
    for label, keys in KEYS:
        text = "".join(keys)
        samples = []
        for _ in range(15):
            t0 = time.perf_counter()
            r = Roster(actor, text)
            r.count_upto(EXACT)  # what a keystroke runs; a larger count finishes in a worker
            r.page(0, 100)
            samples.append((time.perf_counter() - t0) * 1000)
        out[label] = statistics.median(samples)
    return out


async def in_app(db: Path) -> dict[str, object]:
    from hrtui.access.actor import authenticate
    from hrtui.store import open_store
    from textual import events

    from hrtui.tui.app import HRApp
    from hrtui.tui.widgets.roster_view import RosterView

    frames: list[float] = []
    shown: list[float] = []
    original_show = RosterView.show

    def timed_show(self, *a, **kw):  # when the roster took the new filter: the next frame is its repaint
        original_show(self, *a, **kw)
        shown.append(time.perf_counter())

    RosterView.show = timed_show

    keys_seen: list[float] = []

    class TimedApp(HRApp):
        def _display(self, screen, renderable):
            super()._display(screen, renderable)
            frames.append(time.perf_counter())

        async def on_event(self, event):
            if isinstance(event, events.Key):  # the moment the key reaches the app, as from a terminal
                keys_seen.append(time.perf_counter())
            await super().on_event(event)

    t_open0 = time.perf_counter()
    open_store(db)
    actor = authenticate("admin", "demo")
    t_open = time.perf_counter()
    app = TimedApp(actor=actor, lang="en")
    result: dict[str, object] = {"open_db_ms": (t_open - t_open0) * 1000}

    async def key_to_paint(pilot, key: str, after_show: bool = False) -> float:
        """From the key press to the first frame that shows its effect (after the roster re-queried, for filters)."""
        n_keys, n_shown = len(keys_seen), len(shown)
        await pilot.press(key)
        t0 = keys_seen[n_keys]
        for _ in range(500):
            ready = [f for f in frames if f > t0 and (not after_show or (len(shown) > n_shown and f >= shown[-1]))]
            if ready:
                return (ready[0] - t0) * 1000
            await asyncio.sleep(0.001)
        raise RuntimeError(f"no frame after {key!r}")

    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(500):
            if isinstance(app.screen, app.screen.__class__) and app.screen.query(RosterView) and frames:
                view = app.screen.query_one(RosterView)
                if view.total:
                    break
            await asyncio.sleep(0.001)
        first_roster_frame = next(f for f in frames if f > t_open)
        result["first_paint_ms"] = (first_roster_frame - t_open) * 1000
        await pilot.pause()
        for label, keys in KEYS:
            samples = []
            for rep in range(5):
                await pilot.press("escape")
                await pilot.pause()
                view = app.screen.query_one(RosterView)
                view.focus()
                await pilot.pause()
                for k in keys:
                    samples.append(await key_to_paint(pilot, k, after_show=True))
            result[f"filter {label}"] = statistics.median(samples)
        await pilot.press("escape")
        await pilot.pause()
        nav = {"end": [], "pagedown": [], "pageup": [], "home": []}
        for _ in range(10):
            for k in ("end", "home", "pagedown", "pageup"):
                nav[k].append(await key_to_paint(pilot, k))
                await pilot.pause()
        for k, v in nav.items():
            result[f"key {k}"] = statistics.median(v)
    result["raw"] = raw_query_times(actor)
    return result


def startup_seconds(argv: list[str], marker: bytes, env: dict, timeout: float = 30) -> float:
    """Spawn argv on a pseudo-terminal of 80×24; seconds until `marker` is written to the screen."""
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update(env)
        os.execvp(argv[0], argv)
    import fcntl
    import struct
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    t0 = time.perf_counter()
    seen = b""
    try:
        while time.perf_counter() - t0 < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                seen += chunk
                if marker in seen:
                    return time.perf_counter() - t0
        raise RuntimeError(f"marker {marker!r} not seen; got {seen[-300:]!r}")
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.close(fd)


HELLO = """
from textual.app import App
from textual.widgets import Static
class Hello(App):
    def compose(self):
        yield Static("hello-ready")
Hello().run()
"""


def startup(small: Path, runs: int = 15) -> dict[str, float]:
    """Median seconds from spawn to the last roster row on an 80×24 pty, hrtui vs a bare Textual app, interleaved.

    Both run as an installed package would: with bytecode (a first, untimed run of each writes it where a source
    checkout has none; PYTHONDONTWRITEBYTECODE is dropped for that).
    """
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    env = {"HRTUI_PASSWORD": "demo", "TERM": "xterm-256color", "LANG": "en_US.UTF-8"}
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(HELLO)
    hello_argv = [sys.executable, f.name]
    script = Path(sys.executable).with_name("hrtui")  # the console script a user runs (python -m adds runpy)
    app_argv = [*([str(script)] if script.exists() else [sys.executable, "-m", "hrtui"]),
                "--db", str(small), "--user", "admin"]
    startup_seconds(hello_argv, b"hello-ready", env)
    startup_seconds(app_argv, b"E000021", env)
    hello, app = [], []
    for _ in range(runs):
        hello.append(startup_seconds(hello_argv, b"hello-ready", env))
        app.append(startup_seconds(app_argv, b"E000021", env))
    os.unlink(f.name)
    h, a = statistics.median(hello), statistics.median(app)
    return {"hello_ms": h * 1000, "hrtui_ms": a * 1000, "ratio": a / h}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "hrtui-bench-100k.db")
    ap.add_argument("--small", type=Path, default=Path(tempfile.gettempdir()) / "hrtui-bench-10k.db")
    ap.add_argument("--startup-only", action="store_true", help="only the whole-process start-up comparison")
    args = ap.parse_args()
    if args.startup_only:
        ensure_demo(args.small, 10_000)
        s = startup(args.small)
        print(f"start-up 10k DB: hrtui {s['hrtui_ms']:.0f} ms vs bare Textual {s['hello_ms']:.0f} ms: "
              f"ratio {s['ratio']:.2f}")
        return
    ensure_demo(args.db, 100_000)
    ensure_demo(args.small, 10_000)
    res = asyncio.run(in_app(args.db))
    raw = res.pop("raw")
    print(f"100k DB: open {res.pop('open_db_ms'):.1f} ms; first roster paint {res.pop('first_paint_ms'):.1f} ms after open")
    for k, v in res.items():
        print(f"  {k:<24} {v:6.1f} ms key-to-paint (median)")
    for k, v in raw.items():
        print(f"  raw query {k:<18} {v:6.2f} ms (count up to 2000 + first page)")
    s = startup(args.small)
    print(f"start-up 10k DB: hrtui {s['hrtui_ms']:.0f} ms vs bare Textual {s['hello_ms']:.0f} ms: ratio {s['ratio']:.2f}")


if __name__ == "__main__":
    main()
