"""Base screen: key labels follow the UI language from the first paint on."""
from __future__ import annotations

from pathlib import Path

from rich.style import Style
from textual.screen import Screen

CSS_DIR = Path(__file__).resolve().parent.parent / "css"


def style(name: str) -> str:
    """A screen's own stylesheet (hrtui/tui/css/NAME.tcss), parsed when the screen first opens."""
    return str(CSS_DIR / f"{name}.tcss")


class HRScreen(Screen):
    # A screen that colours parts of its text names them "<PARTS>--name" in COMPONENT_CLASSES, styled in its .tcss
    # with the theme's variables; `part_style` reads them and `redraw_parts` draws again when they change.
    PARTS = ""

    def on_mount(self) -> None:
        if self.PARTS:
            self.app.theme_changed_signal.subscribe(self, lambda _theme: self.redraw_parts())

    def on_show(self) -> None:
        if self.PARTS:  # the screen's stylesheet is applied after it mounts: what was drawn then had no colours
            self.redraw_parts()

    def part_style(self, part: str) -> Style:
        """The theme's colour and weight of a part of the text, on no background of its own (so it sits on a title
        bar or a cursor line as well). Read fresh: the cached component style is stale until the sheet is in."""
        full = self.get_component_styles(f"{self.PARTS}--{part}").rich_style
        return full.without_color + Style(color=full.color)

    def redraw_parts(self) -> None:
        """Draw again what `part_style` coloured (a theme change, the first show)."""

    def on_screen_resume(self) -> None:
        self.app.relabel_screen(self)

    def check_action(self, action: str, parameters) -> bool | None:
        """Keys a role may not use are not offered (the app's policy map decides)."""
        return self.app.action_allowed(action)
