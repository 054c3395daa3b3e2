"""Monthly salary (issue 8: imported from payroll spreadsheets).

One row per employee and month, keyed by that pair like the other monthly facts (the import's upsert key and the
merge key for sync). Money is in integer cents (DESIGN §3): base pay and the month's bonus.
"""

STATEMENTS = [
    """CREATE TABLE salary (
        employee_id TEXT NOT NULL REFERENCES employee(id),
        month TEXT NOT NULL,
        base_cents INTEGER NOT NULL CHECK (base_cents >= 0),
        bonus_cents INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (employee_id, month)) WITHOUT ROWID""",
]


def up(db, migrator):
    for sql in STATEMENTS:
        db.execute_sql(sql)
