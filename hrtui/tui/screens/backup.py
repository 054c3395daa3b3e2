"""Backups (admins): the last backup and its age, a banner on Fridays and when this week's backup is missing,
back up now with a progress bar, verify, and restore with a confirmation.

The work runs in thread workers (hrtui.transfer.backup); they post Progress messages and never touch widgets.
A restore is prepared in a worker and swapped in on the main thread, then the store is reopened on the new file.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from hrtui.access.policy import can
from hrtui.errors import UserError
from hrtui.i18n import register, t
from hrtui.transfer.files import human_size
from hrtui.tui.screens.base import HRScreen, style
from hrtui.tui.widgets.key_bar import KeyBar

register(
    {
        "backup.title": "Backups",
        "backup.db": "Database",
        "backup.folder": "Folder",
        "backup.recipients": "Encrypted to",
        "backup.recipients.none": "nobody yet: set recipients under [backup] in settings.toml",
        "backup.recipients.one": "1 recipient: {first}",
        "backup.recipients.n": "{count} recipients: {first}, …",
        "backup.weekdays": "Mon Tue Wed Thu Fri Sat Sun",
        "backup.last": "Last backup",
        "backup.last.none": "none yet",
        "backup.age.today": "today",
        "backup.age.yesterday": "yesterday",
        "backup.age.days": "{days} days ago",
        "backup.week": "This week ({week})",
        "backup.week.done": "done",
        "backup.week.missing": "missing",
        "backup.banner.friday_due": "Friday is backup day: this week's backup is still missing. Press b to back up now.",
        "backup.banner.overdue": "No backup yet this week ({week}). Press b to back up now.",
        "backup.banner.friday_done": "Friday is backup day: this week's backup is done.",
        "backup.list.empty": "No backups in this folder yet.",
        "backup.idle": "Select a backup with ↑↓: v verifies it, r restores it.",
        "backup.phase.export": "copying the database…",
        "backup.phase.check": "checking integrity…",
        "backup.phase.encrypt": "encrypting…",
        "backup.phase.decrypt": "decrypting…",
        "backup.phase.rebuild": "rebuilding the database…",
        "backup.phase.done": "done",
        "backup.done": "Backup written: {name} ({size}).",
        "backup.verified": "{name} is good: {summary}.",
        "backup.restored": "Restored from {name}. The previous database is kept as {aside}.",
        "backup.restored.exit": "Restored from {name}. Your account is not in that backup: start hrtui again.",
        "backup.failed": "{error}",
        "backup.busy": "Wait until the current operation has finished.",
        "backup.none_selected": "Select a backup first.",
        "backup.confirm.title": "Restore this backup?",
        "backup.confirm.body": ("The open database will be replaced by {name} ({taken}). The current database is kept "
                                "aside as {db}.before-restore-…, so this can be undone by hand."),
        "backup.confirm.yes": "Restore (y)",
        "backup.confirm.no": "Cancel (n)",
        "backup.cmd.run": "Back up now",
        "backup.cmd.verify": "Verify the selected backup",
        "backup.cmd.restore": "Restore the selected backup…",
        "bind.backup.run": "Back up now",
        "bind.backup.verify": "Verify",
        "bind.backup.restore": "Restore",
        "bind.backup.back": "Back",
        "bind.backup.yes": "Restore",
        "bind.backup.no": "Cancel",
    },
    {
        "backup.title": "备份",
        "backup.db": "数据库",
        "backup.folder": "备份目录",
        "backup.recipients": "加密给",
        "backup.recipients.none": "尚未设置：请在 settings.toml 的 [backup] 中填写 recipients",
        "backup.recipients.one": "1 个接收者：{first}",
        "backup.recipients.n": "{count} 个接收者：{first} 等",
        "backup.weekdays": "周一 周二 周三 周四 周五 周六 周日",
        "backup.last": "最近备份",
        "backup.last.none": "尚无",
        "backup.age.today": "今天",
        "backup.age.yesterday": "昨天",
        "backup.age.days": "{days} 天前",
        "backup.week": "本周（{week}）",
        "backup.week.done": "已完成",
        "backup.week.missing": "缺少",
        "backup.banner.friday_due": "今天是周五备份日：本周备份尚未完成。按 b 立即备份。",
        "backup.banner.overdue": "本周（{week}）还没有备份。按 b 立即备份。",
        "backup.banner.friday_done": "今天是周五备份日：本周备份已完成。",
        "backup.list.empty": "此目录中还没有备份。",
        "backup.idle": "用 ↑↓ 选择备份：v 校验，r 恢复。",
        "backup.phase.export": "正在复制数据库…",
        "backup.phase.check": "正在检查完整性…",
        "backup.phase.encrypt": "正在加密…",
        "backup.phase.decrypt": "正在解密…",
        "backup.phase.rebuild": "正在重建数据库…",
        "backup.phase.done": "完成",
        "backup.done": "备份已写入：{name}（{size}）。",
        "backup.verified": "{name} 完好：{summary}。",
        "backup.restored": "已从 {name} 恢复。原数据库保存为 {aside}。",
        "backup.restored.exit": "已从 {name} 恢复。该备份中没有您的账号：请重新启动 hrtui。",
        "backup.failed": "{error}",
        "backup.busy": "请等待当前操作完成。",
        "backup.none_selected": "请先选择一个备份。",
        "backup.confirm.title": "恢复此备份？",
        "backup.confirm.body": "当前数据库将被 {name}（{taken}）替换。当前数据库会另存为 {db}.before-restore-…，可手动撤回。",
        "backup.confirm.yes": "恢复 (y)",
        "backup.confirm.no": "取消 (n)",
        "backup.cmd.run": "立即备份",
        "backup.cmd.verify": "校验所选备份",
        "backup.cmd.restore": "恢复所选备份…",
        "bind.backup.run": "立即备份",
        "bind.backup.verify": "校验",
        "bind.backup.restore": "恢复",
        "bind.backup.back": "返回",
        "bind.backup.yes": "恢复",
        "bind.backup.no": "取消",
    },
)

# screen action -> (verb, resource) of the access policy
_NEEDS = {"run": ("write", "backup"), "verify": ("read", "backup"), "restore": ("write", "backup")}


def allowed(actor) -> bool:
    """May this actor see the backup screen at all (the palette and F9 offer it only then)."""
    return can(actor, "read", "backup")


def _when(taken: _dt.datetime, lang: str) -> str:
    day = t("backup.weekdays", lang).split()[taken.weekday()]
    return f"{taken:%Y-%m-%d %H:%M} ({day})"


@dataclass
class _Restored:
    prepared: object
    name: str


class ConfirmRestore(ModalScreen[bool]):
    """Yes/no before a restore; Cancel has the focus, so Enter alone never replaces the database."""
    CSS_PATH = style("backup")

    BINDINGS = [Binding("y", "answer(True)", "Restore", id="backup.yes"),
                Binding("n,escape", "answer(False)", "Cancel", id="backup.no")]
    AUTO_FOCUS = "#confirm-no"

    def __init__(self, name: str, taken: str, db_name: str) -> None:
        super().__init__()
        self._name, self._taken, self._db = name, taken, db_name

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        with Vertical(id="confirm-box"):
            yield Static(f"[b]{escape(t('backup.confirm.title', lang))}[/b]", id="confirm-title")
            yield Static(t("backup.confirm.body", lang, name=self._name, taken=self._taken, db=self._db),
                         id="confirm-body", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button(t("backup.confirm.yes", lang), id="confirm-yes", variant="error")
                yield Button(t("backup.confirm.no", lang), id="confirm-no", variant="primary")

    def on_mount(self) -> None:
        self.app.relabel_screen(self)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class BackupScreen(HRScreen):
    CSS_PATH = style("backup")
    BINDINGS = [
        Binding("b", "run", "Back up now", id="backup.run"),
        Binding("v", "verify", "Verify", id="backup.verify"),
        Binding("r", "restore", "Restore", id="backup.restore"),
        Binding("escape", "back", "Back", id="backup.back"),
        Binding("ctrl+q", "app.quit", "Quit", id="app.quit"),
    ]
    AUTO_FOCUS = "#backup-list"

    class Progress(Message):
        """Posted by the worker thread: the phase and the overall fraction done."""

        def __init__(self, phase: str, fraction: float) -> None:
            super().__init__()
            self.phase, self.fraction = phase, fraction

    def __init__(self) -> None:
        super().__init__()
        self.busy = False
        self.files: list = []
        self.state = None

    @property
    def lang(self) -> str:
        return self.app.lang

    @property
    def db_path(self) -> Path:
        from hrtui.store.db import database

        return Path(database.database)

    # -- layout ----------------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="backup-title")
        yield Static("", id="backup-banner", markup=False)
        yield Static("", id="backup-info")
        yield OptionList(id="backup-list")
        with Horizontal(id="backup-progress-row"):
            yield ProgressBar(total=100, show_eta=False, id="backup-progress")
            yield Static("", id="backup-phase", markup=False)
        yield Static("", id="backup-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        if not allowed(self.app.actor):
            self.app.pop_screen()
            self.app.notify(t("role.refused", self.lang, role=t(f"role.{self.app.actor.role}", self.lang),
                              verb="read", resource="backup"), severity="error", markup=False)
            return
        self.refresh_status()
        self.query_one("#backup-status", Static).update(t("backup.idle", self.lang))

    def relabel(self) -> None:
        self.refresh_status()

    def check_action(self, action: str, parameters) -> bool | None:
        need = _NEEDS.get(action)
        return need is None or can(self.app.actor, *need)

    # -- what is shown ---------------------------------------------------------------------------------------
    def refresh_status(self) -> None:
        from hrtui import config
        from hrtui.transfer.backup import status

        lang = self.lang
        try:
            settings = config.load_backup_settings()
        except ValueError as exc:
            self.notify(str(exc), severity="error", markup=False)
            settings = config.BackupSettings()
        st = self.state = status(self.db_path, settings)
        self.query_one("#backup-title", Static).update(f"[b]{escape(t('backup.title', lang))}[/b]")
        week = f"{st.week[0]}-W{st.week[1]:02d}"
        banner = self.query_one("#backup-banner", Static)
        if st.overdue:
            banner.update(t("backup.banner.friday_due" if st.is_friday else "backup.banner.overdue", lang, week=week))
        elif st.is_friday:
            banner.update(t("backup.banner.friday_done", lang))
        banner.display = st.overdue or st.is_friday
        banner.set_class(st.overdue, "overdue")
        last = st.last
        if last is None:
            last_text = t("backup.last.none", lang)
        else:
            days = st.age_days
            age = (t("backup.age.today", lang) if days == 0 else t("backup.age.yesterday", lang) if days == 1
                   else t("backup.age.days", lang, days=days))
            last_text = f"{_when(last.taken, lang)} · {age} · {human_size(last.size)}"
        if st.recipients:
            first = st.recipients[0]
            key = "backup.recipients.one" if len(st.recipients) == 1 else "backup.recipients.n"
            who = t(key, lang, count=len(st.recipients), first=f"{first[:12]}…{first[-6:]}")
        else:
            who = t("backup.recipients.none", lang)
        rows = [("backup.db", self.db_path.name), ("backup.folder", _home(st.folder)),
                ("backup.recipients", who), ("backup.last", last_text),
                ("backup.week", t("backup.week.missing" if st.overdue else "backup.week.done", lang))]
        from rich.cells import cell_len, set_cell_size

        labels = [t(k, lang, week=week) for k, _ in rows]
        width = max(cell_len(x) for x in labels) + 2
        self.query_one("#backup-info", Static).update(
            "\n".join(f"[b]{escape(set_cell_size(label, width))}[/b]{escape(value)}"
                      for label, (_, value) in zip(labels, rows)))
        self._fill_list(st.backups)

    def _fill_list(self, backups) -> None:
        listing = self.query_one("#backup-list", OptionList)
        keep = self.selected()
        self.files = list(reversed(backups))
        listing.clear_options()
        if not self.files:
            listing.add_option(Option(t("backup.list.empty", self.lang), disabled=True))
            return
        listing.add_options([Option(f"{_when(b.taken, self.lang)}  {human_size(b.size):>9}  {b.path.name}")
                             for b in self.files])
        index = next((i for i, b in enumerate(self.files) if keep and b.path == keep.path), 0)
        listing.highlighted = index

    def selected(self):
        listing = self.query_one("#backup-list", OptionList)
        index = listing.highlighted
        if index is None or not self.files or index >= len(self.files):
            return None
        return self.files[index]

    def _say(self, text: str) -> None:
        self.query_one("#backup-status", Static).update(text)

    # -- progress (messages from the worker thread) ----------------------------------------------------------
    @on(Progress)
    def _progress(self, message: Progress) -> None:
        self.query_one("#backup-progress", ProgressBar).update(progress=round(message.fraction * 100, 1))
        self.query_one("#backup-phase", Static).update(t(f"backup.phase.{message.phase}", self.lang))

    def _reporter(self):
        """Progress callback for a worker thread: posts at most one message per percent; cancels when asked."""
        worker = get_current_worker()
        shown = [-1]

        def report(phase: str, fraction: float) -> None:
            if worker.is_cancelled:
                raise UserError("cancelled")
            pct = int(fraction * 100)
            if pct != shown[0] or phase == "done":
                shown[0] = pct
                self.post_message(self.Progress(phase, fraction))

        return report

    def _start(self) -> bool:
        if self.busy:
            self.notify(t("backup.busy", self.lang), severity="warning", markup=False)
            return False
        self.busy = True
        self.query_one("#backup-progress", ProgressBar).update(progress=0)
        self._say("")
        return True

    # -- actions ---------------------------------------------------------------------------------------------
    def action_back(self) -> None:
        if self.busy:
            self.notify(t("backup.busy", self.lang), severity="warning", markup=False)
            return
        self.app.pop_screen()

    def action_run(self) -> None:
        if self.state is not None and not self.state.recipients:  # said in the user's language, not the CLI's line
            text = t("backup.recipients.none", self.lang)
            self._say(text)
            self.notify(text, severity="error", markup=False, timeout=8)
            return
        if self._start():
            self._backup()

    def action_verify(self) -> None:
        chosen = self.selected()
        if chosen is None:
            self.notify(t("backup.none_selected", self.lang), markup=False)
            return
        if self._start():
            self._verify(chosen.path)

    def action_restore(self) -> None:
        chosen = self.selected()
        if chosen is None:
            self.notify(t("backup.none_selected", self.lang), markup=False)
            return
        if self.busy:
            self.notify(t("backup.busy", self.lang), severity="warning", markup=False)
            return

        def answered(yes: bool | None) -> None:
            if yes and self._start():
                self._restore(chosen.path)

        self.app.push_screen(ConfirmRestore(chosen.path.name, _when(chosen.taken, self.lang), self.db_path.name),
                             answered)

    def palette_commands(self) -> list:
        lang = self.lang
        cmds = []
        for action, key in (("run", "backup.cmd.run"), ("verify", "backup.cmd.verify"),
                            ("restore", "backup.cmd.restore")):
            if self.check_action(action, ()):
                cmds.append((t(key, lang), t("backup.cmd.open.help", lang), getattr(self, f"action_{action}")))
        cmds.append((t("cmd.back", lang), t("cmd.back.help", lang), self.action_back))
        return cmds

    # -- workers (threads: no widget is touched here) ---------------------------------------------------------
    @work(thread=True, exclusive=True, group="backup", exit_on_error=False, name="backup")
    def _backup(self):
        from hrtui.store.db import database
        from hrtui.transfer.backup import run_backup

        try:
            return run_backup(self.app.actor, self.db_path, progress=self._reporter())
        finally:
            database.close()  # this thread's own connection

    @work(thread=True, exclusive=True, group="backup", exit_on_error=False, name="verify")
    def _verify(self, path: Path):
        from hrtui.store.db import database
        from hrtui.transfer.backup import identities_for, verify_backup

        try:
            info = verify_backup(self.app.actor, self.db_path, path, identities=identities_for(),
                                 progress=self._reporter())
            return path.name, info
        finally:
            database.close()

    @work(thread=True, exclusive=True, group="backup", exit_on_error=False, name="restore")
    def _restore(self, path: Path):
        from hrtui.access.policy import require
        from hrtui.store.db import database
        from hrtui.transfer.backup import RestoreRefused, identities_for, prepare_restore, refuse

        try:
            require(self.app.actor, "write", "backup")
            try:
                prepared = prepare_restore(path, self.db_path, identities=identities_for(),
                                           progress=self._reporter())
            except RestoreRefused as exc:
                refuse(self.app.actor, path, exc)
                raise
            try:
                prepared.record(self.app.actor.name)
                prepared.release()
            except BaseException:
                prepared.discard()
                raise
            return _Restored(prepared, path.name)
        finally:
            database.close()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "backup" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR,
                                                           WorkerState.CANCELLED):
            return
        self.busy = False
        lang = self.lang
        if event.state == WorkerState.CANCELLED:
            return
        if event.state == WorkerState.ERROR:
            error = worker.error
            text = str(error) if isinstance(error, UserError) else f"{type(error).__name__}: {error}"
            self._say(t("backup.failed", lang, error=text))
            self.notify(text, severity="error", markup=False, timeout=8)
            self.query_one("#backup-phase", Static).update("")
            self.refresh_status()
            return
        result = worker.result
        if worker.name == "backup":
            text = t("backup.done", lang, name=result.path.name, size=human_size(result.size))
        elif worker.name == "verify":
            name, info = result
            text = t("backup.verified", lang, name=name, summary=info.summary)
        else:
            self._finish_restore(result)
            return
        self._say(text)
        self.notify(text, markup=False)
        self.refresh_status()

    def _finish_restore(self, done: _Restored) -> None:
        """On the main thread: close our connection, swap the files, reopen the store on the restored database."""
        from hrtui.access.actor import actor_for
        from hrtui.store import open_store
        from hrtui.store.db import database
        from hrtui.store.models import User

        path = self.db_path
        database.close()
        try:
            aside = done.prepared.swap(path)
        except UserError as exc:
            self._say(str(exc))
            self.notify(str(exc), severity="error", markup=False, timeout=8)
            return
        finally:
            done.prepared.discard()
        open_store(path)
        user = User.get_or_none(User.name == self.app.actor.name)
        if user is None or user.disabled or not allowed(actor := actor_for(user)):
            self.app.exit(message=t("backup.restored.exit", self.lang, name=done.name))
            return
        from hrtui.domain.organisation import department_codes
        from hrtui.tui.screens.roster import RosterScreen

        self.app.actor = actor
        self.app.department_codes = department_codes(actor.department_ids)
        text = t("backup.restored", self.lang, name=done.name, aside=aside.name if aside else "—")
        # Every screen below shows data of the replaced database: go back to the roster and reload it.
        while len(self.app.screen_stack) > 1 and not isinstance(self.app.screen, RosterScreen):
            self.app.pop_screen()
        if isinstance(self.app.screen, RosterScreen):
            self.app.screen.reload()
        self.app.notify(text, markup=False, timeout=10)


def _home(path: Path) -> str:
    """A folder for display: under the home directory it starts with ~ (shorter, and the same on every machine)."""
    try:
        return "~/" + str(Path(path).resolve().relative_to(Path.home().resolve()))
    except ValueError:
        return str(path)
