"""Employee records as the screens and the CLI show them (always read through the actor's scope)."""
from __future__ import annotations

from dataclasses import dataclass

from hrtui.access.actor import Actor, find_employee
from hrtui.i18n import bilingual
from hrtui.store.db import database


@dataclass(frozen=True)
class EmployeeCard:
    id: str
    number: str
    name_zh: str
    name_en: str
    department_code: str
    department_zh: str
    department_en: str
    position_zh: str
    position_en: str
    manager_zh: str | None
    manager_en: str | None
    hire_date: str | None
    status: str
    email: str
    score: float | None

    def name(self, lang: str) -> str:
        return bilingual(lang, self.name_zh, self.name_en)

    def department(self, lang: str) -> str:
        name = self.department_zh if lang == "zh" else self.department_en
        return f"{self.department_code} {name}".strip()

    def position(self, lang: str) -> str:
        return self.position_zh if lang == "zh" else self.position_en

    def manager(self, lang: str) -> str | None:
        return self.manager_zh if lang == "zh" else self.manager_en


def employee_card(actor: Actor, key: str) -> EmployeeCard:
    eid = find_employee(actor, key)
    row = database.execute_sql(
        """SELECT e.id, e.number, e.name_zh, e.name_en, coalesce(d.code,''), coalesce(d.name_zh,''), coalesce(d.name_en,''),
                  coalesce(p.name_zh,''), coalesce(p.name_en,''), m.name_zh, m.name_en, e.hire_date, e.status, e.email,
                  e.overall_score
           FROM employee e LEFT JOIN department d ON d.id = e.department_id LEFT JOIN position p ON p.id = e.position_id
           LEFT JOIN employee m ON m.id = e.manager_id WHERE e.id = ?""", (eid,)).fetchone()
    return EmployeeCard(*row)
