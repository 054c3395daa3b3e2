"""What the plan editor and the checklist share: one plan, loaded through the domain, its effect report on `r`, and
a fresh load or redraw when the screen comes back or the language changes. Each screen draws the plan its own way."""
from __future__ import annotations

from hrtui.errors import UserError
from hrtui.tui.screens.base import HRScreen


class PlanBaseScreen(HRScreen):
    def __init__(self, plan_id: str) -> None:
        super().__init__()
        self.plan_id = plan_id
        self.plan = None
        self.today = None

    @property
    def lang(self) -> str:
        return self.app.lang

    # A subclass draws itself: `draw()` is called after every load.

    def load(self, audit_read: bool = False) -> None:
        """Read the plan again (a refusal closes the screen) and redraw."""
        from hrtui.domain import plans as P

        try:
            self.plan = P.load(self.app.actor, self.plan_id, audit_read=audit_read, lang=self.lang)
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False)
            self.app.pop_screen()
            return
        self.today = P.org_today()
        self.draw()

    def action_effect(self) -> None:
        from hrtui.tui.screens.effect import open_effect

        open_effect(self.app, self.plan_id)

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self.plan is not None:
            self.load()

    def relabel(self) -> None:
        if self.plan is not None:
            self.draw()
