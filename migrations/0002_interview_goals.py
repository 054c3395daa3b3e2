"""Interview goals saved with the employee (issue 3: "before the interview").

A goal is a synced entity: UUIDv7 id, never reused. Deleting a goal keeps its row as a tombstone (`deleted = 1`) so
that a later sync can tell a deletion from a goal another replica has not seen yet. `kind` says where a goal came
from ('cause', 'plan', 'shortfall:CSAT', 'signal:leave', 'custom', ...) so suggestions are not offered twice.
"""

STATEMENTS = [
    """CREATE TABLE interview_goal (
        id TEXT PRIMARY KEY,
        employee_id TEXT NOT NULL REFERENCES employee(id),
        position INTEGER NOT NULL,
        kind TEXT NOT NULL DEFAULT 'custom',
        text_zh TEXT NOT NULL DEFAULT '',
        text_en TEXT NOT NULL DEFAULT '',
        dimension_id TEXT REFERENCES dimension(id),
        created_by TEXT REFERENCES user(id),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
        CHECK (text_zh != '' OR text_en != ''))""",
    "CREATE INDEX interview_goal_employee ON interview_goal(employee_id, deleted, position)",
]


def up(db, migrator):
    for sql in STATEMENTS:
        db.execute_sql(sql)
