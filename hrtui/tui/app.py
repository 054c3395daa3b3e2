"""The Textual application: one acting user, a language, a theme; screens call domain functions only."""
from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from hrtui import config
from hrtui.access.actor import Actor
from hrtui.errors import UserError
from hrtui.i18n import t
from hrtui.tui.bindings import relabel
from hrtui.tui.commands import HRCommands
from hrtui.tui.themes import default_theme_name, load_themes


class HRApp(App):
    CSS_PATH = str(Path(__file__).with_name("app.tcss"))  # absolute: subclasses live elsewhere
    COMMANDS = App.COMMANDS | {HRCommands}
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True)]

    def __init__(self, actor: Actor, lang: str = "en", theme: str | None = None) -> None:
        super().__init__()
        self.actor = actor
        self.lang = lang
        self._wanted_theme = theme
        self.theme_names: list[str] = []
        from hrtui.domain.organisation import department_codes

        self.department_codes = department_codes(actor.department_ids)
        self.title = "hrtui"

    @property
    def sub_title_text(self) -> str:
        a = self.actor
        scope = {"admin": t("scope.all", self.lang), "manager": t("scope.reports", self.lang),
                 "employee": t("scope.self", self.lang)}.get(a.role) or ",".join(self.department_codes)
        return t("user.banner", self.lang, user=a.name, role=t(f"role.{a.role}", self.lang), scope=scope).rstrip(" ·")

    def on_mount(self) -> None:
        relabel(self, self.lang)
        themes, broken = load_themes()
        for theme in themes:
            self.register_theme(theme)
        self.theme_names = [th.name for th in themes]
        try:
            configured = self._wanted_theme or config.load_settings().theme
        except ValueError:
            configured = None
        wanted = default_theme_name(configured, self.no_color)
        self.theme = wanted if wanted in self.theme_names else "hrtui-dark"
        for path, error in broken:
            self.notify(t("theme.broken", self.lang, file=path.name, error=error), severity="warning", markup=False)
        from hrtui.tui.screens.roster import RosterScreen

        self.push_screen(RosterScreen())

    # -- navigation ------------------------------------------------------------------------------------------
    def open_employee(self, number: str) -> None:
        from hrtui.domain.people import employee_card
        from hrtui.tui.screens.employee import EmployeeScreen

        try:
            card = employee_card(self.actor, number)
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.push_screen(EmployeeScreen(card))

    # -- language and theme ----------------------------------------------------------------------------------
    def action_toggle_lang(self) -> None:
        self.lang = "en" if self.lang == "zh" else "zh"
        self.relabel_all()

    def relabel_all(self) -> None:
        """Put every visible text and key label into the current language."""
        relabel(self, self.lang)
        for screen in self.screen_stack:
            self.relabel_screen(screen)
            if hasattr(screen, "relabel"):
                screen.relabel()

    def relabel_screen(self, screen) -> None:
        for node in [screen, *screen.query("*")]:
            relabel(node, self.lang)
        screen.refresh_bindings()

    def action_next_theme(self) -> None:
        names = self.theme_names or [self.theme]
        current = names.index(self.theme) if self.theme in names else -1
        self.set_theme(names[(current + 1) % len(names)])

    def set_theme(self, name: str) -> None:
        self.theme = name
        self.notify(t("cmd.theme_named", self.lang, name=name.removeprefix("hrtui-")), timeout=2)

    def get_system_commands(self, screen):
        """Textual's own commands, minus the theme picker (ours is bilingual) and, for non-admins, the
        screenshot command: screens hold HR data (DESIGN §9)."""
        for cmd in super().get_system_commands(screen):
            if cmd.title == "Theme":
                continue
            if cmd.title == "Screenshot" and not self.actor.is_admin:
                continue
            yield cmd
