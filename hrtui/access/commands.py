"""CLI for accounts, passwords, the audit log and the database key: `hrtui user …`, `passwd`, `audit …`, `key …`."""
from __future__ import annotations

import getpass
import os
import secrets
import sys

from hrtui.errors import UserError


def register(sub, common) -> None:
    p = sub.add_parser("user", parents=[common], help="manage accounts (admin)")
    usub = p.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    a = usub.add_parser("add", parents=[common], help="create an account (prints a one-time password)")
    a.add_argument("name")
    a.add_argument("--role", required=True, choices=("admin", "hr", "manager", "employee"))
    a.add_argument("--department", action="append", default=[], metavar="CODE", help="hr: a department in scope")
    a.add_argument("--employee", metavar="NUMBER", help="manager/employee: the person the account belongs to")
    a.add_argument("--account-lang", choices=("zh", "en"), dest="account_lang")
    a.add_argument("--email", help="where this account's reminders are mailed (default: its employee's e-mail)")
    a.set_defaults(func=cmd_user_add)
    usub.add_parser("list", parents=[common], help="list accounts").set_defaults(func=cmd_user_list)
    for action, helptext in (("reset", "new one-time password; must be changed at next login"),
                             ("disable", "refuse logins to this account"), ("enable", "allow logins again")):
        q = usub.add_parser(action, parents=[common], help=helptext)
        q.add_argument("name")
        q.set_defaults(func=cmd_user_change, action=action)

    p = sub.add_parser("passwd", parents=[common], help="change your own password")
    p.set_defaults(func=cmd_passwd)

    p = sub.add_parser("audit", parents=[common], help="the audit log (admin)")
    asub = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    asub.add_parser("verify", parents=[common], help="check the hash chain").set_defaults(func=cmd_audit_verify)
    q = asub.add_parser("list", parents=[common], help="newest entries first")
    q.add_argument("--actor")
    q.add_argument("--action", help="action prefix, e.g. login. or portrait.")
    q.add_argument("--limit", type=int, default=50)
    q.set_defaults(func=cmd_audit_list)

    p = sub.add_parser("key", parents=[common], help="the database key in your keystore")
    ksub = p.add_subparsers(dest="key_command", metavar="ACTION", required=True)
    ksub.add_parser("path", parents=[common], help="where the key file is").set_defaults(func=cmd_key, action="path")
    ksub.add_parser("protect", parents=[common], help="wrap the key with a passphrase").set_defaults(
        func=cmd_key, action="protect")
    ksub.add_parser("unprotect", parents=[common], help="remove the passphrase").set_defaults(
        func=cmd_key, action="unprotect")


def _admin(args, verb: str = "write"):
    from hrtui.access.policy import require
    from hrtui.cli import open_session

    actor = open_session(args)
    require(actor, verb, "users")
    return actor


def _one_time_password() -> str:
    return secrets.token_urlsafe(12)


def cmd_user_add(args) -> int:
    from hrtui.access import audit
    from hrtui.access.actor import create_user
    from hrtui.store.db import database
    from hrtui.store.models import Employee, User

    actor = _admin(args)
    employee_id = None
    if args.employee:
        emp = Employee.get_or_none(Employee.number == args.employee.upper())
        if emp is None:
            raise UserError(f"no employee {args.employee!r}")
        employee_id = emp.id
    password = _one_time_password()
    with database.atomic():
        user = create_user(args.name, args.role, password, departments=args.department, employee_id=employee_id,
                           lang=args.account_lang, must_change=True)
        if args.email:
            User.update(email=args.email.strip()).where(User.id == user.id).execute()
        audit.record(actor, "user.add", user.id, {"role": args.role, "departments": args.department})
    print(f"created {args.name} ({args.role}); one-time password: {password}")
    print("it must be changed at first login (hrtui passwd)")
    return 0


def cmd_user_list(args) -> int:
    from hrtui.access import audit
    from hrtui.store.db import database

    actor = _admin(args, "read")
    rows = database.execute_sql(
        """SELECT u.name, u.role, coalesce(group_concat(d.code, ','), ''), coalesce(e.number, ''), u.disabled,
                  u.must_change, coalesce(u.last_login, '')
           FROM user u LEFT JOIN user_department ud ON ud.user_id = u.id LEFT JOIN department d ON d.id = ud.department_id
           LEFT JOIN employee e ON e.id = u.employee_id GROUP BY u.id ORDER BY u.name""").fetchall()
    audit.record(actor, "user.list")
    print(f"{'name':<16} {'role':<9} {'scope':<16} {'state':<12} last login")
    for name, role, depts, number, disabled, must_change, last in rows:
        scope = depts or number or ("all" if role == "admin" else "")
        state = "disabled" if disabled else "must change" if must_change else "active"
        print(f"{name:<16} {role:<9} {scope:<16} {state:<12} {last}")
    return 0


def cmd_user_change(args) -> int:
    from hrtui.access import audit
    from hrtui.access.passwords import hash_password
    from hrtui.store.db import database
    from hrtui.store.models import User

    actor = _admin(args)
    user = User.get_or_none(User.name == args.name)
    if user is None:
        raise UserError(f"unknown user {args.name!r}")
    if args.action == "disable" and user.id == actor.user_id:
        raise UserError("you cannot disable your own account")
    with database.atomic():
        if args.action == "reset":
            password = _one_time_password()
            User.update(password_hash=hash_password(password), must_change=1, failed_logins=0).where(
                User.id == user.id).execute()
        else:
            User.update(disabled=int(args.action == "disable")).where(User.id == user.id).execute()
        audit.record(actor, f"user.{args.action}", user.id)
    if args.action == "reset":
        print(f"{args.name}: one-time password {password}; it must be changed at next login (hrtui passwd)")
    else:
        print(f"{args.name}: {args.action}d")
    return 0


def read_new_password() -> str:
    from hrtui.access.actor import check_new_password

    env = os.environ.get("HRTUI_NEW_PASSWORD")
    if env is not None:
        check_new_password(env)
        return env
    if not sys.stdin.isatty():
        raise UserError("no new password: set HRTUI_NEW_PASSWORD or run in a terminal")
    first = getpass.getpass("New password: ")
    check_new_password(first)
    if getpass.getpass("New password again: ") != first:
        raise UserError("the two passwords differ; nothing changed")
    return first


def change_password(actor, new_password: str) -> None:
    from hrtui.access import audit
    from hrtui.access.passwords import hash_password
    from hrtui.store.db import database
    from hrtui.store.models import User

    with database.atomic():
        User.update(password_hash=hash_password(new_password), must_change=0).where(User.id == actor.user_id).execute()
        audit.record(actor, "user.passwd", actor.user_id)


def cmd_passwd(args) -> int:
    from hrtui.access.actor import authenticate, default_user_name
    from hrtui.cli import db_path, read_password
    from hrtui.store import open_store

    open_store(db_path(args))
    name = default_user_name(args.user)
    actor = authenticate(name, read_password(f"Current password for {name}: "), allow_must_change=True)
    change_password(actor, read_new_password())
    print(f"password of {name} changed")
    return 0


def cmd_audit_verify(args) -> int:
    from hrtui.access import audit
    from hrtui.access.policy import require
    from hrtui.cli import open_session
    from hrtui.store.db import database

    actor = open_session(args)
    require(actor, "read", "audit")
    problems = audit.verify()
    count = database.execute_sql("SELECT count(*) FROM audit").fetchone()[0]
    if problems:
        for p in problems:
            print(f"hrtui: {p}", file=sys.stderr)
        return 1
    audit.record(actor, "audit.verify", "", {"entries": count})
    print(f"audit log intact: {count} entries, chain verified")
    return 0


def cmd_audit_list(args) -> int:
    from hrtui.access import audit
    from hrtui.access.policy import require
    from hrtui.cli import open_session

    actor = open_session(args)
    require(actor, "read", "audit")
    rows = audit.entries(args.actor, args.action, args.limit)
    labels = audit.record_labels(e.record for e in rows)
    for e in rows:
        record = f"{e.record} ({labels[e.record]})" if e.record in labels else e.record
        print(f"{e.seq:>7} {e.at[:19]} {e.actor:<14} {e.action:<20} {record} {e.detail}")
    return 0


def cmd_key(args) -> int:
    from pathlib import Path

    from hrtui.cli import db_path
    from hrtui.store import keystore

    path = db_path(args)
    if not path.exists():
        raise UserError(f"no database at {path}")
    if keystore.is_plain_sqlite(path):
        raise UserError(f"{path} is not encrypted yet; run `hrtui migrate` to encrypt it")
    key_file = keystore.key_path(keystore.salt_of(path))
    if args.action == "path":
        print(key_file)
        return 0
    if args.action == "protect":
        keystore.read_key(key_file)  # proves the current key (and passphrase, if any) first
        new = read_new_passphrase()
        print(f"key protected: {keystore.protect(Path(path), new)}")
    else:
        print(f"passphrase removed: {keystore.unprotect(Path(path))}")
    return 0


def read_new_passphrase() -> str:
    env = os.environ.get("HRTUI_NEW_KEY_PASSPHRASE")
    if env:
        return env
    if not sys.stdin.isatty():
        raise UserError("no passphrase: set HRTUI_NEW_KEY_PASSPHRASE or run in a terminal")
    first = getpass.getpass("Key passphrase: ")
    if len(first) < 8:
        raise UserError("passphrase too short: use at least 8 characters")
    if getpass.getpass("Key passphrase again: ") != first:
        raise UserError("the two passphrases differ; nothing changed")
    return first
