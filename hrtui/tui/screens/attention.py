"""Needs attention: everyone in the actor's scope with a key shortfall, most severe first — HR's daily entry point.

F2 cycles the department filter, F3 the dimension filter, Enter opens the portrait; the lines under the list explain
the selected employee's flags. The scan (`hrtui.domain.attention.attention`) runs in a worker thread: over 100k
employees it takes about as long as one SQL aggregate of the window.
"""
from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from hrtui.errors import UserError
from hrtui.i18n import register, t
from hrtui.tui.screens.base import HRScreen, style
from hrtui.tui.widgets.attention_view import AttentionView, fit, layout
from hrtui.tui.widgets.key_bar import KeyBar


class AttentionScreen(HRScreen):
    CSS_PATH = style("attention")
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="attention.back"),
        Binding("f2", "next_department", "Department", id="attention.department"),
        Binding("f3", "next_dimension", "Dimension", id="attention.dimension"),
        Binding("f5", "refresh", "Refresh", id="attention.refresh"),
        Binding("f7", "app.toggle_lang", "中文", id="app.lang"),
        Binding("ctrl+q", "app.quit", "Quit", id="app.quit"),
    ]
    AUTO_FOCUS = "AttentionView"

    class Loaded(Message):
        def __init__(self, generation: int, result, departments, dimensions, error: str | None) -> None:
            super().__init__()
            self.generation, self.result, self.error = generation, result, error
            self.departments, self.dimensions = departments, dimensions

    def __init__(self, department: str | None = None, dimension: str | None = None) -> None:
        super().__init__()
        self.department = department
        self.dimension = dimension
        self.departments: list[tuple[str, str, str]] = []
        self.dimensions: list[tuple[str, str, str]] = []
        self.result = None
        self.scanning = True
        self._generation = 0

    @property
    def lang(self) -> str:
        return self.app.lang

    def compose(self) -> ComposeResult:
        yield Static("", id="attention-top")
        yield Static("", id="attention-header")
        yield AttentionView(self.lang, id="attention-list")
        yield Static("", id="attention-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self._draw_top()
        self._draw_header()
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        self.scanning = True
        self._draw_top()
        self._scan(self._generation, self.department, self.dimension, self.lang)

    @work(thread=True, exclusive=True, group="attention", exit_on_error=False)
    def _scan(self, generation: int, department: str | None, dimension: str | None, lang: str) -> None:
        from hrtui.domain.attention import attention, department_choices, dimension_choices
        from hrtui.domain.portrait import close_thread_connection

        actor = self.app.actor
        try:
            result = attention(actor, department, dimension, lang=lang)
            self.post_message(self.Loaded(generation, result, department_choices(actor), dimension_choices(), None))
        except UserError as exc:
            self.post_message(self.Loaded(generation, None, [], [], str(exc)))
        finally:
            close_thread_connection()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.scanning = False
            self.notify(t("attention.ui.failed", self.lang, error=type(event.worker.error).__name__),
                        severity="error", markup=False)
            self._draw_top()

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.generation != self._generation:
            return
        self.scanning = False
        if message.error:
            self.notify(message.error, severity="error", markup=False)
            self._draw_top()
            return
        self.result = message.result
        self.departments, self.dimensions = message.departments, message.dimensions
        self.query_one(AttentionView).show(self.result.rows)
        self._draw_top()
        self._draw_detail()

    # -- drawing ---------------------------------------------------------------------------------------------
    def _name_of(self, code: str | None, choices, with_code: bool = True) -> str:
        if code is None:
            return t("attention.ui.all", self.lang)
        for c, zh, en in choices:
            if c == code:
                name = zh if self.lang == "zh" else en
                return f"{c} {name}" if with_code else name
        return code

    def _draw_top(self) -> None:
        """Two lines: what this is and how many; then the filters in force (F2 / F3 change them)."""
        lang = self.lang
        text = Text()
        text.append(t("attention.ui.title", lang), style="bold")
        if self.scanning:
            text.append("  " + t("attention.ui.loading", lang), style="italic")
        elif self.result is not None:
            text.append("  " + t("attention.ui.count", lang, n=len(self.result.rows)), style="bold")
        if self.result is not None:
            w = self.result.window
            text.append("  " + t("attention.ui.window", lang, first=w[0], last=w[-1], n=len(w)), style="dim")
        department = self._name_of(self.department, self.departments)
        dimension = self._name_of(self.dimension, self.dimensions, with_code=False)
        text.append("\n" + t("attention.ui.department", lang, name=department))
        text.append("   " + t("attention.ui.dimension", lang, name=dimension))
        self.query_one("#attention-top", Static).update(text)

    def _draw_header(self) -> None:
        view = self.query_one(AttentionView)
        width = view.size.width or self.app.size.width
        parts = []
        for key, w, right in layout(width):
            title = "" if key == "count" else t(f"attention.col.{key}", self.lang)
            parts.append(fit(title, w, right))
        self.query_one("#attention-header", Static).update(Text("".join(parts)))

    def _draw_detail(self) -> None:
        view = self.query_one(AttentionView)
        row = view.current
        detail = Text()
        if row is None:
            if not self.scanning and self.result is not None:
                detail.append(t("attention.ui.empty", self.lang), style="italic")
        else:
            window = len(self.result.window)
            detail.append(f"{row.number} {row.name(self.lang)}: ", style="bold")
            detail.append("；".join(f.explanation(self.lang, window) for f in row.flags) if self.lang == "zh"
                          else "; ".join(f.explanation(self.lang, window) for f in row.flags))
        self.query_one("#attention-detail", Static).update(detail)

    @on(AttentionView.Moved)
    def _moved(self) -> None:
        if self.result is not None:
            self._draw_detail()

    @on(AttentionView.Opened)
    def _open(self, event: AttentionView.Opened) -> None:
        self.app.open_employee(event.row.number)

    def on_resize(self) -> None:
        self._draw_header()

    # -- actions ---------------------------------------------------------------------------------------------
    def set_filter(self, department: str | None = ..., dimension: str | None = ...) -> None:
        if department is not ...:
            self.department = department
        if dimension is not ...:
            self.dimension = dimension
        self.reload()

    def _cycle(self, current: str | None, choices) -> str | None:
        codes = [None] + [c for c, _zh, _en in choices]
        return codes[(codes.index(current) + 1) % len(codes)] if current in codes else None

    def action_next_department(self) -> None:
        self.set_filter(department=self._cycle(self.department, self.departments))

    def action_next_dimension(self) -> None:
        self.set_filter(dimension=self._cycle(self.dimension, self.dimensions))

    def action_refresh(self) -> None:
        self.reload()

    def relabel(self) -> None:
        """Language changed: every row carries both languages' names, so redraw without scanning again."""
        view = self.query_one(AttentionView)
        view.lang = self.lang
        view.refresh()
        self._draw_header()
        self._draw_top()
        if self.result is not None:
            self._draw_detail()

    def palette_commands(self) -> list[tuple[str, str, object]]:
        lang = self.lang
        cmds = [(t("cmd.attention.portrait", lang), t("cmd.attention.portrait.help", lang),
                 self.query_one(AttentionView).action_open)]
        cmds.append((t("cmd.attention.department", lang, name=t("attention.ui.all", lang)),
                     t("cmd.attention.filter.help", lang), partial(self.set_filter, department=None)))
        for code, zh, en in self.departments:
            cmds.append((t("cmd.attention.department", lang, name=f"{code} {zh if lang == 'zh' else en}"),
                         t("cmd.attention.filter.help", lang), partial(self.set_filter, department=code)))
        cmds.append((t("cmd.attention.dimension", lang, name=t("attention.ui.all", lang)),
                     t("cmd.attention.filter.help", lang), partial(self.set_filter, dimension=None)))
        for code, zh, en in self.dimensions:
            cmds.append((t("cmd.attention.dimension", lang, name=zh if lang == "zh" else en),
                         t("cmd.attention.filter.help", lang), partial(self.set_filter, dimension=code)))
        cmds.append((t("cmd.attention.refresh", lang), t("cmd.attention.refresh.help", lang), self.reload))
        cmds.append((t("cmd.back", lang), t("cmd.back.help", lang), self.app.pop_screen))
        return cmds


register(
    { "bind.attention.back": "Back", "bind.attention.department": "Dept",
        "bind.attention.dimension": "Dimension", "bind.attention.refresh": "Refresh",
        "bind.attention.portrait": "Portrait",
        "attention.ui.title": "Needs attention",
        "attention.ui.department": "Dept: {name}",
        "attention.ui.dimension": "Dimension: {name}",
        "attention.ui.all": "all",
        "attention.ui.window": "window {first}..{last} ({n} months)",
        "attention.ui.loading": "scanning…",
        "attention.ui.count": "{n} employees",
        "attention.ui.empty": "Nobody in this view has a key shortfall.",
        "attention.ui.failed": "The needs-attention scan failed ({error}).",
        "cmd.attention.portrait": "Open the portrait", "cmd.attention.portrait.help": "Of the selected employee",
        "cmd.attention.department": "Needs attention: department {name}",
        "cmd.attention.dimension": "Needs attention: dimension {name}",
        "cmd.attention.filter.help": "Filter the needs-attention list",
        "cmd.attention.refresh": "Refresh needs attention", "cmd.attention.refresh.help": "Scan again",
    },
    { "bind.attention.back": "返回", "bind.attention.department": "部门",
        "bind.attention.dimension": "维度", "bind.attention.refresh": "刷新",
        "bind.attention.portrait": "画像",
        "attention.ui.title": "需关注",
        "attention.ui.department": "部门：{name}",
        "attention.ui.dimension": "维度：{name}",
        "attention.ui.all": "全部",
        "attention.ui.window": "时段 {first}..{last}（{n} 个月）",
        "attention.ui.loading": "扫描中…",
        "attention.ui.count": "{n} 人",
        "attention.ui.empty": "当前范围内没有存在关键短板的员工。",
        "attention.ui.failed": "“需关注”扫描失败（{error}）。",
        "cmd.attention.portrait": "打开画像", "cmd.attention.portrait.help": "选中员工的画像",
        "cmd.attention.department": "需关注：部门 {name}",
        "cmd.attention.dimension": "需关注：维度 {name}",
        "cmd.attention.filter.help": "筛选需关注名单",
        "cmd.attention.refresh": "刷新需关注名单", "cmd.attention.refresh.help": "重新扫描",
    },
)
