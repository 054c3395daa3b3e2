"""The import screen (issue 8): choose a kind and type a file path; see the first rows, how each column is read and
every error; dry-run, then import, with a progress bar. Keyboard only: Tab moves between the fields, F4 previews,
F5 dry-runs, F9 imports, Esc cancels a running import or goes back.

Reading and writing run in a thread worker (its own DB connection); the worker never touches a widget, it posts
messages. Only admin and hr may open it (the access policy's "write import").
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from functools import partial

from rich.cells import set_cell_size
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Checkbox, DataTable, Input, Label, ProgressBar, RichLog, Select, Static
from textual.worker import get_current_worker

import hrtui.transfer.messages  # noqa: F401  (registers the import.* texts)
from hrtui.access.policy import can
from hrtui.errors import UserError
from hrtui.i18n import t
from hrtui.transfer.kinds import KINDS, ORDER
from hrtui.tui.screens.base import HRScreen, style
from hrtui.tui.widgets.key_bar import KeyBar


PROGRESS_EVERY = 0.5   # seconds between progress repaints (≤ 2 Hz)
MAX_LOG_LINES = 1000


def open_import_screen(app) -> None:
    """F6 on the roster and the palette entry: refuse roles that may not import, else show the screen."""
    if not app.refuse_unless("open_import"):
        return
    for screen in app.screen_stack:
        if isinstance(screen, ImportScreen):
            while app.screen is not screen:
                app.pop_screen()
            return
    app.push_screen(ImportScreen())


def importable_kinds(actor) -> list[str]:
    return [k for k in ORDER if can(actor, "write", KINDS[k].resource)]


class ImportScreen(HRScreen):
    CSS_PATH = style("import")
    BINDINGS = [
        Binding("f4", "preview", "Preview", id="import.preview"),
        Binding("f5", "run(True)", "Dry run", id="import.dry_run"),
        Binding("f9", "run(False)", "Import", id="import.run"),
        Binding("escape", "back", "Back", id="import.back"),
        Binding("f7", "app.toggle_lang", "中文", id="app.lang"),
        Binding("ctrl+q", "app.quit", "Quit", id="app.quit"),
    ]
    AUTO_FOCUS = "#imp-kind"

    @dataclass
    class Previewed(Message):
        preview: object

    @dataclass
    class Progress(Message):
        fraction: float
        rows: int

    @dataclass
    class Finished(Message):
        report: object

    @dataclass
    class Failed(Message):
        error: Exception

    def __init__(self) -> None:
        super().__init__()
        self.report = None          # the last report (its errors re-render when the language changes)
        self.failure: Exception | None = None
        self.running = False
        self.committed = False      # something was imported: the roster reloads on the way back
        self._worker = None
        self._choice: tuple | None = None
        self.shown = None           # the last preview

    @property
    def lang(self) -> str:
        return self.app.lang

    # -- layout ----------------------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        lang = self.lang
        kinds = importable_kinds(self.app.actor)
        with Horizontal(id="imp-top"):
            yield Static(t("import.title", lang), id="imp-title")
            yield Static(self.app.sub_title_text, id="imp-user")
        with Horizontal(classes="imp-row"):
            yield Label(t("import.kind", lang), id="imp-kind-label", classes="imp-label")
            yield Select(self._kind_options(kinds), value="scores" if "scores" in kinds else kinds[0],
                         allow_blank=False, id="imp-kind")
            yield Label(t("import.layout", lang), id="imp-layout-label", classes="imp-label")
            yield Select(self._layout_options(), value="native", allow_blank=False, id="imp-layout", disabled=True)
            yield Label(t("import.encoding", lang), id="imp-encoding-label", classes="imp-label")
            yield Select(self._encoding_options(), value="auto", allow_blank=False, id="imp-encoding")
        with Horizontal(classes="imp-row"):
            yield Label(t("import.file", lang), id="imp-file-label", classes="imp-label")
            yield Input(placeholder=t("import.path_hint", lang), id="imp-path")
            yield Checkbox(t("import.skip", lang), id="imp-skip")
        yield Static("", id="imp-info")
        yield Static(t("import.preview", lang), id="imp-preview-label", classes="imp-section")
        yield DataTable(id="imp-preview", show_cursor=False, zebra_stripes=True)
        yield Static("", id="imp-mapping")
        yield Static(t("import.errors", lang), id="imp-errors-label", classes="imp-section")
        yield RichLog(id="imp-errors", max_lines=MAX_LOG_LINES, wrap=True, markup=False, highlight=False,
                      min_width=1)  # wrap at the pane's width: the default 78 cuts the ends off
        with Horizontal(id="imp-progress-row"):
            yield ProgressBar(total=1.0, show_eta=False, id="imp-progress")
            yield Static("", id="imp-rows")
        yield Static(t("import.ready", lang), id="imp-status")
        yield KeyBar()

    def _kind_options(self, kinds: list[str]) -> list[tuple[str, str]]:
        return [(KINDS[k].label(self.lang) if self.lang == "en" else f"{KINDS[k].zh} {k}", k) for k in kinds]

    def _layout_options(self) -> list[tuple[str, str]]:
        return [(t("import.layout.native", self.lang), "native"), ("OrangeHRM", "orangehrm"),
                ("Frappe HRMS", "frappe")]  # the values of --layout

    def _encoding_options(self) -> list[tuple[str, str]]:
        return [(t("import.enc.auto", self.lang), "auto"), ("UTF-8", "utf-8"), ("GBK", "gbk")]

    # -- what the user chose ---------------------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        return self.query_one("#imp-kind", Select).value

    @property
    def path(self) -> str:
        return self.query_one("#imp-path", Input).value.strip()

    def options(self, dry_run: bool):
        from hrtui.transfer.engine import Options

        return Options(dry_run=dry_run, skip_invalid=self.query_one("#imp-skip", Checkbox).value,
                       encoding=self.query_one("#imp-encoding", Select).value,
                       layout=self.query_one("#imp-layout", Select).value if self.kind == "employees" else "native",
                       lang=self.lang)

    @on(Select.Changed)
    def _choice_changed(self) -> None:
        layout = self.query_one("#imp-layout", Select)
        layout.disabled = self.kind != "employees"
        if layout.disabled and layout.value != "native":
            layout.value = "native"
        choice = (self.kind, layout.value, self.query_one("#imp-encoding", Select).value)
        if choice != self._choice:  # (relabelling sets the same values again: no new preview for that)
            self._choice = choice
            self._auto_preview()

    @on(Input.Submitted, "#imp-path")
    def _path_submitted(self) -> None:
        self.action_preview()

    def _auto_preview(self) -> None:
        if self.path and not self.running:
            self.action_preview()

    # -- actions ---------------------------------------------------------------------------------------------------
    def _can_start(self) -> bool:
        """A file is chosen and no import is running; else the status line says which."""
        problem = "import.busy" if self.running else None if self.path else "import.no_file"
        if problem:
            self._status(t(problem, self.lang))
        return problem is None

    def action_preview(self) -> None:
        if self._can_start():
            self._preview(self.app.actor, self.kind, self.path, self.options(True))

    def action_run(self, dry_run: bool) -> None:
        if not self._can_start():
            return
        self.running = True
        self.report, self.failure = None, None
        self.query_one("#imp-errors", RichLog).clear()
        self.query_one("#imp-progress", ProgressBar).update(progress=0)
        self.query_one("#imp-rows", Static).update("")
        self._status(t("import.running", self.lang, rows=0))
        self._worker = self._import(self.app.actor, self.kind, self.path, self.options(dry_run))

    def action_back(self) -> None:
        if self.running and self._worker is not None:
            self._worker.cancel()  # the import checks after each batch, rolls back, and reports "cancelled"
            return
        committed = self.committed
        self.app.pop_screen()
        if committed:
            for screen in self.app.screen_stack:
                if hasattr(screen, "reload"):
                    screen.reload(keep_cursor=True)

    def palette_commands(self) -> list[tuple]:
        """The screen's actions for the command palette, with their keys."""
        lang = self.lang
        return [(t("import.cmd.preview", lang), t("import.cmd.preview.help", lang), self.action_preview),
                (t("import.cmd.dry_run", lang), t("import.cmd.dry_run.help", lang), partial(self.action_run, True)),
                (t("import.cmd.run", lang), t("import.cmd.run.help", lang), partial(self.action_run, False))]

    # -- workers (no widget is touched in a thread) ----------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="import-preview")
    def _preview(self, actor, kind: str, path: str, options) -> None:
        from hrtui.store.db import database
        from hrtui.transfer.engine import preview

        try:
            self.post_message(self.Previewed(preview(actor, kind, path, options)))
        except UserError as exc:
            self.post_message(self.Failed(exc))
        finally:
            database.close()  # this thread's own connection

    @work(thread=True, exclusive=True, exit_on_error=False, group="import-run")
    def _import(self, actor, kind: str, path: str, options) -> None:
        from hrtui.store.db import database
        from hrtui.transfer.engine import run_import

        worker = get_current_worker()
        last = [0.0]

        def progress(fraction: float, rows: int) -> None:
            now = time.monotonic()
            if now - last[0] >= PROGRESS_EVERY:
                last[0] = now
                self.post_message(self.Progress(fraction, rows))

        try:
            report = run_import(actor, kind, path, options, progress=progress,
                                cancelled=lambda: worker.is_cancelled)
            self.post_message(self.Finished(report))
        except UserError as exc:
            self.post_message(self.Failed(exc))
        except Exception as exc:  # a bug must not kill the screen: say so in one line
            self.post_message(self.Failed(exc))
        finally:
            database.close()

    # -- results ---------------------------------------------------------------------------------------------------
    @on(Previewed)
    def _show_preview(self, message: Previewed) -> None:
        p = message.preview
        self.failure = None
        table = self.query_one("#imp-preview", DataTable)
        table.clear(columns=True)
        width = max(1, len(p.header))
        table.add_column("#", key="row")
        for i, h in enumerate(p.header):
            table.add_column(set_cell_size(h, min(14, max(4, len(h) * 2))) if h else "·", key=f"c{i}")
        for row, cells in p.rows:
            cells = (cells + [""] * width)[:width]
            table.add_row(str(row), *[c[:14] for c in cells])
        self.shown = p
        self._render_mapping()
        self.query_one("#imp-errors", RichLog).clear()
        self.report = None
        self._status(t("import.ready", self.lang))

    def _render_mapping(self) -> None:
        from hrtui.transfer.engine import describe_column

        p, lang = self.shown, self.lang
        if p is None:
            return
        cols = " · ".join(f"{h} → {describe_column(p.kind, k, lang)}" for h, k in p.columns)
        if p.ignored:
            cols += "  |  " + t("import.sum.ignored", lang, columns=", ".join(p.ignored))
        self.query_one("#imp-mapping", Static).update(t("import.sum.columns", lang, columns=cols))
        self.query_one("#imp-info", Static).update(self._format_text(p.file_type, p.encoding, p.delimiter, p.sheet))

    @on(Progress)
    def _show_progress(self, message: Progress) -> None:
        self.query_one("#imp-progress", ProgressBar).update(progress=message.fraction)
        self.query_one("#imp-rows", Static).update(t("import.running", self.lang, rows=f"{message.rows:,}"))

    @on(Finished)
    def _show_report(self, message: Finished) -> None:
        self.running = False
        self.report = message.report
        self.committed = self.committed or (message.report.committed and
                                            bool(message.report.new or message.report.updated))
        self.query_one("#imp-progress", ProgressBar).update(progress=1.0)
        self._render_report()

    @on(Failed)
    def _show_failure(self, message: Failed) -> None:
        self.running = False
        self.failure = message.error
        self.query_one("#imp-progress", ProgressBar).update(progress=0)
        self._render_report()

    def _render_report(self) -> None:
        lang = self.lang
        log = self.query_one("#imp-errors", RichLog)
        log.clear()
        if self.failure is not None:
            text = self.failure.message(lang) if hasattr(self.failure, "message") else str(self.failure)
            if not isinstance(self.failure, UserError):
                text = f"{type(self.failure).__name__}: {text}"
            log.write(text)
            self._status(text)
            return
        r = self.report
        if r is None:
            return
        from hrtui.transfer.commands import error_lines

        self.query_one("#imp-info", Static).update(self._format_text(r.file_type, r.encoding, r.delimiter, r.sheet))
        for line in error_lines(r, lang, limit=MAX_LOG_LINES) or [t("import.no_errors", lang)]:
            log.write(line)
        self.query_one("#imp-rows", Static).update("")
        counts = dict(rows=r.rows, new=r.new, updated=r.updated, unchanged=r.unchanged, invalid=r.invalid)
        if r.dry_run:
            text = t("import.dry_done", lang, **counts)
        elif r.committed:
            text = t("import.done", lang, **counts)
            if r.rejects:
                text += " " + t("import.sum.rejects", lang, count=r.invalid, path=r.rejects.name)
        else:
            text = t("import.sum.failed_tui", lang, invalid=r.invalid)
        self._status(text)

    def _format_text(self, file_type, encoding, delimiter, sheet) -> str:
        if file_type == "xlsx":
            return t("import.format.xlsx", self.lang, sheet=sheet)
        return t("import.format.csv", self.lang, encoding=encoding, delimiter=delimiter)

    def _status(self, text: str) -> None:
        self.query_one("#imp-status", Static).update(text)

    # -- language --------------------------------------------------------------------------------------------------
    def relabel(self) -> None:
        lang = self.lang
        for wid, key in (("#imp-title", "import.title"), ("#imp-kind-label", "import.kind"),
                         ("#imp-layout-label", "import.layout"), ("#imp-encoding-label", "import.encoding"),
                         ("#imp-file-label", "import.file"), ("#imp-preview-label", "import.preview"),
                         ("#imp-errors-label", "import.errors")):
            self.query_one(wid).update(t(key, lang))
        self.query_one("#imp-user", Static).update(self.app.sub_title_text)
        self.query_one("#imp-path", Input).placeholder = t("import.path_hint", lang)
        self.query_one("#imp-skip", Checkbox).label = t("import.skip", lang)
        kind = self.query_one("#imp-kind", Select)
        for select, options in ((kind, self._kind_options(importable_kinds(self.app.actor))),
                                (self.query_one("#imp-layout", Select), self._layout_options()),
                                (self.query_one("#imp-encoding", Select), self._encoding_options())):
            value = select.value
            select.set_options(options)
            if len(options) > 1 and value == options[0][1]:
                select.value = options[1][1]  # set_options keeps an unchanged first value's old label: off and back
            select.value = value
        self._render_mapping()
        if self.report is not None or self.failure is not None:
            self._render_report()
        else:
            self._status(t("import.ready", lang))
