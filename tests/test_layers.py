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
