"""Base screen: key labels follow the UI language from the first paint on."""
from __future__ import annotations

from textual.screen import Screen


class HRScreen(Screen):
    def on_screen_resume(self) -> None:
        self.app.relabel_screen(self)
