"""Who is acting, and which employee rows they may see.

Every scoped read in hrtui takes an Actor and asks `scope_sql` for its WHERE fragment, so the screen, the CLI,
exports and sync all apply the same rule: admin all; hr their departments; manager their reports (and themself);
employee themself.
"""
from __future__ import annotations

import datetime as _dt
import os
import threading
import time
from dataclasses import dataclass, field

from hrtui.access.passwords import hash_password, verify_password
from hrtui.errors import UserError
from hrtui.store.db import database

ROLES = ("admin", "hr", "manager", "employee")


@dataclass(frozen=True)
class Actor:
    """Who is acting: every query of employee data takes one and applies its role's scope (`scope_sql`)."""

    user_id: str
    name: str
    role: str
    department_ids: tuple[str, ...] = field(default=())
    employee_id: str | None = None
    lang: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def scope_sql(actor: Actor, alias: str = "e") -> tuple[str, list]:
    """SQL condition (and its parameters) restricting employee rows aliased `alias` to the actor's scope."""
    if actor.role == "admin":
        return "1", []
    if actor.role == "hr":
        if not actor.department_ids:
            return "0", []
        marks = ",".join("?" * len(actor.department_ids))
        return f"{alias}.department_id IN ({marks})", list(actor.department_ids)
    if actor.role == "manager" and actor.employee_id:
        return f"({alias}.manager_id = ? OR {alias}.id = ?)", [actor.employee_id, actor.employee_id]
    if actor.employee_id:
        return f"{alias}.id = ?", [actor.employee_id]
    return "0", []


def actor_for(user) -> Actor:
    """The Actor of an account (a models.User or a `Login`)."""
    depts = tuple(r[0] for r in database.execute_sql(
        "SELECT department_id FROM user_department WHERE user_id = ? ORDER BY department_id", (user.id,)))
    return Actor(user.id, user.name, user.role, depts, user.employee_id, user.lang)


@dataclass
class Login:
    """What logging in reads of an account. Plain SQL: the login and the first screen run before the ORM loads
    (hrtui.store.db)."""

    id: str
    name: str
    role: str
    employee_id: str | None
    password_hash: str
    disabled: int
    must_change: int
    failed_logins: int
    lang: str | None


def find_login(name: str) -> Login | None:
    row = database.execute_sql(
        "SELECT id, name, role, employee_id, password_hash, disabled, must_change, failed_logins, lang "
        "FROM user WHERE name = ?", (name,)).fetchone()
    return Login(*row) if row else None


def default_user_name(explicit: str | None) -> str | None:
    """--user, then HRTUI_USER, then the OS login name when an account of that name exists (checked by caller)."""
    if explicit:
        return explicit
    if os.environ.get("HRTUI_USER"):
        return os.environ["HRTUI_USER"]
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


MIN_PASSWORD = 8
FREE_FAILURES = 5


def failure_delay(failures: int) -> float:
    """Seconds to wait before checking a password after `failures` wrong ones: none for the first five, then
    1, 2, 4 … up to a minute (slows guessing, never locks the real user out)."""
    return 0.0 if failures < FREE_FAILURES else float(min(2 ** (failures - FREE_FAILURES), 60))


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"password too short: use at least {MIN_PASSWORD} characters")


def authenticate(name: str | None, password: str | None, *, sleep=time.sleep, allow_must_change: bool = False,
                 meanwhile=None, record_login: bool = True) -> Actor:
    """Check an account and its password; every refusal is one clear line (and failures are audited).

    A success stores the account's last login, unless `record_login` is False (a dry run writes nothing); a count of
    earlier wrong passwords is cleared either way.

    `meanwhile`, when given, runs on this thread while the password is checked on another (the TUI loads Textual
    there: scrypt releases the GIL, so on two cores the check costs no wall time). It runs whatever the outcome.
    """
    if not name:
        raise UserError("no user given: pass --user NAME or set HRTUI_USER")
    user = find_login(name)
    if user is None:
        raise UserError(f"unknown user {name!r}")
    if user.disabled:
        raise UserError(f"account {name!r} is disabled; ask an admin")
    if password is None:
        raise UserError(f"no password for {name!r}: set HRTUI_PASSWORD or run in a terminal")
    delay = failure_delay(user.failed_logins)
    if delay:
        sleep(delay)
    ok, interrupted = _verify(password, user.password_hash, meanwhile)
    if not ok:  # counted and audited even when `meanwhile` was interrupted (Ctrl+C) while it was checked
        from hrtui.access import audit

        with database.atomic():
            database.execute_sql("UPDATE user SET failed_logins = failed_logins + 1 WHERE id = ?", (user.id,))
            audit.record(name, "login.failed", user.id)
        raise UserError(f"wrong password for {name!r}")
    if interrupted is not None:
        raise interrupted
    if record_login:
        database.execute_sql("UPDATE user SET failed_logins = 0, last_login = ? WHERE id = ?", (_now(), user.id))
    elif user.failed_logins:
        database.execute_sql("UPDATE user SET failed_logins = 0 WHERE id = ?", (user.id,))
    if user.must_change and not allow_must_change:
        raise MustChangePassword(f"the password of {name!r} was reset: choose a new one with `hrtui passwd`")
    return actor_for(user)


def _verify(password: str, stored: str, meanwhile) -> tuple[bool, BaseException | None]:
    """(password right, what interrupted `meanwhile` if anything): the check always finishes and counts."""
    if meanwhile is None:
        return verify_password(password, stored), None
    result: list[bool] = []
    check = threading.Thread(target=lambda: result.append(verify_password(password, stored)), name="login",
                             daemon=True)
    check.start()
    interrupted = None
    try:
        meanwhile()
    except BaseException as exc:  # noqa: BLE001  (Ctrl+C included: handed back after the check is recorded)
        interrupted = exc
    check.join()
    return bool(result and result[0]), interrupted


class MustChangePassword(UserError):
    """An admin reset the password: the next login must set a new one."""


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def create_user(name: str, role: str, password: str, *, departments: list[str] = (), employee_id: str | None = None,
                lang: str | None = None, must_change: bool = False, check_length: bool = True):
    """Create an account (a models.User). The demo's accounts skip the length rule to keep their documented
    password `demo`."""
    from hrtui.store.models import Department, User, UserDepartment

    if check_length:
        check_new_password(password)
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    if User.get_or_none(User.name == name):
        raise UserError(f"user {name!r} already exists")
    if role == "hr" and not departments:
        raise UserError("an hr account needs at least one --department")
    if role in ("manager", "employee") and not employee_id:
        raise UserError(f"a {role} account needs --employee NUMBER (the person it belongs to)")
    user = User.create(name=name, role=role, password_hash=hash_password(password), employee=employee_id, lang=lang,
                       must_change=int(must_change))
    for code in departments:
        dept = Department.get_or_none(Department.code == code)
        if dept is None:
            raise UserError(f"unknown department {code!r}")
        UserDepartment.create(user=user.id, department=dept.id)
    return user


class OutOfScope(UserError):
    """The employee does not exist or lies outside the actor's scope (the two are not told apart)."""


def find_employee(actor: Actor, key: str) -> str:
    """Resolve an employee number (or exact zh/en name) within the actor's scope; returns the employee id."""
    from hrtui.store.db import database

    scope, params = scope_sql(actor, "e")
    key = key.strip()
    # An employee number names one employee: found from its index first (the names have none: a scan of 100k rows
    # costs ~20 ms, the whole budget of a portrait).
    rows = database.execute_sql(
        f"SELECT e.id, e.number FROM employee e WHERE e.number IN (?, ?) AND {scope} ORDER BY e.number LIMIT 3",
        [key, key.upper(), *params]).fetchall()
    if len(rows) == 1:
        return rows[0][0]
    rows = database.execute_sql(
        f"SELECT e.id, e.number FROM employee e WHERE (e.number IN (?, ?) OR e.name_zh = ? OR lower(e.name_en) = lower(?))"
        f" AND {scope} ORDER BY e.number LIMIT 3", [key, key.upper(), key, key, *params]
    ).fetchall()
    if not rows:
        raise OutOfScope(f"no employee {key!r} in your scope")
    if len(rows) > 1:
        raise UserError(f"{key!r} names several employees ({', '.join(r[1] for r in rows)}…); use the employee number")
    return rows[0][0]
