"""Shared fixtures: an isolated environment (no developer config, pinned date and locale) and demo databases."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

TODAY = "2026-11-30"


@pytest.fixture(scope="session", autouse=True)
def session_keystore(tmp_path_factory):
    """One keystore for the whole run: the session's demo DB and every copy of it open with the same key."""
    folder = tmp_path_factory.mktemp("keystore")
    os.chmod(folder, 0o700)
    os.environ["HRTUI_KEYSTORE"] = str(folder)
    yield folder


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("HRTUI_TODAY", TODAY)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    # The terminal's colours pick a theme's variant (16 colours: its [colors16] keys): pinned, so that a test renders
    # the same wherever it runs (TERM=xterm, or no TERM at all, would be 16 colours).
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("COLORTERM", raising=False)
    for var in ("HRTUI_DB", "HRTUI_USER", "HRTUI_PASSWORD", "LC_ALL", "LC_MESSAGES", "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)
    yield home


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory) -> Path:
    """A 240-employee demo DB built once per session; tests get private copies (`demo_db`)."""
    os.environ["HRTUI_TODAY"] = TODAY
    from hrtui.domain.demo import build_demo
    from hrtui.store import open_store

    folder = tmp_path_factory.mktemp("master")
    os.chmod(folder, 0o700)
    path = folder / "demo.db"
    db = open_store(path, create=True)
    build_demo(240, seed=7)
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture
def demo_db(demo_master, tmp_path) -> Path:
    """A private copy of the demo DB, opened and bound as the current database."""
    from hrtui.store import open_store

    path = tmp_path / "demo.db"
    shutil.copyfile(demo_master, path)
    os.chmod(path, 0o600)
    db = open_store(path)
    yield path
    db.close()


@pytest.fixture
def actor_of(demo_db):
    """actor_of('hr.sales') -> the authenticated Actor of a demo account."""
    from hrtui.access.actor import authenticate

    cache = {}

    def get(name: str):
        if name not in cache:
            cache[name] = authenticate(name, "demo")
        return cache[name]

    return get


@pytest.fixture
def stories(demo_db) -> dict[str, str]:
    """The planted under-performers of the demo: kind -> employee number."""
    import json

    from hrtui.store.db import database

    return json.loads(database.execute_sql("SELECT value FROM setting WHERE key='demo.stories'").fetchone()[0])
