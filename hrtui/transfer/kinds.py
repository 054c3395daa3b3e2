"""What can be imported: the kinds, their columns, the header words (zh/en) each column is known by, and layouts.

Header matching is case-, width- and space-insensitive: "Employee ID", "employee_id", "EMPLOYEE-ID" and "工号 *"
are one word. A bracketed note is ignored when the full text is not known ("得分（0-100）" reads as "得分").
docs/import.md is the user's copy of these tables.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from hrtui.transfer import values as V
from hrtui.transfer.source import ImportFailure


@dataclass(frozen=True)
class Field:
    key: str
    en: str                      # the header hrtui writes, and the name in messages (English)
    zh: str                      # the same in Chinese
    aliases: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Kind:
    name: str
    zh: str
    resource: str                # access policy resource written: records, scores, salary, settings
    fields: tuple[Field, ...]
    required: tuple[str, ...]    # columns the header must have
    key: tuple[str, ...]         # the business key (upsert key) as field keys
    wide: bool = False           # scores: one column per dimension is accepted

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.name


def norm_header(s) -> str:
    """The comparable form of a header cell."""
    s = unicodedata.normalize("NFKC", "" if s is None else str(s)).casefold()
    return re.sub(r"[\s_\-./\\:*'\"’`#]+", "", s)


def strip_note(s) -> str:
    """Header without its bracketed note: '得分(0-100)' -> '得分'."""
    s = unicodedata.normalize("NFKC", "" if s is None else str(s))
    return norm_header(re.sub(r"[(\[【{<].*?[)\]】}>]", "", s))


# -- shared columns ----------------------------------------------------------------------------------------------
EMPLOYEE_WORDS = ("工号", "员工编号", "员工号", "员工工号", "职工号", "职工编号", "人员编号", "员工代码", "employee",
                  "employee id", "employee no", "employee number", "emp id", "emp no", "staff id", "staff no",
                  "staff number", "number", "no")
EMPLOYEE = Field("employee", "employee", "工号", EMPLOYEE_WORDS)
NAME_CHECK = Field("name", "name", "姓名", ("姓名", "名字", "员工姓名", "name", "full name", "employee name"))
DEPARTMENT = Field("department", "department", "部门",
                   ("部门", "所属部门", "部门名称", "部门编码", "部门代码", "department", "dept", "department code",
                    "dept code", "department name", "dept name"))
DIMENSION = Field("dimension", "dimension", "指标",
                  ("指标", "维度", "考核指标", "考核维度", "绩效指标", "指标名称", "指标编码", "dimension", "metric",
                   "indicator", "kpi", "dimension code"))
MONTH = Field("month", "month", "月份",
              ("月份", "月", "年月", "考核月份", "绩效月份", "期间", "所属月份", "month", "period", "year month"))
POSITION = Field("position", "position", "职位",
                 ("职位", "岗位", "职务", "职位名称", "岗位名称", "职位编码", "岗位编码", "position", "title",
                  "job title", "position code", "job", "designation"))
COURSE = Field("course", "course", "课程",
               ("课程", "课程编码", "课程名称", "培训课程", "培训项目", "course", "course code", "course name",
                "training"))
PROJECT = Field("project", "project", "项目",
                ("项目", "项目编码", "项目代码", "项目编号", "项目名称", "project", "project code", "project name"))


NAME_ZH = Field("name_zh", "name_zh", "中文名称", ("中文名称", "中文名", "name zh", "chinese name"))
NAME_EN = Field("name_en", "name_en", "英文名称", ("英文名称", "英文名", "name en", "english name"))


def _code(thing_zh: str, *more: str) -> Field:
    return Field("code", "code", f"{thing_zh}编码", (f"{thing_zh}编码", f"{thing_zh}代码", f"{thing_zh}编号", "编码",
                                                     "代码", "code", *more))


KINDS: dict[str, Kind] = {}


def _kind(k: Kind) -> None:
    KINDS[k.name] = k


_kind(Kind("departments", "部门", "records",
           (_code("部门", "department code", "dept code", "department id", "dept id"),
            Field("name", "name", "部门名称", ("部门名称", "部门", "名称", "name", "department", "department name",
                                               "dept", "dept name")), NAME_ZH, NAME_EN),
           required=("code",), key=("code",)))

_kind(Kind("positions", "职位", "records",
           (_code("职位", "岗位编码", "岗位代码", "position code", "job code"),
            Field("name", "name", "职位名称", ("职位名称", "岗位名称", "职位", "岗位", "职务", "名称", "name",
                                               "position", "position name", "title", "job title", "designation")),
            NAME_ZH, NAME_EN, DEPARTMENT,
            Field("is_manager", "is_manager", "管理岗", ("管理岗", "是否管理岗", "管理职位", "is manager",
                                                          "manager position", "managerial"))),
           required=("code",), key=("code",)))

_kind(Kind("employees", "员工", "records",
           (Field("number", "number", "工号", EMPLOYEE_WORDS),
            NAME_CHECK,
            Field("name_zh", "name_zh", "中文名", ("中文名", "中文姓名", "name zh", "chinese name")),
            Field("name_en", "name_en", "英文名", ("英文名", "英文姓名", "拼音", "拼音名", "name en", "english name",
                                                   "pinyin")),
            DEPARTMENT, POSITION,
            Field("manager", "manager", "直属上级", ("直属上级", "上级", "直属经理", "直接上级", "上级工号", "汇报对象",
                                                     "经理工号", "manager", "manager id", "manager number",
                                                     "manager no", "reports to", "supervisor", "line manager")),
            Field("hire_date", "hire_date", "入职日期", ("入职日期", "入职时间", "入司日期", "入职", "hire date",
                                                         "hired", "date of joining", "joining date", "joined",
                                                         "start date", "date joined")),
            Field("status", "status", "状态", ("状态", "在职状态", "员工状态", "status", "employment status")),
            Field("email", "email", "邮箱", ("邮箱", "电子邮箱", "电子邮件", "工作邮箱", "邮件", "email", "e-mail",
                                             "mail", "work email", "company email"))),
           required=("number",), key=("number",)))

_kind(Kind("dimensions", "考核指标", "settings",
           (_code("指标", "维度编码", "dimension code"),
            Field("name", "name", "指标名称", ("指标名称", "维度名称", "指标", "维度", "名称", "name", "dimension",
                                               "dimension name")), NAME_ZH, NAME_EN,
            Field("unit", "unit", "单位", ("单位", "unit")),
            Field("direction", "direction", "方向", ("方向", "指标方向", "评价方向", "direction", "better")),
            Field("scale_min", "scale_min", "最低分", ("最低分", "最小值", "下限", "量程下限", "min", "minimum",
                                                       "scale min")),
            Field("scale_max", "scale_max", "最高分", ("最高分", "最大值", "上限", "满分", "量程上限", "max",
                                                       "maximum", "scale max"))),
           required=("code",), key=("code",)))

_kind(Kind("requirements", "岗位要求", "records",
           (POSITION, DIMENSION,
            Field("value", "value", "要求", ("要求", "要求值", "岗位要求", "标准", "标准值", "目标值", "requirement",
                                             "required value", "value", "target"))),
           required=("position", "dimension", "value"), key=("position", "dimension")))

_kind(Kind("courses", "培训课程", "settings",
           (_code("课程", "course code"),
            Field("name", "name", "课程名称", ("课程名称", "课程", "名称", "name", "course", "course name", "title")),
            NAME_ZH, NAME_EN,
            Field("mandatory", "mandatory", "必修", ("必修", "是否必修", "必修课", "mandatory", "required",
                                                     "compulsory")),
            Field("dimension", "dimension", "关联指标", ("关联指标", "指标", "维度", "dimension", "metric")),
            Field("hours", "hours", "学时", ("学时", "课时", "时长", "hours", "duration"))),
           required=("code",), key=("code",)))

_kind(Kind("projects", "项目", "records",
           (_code("项目", "project code", "project id"),
            Field("name", "name", "项目名称", ("项目名称", "项目", "名称", "name", "project", "project name")),
            NAME_ZH, NAME_EN, DEPARTMENT),
           required=("code",), key=("code",)))

_kind(Kind("scores", "绩效得分", "scores",
           (EMPLOYEE, NAME_CHECK, DIMENSION, MONTH,
            Field("score", "score", "得分", ("得分", "分数", "分值", "成绩", "绩效得分", "考核得分", "score", "value",
                                             "points", "result"))),
           required=("employee", "dimension", "month", "score"), key=("employee", "dimension", "month"), wide=True))

_kind(Kind("attendance", "考勤", "records",
           (EMPLOYEE, NAME_CHECK, MONTH,
            Field("scheduled_days", "scheduled_days", "应出勤天数",
                  ("应出勤天数", "应出勤", "应到天数", "应出勤日", "计划出勤天数", "scheduled days", "scheduled",
                   "working days", "workdays")),
            Field("attended_days", "attended_days", "实际出勤天数",
                  ("实际出勤天数", "实出勤天数", "实出勤", "实际出勤", "出勤天数", "实到天数", "attended days",
                   "attended", "days attended", "present days")),
            Field("leave_days", "leave_days", "请假天数", ("请假天数", "休假天数", "请假", "leave days", "leave",
                                                           "days on leave"))),
           required=("employee", "month"), key=("employee", "month")))

_kind(Kind("leave", "请假", "records",
           (EMPLOYEE, NAME_CHECK,
            Field("kind", "kind", "假期类型", ("假期类型", "请假类型", "假别", "类型", "假期", "kind", "type",
                                               "leave type")),
            Field("start_date", "start_date", "开始日期", ("开始日期", "起始日期", "请假开始", "开始", "start date",
                                                           "start", "from", "from date")),
            Field("end_date", "end_date", "结束日期", ("结束日期", "截止日期", "请假结束", "结束", "end date", "end",
                                                       "to", "to date")),
            Field("days", "days", "天数", ("天数", "请假天数", "days", "total days", "leave days"))),
           required=("employee", "kind", "start_date"), key=("employee", "kind", "start_date")))

_kind(Kind("training", "培训记录", "records",
           (EMPLOYEE, NAME_CHECK, COURSE,
            Field("due_date", "due_date", "截止日期", ("截止日期", "应完成日期", "到期日", "期限", "due date", "due",
                                                       "deadline")),
            Field("completed_date", "completed_date", "完成日期", ("完成日期", "实际完成日期", "完成时间",
                                                                   "completed", "completed date", "completed on",
                                                                   "completion date"))),
           required=("employee", "course"), key=("employee", "course")))

_kind(Kind("hours", "项目工时", "records",
           (EMPLOYEE, NAME_CHECK, PROJECT, MONTH,
            Field("hours", "hours", "工时", ("工时", "投入工时", "项目工时", "小时", "小时数", "hours",
                                             "hours worked"))),
           required=("employee", "project", "month", "hours"), key=("employee", "month", "project")))

_kind(Kind("salary", "薪资", "salary",
           (EMPLOYEE, NAME_CHECK, MONTH,
            Field("base", "base", "基本工资", ("基本工资", "基本薪资", "底薪", "月薪", "基本月薪", "工资", "base",
                                               "base salary", "base pay", "basic", "salary")),
            Field("bonus", "bonus", "奖金", ("奖金", "绩效奖金", "绩效工资", "bonus", "performance bonus"))),
           required=("employee", "month", "base"), key=("employee", "month")))

# Order in which a whole organisation is loaded (each kind refers only to kinds before it).
ORDER = ("dimensions", "departments", "positions", "requirements", "courses", "employees", "projects", "scores",
         "attendance", "leave", "training", "hours", "salary")
KIND_ALIASES = {"assignments": "hours", "project-hours": "hours", "department": "departments",
                "position": "positions", "employee": "employees", "score": "scores", "leaves": "leave",
                "course": "courses", "dimension": "dimensions", "project": "projects", "salaries": "salary",
                "requirement": "requirements"}
assert set(ORDER) == set(KINDS)


def kind_named(name: str) -> Kind:
    key = KIND_ALIASES.get(name, name)
    if key not in KINDS:
        raise ImportFailure("import.kind.unknown", kind=name, kinds=", ".join(ORDER))
    return KINDS[key]


# -- layouts of other HR systems ---------------------------------------------------------------------------------
# header word -> field key (None: a known column hrtui does not keep). Layout words win over the native words; the
# native words still apply to the other columns, so a column added by hand (部门) is read too.
ORANGEHRM = {
    "first_name": "first_name", "middle_name": "middle_name", "last_name": "last_name", "employee_id": "number",
    "work_email": "email", "other_email": None, "other_id": None, "driver's_license_no": None,
    "license_expiry_date": None, "gender": None, "marital_status": None, "nationality": None, "date_of_birth": None,
    "address_street_1": None, "address_street_2": None, "city": None, "state/province": None,
    "zip/postal_code": None, "country": None, "home_telephone": None, "mobile": None, "work_telephone": None,
}
FRAPPE = {
    "ID": "number", "name": "number", "employee": "number", "Employee Number": None, "employee_number": None,
    "First Name": "first_name", "Middle Name": "middle_name", "Last Name": "last_name", "Full Name": "name",
    "employee_name": "name", "Department": "department", "Designation": "position", "Date of Joining": "hire_date",
    "Reports to": "manager", "Status": "status", "Company Email": "email", "company_email": "email",
    "Prefered Email": "email_fallback", "prefered_email": "email_fallback", "Preferred Email": "email_fallback",
    "Gender": None, "Date of Birth": None, "Salutation": None, "Company": None, "Series": None,
    "naming_series": None, "User ID": None, "user_id": None, "Personal Email": None, "personal_email": None,
    "Mobile": None, "cell_number": None, "Branch": None, "Relieving Date": None, "relieving_date": None,
}
LAYOUTS = {"native": {}, "orangehrm": ORANGEHRM, "frappe": FRAPPE}
LAYOUT_FIELDS = {  # fields that only layouts produce
    "first_name": Field("first_name", "first_name", "名"), "middle_name": Field("middle_name", "middle_name", "中间名"),
    "last_name": Field("last_name", "last_name", "姓"),
    "email_fallback": Field("email_fallback", "preferred email", "备用邮箱"),
}


@dataclass
class Column:
    index: int
    header: str
    key: str | None              # field key, "dim:<code>" for a wide score column, None when ignored


@dataclass
class Mapping:
    kind: Kind
    columns: list[Column]
    header_row: int
    width: int
    wide: bool = False

    def index(self, key: str) -> int | None:
        return next((c.index for c in self.columns if c.key == key), None)

    def header_of(self, key: str) -> str:
        return next((c.header for c in self.columns if c.key == key), key)

    @property
    def used(self) -> list[Column]:
        return [c for c in self.columns if c.key]

    @property
    def ignored(self) -> list[Column]:
        return [c for c in self.columns if not c.key and c.header]


def _words(kind: Kind) -> dict[str, str]:
    words: dict[str, str] = {}
    for f in kind.fields:
        for w in (f.key, f.en, f.zh, *f.aliases):
            words.setdefault(norm_header(w), f.key)
    return words


def alias_clashes() -> list[str]:
    """Header words that would mean two different columns of one kind (a test keeps this empty)."""
    out = []
    for kind in KINDS.values():
        seen: dict[str, str] = {}
        for f in kind.fields:
            for w in {norm_header(x) for x in (f.key, f.en, f.zh, *f.aliases)}:
                if w in seen and seen[w] != f.key:
                    out.append(f"{kind.name}: {w!r} means {seen[w]} and {f.key}")
                seen[w] = f.key
    return out


def map_header(kind: Kind, header: list, layout: str, dimensions: dict[str, str] | None, header_row: int = 1,
               strict: bool = True) -> Mapping:
    """Columns of a header row. `dimensions` maps a normalised dimension code/name to its code (wide scores).
    With strict=False nothing is refused (used to find the header row among title rows)."""
    if layout not in LAYOUTS:
        raise ImportFailure("import.layout.unknown", layout=layout, layouts=", ".join(LAYOUTS))
    if layout != "native" and kind.name != "employees":
        raise ImportFailure("import.layout.employees_only", layout=layout)
    layout_words = {norm_header(k): v for k, v in LAYOUTS[layout].items()}
    native = _words(kind)
    columns: list[Column] = []
    taken: dict[str, str] = {}
    for i, cell in enumerate(header):
        h = "" if cell is None else V.printable(" ".join(str(cell).split()))  # it is shown in every message
        n = norm_header(h)
        key = None
        if n in layout_words:
            key = layout_words[n]
        elif n in native:
            key = native[n]
        elif strip_note(h) in native:
            key = native[strip_note(h)]
        elif kind.wide and dimensions and (n in dimensions or strip_note(h) in dimensions):
            key = "dim:" + dimensions.get(n, dimensions.get(strip_note(h)))
        if key and key in taken:
            if strict:
                raise ImportFailure("import.header.twice", first=taken[key], second=h,
                                    field=field_label(kind, key, "en"))
            key = None
        if key:
            taken[key] = h
        columns.append(Column(i, h, key))
    mapping = Mapping(kind, columns, header_row, len(header))
    if not strict:
        return mapping
    keys = {c.key for c in columns if c.key}
    if not keys:
        raise ImportFailure("import.header.nothing_known", found=", ".join(c.header for c in columns if c.header)[:200],
                            expected=expected_columns(kind, "en"), kind=kind.name)
    missing = [k for k in kind.required if k not in keys]
    if kind.wide and "dimension" not in keys and any(k.startswith("dim:") for k in keys):
        mapping.wide = True
        missing = [k for k in missing if k not in ("dimension", "score")]
    if missing:
        raise ImportFailure("import.header.missing", missing=", ".join(
            "/".join(dict.fromkeys((kind.field(k).zh, kind.field(k).en))) for k in missing), kind=kind.name)
    return mapping


def field_label(kind: Kind, key: str, lang: str) -> str:
    """How a column is named in messages: a field's zh/en name, a layout field's, or a dimension code."""
    if key.startswith("dim:"):
        return key[4:]
    if key in LAYOUT_FIELDS:
        return LAYOUT_FIELDS[key].label(lang)
    return kind.field(key).label(lang)


def expected_columns(kind: Kind, lang: str) -> str:
    """The required columns as `工号/employee, …` (both languages: the file may use either)."""
    return ", ".join("/".join(dict.fromkeys((f.zh, f.en))) for f in kind.fields if f.key in kind.required)
