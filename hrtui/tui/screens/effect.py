"""The improvement-effect report of a plan: per goal the baseline window against the latest window since the plan
started, the target, the change and the verdict; under it a chart of one goal's months (←/→ picks the goal).

The numbers come from `hrtui.domain.effect`; the chart is drawn by plotext in a worker thread, which posts the
finished drawing back (threads never touch widgets).
"""
from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static

from hrtui.cells import crop
from hrtui.errors import UserError
from hrtui.i18n import register, t
from hrtui.tui.screens.base import HRScreen, style
from hrtui.tui.widgets.key_bar import KeyBar

VERDICT_STYLE = {"met": "bold green", "improved": "green", "unchanged": "yellow", "worse": "bold red",
                 "no_data": "dim"}


def short_span(months: list[str]) -> str:
    """'25-12..02' for 2025-12..2026-02 is ambiguous: the year is repeated when it changes ('25-12..26-02')."""
    if not months:
        return "—"
    first, last = months[0][2:], months[-1][5:] if months[0][:4] == months[-1][:4] else months[-1][2:]
    return first if len(months) == 1 else f"{first}..{last}"


def open_effect(app, plan_id: str) -> None:
    app.push_screen(EffectScreen(plan_id))


class EffectScreen(HRScreen):
    CSS_PATH = style("plans")
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="effect.back"),
        Binding("right", "goal(1)", "Goal", key_display="←→", id="effect.goal"),
        Binding("left", "goal(-1)", show=False),
        Binding("f7", "app.toggle_lang", "中文", id="app.lang"),
    ]

    class Drawn(Message):
        def __init__(self, generation: int, chart: str) -> None:
            super().__init__()
            self.generation, self.chart = generation, chart

    def __init__(self, plan_id: str) -> None:
        super().__init__()
        self.plan_id = plan_id
        self.report = None
        self.index = 0
        self._generation = 0

    @property
    def lang(self) -> str:
        return self.app.lang

    def compose(self) -> ComposeResult:
        yield Static("", id="ef-title")
        yield Static("", id="ef-table")
        yield Static("", id="ef-summary")
        yield Static("", id="ef-chart-title")
        yield Static("", id="ef-chart")
        yield Static("", id="ef-legend")
        yield KeyBar()

    def on_mount(self) -> None:
        from hrtui.domain import effect
        from hrtui.domain import plans as P

        try:
            plan = P.load(self.app.actor, self.plan_id, audit_read=False, lang=self.lang)
            if plan.state == "draft":
                raise UserError(t("effect.draft", self.lang, employee=plan.number))
            self.report = effect.report(self.app.actor, plan.number, self.lang, plan_id=self.plan_id)
        except UserError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            self.app.pop_screen()
            return
        self.draw()

    def draw(self) -> None:
        r, lang = self.report, self.lang
        if r is None:
            return
        state = t(f"plan.outcome.{r.outcome}", lang) if r.state == "closed" else t(f"plan.state.{r.state}", lang)
        title = Text(t("effect.title", lang) + " · ", style="bold")
        title.append(f"{r.number} {r.name(lang)}", style="bold")
        title.append(f" · {state}")
        self.query_one("#ef-title", Static).update(title)
        sub = Text(t("effect.period", lang, start=r.start_date or "—", deadline=r.deadline or "—", as_of=r.as_of),
                   style="dim")
        table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold", expand=False, pad_edge=False)
        table.add_column(t("effect.md.goal", lang), no_wrap=True, max_width=14)
        for key in ("before", "after", "target", "change"):
            table.add_column(t(f"effect.md.{key}", lang), justify="right", no_wrap=True)
        table.add_column(t("effect.md.verdict", lang), no_wrap=True)
        from hrtui.domain.effect import fmt_pct

        for i, g in enumerate(r.goals):
            mark = "▸" if i == self.index else " "
            table.add_row(f"{mark}{crop(g.name(lang), 13)}", f"{g.fmt(g.baseline)} {short_span(g.baseline_months)}",
                          f"{g.fmt(g.after)} {short_span(g.after_months)}" if g.after_months else g.fmt(g.after),
                          g.fmt(g.target), fmt_pct(g.change_pct),
                          Text(t(f"effect.verdict.{g.verdict}", lang), style=VERDICT_STYLE[g.verdict]))
        from rich.console import Group

        self.query_one("#ef-table", Static).update(Group(sub, table))
        style = "bold green" if r.effective else ("dim" if not r.measurable else "bold yellow")
        self.query_one("#ef-summary", Static).update(Text(t("effect.verdict_line", lang, summary=r.summary(lang)),
                                                          style=style))
        self._draw_chart_labels()
        self.call_after_refresh(self._request_chart)

    def _draw_chart_labels(self) -> None:
        r, lang = self.report, self.lang
        if not r.goals:
            return
        g = r.goals[self.index]
        head = Text()
        head.append("◀ ", style="dim")
        head.append(g.name(lang), style="bold")
        head.append(f" ({self.index + 1}/{len(r.goals)}) ", style="dim")
        head.append("▶", style="dim")
        self.query_one("#ef-chart-title", Static).update(head)
        legend = Text()
        legend.append("▀ ", style="red")
        legend.append(t("effect.ui.monthly", lang) + "  ")
        legend.append("⠒ ", style="blue")
        legend.append(t("effect.ui.windows", lang) + "  ")
        legend.append("─ ", style="green")
        legend.append(t("effect.ui.target", lang, value=g.fmt(g.target)) + "  ")
        legend.append("│ ", style="dim")
        legend.append(t("effect.ui.start", lang))
        self.query_one("#ef-legend", Static).update(legend)

    def _request_chart(self) -> None:
        if self.report is None or not self.report.goals:
            return
        size = self.query_one("#ef-chart", Static).size
        if not size.width or not size.height:
            return
        self._generation += 1
        g = self.report.goals[self.index]
        self._draw(self._generation, g, size.width, size.height)

    @work(thread=True, exclusive=True, group="effect-chart", exit_on_error=False)
    def _draw(self, generation: int, g, width: int, height: int) -> None:
        from hrtui.tui.widgets.effect_chart import effect_chart

        months = [m for m, _v in g.monthly]
        chart = effect_chart(months, [v for _m, v in g.monthly], g.baseline, g.baseline_months, g.after,
                             g.after_months, g.target, width, height)
        self.post_message(self.Drawn(generation, chart))

    @on(Drawn)
    def _drawn(self, message: Drawn) -> None:
        if message.generation == self._generation:
            self.query_one("#ef-chart", Static).update(Text.from_ansi(message.chart, no_wrap=True))

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "goal":
            return self.report is not None and len(self.report.goals) > 1
        return super().check_action(action, parameters)

    def action_goal(self, delta: int) -> None:
        if self.report is None or not self.report.goals:
            return
        self.index = (self.index + delta) % len(self.report.goals)
        self.draw()

    def on_resize(self) -> None:
        if self.report is not None:
            self.call_after_refresh(self._request_chart)

    def relabel(self) -> None:
        from hrtui.domain import effect

        if self.report is not None:
            try:
                self.report = effect.report(self.app.actor, self.report.number, self.lang, plan_id=self.plan_id)
            except UserError:
                pass
            self.draw()

    def palette_commands(self) -> list[tuple[str, str, object]]:
        from functools import partial

        lang = self.lang
        cmds = []
        if self.report is not None:
            for i, g in enumerate(self.report.goals):
                cmds.append((t("cmd.effect.goal", lang, name=g.name(lang)), "", partial(self._show_goal, i)))
        cmds.append((t("cmd.back", lang), t("cmd.back.help", lang), self.app.pop_screen))
        return cmds

    def _show_goal(self, index: int) -> None:
        self.index = index
        self.draw()


register(
    {
        "bind.effect.back": "Back", "bind.effect.goal": "Goal",
        "effect.ui.monthly": "monthly", "effect.ui.windows": "means before / after",
        "effect.ui.target": "target {value}", "effect.ui.start": "start",
        "cmd.effect.goal": "Chart of {name}",
    },
    {
        "bind.effect.back": "返回", "bind.effect.goal": "目标",
        "effect.ui.monthly": "月度值", "effect.ui.windows": "前后均值",
        "effect.ui.target": "目标 {value}", "effect.ui.start": "开始",
        "cmd.effect.goal": "{name}的图表",
    },
)
