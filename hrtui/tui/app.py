"""The Textual application: one acting user, a language, a theme; screens call domain functions only."""
from __future__ import annotations

from collections import deque
from pathlib import Path

from textual.app import App
from textual.binding import Binding

from hrtui import config
from hrtui.access.actor import Actor
from hrtui.access.policy import can
from hrtui.errors import UserError
from hrtui.i18n import CATALOGUES, register, t
from hrtui.tui.bindings import relabel
from hrtui.tui.commands import HRCommands
from hrtui.tui.themes import default_theme_name, load_themes


# action name -> (verb, resource) of the access policy; actions not listed are open to every role.
ACTION_NEEDS: dict[str, tuple[str, str]] = {
    "open_audit": ("read", "audit"),
    "open_import": ("write", "import"),
    "open_backup": ("read", "backup"),
    "report_problem_recipient": ("write", "settings"),
    "start_interview": ("write", "interview_notes"),
    "interview": ("write", "interview_notes"),
    "open_attention": ("read", "portraits"),
    # improvement plans (hrtui/tui/screens/plan.py, checklist.py, inbox.py, effect.py)
    "open_plans": ("read", "plans"),
    "open_plan": ("read", "plans"),
    "draft_plan": ("write", "plans"),
    "plan_edit": ("write", "plans"),
    "plan_add": ("write", "plans"),
    "plan_delete": ("write", "plans"),
    "plan_state": ("write", "plans"),
    "plan_toggle": ("write", "plan_items"),
    "plan_ack": ("write", "plan_items"),
}


class HRApp(App):
    CSS_PATH = str(Path(__file__).with_name("app.tcss"))  # absolute: subclasses live elsewhere
    COMMANDS = App.COMMANDS | {HRCommands}
    ENABLE_COMMAND_PALETTE = True
    _css_current = False  # see refresh_css
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True, show=False)]

    def __init__(self, actor: Actor, lang: str = "en", theme: str | None = None, ready=None) -> None:
        super().__init__()
        self.actor = actor
        self._after_first_frame = ready  # hrtui.cli.run_tui: note the account for next time, off the start path
        self.lang = lang
        self._wanted_theme = theme
        self.theme_names: list[str] = []
        self.steps: deque[str] = deque(maxlen=50)  # last steps, for problem reports (action names only)
        from hrtui.domain.organisation import department_codes

        self.department_codes = department_codes(actor.department_ids)
        self.title = "hrtui"
        # The theme is chosen before the first stylesheet parse: set later (in on_mount), it would parse every
        # stylesheet a second time at start-up.
        themes, self._broken_themes = load_themes()
        for th in themes:
            self.register_theme(th)
        self.theme_names = [th.name for th in themes]
        try:
            configured = self._wanted_theme or config.load_settings().theme
        except ValueError:
            configured = None
        wanted = default_theme_name(configured, self.no_color)
        self.theme = wanted if wanted in self.theme_names else "hrtui-dark"
        self.stylesheet.set_variables(self.get_css_variables())  # the first parse uses this theme's colours …
        self._css_current = True                                   # … so the refresh Textual asks for at start is moot

    @property
    def sub_title_text(self) -> str:
        a = self.actor
        scope = {"admin": t("scope.all", self.lang), "manager": t("scope.reports", self.lang),
                 "employee": t("scope.self", self.lang)}.get(a.role) or ",".join(self.department_codes)
        return t("user.banner", self.lang, user=a.name, role=t(f"role.{a.role}", self.lang), scope=scope).rstrip(" ·")

    def get_default_screen(self):
        # The roster is the bottom screen itself (not pushed over Textual's empty default one): one screen less to
        # style and lay out before the first frame, and nothing blank underneath it.
        from hrtui.tui.screens.roster import RosterScreen

        return RosterScreen()

    def on_mount(self) -> None:
        relabel(self, self.lang)
        for path, error in self._broken_themes:
            self.notify(t("theme.broken", self.lang, file=path.name, error=error), severity="warning", markup=False)
        self.call_after_refresh(self._check_reminders)

    def refresh_css(self, animate: bool = True) -> None:
        # Textual refreshes the CSS once at start-up for the initial theme, re-parsing every stylesheet (~3 ms);
        # ours were parsed with that theme's variables already (see __init__). Later refreshes (F8, F7) all happen.
        if self._css_current:
            self._css_current = False
            return
        super().refresh_css(animate)

    def _check_reminders(self) -> None:
        """Due plan reminders pop up (in a worker) once the roster is on screen; the collector, off during
        start-up (hrtui.cli.run_tui), comes back on; the start-up's `ready` runs."""
        import gc

        gc.enable()
        if self._after_first_frame is not None:
            self._after_first_frame()
        from hrtui.tui.startup_reminders import check_on_start

        check_on_start(self)

    # -- roles -----------------------------------------------------------------------------------------------
    def action_allowed(self, action: str) -> bool:
        need = ACTION_NEEDS.get(action)
        return need is None or can(self.actor, *need)

    def refuse_unless(self, action: str) -> bool:
        """For a direct attempt at an action the role lacks: one clear refusal, nothing done."""
        if self.action_allowed(action):
            return True
        verb, resource = ACTION_NEEDS[action]
        self.notify(t("role.refused", self.lang, role=t(f"role.{self.actor.role}", self.lang), verb=verb,
                      resource=resource.replace("_", " ")), severity="error", markup=False)
        return False

    def check_action(self, action: str, parameters) -> bool | None:
        return self.action_allowed(action)

    async def run_action(self, action, default_namespace=None) -> bool:
        if isinstance(action, str):
            self.steps.append(f"{type(self.screen).__name__}:{action.split('(')[0]}")
        return await super().run_action(action, default_namespace)

    def action_open_audit(self) -> None:
        if self.refuse_unless("open_audit"):
            from hrtui.tui.screens.audit import AuditScreen

            self.push_screen(AuditScreen())

    def action_report_problem(self, screenshot: bool = False) -> None:
        from hrtui.support import write_report

        try:
            path = write_report(self.actor, steps=list(self.steps),
                                screenshot_svg=self.export_screenshot() if screenshot else None)
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.notify(t("report.written", self.lang, path=str(path)), markup=False, timeout=8)

    # -- interviews ------------------------------------------------------------------------------------------
    def start_interview(self, number: str) -> None:
        """Start an interview with this employee, or resume the unfinished one."""
        if not self.refuse_unless("start_interview"):
            return
        from hrtui.domain.interview import start_or_resume
        from hrtui.tui.screens.interview import InterviewScreen

        for screen in reversed(self.screen_stack):
            # already open underneath (the portrait's charts were opened from it): go back to it, not a second one
            if isinstance(screen, InterviewScreen) and screen.iv.employee_number == number:
                while self.screen is not screen:
                    self.pop_screen()
                return

        try:
            session = start_or_resume(self.actor, number)
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.push_screen(InterviewScreen(session))

    def open_charts(self, number: str) -> None:
        """The portrait's gap charts, one key away from the interview (issue 4)."""
        from hrtui.tui.screens.portrait import PortraitScreen

        self.push_screen(PortraitScreen(number, section="charts"))

    def resume_interview_if_open(self, number: str) -> bool:
        """Reopening an employee with an unfinished interview goes straight back into it (crash, dropped SSH)."""
        if not self.action_allowed("start_interview"):
            return False
        from hrtui.domain.interview import open_interview

        try:
            session = open_interview(self.actor, number)
        except UserError:
            return False
        if session is None:
            return False
        self.start_interview(number)
        return True

    # -- navigation ------------------------------------------------------------------------------------------
    def open_employee(self, number: str) -> None:
        """Enter on an employee: the portrait for roles that may read portraits, else the plain record."""
        from hrtui.access.actor import find_employee
        from hrtui.domain.portrait import can_view_portraits

        if not can_view_portraits(self.actor):
            self.open_details(number)
            return
        try:
            find_employee(self.actor, number)
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        from hrtui.tui.screens.portrait import PortraitScreen

        self.push_screen(PortraitScreen(number))
        self.resume_interview_if_open(number)

    def open_details(self, number: str) -> None:
        from hrtui.domain.people import employee_card
        from hrtui.tui.screens.employee import EmployeeScreen

        try:
            card = employee_card(self.actor, number)
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.push_screen(EmployeeScreen(card))

    def action_open_attention(self) -> None:
        """F4 / palette: the needs-attention list (one instance: an open one is brought back, not stacked)."""
        from hrtui.tui.screens.attention import AttentionScreen

        if not self.refuse_unless("open_attention"):
            return
        for screen in reversed(self.screen_stack):
            if isinstance(screen, AttentionScreen):
                while self.screen is not screen:
                    self.pop_screen()
                return
        self.push_screen(AttentionScreen())

    # -- improvement plans -----------------------------------------------------------------------------------
    def action_open_plans(self) -> None:
        """F5 / palette: the plans in the actor's scope."""
        from hrtui.tui.screens.plan import open_plans

        if self.refuse_unless("open_plans"):
            open_plans(self)

    def open_plan(self, number: str, interview_id: str | None = None) -> None:
        """The employee's plan (HR: a new draft from the key shortfalls when there is none)."""
        from hrtui.tui.screens.plan import open_plan

        if self.refuse_unless("open_plan"):
            open_plan(self, number, interview_id)

    def action_open_inbox(self) -> None:
        """F6 / palette: the acting user's plan reminders."""
        from hrtui.tui.screens.inbox import open_inbox

        open_inbox(self)

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
        self.notify(t("cmd.theme_named", self.lang, name=self.theme_label(name)), timeout=2)

    def theme_label(self, name: str) -> str:
        """A shipped theme's name in the interface language; a user's theme by its own name."""
        key = f"theme.{name}"
        return t(key, self.lang) if key in CATALOGUES["en"] else name

    def get_system_commands(self, screen):
        """Textual's own commands in the interface language, minus the theme picker (ours is bilingual) and, for
        non-admins, the screenshot command: screens hold HR data (DESIGN §9)."""
        for cmd in super().get_system_commands(screen):
            if cmd.title == "Theme":
                continue
            if cmd.title == "Screenshot" and not self.actor.is_admin:
                continue
            key = f"sys.{cmd.title.lower()}"
            if self.lang != "en" and key in CATALOGUES.get(self.lang, {}):
                hidden = "hide" if cmd.help.startswith("Hide") else "show"
                cmd = cmd._replace(title=t(key, self.lang),
                                   help=t(f"{key}.{hidden}.help" if cmd.title == "Keys" else f"{key}.help", self.lang))
            yield cmd

    def action_command_palette(self) -> None:
        """The palette with its prompt in the interface language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=t("palette.placeholder", self.lang), id="--command-palette"))


register(
    {"palette.placeholder": "Search for commands…"},
    {"palette.placeholder": "搜索命令…",
     "sys.quit": "退出", "sys.quit.help": "立即退出 hrtui",
     "sys.keys": "按键", "sys.keys.show.help": "显示当前控件的帮助和可用按键", "sys.keys.hide.help": "隐藏按键与帮助面板",
     "sys.maximize": "最大化", "sys.maximize.help": "最大化当前控件",
     "sys.minimize": "还原", "sys.minimize.help": "把最大化的控件还原为正常大小",
     "sys.screenshot": "截图", "sys.screenshot.help": "把当前屏幕保存为 SVG 截图"},
)
