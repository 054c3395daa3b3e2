"""The organisation's reference data: the default dimension set (DESIGN §4) and creating an empty organisation."""
from __future__ import annotations

from hrtui.store.db import database

# code, zh, en, unit, direction, min, max
DEFAULT_DIMENSIONS = [
    ("TARGET", "目标完成率", "Target completion", "%", "higher", 0, 150),
    ("EFFICIENCY", "工作效率", "Work efficiency", "pts", "higher", 0, 100),
    ("TEAMWORK", "团队协作", "Teamwork", "pts", "higher", 0, 100),
    ("CSAT", "客户满意度", "Customer satisfaction", "pts", "higher", 0, 100),
    ("COMPLAINT", "客户投诉率", "Customer complaint rate", "%", "lower", 0, 20),
    ("ATTENDANCE", "出勤率", "Attendance rate", "%", "higher", 0, 100),
    ("QUALITY", "工作质量", "Work quality", "pts", "higher", 0, 100),
    ("LEARNING", "学习成长", "Learning", "pts", "higher", 0, 100),
]


def ensure_default_dimensions() -> dict[str, str]:
    """Create the default dimensions that are missing; returns code -> id for all of them."""
    from hrtui.store.models import Dimension

    with database.atomic():
        for sort, (code, zh, en, unit, direction, lo, hi) in enumerate(DEFAULT_DIMENSIONS):
            if not Dimension.get_or_none(Dimension.code == code):
                Dimension.create(code=code, name_zh=zh, name_en=en, unit=unit, direction=direction,
                                 scale_min=lo, scale_max=hi, sort=sort)
    return {d.code: d.id for d in Dimension.select()}


def department_codes(ids) -> list[str]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return [r[0] for r in database.execute_sql(f"SELECT code FROM department WHERE id IN ({marks}) ORDER BY code", list(ids))]
