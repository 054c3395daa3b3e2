"""Month arithmetic on 'YYYY-MM' strings, the unit of every monthly fact."""
from __future__ import annotations

import datetime as _dt


def month_of(day: _dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def add_months(month: str, n: int) -> str:
    y, m = int(month[:4]), int(month[5:7])
    idx = y * 12 + (m - 1) + n
    return f"{idx // 12:04d}-{idx % 12 + 1:02d}"


def last_full_month(today: _dt.date) -> str:
    return add_months(month_of(today), -1)


def window(today: _dt.date, months: int) -> list[str]:
    """The last `months` full months before `today`, oldest first."""
    end = last_full_month(today)
    return [add_months(end, -i) for i in range(months - 1, -1, -1)]
