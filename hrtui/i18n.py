"""zh/en message catalogues. `t(key, lang, **fields)` formats a message; a missing zh entry falls back to en."""
from __future__ import annotations

import os

LANGS = ("zh", "en")

EN = {
    "app.title": "hrtui",
    "roster.title": "Roster",
    "roster.filter": "Type to filter",
    "roster.count": "{total} employees",
    "roster.count_filtered": "{total} match \u201c{text}\u201d",
    "roster.empty": "No employee matches.",
    "roster.sorted": "sorted by {column}{arrow}",
    "col.number": "No.",
    "col.name": "Name",
    "col.department": "Dept",
    "col.position": "Position",
    "col.score": "Score",
    "col.flag": "!",
    "bind.roster.open": "Open",
    "bind.roster.filter": "Filter",
    "bind.roster.sort": "Sort",
    "bind.roster.reverse": "Reverse",
    "bind.app.lang": "中文",
    "bind.app.theme": "Theme",
    "bind.employee.back": "Back",
    "bind.app.quit": "Quit",
    "bind.attention.open": "Attention", "bind.plans.open_list": "Plans", "bind.inbox.open": "Inbox",
    "bind.import.open": "Import", "bind.backup.open": "Backups",
    "cmd.open": "Open employee",
    "cmd.open.help": "Open the selected employee",
    "cmd.filter": "Filter roster",
    "cmd.filter.help": "Type a name, employee number or department",
    "cmd.sort": "Sort roster by {column}",
    "cmd.sort.help": "Order the roster by this column",
    "cmd.reverse": "Reverse roster order",
    "cmd.reverse.help": "Ascending / descending",
    "cmd.lang": "Switch language to 中文",
    "cmd.lang.help": "Switch the interface between English and Chinese",
    "cmd.theme": "Next theme",
    "cmd.theme.help": "Cycle dark, light, high-contrast and mono themes",
    "cmd.theme_named": "Theme: {name}",
    "theme.hrtui-dark": "dark", "theme.hrtui-light": "light", "theme.hrtui-high-contrast": "high contrast",
    "theme.hrtui-mono": "mono",
    "cmd.back": "Back",
    "cmd.back.help": "Close this screen",
    "detail.title": "Employee {number}",
    "detail.number": "Number",
    "detail.name": "Name",
    "detail.department": "Department",
    "detail.position": "Position",
    "detail.manager": "Manager",
    "detail.hire_date": "Hire date",
    "detail.status": "Status",
    "detail.email": "E-mail",
    "detail.score": "Overall (last 3 months)",
    "detail.none": "—",
    "status.active": "active", "status.leave": "on leave", "status.left": "left",
    "theme.broken": "Theme file {file} is broken ({error}); using the default theme.",
    "user.banner": "{user} · {role} · {scope}",
    "scope.all": "all departments",
    "scope.self": "self",
    "scope.reports": "my reports",
    "role.admin": "admin", "role.hr": "HR", "role.manager": "manager", "role.employee": "employee",
    "role.refused": "As {role} you may not {verb} {resource}.",
    "report.written": "Problem report written to {path} (encrypted for the admin). Send them this file.",
    "cmd.audit": "Audit log", "cmd.audit.help": "Who read or changed what (admin)", "bind.app.audit": "Audit",
    "cmd.report": "Report a problem",
    "cmd.report_shot": "Report a problem, with a screenshot",
    "cmd.report.help": "Write an encrypted bundle (version, recent log, last steps, screenshot) for the admin",
}

ZH = {
    "roster.title": "员工名册",
    "roster.filter": "输入即筛选",
    "roster.count": "共 {total} 人",
    "roster.count_filtered": "“{text}” 匹配 {total} 人",
    "roster.empty": "没有匹配的员工。",
    "roster.sorted": "按{column}排序{arrow}",
    "col.number": "工号",
    "col.name": "姓名",
    "col.department": "部门",
    "col.position": "职位",
    "col.score": "综合",
    "bind.roster.open": "打开",
    "bind.roster.filter": "筛选",
    "bind.roster.sort": "排序",
    "bind.roster.reverse": "倒序",
    "bind.app.lang": "English",
    "bind.app.theme": "主题",
    "bind.employee.back": "返回",
    "bind.app.quit": "退出",
    "bind.attention.open": "需关注", "bind.plans.open_list": "计划", "bind.inbox.open": "提醒",
    "bind.import.open": "导入", "bind.backup.open": "备份",
    "cmd.open": "打开员工",
    "cmd.open.help": "打开当前选中的员工",
    "cmd.filter": "筛选名册",
    "cmd.filter.help": "输入姓名、工号或部门",
    "cmd.sort": "名册按{column}排序",
    "cmd.sort.help": "按此列排序名册",
    "cmd.reverse": "名册倒序",
    "cmd.reverse.help": "升序 / 降序",
    "cmd.lang": "切换语言为英文 (Switch language to English)",
    "cmd.lang.help": "切换中文 / 英文界面",
    "cmd.theme": "下一个主题",
    "cmd.theme.help": "在深色、浅色、高对比度、单色主题间切换",
    "cmd.theme_named": "主题：{name}",
    "theme.hrtui-dark": "深色", "theme.hrtui-light": "浅色", "theme.hrtui-high-contrast": "高对比度",
    "theme.hrtui-mono": "单色",
    "cmd.back": "返回",
    "cmd.back.help": "关闭此屏幕",
    "detail.title": "员工 {number}",
    "detail.number": "工号",
    "detail.name": "姓名",
    "detail.department": "部门",
    "detail.position": "职位",
    "detail.manager": "直属经理",
    "detail.hire_date": "入职日期",
    "detail.status": "状态",
    "detail.email": "邮箱",
    "detail.score": "综合得分（近3个月）",
    "status.active": "在职", "status.leave": "休假", "status.left": "离职",
    "theme.broken": "主题文件 {file} 有误（{error}），已使用默认主题。",
    "user.banner": "{user} · {role} · {scope}",
    "scope.all": "全部部门",
    "scope.self": "本人",
    "scope.reports": "我的下属",
    "role.admin": "管理员", "role.hr": "HR", "role.manager": "经理", "role.employee": "员工",
    "role.refused": "{role}无权{verb} {resource}。",
    "report.written": "问题报告已写入 {path}（已为管理员加密），请把该文件发给管理员。",
    "cmd.audit": "审计日志", "cmd.audit.help": "谁读取或修改了什么（管理员）", "bind.app.audit": "审计",
    "cmd.report": "报告问题",
    "cmd.report_shot": "报告问题（附截图）",
    "cmd.report.help": "生成加密的问题包（版本、最近日志、最近操作、截图）发给管理员",
}

CATALOGUES = {"en": EN, "zh": ZH}


def register(en: dict[str, str], zh: dict[str, str]) -> None:
    """Add a module's own messages (each capability keeps its texts beside its code)."""
    clash = (set(en) | set(zh)) & (set(EN) | set(ZH))
    if clash:
        raise ValueError(f"message keys defined twice: {', '.join(sorted(clash)[:5])}")
    EN.update(en)
    ZH.update(zh)


def has_cjk(text: str) -> bool:
    """Whether `text` holds a Chinese character (unified ideographs and extensions, compatibility ideographs).
    A comparison, not a regex: compiling that character class would cost ~2 ms of every start-up."""
    return any("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" or "\U00020000" <= c <= "\U0002fa1f"
               for c in text)


def bilingual(lang: str, zh, en):
    """A value kept in both languages, in `lang`; the other one when that is missing (None or empty)."""
    return (zh or en) if lang == "zh" else (en or zh)


def t(key: str, lang: str, **fields) -> str:
    text = CATALOGUES.get(lang, EN).get(key) or EN.get(key) or key
    return text.format(**fields) if fields else text


def default_lang(explicit: str | None = None, configured: str | None = None) -> str:
    """--lang, then settings, then LANG/LC_ALL (zh_* means Chinese), else English."""
    for choice in (explicit, configured):
        if choice in LANGS:
            return choice
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"
