"""The audit log for admins: newest first, filter by actor or action, verify the hash chain."""
from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from hrtui.access import audit
from hrtui.cells import crop
from hrtui.i18n import register, t
from hrtui.tui.screens.base import HRScreen
from hrtui.tui.widgets.key_bar import KeyBar

register(
    {"audit.title": "Audit log", "audit.filter": "Filter: actor or action prefix (login., user., portrait.)",
     "audit.hint": "F5 verifies the hash chain of the whole log.",
     "audit.checking": "Verifying the hash chain…",
     "audit.ok": "Chain verified: {count} entries intact.", "audit.broken": "Audit chain broken: {first}",
     "audit.col.seq": "#", "audit.col.at": "Time (UTC)", "audit.col.actor": "Actor", "audit.col.action": "Action",
     "audit.col.record": "Record", "bind.audit.verify": "Verify", "bind.audit.back": "Back"},
    {"audit.title": "审计日志", "audit.filter": "筛选：操作人或操作前缀（login.、user.、portrait.）",
     "audit.hint": "按 F5 校验整个日志的哈希链。",
     "audit.checking": "正在校验哈希链…",
     "audit.ok": "哈希链校验通过：{count} 条记录完整。", "audit.broken": "审计链被破坏：{first}",
     "audit.col.seq": "#", "audit.col.at": "时间（UTC）", "audit.col.actor": "操作人", "audit.col.action": "操作",
     "audit.col.record": "记录", "bind.audit.verify": "校验", "bind.audit.back": "返回"},
)


# Column widths at 80 columns: 69 cells of text + 2 cells of padding per column + a 1-cell scrollbar = 80.
COLUMNS = (("seq", 6), ("at", 19), ("actor", 10), ("action", 22), ("record", 12))


class AuditScreen(HRScreen):
    # Title, filter and result line take one row each; the table gets the rest (and the only scrollbar), so the
    # whole screen fits 80×24 and never scrolls as a whole.
    CSS = """
    AuditScreen { overflow: hidden hidden; }
    #audit-title { height: 1; padding: 0 1; background: $panel; }
    #audit-filter { border: none; height: 1; padding: 0 1; background: $surface; }
    #audit-filter:focus { background: $boost; }
    #audit-table { height: 1fr; scrollbar-size-vertical: 1; overflow-x: hidden; }
    #audit-status { height: auto; max-height: 3; padding: 0 1; }
    """
    BINDINGS = [Binding("f5", "verify", "Verify", id="audit.verify"),
                Binding("escape", "app.pop_screen", "Back", id="audit.back")]
    AUTO_FOCUS = "DataTable"

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        yield Static(f"[b]{t('audit.title', lang)}[/b]", id="audit-title")
        yield Input(placeholder=t("audit.filter", lang), id="audit-filter")
        yield DataTable(id="audit-table", cursor_type="row", zebra_stripes=True)
        yield Static(t("audit.hint", lang), id="audit-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        lang = self.app.lang
        table = self.query_one(DataTable)
        for key, width in COLUMNS:
            table.add_column(t(f"audit.col.{key}", lang), key=key, width=width)
        self.load()

    def load(self, text: str = "") -> None:
        text = text.strip()
        by_actor = [e for e in audit.entries(actor_name=text, limit=500)] if text and "." not in text else []
        rows = by_actor or audit.entries(action=text or None, limit=500)
        labels = audit.record_labels(e.record for e in rows)
        table = self.query_one(DataTable)
        table.clear()
        for e in rows:
            table.add_row(str(e.seq), e.at[:19].replace("T", " "), crop(e.actor, 10), crop(e.action, 22),
                          crop(labels.get(e.record, e.record), 12))

    @on(Input.Changed, "#audit-filter")
    def _filter(self, event: Input.Changed) -> None:
        self.load(event.value)

    def action_verify(self) -> None:
        self.query_one("#audit-status", Static).update(t("audit.checking", self.app.lang))
        self._verify()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _verify(self) -> None:
        from hrtui.store.db import database

        problems = audit.verify()
        count = database.execute_sql("SELECT count(*) FROM audit").fetchone()[0]
        lang = self.app.lang
        text = t("audit.broken", lang, first=str(problems[0])) if problems else t("audit.ok", lang, count=count)
        self.app.call_from_thread(self.query_one("#audit-status", Static).update, text)
