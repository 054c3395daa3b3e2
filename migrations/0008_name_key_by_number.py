"""Search terms by employee: rewriting one employee's terms (a rename, an import) no longer scans the table."""


def up(db, migrator):
    db.execute_sql("CREATE INDEX IF NOT EXISTS name_key_number ON name_key(number)")
