"""peewee models mirroring the migrated schema (migrations/ are the source of truth for DDL)."""
from __future__ import annotations

from peewee import (CompositeKey, FloatField, ForeignKeyField, IntegerField, Model, TextField)

from hrtui.store.db import orm_proxy
from hrtui.store.ids import uuid7

_DB = orm_proxy()  # peewee's view of hrtui.store.db.database, whichever file it has open


class Base(Model):
    class Meta:
        database = _DB
        legacy_table_names = False


class Entity(Base):
    id = TextField(primary_key=True, default=uuid7)


class Department(Entity):
    code = TextField(unique=True)
    name_zh = TextField()
    name_en = TextField()

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


class Dimension(Entity):
    code = TextField(unique=True)
    name_zh = TextField()
    name_en = TextField()
    unit = TextField(default="")
    direction = TextField()  # 'higher' or 'lower' is better
    scale_min = FloatField(default=0)
    scale_max = FloatField(default=100)
    sort = IntegerField(default=0)

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


class Position(Entity):
    code = TextField(unique=True)
    name_zh = TextField()
    name_en = TextField()
    department = ForeignKeyField(Department, null=True, column_name="department_id")
    is_manager = IntegerField(default=0)

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


class PositionRequirement(Base):
    position = ForeignKeyField(Position, column_name="position_id")
    dimension = ForeignKeyField(Dimension, column_name="dimension_id")
    value = FloatField()

    class Meta:
        primary_key = CompositeKey("position", "dimension")


class Employee(Entity):
    number = TextField(unique=True)
    name_zh = TextField(default="")
    name_en = TextField(default="")
    department = ForeignKeyField(Department, null=True, column_name="department_id")
    position = ForeignKeyField(Position, null=True, column_name="position_id")
    manager = ForeignKeyField("self", null=True, column_name="manager_id")
    hire_date = TextField(null=True)
    status = TextField(default="active")
    email = TextField(default="")
    overall_score = FloatField(null=True)
    shortfalls = IntegerField(default=0)

    def name(self, lang: str) -> str:
        if lang == "zh":
            return self.name_zh or self.name_en
        return self.name_en or self.name_zh


class Score(Base):
    employee = ForeignKeyField(Employee, column_name="employee_id")
    dimension = ForeignKeyField(Dimension, column_name="dimension_id")
    month = TextField()
    value = FloatField()

    class Meta:
        primary_key = CompositeKey("employee", "dimension", "month")


class Attendance(Base):
    employee = ForeignKeyField(Employee, column_name="employee_id")
    month = TextField()
    scheduled_days = FloatField()
    attended_days = FloatField()
    leave_days = FloatField(default=0)

    class Meta:
        primary_key = CompositeKey("employee", "month")


class Leave(Entity):
    employee = ForeignKeyField(Employee, column_name="employee_id")
    kind = TextField()
    start_date = TextField()
    end_date = TextField()
    days = FloatField()


class TrainingCourse(Entity):
    code = TextField(unique=True)
    name_zh = TextField()
    name_en = TextField()
    mandatory = IntegerField(default=0)
    dimension = ForeignKeyField(Dimension, null=True, column_name="dimension_id")
    hours = FloatField(default=0)

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


class TrainingRecord(Entity):
    employee = ForeignKeyField(Employee, column_name="employee_id")
    course = ForeignKeyField(TrainingCourse, column_name="course_id")
    due_date = TextField(null=True)
    completed_date = TextField(null=True)


class Project(Entity):
    code = TextField(unique=True)
    name_zh = TextField()
    name_en = TextField()
    department = ForeignKeyField(Department, null=True, column_name="department_id")


class Assignment(Base):
    project = ForeignKeyField(Project, column_name="project_id")
    employee = ForeignKeyField(Employee, column_name="employee_id")
    month = TextField()
    hours = FloatField()

    class Meta:
        primary_key = CompositeKey("employee", "month", "project")


class User(Entity):
    name = TextField(unique=True)
    role = TextField()
    employee = ForeignKeyField(Employee, null=True, column_name="employee_id")
    password_hash = TextField()
    disabled = IntegerField(default=0)
    must_change = IntegerField(default=0)
    failed_logins = IntegerField(default=0)
    lang = TextField(null=True)
    last_login = TextField(null=True)
    email = TextField(null=True)  # where the account's e-mail reminders go (else its employee's e-mail)


class UserDepartment(Base):
    user = ForeignKeyField(User, column_name="user_id", on_delete="CASCADE")
    department = ForeignKeyField(Department, column_name="department_id")

    class Meta:
        primary_key = CompositeKey("user", "department")


class Setting(Base):
    key = TextField(primary_key=True)
    value = TextField()


class InterviewGoal(Entity):
    """A goal for the interview with an employee (migrations/0002); deleted rows stay as tombstones."""

    employee = ForeignKeyField(Employee, column_name="employee_id")
    position = IntegerField()
    kind = TextField(default="custom")
    text_zh = TextField(default="")
    text_en = TextField(default="")
    dimension = ForeignKeyField(Dimension, null=True, column_name="dimension_id")
    created_by = ForeignKeyField(User, null=True, column_name="created_by")
    created_at = TextField(null=True)
    updated_at = TextField(null=True)
    deleted = IntegerField(default=0)

    class Meta:
        table_name = "interview_goal"


class Salary(Base):
    """Monthly pay of an employee in integer cents (migrations/0003), keyed by (employee, month)."""

    employee = ForeignKeyField(Employee, column_name="employee_id")
    month = TextField()
    base_cents = IntegerField()
    bonus_cents = IntegerField(default=0)

    class Meta:
        table_name = "salary"
        primary_key = CompositeKey("employee", "month")


# -- improvement plans (migrations/0006) ---------------------------------------------------------------------------


class Plan(Entity):
    """A performance improvement plan: draft → active → extended → closed (met / not met)."""

    employee = ForeignKeyField(Employee, column_name="employee_id")
    interview_id = TextField(null=True)
    hr_user = ForeignKeyField(User, null=True, column_name="hr_user_id")
    state = TextField(default="draft")
    outcome = TextField(null=True)
    drafted_on = TextField()
    start_date = TextField(null=True)
    closed_on = TextField(null=True)
    extended_days = IntegerField(default=0)
    acknowledged_at = TextField(null=True)
    acknowledged_by = TextField(null=True)
    created_by = TextField(null=True)
    created_at = TextField(null=True)
    updated_at = TextField(null=True)
    deleted = IntegerField(default=0)

    class Meta:
        table_name = "plan"


class PlanGoal(Entity):
    plan = ForeignKeyField(Plan, column_name="plan_id")
    position = IntegerField()
    dimension = ForeignKeyField(Dimension, column_name="dimension_id")
    baseline = FloatField(null=True)
    baseline_from = TextField()
    baseline_to = TextField()
    target_kind = TextField()
    target_pct = FloatField(null=True)
    target = FloatField(null=True)
    deadline = TextField()
    midterm = TextField()
    updated_at = TextField(null=True)
    deleted = IntegerField(default=0)

    class Meta:
        table_name = "plan_goal"


class PlanItem(Entity):
    plan = ForeignKeyField(Plan, column_name="plan_id")
    goal = ForeignKeyField(PlanGoal, null=True, column_name="goal_id")
    position = IntegerField()
    kind = TextField(default="custom")
    course = ForeignKeyField(TrainingCourse, null=True, column_name="course_id")
    text_zh = TextField(default="")
    text_en = TextField(default="")
    owner = TextField()
    due_date = TextField()
    done_on = TextField(null=True)
    done_by = TextField(null=True)
    updated_at = TextField(null=True)
    deleted = IntegerField(default=0)

    class Meta:
        table_name = "plan_item"


class Reminder(Entity):
    """One delivered (or being delivered) reminder: unique per (occurrence key, recipient, channel)."""

    key = TextField()
    recipient = TextField()
    channel = TextField()
    user = ForeignKeyField(User, null=True, column_name="user_id")
    plan = ForeignKeyField(Plan, column_name="plan_id")
    item = ForeignKeyField(PlanItem, null=True, column_name="item_id")
    kind = TextField()
    on_date = TextField()
    about_date = TextField()
    address = TextField(null=True)
    status = TextField(default="pending")
    attempts = IntegerField(default=0)
    claim = TextField(null=True)
    claimed_at = TextField(null=True)
    sent_at = TextField(null=True)
    read_at = TextField(null=True)
    last_error = TextField(null=True)
    created_at = TextField(null=True)

    class Meta:
        table_name = "reminder"
