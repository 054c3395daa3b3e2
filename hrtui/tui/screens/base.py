"""Base screen: key labels follow the UI language from the first paint on."""
from __future__ import annotations

from textual.screen import Screen


class HRScreen(Screen):
    def on_screen_resume(self) -> None:
        self.app.relabel_screen(self)

    def check_action(self, action: str, parameters) -> bool | None:
        """Keys a role may not use are not offered (the app's policy map decides)."""
        return self.app.action_allowed(action)
