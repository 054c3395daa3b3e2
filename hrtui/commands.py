"""Registry of subcommands defined beside their domain code: each entry is `register(subparsers, common)`."""
from __future__ import annotations

REGISTRARS: list = []
