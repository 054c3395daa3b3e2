"""Improvement plans in the TUI: the plan list (F5 on the roster), the plan editor (HR) and the small dialogs they use.

The editor shows the goals (dimension, baseline, target kind, target, mid-term check, deadline) and the actions
(text, owner, due date, goal, done) as two tables; Tab switches between them, the arrows move from cell to cell and
Enter (or e) edits the cell under the cursor: fixed choices (target kind, owner, goal) cycle, numbers, dates and texts
open a one-line editor. `a` adds a goal (pick a dimension) or an action (pick from the catalogue), `d` deletes,
Space ticks an action, F2 changes the state (activate, extend, close met / not met, discard a draft). Every change is
saved at once through the domain (`hrtui.domain.plans`) and audited there; the screen never writes SQL.
Drafting a plan computes the portrait, so it runs in a worker thread; loading a plan is a few indexed queries and
runs on the UI thread.
"""
from __future__ import annotations

from functools import partial

from rich.cells import set_cell_size
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, OptionList, Static
from textual.widgets.option_list import Option

from hrtui.cells import crop
from hrtui.errors import UserError
from hrtui.i18n import register, t
from hrtui.tui.screens.base import HRScreen, style
from hrtui.tui.screens.plan_base import PlanBaseScreen
from hrtui.tui.widgets.key_bar import KeyBar

GOAL_COLUMNS = (("dimension", 14), ("baseline", 8), ("kind", 10), ("target", 12), ("midterm", 10), ("deadline", 10))
ITEM_COLUMNS = (("text", 34), ("owner", 8), ("due", 10), ("goal", 10), ("done", 2))
KIND_CYCLE = ("pct", "team", "requirement", "value")
GOAL_START_COLUMN = 3   # the cursor starts on a goal's target: the dimension itself cannot be edited


def parse_number(text: str) -> float:
    s = text.strip().replace("−", "-").replace("－", "-").replace("＋", "+").replace("％", "").replace("%", "")
    s = s.replace("，", ".").replace(",", ".").strip()
    return float(s)


# -- dialogs ---------------------------------------------------------------------------------------------------------
class ChoiceScreen(ModalScreen[str | None]):
    """Pick one of a few options: ↑↓ and Enter, or the option's number; Esc cancels."""
    CSS_PATH = style("plans")

    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, title: str, options: list[tuple[str, str | Text]], hint: str = "") -> None:
        super().__init__()
        self.title_text, self.options, self.hint = title, options, hint

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box"):
            yield Static(Text(self.title_text, style="bold"), id="choice-title")
            items = [Option(Text.assemble(f"{i}. " if i < 10 else "   ", label), id=key)
                     for i, (key, label) in enumerate(self.options, 1)]
            yield OptionList(*items, id="choice-list")
            if self.hint:
                yield Static(Text(self.hint, style="dim"), id="choice-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_key(self, event) -> None:
        if event.character and event.character.isdigit() and event.character != "0":
            index = int(event.character) - 1
            if index < len(self.options):
                event.stop()
                self.dismiss(self.options[index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)


class LineScreen(ModalScreen[str | None]):
    """One line of input at the bottom: Enter keeps it, Esc cancels."""
    CSS_PATH = style("plans")

    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, question: str, value: str = "", hint: str = "") -> None:
        super().__init__()
        self.question, self.value, self.hint = question, value, hint

    def compose(self) -> ComposeResult:
        with Vertical(id="line-box"):
            yield Static(Text(self.question, style="bold"), id="line-question")
            yield Input(value=self.value, id="line-input", select_on_focus=False)
            if self.hint:
                yield Static(Text(self.hint, style="dim"), id="line-hint")

    def on_mount(self) -> None:
        box = self.query_one(Input)
        box.focus()
        box.cursor_position = len(self.value)

    @on(Input.Submitted)
    def _answer(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """y / Enter confirms, n / Esc cancels."""
    CSS_PATH = style("plans")

    BINDINGS = [Binding("y,enter", "answer(True)", show=False), Binding("n,escape", "answer(False)", show=False)]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-plan-box"):
            yield Static(Text(self.question, style="bold"))
            yield Static(Text(t("plan.ui.yes_no", self.app.lang), style="dim"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


# -- opening plans (called by the app) -----------------------------------------------------------------------------
def open_plan(app, number: str, interview_id: str | None = None) -> None:
    """The employee's open plan (HR: the editor; others: the checklist), or — for HR — a new draft."""
    from hrtui.access.policy import can
    from hrtui.domain import plans as P

    try:
        pid = P.plan_of(app.actor, number, app.lang, include_closed=False)
        if pid is None and not can(app.actor, "write", "plans"):
            pid = P.plan_of(app.actor, number, app.lang)
    except UserError as exc:
        app.notify(str(exc), severity="error", markup=False)
        return
    if pid is not None:
        show_plan(app, pid)
        return
    if not can(app.actor, "write", "plans"):
        app.notify(t("plan.none_for", app.lang, employee=number), severity="warning", markup=False)
        return
    app.notify(t("plan.ui.drafting", app.lang, employee=number), timeout=3, markup=False)
    app.run_worker(partial(_draft_worker, app, number, interview_id, app.lang), thread=True, group="plan-draft",
                   exit_on_error=False)


def _draft_worker(app, number: str, interview_id: str | None, lang: str) -> None:
    from hrtui.domain import plans as P
    from hrtui.domain.portrait import close_thread_connection

    try:
        plan = P.draft(app.actor, number, lang, interview_id=interview_id)
        result = (plan.id, len(plan.goals), None)
    except UserError as exc:
        result = (None, 0, str(exc))
    finally:
        close_thread_connection()
    app.call_from_thread(_drafted, app, *result)


def _drafted(app, plan_id: str | None, goals: int, error: str | None) -> None:
    if error:
        app.notify(error, severity="error", markup=False)
        return
    app.notify(t("plan.ui.drafted", app.lang, n=goals), markup=False)
    show_plan(app, plan_id)


def show_plan(app, plan_id: str) -> None:
    """HR opens the editor, everyone else the checklist."""
    from hrtui.access.policy import can

    if can(app.actor, "write", "plans"):
        app.push_screen(PlanScreen(plan_id))
    else:
        from hrtui.tui.screens.checklist import ChecklistScreen

        app.push_screen(ChecklistScreen(plan_id))


def open_plans(app) -> None:
    for screen in reversed(app.screen_stack):
        if isinstance(screen, PlanListScreen):
            while app.screen is not screen:
                app.pop_screen()
            screen.reload()
            return
    app.push_screen(PlanListScreen())


# -- the plan list ---------------------------------------------------------------------------------------------------
class PlanListScreen(HRScreen):
    CSS_PATH = style("plans")
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="plans.back"),
        Binding("enter", "open", "Open", id="plans.open", show=False),
        Binding("c", "checklist", "Checklist", id="plans.checklist"),
        Binding("r", "effect", "Effect", id="plans.effect"),
        Binding("f2", "next_state", "State", id="plans.state"),
        Binding("ctrl+r", "app.open_inbox", "Inbox", id="inbox.open"),
        Binding("f7", "app.toggle_lang", "中文", id="app.lang"),
    ]
    AUTO_FOCUS = "#plans-table"
    FILTERS = (None, "draft", "active", "extended", "closed")

    def __init__(self) -> None:
        super().__init__()
        self.state_filter: str | None = None
        self.rows = []

    @property
    def lang(self) -> str:
        return self.app.lang

    def compose(self) -> ComposeResult:
        yield Static("", id="plans-title")
        yield DataTable(id="plans-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="plans-help")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        from hrtui.domain import plans as P

        lang = self.lang
        self.rows = P.plans(self.app.actor, self.state_filter)
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear(columns=True)
        for key, width in (("number", 8), ("name", 12), ("dept", 5), ("state", 16), ("progress", 5),
                           ("deadline", 10), ("overdue", 4)):
            table.add_column(t(f"plan.col.{key}", lang), key=key, width=width)
        for r in self.rows:
            late = Text(str(r.overdue), style="bold red") if r.overdue else Text("")
            table.add_row(r.number, crop(r.name(lang), 12), r.department_code or "—", crop(r.state_text(lang), 16),
                          f"{r.done}/{r.total}", r.deadline or "—", late, key=r.id)
        if self.rows:
            table.move_cursor(row=min(keep, len(self.rows) - 1))
        state = t(f"plan.state.{self.state_filter}", lang) if self.state_filter else t("plan.ui.all_states", lang)
        title = Text(t("plan.ui.list_title", lang), style="bold")
        title.append("  " + t("plan.ui.list_count", lang, n=len(self.rows), state=state), style="dim")
        self.query_one("#plans-title", Static).update(title)
        help_key = "plan.ui.list_help_hr" if self._writes else "plan.ui.list_help"
        self.query_one("#plans-help", Static).update(Text(t(help_key, lang), style="dim"))

    @property
    def _writes(self) -> bool:
        from hrtui.access.policy import can

        return can(self.app.actor, "write", "plans")

    def _current(self) -> str | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row is None or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row].id

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        pid = self._current()
        if pid:
            show_plan(self.app, pid)

    def action_checklist(self) -> None:
        from hrtui.tui.screens.checklist import ChecklistScreen

        pid = self._current()
        if pid:
            self.app.push_screen(ChecklistScreen(pid))

    def action_effect(self) -> None:
        from hrtui.tui.screens.effect import open_effect

        pid = self._current()
        if pid:
            open_effect(self.app, pid)

    def action_next_state(self) -> None:
        i = self.FILTERS.index(self.state_filter)
        self.state_filter = self.FILTERS[(i + 1) % len(self.FILTERS)]
        self.reload()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self.is_mounted:
            self.reload()

    def relabel(self) -> None:
        self.reload()

    def palette_commands(self) -> list[tuple[str, str, object]]:
        lang = self.lang
        return [(t("cmd.plans.open", lang), t("cmd.plans.open.help", lang), self.action_open),
                (t("cmd.plans.checklist", lang), "", self.action_checklist),
                (t("cmd.plans.effect", lang), "", self.action_effect),
                (t("cmd.plans.state", lang), "", self.action_next_state),
                (t("cmd.inbox.open", lang), t("cmd.inbox.open.help", lang), self.app.action_open_inbox),
                (t("cmd.back", lang), t("cmd.back.help", lang), self.app.pop_screen)]


# -- the plan editor -----------------------------------------------------------------------------------------------
class PlanScreen(PlanBaseScreen):
    CSS_PATH = style("plans")
    BINDINGS = [
        Binding("e", "plan_edit", "Edit", key_display="⏎/e", id="plan.edit"),
        Binding("a", "plan_add", "Add", id="plan.add"),
        Binding("d,delete", "plan_delete", "Delete", id="plan.delete"),
        Binding("space", "plan_toggle", "Done", key_display="␣", id="plan.toggle"),
        Binding("f2", "plan_state", "State", id="plan.state"),
        Binding("tab", "switch", "Goals/Actions", key_display="⇥", id="plan.switch"),
        # Shown only in the palette: with them the key bar needs more than 80 columns in English.
        Binding("c", "checklist", "Checklist", id="plan.checklist", show=False),
        Binding("r", "effect", "Effect", id="plan.effect", show=False),
        Binding("escape", "back", "Back", id="plan.back"),
        Binding("f7", "app.toggle_lang", "中文", id="app.lang", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Static("", id="plan-title")
        yield Static("", id="plan-info")
        yield Static("", id="plan-goals-label", classes="plan-label")
        yield DataTable(id="plan-goals", cursor_type="cell")
        yield Static("", id="plan-items-label", classes="plan-label")
        yield DataTable(id="plan-items", cursor_type="cell")
        yield Static("", id="plan-help")
        yield KeyBar()

    def on_mount(self) -> None:
        self.load(audit_read=True)
        self.query_one("#plan-goals" if self.plan and self.plan.goals else "#plan-items", DataTable).focus()

    # -- drawing -------------------------------------------------------------------------------------------------
    def draw(self) -> None:
        p, lang = self.plan, self.lang
        if p is None:
            return
        title = Text()
        title.append(f"{p.number} {p.name(lang)}", style="bold")
        other = p.name_en if lang == "zh" else p.name_zh
        if other and other != p.name(lang):
            title.append(f" {other}")
        title.append(f" · {p.department_code or '—'} · ")
        title.append(p.state_text(lang), style="bold reverse" if p.state == "draft" else "bold")
        self.query_one("#plan-title", Static).update(title)
        info = t("plan.ui.dates" if p.start_date else "plan.ui.dates_draft", lang, start=p.start_date,
                 drafted=p.drafted_on, midterm=p.midterm or "—", deadline=p.deadline or "—")
        if p.hr_user_name:
            info += f" · HR {p.hr_user_name}"
        if p.extended_days:
            info += " · " + t("plan.ui.extended", lang, days=p.extended_days)
        self.query_one("#plan-info", Static).update(Text(info, style="dim"))
        self.query_one("#plan-goals-label", Static).update(Text(t("plan.ui.goals", lang, n=len(p.goals)),
                                                                  style="bold"))
        done, total = p.progress
        self.query_one("#plan-items-label", Static).update(Text(t("plan.ui.items", lang, done=done, total=total),
                                                                  style="bold"))
        self._fill_goals()
        self._fill_items()
        self._draw_help()
        self.refresh_bindings()

    @staticmethod
    def _cursor_key(table: DataTable) -> tuple[str | None, int, int]:
        if table.row_count == 0:
            return None, 0, 0
        coord = table.cursor_coordinate
        row_key, _col = table.coordinate_to_cell_key(coord)
        return row_key.value, coord.row, coord.column

    @staticmethod
    def _restore(table: DataTable, keep: tuple[str | None, int, int], ids: list[str], start_column: int = 0) -> None:
        """Put the cursor back on the same row (by id: an edited due date re-sorts the list) and column; a table
        that was empty starts on `start_column`."""
        if not ids:
            return
        key, row, column = keep
        if key is None:
            column = start_column
        table.move_cursor(row=ids.index(key) if key in ids else min(row, len(ids) - 1), column=column, animate=False)

    def _fill_goals(self) -> None:
        p, lang = self.plan, self.lang
        table = self.query_one("#plan-goals", DataTable)
        keep = self._cursor_key(table)
        table.clear(columns=True)
        for key, width in GOAL_COLUMNS:
            table.add_column(t(f"plan.ui.col.{key}", lang), key=key, width=width)
        for g in p.goals:
            if g.target_kind == "pct" and g.target_pct is not None:
                target = f"{g.target_pct:+.0f}% → {g.fmt(g.target)}".replace("-", "−")
            else:
                target = g.fmt(g.target)
            table.add_row(crop(g.name(lang), 14), g.fmt(g.baseline), crop(t(f"plan.kind.{g.target_kind}", lang), 10),
                          crop(target, 13), g.midterm, g.deadline, key=g.id)
        table.styles.height = max(2, len(p.goals) + 1)
        self._restore(table, keep, [g.id for g in p.goals], GOAL_START_COLUMN)

    def _fill_items(self) -> None:
        p, lang = self.plan, self.lang
        table = self.query_one("#plan-items", DataTable)
        keep = self._cursor_key(table)
        table.clear(columns=True)
        for key, width in ITEM_COLUMNS:
            table.add_column(t(f"plan.ui.col.{key}", lang), key=key, width=width)
        for item in p.items:
            goal = p.goal(item.goal_id)
            late = p.running and item.overdue_days(self.today) > 0
            style = "bold red" if late else ("dim" if item.done else "")
            text = Text(crop(("! " if late else "") + item.text(lang), 34), style=style)
            table.add_row(text, t(f"plan.owner.{item.owner}", lang), Text(item.due_date, style=style),
                          crop(goal.name(lang) if goal else "—", 10), "✓" if item.done else "", key=item.id)
        self._restore(table, keep, [i.id for i in p.items])

    def _focused_table(self) -> DataTable:
        focused = self.focused
        if isinstance(focused, DataTable) and focused.id in ("plan-goals", "plan-items"):
            return focused
        return self.query_one("#plan-items", DataTable)

    def _cell(self) -> tuple[str, str | None, str | None]:
        """(table, row id, column key) under the cursor."""
        table = self._focused_table()
        which = "goals" if table.id == "plan-goals" else "items"
        if table.row_count == 0:
            return which, None, None
        row_key, col_key = table.coordinate_to_cell_key(table.cursor_coordinate)
        return which, row_key.value, col_key.value

    def _draw_help(self) -> None:
        which, row, col = self._cell()
        lang = self.lang
        whole = ""  # the row's text in full: the table cuts it to its column
        if row is not None:
            whole = self.plan.item(row).text(lang) if which == "items" else self.plan.goal(row).name(lang)
        if self.plan.state == "closed":
            text = t("plan.ui.help.closed", lang)
        elif row is None:
            text = t(f"plan.ui.help.empty_{which}", lang)
        else:
            text = t(f"plan.ui.help.{which}.{col}", lang)
            if which == "items":
                item = self.plan.item(row)
                if item.done:
                    text += "  " + t("plan.cli.done_on", lang, day=item.done_on)
        width = max(10, (self.app.size.width or 80) - 2)
        help_text = Text(crop(whole, width) + "\n", style="bold") if whole else Text()
        help_text.append(text, style="dim")
        self.query_one("#plan-help", Static).update(help_text)

    @on(DataTable.CellHighlighted)
    def _moved(self, event: DataTable.CellHighlighted) -> None:
        if self.plan is not None:
            self._draw_help()

    def on_descendant_focus(self, event) -> None:
        if self.plan is not None:
            self._draw_help()

    @on(DataTable.CellSelected)
    def _selected(self, event: DataTable.CellSelected) -> None:
        self.action_plan_edit()

    def _apply(self, fn, *args, **kwargs) -> bool:
        """Run a domain write; a refusal is one notification. Reload and redraw after."""
        try:
            fn(*args, **kwargs)
        except (UserError, ValueError) as exc:
            self.notify(str(exc), severity="error", markup=False)
            return False
        self.load()
        return True

    # -- actions -------------------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters) -> bool | None:
        if action in ("plan_edit", "plan_add", "plan_delete", "plan_state"):
            if self.plan is not None and self.plan.state == "closed" and action != "plan_state":
                return False
        if action == "plan_toggle":
            if self.plan is None or not self.plan.running:
                return False
        return super().check_action(action, parameters)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_switch(self) -> None:
        goals, items = self.query_one("#plan-goals", DataTable), self.query_one("#plan-items", DataTable)
        (items if self.focused is goals else goals).focus()

    def action_plan_edit(self) -> None:
        from hrtui.domain import plans as P

        if not self.app.refuse_unless("plan_edit") or self.plan is None:
            return
        if self.plan.state == "closed":
            self.notify(t("plan.closed_readonly", self.lang), severity="warning", markup=False)
            return
        which, row, col = self._cell()
        if row is None:
            self.action_plan_add()
            return
        lang = self.lang
        if which == "goals":
            g = self.plan.goal(row)
            if col == "dimension":   # fixed: Enter goes on to the target, the first thing one changes
                table = self.query_one("#plan-goals", DataTable)
                table.move_cursor(column=GOAL_START_COLUMN, animate=False)
                col = GOAL_COLUMNS[GOAL_START_COLUMN][0]
            if col == "kind":
                nxt = KIND_CYCLE[(KIND_CYCLE.index(g.target_kind) + 1) % len(KIND_CYCLE)]
                self._apply(P.update_goal, self.app.actor, g.id, lang, target_kind=nxt)
            elif col == "baseline":
                self._ask(t("plan.ui.ask.baseline", lang, name=g.name(lang)), g.fmt(g.baseline).rstrip("%"),
                          lambda v: P.update_goal(self.app.actor, g.id, lang, baseline=parse_number(v)))
            elif col == "target":
                if g.target_kind == "pct":
                    self._ask(t("plan.ui.ask.target_pct", lang, name=g.name(lang)), f"{g.target_pct:+.0f}",
                              lambda v: P.update_goal(self.app.actor, g.id, lang, target_pct=parse_number(v)),
                              t("plan.ui.hint.pct", lang))
                else:
                    self._ask(t("plan.ui.ask.target", lang, name=g.name(lang)), g.fmt(g.target).rstrip("%"),
                              lambda v: P.update_goal(self.app.actor, g.id, lang, target=parse_number(v)),
                              t("plan.ui.hint.value", lang))
            else:
                self._ask(t(f"plan.ui.ask.{col}", lang, name=g.name(lang)), getattr(g, col),
                          lambda v: P.update_goal(self.app.actor, g.id, lang, **{col: v}), t("plan.ui.hint.date", lang))
            return
        item = self.plan.item(row)
        if col == "owner":
            owners = P.OWNERS
            self._apply(P.update_item, self.app.actor, item.id, lang,
                        owner=owners[(owners.index(item.owner) + 1) % len(owners)])
        elif col == "goal":
            choices = [None] + [g.id for g in self.plan.goals]
            nxt = choices[(choices.index(item.goal_id) + 1) % len(choices)] if item.goal_id in choices else None
            self._apply(P.update_item, self.app.actor, item.id, lang, goal_id=nxt)
        elif col == "done":
            self.action_plan_toggle()
        elif col == "due":
            self._ask(t("plan.ui.ask.due", lang), item.due_date,
                      lambda v: P.update_item(self.app.actor, item.id, lang, due=v), t("plan.ui.hint.date", lang))
        else:
            self._ask(t("plan.ui.ask.text", lang), item.text(lang),
                      lambda v: P.update_item(self.app.actor, item.id, lang, text=v))

    def _ask(self, question: str, value: str, save, hint: str = "") -> None:
        def done(answer: str | None) -> None:
            if answer is None:
                return
            if not self._apply(save, answer):
                self._ask(question, answer, save, hint)  # keep what was typed; the notice says what is wrong

        self.app.push_screen(LineScreen(question, value or "", hint), done)

    def action_plan_add(self) -> None:
        from hrtui.domain import plans as P

        if not self.app.refuse_unless("plan_add") or self.plan is None:
            return
        lang = self.lang
        which, _row, _col = self._cell()
        if which == "goals":
            have = {g.code for g in self.plan.goals}
            options = [(code, Text.assemble(set_cell_size(zh if lang == "zh" else en, 24), (code, "dim")))
                       for code, zh, en in P.dimensions() if code not in have]
            if not options:
                return

            def chosen(code: str | None) -> None:
                if code and self._apply(P.add_goal, self.app.actor, self.plan_id, code, lang):
                    table = self.query_one("#plan-goals", DataTable)
                    table.move_cursor(row=table.row_count - 1)

            self.app.push_screen(ChoiceScreen(t("plan.ui.add_goal", lang), options), chosen)
            return
        entries = P.catalogue([(g.id, g.dimension_id) for g in self.plan.goals])
        options = [(str(i), f"{e.text(lang)} · {t(f'plan.owner.{e.owner}', lang)}") for i, e in enumerate(entries)]

        def picked(index: str | None) -> None:
            if index is None:
                return
            entry = entries[int(index)]
            try:
                iid = P.add_item(self.app.actor, self.plan_id, entry, lang)
            except UserError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.load()
            table = self.query_one("#plan-items", DataTable)
            row = next((i for i, item in enumerate(self.plan.items) if item.id == iid), 0)
            table.move_cursor(row=row, column=0)
            table.focus()
            if entry.kind == "custom":
                self._ask(t("plan.ui.ask.text", lang), "",
                          lambda v: P.update_item(self.app.actor, iid, lang, text=v))

        self.app.push_screen(ChoiceScreen(t("plan.ui.add_item", lang), options, t("plan.ui.hint.catalogue", lang)),
                             picked)

    def action_plan_delete(self) -> None:
        from hrtui.domain import plans as P

        if not self.app.refuse_unless("plan_delete") or self.plan is None:
            return
        which, row, _col = self._cell()
        if row is None:
            return
        lang = self.lang
        if which == "goals":
            question = t("plan.ui.delete_goal", lang, name=self.plan.goal(row).name(lang))
            fn = P.delete_goal
        else:
            question = t("plan.ui.delete_item", lang, text=crop(self.plan.item(row).text(lang), 40))
            fn = P.delete_item

        def answered(yes: bool) -> None:
            if yes:
                self._apply(fn, self.app.actor, row, lang)

        self.app.push_screen(ConfirmScreen(question), answered)

    def action_plan_toggle(self) -> None:
        from hrtui.domain import plans as P

        if not self.app.refuse_unless("plan_toggle") or self.plan is None:
            return
        which, row, _col = self._cell()
        if which != "items" or row is None:
            return
        item = self.plan.item(row)
        self._apply(P.set_done, self.app.actor, item.id, not item.done, self.lang)

    def action_plan_state(self) -> None:
        from hrtui.domain import plans as P

        if not self.app.refuse_unless("plan_state") or self.plan is None:
            return
        lang, p = self.lang, self.plan
        if p.state == "closed":
            self.notify(t("plan.closed_readonly", lang), severity="warning", markup=False)
            return
        if p.state == "draft":
            options = [("activate", t("plan.ui.do.activate", lang)), ("discard", t("plan.ui.do.discard", lang))]
            hint = ""
        else:
            from hrtui.config import load_plan_settings
            from hrtui.domain.effect import evaluate

            report = evaluate(p, self.today)
            days = load_plan_settings().extend_days
            options = [("extend", t("plan.ui.do.extend", lang, days=days)),
                       ("met", t("plan.ui.do.close_met", lang)), ("not_met", t("plan.ui.do.close_not_met", lang))]
            hint = t("plan.ui.effect_hint", lang, summary=report.summary(lang))

        def chosen(what: str | None) -> None:
            actor = self.app.actor
            if what == "activate":
                if self._apply(P.activate, actor, self.plan_id, lang):
                    self.notify(t("plan.ui.activated", lang), markup=False)
            elif what == "discard":
                def answered(yes: bool) -> None:
                    if yes:
                        try:
                            P.discard(actor, self.plan_id, lang)
                        except UserError as exc:
                            self.notify(str(exc), severity="error", markup=False)
                            return
                        self.notify(t("plan.cli.discarded", lang, employee=p.number), markup=False)
                        self.app.pop_screen()

                self.app.push_screen(ConfirmScreen(t("plan.ui.discard_q", lang)), answered)
            elif what == "extend":
                from hrtui.config import load_plan_settings

                self._ask(t("plan.ui.ask.extend", lang), str(load_plan_settings().extend_days),
                          lambda v: P.extend(actor, self.plan_id, int(parse_number(v)), lang))
            elif what in ("met", "not_met"):
                self._apply(P.close, actor, self.plan_id, what, lang)

        self.app.push_screen(ChoiceScreen(t("plan.ui.state_title", lang, state=p.state_text(lang)), options, hint),
                             chosen)

    def action_checklist(self) -> None:
        from hrtui.tui.screens.checklist import ChecklistScreen

        self.app.push_screen(ChecklistScreen(self.plan_id))

    def palette_commands(self) -> list[tuple[str, str, object]]:
        lang = self.lang
        entries = [("plan_edit", "cmd.plan.edit", self.action_plan_edit),
                   ("plan_add", "cmd.plan.add_goal", partial(self._palette_add, "goals")),
                   ("plan_add", "cmd.plan.add_item", partial(self._palette_add, "items")),
                   ("plan_delete", "cmd.plan.delete", self.action_plan_delete),
                   ("plan_toggle", "cmd.plan.toggle", self.action_plan_toggle),
                   ("plan_state", "cmd.plan.state", self.action_plan_state),
                   (None, "cmd.plans.checklist", self.action_checklist),
                   (None, "cmd.plans.effect", self.action_effect)]
        cmds = [(t(key, lang), "", fn) for action, key, fn in entries
                if action is None or self.check_action(action, ()) is not False]
        return cmds + [(t("cmd.back", lang), t("cmd.back.help", lang), self.action_back)]

    def _palette_add(self, which: str) -> None:
        self.query_one("#plan-goals" if which == "goals" else "#plan-items", DataTable).focus()
        self.action_plan_add()


register(
    {
        "bind.plans.back": "Back", "bind.plans.open": "Open", "bind.plans.checklist": "Checklist",
        "bind.plans.effect": "Effect", "bind.plans.state": "State",
        "bind.plan.back": "Back", "bind.plan.switch": "Goals/Actions", "bind.plan.edit": "Edit",
        "bind.plan.add": "Add", "bind.plan.delete": "Delete", "bind.plan.toggle": "Done", "bind.plan.state": "State",
        "bind.plan.checklist": "Checklist", "bind.plan.effect": "Effect",
        "plan.ui.list_title": "Improvement plans",
        "plan.ui.list_count": "{n} · {state} (F2 filters)",
        "plan.ui.all_states": "all states",
        "plan.ui.list_help": "Enter opens the checklist · r the effect report",
        "plan.ui.list_help_hr": "Enter opens the plan · c checklist · r effect · p on a portrait drafts one",
        "plan.ui.drafting": "Drafting a plan for {employee} from the key shortfalls…",
        "plan.ui.drafted": "Plan drafted with {n} goals: edit it, then F2 activates it.",
        "plan.ui.goals": "Goals ({n})",
        "plan.ui.dates": "started {start} · mid-term {midterm} · deadline {deadline}",
        "plan.ui.dates_draft": "drafted {drafted} · mid-term {midterm} · deadline {deadline}",
        "plan.ui.extended": "extended +{days} d",
        "plan.ui.items": "Actions ({done}/{total} done)",
        "plan.ui.col.dimension": "Dimension", "plan.ui.col.baseline": "Baseline", "plan.ui.col.kind": "Target is",
        "plan.ui.col.target": "Target", "plan.ui.col.midterm": "Mid-term", "plan.ui.col.deadline": "Deadline",
        "plan.ui.col.text": "Action", "plan.ui.col.owner": "Owner", "plan.ui.col.due": "Due",
        "plan.ui.col.goal": "Goal", "plan.ui.col.done": "✓",
        "plan.ui.help.goals.dimension": "Enter edits the target · the dimension is fixed: d deletes, a adds a goal",
        "plan.ui.help.goals.baseline": "Enter: the window value when drafted (a draft's only)",
        "plan.ui.help.goals.kind": "Enter cycles: change % · team mean · requirement · fixed value",
        "plan.ui.help.goals.target": "Enter: the % change (e.g. −50) or the value to reach",
        "plan.ui.help.goals.midterm": "Enter: the mid-term check (YYYY-MM-DD or +N days)",
        "plan.ui.help.goals.deadline": "Enter: the deadline (YYYY-MM-DD or +N days)",
        "plan.ui.help.items.text": "Enter edits the text · a adds from the catalogue · Space ticks",
        "plan.ui.help.items.owner": "Enter cycles the owner: employee · HR · manager",
        "plan.ui.help.items.due": "Enter: the due date (YYYY-MM-DD or +N days)",
        "plan.ui.help.items.goal": "Enter cycles the goal this action serves",
        "plan.ui.help.items.done": "Space or Enter ticks / unticks (running plans)",
        "plan.ui.help.empty_goals": "No goals yet: a adds one",
        "plan.ui.help.empty_items": "No actions yet: a adds one from the catalogue",
        "plan.ui.help.closed": "Closed: read-only. r shows the effect report.",
        "plan.ui.help.palette": "Edit the cell under the cursor",
        "plan.ui.ask.baseline": "Baseline of {name}:", "plan.ui.ask.target_pct": "Target of {name}, % change:",
        "plan.ui.ask.target": "Target value of {name}:", "plan.ui.ask.midterm": "Mid-term check of {name}:",
        "plan.ui.ask.deadline": "Deadline of {name}:", "plan.ui.ask.due": "Due date:",
        "plan.ui.ask.text": "Action:", "plan.ui.ask.extend": "Extend by how many days?",
        "plan.ui.hint.pct": "e.g. −50 halves a complaint rate, +10 raises a score by a tenth",
        "plan.ui.hint.value": "a number on the dimension's scale; Enter keeps it, Esc cancels",
        "plan.ui.hint.date": "YYYY-MM-DD, or +N / −N days (+2w: two weeks)",
        "plan.ui.hint.catalogue": "The courses that train the plan's dimensions come first",
        "plan.ui.add_goal": "Add a goal on which dimension?",
        "plan.ui.add_item": "Add which action?",
        "plan.ui.delete_goal": "Delete the goal on {name}?",
        "plan.ui.delete_item": "Delete “{text}”?",
        "plan.ui.yes_no": "y: yes · n: no",
        "plan.ui.state_title": "The plan is {state}. Change it to:",
        "plan.ui.do.activate": "Activate — the plan starts today, reminders begin",
        "plan.ui.do.discard": "Discard this draft",
        "plan.ui.do.extend": "Extend — move the deadline and open items ({days} days by default)",
        "plan.ui.do.close_met": "Close — met",
        "plan.ui.do.close_not_met": "Close — not met",
        "plan.ui.effect_hint": "Effect report: {summary}",
        "plan.ui.discard_q": "Discard this draft plan?",
        "plan.ui.activated": "Plan activated: the employee and the manager can see it now.",
        "cmd.plans.open": "Open the selected plan", "cmd.plans.open.help": "The editor (HR) or the checklist",
        "cmd.plans.checklist": "Checklist of the plan", "cmd.plans.effect": "Improvement-effect report",
        "cmd.plans.state": "Filter plans by state",
        "cmd.plan.edit": "Edit the cell", "cmd.plan.add_goal": "Add a goal", "cmd.plan.add_item": "Add an action",
        "cmd.plan.delete": "Delete the goal or action", "cmd.plan.toggle": "Tick / untick the action",
        "cmd.plan.state": "Activate, extend or close the plan",
        "cmd.plans.list": "Improvement plans", "cmd.plans.list.help": "Every plan in your scope (F5)",
        "cmd.plan.of": "Improvement plan of this employee (open or draft)",
        "cmd.plan.of.help": "Open the plan, or draft one from the key shortfalls",
    },
    {
        "bind.plans.back": "返回", "bind.plans.open": "打开", "bind.plans.checklist": "清单",
        "bind.plans.effect": "效果", "bind.plans.state": "状态",
        "bind.plan.back": "返回", "bind.plan.switch": "目标/行动", "bind.plan.edit": "编辑",
        "bind.plan.add": "添加", "bind.plan.delete": "删除", "bind.plan.toggle": "完成", "bind.plan.state": "状态",
        "bind.plan.checklist": "清单", "bind.plan.effect": "效果",
        "plan.ui.list_title": "改进计划",
        "plan.ui.list_count": "{n} 个 · {state}（F2 筛选）",
        "plan.ui.all_states": "全部状态",
        "plan.ui.list_help": "Enter 打开清单 · r 查看改进效果",
        "plan.ui.list_help_hr": "Enter 打开计划 · c 清单 · r 改进效果 · 起草：在画像上按 p",
        "plan.ui.drafting": "正在根据关键短板为 {employee} 起草计划…",
        "plan.ui.drafted": "已起草计划，共 {n} 个目标：编辑后按 F2 启动。",
        "plan.ui.goals": "目标（{n}）",
        "plan.ui.dates": "开始 {start} · 中期 {midterm} · 截止 {deadline}",
        "plan.ui.dates_draft": "起草 {drafted} · 中期 {midterm} · 截止 {deadline}",
        "plan.ui.extended": "已延期 {days} 天",
        "plan.ui.items": "行动项（已完成 {done}/{total}）",
        "plan.ui.col.dimension": "维度", "plan.ui.col.baseline": "基线", "plan.ui.col.kind": "目标类型",
        "plan.ui.col.target": "目标", "plan.ui.col.midterm": "中期检查", "plan.ui.col.deadline": "截止",
        "plan.ui.col.text": "行动项", "plan.ui.col.owner": "负责人", "plan.ui.col.due": "截止",
        "plan.ui.col.goal": "目标", "plan.ui.col.done": "✓",
        "plan.ui.help.goals.dimension": "Enter 编辑目标 · 维度不能修改：d 删除该目标，a 在其他维度添加目标",
        "plan.ui.help.goals.baseline": "Enter：起草时的时段值（仅草稿可改）",
        "plan.ui.help.goals.kind": "Enter 切换：变化百分比 · 团队均值 · 岗位要求 · 固定值",
        "plan.ui.help.goals.target": "Enter：变化百分比（如 −50）或要达到的值",
        "plan.ui.help.goals.midterm": "Enter：中期检查日期（YYYY-MM-DD 或 +N 天）",
        "plan.ui.help.goals.deadline": "Enter：截止日期（YYYY-MM-DD 或 +N 天）",
        "plan.ui.help.items.text": "Enter 编辑文字 · a 从目录添加 · 空格勾选",
        "plan.ui.help.items.owner": "Enter 切换负责人：员工 · HR · 经理",
        "plan.ui.help.items.due": "Enter：截止日期（YYYY-MM-DD 或 +N 天）",
        "plan.ui.help.items.goal": "Enter 切换该行动项对应的目标",
        "plan.ui.help.items.done": "空格或 Enter 勾选/取消（进行中的计划）",
        "plan.ui.help.empty_goals": "还没有目标：按 a 添加",
        "plan.ui.help.empty_items": "还没有行动项：按 a 从目录添加",
        "plan.ui.help.closed": "已结束：只读。按 r 查看改进效果。",
        "plan.ui.help.palette": "编辑光标所在的单元格",
        "plan.ui.ask.baseline": "{name}的基线：", "plan.ui.ask.target_pct": "{name}的目标（变化百分比）：",
        "plan.ui.ask.target": "{name}的目标值：", "plan.ui.ask.midterm": "{name}的中期检查日期：",
        "plan.ui.ask.deadline": "{name}的截止日期：", "plan.ui.ask.due": "截止日期：",
        "plan.ui.ask.text": "行动项：", "plan.ui.ask.extend": "延期多少天？",
        "plan.ui.hint.pct": "例如 −50 表示投诉率减半，+10 表示分数提高一成",
        "plan.ui.hint.value": "按该维度的量表填写数字；Enter 保存，Esc 取消",
        "plan.ui.hint.date": "YYYY-MM-DD，或 +N / −N 天（+2w 表示两周）",
        "plan.ui.hint.catalogue": "与计划维度对应的培训课程排在前面",
        "plan.ui.add_goal": "在哪个维度上添加目标？",
        "plan.ui.add_item": "添加哪个行动项？",
        "plan.ui.delete_goal": "删除{name}的目标？",
        "plan.ui.delete_item": "删除“{text}”？",
        "plan.ui.yes_no": "y：是 · n：否",
        "plan.ui.state_title": "计划当前{state}，改为：",
        "plan.ui.do.activate": "启动——计划从今天开始，开始发送提醒",
        "plan.ui.do.discard": "放弃该草稿",
        "plan.ui.do.extend": "延期——推迟截止日期和未完成事项（默认 {days} 天）",
        "plan.ui.do.close_met": "结束——达成",
        "plan.ui.do.close_not_met": "结束——未达成",
        "plan.ui.effect_hint": "改进效果：{summary}",
        "plan.ui.discard_q": "放弃这份草稿计划？",
        "plan.ui.activated": "计划已启动：员工和经理现在可以看到它。",
        "cmd.plans.open": "打开选中的计划", "cmd.plans.open.help": "编辑器（HR）或清单",
        "cmd.plans.checklist": "计划清单", "cmd.plans.effect": "改进效果报告",
        "cmd.plans.state": "按状态筛选计划",
        "cmd.plan.edit": "编辑单元格", "cmd.plan.add_goal": "添加目标", "cmd.plan.add_item": "添加行动项",
        "cmd.plan.delete": "删除目标或行动项", "cmd.plan.toggle": "勾选/取消行动项",
        "cmd.plan.state": "启动、延期或结束计划",
        "cmd.plans.list": "改进计划", "cmd.plans.list.help": "你范围内的全部计划（F5）",
        "cmd.plan.of": "该员工的改进计划（打开或起草）", "cmd.plan.of.help": "打开计划，或根据关键短板起草",
    },
)
