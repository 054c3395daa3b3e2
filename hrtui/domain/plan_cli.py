"""`hrtui plan …`, `hrtui remind` and `hrtui report effect`: improvement plans for scripts and cron.

    hrtui plan list [--state S]                       plans in your scope
    hrtui plan draft EMPLOYEE [--interview latest|ID] draft from the key shortfalls
    hrtui plan show EMPLOYEE                          the plan and its checklist (text, md or json)
    hrtui plan activate|extend|close|discard EMPLOYEE state changes (HR)
    hrtui plan goal EMPLOYEE N [--target …]           change goal N
    hrtui plan add-item EMPLOYEE TEXT --owner O --due D
    hrtui plan check EMPLOYEE N [--undo]              tick item N (as shown by `plan show`)
    hrtui plan ack                                    the employee acknowledges their plan
    hrtui remind [--send] [--now ISO] [--format text|json]
    hrtui remind address USER [EMAIL]                 where an account's e-mail reminders go (admin)
    hrtui report effect EMPLOYEE [--format text|md|json]

Module-level imports stay light: the domain is imported only when a command runs.
"""
from __future__ import annotations

import json
import sys


def register(sub, common) -> None:
    p = sub.add_parser("plan", parents=[common], help="improvement plans: draft, show, activate, extend, close, check")
    ps = p.add_subparsers(dest="plan_command", metavar="ACTION", required=True)

    s = ps.add_parser("list", parents=[common], help="the plans in your scope")
    s.add_argument("--state", choices=("draft", "active", "extended", "closed"))
    s.add_argument("--format", choices=("text", "json"), default="text")
    s.set_defaults(func=cmd_list)

    s = ps.add_parser("draft", parents=[common], help="draft a plan from the employee's key shortfalls")
    s.add_argument("employee", metavar="EMPLOYEE")
    s.add_argument("--interview", metavar="latest|ID", help="link the interview the plan came from")
    s.add_argument("--format", choices=("text", "md", "json"), default="text")
    s.set_defaults(func=cmd_draft)

    s = ps.add_parser("show", parents=[common], help="the employee's plan (the open one, else the latest)")
    s.add_argument("employee", metavar="EMPLOYEE", nargs="?", help="default: yourself (employees)")
    s.add_argument("--format", choices=("text", "md", "json"), default="text")
    s.set_defaults(func=cmd_show)

    s = ps.add_parser("activate", parents=[common], help="draft → active: the plan starts today")
    s.add_argument("employee", metavar="EMPLOYEE")
    s.set_defaults(func=cmd_state, transition="activate")

    s = ps.add_parser("extend", parents=[common], help="move the deadline (and open items) by some days")
    s.add_argument("employee", metavar="EMPLOYEE")
    s.add_argument("--days", type=int, help="default: settings [plans] extend_days (30)")
    s.set_defaults(func=cmd_state, transition="extend")

    s = ps.add_parser("close", parents=[common], help="close the plan: met or not met (default: the effect report)")
    s.add_argument("employee", metavar="EMPLOYEE")
    g = s.add_mutually_exclusive_group()
    g.add_argument("--met", dest="outcome", action="store_const", const="met")
    g.add_argument("--not-met", dest="outcome", action="store_const", const="not_met")
    s.set_defaults(func=cmd_state, transition="close", outcome=None)

    s = ps.add_parser("discard", parents=[common], help="throw a draft away")
    s.add_argument("employee", metavar="EMPLOYEE")
    s.set_defaults(func=cmd_state, transition="discard")

    s = ps.add_parser("goal", parents=[common], help="change goal N of the plan")
    s.add_argument("employee", metavar="EMPLOYEE")
    s.add_argument("number", type=int, metavar="N")
    t = s.add_mutually_exclusive_group()
    t.add_argument("--target", type=float, help="a fixed target value")
    t.add_argument("--target-pct", type=float, metavar="PCT", help="change relative to the baseline, e.g. -50")
    t.add_argument("--target-team", action="store_true", help="reach the team mean")
    t.add_argument("--target-requirement", action="store_true", help="reach the position's requirement")
    s.add_argument("--deadline", metavar="DATE", help="YYYY-MM-DD or +N days")
    s.add_argument("--midterm", metavar="DATE", help="YYYY-MM-DD or +N days")
    s.add_argument("--add", metavar="DIMENSION", help="add a goal on this dimension instead (N is ignored)")
    s.add_argument("--delete", action="store_true", help="remove goal N")
    s.set_defaults(func=cmd_goal)

    s = ps.add_parser("add-item", parents=[common], help="add an action to the checklist")
    s.add_argument("employee", metavar="EMPLOYEE")
    s.add_argument("text", metavar="TEXT")
    s.add_argument("--owner", choices=("employee", "hr", "manager"), default="employee")
    s.add_argument("--due", metavar="DATE", help="YYYY-MM-DD or +N days (default: in 14 days)")
    s.set_defaults(func=cmd_add_item)

    s = ps.add_parser("check", parents=[common], help="tick item N of the checklist (as `plan show` numbers it)")
    s.add_argument("employee", metavar="EMPLOYEE", nargs="?", help="default: yourself (employees)")
    s.add_argument("number", type=int, metavar="N")
    s.add_argument("--undo", action="store_true", help="untick it")
    s.set_defaults(func=cmd_check)

    s = ps.add_parser("ack", parents=[common], help="employees: acknowledge your plan")
    s.set_defaults(func=cmd_ack)

    p = sub.add_parser("remind", parents=[common],
                       help="list the plan reminders due now; --send delivers them (in-app and e-mail), each once")
    p.add_argument("--send", action="store_true", help="deliver: in-app inboxes, and e-mail when [smtp] is set")
    p.add_argument("--now", metavar="ISO", help="pretend it is this date or time (e.g. 2026-12-01T08:00+08:00)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_remind)
    rs = p.add_subparsers(dest="remind_command", metavar="[address USER [EMAIL]]")
    a = rs.add_parser("address", parents=[common], help="admin: show or set where an account's e-mails go")
    a.add_argument("user_name", metavar="USER")
    a.add_argument("email", metavar="EMAIL", nargs="?", help="the address; '-' clears it (then the employee's e-mail)")
    a.set_defaults(func=cmd_address)

    p = sub.add_parser("report", parents=[common], help="reports: the improvement effect of a plan")
    rp = p.add_subparsers(dest="report_command", metavar="REPORT", required=True)
    e = rp.add_parser("effect", parents=[common], help="baseline vs the latest window since the plan started")
    e.add_argument("employee", metavar="EMPLOYEE")
    e.add_argument("--format", choices=("text", "md", "json"), default="text")
    e.set_defaults(func=cmd_effect)


# -- rendering ----------------------------------------------------------------------------------------------------
def render_plan(plan, lang: str, today) -> str:
    from hrtui.cells import pad
    from hrtui.i18n import t

    other = plan.name_en if lang == "zh" else plan.name_zh
    lines = [f"{plan.number} {plan.name(lang)} {other}".rstrip() + f" · {plan.department_code or '—'} · "
             f"{plan.state_text(lang)}",
             t("plan.cli.dates", lang, drafted=plan.drafted_on, start=plan.start_date or "—",
               midterm=plan.midterm or "—", deadline=plan.deadline or "—")]
    if plan.extended_days:
        lines.append(t("plan.cli.extended", lang, days=plan.extended_days))
    if plan.running:
        lines.append(t("plan.cli.ack_yes" if plan.acknowledged_at else "plan.cli.ack_no", lang,
                       at=(plan.acknowledged_at or "")[:10]))
    lines += ["", t("plan.cli.goals", lang)]
    if not plan.goals:
        lines.append("  " + t("plan.cli.none", lang))
    for n, g in enumerate(plan.goals, 1):
        lines.append(f"  {n}. " + t("plan.cli.goal", lang, name=g.name(lang), baseline=g.fmt(g.baseline),
                                                     months=f"{g.baseline_from}..{g.baseline_to}",
                                                     target=g.target_text(lang)))
        lines.append("     " + t("plan.cli.goal_dates", lang, midterm=g.midterm, deadline=g.deadline))
    done, total = plan.progress
    lines += ["", t("plan.cli.checklist", lang, done=done, total=total)]
    if not plan.items:
        lines.append("  " + t("plan.cli.none", lang))
    for n, i in enumerate(plan.items, 1):
        mark = "x" if i.done else ("!" if plan.running and i.overdue_days(today) else " ")
        note = t("plan.cli.done_on", lang, day=i.done_on) if i.done else (
            t("plan.cli.overdue", lang, n=i.overdue_days(today)) if plan.running and i.overdue_days(today) else "")
        lines.append(f"  {n:>2}. [{mark}] {pad(i.text(lang), 44)} {pad(t(f'plan.owner.{i.owner}', lang), 8)} "
                     f"{i.due_date} {note}".rstrip())
    return "\n".join(lines)


def render_markdown(plan, lang: str, today) -> str:
    from hrtui.i18n import t

    out = ["# " + t("plan.md.heading", lang, title=t("plan.md.title", lang), who=f"{plan.name(lang)} ({plan.number})"), "",
           "- " + t("plan.md.state_line", lang, state=plan.state_text(lang)),
           f"- {t('plan.cli.dates', lang, drafted=plan.drafted_on, start=plan.start_date or '—', midterm=plan.midterm or '—', deadline=plan.deadline or '—')}",
           "", f"## {t('plan.cli.goals', lang)}", "",
           f"| {t('plan.col.dimension', lang)} | {t('plan.col.baseline', lang)} | {t('plan.col.target', lang)} | "
           f"{t('plan.col.midterm', lang)} | {t('plan.col.deadline', lang)} |", "|---|---:|---|---|---|"]
    for g in plan.goals:
        out.append(f"| {g.name(lang)} | {g.fmt(g.baseline)} | {g.target_text(lang)} | {g.midterm} | {g.deadline} |")
    done, total = plan.progress
    out += ["", f"## {t('plan.cli.checklist', lang, done=done, total=total)}", ""]
    for i in plan.items:
        late = f" **{t('plan.cli.overdue', lang, n=i.overdue_days(today))}**" if plan.running and i.overdue_days(today) else ""
        out.append(f"- [{'x' if i.done else ' '}] " + t("plan.md.item", lang, text=i.text(lang),
                                                         owner=t(f"plan.owner.{i.owner}", lang), due=i.due_date) + late)
    return "\n".join(out) + "\n"


def _print_plan(plan, lang: str, fmt: str, today) -> None:
    if fmt == "json":
        json.dump(plan.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif fmt == "md":
        sys.stdout.write(render_markdown(plan, lang, today))
    else:
        print(render_plan(plan, lang, today))


def _session(args):
    from hrtui.cli import open_session, ui_lang

    actor = open_session(args)
    return actor, ui_lang(args, actor)


def _own_key(actor, employee: str | None) -> str:
    from hrtui.errors import UserError

    if employee:
        return employee
    if actor.employee_id:
        from hrtui.store.db import database

        return database.execute_sql("SELECT number FROM employee WHERE id = ?", (actor.employee_id,)).fetchone()[0]
    raise UserError("name the employee (EMPLOYEE)")


# -- plan commands --------------------------------------------------------------------------------------------------
def cmd_list(args) -> int:
    from hrtui.cells import pad
    from hrtui.domain import plans as P
    from hrtui.i18n import t

    actor, lang = _session(args)
    rows = P.plans(actor, args.state)
    if args.format == "json":
        json.dump([r.to_dict() for r in rows], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    head = [(t("plan.col.number", lang), 9, False), (t("plan.col.name", lang), 14, False),
            (t("plan.col.dept", lang), 6, False), (t("plan.col.state", lang), 18, False),
            (t("plan.col.progress", lang), 8, True), (t("plan.col.deadline", lang), 11, False),
            (t("plan.col.overdue", lang), 6, True)]
    print(" ".join(pad(h, w, r) for h, w, r in head).rstrip())
    for row in rows:
        cells = [row.number, row.name(lang), row.department_code or "—", row.state_text(lang),
                 f"{row.done}/{row.total}", row.deadline or "—", str(row.overdue or "")]
        print(" ".join(pad(c, w, r) for c, (_h, w, r) in zip(cells, head)).rstrip())
    print(t("plan.cli.count", lang, n=len(rows)))
    return 0


def cmd_draft(args) -> int:
    from hrtui.domain import plans as P
    from hrtui.errors import UserError

    actor, lang = _session(args)
    interview_id = args.interview
    if interview_id == "latest":
        from hrtui.domain import interview

        rows = interview.history(actor, args.employee)
        if not rows:
            raise UserError(f"no interview with {args.employee!r} to link")
        interview_id = rows[0][0]
    plan = P.draft(actor, args.employee, lang, interview_id=interview_id)
    _print_plan(plan, lang, args.format, P.org_today())
    return 0


def cmd_show(args) -> int:
    from hrtui.domain import plans as P

    actor, lang = _session(args)
    key = _own_key(actor, args.employee)
    plan = P.load(actor, P.require_plan_of(actor, key, lang), lang=lang)
    _print_plan(plan, lang, args.format, P.org_today())
    return 0


def cmd_state(args) -> int:
    from hrtui.domain import plans as P
    from hrtui.i18n import t

    actor, lang = _session(args)
    pid = P.require_plan_of(actor, args.employee, lang)
    if args.transition == "activate":
        P.activate(actor, pid, lang)
    elif args.transition == "extend":
        P.extend(actor, pid, args.days, lang)
    elif args.transition == "close":
        args.outcome = P.close(actor, pid, args.outcome, lang)
    else:
        P.discard(actor, pid, lang)
        print(t("plan.cli.discarded", lang, employee=args.employee))
        return 0
    plan = P.load(actor, pid, audit_read=False, lang=lang)
    print(t("plan.cli.now", lang, employee=plan.number, state=plan.state_text(lang), deadline=plan.deadline or "—"))
    return 0


def cmd_goal(args) -> int:
    from hrtui.domain import plans as P
    from hrtui.errors import UserError

    actor, lang = _session(args)
    pid = P.require_plan_of(actor, args.employee, lang)
    if args.add:
        P.add_goal(actor, pid, args.add, lang)
    else:
        plan = P.load(actor, pid, audit_read=False, lang=lang)
        if not 1 <= args.number <= len(plan.goals):
            raise UserError(f"the plan has {len(plan.goals)} goals; N is 1..{len(plan.goals)}")
        goal = plan.goals[args.number - 1]
        if args.delete:
            P.delete_goal(actor, goal.id, lang)
        else:
            changes = {}
            if args.target is not None:
                changes["target"] = args.target
            elif args.target_pct is not None:
                changes["target_pct"] = args.target_pct
            elif args.target_team:
                changes["target_kind"] = "team"
            elif args.target_requirement:
                changes["target_kind"] = "requirement"
            if args.deadline:
                changes["deadline"] = args.deadline
            if args.midterm:
                changes["midterm"] = args.midterm
            if not changes:
                raise UserError("nothing to change: give --target/--target-pct/--target-team/--target-requirement, "
                                "--deadline or --midterm")
            P.update_goal(actor, goal.id, lang, **changes)
    _print_plan(P.load(actor, pid, audit_read=False, lang=lang), lang, "text", P.org_today())
    return 0


def cmd_add_item(args) -> int:
    from hrtui.domain import plans as P

    actor, lang = _session(args)
    pid = P.require_plan_of(actor, args.employee, lang)
    P.add_item(actor, pid, None, lang, text=args.text, owner=args.owner, due=args.due)
    _print_plan(P.load(actor, pid, audit_read=False, lang=lang), lang, "text", P.org_today())
    return 0


def cmd_check(args) -> int:
    from hrtui.domain import plans as P
    from hrtui.errors import UserError

    actor, lang = _session(args)
    key = _own_key(actor, args.employee)
    pid = P.require_plan_of(actor, key, lang)
    plan = P.load(actor, pid, audit_read=False, lang=lang)
    if not 1 <= args.number <= len(plan.items):
        raise UserError(f"the checklist has {len(plan.items)} items; N is 1..{len(plan.items)}")
    P.set_done(actor, plan.items[args.number - 1].id, not args.undo, lang)
    _print_plan(P.load(actor, pid, audit_read=False, lang=lang), lang, "text", P.org_today())
    return 0


def cmd_ack(args) -> int:
    from hrtui.domain import plans as P
    from hrtui.i18n import t

    actor, lang = _session(args)
    key = _own_key(actor, None)
    pid = P.require_plan_of(actor, key, lang)
    P.acknowledge(actor, pid, lang)
    print(t("plan.cli.acknowledged", lang))
    return 0


# -- reminders -------------------------------------------------------------------------------------------------------
def cmd_remind(args) -> int:
    from hrtui.domain import plans as P
    from hrtui.domain import reminders as R
    from hrtui.i18n import t

    actor, lang = _session(args)
    today = P.org_date(P.parse_now(args.now)) if args.now else P.org_today()
    if args.send:
        result = R.send_due(actor, today)
        rows = result.due
    else:
        result, rows = None, R.collect(actor, today)
    if args.format == "json":
        out = {"date": today.isoformat(), "reminders": [d.to_dict(today) for d in rows]}
        if result is not None:
            out.update(sent=len(result.sent), already=len(result.already), failed=len(result.failed),
                       busy=len(result.busy), no_address=len(result.no_address), in_app=result.in_app,
                       email=result.email_enabled, error=result.unavailable)
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_reminders(rows, lang, today)
        if result is not None:
            print(t("remind.cli.sent", lang, sent=len(result.sent), already=len(result.already),
                    failed=len(result.failed), no_address=len(result.no_address), busy=len(result.busy),
                    in_app=result.in_app))
    if result is None:
        return 0
    if not result.email_enabled:
        print("hrtui: " + t("remind.cli.no_smtp", lang), file=sys.stderr)
        return 0
    if result.unavailable:
        print("hrtui: " + t("remind.cli.unavailable", lang, error=result.unavailable, n=len(result.failed)),
              file=sys.stderr)
        return 1
    if result.failed:
        last = next((d.error for d in reversed(result.failed) if d.error), "")
        print("hrtui: " + t("remind.cli.refused", lang, n=len(result.failed), error=last), file=sys.stderr)
        return 1
    return 0


def _print_reminders(rows, lang: str, today) -> None:
    from hrtui.cells import pad
    from hrtui.i18n import t

    if not rows:
        print(t("remind.cli.none", lang, date=today.isoformat()))
        return
    for d in rows:
        r = d.recipient
        status = t(f"remind.status.{d.email or 'new'}", lang) if r.address else t("remind.status.app", lang)
        print(f"{d.occurrence.on.isoformat()}  {pad(d.occurrence.kind, 16)} {d.number}  {d.text(lang, today)}")
        print(f"{'':12}→ {r.name} ({t(f'plan.role.{r.role}', lang)})"
              + (f" <{r.address}>" if r.address else "") + f" · {r.lang} · {status}")
    people = len({d.recipient.key for d in rows})
    print(t("remind.cli.summary", lang, n=len(rows), date=today.isoformat(), people=people))


def cmd_address(args) -> int:
    from hrtui.domain import reminders as R
    from hrtui.store.db import database

    actor, _lang = _session(args)
    if args.email is not None:
        R.set_address(actor, args.user_name, None if args.email == "-" else args.email)
    from hrtui.access.policy import require

    require(actor, "read", "users")
    row = database.execute_sql(
        "SELECT u.email, e.email FROM user u LEFT JOIN employee e ON e.id = u.employee_id WHERE u.name = ?",
        (args.user_name,)).fetchone()
    if row is None:
        from hrtui.errors import UserError

        raise UserError(f"unknown user {args.user_name!r}")
    own, employee = row
    if own:
        print(f"{args.user_name}: {own}")
    elif employee:
        print(f"{args.user_name}: {employee} (the e-mail of the employee record)")
    else:
        print(f"{args.user_name}: no e-mail address (in-app reminders only)")
    return 0


# -- the effect report ----------------------------------------------------------------------------------------------
def cmd_effect(args) -> int:
    from hrtui.domain import effect

    actor, lang = _session(args)
    r = effect.report(actor, args.employee, lang)
    if args.format == "json":
        json.dump(r.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.format == "md":
        sys.stdout.write(effect.to_markdown(r, lang))
    else:
        print(effect.to_text(r, lang))
    return 0
