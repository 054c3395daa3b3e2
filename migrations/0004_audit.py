"""Audit log: append-only (triggers refuse UPDATE and DELETE) and hash-chained (each row hashes the previous)."""

STATEMENTS = [
    """CREATE TABLE audit (
        seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
        record TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '', prev_hash TEXT NOT NULL, hash TEXT NOT NULL)""",
    "CREATE INDEX audit_action ON audit(action, seq)",
    "CREATE INDEX audit_actor ON audit(actor, seq)",
    """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    "ALTER TABLE user ADD COLUMN last_login TEXT",
]


def up(db, migrator):
    for sql in STATEMENTS:
        db.execute_sql(sql)
