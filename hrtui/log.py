"""A small private log for problem reports: event names and error types only, never employee text.

$XDG_STATE_HOME/hrtui/hrtui.log (default ~/.local/state/hrtui), 0600, rotated at 256 KiB.
"""
from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path

MAX_BYTES = 256 * 1024


def log_path() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "hrtui" / "hrtui.log"


def event(name: str, **fields: str | int) -> None:
    """Append one line: time, event name, and plain fields (command names, error classes, screen names)."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if path.exists() and path.stat().st_size > MAX_BYTES:
            os.replace(path, path.with_suffix(".log.1"))
        stamp = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
        extra = " ".join(f"{k}={v}" for k, v in fields.items())
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as f:
            f.write(f"{stamp} {name} {extra}".rstrip() + "\n")
    except OSError:
        pass  # logging must never break the work


def tail(lines: int = 200) -> list[str]:
    path = log_path()
    if not path.exists():
        return []
    return path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
