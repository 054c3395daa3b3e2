"""The roster screen: filter as you type, sort by column, open an employee."""
from __future__ import annotations

from rich.cells import set_cell_size
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Static

from hrtui.domain.roster import SORTS, Roster
from hrtui.i18n import t
from hrtui.tui.screens.base import HRScreen
from hrtui.tui.startup_reminders import count_text
from hrtui.tui.widgets.key_bar import KeyBar
from hrtui.tui.widgets.roster_view import RosterView, layout
from hrtui.tui.widgets.virtual_list import fit

SORT_COLUMN = {"number": "number", "name": "name", "department": "department", "position": "position",
               "score": "score"}


class FilterInput(Input):
    """The filter line. Up/Down/PgUp/PgDn and Enter act on the roster below, so typing and moving never fight."""

    BINDINGS = [
        Binding("down", "roster('move', 1)", show=False),
        Binding("up", "roster('move', -1)", show=False),
        Binding("pagedown", "roster('page', 1)", show=False),
        Binding("pageup", "roster('page', -1)", show=False),
        Binding("escape", "clear_filter", show=False),
    ]

    def watch_value(self, value: str) -> None:
        # Re-query inside the keystroke's own handling, not from the Changed message: that way the new text and
        # the new rows go out in one frame instead of two (the second would wait a whole refresh period).
        if self.is_mounted and isinstance(self.screen, RosterScreen):
            self.screen.reload()

    def action_roster(self, action: str, arg: int) -> None:
        view = self.screen.query_one(RosterView)
        getattr(view, f"action_{action}")(arg)

    def action_clear_filter(self) -> None:
        self.value = ""
        self.screen.query_one(RosterView).focus()


class RosterScreen(HRScreen):
    # The footer shows the daily keys (80 columns hold no more); the rest work too and are all in the palette.
    BINDINGS = [
        Binding("slash,ctrl+f", "filter", "Filter", id="roster.filter"),
        Binding("f2", "sort_next", "Sort", id="roster.sort"),
        Binding("f3", "reverse", "Reverse", id="roster.reverse", show=False),
        Binding("f4", "app.open_attention", "Attention", id="attention.open"),
        Binding("f5", "app.open_plans", "Plans", id="plans.open_list"),
        Binding("ctrl+r", "app.open_inbox", "Inbox", id="inbox.open"),
        Binding("f6", "open_import", "Import", id="import.open", show=False),
        Binding("f7", "app.toggle_lang", "中文", id="app.lang"),
        Binding("f8", "app.next_theme", "Theme", id="app.theme", show=False),
        Binding("f9", "open_backup", "Backups", id="backup.open", show=False),
        Binding("f12", "app.open_audit", "Audit", id="app.audit", show=False),
        Binding("escape", "clear", "Clear", show=False),
        Binding("ctrl+q", "app.quit", "Quit", id="app.quit", show=False),
    ]
    AUTO_FOCUS = "RosterView"

    def __init__(self) -> None:
        super().__init__()
        self.sort = "number"
        self.descending = False
        self.reminders = 0  # unread plan reminders, shown in the top line

    @property
    def lang(self) -> str:
        return self.app.lang

    def compose(self) -> ComposeResult:
        with Horizontal(id="roster-top"):
            yield FilterInput(placeholder=t("roster.filter", self.lang), id="filter", select_on_focus=False)
            yield Static("", id="roster-count")
            yield Static("", id="roster-remind")
            yield Static(self.app.sub_title_text, id="roster-user")
        yield Static("", id="roster-header")
        yield RosterView(self.lang, id="roster")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()
        self._draw_header()

    def show_reminder_count(self, count: int | None = None) -> None:
        """Unread plan reminders in the top line (hidden at zero); Ctrl+R opens them. The count comes from the
        start-up check and the inbox (`hrtui.tui.startup_reminders`); None redraws the last one."""
        if count is not None:
            self.reminders = count
        box = self.query_one("#roster-remind", Static)
        box.update(count_text(self.reminders, self.lang))
        box.display = self.reminders > 0

    # -- data ------------------------------------------------------------------------------------------------
    def reload(self, keep_cursor: bool = False) -> None:
        text = self.query_one(FilterInput).value
        self.query_one(RosterView).show(Roster(self.app.actor, text, self.sort, self.descending), keep_cursor)

    def visible_names(self) -> list[str]:
        return [r.name(self.lang) for r in self.query_one(RosterView).visible_rows()]

    def _draw_header(self) -> None:
        view = self.query_one(RosterView)
        width = view.size.width or self.app.size.width
        arrow = " ▼" if self.descending else " ▲"
        parts = []
        for key, w, right in layout(width):
            title = "" if key == "flag" else t(f"col.{key}", self.lang)
            if SORT_COLUMN.get(key) == self.sort:
                title += arrow
            parts.append(fit(title, w, right))
        self.query_one("#roster-header", Static).update("".join(parts), layout=False)

    @on(RosterView.Loaded)
    def _count_changed(self) -> None:
        view = self.query_one(RosterView)
        text = self.query_one(FilterInput).value.strip()
        key = "roster.count_filtered" if text else "roster.count"
        total = f"{view.total}" if view.exact else f"{view.total}+"
        # fixed width: no layout pass per keystroke (that pass costs more than the query)
        self.query_one("#roster-count", Static).update(set_cell_size(t(key, self.lang, total=total, text=text), 20),
                                                       layout=False)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.query_one(RosterView).action_open()

    @on(RosterView.Opened)
    def _open(self, event: RosterView.Opened) -> None:
        self.app.open_employee(event.row.number)

    def on_resize(self) -> None:
        self._draw_header()

    # -- actions ---------------------------------------------------------------------------------------------
    # Screens behind a key are imported when first opened: the roster's first paint does not pay for them.
    def action_open_backup(self) -> None:
        if self.app.refuse_unless("open_backup"):
            from hrtui.tui.screens.backup import BackupScreen

            self.app.push_screen(BackupScreen())

    def action_open_import(self) -> None:
        from hrtui.tui.screens.import_data import open_import_screen

        open_import_screen(self.app)

    def action_filter(self) -> None:
        self.query_one(FilterInput).focus()

    def action_clear(self) -> None:
        flt = self.query_one(FilterInput)
        if flt.value:
            flt.value = ""
        self.query_one(RosterView).focus()

    def action_sort_next(self) -> None:
        self.set_sort(SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)])

    def set_sort(self, column: str) -> None:
        if column == self.sort:
            self.descending = not self.descending
        else:
            self.sort, self.descending = column, column == "score"
        self.reload()
        self._draw_header()

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self.reload()
        self._draw_header()

    def on_key(self, event) -> None:
        """A printable key typed on the list starts the filter with that character (filter as you type)."""
        flt = self.query_one(FilterInput)
        if self.focused is self.query_one(RosterView) and event.is_printable and event.character not in ("/",):
            flt.focus()
            flt.insert_text_at_cursor(event.character)
            event.stop()
            event.prevent_default()

    def relabel(self) -> None:
        """Language changed: redraw every text on this screen."""
        self.query_one(RosterView).lang = self.lang
        self.query_one(FilterInput).placeholder = t("roster.filter", self.lang)
        self.query_one(RosterView).refresh()
        self.query_one("#roster-user", Static).update(self.app.sub_title_text)
        self.show_reminder_count()
        self._draw_header()
        self._count_changed()
