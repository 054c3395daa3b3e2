"""Subcommands defined beside their domain code. Each module listed has `register(subparsers, common)`."""
from __future__ import annotations

import importlib

MODULES = [
]


def registrars():
    return [importlib.import_module(name).register for name in MODULES]
