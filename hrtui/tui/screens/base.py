"""Base screen: key labels follow the UI language from the first paint on."""
from __future__ import annotations

from pathlib import Path

from textual.screen import Screen

CSS_DIR = Path(__file__).resolve().parent.parent / "css"


def style(name: str) -> str:
    """A screen's own stylesheet (hrtui/tui/css/NAME.tcss), parsed when the screen first opens."""
    return str(CSS_DIR / f"{name}.tcss")


class HRScreen(Screen):
    def _compositor_refresh(self) -> None:
        # While the app batches updates (its start-up, a section switch) Textual renders the top screen and throws
        # the frame away: nothing is written until the batch ends. Its widgets stay dirty and are drawn then, once.
        # At start-up that is one whole render of the roster fewer (~8 ms). (Textual 8's hook; pinned < 9.)
        if self.app._batch_count and self is self.app.screen and not self.app.is_inline:
            return
        super()._compositor_refresh()

    def on_screen_resume(self) -> None:
        self.app.relabel_screen(self)

    def check_action(self, action: str, parameters) -> bool | None:
        """Keys a role may not use are not offered (the app's policy map decides)."""
        return self.app.action_allowed(action)
