"""Files that appear whole or not at all: a backup or an export is written to `NAME.part` and renamed when done."""
from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


def part_path(path: Path) -> Path:
    return path.with_name(path.name + ".part")


@contextlib.contextmanager
def atomic_write(path: Path) -> Iterator[BinaryIO]:
    """Write `path` through `path.part` (0600, never through a link); fsynced and renamed over `path` at the end.

    On any failure, a cancel included, the .part is removed and `path` is left as it was."""
    part = part_path(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(part, flags, 0o600)
    try:
        os.fchmod(fd, 0o600)  # a stale .part may carry looser bits
        with open(fd, "wb", closefd=False) as out:
            yield out
            out.flush()
            os.fsync(fd)
    except BaseException:
        os.close(fd)
        part.unlink(missing_ok=True)
        raise
    os.close(fd)
    os.replace(part, path)
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Make a rename or unlink in `folder` durable; not every platform can open a directory."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
