"""Initial schema: organisation, people, monthly scores, attendance/leave, training, projects, users.

Entities have UUIDv7 text ids. Monthly facts (score, attendance, project hours) are cells keyed by their natural key
(who, what, month): that key is their identity for import upserts and for sync.
"""

STATEMENTS = [
    """CREATE TABLE department (
        id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, name_zh TEXT NOT NULL, name_en TEXT NOT NULL,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))""",
    """CREATE TABLE dimension (
        id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, name_zh TEXT NOT NULL, name_en TEXT NOT NULL,
        unit TEXT NOT NULL DEFAULT '', direction TEXT NOT NULL CHECK (direction IN ('higher','lower')),
        scale_min REAL NOT NULL DEFAULT 0, scale_max REAL NOT NULL DEFAULT 100, sort INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))""",
    """CREATE TABLE position (
        id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, name_zh TEXT NOT NULL, name_en TEXT NOT NULL,
        department_id TEXT REFERENCES department(id), is_manager INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))""",
    """CREATE TABLE position_requirement (
        position_id TEXT NOT NULL REFERENCES position(id), dimension_id TEXT NOT NULL REFERENCES dimension(id),
        value REAL NOT NULL, PRIMARY KEY (position_id, dimension_id)) WITHOUT ROWID""",
    """CREATE TABLE employee (
        id TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE, name_zh TEXT NOT NULL DEFAULT '',
        name_en TEXT NOT NULL DEFAULT '', department_id TEXT REFERENCES department(id),
        position_id TEXT REFERENCES position(id), manager_id TEXT REFERENCES employee(id),
        hire_date TEXT, status TEXT NOT NULL DEFAULT 'active', email TEXT NOT NULL DEFAULT '',
        overall_score REAL, shortfalls INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))""",
    # Roster indexes carry the sort key so matches come out in roster order (DESIGN §3).
    "CREATE INDEX employee_dept_number ON employee(department_id, number)",
    "CREATE INDEX employee_manager ON employee(manager_id, number)",
    "CREATE INDEX employee_name_en ON employee(name_en COLLATE NOCASE, number)",
    "CREATE INDEX employee_score ON employee(overall_score, number)",
    # Every substring of a CJK name and every prefix of a Latin name word, in roster order: a 1-2 character filter
    # answers from this index in well under a millisecond where LIKE '%x%' scans the table.
    """CREATE TABLE name_key (term TEXT NOT NULL, number TEXT NOT NULL, PRIMARY KEY (term, number)) WITHOUT ROWID""",
    """CREATE TABLE score (
        employee_id TEXT NOT NULL REFERENCES employee(id), dimension_id TEXT NOT NULL REFERENCES dimension(id),
        month TEXT NOT NULL, value REAL NOT NULL, PRIMARY KEY (employee_id, dimension_id, month)) WITHOUT ROWID""",
    """CREATE TABLE attendance (
        employee_id TEXT NOT NULL REFERENCES employee(id), month TEXT NOT NULL,
        scheduled_days REAL NOT NULL, attended_days REAL NOT NULL, leave_days REAL NOT NULL DEFAULT 0,
        PRIMARY KEY (employee_id, month)) WITHOUT ROWID""",
    """CREATE TABLE leave (
        id TEXT PRIMARY KEY, employee_id TEXT NOT NULL REFERENCES employee(id), kind TEXT NOT NULL,
        start_date TEXT NOT NULL, end_date TEXT NOT NULL, days REAL NOT NULL)""",
    "CREATE INDEX leave_employee ON leave(employee_id, start_date)",
    """CREATE TABLE training_course (
        id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, name_zh TEXT NOT NULL, name_en TEXT NOT NULL,
        mandatory INTEGER NOT NULL DEFAULT 0, dimension_id TEXT REFERENCES dimension(id), hours REAL NOT NULL DEFAULT 0)""",
    """CREATE TABLE training_record (
        id TEXT PRIMARY KEY, employee_id TEXT NOT NULL REFERENCES employee(id),
        course_id TEXT NOT NULL REFERENCES training_course(id), due_date TEXT, completed_date TEXT,
        UNIQUE (employee_id, course_id))""",
    """CREATE TABLE project (
        id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, name_zh TEXT NOT NULL, name_en TEXT NOT NULL,
        department_id TEXT REFERENCES department(id))""",
    """CREATE TABLE assignment (
        project_id TEXT NOT NULL REFERENCES project(id), employee_id TEXT NOT NULL REFERENCES employee(id),
        month TEXT NOT NULL, hours REAL NOT NULL, PRIMARY KEY (employee_id, month, project_id)) WITHOUT ROWID""",
    """CREATE TABLE user (
        id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL CHECK (role IN ('admin','hr','manager','employee')),
        employee_id TEXT REFERENCES employee(id), password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,
        must_change INTEGER NOT NULL DEFAULT 0, failed_logins INTEGER NOT NULL DEFAULT 0, lang TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))""",
    """CREATE TABLE user_department (
        user_id TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE, department_id TEXT NOT NULL REFERENCES department(id),
        PRIMARY KEY (user_id, department_id)) WITHOUT ROWID""",
    """CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
]


def up(db, migrator):
    for sql in STATEMENTS:
        db.execute_sql(sql)
