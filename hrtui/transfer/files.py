"""Files that appear whole or not at all: a backup or an export is written to `NAME.part` and renamed when done.

Every file holding HR data is created here: 0600, never through a link, never over something that is not a
plain file of the user's (the database, a key, a device)."""
from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from hrtui.errors import UserError


def human_size(n: int) -> str:
    """A file size as people read it (812 B, 3.4 MB): the CLI and the backup screen say it alike."""
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{n} B" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


def part_path(path: Path) -> Path:
    return path.with_name(path.name + ".part")


def create_private(path: Path) -> int:
    """A new, empty 0600 file at `path`, opened for writing; returns the fd.

    A stale file or link of that name is removed first (unlink never follows a link); O_EXCL|O_NOFOLLOW then
    make sure the fd is a file we created, even if something races us to the name."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    flags = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    return os.open(path, flags, 0o600)


def _same(name: Path, target: Path) -> bool:
    """Whether writing or unlinking the entry `name` (not what a link there points to) would hit `target`:
    the same path once folders' links are resolved, or the same file under another name (a hard link)."""
    if name.parent.resolve() / name.name == target.resolve():
        return True
    try:
        return os.path.samestat(os.lstat(name), os.stat(target))
    except OSError:
        return False


def check_output(path: Path, db_path: Path | str | None = None) -> None:
    """Refuse (one line) an output path that must never be replaced, whatever --force says: the open database or
    its -wal/-shm/-journal, anything in the keystore folder, or an existing entry that is not a regular file
    (a device, a folder, a link)."""
    from hrtui.store.keystore import keystore_dir

    path = Path(path)
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            raise UserError(f"{path} exists and is not a regular file; choose another file name")
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise UserError(f"{path}: {exc.strerror or exc}") from None
    if db_path is not None:
        live = [Path(f"{db_path}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")]
        # the .part is unlinked before it is written: it must not be one of them either
        if any(_same(mine, other) for mine in (path, part_path(path)) for other in live):
            raise UserError(f"{path} is the open database (or one of its files); choose another file name")
    keys = keystore_dir().expanduser().resolve()
    if path.resolve().is_relative_to(keys):
        raise UserError(f"{path} is inside the keystore folder {keys}; choose another file name")


@contextlib.contextmanager
def atomic_write(path: Path) -> Iterator[BinaryIO]:
    """Write `path` through `path.part` (0600, never through a link); fsynced and renamed over `path` at the end.

    On any failure, a cancel included, the .part is removed and `path` is left as it was."""
    part = part_path(path)
    fd = create_private(part)
    try:
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
