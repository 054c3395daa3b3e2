"""The checklist of an improvement plan: what has to be done, by whom, by when — for HR, the manager and the employee.

Items are listed by due date with their owner; done ones are ticked and dimmed, overdue ones stand out (marked `!`
and in the error colour, so they read without colour too). A progress bar counts the done items. Space ticks an
item: HR any item, a manager the items they own in their reports' plans, the employee their own
(`hrtui.domain.plans.can_check` decides; the footer only offers what the viewer may do). The employee acknowledges
their plan with `a`. The mid-term check and the deadline are listed as milestones between the items.
"""
from __future__ import annotations

import datetime as _dt

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from hrtui.cells import crop
from hrtui.errors import UserError
from hrtui.i18n import register, t
from hrtui.tui.screens.base import style
from hrtui.tui.screens.plan_base import PlanBaseScreen
from hrtui.tui.widgets.cursor_list import CursorList
from hrtui.tui.widgets.key_bar import KeyBar

BAR = 20


def progress_bar(done: int, total: int, width: int = BAR, done_style: Style | str = "bold green",
                 rest_style: Style | str = "dim") -> Text:
    frac = done / total if total else 0.0
    full = round(frac * width)
    bar = Text()
    bar.append("█" * full, style=done_style)
    bar.append("░" * (width - full), style=rest_style)
    return bar


class ChecklistScreen(PlanBaseScreen):
    CSS_PATH = style("plans")
    # Colours of the parts of the lines, from the theme (plans.tcss): readable on the theme's background at 256 and
    # 16 colours; on the cursor line the cursor's colour wins (CursorList), the marks [✓] [!] still tell.
    PARTS = "checklist"
    COMPONENT_CLASSES = {"checklist--done", "checklist--late", "checklist--muted", "checklist--warning",
                         "checklist--ok"}
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="checklist.back"),
        Binding("space", "plan_toggle", "Done", key_display="Space", id="checklist.toggle"),
        Binding("a", "plan_ack", "Acknowledge", id="checklist.ack"),
        Binding("e", "edit_plan", "Edit plan", id="checklist.edit"),
        Binding("r", "effect", "Effect", id="checklist.effect"),
        Binding("ctrl+r", "app.open_inbox", "Inbox", id="inbox.open"),
        Binding("f7", "app.toggle_lang", "中文", id="app.lang"),
    ]
    AUTO_FOCUS = "#cl-items"

    def __init__(self, plan_id: str) -> None:
        super().__init__(plan_id)
        self.rows: list[str | None] = []   # item id per option (None: a milestone line)
        self._drawn_width = 0

    def compose(self) -> ComposeResult:
        yield Static("", id="cl-title")
        yield Static("", id="cl-info")
        yield Static("", id="cl-progress")
        yield CursorList(id="cl-items")
        yield Static("", id="cl-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.load(audit_read=True)

    def redraw_parts(self) -> None:
        if self.plan is not None:
            self.draw()

    # -- drawing ---------------------------------------------------------------------------------------------------
    def draw(self) -> None:
        from hrtui.domain import plans as P

        p, lang, today = self.plan, self.lang, self.today
        title = Text()
        title.append(t("checklist.title", lang) + " · ", style="bold")
        title.append(f"{p.number} {p.name(lang)}", style="bold")
        title.append(f" · {p.department_code or '—'} · ")
        title.append(p.state_text(lang), style="bold")
        if p.running and p.start_date and p.deadline:
            start, end = _dt.date.fromisoformat(p.start_date), _dt.date.fromisoformat(p.deadline)
            title.append("  " + t("checklist.day", lang, day=max(0, (today - start).days) + 1,
                                  days=(end - start).days + 1), style=self.part_style("muted"))
        self.query_one("#cl-title", Static).update(title)

        muted = self.part_style("muted")
        info = Text(t("checklist.dates", lang, midterm=p.midterm or "—", deadline=p.deadline or "—"), style=muted)
        if p.running:
            info.append(" · ", style=muted)
            if p.acknowledged_at:
                info.append(t("plan.cli.ack_yes", lang, at=p.acknowledged_at[:10]), style=self.part_style("ok"))
            elif P.can_acknowledge(self.app.actor, p):
                info.append(t("checklist.ack_please", lang), style=self.part_style("warning") + Style(bold=True))
            else:
                info.append(t("plan.cli.ack_no", lang), style=self.part_style("warning"))
        self.query_one("#cl-info", Static).update(info)

        done, total = p.progress
        late = sum(1 for i in p.items if p.running and i.overdue_days(today))
        bar = progress_bar(done, total, done_style=self.part_style("ok") + Style(bold=True), rest_style=muted)
        bar.append(" " + t("checklist.progress", lang, done=done, total=total,
                           pct=round(done / total * 100) if total else 0))
        if late:
            bar.append("  " + t("checklist.late", lang, n=late), style=self.part_style("late"))
        self.query_one("#cl-progress", Static).update(bar)

        olist = self.query_one("#cl-items", CursorList)
        keep = olist.highlighted
        options, self.rows = [], []
        milestones = [(p.midterm, t("checklist.midterm", lang)), (p.deadline, t("checklist.deadline", lang))]
        width = self._drawn_width = self._list_width(olist)
        text_w = max(12, width - 36)
        for item in p.items:
            while milestones and milestones[0][0] and milestones[0][0] < item.due_date:
                options.append(self._milestone(*milestones.pop(0), width))
                self.rows.append(None)
            options.append(Option(self._line(item, text_w), id=item.id))
            self.rows.append(item.id)
        for day, label in milestones:
            if day:
                options.append(self._milestone(day, label, width))
                self.rows.append(None)
        olist.set_options(options)
        if options:
            first = next((i for i, r in enumerate(self.rows) if r is not None), 0)
            olist.highlighted = keep if keep is not None and keep < len(options) and self.rows[keep] else first
        self._draw_detail()
        self.refresh_bindings()
        self.call_after_refresh(self._check_width)

    def _check_width(self) -> None:
        """Drawn before the list was laid out (or before a scrollbar took its cells): draw again at its width."""
        width = self.query_one("#cl-items", CursorList).scrollable_content_region.width
        if self.plan is not None and width and max(30, width) != self._drawn_width:
            self.draw()

    def _list_width(self, olist: OptionList) -> int:
        """Cells a line of the list may take: the list's content width once laid out, else the screen's less the
        list's padding (and a cell to spare for a scrollbar), so a full-width line never wraps."""
        width = olist.scrollable_content_region.width
        if not width:
            width = (self.app.size.width or 80) - 3
        return max(30, width)

    def _milestone(self, day: str, label: str, width: int) -> Option:
        """`── label day ─────…` filling the line. Measured in cells: a CJK label takes two per character."""
        head = crop(f"── {label} {day} ", width)
        line = Text(head + "─" * max(0, width - cell_len(head)))   # in the list's disabled colour (plans.tcss)
        return Option(line, disabled=True)

    def _line(self, item, text_w: int) -> Text:
        lang, p, today = self.lang, self.plan, self.today
        late = p.running and item.overdue_days(today)
        late_style, muted = self.part_style("late"), self.part_style("muted")
        line = Text()
        if item.done:
            line.append("[✓] ", style=self.part_style("ok"))
        elif late:
            line.append("[!] ", style=late_style)
        else:
            line.append("[ ] ")
        line.append(set_cell_size(crop(item.text(lang), text_w), text_w), style=self.part_style("done") if item.done else
                    (late_style if late else ""))
        line.append(" " + set_cell_size(t(f"plan.owner.{item.owner}", lang), 8))
        line.append(f" {item.due_date}", style=late_style if late else "")
        if item.done:
            note = t("plan.cli.done_on", lang, day=item.done_on[5:])
        elif late:
            note = t("plan.cli.overdue", lang, n=item.overdue_days(today))
        elif p.running:
            days = (_dt.date.fromisoformat(item.due_date) - today).days
            note = t("checklist.in_days", lang, n=days) if days else t("checklist.today", lang)
        else:
            note = ""
        line.append(f" {note}", style=late_style if late else muted)
        return line

    def _current(self):
        olist = self.query_one("#cl-items", CursorList)
        if olist.highlighted is None or olist.highlighted >= len(self.rows):
            return None
        iid = self.rows[olist.highlighted]
        return self.plan.item(iid) if iid else None

    def _draw_detail(self) -> None:
        from hrtui.domain import plans as P

        item, lang, p = self._current(), self.lang, self.plan
        detail = Text()
        if item is not None:
            detail.append(item.text(lang) + "\n")
            goal = p.goal(item.goal_id)
            parts = [t("checklist.owner", lang, owner=t(f"plan.owner.{item.owner}", lang))]
            if goal:
                parts.append(t("checklist.goal", lang, goal=goal.name(lang), target=goal.target_text(lang)))
            if item.done and item.done_by:
                parts.append(t("checklist.done_by", lang, day=item.done_on, who=item.done_by))
            detail.append(" · ".join(parts), style=self.part_style("muted"))
            if p.running and not P.can_check(self.app.actor, p, item):
                detail.append("\n" + t("checklist.not_yours", lang, owner=t(f"plan.owner.{item.owner}", lang)),
                              style="italic")
        self.query_one("#cl-detail", Static).update(detail)

    @on(CursorList.OptionHighlighted, "#cl-items")
    def _moved(self) -> None:
        if self.plan is not None:
            self._draw_detail()
            self.refresh_bindings()

    @on(CursorList.OptionSelected, "#cl-items")
    def _selected(self) -> None:
        self.action_plan_toggle()

    # -- actions ---------------------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters) -> bool | None:
        from hrtui.access.policy import can
        from hrtui.domain import plans as P

        p = self.plan
        if action == "plan_toggle" and (p is None or not p.running):
            return False      # an item the viewer may not tick: the key answers with the reason (and the line says it)
        if action == "plan_ack":
            return p is not None and P.can_acknowledge(self.app.actor, p)
        if action == "edit_plan":
            return can(self.app.actor, "write", "plans") and p is not None and p.state != "closed"
        return super().check_action(action, parameters)

    def action_plan_toggle(self) -> None:
        from hrtui.domain import plans as P

        item = self._current()
        if item is None or not self.app.refuse_unless("plan_toggle"):
            return
        try:
            P.set_done(self.app.actor, item.id, not item.done, self.lang)
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.load()

    def action_plan_ack(self) -> None:
        from hrtui.domain import plans as P

        if not self.app.refuse_unless("plan_ack"):
            return
        try:
            P.acknowledge(self.app.actor, self.plan_id, self.lang)
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.notify(t("plan.cli.acknowledged", self.lang), markup=False)
        self.load()

    def action_edit_plan(self) -> None:
        from hrtui.tui.screens.plan import PlanScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, PlanScreen) and screen.plan_id == self.plan_id:
                self.app.pop_screen()
                return
        self.app.push_screen(PlanScreen(self.plan_id))

    def on_resize(self) -> None:
        if self.plan is not None:
            self.draw()

    def palette_commands(self) -> list[tuple[str, str, object]]:
        lang = self.lang
        cmds = []
        if self.check_action("plan_toggle", ()):
            cmds.append((t("cmd.plan.toggle", lang), "", self.action_plan_toggle))
        if self.check_action("plan_ack", ()):
            cmds.append((t("cmd.checklist.ack", lang), t("cmd.checklist.ack.help", lang), self.action_plan_ack))
        if self.check_action("edit_plan", ()):
            cmds.append((t("cmd.checklist.edit", lang), "", self.action_edit_plan))
        cmds.append((t("cmd.plans.effect", lang), "", self.action_effect))
        cmds.append((t("cmd.inbox.open", lang), t("cmd.inbox.open.help", lang), self.app.action_open_inbox))
        cmds.append((t("cmd.back", lang), t("cmd.back.help", lang), self.app.pop_screen))
        return cmds



register(
    {
        "bind.checklist.back": "Back", "bind.checklist.toggle": "Done", "bind.checklist.ack": "Acknowledge",
        "bind.checklist.edit": "Edit plan", "bind.checklist.effect": "Effect",
        "checklist.title": "Checklist",
        "checklist.day": "day {day} of {days}",
        "checklist.dates": "mid-term check {midterm} · deadline {deadline}",
        "checklist.ack_please": "please read your plan and press a to acknowledge it",
        "checklist.progress": "{done}/{total} done ({pct}%)",
        "checklist.late": "{n} overdue",
        "checklist.midterm": "mid-term check", "checklist.deadline": "deadline",
        "checklist.in_days": "in {n} d", "checklist.today": "today",
        "checklist.owner": "owner: {owner}", "checklist.goal": "for {goal} (target {target})",
        "checklist.done_by": "done {day} by {who}",
        "checklist.not_yours": "Owned by the {owner}: you can see it, not tick it.",
        "cmd.checklist.ack": "Acknowledge my plan", "cmd.checklist.ack.help": "Confirm you have read your plan",
        "cmd.checklist.edit": "Edit the plan",
    },
    {
        "bind.checklist.back": "返回", "bind.checklist.toggle": "完成", "bind.checklist.ack": "确认计划",
        "bind.checklist.edit": "编辑计划", "bind.checklist.effect": "效果",
        "checklist.title": "清单",
        "checklist.day": "第 {day}/{days} 天",
        "checklist.dates": "中期检查 {midterm} · 截止 {deadline}",
        "checklist.ack_please": "请阅读你的计划，按 a 确认",
        "checklist.progress": "已完成 {done}/{total}（{pct}%）",
        "checklist.late": "逾期 {n} 项",
        "checklist.midterm": "中期检查", "checklist.deadline": "截止",
        "checklist.in_days": "还有 {n} 天", "checklist.today": "今天",
        "checklist.owner": "负责人：{owner}", "checklist.goal": "对应{goal}（目标 {target}）",
        "checklist.done_by": "{day} 由 {who} 完成",
        "checklist.not_yours": "由{owner}负责：你可以查看，不能勾选。",
        "cmd.checklist.ack": "确认我的计划", "cmd.checklist.ack.help": "确认你已阅读自己的计划",
        "cmd.checklist.edit": "编辑计划",
    },
)
