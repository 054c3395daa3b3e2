"""Themes from TOML files: the shipped ones (themes/) and the user's own (~/.config/hrtui/themes/)."""
from __future__ import annotations

import dataclasses
import importlib.util
import os
import tomllib
from pathlib import Path

from textual.theme import Theme

from hrtui import config

SHIPPED_ORDER = ("hrtui-dark", "hrtui-light", "hrtui-high-contrast", "hrtui-mono")
_FIELDS = {f.name for f in dataclasses.fields(Theme)}


def shipped_dir() -> Path:
    spec = importlib.util.find_spec("hrtui.themes")
    if spec and spec.submodule_search_locations:
        for loc in spec.submodule_search_locations:
            if list(Path(loc).glob("*.toml")):
                return Path(loc)
    return Path(__file__).resolve().parents[2] / "themes"


def theme_from_file(path: Path) -> Theme:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    unknown = set(data) - _FIELDS
    if unknown:
        raise ValueError(f"unknown keys {', '.join(sorted(unknown))}")
    if "name" not in data or "primary" not in data:
        raise ValueError("needs at least name and primary")
    theme = Theme(**data)
    theme.to_color_system()  # parse every colour now, so a bad one fails here and not at paint time
    return theme


def load_themes() -> tuple[list[Theme], list[tuple[Path, str]]]:
    """All usable themes, and (file, error) for each broken one (the app notifies and falls back)."""
    themes, broken = [], []
    user_dir = config.config_dir() / "themes"
    for folder in (shipped_dir(), user_dir):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                themes.append(theme_from_file(path))
            except Exception as exc:  # any fault in a theme file is the file's, never a crash
                broken.append((path, str(exc).splitlines()[0][:120]))
    return themes, broken


def default_theme_name(configured: str | None, no_color: bool = False) -> str:
    if no_color or os.environ.get("NO_COLOR"):
        return "hrtui-mono"
    return configured or "hrtui-dark"
