"""The floors of DESIGN §2: nothing below hrtui/tui imports Textual (checked in a fresh interpreter)."""
from __future__ import annotations

import pkgutil
import subprocess
import sys

import hrtui


def below_tui_modules():
    names = []
    for info in pkgutil.walk_packages(hrtui.__path__, "hrtui."):
        if info.name.startswith("hrtui.tui") or info.name == "hrtui.__main__":
            continue
        names.append(info.name)
    return names


def test_nothing_below_tui_imports_textual():
    modules = below_tui_modules()
    assert "hrtui.store.db" in modules and "hrtui.domain.roster" in modules
    code = "import importlib, sys\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules) + (
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "", f"Textual imported below the TUI: {proc.stdout}"


def test_cli_start_imports_no_textual():
    code = "import sys\nfrom hrtui.cli import build_parser\nbuild_parser()\nprint('textual' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "False", proc.stderr


def test_opening_the_tui_loads_no_subcommand_modules():
    """Subcommand modules (crypto, import, reports…) are imported only when their command is named."""
    code = ("import sys\nfrom hrtui.cli import build_parser\nbuild_parser(['--db', 'x.db', '--user', 'admin'])\n"
            "print(','.join(sorted(m for m in sys.modules if m.startswith(('hrtui.crypto', 'hrtui.transfer', "
            "'hrtui.support', 'cryptography')))))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""


def test_the_palette_on_a_fresh_start_names_every_entry_in_both_languages(demo_db):
    """Texts the palette offers before any other screen has opened must be registered by then: in a fresh process
    that has loaded only the start-up screens, no entry reads as a catalogue key instead of words."""
    code = f"""
import asyncio, re
from hrtui.store import open_store
from hrtui.access.actor import authenticate
from hrtui.tui.app import HRApp
from hrtui.tui.commands import HRCommands
open_store({str(demo_db)!r})
raw = re.compile(r"^[a-z_]+([.][a-z_]+)+$")
async def main():
    bad = []
    for lang in ("zh", "en"):
        app = HRApp(authenticate("admin", "demo"), lang=lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            for title, help_text, _ in HRCommands(app.screen)._commands():
                bad += [x for x in (title, help_text) if raw.match(x)]
    print(bad)
asyncio.run(main())
"""
    from hrtui.store.db import database

    database.close()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_the_first_roster_frame_is_drawn_before_the_orm_loads(demo_db):
    """Logging in and the first roster page use the store's SQL only; peewee (models, ~9 ms of imports) comes after
    the first frame (issue 2's start-up bar). Checked at the app's own display hook in a fresh process."""
    code = f"""
import asyncio, sys
from hrtui.store import open_store
from hrtui.access.actor import authenticate
from hrtui.tui.app import HRApp
open_store({str(demo_db)!r})
first = []
class Watched(HRApp):
    def _display(self, screen, renderable):
        super()._display(screen, renderable)
        if not first:
            first.append(("peewee" in sys.modules, len(screen.query_one("#roster").visible_rows())))
async def main():
    app = Watched(authenticate("hr.sales", "demo"), lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
asyncio.run(main())
print(first[0])
"""
    from hrtui.store.db import database

    database.close()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "(False, 21)"
