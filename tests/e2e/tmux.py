"""Drive the real hrtui in a tmux terminal of 80×24, as a person over SSH would."""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid

import pytest

requires_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Terminal:
    def __init__(self, argv: list[str], env: dict[str, str], cols: int = 80, rows: int = 24):
        self.name = f"hrtui-test-{uuid.uuid4().hex[:8]}"
        # A server of its own (-L): a tmux server already running elsewhere would start the session with *its*
        # environment, not this test's (keystore, data dirs).
        self.tmux = ["tmux", "-L", self.name]
        envs = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        cmd = f"env {envs} {shlex.join([sys.executable, '-m', 'hrtui', *argv])}; sleep 30"
        subprocess.run([*self.tmux, "new-session", "-d", "-s", self.name, "-x", str(cols), "-y", str(rows), cmd], check=True,
                       env=dict(os.environ, TERM="xterm-256color"))

    def screen(self) -> str:
        return subprocess.run([*self.tmux, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True).stdout

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; screen was:\n{self.screen()}")

    def keys(self, *keys: str) -> str:
        """Send keys, then return the screen once it has stopped changing."""
        for key in keys:
            subprocess.run([*self.tmux, "send-keys", "-t", self.name, key], check=True)
        return self.settle()

    def settle(self, quiet: float = 0.3, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        last, since = self.screen(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.05)
            now = self.screen()
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                break
        return last

    def pid(self) -> int:
        out = subprocess.run([*self.tmux, "list-panes", "-t", self.name, "-F", "#{pane_pid}"], capture_output=True, text=True)
        return int(out.stdout.split()[0])

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)
