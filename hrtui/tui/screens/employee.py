"""A plain employee detail view (the portrait screen replaces it as the entry point)."""
from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from hrtui.tui.screens.base import HRScreen
from textual.widgets import Static

from hrtui.domain.people import EmployeeCard
from hrtui.i18n import t
from hrtui.tui.widgets.key_bar import KeyBar


class EmployeeScreen(HRScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="employee.back"),
                Binding("ctrl+q", "app.quit", "Quit", id="app.quit")]

    def __init__(self, card: EmployeeCard) -> None:
        super().__init__()
        self.card = card

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        c = self.card
        none = t("detail.none", lang)
        rows = [
            ("detail.number", c.number), ("detail.name", f"{c.name_zh}  {c.name_en}".strip()),
            ("detail.department", c.department(lang)), ("detail.position", c.position(lang)),
            ("detail.manager", c.manager(lang) or none), ("detail.hire_date", c.hire_date or none),
            ("detail.status", t(f"status.{c.status}", lang)), ("detail.email", c.email or none),
            ("detail.score", none if c.score is None else f"{c.score:.1f}"),
        ]
        width = max(cell_len(t(k, lang)) for k, _ in rows) + 2
        body = "\n".join(f"[b]{escape(set_cell_size(t(k, lang), width))}[/b] {escape(str(v))}" for k, v in rows)
        yield Static(f"[b]{escape(t('detail.title', lang, number=c.number))}[/b]", id="detail-title")
        with VerticalScroll():
            yield Static(body, id="detail-body")
        yield KeyBar()
