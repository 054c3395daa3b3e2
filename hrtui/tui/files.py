"""Files the TUI writes for the user (exports of what is on screen): private, in the exports folder."""
from __future__ import annotations

import os
from pathlib import Path

from hrtui import config


def exports_dir() -> Path:
    folder = config.data_dir() / "exports"
    config.ensure_private_dir(folder)
    return folder


def write_private_text(name: str, text: str) -> Path:
    path = exports_dir() / name
    tmp = path.with_name(path.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)
    return path
