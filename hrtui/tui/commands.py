"""Command palette: every action of the current screen, in the UI language, with its key."""
from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Provider

from hrtui.domain.roster import SORTS
from hrtui.i18n import register, t


def _script_prompts(screen, lang: str) -> list[dict]:
    """The whole library as the interview may use it: the prompts true for this employee, filled in."""
    from hrtui.domain import scripts_library

    return scripts_library.true_for(screen.scripts, lang, screen.employee_facts())


def _plan_commands(app, screen, lang: str) -> list:
    """Improvement plans from anywhere: the plan list, the inbox, and the plan of the employee on screen."""
    from hrtui.tui.screens.inbox import InboxScreen
    from hrtui.tui.screens.plan import PlanListScreen

    name = type(screen).__name__
    cmds = []
    if name == "PortraitScreen" and screen.check_action("open_plan", ()):  # the same rule as the `p` key
        cmds.append((t("cmd.plan.of", lang), t("cmd.plan.of.help", lang), screen.action_open_plan))
    if name == "SummaryScreen" and getattr(screen, "ended", False) and app.action_allowed("draft_plan"):
        cmds.append((t("cmd.plan.of", lang), t("cmd.plan.of.help", lang), screen.action_draft_plan))
    if not isinstance(screen, PlanListScreen) and app.action_allowed("open_plans"):
        cmds.append((t("cmd.plans.list", lang), t("cmd.plans.list.help", lang), app.action_open_plans))
    if not isinstance(screen, InboxScreen):
        cmds.append((t("cmd.inbox.open", lang), t("cmd.inbox.open.help", lang), app.action_open_inbox))
    return cmds


class HRCommands(Provider):
    def _commands(self):
        app = self.app
        lang = app.lang
        screen = self.screen
        cmds = []
        from hrtui.tui.screens.roster import RosterScreen

        if isinstance(screen, RosterScreen):
            cmds.append((t("cmd.open", lang), t("cmd.open.help", lang), screen.query_one("#roster").action_open))
            cmds.append((t("cmd.filter", lang), t("cmd.filter.help", lang), screen.action_filter))
            for col in SORTS:
                cmds.append((t("cmd.sort", lang, column=t(f"col.{col}", lang)), t("cmd.sort.help", lang),
                             partial(screen.set_sort, col)))
            cmds.append((t("cmd.reverse", lang), t("cmd.reverse.help", lang), screen.action_reverse))
            if app.action_allowed("open_attention"):
                cmds.append((t("cmd.attention.open", lang), t("cmd.attention.open.help", lang),
                             app.action_open_attention))
        elif hasattr(screen, "palette_commands"):  # screens that list their own actions (portrait, attention)
            cmds.extend(screen.palette_commands())
        elif type(screen).__name__ == "InterviewScreen":
            cmds.append((t("cmd.iv.prev_prompt", lang), "", partial(screen.action_prompt, -1)))
            cmds.append((t("cmd.iv.prev_segment", lang), "", partial(screen.action_segment, -1)))
            cmds.append((t("cmd.iv.agenda", lang), t("iv.agenda", lang), screen.action_agenda))
            cmds.append((t("cmd.iv.end", lang), "", screen.action_end))
            for p in screen.prompts() + [e for e in _script_prompts(screen, lang) if e["segment"] != screen.iv.agenda[screen.iv.segment].key]:
                cmds.append((t("cmd.iv.search", lang, text=p["text"]), t("cmd.iv.search.help", lang),
                             partial(screen.show_prompt, p["key"])))
        elif len(app.screen_stack) > 1:
            cmds.append((t("cmd.back", lang), t("cmd.back.help", lang), app.pop_screen))
        if app.action_allowed("open_audit"):
            cmds.append((t("cmd.audit", lang), t("cmd.audit.help", lang), app.action_open_audit))
        cmds.extend(_plan_commands(app, screen, lang))
        from hrtui.tui.screens import backup

        if backup.allowed(app.actor) and not isinstance(screen, backup.BackupScreen):
            cmds.append((t("backup.cmd.open", lang), t("backup.cmd.open.help", lang),
                         lambda: app.push_screen(backup.BackupScreen())))
        from hrtui.tui.screens import import_data

        if isinstance(screen, import_data.ImportScreen):
            cmds.extend(screen.palette_commands())
        elif app.action_allowed("open_import"):
            cmds.append((t("palette.import", lang), t("palette.import.help", lang),
                         partial(import_data.open_import_screen, app)))
        cmds.append((t("cmd.report", lang), t("cmd.report.help", lang), app.action_report_problem))
        cmds.append((t("cmd.report_shot", lang), t("cmd.report.help", lang), partial(app.action_report_problem, True)))
        cmds.append((t("cmd.lang", lang), t("cmd.lang.help", lang), app.action_toggle_lang))
        cmds.append((t("cmd.theme", lang), t("cmd.theme.help", lang), app.action_next_theme))
        for name in app.theme_names:
            cmds.append((t("cmd.theme_named", lang, name=app.theme_label(name)), t("cmd.theme.help", lang),
                         partial(app.set_theme, name)))
        return cmds

    async def discover(self):
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str):
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)


# Entries the palette offers from any screen: registered here, with the palette, not in the screen they open
# (that module is imported only when the screen first opens, and its texts with it).
register(
    {"cmd.attention.open": "Needs attention",
     "cmd.attention.open.help": "Everyone in your scope with a key shortfall, most severe first",
     "backup.cmd.open": "Backups", "backup.cmd.open.help": "Weekly encrypted backups: back up now, verify, restore",
     "cmd.inbox.open": "Reminders (inbox)", "cmd.inbox.open.help": "Your plan reminders (Ctrl+R)",
     "palette.import": "Import data", "palette.import.help": "Import employees, scores, attendance… from CSV or XLSX"},
    {"cmd.attention.open": "需关注名单", "cmd.attention.open.help": "权限范围内存在关键短板的员工，按严重度排序",
     "backup.cmd.open": "备份", "backup.cmd.open.help": "每周加密备份：立即备份、校验、恢复",
     "cmd.inbox.open": "提醒（收件箱）", "cmd.inbox.open.help": "你的计划提醒（Ctrl+R）",
     "palette.import": "导入数据", "palette.import.help": "从 CSV 或 XLSX 导入员工、得分、考勤等"},
)
