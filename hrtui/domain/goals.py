"""Interview goals: suggested from the key shortfalls and signals, edited by HR, saved with the employee.

Suggestions are bilingual and at most `MAX_GOALS`: "understand the causes" and "agree a 3-month plan" always, and in
between one goal per key shortfall (most severe first), then one per signal, as room allows. Once HR saves a list,
that list is what the portrait shows; the suggestions stay one key away.

A goal typed by HR exists in the language it was typed in; the other language shows the same text (it is never
machine-translated). Saved goals keep their ids across edits; a removed goal stays as a tombstone (deleted = 1).
Saved goals are HR's interview notes (access policy "interview_notes": admin and HR read and write them; managers and
employees do not see them). Every save is written to the audit log in the same transaction.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass

from hrtui.access import audit
from hrtui.access.actor import Actor, find_employee
from hrtui.access.policy import can
from hrtui.errors import UserError
from hrtui.i18n import register, t
from hrtui.store.db import database
from hrtui.store.ids import uuid7

MAX_GOALS = 5
MAX_GOAL_CHARS = 200


@dataclass
class Goal:
    text_zh: str
    text_en: str
    kind: str = "custom"           # 'cause', 'plan', 'shortfall:CODE', 'signal:KIND', 'review', 'develop', 'custom'
    id: str | None = None          # None until saved
    dimension_code: str | None = None

    def text(self, lang: str) -> str:
        if lang == "zh":
            return self.text_zh or self.text_en
        return self.text_en or self.text_zh

    def edited(self, lang: str, text: str) -> "Goal":
        """This goal with its text replaced as typed in `lang` (the other language then shows the same words)."""
        text = " ".join(text.split())
        return Goal(text if lang == "zh" else "", text if lang != "zh" else "", self.kind, self.id, self.dimension_code)

    def to_dict(self) -> dict:
        return asdict(self)


def _both(key: str, **fields) -> tuple[str, str]:
    return t(key, "zh", **fields), t(key, "en", **fields)


def _in_sentence(name: str) -> str:
    """'Customer satisfaction' reads 'customer satisfaction' inside a sentence; acronyms ('CSAT') stay."""
    return name[0].lower() + name[1:] if len(name) > 1 and name[0].isupper() and name[1].islower() else name


def suggest_goals(shortfalls: list[dict], signals: list[dict]) -> list[Goal]:
    """Suggested goals from ranked key shortfalls and signals (plain dicts, both languages' names inside).

    shortfall: {code, name_zh, name_en, direction, target_kind ('team'|'requirement'), value, target} with value and
    target already formatted; signal: {kind, ...data} as Signal.to_dict() gives.
    """
    middle: list[Goal] = []
    for s in shortfalls:
        key = f"goal.{'lower' if s['direction'] == 'lower' else 'raise'}_{s['target_kind']}"
        zh = t(key, "zh", dim=s["name_zh"], value=s["value"], target=s["target"])
        en = t(key, "en", dim=_in_sentence(s["name_en"]), value=s["value"], target=s["target"])
        middle.append(Goal(zh, en, f"shortfall:{s['code']}", dimension_code=s["code"]))
    seen = set()
    for sig in signals:
        kind = sig["kind"]
        if kind == "training":
            data = sig["data"]
            zh = t("goal.training", "zh", course=data["course_zh"])
            en = t("goal.training", "en", course=data["course_en"])
            tag = f"signal:training:{data['course_en']}"
        else:
            zh, en = _both(f"goal.{kind}")
            tag = f"signal:{kind}"
        if tag not in seen:
            seen.add(tag)
            middle.append(Goal(zh, en, tag))
    if not middle:
        return [Goal(*_both("goal.review"), "review"), Goal(*_both("goal.develop"), "develop")]
    room = MAX_GOALS - 2
    return [Goal(*_both("goal.cause"), "cause"), *middle[:room], Goal(*_both("goal.plan"), "plan")]


def saved_goals(employee_id: str) -> list[Goal]:
    rows = database.execute_sql(
        """SELECT g.id, g.kind, g.text_zh, g.text_en, d.code FROM interview_goal g
           LEFT JOIN dimension d ON d.id = g.dimension_id
           WHERE g.employee_id = ? AND g.deleted = 0 ORDER BY g.position, g.id""", (employee_id,)).fetchall()
    return [Goal(zh, en, kind, gid, code) for gid, kind, zh, en, code in rows]


def can_read_goals(actor: Actor) -> bool:
    return can(actor, "read", "interview_notes")


def can_keep_goals(actor: Actor) -> bool:
    return can(actor, "write", "interview_notes")


def validate(goals: list[Goal], lang: str = "en") -> list[Goal]:
    """Normalise whitespace and refuse lists HR could not mean: more than MAX_GOALS, empty or overlong texts."""
    if len(goals) > MAX_GOALS:
        raise UserError(t("goal.too_many", lang, max=MAX_GOALS))
    out = []
    for g in goals:
        zh, en = " ".join(g.text_zh.split()), " ".join(g.text_en.split())
        if not zh and not en:
            raise UserError(t("goal.empty", lang))
        if max(len(zh), len(en)) > MAX_GOAL_CHARS:
            raise UserError(t("goal.too_long", lang, max=MAX_GOAL_CHARS))
        out.append(Goal(zh, en, g.kind, g.id, g.dimension_code))
    return out


def save_goals(actor: Actor, key: str, goals: list[Goal], lang: str = "en",
               now: _dt.datetime | None = None) -> list[Goal]:
    """Store `goals` (in order) as the employee's interview goals; returns them with their ids.

    Goals that keep their id are updated in place, new ones get a UUIDv7, saved goals missing from the list become
    tombstones.
    """
    if not can_keep_goals(actor):
        raise UserError(t("goal.not_allowed", lang))
    employee_id = find_employee(actor, key)
    goals = validate(goals, lang)
    stamp = (now or _dt.datetime.now(_dt.timezone.utc)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    dims = dict(database.execute_sql("SELECT code, id FROM dimension").fetchall())
    with database.atomic():
        existing = {r[0] for r in database.execute_sql(
            "SELECT id FROM interview_goal WHERE employee_id = ? AND deleted = 0", (employee_id,)).fetchall()}
        kept = set()
        out = []
        for pos, g in enumerate(goals):
            dim_id = dims.get(g.dimension_code) if g.dimension_code else None
            if g.id and g.id in existing:
                database.execute_sql(
                    """UPDATE interview_goal SET position = ?, kind = ?, text_zh = ?, text_en = ?, dimension_id = ?,
                       updated_at = ? WHERE id = ? AND (position != ? OR kind != ? OR text_zh != ? OR text_en != ?
                       OR dimension_id IS NOT ?)""",
                    (pos, g.kind, g.text_zh, g.text_en, dim_id, stamp, g.id, pos, g.kind, g.text_zh, g.text_en, dim_id))
                gid = g.id
            else:
                gid = uuid7()
                database.execute_sql(
                    """INSERT INTO interview_goal (id, employee_id, position, kind, text_zh, text_en, dimension_id,
                       created_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)""",
                    (gid, employee_id, pos, g.kind, g.text_zh, g.text_en, dim_id, actor.user_id, stamp, stamp))
            kept.add(gid)
            out.append(Goal(g.text_zh, g.text_en, g.kind, gid, g.dimension_code))
        gone = sorted(existing - kept)
        if gone:
            database.execute_sql(
                f"UPDATE interview_goal SET deleted = 1, updated_at = ? WHERE id IN ({','.join('?' * len(gone))})",
                (stamp, *gone))
        audit.record(actor, "interview_goals.write", employee_id,
                     {"goals": len(out), "deleted": len(gone), "added": len(kept - existing)})
    return out


register(
    {
        "goal.cause": "Understand the causes of the performance gap",
        "goal.plan": "Agree a 3-month improvement plan",
        "goal.review": "Review recent work and the support needed",
        "goal.develop": "Agree development goals for the next period",
        "goal.raise_team": "Raise {dim} from {value} to the team mean {target}",
        "goal.raise_requirement": "Raise {dim} from {value} to the requirement {target}",
        "goal.lower_team": "Bring {dim} down from {value} to the team mean {target}",
        "goal.lower_requirement": "Bring {dim} down from {value} to the requirement {target}",
        "goal.leave": "Ask about the recent rise in leave and whether support is needed",
        "goal.training": "Agree a date to finish the mandatory course \u201c{course}\u201d",
        "goal.project": "Understand why project hours have dropped",
        "goal.too_many": "at most {max} interview goals",
        "goal.empty": "an interview goal cannot be empty",
        "goal.too_long": "an interview goal is at most {max} characters",
        "goal.not_allowed": "interview goals are kept by HR: your account cannot change them",
    },
    {
        "goal.cause": "明确绩效差的原因",
        "goal.plan": "制定3个月改进计划",
        "goal.review": "回顾近期工作，了解需要的支持",
        "goal.develop": "约定下一阶段的发展目标",
        "goal.raise_team": "将{dim}从 {value} 提升到团队均值 {target}",
        "goal.raise_requirement": "将{dim}从 {value} 提升到岗位要求 {target}",
        "goal.lower_team": "将{dim}从 {value} 降到团队均值 {target}",
        "goal.lower_requirement": "将{dim}从 {value} 降到岗位要求 {target}",
        "goal.leave": "了解近期请假增多的原因，确认是否需要支持",
        "goal.training": "约定完成必修培训《{course}》的日期",
        "goal.project": "了解项目工时下降的原因",
        "goal.too_many": "面谈目标最多 {max} 条",
        "goal.empty": "面谈目标不能为空",
        "goal.too_long": "每条面谈目标最多 {max} 个字",
        "goal.not_allowed": "面谈目标由 HR 维护：你的账号不能修改",
    },
)
