"""Storage: one SQLCipher/SQLite file per organisation, migrated on open."""
from __future__ import annotations

from pathlib import Path

from hrtui.store.db import open_db
from hrtui.store.migrate import upgrade


def open_store(path: Path | str, *, create: bool = False, key: str | None = None):
    """Open the database, apply pending migrations (after a backup copy), and return it."""
    db = open_db(path, create=create, key=key)
    upgrade(db, Path(path))
    return db
