"""Who may read and write what. One table, used by the access layer, the TUI (to hide what a role may not use)
and docs/access.md (a test checks the doc shows this table).

Scope still applies on top: "read records" for hr means the records of their departments; for a manager, their
reports; for an employee, themself.
"""
from __future__ import annotations

from hrtui.errors import UserError

R, W = "read", "write"

# resource -> role -> verbs
POLICY: dict[str, dict[str, frozenset[str]]] = {
    "records":          {"admin": {R, W}, "hr": {R, W}, "manager": {R},    "employee": {R}},
    "scores":           {"admin": {R, W}, "hr": {R, W}, "manager": {R},    "employee": {R}},
    "portraits":        {"admin": {R},    "hr": {R},    "manager": {R},    "employee": set()},
    "interview_notes":  {"admin": {R, W}, "hr": {R, W}, "manager": set(),  "employee": set()},
    "plans":            {"admin": {R, W}, "hr": {R, W}, "manager": {R},    "employee": {R}},
    "plan_items":       {"admin": {R, W}, "hr": {R, W}, "manager": {R, W}, "employee": {R, W}},
    "salary":           {"admin": {R, W}, "hr": {R, W}, "manager": set(),  "employee": {R}},
    "import":           {"admin": {W},    "hr": {W},    "manager": set(),  "employee": set()},
    "export":           {"admin": {R},    "hr": {R},    "manager": set(),  "employee": set()},
    "backup":           {"admin": {R, W}, "hr": set(),  "manager": set(),  "employee": set()},
    "settings":         {"admin": {R, W}, "hr": {R},    "manager": set(),  "employee": set()},
    "users":            {"admin": {R, W}, "hr": set(),  "manager": set(),  "employee": set()},
    "audit":            {"admin": {R},    "hr": set(),  "manager": set(),  "employee": set()},
    "scripts":          {"admin": {R, W}, "hr": {R},    "manager": set(),  "employee": set()},
}
POLICY = {res: {role: frozenset(v) for role, v in roles.items()} for res, roles in POLICY.items()}

NOTES = {
    "plan_items": "manager and employee: check off their own items only",
    "salary": "employee: their own only",
    "interview_notes": "HR-private: never shown to the manager or the employee",
    "export": "scoped: only rows the actor can read",
    "backup": "whole database; restore is admin-only",
}


class Refused(UserError):
    """The role may not do this at all."""


def can(actor, verb: str, resource: str) -> bool:
    return verb in POLICY[resource].get(actor.role, frozenset())


def require(actor, verb: str, resource: str) -> None:
    if not can(actor, verb, resource):
        raise Refused(f"{actor.name} ({actor.role}) may not {verb} {resource.replace('_', ' ')}")


def markdown_table() -> str:
    roles = ("admin", "hr", "manager", "employee")
    lines = ["| resource | " + " | ".join(roles) + " | note |", "|---" * (len(roles) + 2) + "|"]
    for res, by_role in POLICY.items():
        cells = ["/".join(v for v in (R, W) if v in by_role[r]) or "—" for r in roles]
        lines.append(f"| {res.replace('_', ' ')} | " + " | ".join(cells) + f" | {NOTES.get(res, '')} |")
    return "\n".join(lines)
