"""The audit log: every write, and every read of interview notes, portraits and salary.

Rows are appended in the same transaction as the change they describe. Each row's hash covers its fields and the
previous row's hash, so `verify()` finds an edited, deleted or reordered entry and names it. Triggers refuse
UPDATE and DELETE on the table; verify() catches what gets past them (a dropped trigger, a hex editor).
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
from dataclasses import dataclass

from hrtui.store.db import database

GENESIS = "0" * 64


def _digest(prev_hash: str, seq: int, at: str, actor: str, action: str, record: str, detail: str) -> str:
    body = json.dumps([prev_hash, seq, at, actor, action, record, detail], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def record(actor, action: str, record: str = "", detail: str | dict = "", *, db=None) -> None:
    """Append one entry. `actor` is an Actor or a plain name (for events before login, e.g. failed logins).
    `db` is another open database (a restored copy before it goes live); the bound one by default.

    `detail` must never hold employee text beyond ids and field names: the log is read by admins and auditors."""
    db = db or database
    name = actor if isinstance(actor, str) else actor.name
    if isinstance(detail, dict):
        detail = json.dumps(detail, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    at = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="microseconds")
    # IMMEDIATE: the chain is read then extended, so the write lock is taken first. A deferred transaction would
    # fail at once ("database is locked") when another connection (a worker thread) appended in between.
    with db.atomic("IMMEDIATE"):
        last = db.execute_sql("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
        db.execute_sql(
            "INSERT INTO audit (seq, at, actor, action, record, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)",
            (seq, at, name, action, record, detail, prev, _digest(prev, seq, at, name, action, record, detail)),
        )


@dataclass(frozen=True)
class Problem:
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"audit entry {self.seq}: {self.reason}"


def verify() -> list[Problem]:
    """Walk the chain; every break is reported with the entry where it shows."""
    problems: list[Problem] = []
    prev, expected_seq = GENESIS, 1
    for seq, at, actor, action, rec, detail, prev_hash, hsh in database.execute_sql(
        "SELECT seq, at, actor, action, record, detail, prev_hash, hash FROM audit ORDER BY seq"
    ):
        if seq != expected_seq:
            problems.append(Problem(seq, f"entries {expected_seq}..{seq - 1} are missing (deleted)"))
        if prev_hash != prev:
            problems.append(Problem(seq, "does not follow the entry before it (deleted, inserted or reordered)"))
        if _digest(prev_hash, seq, at, actor, action, rec, detail) != hsh:
            problems.append(Problem(seq, "its content does not match its hash (edited)"))
        prev, expected_seq = hsh, seq + 1
    return problems


@dataclass(frozen=True)
class Entry:
    seq: int
    at: str
    actor: str
    action: str
    record: str
    detail: str


def entries(actor_name: str | None = None, action: str | None = None, limit: int = 200, before: int | None = None) -> list[Entry]:
    """Newest first, filtered by actor and/or action prefix; page backwards with `before`."""
    where, params = [], []
    if actor_name:
        where.append("actor = ?")
        params.append(actor_name)
    if action:
        where.append("action LIKE ?")
        params.append(action.replace("%", "") + "%")
    if before:
        where.append("seq < ?")
        params.append(before)
    sql = "SELECT seq, at, actor, action, record, detail FROM audit"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY seq DESC LIMIT ?"
    return [Entry(*r) for r in database.execute_sql(sql, [*params, limit])]


def record_labels(records) -> dict[str, str]:
    """What audited records are, in words an auditor can read: the employee's number for an employee, a plan or
    an interview (the action says which), the account's name for a user. Records that are no database row (file
    names, departments' codes) are left out: they read as they are."""
    ids = sorted({r for r in records if r})
    labels: dict[str, str] = {}
    for i in range(0, len(ids), 200):
        chunk = ids[i:i + 200]
        marks = ",".join("?" * len(chunk))
        labels.update(database.execute_sql(
            f"""SELECT id, number FROM employee WHERE id IN ({marks})
                UNION ALL SELECT id, name FROM user WHERE id IN ({marks})
                UNION ALL SELECT p.id, e.number FROM plan p JOIN employee e ON e.id = p.employee_id
                          WHERE p.id IN ({marks})
                UNION ALL SELECT v.id, e.number FROM interview v JOIN employee e ON e.id = v.employee_id
                          WHERE v.id IN ({marks})""", chunk * 4).fetchall())
    return labels
