"""The reminder inbox of the acting user (the pop-up when hrtui opens is `hrtui.tui.startup_reminders`).

Ctrl+R opens the inbox: newest first, unread marked ●; Enter opens the plan the reminder is about (and marks it
read), Space marks one read or unread, R marks all read.
"""
from __future__ import annotations

import datetime as _dt

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static
from textual.widgets.option_list import Option

from hrtui.i18n import register, t
from hrtui.tui.screens import plan as _plan  # noqa: F401  (registers the plan messages the inbox leads to)
from hrtui.tui.screens.base import HRScreen, style
from hrtui.tui.startup_reminders import show_count
from hrtui.tui.widgets.cursor_list import CursorList
from hrtui.tui.widgets.key_bar import KeyBar


def open_inbox(app) -> None:
    for screen in reversed(app.screen_stack):
        if isinstance(screen, InboxScreen):
            while app.screen is not screen:
                app.pop_screen()
            screen.load()
            return
    app.push_screen(InboxScreen())


# -- the inbox ---------------------------------------------------------------------------------------------------
class InboxScreen(HRScreen):
    CSS_PATH = style("plans")
    # Colours of the list's parts, from the theme (plans.tcss): readable on the theme's background at 256 and 16
    # colours; on the cursor line the cursor's colour wins (CursorList).
    PARTS = "inbox"
    COMPONENT_CLASSES = {"inbox--unread", "inbox--date", "inbox--read", "inbox--done", "inbox--muted"}
    BINDINGS = [
        Binding("escape", "back", "Back", id="inbox.back"),
        # priority: the list's own (hidden) Enter would otherwise shadow this one on the key bar; both open the plan
        Binding("enter", "open_reminder", "Open plan", key_display="Enter", id="inbox.open_plan", priority=True),
        Binding("space", "toggle_read", "Read", key_display="Space", id="inbox.read"),
        Binding("R", "all_read", "All read", key_display="R", id="inbox.all_read"),
        Binding("f7", "app.toggle_lang", "中文", id="app.lang"),
    ]
    AUTO_FOCUS = "#inbox-list"

    def __init__(self) -> None:
        super().__init__()
        self.entries = []
        self.today: _dt.date | None = None

    @property
    def lang(self) -> str:
        return self.app.lang

    def compose(self) -> ComposeResult:
        yield Static("", id="inbox-title")
        yield CursorList(id="inbox-list")
        yield Static("", id="inbox-help")
        yield KeyBar()

    def on_mount(self) -> None:
        self.load()

    def redraw_parts(self) -> None:
        self.draw()

    def load(self) -> None:
        from hrtui.domain import reminders as R
        from hrtui.domain.plans import org_today

        self.today = org_today()
        self.entries = R.inbox(self.app.actor)
        self.draw()

    def draw(self) -> None:
        lang = self.lang
        n_unread = sum(1 for e in self.entries if e.read_at is None)
        title = Text(t("inbox.title", lang), style="bold")
        title.append(f" · {self.app.actor.name} · ")
        title.append(t("inbox.unread", lang, n=n_unread), style=self.part_style("unread" if n_unread else "muted"))
        self.query_one("#inbox-title", Static).update(title)
        olist = self.query_one("#inbox-list", CursorList)
        keep = olist.highlighted
        options = []
        for e in self.entries:
            options.append(Option(self._entry(e), id=e.id))
        if not options:
            options.append(Option(Text(t("inbox.empty", lang), style="italic"), disabled=True))
        olist.set_options(options)
        if self.entries:
            olist.highlighted = min(keep if keep is not None else 0, len(self.entries) - 1)
        self.query_one("#inbox-help", Static).update(Text(t("inbox.help", lang)))
        show_count(self.app, n_unread)

    def _entry(self, e) -> Table:
        """`● 2026-11-26 text…`: a long text wraps under itself (a hanging indent), not under the mark."""
        lang, unread = self.lang, e.read_at is None
        head = Text()
        head.append("● " if unread else "  ", style=self.part_style("unread"))
        head.append(e.on_date, style=self.part_style("unread" if unread else "date"))
        # worded as of today ("2 days ago"), not as on its day ("today"): the date before it says when it came
        body = Text(e.text(lang, self.today), style=Style() if unread else self.part_style("read"))
        if e.done_on:
            body.append("  ✓ " + t("remind.done_since", lang, day=e.done_on), style=self.part_style("done"))
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(no_wrap=True, width=head.cell_len)
        grid.add_column(ratio=1, overflow="fold")
        grid.add_row(head, body)
        return grid

    def _current(self):
        olist = self.query_one("#inbox-list", CursorList)
        if not self.entries or olist.highlighted is None or olist.highlighted >= len(self.entries):
            return None
        return self.entries[olist.highlighted]

    @on(CursorList.OptionSelected, "#inbox-list")
    def _selected(self) -> None:
        self.action_open_reminder()

    def check_action(self, action: str, parameters) -> bool | None:
        if action in ("open_reminder", "toggle_read"):
            return bool(self.entries)
        if action == "all_read":
            return any(e.read_at is None for e in self.entries)
        return super().check_action(action, parameters)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_open_reminder(self) -> None:
        from hrtui.domain import reminders as R
        from hrtui.tui.screens.plan import show_plan

        e = self._current()
        if e is None:
            return
        if e.read_at is None:
            R.mark_read(self.app.actor, [e.id])
            self.load()
        show_plan(self.app, e.plan_id)

    def action_toggle_read(self) -> None:
        from hrtui.domain import reminders as R

        e = self._current()
        if e is None:
            return
        R.mark_read(self.app.actor, [e.id], read=e.read_at is None)
        self.load()
        self.refresh_bindings()

    def action_all_read(self) -> None:
        from hrtui.domain import reminders as R

        R.mark_read(self.app.actor)
        self.load()
        self.refresh_bindings()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self.is_mounted:
            self.load()

    def relabel(self) -> None:
        self.draw()

    def palette_commands(self) -> list[tuple[str, str, object]]:
        lang = self.lang
        cmds = []
        if self.entries:
            cmds += [(t("cmd.inbox.open_plan", lang), "", self.action_open_reminder),
                     (t("cmd.inbox.toggle", lang), "", self.action_toggle_read)]
        if any(e.read_at is None for e in self.entries):
            cmds.append((t("cmd.inbox.all_read", lang), "", self.action_all_read))
        cmds.append((t("cmd.back", lang), t("cmd.back.help", lang), self.action_back))
        return cmds


register(
    { "bind.inbox.back": "Back", "bind.inbox.open_plan": "Open plan",
        "bind.inbox.read": "Read/unread", "bind.inbox.all_read": "All read",
        "inbox.title": "Reminders",
        "inbox.unread": "{n} unread",
        "inbox.empty": "No reminders.",
        "inbox.help": "Enter opens the plan · Space marks read/unread · R marks all read",
        "cmd.inbox.open_plan": "Open the plan of the reminder", "cmd.inbox.toggle": "Mark read / unread",
        "cmd.inbox.all_read": "Mark all reminders read",
    },
    { "bind.inbox.back": "返回", "bind.inbox.open_plan": "打开计划",
        "bind.inbox.read": "已读/未读", "bind.inbox.all_read": "全部已读",
        "inbox.title": "提醒",
        "inbox.unread": "{n} 条未读",
        "inbox.empty": "没有提醒。",
        "inbox.help": "Enter 打开计划 · 空格 标记已读/未读 · R 全部已读",
        "cmd.inbox.open_plan": "打开提醒对应的计划", "cmd.inbox.toggle": "标记已读/未读",
        "cmd.inbox.all_read": "全部标为已读",
    },
)
