"""Reminders of improvement plans (issue 5): when they fall due, to whom, and delivering each exactly once.

**The schedule** (`schedule`) of a running plan (active or extended; drafts and closed plans have none):
- every checklist item not yet done: `lead_days` (3) before its due date, on the due date, then every day while it
  is overdue;
- every goal's mid-term check, on its day;
- every goal's deadline: `lead_days` before it, on it, then every day while the plan is still open after it.
Dates are calendar dates in the organisation's time zone; weekends and holidays are days like any other (a reminder
due on a Saturday is dated Saturday). Extending a plan moves its dates, so the reminders move with them; closing it
stops them; ticking an item off stops that item's.

**Due now** (`due`): of each subject (an item, a mid-term date, a deadline) only its latest reminder up to today
counts, and only if it is at most `catch_up_days` (3) old — a run after a gap delivers the newest reminder of each
subject, never a backlog of stale ones.

**Recipients**: the plan's HR (the account that drafted it; if that account is disabled, the HR accounts of the
employee's department) and the employee (their account, else the e-mail in their record); for an item owned by the
manager, the manager too. Accounts get the in-app inbox and e-mail (the account's e-mail, else its employee's);
people without an account get e-mail only. Each message is in the recipient's language (the account's language,
else settings [ui] lang, else the system locale).

**Exactly once**: the table `reminder` has one row per (reminder key, recipient, channel), unique. A sender inserts
(or finds) the row and claims it inside one write transaction (BEGIN IMMEDIATE) before talking to the SMTP server,
and marks it sent after the server accepted the message; when the server cannot be reached or refuses, the claim is
given back and the next run tries again. Two runs at once (cron overlapping) both try to claim; SQLite serialises
the claims and only one wins. A claim left by a run that died mid-send is taken over after `STALE_CLAIM` (15 min).
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass, field

from hrtui.access import audit
from hrtui.access.actor import Actor, scope_sql
from hrtui.access.policy import can, require
from hrtui.domain import plans as plans_mod
from hrtui.errors import UserError
from hrtui.i18n import bilingual, register, t
from hrtui.store.db import database
from hrtui.store.ids import uuid7

KINDS = ("item_before", "item_due", "item_overdue", "midterm", "deadline_before", "deadline", "deadline_overdue")
STALE_CLAIM = _dt.timedelta(minutes=15)


@dataclass(frozen=True)
class Occurrence:
    key: str              # unique per reminder: subject, kind and the day it falls on
    subject: str          # 'item:<id>', 'midterm:<plan>:<date>', 'deadline:<plan>:<date>'
    kind: str
    on: _dt.date          # the day the reminder is due
    about: _dt.date       # the due date / mid-term / deadline it is about
    plan_id: str
    item_id: str | None = None
    owner: str | None = None   # the item's owner; None for the plan's own dates


def schedule(plan, until: _dt.date, lead_days: int = 3) -> list[Occurrence]:
    """Every reminder of `plan` up to and including `until`, in date order (from the plan's start on)."""
    if plan.state not in plans_mod.RUNNING or not plan.start_date:
        return []
    start = _dt.date.fromisoformat(plan.start_date)
    out: list[Occurrence] = []

    def add(subject, kind, on, about, item=None, stop=None):
        if start <= on <= until and (stop is None or on < stop):
            out.append(Occurrence(f"{subject}:{kind}:{about.isoformat()}@{on.isoformat()}", subject, kind, on, about,
                                  plan.id, item.id if item else None, item.owner if item else None))

    def daily_after(subject, kind, about, item=None, stop=None):
        day = max(about + _dt.timedelta(days=1), start)
        last = until if stop is None else min(until, stop - _dt.timedelta(days=1))
        while day <= last:
            add(subject, kind, day, about, item, stop)
            day += _dt.timedelta(days=1)

    for item in plan.items:
        due = _dt.date.fromisoformat(item.due_date)
        stop = _dt.date.fromisoformat(item.done_on) if item.done_on else None
        subject = f"item:{item.id}"
        if lead_days > 0:
            add(subject, "item_before", due - _dt.timedelta(days=lead_days), due, item, stop)
        add(subject, "item_due", due, due, item, stop)
        daily_after(subject, "item_overdue", due, item, stop)
    for midterm in sorted({g.midterm for g in plan.goals}):
        day = _dt.date.fromisoformat(midterm)
        add(f"midterm:{plan.id}:{midterm}", "midterm", day, day)
    for deadline in sorted({g.deadline for g in plan.goals}):
        day = _dt.date.fromisoformat(deadline)
        subject = f"deadline:{plan.id}:{deadline}"
        if lead_days > 0:
            add(subject, "deadline_before", day - _dt.timedelta(days=lead_days), day)
        add(subject, "deadline", day, day)
        daily_after(subject, "deadline_overdue", day)
    out.sort(key=lambda o: (o.on, KINDS.index(o.kind), o.key))
    return out


def due(plan, today: _dt.date, lead_days: int = 3, catch_up_days: int = 3) -> list[Occurrence]:
    """The reminders of `plan` due on `today`: the newest of each subject, at most `catch_up_days` old."""
    done = {i.id for i in plan.items if i.done_on and i.done_on <= today.isoformat()}
    latest: dict[str, Occurrence] = {}
    for occ in schedule(plan, today, lead_days):
        if occ.item_id in done:
            continue
        latest[occ.subject] = occ
    oldest = today - _dt.timedelta(days=catch_up_days)
    return sorted((o for o in latest.values() if o.on >= oldest), key=lambda o: (o.on, KINDS.index(o.kind), o.key))


# -- recipients --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Recipient:
    key: str              # 'u:<user id>' or 'e:<employee id>'
    user_id: str | None
    name: str             # account name, or the employee number
    address: str | None
    lang: str
    role: str             # 'hr', 'employee' or 'manager': why they get it

    def to_dict(self) -> dict:
        return asdict(self)


def _default_lang() -> str:
    from hrtui import config
    from hrtui.i18n import default_lang

    try:
        configured = config.load_settings().lang
    except ValueError:
        configured = None
    return default_lang(None, configured)


def _accounts(where: str, params) -> list[tuple]:
    return database.execute_sql(
        f"""SELECT u.id, u.name, coalesce(nullif(u.email, ''), nullif(e.email, '')), u.lang FROM user u
            LEFT JOIN employee e ON e.id = u.employee_id WHERE u.disabled = 0 AND {where} ORDER BY u.name""",
        params).fetchall()


class Resolver:
    """Recipients of a plan's reminders, looked up once per plan."""

    def __init__(self, plan, fallback_lang: str):
        self.plan, self.lang = plan, fallback_lang
        # The plan's HR owner while the employee is still theirs (an admin always); once the employee has moved to
        # a department they do not cover, the HR accounts that cover it now.
        hr = _accounts("u.id = ? AND (u.role = 'admin' OR (u.role = 'hr' AND u.id IN (SELECT ud.user_id FROM "
                       "user_department ud JOIN employee x ON x.department_id = ud.department_id WHERE x.id = ?)))",
                       (plan.hr_user_id, plan.employee_id)) if plan.hr_user_id else []
        if not hr:
            hr = _accounts("u.role = 'hr' AND u.id IN (SELECT ud.user_id FROM user_department ud JOIN employee x "
                           "ON x.department_id = ud.department_id WHERE x.id = ?)", (plan.employee_id,))
        self.hr = [self._user(r, "hr") for r in hr]
        self.employee = self._people(plan.employee_id, "employee")
        self.manager = self._people(plan.manager_id, "manager") if plan.manager_id else []

    def _user(self, row, role) -> Recipient:
        uid, name, address, lang = row
        return Recipient(f"u:{uid}", uid, name, address or None, lang if lang in ("zh", "en") else self.lang, role)

    def _people(self, employee_id: str, role: str) -> list[Recipient]:
        rows = _accounts("u.employee_id = ? AND u.role IN ('employee', 'manager')", (employee_id,))
        if rows:
            return [self._user(r, role) for r in rows]
        row = database.execute_sql("SELECT number, email FROM employee WHERE id = ? AND status != 'left'",
                                   (employee_id,)).fetchone()
        if row is None:
            return []
        return [Recipient(f"e:{employee_id}", None, row[0], row[1] or None, self.lang, role)]

    def __call__(self, occ: Occurrence) -> list[Recipient]:
        people = [*self.hr, *self.employee, *(self.manager if occ.owner == "manager" else [])]
        seen, out = set(), []
        for r in people:
            if r.key not in seen:
                seen.add(r.key)
                out.append(r)
        return out


# -- what is due, for whom ----------------------------------------------------------------------------------------
@dataclass
class DueReminder:
    occurrence: Occurrence
    recipient: Recipient
    number: str
    name_zh: str
    name_en: str
    employee_id: str
    item_zh: str | None
    item_en: str | None
    email: str | None = None      # None (never tried), 'pending' (tried, not sent), 'sent'
    sent_at: str | None = None
    error: str | None = None

    def employee_name(self, lang: str) -> str:
        return bilingual(lang, self.name_zh, self.name_en)

    def item_text(self, lang: str) -> str | None:
        return bilingual(lang, self.item_zh, self.item_en)

    def text(self, lang: str, today: _dt.date) -> str:
        return sentence(self.occurrence.kind, lang, today=today, about=self.occurrence.about,
                        item=self.item_text(lang), employee=f"{self.number} {self.employee_name(lang)}",
                        own=self.recipient.role == "employee")

    def to_dict(self, today: _dt.date) -> dict:
        o = self.occurrence
        return {"key": o.key, "kind": o.kind, "on": o.on.isoformat(), "about": o.about.isoformat(),
                "plan_id": o.plan_id, "item_id": o.item_id, "employee": self.number,
                "recipient": self.recipient.name, "recipient_role": self.recipient.role,
                "address": self.recipient.address, "lang": self.recipient.lang,
                "text": self.text(self.recipient.lang, today), "email": self.email, "sent_at": self.sent_at,
                "error": self.error}


def _running_plan_ids(actor: Actor) -> list[str]:
    """Running plans of the employees in the actor's scope now. A recipient is always someone who may see the
    employee today, so this is also every plan whose reminders can go to the actor (the Resolver picks among them)."""
    scope, params = scope_sql(actor, "e")
    rows = database.execute_sql(
        f"""SELECT p.id FROM plan p JOIN employee e ON e.id = p.employee_id
            WHERE p.deleted = 0 AND p.state IN ('active', 'extended') AND {scope} ORDER BY e.number""",
        params).fetchall()
    return [r[0] for r in rows]


def collect(actor: Actor, today: _dt.date, *, only_user: str | None = None, lead_days: int | None = None,
            catch_up_days: int | None = None) -> list[DueReminder]:
    """Every (reminder, recipient) due on `today` for the running plans in the actor's scope. HR and admins see all
    recipients; managers and employees only the reminders addressed to them."""
    from hrtui.config import load_plan_settings

    ps = load_plan_settings()
    lead = ps.lead_days if lead_days is None else lead_days
    catch_up = ps.catch_up_days if catch_up_days is None else catch_up_days
    if not can(actor, "write", "plans"):
        only_user = actor.user_id
    ids = _running_plan_ids(actor)
    lang = _default_lang()
    out: list[DueReminder] = []
    for pid in ids:
        plan = plans_mod.load_unchecked(pid)
        occs = due(plan, today, lead, catch_up)
        if not occs:
            continue
        who = Resolver(plan, lang)
        for occ in occs:
            item = plan.item(occ.item_id) if occ.item_id else None
            for r in who(occ):
                if only_user and r.user_id != only_user:
                    continue
                out.append(DueReminder(occ, r, plan.number, plan.name_zh, plan.name_en, plan.employee_id,
                                       item.text_zh if item else None, item.text_en if item else None))
    _attach_status(out)
    return out


def _attach_status(rows: list[DueReminder]) -> None:
    for d in rows:
        got = database.execute_sql(
            "SELECT status, sent_at, last_error FROM reminder WHERE key = ? AND recipient = ? AND channel = 'email'",
            (d.occurrence.key, d.recipient.key)).fetchone()
        if got:
            d.email, d.sent_at, d.error = got


# -- recording ------------------------------------------------------------------------------------------------------
def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc)


def _iso(when: _dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _insert(d: DueReminder, channel: str, status: str, stamp: str) -> bool:
    """Insert the row for (key, recipient, channel) unless it exists; True when this call created it."""
    o = d.occurrence
    cur = database.execute_sql(
        """INSERT OR IGNORE INTO reminder (id, key, recipient, channel, user_id, plan_id, item_id, kind, on_date,
                                           about_date, address, status, sent_at, created_at)
           VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
        (uuid7(), o.key, d.recipient.key, channel, d.recipient.user_id, o.plan_id, o.item_id, o.kind,
         o.on.isoformat(), o.about.isoformat(), d.recipient.address if channel == "email" else None, status,
         stamp if status == "sent" else None, stamp))
    return cur.rowcount == 1


def record_in_app(actor: Actor, rows: list[DueReminder]) -> list[DueReminder]:
    """Put due reminders into the recipients' in-app inboxes; returns those that were not there yet."""
    fresh = []
    targets = [d for d in rows if d.recipient.user_id]
    if not targets:
        return fresh
    stamp = _iso(_now())
    with database.atomic(lock_type="IMMEDIATE"):
        for d in targets:
            if _insert(d, "app", "sent", stamp):
                fresh.append(d)
        if fresh:
            audit.record(actor, "remind.app", "", {"reminders": len(fresh)})
    return fresh


@dataclass
class SendResult:
    due: list[DueReminder] = field(default_factory=list)
    sent: list[DueReminder] = field(default_factory=list)
    already: list[DueReminder] = field(default_factory=list)     # sent before (this run did nothing)
    busy: list[DueReminder] = field(default_factory=list)        # another run holds the claim right now
    failed: list[DueReminder] = field(default_factory=list)      # the server refused: retried next run
    no_address: list[DueReminder] = field(default_factory=list)
    in_app: int = 0
    unavailable: str | None = None                               # the server could not be reached (one line)
    email_enabled: bool = True


def _claim(d: DueReminder, token: str) -> str:
    """'claimed', 'sent' (already delivered) or 'busy' (another run is sending it)."""
    now = _now()
    with database.atomic(lock_type="IMMEDIATE"):
        _insert(d, "email", "pending", _iso(now))
        cur = database.execute_sql(
            """UPDATE reminder SET claim = ?, claimed_at = ?, attempts = attempts + 1, address = ?
               WHERE key = ? AND recipient = ? AND channel = 'email' AND status = 'pending'
                 AND (claim IS NULL OR claimed_at < ?)""",
            (token, _iso(now), d.recipient.address, d.occurrence.key, d.recipient.key, _iso(now - STALE_CLAIM)))
        if cur.rowcount == 1:
            return "claimed"
        status = database.execute_sql(
            "SELECT status FROM reminder WHERE key = ? AND recipient = ? AND channel = 'email'",
            (d.occurrence.key, d.recipient.key)).fetchone()[0]
    return "sent" if status == "sent" else "busy"


def _mark_sent(actor: Actor, d: DueReminder, token: str) -> None:
    stamp = _iso(_now())
    with database.atomic(lock_type="IMMEDIATE"):
        database.execute_sql(
            """UPDATE reminder SET status = 'sent', sent_at = ?, claim = NULL, last_error = NULL
               WHERE key = ? AND recipient = ? AND channel = 'email' AND claim = ?""",
            (stamp, d.occurrence.key, d.recipient.key, token))
        rid = database.execute_sql("SELECT id FROM reminder WHERE key = ? AND recipient = ? AND channel = 'email'",
                                   (d.occurrence.key, d.recipient.key)).fetchone()[0]
        audit.record(actor, "remind.sent", rid, {"plan": d.occurrence.plan_id, "kind": d.occurrence.kind})
    d.email, d.sent_at = "sent", stamp


def _release(d: DueReminder, token: str, error: str) -> None:
    with database.atomic(lock_type="IMMEDIATE"):
        database.execute_sql(
            """UPDATE reminder SET claim = NULL, claimed_at = NULL, last_error = ?
               WHERE key = ? AND recipient = ? AND channel = 'email' AND claim = ?""",
            (error[:300], d.occurrence.key, d.recipient.key, token))
    d.email, d.error = "pending", error


def send_due(actor: Actor, today: _dt.date, *, mailer=None) -> SendResult:
    """Deliver every reminder due on `today` in the actor's scope: into the in-app inboxes, and by e-mail when an
    SMTP server is configured (`mailer`, default from settings). Each (reminder, recipient, channel) goes out once."""
    from hrtui.domain import mailer as mail

    require(actor, "write", "plans")
    result = SendResult(due=collect(actor, today))
    result.in_app = len(record_in_app(actor, result.due))
    if mailer is None:
        settings = mail.settings()
        result.email_enabled = settings.enabled
        mailer = mail.Mailer(settings) if settings.enabled else None
    if mailer is None:
        return result
    token = uuid7()
    with mailer:
        for d in result.due:
            if d.recipient.address is None:
                result.no_address.append(d)
                continue
            if d.email == "sent":
                result.already.append(d)
                continue
            if result.unavailable:
                result.failed.append(d)
                continue
            state = _claim(d, token)
            if state == "sent":
                d.email = "sent"
                result.already.append(d)
                continue
            if state == "busy":
                result.busy.append(d)
                continue
            subject, body = message(d, today)
            try:
                mailer.send(d.recipient.address, subject, body, d.occurrence.key)
            except mail.MailerUnavailable as exc:
                _release(d, token, str(exc))
                result.unavailable = str(exc)
                result.failed.append(d)
                continue
            except mail.MessageRefused as exc:
                _release(d, token, str(exc))
                result.failed.append(d)
                continue
            except BaseException:
                _release(d, token, "interrupted")
                raise
            _mark_sent(actor, d, token)
            result.sent.append(d)
    return result


# -- the in-app inbox -----------------------------------------------------------------------------------------------
@dataclass
class InboxEntry:
    id: str
    kind: str
    on_date: str
    about_date: str
    plan_id: str
    item_id: str | None
    number: str
    name_zh: str
    name_en: str
    item_zh: str | None
    item_en: str | None
    read_at: str | None
    own: bool                     # about the user's own plan
    done_on: str | None = None    # the item has been done since

    def employee_name(self, lang: str) -> str:
        return bilingual(lang, self.name_zh, self.name_en)

    def item_text(self, lang: str) -> str | None:
        return bilingual(lang, self.item_zh, self.item_en)

    def text(self, lang: str, today: _dt.date | None = None) -> str:
        """The reminder as it read on its day (or relative to `today`)."""
        return sentence(self.kind, lang, today=today or _dt.date.fromisoformat(self.on_date),
                        about=_dt.date.fromisoformat(self.about_date), item=self.item_text(lang),
                        employee=f"{self.number} {self.employee_name(lang)}", own=self.own)


def refresh_inbox(actor: Actor, today: _dt.date | None = None) -> list[DueReminder]:
    """Deliver the reminders due today for this user into their inbox (what opening hrtui does); returns the new
    ones, which the app pops up. Works without cron; with cron the rows are usually there already."""
    today = today or plans_mod.org_today()
    return record_in_app(actor, collect(actor, today, only_user=actor.user_id))


def inbox(actor: Actor, limit: int = 200) -> list[InboxEntry]:
    """The user's reminders about employees still in their scope (one who moved to another department, or whose
    manager changed, drops out of the old HR's or manager's inbox with their plan)."""
    scope, params = scope_sql(actor, "e")
    rows = database.execute_sql(
        f"""SELECT r.id, r.kind, r.on_date, r.about_date, r.plan_id, r.item_id, e.number, e.name_zh, e.name_en,
                  i.text_zh, i.text_en, r.read_at, p.employee_id = ?, i.done_on
           FROM reminder r JOIN plan p ON p.id = r.plan_id JOIN employee e ON e.id = p.employee_id
           LEFT JOIN plan_item i ON i.id = r.item_id
           WHERE r.user_id = ? AND r.channel = 'app' AND {scope}
           ORDER BY r.read_at IS NOT NULL, r.on_date DESC, r.created_at DESC, r.id DESC LIMIT ?""",
        (actor.employee_id or "", actor.user_id, *params, limit)).fetchall()
    return [InboxEntry(*r[:12], own=bool(r[12]), done_on=r[13]) for r in rows]


def unread_count(actor: Actor) -> int:
    scope, params = scope_sql(actor, "e")
    return database.execute_sql(
        f"""SELECT count(*) FROM reminder r JOIN plan p ON p.id = r.plan_id JOIN employee e ON e.id = p.employee_id
            WHERE r.user_id = ? AND r.channel = 'app' AND r.read_at IS NULL AND {scope}""",
        (actor.user_id, *params)).fetchone()[0]


def mark_read(actor: Actor, ids: list[str] | None = None, read: bool = True) -> int:
    """Mark the user's own inbox entries read (all unread when `ids` is None); returns how many changed."""
    stamp = _iso(_now()) if read else None
    with database.atomic():
        if ids is None:
            cur = database.execute_sql("UPDATE reminder SET read_at = ? WHERE user_id = ? AND channel = 'app' "
                                       "AND read_at IS NULL", (stamp, actor.user_id))
        else:
            marks = ",".join("?" * len(ids)) or "''"
            cond = "read_at IS NULL" if read else "read_at IS NOT NULL"
            cur = database.execute_sql(f"UPDATE reminder SET read_at = ? WHERE user_id = ? AND channel = 'app' "
                                       f"AND {cond} AND id IN ({marks})", (stamp, actor.user_id, *ids))
        changed = cur.rowcount
        if changed:
            audit.record(actor, "remind.read" if read else "remind.unread", "", {"reminders": changed})
    return changed


# -- words ------------------------------------------------------------------------------------------------------------
def _days(lang: str, n: int) -> str:
    return t("remind.days", lang, n=n) if n != 1 else t("remind.day", lang)


def sentence(kind: str, lang: str, *, today: _dt.date, about: _dt.date, item: str | None, employee: str,
             own: bool) -> str:
    """One line that says what the reminder is about, relative to `today`."""
    delta = (about - today).days
    when = (t("remind.in", lang, days=_days(lang, delta)) if delta > 0 else
            t("remind.today", lang) if delta == 0 else t("remind.ago", lang, days=_days(lang, -delta)))
    whose = t("remind.your_plan", lang) if own else t("remind.plan_of", lang, employee=employee)
    if kind.startswith("item_"):
        state = "overdue" if kind == "item_overdue" else "due"
        return t(f"remind.item.{state}", lang, item=item or "", date=about.isoformat(), when=when, whose=whose)
    if kind == "midterm":
        return t("remind.midterm", lang, whose=whose, date=about.isoformat(), when=when)
    state = "overdue" if kind == "deadline_overdue" else "due"
    return t(f"remind.deadline.{state}", lang, whose=whose, date=about.isoformat(), when=when)


def message(d: DueReminder, today: _dt.date) -> tuple[str, str]:
    """(subject, body) of the e-mail for one recipient, in their language."""
    lang = d.recipient.lang
    line = d.text(lang, today)
    subject = t("remind.mail.subject", lang, text=line)
    o = d.occurrence
    body = [t("remind.mail.hello", lang, name=d.recipient.name), "", line, "",
            t("remind.mail.employee", lang, employee=f"{d.number} {d.employee_name(lang)}")]
    if d.item_text(lang):
        body.append(t("remind.mail.item", lang, item=d.item_text(lang), date=o.about.isoformat(),
                      owner=t(f"plan.owner.{o.owner}", lang)))
    body += ["", t("remind.mail.open", lang), "", "-- ", t("remind.mail.footer", lang)]
    return subject, "\n".join(body) + "\n"


def set_address(actor: Actor, user_name: str, address: str | None) -> None:
    """Admin: the e-mail address an account's reminders go to (None: use its employee's e-mail)."""
    require(actor, "write", "users")
    row = database.execute_sql("SELECT id FROM user WHERE name = ?", (user_name,)).fetchone()
    if row is None:
        raise UserError(f"unknown user {user_name!r}")
    if address is not None:
        address = address.strip()
        if address.count("@") != 1 or " " in address or address.startswith("@") or address.endswith("@"):
            raise UserError(f"{address!r} is not an e-mail address")
    with database.atomic():
        database.execute_sql("UPDATE user SET email = ? WHERE id = ?", (address, row[0]))
        audit.record(actor, "user.email", row[0])


register(
    {
        "remind.day": "1 day", "remind.days": "{n} days", "remind.done_since": "done {day}",
        "remind.in": "in {days}", "remind.today": "today", "remind.ago": "{days} ago",
        "remind.your_plan": "your improvement plan", "remind.plan_of": "the improvement plan of {employee}",
        "remind.item.due": "Due on {date} ({when}): {item} — {whose}",
        "remind.item.overdue": "Overdue since {date} ({when}): {item} — {whose}",
        "remind.midterm": "Mid-term check of {whose} on {date} ({when})",
        "remind.deadline.due": "Deadline of {whose} on {date} ({when}): close it (met / not met) or extend it",
        "remind.deadline.overdue": "The deadline of {whose} passed on {date} ({when}) and it is still open: "
                                   "close it or extend it",
        "remind.mail.subject": "[hrtui] {text}",
        "remind.mail.hello": "Hello {name},",
        "remind.mail.employee": "Employee: {employee}",
        "remind.mail.item": "Action: {item} · due {date} · owner: {owner}",
        "remind.mail.open": "Open hrtui to see the plan and its checklist (Ctrl+R shows your reminders).",
        "remind.mail.footer": "Sent by hrtui. You get this because you take part in this improvement plan.",
        "remind.cli.none": "No reminders due on {date}.",
        "remind.cli.summary": "{n} due reminders on {date} for {people} recipients",
        "remind.cli.sent": "e-mail: {sent} sent, {already} sent before, {failed} not sent, {no_address} without "
                           "an address, {busy} being sent by another run; {in_app} new in the in-app inboxes",
        "remind.cli.no_smtp": "e-mail is not configured (settings [smtp] host or HRTUI_SMTP_HOST): the reminders "
                              "went to the in-app inboxes only",
        "remind.cli.unavailable": "{error}; {n} reminders stay unsent and go out on the next run",
        "remind.cli.refused": "{n} reminders were refused by the SMTP server and go out on the next run "
                              "(last: {error})",
        "remind.status.new": "new", "remind.status.pending": "not sent yet", "remind.status.sent": "sent",
        "remind.status.app": "in-app only",
    },
    {
        "remind.day": "1 天", "remind.days": "{n} 天", "remind.done_since": "已于 {day} 完成",
        "remind.in": "还有 {days}", "remind.today": "就是今天", "remind.ago": "已过 {days}",
        "remind.your_plan": "你的改进计划", "remind.plan_of": "{employee} 的改进计划",
        "remind.item.due": "{date} 到期（{when}）：{item}——{whose}",
        "remind.item.overdue": "已逾期（截止 {date}，{when}）：{item}——{whose}",
        "remind.midterm": "{whose}中期检查：{date}（{when}）",
        "remind.deadline.due": "{whose}截止日：{date}（{when}）：请结束（达成/未达成）或延期",
        "remind.deadline.overdue": "{whose}已于 {date} 到期（{when}）但仍未结束：请结束或延期",
        "remind.mail.subject": "【hrtui】{text}",
        "remind.mail.hello": "{name}，您好：",
        "remind.mail.employee": "员工：{employee}",
        "remind.mail.item": "行动项：{item} · 截止 {date} · 负责人：{owner}",
        "remind.mail.open": "请打开 hrtui 查看计划和清单（按 Ctrl+R 查看提醒）。",
        "remind.mail.footer": "本邮件由 hrtui 发送：您参与了这份改进计划。",
        "remind.cli.none": "{date} 没有到期的提醒。",
        "remind.cli.summary": "{date} 共 {n} 条到期提醒，涉及 {people} 位收件人",
        "remind.cli.sent": "邮件：已发送 {sent} 条，之前已发 {already} 条，未发出 {failed} 条，无地址 {no_address} 条，"
                           "另一进程正在发送 {busy} 条；站内新增 {in_app} 条",
        "remind.cli.no_smtp": "未配置邮件（settings [smtp] host 或 HRTUI_SMTP_HOST）：提醒只进入站内收件箱",
        "remind.cli.unavailable": "{error}；{n} 条提醒未发出，下次运行时再发",
        "remind.cli.refused": "SMTP 服务器拒收 {n} 条提醒，下次运行时再发（最后一次：{error}）",
        "remind.status.new": "新", "remind.status.pending": "尚未发出", "remind.status.sent": "已发送",
        "remind.status.app": "仅站内",
    },
)
