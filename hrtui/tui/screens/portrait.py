"""The portrait screen: what HR knows before the interview (issue 3).

Three sections on one screen, switched with 1 / 2 / 3 (the tab line shows them):
overview (dimension table, key shortfalls with their sentences, signals), charts (gap radar and a 12-month trend of
one dimension, ←/→ picks it) and interview goals (a add, e edit, d delete, Shift+↑/↓ move, r suggestions, Ctrl+S
save). The portrait is computed by `hrtui.domain.portrait.portrait` in a worker thread, charts are drawn by plotext in
another; neither thread touches a widget — they post messages.
"""
from __future__ import annotations

from dataclasses import replace

from rich.cells import set_cell_size
from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import ContentSwitcher, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from hrtui.domain.goals import MAX_GOALS, Goal
from hrtui.errors import UserError
from hrtui.i18n import register, t
from hrtui.cells import crop
from hrtui.tui.screens.base import HRScreen, style
from hrtui.tui.widgets.key_bar import KeyBar

SECTIONS = ("overview", "charts", "goals")
GOAL_ACTIONS = {"goal_add", "goal_edit", "goal_delete", "goal_save", "goal_suggest", "goal_move"}


def _pct(x: float | None) -> str:
    if x is None:
        return "—"
    return "0%" if round(x) == 0 else f"{x:+.0f}%"


def _num(x: float | None) -> str:
    return "—" if x is None else f"{x:.1f}"




def dimension_table(p, lang: str, width: int, flag_style: Style | str = "bold red") -> Table:
    """value / team / requirement / gaps / months with data / flag, one row per dimension (a flagged one in
    `flag_style`)."""
    table = Table(box=None, padding=(0, 1), expand=True, show_edge=False, header_style="bold", pad_edge=False)
    name_w = max(8, min(24, width - 52))
    table.add_column(t("portrait.col.dimension", lang), width=name_w, no_wrap=True, overflow="ellipsis")
    for key in ("value", "team", "req", "gap_team", "gap_req"):
        table.add_column(t(f"portrait.col.{key}", lang), justify="right", no_wrap=True, min_width=6)
    table.add_column(t("portrait.col.months", lang), justify="right", no_wrap=True, min_width=4)
    table.add_column("!", justify="center", no_wrap=True, width=1)
    for d in p.dimensions:
        style = flag_style if d.flagged else ""
        table.add_row(crop(d.name, name_w), _num(d.value), _num(d.team_mean), _num(d.requirement),
                      _pct(d.gap_team_pct), _pct(d.gap_requirement_pct), f"{d.months_with_data}/{len(p.window)}",
                      "!" if d.flagged else "", style=style)
    return table


def overview_text(p, lang: str, flag_style: Style | str = "bold red", muted_style: Style | str = "dim",
                  signal_style: Style | str = "bold yellow"):
    """Under the table: missing months, the team note, the key shortfalls and the signals, each a sentence."""
    head = Text()
    missing = [f"{d.name} {', '.join(m for m, v in zip(p.window, d.monthly) if v is None)}"
               for d in p.dimensions if d.months_with_data < len(p.window)]
    if missing:
        head.append(t("portrait.ui.missing", lang, items="; ".join(missing)) + "\n", style="italic")
    if p.team_note:
        head.append(p.team_note + "\n", style="italic")
    head.append(t("portrait.ui.shortfalls", lang), style="bold")
    flags = Table.grid(padding=(0, 1))
    flags.add_column(no_wrap=True, width=3, justify="right")
    flags.add_column(ratio=1, overflow="fold")
    if not p.key_shortfalls:
        flags.add_row("", Text(t("portrait.cli.no_shortfalls", lang)))
    for i, d in enumerate(p.shortfalls, 1):
        basis = "σ" if d.severity_basis == "z" else "×"
        line = Text(d.explanation or "")
        line.append(f"  [{t('portrait.severity', lang)} {d.severity:.1f}{basis}]", style=muted_style)
        flags.add_row(Text(f"{i}.", style=flag_style), line)
    signals = Table.grid(padding=(0, 1))
    signals.add_column(no_wrap=True, width=3, justify="right")
    signals.add_column(ratio=1, overflow="fold")
    if not p.signals:
        signals.add_row("", Text(t("portrait.cli.no_signals", lang)))
    for s in p.signals:
        signals.add_row(Text("•", style=signal_style), Text(s.sentence))
    return Group(head, flags, Text(t("portrait.ui.signals", lang), style="bold"), signals)


class ChartArea(Static):
    """Where a plotext drawing goes. Its size decides the drawing's, so a new size asks for a new drawing."""

    def on_resize(self) -> None:
        self.screen.chart_area_resized()


class GoalInput(Input):
    """The line a goal is typed into. Enter keeps it, Escape cancels (and never leaves the screen)."""

    BINDINGS = [Binding("escape", "cancel", show=False)]

    def action_cancel(self) -> None:
        self.screen.cancel_goal_edit()


class PortraitScreen(HRScreen):
    CSS_PATH = style("portrait")
    # Colours of the text's parts, from the theme (portrait.tcss), readable at 256 and 16 colours and with NO_COLOR.
    # The charts' legend marks keep the chart's own colours (plotext draws in the terminal's red, blue, green).
    PARTS = "portrait"
    COMPONENT_CLASSES = {"portrait--flag", "portrait--muted", "portrait--signal", "portrait--warning",
                         "portrait--ok"}
    BINDINGS = [
        Binding("escape", "back", "Back", id="portrait.back"),
        Binding("1", "section('overview')", "Sections", key_display="1·2·3", id="portrait.sections"),
        Binding("2", "section('charts')", show=False),
        Binding("3", "section('goals')", show=False),
        Binding("right", "dim(1)", "Dimension", key_display="←→", id="portrait.dim"),
        Binding("left", "dim(-1)", show=False),
        Binding("a", "goal_add", "Add", id="goal.add"),
        Binding("e", "goal_edit", "Edit", id="goal.edit"),
        Binding("d,delete", "goal_delete", "Delete", id="goal.delete"),
        Binding("ctrl+s", "goal_save", "Save", id="goal.save"),
        Binding("r", "goal_suggest", "Suggest", id="goal.suggest"),
        Binding("shift+up", "goal_move(-1)", show=False),
        Binding("shift+down", "goal_move(1)", show=False),
        Binding("f4", "open_attention", "Attention", id="attention.open"),
        Binding("f5", "details", "Record", id="portrait.details"),
        Binding("i", "interview", "Interview", id="portrait.interview"),
        Binding("p", "open_plan", "Plan", id="portrait.plan"),
        Binding("f7", "app.toggle_lang", "中文", id="app.lang", show=False),  # footer room; still a key + palette
        Binding("ctrl+q", "app.quit", "Quit", id="app.quit", show=False),
    ]

    class Loaded(Message):
        def __init__(self, generation: int, portrait, error: str | None, has_plan: bool = False) -> None:
            super().__init__()
            self.generation, self.portrait, self.error, self.has_plan = generation, portrait, error, has_plan

    class ChartsDrawn(Message):
        def __init__(self, generation: int, radar: str, trend: str) -> None:
            super().__init__()
            self.generation, self.radar, self.trend = generation, radar, trend

    def __init__(self, number: str, section: str = "overview") -> None:
        super().__init__()
        self.number = number
        self.portrait = None
        self.section = section
        self.dim_index = 0
        self.goals: list[Goal] = []
        self.dirty = False
        self._warned = False
        self._editing: int | None = None   # index of the goal being edited; -1 adds one
        self._generation = 0
        self._chart_generation = 0
        self._chart_key: tuple | None = None   # what the last drawing was asked for
        self.has_plan = False   # the employee has a plan the viewer may open (decides `p` for roles that cannot draft)

    @property
    def lang(self) -> str:
        return self.app.lang

    # -- layout ----------------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(Text(self.number), id="portrait-title")
        yield Static("", id="portrait-tabs")
        with ContentSwitcher(initial=f"pt-{self.section}", id="portrait-body"):  # F10 in an interview: charts
            with VerticalScroll(id="pt-overview"):
                yield Static(Text(t("portrait.ui.loading", self.lang)), id="pt-table")
                yield Static("", id="pt-text")
            with Horizontal(id="pt-charts"):
                with Vertical(id="pt-radar-col"):
                    yield Static("", id="pt-radar-title")
                    yield ChartArea("", id="pt-radar")
                    yield Static("", id="pt-radar-legend")
                with Vertical(id="pt-trend-col"):
                    yield Static("", id="pt-trend-title")
                    yield ChartArea("", id="pt-trend")
                    yield Static("", id="pt-trend-legend")
            with Vertical(id="pt-goals"):
                yield Static("", id="goal-status")
                yield OptionList(id="goal-list")
                yield GoalInput(id="goal-input", placeholder=t("portrait.ui.goal_placeholder", self.lang))
                yield Static("", id="goal-help")
        yield KeyBar()

    def on_mount(self) -> None:
        self._draw_tabs()
        self.reload()

    def redraw_parts(self) -> None:
        if self.portrait is not None:
            self._draw_all()
        else:
            self._draw_tabs()

    def reload(self) -> None:
        self._generation += 1
        self._load(self._generation, self.lang)

    # -- workers ---------------------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="portrait", exit_on_error=False)
    def _load(self, generation: int, lang: str) -> None:
        from hrtui.domain.portrait import close_thread_connection, portrait

        try:
            p = portrait(self.app.actor, self.number, lang)
            self.post_message(self.Loaded(generation, p, None, self._plan_exists(lang)))
        except UserError as exc:
            self.post_message(self.Loaded(generation, None, str(exc)))
        finally:
            close_thread_connection()

    @work(thread=True, exclusive=True, group="charts", exit_on_error=False)
    def _draw_charts(self, generation: int, p, index: int, radar_size: tuple[int, int],
                     trend_size: tuple[int, int]) -> None:
        from hrtui.tui.widgets.portrait_charts import radar, trend

        d = p.dimensions[index]
        self.post_message(self.ChartsDrawn(generation, radar(p.dimensions, *radar_size),
                                           trend(p.trend_months, d.trend, d.team_trend, d.requirement, *trend_size)))

    def _plan_exists(self, lang: str) -> bool:
        """Whether `p` has a plan to open (worker thread). Roles that draft plans always have something to do."""
        from hrtui.domain.plans import plan_of

        if not self.app.action_allowed("open_plan") or self._may_draft:
            return False
        try:
            return plan_of(self.app.actor, self.number, lang) is not None
        except UserError:
            return False

    @property
    def _may_draft(self) -> bool:
        return self.app.action_allowed("draft_plan")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            message = t("portrait.ui.failed", self.lang, error=type(event.worker.error).__name__)
            self.notify(message, severity="error", markup=False)
            if self.portrait is None:
                self.query_one("#pt-table", Static).update(Text(message))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.generation != self._generation:
            return
        if message.error:
            self.notify(message.error, severity="error", markup=False)
            self.query_one("#pt-table", Static).update(Text(message.error))
            return
        first_load = self.portrait is None
        p = self.portrait = message.portrait
        self.has_plan = message.has_plan
        if first_load:
            self.goals = list(p.goals)
            self.dim_index = next((i for i, d in enumerate(p.dimensions) if p.key_shortfalls
                                   and d.code == p.key_shortfalls[0]), 0)
        elif not self.dirty:
            self.goals = list(p.goals)
        self._draw_all()

    @on(ChartsDrawn)
    def _charts_drawn(self, message: ChartsDrawn) -> None:
        if message.generation != self._chart_generation:
            return
        self.query_one("#pt-radar", Static).update(Text.from_ansi(message.radar, no_wrap=True))
        self.query_one("#pt-trend", Static).update(Text.from_ansi(message.trend, no_wrap=True))

    # -- drawing ---------------------------------------------------------------------------------------------
    def _draw_all(self) -> None:
        p, lang = self.portrait, self.lang
        e = p.employee
        title = Text()
        title.append(f"{e.number} ", style="bold")
        title.append(f"{e.name(lang)}", style="bold")
        other = e.name_en if lang == "zh" else e.name_zh
        if other and other != e.name(lang):
            title.append(f" {other}")
        title.append(f" · {e.department_code or '—'} {e.department(lang)} · {e.position(lang)}")
        self.query_one("#portrait-title", Static).update(title)
        self._draw_tabs()
        width = self.query_one("#pt-overview").size.width or self.app.size.width
        flag = self.part_style("flag")
        self.query_one("#pt-table", Static).update(dimension_table(p, lang, max(40, width - 2), flag))
        self.query_one("#pt-text", Static).update(overview_text(p, lang, flag, self.part_style("muted"),
                                                                self.part_style("signal")))
        self._draw_chart_labels()
        self._draw_goals()
        if self.section == "charts":
            self._request_charts()
        self.refresh_bindings()

    def _draw_tabs(self) -> None:
        tabs = Text()
        for i, key in enumerate(SECTIONS, 1):
            label = f" {i} {t(f'portrait.ui.tab.{key}', self.lang)} "
            tabs.append(label, style="reverse bold" if key == self.section else "")
            tabs.append(" ")
        if self.portrait:
            w = self.portrait.window
            tabs.append(t("portrait.ui.window", self.lang, first=w[0], last=w[-1], n=len(w)),
                        style=self.part_style("muted"))
        self.query_one("#portrait-tabs", Static).update(tabs)

    def _draw_chart_labels(self) -> None:
        p, lang = self.portrait, self.lang
        if p is None:
            return
        d = p.dimensions[self.dim_index]
        flag_style, muted = self.part_style("flag"), self.part_style("muted")
        self.query_one("#pt-radar-title", Static).update(Text(t("portrait.ui.radar_title", lang), style="bold"))
        col = max(10, (self.query_one("#pt-radar-col").size.width or 36) // 2 - 1)
        legend = Text()
        for i, dim in enumerate(p.dimensions, 1):
            flag = " !" if dim.flagged else ""   # cut the name, never the shortfall flag
            cell = crop(f"{i} {dim.name}", col - len(flag)) + flag
            legend.append(set_cell_size(cell, col + 1), style=flag_style if dim.flagged else "")
            if i % 2 == 0 or i == len(p.dimensions):
                legend.append("\n")
        legend.append("▀ ", style="red")
        legend.append(t("portrait.ui.legend.employee", lang) + "  ")
        legend.append("⠒ ", style="blue")
        legend.append(t("portrait.ui.legend.team_short", lang) + "  ")
        legend.append("• ", style="green")
        legend.append(t("portrait.ui.legend.req_short", lang))
        self.query_one("#pt-radar-legend", Static).update(legend)
        head = Text()
        head.append("◀ ", style=muted)
        head.append(d.name, style=flag_style if d.flagged else "bold")
        head.append(f" ({self.dim_index + 1}/{len(p.dimensions)}) ", style=muted)
        head.append("▶", style=muted)
        self.query_one("#pt-trend-title", Static).update(head)
        foot = Text()
        foot.append("▀ ", style="red")
        foot.append(f"{t('portrait.ui.legend.employee', lang)}  ")
        foot.append("⠒ ", style="blue")
        foot.append(f"{t('portrait.ui.legend.team', lang)}  ")
        foot.append("─ ", style="green")
        foot.append(f"{t('portrait.ui.legend.req', lang)} {d.fmt(d.requirement)}")
        gaps = [m for m, v in zip(p.trend_months, d.trend) if v is None]
        if gaps:
            foot.append("\n" + t("portrait.ui.trend_gaps", lang, months=", ".join(gaps)), style="italic")
        self.query_one("#pt-trend-legend", Static).update(foot)

    def _request_charts(self) -> None:
        """Draw after the next layout: the legends just changed, so the chart areas' sizes may change too."""
        if self.portrait is not None:
            self.call_after_refresh(self._request_charts_now)

    def chart_area_resized(self) -> None:
        if self.section == "charts":
            self._request_charts()

    def _request_charts_now(self) -> None:
        if self.portrait is None or self.section != "charts":
            return
        radar_w = self.query_one("#pt-radar", Static).size
        trend_w = self.query_one("#pt-trend", Static).size
        if not radar_w.width or not trend_w.width:
            return
        key = (id(self.portrait), self.dim_index, tuple(radar_w), tuple(trend_w))
        if key == self._chart_key:
            return
        self._chart_key = key
        self._chart_generation += 1
        self._draw_charts(self._chart_generation, self.portrait, self.dim_index,
                          (radar_w.width, radar_w.height), (trend_w.width, trend_w.height))

    def on_resize(self) -> None:
        if self.portrait is not None:
            self._draw_all()

    # -- goals -----------------------------------------------------------------------------------------------
    def _draw_goals(self) -> None:
        p, lang = self.portrait, self.lang
        status = self.query_one("#goal-status", Static)
        olist = self.query_one("#goal-list", OptionList)
        help_line = self.query_one("#goal-help", Static)
        if p is None:
            return
        if not p.goals_visible:
            status.update(Text(t("portrait.ui.goals_hidden", lang), style="italic"))
            olist.display = False
            help_line.update("")
            return
        if self.dirty:
            key, style = "portrait.ui.goals_dirty", self.part_style("warning")
        elif p.goals_saved:
            key, style = "portrait.ui.goals_saved", self.part_style("ok")
        else:
            key, style = "portrait.ui.goals_suggested", "italic"
        status.update(Text(t(key, lang, n=len(self.goals), max=MAX_GOALS), style=style))
        keep = olist.highlighted
        olist.set_options([Option(Text(f"{i}. {g.text(lang)}"), id=f"g{i}") for i, g in enumerate(self.goals, 1)])
        if self.goals:
            olist.highlighted = min(keep if keep is not None else 0, len(self.goals) - 1)
        help_line.update(Text(t("portrait.ui.goals_help", lang), style=self.part_style("muted")))

    def _current_goal(self) -> int | None:
        olist = self.query_one("#goal-list", OptionList)
        if not self.goals:
            return None
        return olist.highlighted if olist.highlighted is not None else 0

    def _changed(self) -> None:
        self.dirty = True
        self._warned = False
        self._draw_goals()

    def action_goal_add(self) -> None:
        if len(self.goals) >= MAX_GOALS:
            self.notify(t("goal.too_many", self.lang, max=MAX_GOALS), severity="warning", markup=False)
            return
        self._start_edit(-1, "")

    def action_goal_edit(self) -> None:
        i = self._current_goal()
        if i is None:
            self.action_goal_add()
            return
        self._start_edit(i, self.goals[i].text(self.lang))

    def _start_edit(self, index: int, text: str) -> None:
        self._editing = index
        box = self.query_one("#goal-input", GoalInput)
        box.value = text
        box.cursor_position = len(text)
        self.query_one("#pt-goals").add_class("editing")
        box.focus()
        self.refresh_bindings()

    def cancel_goal_edit(self) -> None:
        self._editing = None
        self.query_one("#pt-goals").remove_class("editing")
        self.query_one("#goal-list", OptionList).focus()
        self.refresh_bindings()

    @on(Input.Submitted, "#goal-input")
    def _goal_submitted(self, event: Input.Submitted) -> None:
        self.commit_goal_edit()

    def commit_goal_edit(self) -> bool:
        """Keep what was typed; False (and a notice) when it cannot be kept."""
        if self._editing is None:
            return True
        text = " ".join(self.query_one("#goal-input", GoalInput).value.split())
        if not text:
            self.notify(t("goal.empty", self.lang), severity="warning", markup=False)
            return False
        index = self._editing
        if index < 0:
            self.goals.append(Goal("", "", "custom").edited(self.lang, text))
            index = len(self.goals) - 1
        elif text != self.goals[index].text(self.lang):
            self.goals[index] = self.goals[index].edited(self.lang, text)
        self.cancel_goal_edit()
        self._changed()
        self.query_one("#goal-list", OptionList).highlighted = index
        return True

    def action_goal_delete(self) -> None:
        i = self._current_goal()
        if i is None:
            return
        del self.goals[i]
        self._changed()

    def action_goal_move(self, delta: int) -> None:
        i = self._current_goal()
        if i is None or not 0 <= i + delta < len(self.goals):
            return
        self.goals[i], self.goals[i + delta] = self.goals[i + delta], self.goals[i]
        self._changed()
        self.query_one("#goal-list", OptionList).highlighted = i + delta

    def action_goal_suggest(self) -> None:
        self.goals = [replace(g, id=None) for g in self.portrait.suggested_goals]
        self._changed()

    def action_goal_save(self) -> None:
        from hrtui.domain.goals import save_goals

        if self._editing is not None and not self.commit_goal_edit():
            return
        try:
            self.goals = save_goals(self.app.actor, self.number, self.goals, self.lang)
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.dirty, self._warned = False, False
        self.portrait.goals, self.portrait.goals_saved = list(self.goals), True
        self._draw_goals()
        self.notify(t("portrait.ui.saved", self.lang, n=len(self.goals)), markup=False)

    # -- other actions ---------------------------------------------------------------------------------------
    def action_section(self, name: str) -> None:
        if self._editing is not None:
            return
        self.section = name
        self.query_one(ContentSwitcher).current = f"pt-{name}"
        self._draw_tabs()
        if name == "charts":
            self._draw_chart_labels()
            self._request_charts()
        elif name == "goals" and self.portrait is not None and self.portrait.goals_visible:
            self.query_one("#goal-list", OptionList).focus()
        else:
            self.query_one("#pt-overview").focus()
        self.refresh_bindings()

    def action_dim(self, delta: int) -> None:
        if self.portrait is None:
            return
        self.dim_index = (self.dim_index + delta) % len(self.portrait.dimensions)
        self._draw_chart_labels()
        self._request_charts()

    def set_dimension(self, index: int) -> None:
        self.dim_index = index
        self.action_section("charts")

    def action_details(self) -> None:
        self.app.open_details(self.number)

    def action_open_plan(self) -> None:
        """The employee's improvement plan, or a draft from the key shortfalls (hrtui/tui/screens/plan.py)."""
        if self._may_leave():
            self.app.open_plan(self.number)

    def _may_leave(self) -> bool:
        """Unsaved goals: the first attempt to leave warns, the second leaves (and drops the changes)."""
        if self._editing is not None:
            self.cancel_goal_edit()
            return False
        if self.dirty and not self._warned:
            self._warned = True
            self.notify(t("portrait.ui.unsaved", self.lang), severity="warning", markup=False)
            return False
        return True

    def action_back(self) -> None:
        if self._may_leave():
            self.app.pop_screen()

    def action_open_attention(self) -> None:
        if self._may_leave():
            self.app.action_open_attention()

    def action_interview(self) -> None:
        """Start the interview with this employee (or go back into the unfinished one)."""
        if self._may_leave():
            self.app.start_interview(self.number)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in GOAL_ACTIONS:
            if self.section != "goals" or self.portrait is None or not self.portrait.goals_visible:
                return False
            if self._editing is not None and action != "goal_save":
                return False
        if action == "dim":
            return self.section == "charts" and self.portrait is not None
        if action == "section" and self._editing is not None:
            return False
        if action == "open_attention":
            return self.app.action_allowed("open_attention")
        if action == "interview":
            return self.app.action_allowed("start_interview")
        if action == "open_plan":
            # HR drafts a plan when there is none; a manager only opens one that exists: no key that can only fail.
            if not self.app.action_allowed("open_plan"):
                return False
            return self._may_draft or self.has_plan
        return super().check_action(action, parameters)

    def relabel(self) -> None:
        """Language changed: the sentences come from the domain in the new language, so compute again."""
        self.query_one("#goal-input", GoalInput).placeholder = t("portrait.ui.goal_placeholder", self.lang)
        self._draw_tabs()
        if self.portrait is not None:
            self._draw_all()
        self.reload()

    # -- palette ---------------------------------------------------------------------------------------------
    def palette_commands(self) -> list[tuple[str, str, object]]:
        from functools import partial

        lang = self.lang
        cmds = [(t("cmd.portrait.section", lang, name=t(f"portrait.ui.tab.{key}", lang)),
                 t("cmd.portrait.section.help", lang), partial(self.action_section, key)) for key in SECTIONS]
        if self.app.action_allowed("start_interview"):
            cmds.append((t("cmd.portrait.interview", lang), t("cmd.portrait.interview.help", lang),
                         self.action_interview))
        if self.portrait is not None:
            for i, d in enumerate(self.portrait.dimensions):
                cmds.append((t("cmd.portrait.trend", lang, name=d.name), t("cmd.portrait.trend.help", lang),
                             partial(self.set_dimension, i)))
            if self.portrait.goals_visible:
                for action in ("add", "edit", "delete", "suggest", "save"):
                    cmds.append((t(f"cmd.goal.{action}", lang), t("cmd.goal.help", lang),
                                 partial(self._palette_goal, action)))
        if self.app.action_allowed("open_attention"):
            cmds.append((t("cmd.attention.open", lang), t("cmd.attention.open.help", lang),
                         self.action_open_attention))
        cmds.append((t("cmd.portrait.details", lang), t("cmd.portrait.details.help", lang), self.action_details))
        cmds.append((t("cmd.back", lang), t("cmd.back.help", lang), self.action_back))
        return cmds

    def _palette_goal(self, action: str) -> None:
        if self.section != "goals":
            self.action_section("goals")
        getattr(self, f"action_goal_{action}")()


register(
    {
        "bind.portrait.back": "Back", "bind.portrait.sections": "Sections", "bind.portrait.dim": "Dimension",
        "bind.portrait.interview": "Interview", "cmd.portrait.interview": "Start the interview",
        "cmd.portrait.interview.help": "Timer, agenda, prompts and notes (resumes an unfinished one)",
        "bind.portrait.details": "Record", "bind.portrait.plan": "Plan",
        "bind.goal.add": "Add", "bind.goal.edit": "Edit", "bind.goal.delete": "Delete", "bind.goal.suggest": "Suggest",
        "bind.goal.save": "Save",
        "portrait.ui.loading": "Computing the portrait…",
        "portrait.ui.failed": "The portrait could not be computed ({error}).",
        "portrait.ui.tab.overview": "Overview", "portrait.ui.tab.charts": "Charts",
        "portrait.ui.tab.goals": "Interview goals",
        "portrait.ui.window": "{first}..{last} ({n} months)",
        "portrait.ui.missing": "No data: {items}",
        "portrait.ui.shortfalls": "Key shortfalls",
        "portrait.ui.signals": "Signals",
        "portrait.ui.radar_title": "Gap radar: 1.0 = team, out = better",
        "portrait.ui.legend.employee": "Employee", "portrait.ui.legend.team": "Team mean",
        "portrait.ui.legend.req": "Requirement",
        "portrait.ui.legend.team_short": "Team", "portrait.ui.legend.req_short": "Req.",
        "portrait.ui.trend_gaps": "No data (gaps in the line): {months}",
        "portrait.ui.goals_saved": "Saved interview goals ({n}/{max})",
        "portrait.ui.goals_suggested": "Suggested goals, not saved yet ({n}/{max}) — Ctrl+S saves them",
        "portrait.ui.goals_dirty": "Changed, not saved ({n}/{max}) — Ctrl+S saves",
        "portrait.ui.goals_hidden": "Interview goals are kept by HR.",
        "portrait.ui.goals_help": "a add · e edit · d delete · Shift+↑/↓ move · r suggestions · Ctrl+S save",
        "portrait.ui.goal_placeholder": "Type the goal; Enter keeps it, Esc cancels",
        "portrait.ui.saved": "{n} interview goals saved",
        "portrait.ui.unsaved": "Goals not saved: Ctrl+S saves them, Esc again leaves without saving",
        "cmd.portrait.section": "Portrait: {name}", "cmd.portrait.section.help": "Show this section of the portrait",
        "cmd.portrait.trend": "Trend of {name}", "cmd.portrait.trend.help": "Show this dimension's 12-month chart",
        "cmd.portrait.details": "Employee record", "cmd.portrait.details.help": "Number, position, manager, e-mail",
        "cmd.goal.add": "Add an interview goal", "cmd.goal.edit": "Edit the selected interview goal",
        "cmd.goal.delete": "Delete the selected interview goal",
        "cmd.goal.suggest": "Replace the goals with the suggestions", "cmd.goal.save": "Save the interview goals",
        "cmd.goal.help": "Interview goals are saved with the employee",
    },
    {
        "bind.portrait.back": "返回", "bind.portrait.sections": "分页", "bind.portrait.dim": "维度",
        "bind.portrait.interview": "面谈", "cmd.portrait.interview": "开始面谈",
        "cmd.portrait.interview.help": "计时、议程、话术提示与记录（未完成的面谈会继续）",
        "bind.portrait.details": "档案", "bind.portrait.plan": "计划",
        "bind.goal.add": "添加", "bind.goal.edit": "编辑", "bind.goal.delete": "删除", "bind.goal.suggest": "建议",
        "bind.goal.save": "保存",
        "portrait.ui.loading": "正在计算画像…",
        "portrait.ui.failed": "无法计算画像（{error}）。",
        "portrait.ui.tab.overview": "概况", "portrait.ui.tab.charts": "图表", "portrait.ui.tab.goals": "面谈目标",
        "portrait.ui.window": "{first}..{last}（{n} 个月）",
        "portrait.ui.missing": "无数据：{items}",
        "portrait.ui.shortfalls": "关键短板",
        "portrait.ui.signals": "信号",
        "portrait.ui.radar_title": "差距雷达（1.0=团队均值，越外越好）",
        "portrait.ui.legend.employee": "本人", "portrait.ui.legend.team": "团队均值", "portrait.ui.legend.req": "岗位要求",
        "portrait.ui.legend.team_short": "团队", "portrait.ui.legend.req_short": "要求",
        "portrait.ui.trend_gaps": "无数据（曲线断开）：{months}",
        "portrait.ui.goals_saved": "已保存的面谈目标（{n}/{max}）",
        "portrait.ui.goals_suggested": "建议目标，尚未保存（{n}/{max}）—— Ctrl+S 保存",
        "portrait.ui.goals_dirty": "已修改，尚未保存（{n}/{max}）—— Ctrl+S 保存",
        "portrait.ui.goals_hidden": "面谈目标由 HR 维护。",
        "portrait.ui.goals_help": "a 添加 · e 编辑 · d 删除 · Shift+↑/↓ 移动 · r 建议 · Ctrl+S 保存",
        "portrait.ui.goal_placeholder": "输入目标；回车确认，Esc 取消",
        "portrait.ui.saved": "已保存 {n} 条面谈目标",
        "portrait.ui.unsaved": "面谈目标尚未保存：Ctrl+S 保存，再按 Esc 放弃修改并返回",
        "cmd.portrait.section": "画像：{name}", "cmd.portrait.section.help": "显示画像的这一部分",
        "cmd.portrait.trend": "趋势：{name}", "cmd.portrait.trend.help": "显示该维度近12个月的曲线",
        "cmd.portrait.details": "员工档案", "cmd.portrait.details.help": "工号、职位、直属经理、邮箱",
        "cmd.goal.add": "添加面谈目标", "cmd.goal.edit": "编辑选中的面谈目标", "cmd.goal.delete": "删除选中的面谈目标",
        "cmd.goal.suggest": "用建议目标替换", "cmd.goal.save": "保存面谈目标",
        "cmd.goal.help": "面谈目标随员工保存",
    },
)
