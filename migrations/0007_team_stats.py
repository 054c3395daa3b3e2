"""Team statistics cache (derived data): what the portrait needs about a department, kept between portraits.

One row per (department, period, dimension): `n`, `s1` (sum) and `s2` (sum of squares) of
- a window period 'YYYY-MM..YYYY-MM': each active member's mean over the window (the team the portrait compares with);
- a month period 'YYYY-MM': the active members' values that month (the 12-month team trend).
The row with dimension_id '' holds the department's number of active members (n) and marks the period as computed
for that department. `version` is the data version (setting 'scores.version', hrtui.domain.team_stats) the row was
computed from: rows of another version are stale and are recomputed on the next read. Local to this database file:
not synced, no foreign keys (a department or dimension may be removed; its rows are only ever read by its id).
"""

STATEMENTS = [
    """CREATE TABLE team_stats (
        department_id TEXT NOT NULL,
        period TEXT NOT NULL,
        dimension_id TEXT NOT NULL,
        n INTEGER NOT NULL,
        s1 REAL NOT NULL,
        s2 REAL NOT NULL,
        version INTEGER NOT NULL,
        PRIMARY KEY (department_id, period, dimension_id)) WITHOUT ROWID""",
]


def up(db, migrator):
    for sql in STATEMENTS:
        db.execute_sql(sql)
