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


_GLOBAL_VALUE_OPTIONS = ("--db", "--user", "--lang")
BUILT_IN = ("demo", "init", "migrate")  # registered by hrtui.cli itself


def command_word(argv: list[str]) -> str | None:
    """The subcommand named on the command line (the first word that is neither an option nor its value)."""
    words = iter(argv)
    for word in words:
        if word in _GLOBAL_VALUE_OPTIONS:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def registrars(argv: list[str] | None = None):
    """Registrars needed to parse `argv`: the named command's module only; all of them when argv is None, help is
    asked for or the command is unknown (so that the refusal lists every command)."""
    wanted = MODULES
    if argv is not None and not {"-h", "--help"} & set(argv):
        word = command_word(argv)
        if word is None or word in BUILT_IN:
            wanted = {}
        elif any(word in cmds for cmds in MODULES.values()):
            wanted = {m: cmds for m, cmds in MODULES.items() if word in cmds}
    return [importlib.import_module(name).register for name in wanted]
