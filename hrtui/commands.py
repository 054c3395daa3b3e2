"""Subcommands defined beside their domain code.

Each module listed has `register(subparsers, common)`; it is imported only when the command line names one of
its commands (or asks for help), so opening the TUI never pays for crypto, import or report code.
"""
from __future__ import annotations

import importlib

# module -> the subcommands it registers
MODULES: dict[str, tuple[str, ...]] = {
    "hrtui.crypto.commands": ("keygen", "encrypt", "decrypt"),
    "hrtui.access.commands": ("user", "passwd", "audit", "key"),
    "hrtui.support": ("report-problem",),
    "hrtui.domain.mood": ("mood",),
    "hrtui.domain.interview_cli": ("interview",),
    "hrtui.domain.portrait_cli": ("portrait", "attention"),
    "hrtui.domain.plan_cli": ("plan", "remind", "report"),
    "hrtui.transfer.backup_commands": ("backup", "verify", "restore", "export"),
    "hrtui.transfer.commands": ("import",),
}


def registrars(argv: list[str] | None = None):
    """Registrars needed to parse `argv` (all of them when argv is None or help is asked for)."""
    wanted = MODULES
    if argv is not None and not {"-h", "--help"} & set(argv):
        words = set(argv)
        wanted = {m: cmds for m, cmds in MODULES.items() if words & set(cmds)}
    return [importlib.import_module(name).register for name in wanted]
