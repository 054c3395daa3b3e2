"""Interviews: the session, its notes (committed lines), the line being typed (draft), segment changes, the mood
timeline, and the editable script library (seeded from hrtui/data/scripts.json)."""

STATEMENTS = [
    """CREATE TABLE interview (
        id TEXT PRIMARY KEY, employee_id TEXT NOT NULL REFERENCES employee(id), hr_user_id TEXT REFERENCES user(id),
        started_at TEXT NOT NULL, ended_at TEXT, state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','ended')),
        agenda TEXT NOT NULL, segment INTEGER NOT NULL DEFAULT 0, elapsed_s REAL NOT NULL DEFAULT 0,
        segment_start_s REAL NOT NULL DEFAULT 0, goals_covered TEXT NOT NULL DEFAULT '[]', summary_md TEXT,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))""",
    "CREATE INDEX interview_employee ON interview(employee_id, state, started_at)",
    """CREATE TABLE interview_note (
        id TEXT PRIMARY KEY, interview_id TEXT NOT NULL REFERENCES interview(id), seq INTEGER NOT NULL,
        offset_s REAL NOT NULL, segment INTEGER NOT NULL, speaker TEXT NOT NULL CHECK (speaker IN ('hr','employee')),
        text TEXT NOT NULL, mood TEXT, mood_tag TEXT, UNIQUE (interview_id, seq))""",
    """CREATE TABLE interview_draft (
        interview_id TEXT PRIMARY KEY REFERENCES interview(id), speaker TEXT NOT NULL, text TEXT NOT NULL,
        saved_at TEXT NOT NULL)""",
    """CREATE TABLE interview_segment (
        interview_id TEXT NOT NULL REFERENCES interview(id), seq INTEGER NOT NULL, segment INTEGER NOT NULL,
        start_s REAL NOT NULL, end_s REAL, PRIMARY KEY (interview_id, seq)) WITHOUT ROWID""",
    """CREATE TABLE interview_mood (
        id TEXT PRIMARY KEY, interview_id TEXT NOT NULL REFERENCES interview(id), offset_s REAL NOT NULL,
        label TEXT NOT NULL, source TEXT NOT NULL CHECK (source IN ('cue','tag')), note_seq INTEGER)""",
    "CREATE INDEX interview_mood_interview ON interview_mood(interview_id, offset_s)",
    """CREATE TABLE script (
        id TEXT PRIMARY KEY, key TEXT NOT NULL UNIQUE, category TEXT NOT NULL, segment TEXT NOT NULL,
        zh TEXT NOT NULL DEFAULT '', en TEXT NOT NULL DEFAULT '', builtin INTEGER NOT NULL DEFAULT 1,
        created_by TEXT REFERENCES user(id), deleted INTEGER NOT NULL DEFAULT 0)""",
]


def up(db, migrator):
    for sql in STATEMENTS:
        db.execute_sql(sql)
