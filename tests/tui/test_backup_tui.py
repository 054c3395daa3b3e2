"""The backup screen through Textual's pilot at 80×24: admins only, back up now with a progress bar, verify,
restore with a confirmation (then the app goes on with the restored database), and snapshots."""
from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import ProgressBar

from hrtui.crypto import age
from hrtui.store import keystore
from hrtui.store.db import database
from tests.tui.conftest import settle

FIXED_RECIPIENT = "age10n8zkcg2d5xe4qaa7hml4ntw4kmcq2ukj7fysk6wp9c9akr8y3ussn7maz"


def write_settings(home: Path, recipient: str, identity: Path | None = None, folder: str = "~/backups") -> Path:
    path = home / "config" / "hrtui" / "settings.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = f'[backup]\ndir = "{folder}"\nrecipients = ["{recipient}"]\n'
    if identity is not None:
        text += f'identity = "{identity}"\n'
    path.write_text(text, encoding="utf-8")
    return home / "backups"


def fake_backups(folder: Path, *names_and_sizes) -> None:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for name, size in names_and_sizes:
        with open(folder / name, "wb") as f:
            f.truncate(size)


@pytest.fixture
def keyed(isolated_env, tmp_path):
    ident = tmp_path / "id.txt"
    recipient = age.write_new_identity(ident)
    return write_settings(isolated_env, recipient, ident), ident


def status_text(app) -> str:
    return str(app.screen.query_one("#backup-status").render())


async def test_admin_backs_up_verifies_and_restores(make_app, keyed, demo_db):
    from hrtui.tui.screens.backup import BackupScreen, ConfirmRestore
    from hrtui.tui.screens.roster import RosterScreen

    folder, _ = keyed
    app = make_app("admin")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f9")
        await settle(app, pilot)
        assert isinstance(app.screen, BackupScreen)
        banner = app.screen.query_one("#backup-banner")
        assert banner.display and "No backup yet this week (2026-W49)" in str(banner.render())

        await pilot.press("b")
        await settle(app, pilot)
        made = list(folder.glob("demo-*.db.age"))
        assert len(made) == 1 and made[0].read_bytes().startswith(b"age-encryption.org/v1\n")
        assert "Backup written: demo-20261130T" in status_text(app)
        assert app.screen.query_one(ProgressBar).progress == 100
        assert not app.screen.query_one("#backup-banner").display  # this week's backup exists now

        await pilot.press("v")
        await settle(app, pilot)
        assert "is good" in status_text(app) and "240 employees" in status_text(app)

        database.execute_sql("UPDATE employee SET email = 'after-backup@example' WHERE number = 'E000001'")
        salt = keystore.salt_of(demo_db)
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmRestore)
        await pilot.press("n")  # cancel: nothing happens
        await settle(app, pilot)
        assert isinstance(app.screen, BackupScreen) and keystore.salt_of(demo_db) == salt

        await pilot.press("r")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        await settle(app, pilot)
        assert isinstance(app.screen, RosterScreen)  # back on the roster, reloaded from the restored database
        assert keystore.salt_of(demo_db) != salt
        assert list(demo_db.parent.glob("demo.db.before-restore-*"))
        assert any("Restored from demo-" in str(n.message) for n in app._notifications)
        email = database.execute_sql("SELECT email FROM employee WHERE number = 'E000001'").fetchone()[0]
        assert email != "after-backup@example"
        assert app.screen.query_one("#roster").total == 240
    database.close()


async def test_restore_of_a_tampered_file_is_refused_on_screen(make_app, keyed, demo_db, actor_of):
    from hrtui.transfer.backup import run_backup
    from hrtui.tui.screens.backup import BackupScreen

    folder, _ = keyed
    made = run_backup(actor_of("admin"), demo_db).path
    data = bytearray(made.read_bytes())
    data[len(data) // 2] ^= 1
    made.write_bytes(bytes(data))
    salt = keystore.salt_of(demo_db)
    app = make_app("admin")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.push_screen(BackupScreen())
        await settle(app, pilot)
        await pilot.press("r", "y")
        await settle(app, pilot)
        await settle(app, pilot)
        assert isinstance(app.screen, BackupScreen)
        assert "failed authentication" in status_text(app)
        assert keystore.salt_of(demo_db) == salt
    refused = database.execute_sql("SELECT action FROM audit ORDER BY seq DESC LIMIT 1").fetchone()[0]
    assert refused == "backup.restore.refused"


async def test_backups_are_hidden_from_non_admins(make_app, keyed):
    from hrtui.tui.commands import HRCommands
    from hrtui.tui.screens.backup import BackupScreen

    app = make_app("hr.sales")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.screen.check_action("open_backup", ()) is False  # F9 neither shown nor run
        assert "Backups" not in [c[0] for c in HRCommands(app.screen)._commands()]
        await pilot.press("f9")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "RosterScreen"
        app.push_screen(BackupScreen())  # even pushed directly, the screen closes itself
        await settle(app, pilot)
        assert type(app.screen).__name__ == "RosterScreen"

    app = make_app("admin")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert "Backups" in [c[0] for c in HRCommands(app.screen)._commands()]
        app.push_screen(BackupScreen())
        await settle(app, pilot)
        titles = [c[0] for c in HRCommands(app.screen)._commands()]
        assert {"Back up now", "Verify the selected backup", "Restore the selected backup…"} <= set(titles)


def test_backup_screen_snapshot_overdue(make_app, isolated_env, snap_compare):
    folder = write_settings(isolated_env, FIXED_RECIPIENT)
    fake_backups(folder, ("demo-20261113T180000.db.age", 4_812_345), ("demo-20261120T180012.db.age", 4_830_001),
                 ("demo-20261127T180007.db.age", 4_851_277))
    assert snap_compare(make_app("admin", lang="en"), press=["f9"], terminal_size=(80, 24))


def test_backup_screen_snapshot_friday_zh(make_app, isolated_env, monkeypatch, snap_compare):
    monkeypatch.setenv("HRTUI_TODAY", "2026-11-27")
    folder = write_settings(isolated_env, FIXED_RECIPIENT)
    fake_backups(folder, ("demo-20261120T180012.db.age", 4_830_001), ("demo-20261127T180007.db.age", 4_851_277))
    assert snap_compare(make_app("admin", lang="zh"), press=["f9"], terminal_size=(80, 24))


async def test_backing_up_with_no_recipients_says_so_in_the_users_language(make_app, isolated_env, demo_db):
    app = make_app("admin", lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f9", "b")
        await settle(app, pilot)
        assert status_text(app).startswith("尚未设置：请在 settings.toml 的 [backup] 中填写 recipients")
        assert not list(demo_db.parent.rglob("*.age"))                      # nothing was written (beside the DB)
