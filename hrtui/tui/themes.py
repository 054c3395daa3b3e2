"""Themes from TOML files: the shipped ones (themes/) and the user's own (~/.config/hrtui/themes/).

A theme file may hold a `[colors16]` table: keys (and `variables`) used instead of the ones above them on a terminal
of 16 colours (TERM=xterm, screen, …). There Rich draws each colour as the nearest of the 16 standard ones and the
terminal paints that in its own palette, whose yellow and white are much lighter than Rich's reckoning: an orange, a
mid-grey (what `dim` makes of text) or a light blue can end as yellow, white or cyan on white. The table picks colours
that land on legible ones.
"""
from __future__ import annotations

import dataclasses
import importlib.util
import io
import os
import tomllib
from pathlib import Path

from rich.console import Console
from textual.theme import Theme

from hrtui import config

SHIPPED_ORDER = ("hrtui-dark", "hrtui-light", "hrtui-high-contrast", "hrtui-mono")
COLORS16 = "colors16"
_FIELDS = {f.name for f in dataclasses.fields(Theme)}


def shipped_dir() -> Path:
    spec = importlib.util.find_spec("hrtui.themes")
    if spec and spec.submodule_search_locations:
        for loc in spec.submodule_search_locations:
            if list(Path(loc).glob("*.toml")):
                return Path(loc)
    return Path(__file__).resolve().parents[2] / "themes"


def colour_system() -> str | None:
    """The colours the app will draw with on this terminal ("truecolor", "256", "standard" for 16, None): what
    Textual's console decides, from TEXTUAL_COLOR_SYSTEM or else Rich's reading of COLORTERM and TERM."""
    from textual import constants

    return Console(color_system=constants.COLOR_SYSTEM, file=io.StringIO(), force_terminal=True,
                   legacy_windows=False).color_system


def theme_from_file(path: Path, colours: str | None = None) -> Theme:
    """The theme a file describes; with `colours` "standard" (16 colours) its `[colors16]` keys replace the others."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    sixteen = data.pop(COLORS16, {})
    if not isinstance(sixteen, dict):
        raise ValueError(f"{COLORS16} must be a table")
    unknown = (set(data) | set(sixteen)) - _FIELDS
    if unknown:
        raise ValueError(f"unknown keys {', '.join(sorted(unknown))}")
    if "name" not in data or "primary" not in data:
        raise ValueError("needs at least name and primary")
    if "name" in sixteen:
        raise ValueError(f"{COLORS16} keeps the theme's name")
    merged = {**data, **sixteen, "variables": {**data.get("variables", {}), **sixteen.get("variables", {})}}
    themes = [Theme(**data), Theme(**merged)]
    for theme in themes:
        theme.to_color_system()  # parse every colour now, so a bad one fails here and not at paint time
    return themes[1] if colours == "standard" else themes[0]


def load_themes() -> tuple[list[Theme], list[tuple[Path, str]]]:
    """All usable themes, and (file, error) for each broken one (the app notifies and falls back)."""
    themes, broken = [], []
    colours = colour_system()
    user_dir = config.config_dir() / "themes"
    for folder in (shipped_dir(), user_dir):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                themes.append(theme_from_file(path, colours))
            except Exception as exc:  # any fault in a theme file is the file's, never a crash
                broken.append((path, str(exc).splitlines()[0][:120]))
    return themes, broken


def default_theme_name(configured: str | None, no_color: bool = False) -> str:
    if no_color or os.environ.get("NO_COLOR"):
        return "hrtui-mono"
    return configured or "hrtui-dark"
