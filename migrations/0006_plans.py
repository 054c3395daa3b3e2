"""Improvement plans (issue 5): the plan, its goals, its action items, and the reminder log.

- `plan`: one performance improvement plan of one employee. States draft → active → extended → closed; a closed plan
  has an outcome (met / not met). At most one open (not closed, not discarded) plan per employee.
- `plan_goal`: per goal a dimension, the baseline (the window value when drafted, and the months it covers), the
  target (kind: pct = change relative to the baseline, team = the team mean, requirement = the position's requirement,
  value = a number typed by HR; `target` always holds the resulting number), a deadline and a mid-term check date.
- `plan_item`: the actions of the checklist: text (zh/en), owner (employee / hr / manager), due date, done mark.
- `reminder`: every reminder delivered, one row per (occurrence key, recipient, channel). The unique key is the
  guarantee that none is sent twice: a sender inserts (or finds) the row and claims it inside one write transaction
  before it talks to the SMTP server, and marks it sent after; a failed delivery gives the claim back for the next run.
- `user.email`: where an account's e-mail reminders go (else the e-mail of the employee it belongs to).

Goals, items and plans are synced entities: UUIDv7 ids; removals keep the row as a tombstone (`deleted = 1`).
Dates are calendar dates 'YYYY-MM-DD' in the organisation's time zone; timestamps are UTC ISO-8601.
"""

STATEMENTS = [
    """CREATE TABLE plan (
        id TEXT PRIMARY KEY,
        employee_id TEXT NOT NULL REFERENCES employee(id),
        interview_id TEXT REFERENCES interview(id),
        hr_user_id TEXT REFERENCES user(id),
        state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft','active','extended','closed')),
        outcome TEXT CHECK (outcome IN ('met','not_met')),
        drafted_on TEXT NOT NULL,
        start_date TEXT,
        closed_on TEXT,
        extended_days INTEGER NOT NULL DEFAULT 0,
        acknowledged_at TEXT,
        acknowledged_by TEXT REFERENCES user(id),
        created_by TEXT REFERENCES user(id),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
        CHECK ((state = 'closed') = (outcome IS NOT NULL)),
        CHECK (state = 'draft' OR start_date IS NOT NULL))""",
    "CREATE INDEX plan_employee ON plan(employee_id, deleted, state)",
    "CREATE INDEX plan_state ON plan(state, deleted)",
    "CREATE UNIQUE INDEX plan_one_open ON plan(employee_id) WHERE state != 'closed' AND deleted = 0",
    """CREATE TABLE plan_goal (
        id TEXT PRIMARY KEY,
        plan_id TEXT NOT NULL REFERENCES plan(id),
        position INTEGER NOT NULL,
        dimension_id TEXT NOT NULL REFERENCES dimension(id),
        baseline REAL,
        baseline_from TEXT NOT NULL,
        baseline_to TEXT NOT NULL,
        target_kind TEXT NOT NULL CHECK (target_kind IN ('pct','team','requirement','value')),
        target_pct REAL,
        target REAL,
        deadline TEXT NOT NULL,
        midterm TEXT NOT NULL,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
        CHECK (midterm <= deadline))""",
    "CREATE INDEX plan_goal_plan ON plan_goal(plan_id, deleted, position)",
    """CREATE TABLE plan_item (
        id TEXT PRIMARY KEY,
        plan_id TEXT NOT NULL REFERENCES plan(id),
        goal_id TEXT REFERENCES plan_goal(id),
        position INTEGER NOT NULL,
        kind TEXT NOT NULL DEFAULT 'custom',
        course_id TEXT REFERENCES training_course(id),
        text_zh TEXT NOT NULL DEFAULT '',
        text_en TEXT NOT NULL DEFAULT '',
        owner TEXT NOT NULL CHECK (owner IN ('employee','hr','manager')),
        due_date TEXT NOT NULL,
        done_on TEXT,
        done_by TEXT REFERENCES user(id),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
        CHECK (text_zh != '' OR text_en != ''))""",
    "CREATE INDEX plan_item_plan ON plan_item(plan_id, deleted, position)",
    """CREATE TABLE reminder (
        id TEXT PRIMARY KEY,
        key TEXT NOT NULL,
        recipient TEXT NOT NULL,
        channel TEXT NOT NULL CHECK (channel IN ('app','email')),
        user_id TEXT REFERENCES user(id),
        plan_id TEXT NOT NULL REFERENCES plan(id),
        item_id TEXT REFERENCES plan_item(id),
        kind TEXT NOT NULL,
        on_date TEXT NOT NULL,
        about_date TEXT NOT NULL,
        address TEXT,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent')),
        attempts INTEGER NOT NULL DEFAULT 0,
        claim TEXT,
        claimed_at TEXT,
        sent_at TEXT,
        read_at TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        UNIQUE (key, recipient, channel))""",
    "CREATE INDEX reminder_inbox ON reminder(user_id, channel, read_at, on_date)",
    "CREATE INDEX reminder_plan ON reminder(plan_id, on_date)",
    "ALTER TABLE user ADD COLUMN email TEXT",
]


def up(db, migrator):
    for sql in STATEMENTS:
        db.execute_sql(sql)
