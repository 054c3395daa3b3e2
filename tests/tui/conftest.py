"""TUI fixtures: an app factory bound to the demo DB, and a helper that waits for workers instead of sleeping."""
from __future__ import annotations

import pytest


@pytest.fixture
def make_app(demo_db, actor_of):
    from hrtui.tui.app import HRApp

    def make(user: str = "admin", lang: str = "en", theme: str | None = None) -> HRApp:
        return HRApp(actor=actor_of(user), lang=lang, theme=theme)

    return make


async def settle(app, pilot):
    await app.workers.wait_for_complete()
    await pilot.pause()
