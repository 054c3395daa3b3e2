"""Base screen: key labels follow the UI language from the first paint on."""
from __future__ import annotations

from pathlib import Path

from textual.screen import Screen

CSS_DIR = Path(__file__).resolve().parent.parent / "css"


def style(name: str) -> str:
    """A screen's own stylesheet (hrtui/tui/css/NAME.tcss), parsed when the screen first opens."""
    return str(CSS_DIR / f"{name}.tcss")


class HRScreen(Screen):
    def on_screen_resume(self) -> None:
        self.app.relabel_screen(self)

    def check_action(self, action: str, parameters) -> bool | None:
        """Keys a role may not use are not offered (the app's policy map decides)."""
        return self.app.action_allowed(action)
