"""A believable bilingual demo company, deterministic for a seed (and the date it is built on).

Everyone gets 18 months of scores on the 8 default dimensions, monthly attendance, training and (in R&D and
operations) project hours. About 8 % are under-performers whose story is in the data: low customer satisfaction,
a complaint rate twice the team's, a leave spike, missed mandatory training, falling project hours, a missed target.
Bulk rows go through `executemany` (DESIGN §3): 100k employees fit in the time budget only that way.
"""
from __future__ import annotations

import datetime as _dt
import json
import math
import random
from dataclasses import dataclass, field

from hrtui.access.actor import create_user
from hrtui.domain.months import add_months, last_full_month
from hrtui.domain.organisation import DEFAULT_DIMENSIONS
from hrtui.domain.roster import name_key_rows, refresh_overall
from hrtui.domain.team_stats import refresh_all, scores_changed
from hrtui.store.db import database

DEPARTMENTS = [  # code, zh, en, share of headcount
    ("SALES", "销售部", "Sales", 0.28),
    ("RD", "研发部", "R&D", 0.30),
    ("CS", "客服部", "Customer Service", 0.16),
    ("OPS", "运营部", "Operations", 0.12),
    ("FIN", "财务部", "Finance", 0.07),
    ("HR", "人力资源部", "Human Resources", 0.07),
]

POSITIONS = {  # dept -> [(code, zh, en, level)]; level 2 = manager
    "SALES": [("SALES-REP", "销售代表", "Sales Representative", 0), ("SALES-LEAD", "销售主管", "Sales Lead", 1),
              ("SALES-MGR", "销售经理", "Sales Manager", 2)],
    "RD": [("RD-ENG", "软件工程师", "Software Engineer", 0), ("RD-SENIOR", "高级工程师", "Senior Engineer", 1),
           ("RD-MGR", "研发经理", "R&D Manager", 2)],
    "CS": [("CS-AGENT", "客服专员", "Service Agent", 0), ("CS-LEAD", "客服组长", "Service Team Lead", 1),
           ("CS-MGR", "客服经理", "Service Manager", 2)],
    "OPS": [("OPS-SPEC", "运营专员", "Operations Specialist", 0), ("OPS-MGR", "运营经理", "Operations Manager", 2)],
    "FIN": [("FIN-ACC", "会计", "Accountant", 0), ("FIN-MGR", "财务经理", "Finance Manager", 2)],
    "HR": [("HR-SPEC", "人事专员", "HR Specialist", 0), ("HR-MGR", "人力资源经理", "HR Manager", 2)],
}

# Typical value and spread per dimension, and the requirement of a level-0 position.
DIM_PROFILE = {
    "TARGET": (100, 10, 90), "EFFICIENCY": (80, 6, 75), "TEAMWORK": (82, 5, 75), "CSAT": (85, 4, 80),
    "COMPLAINT": (3.0, 0.6, 5.0), "ATTENDANCE": (97, 1.5, 95), "QUALITY": (82, 5, 75), "LEARNING": (76, 7, 70),
}

SURNAMES = [("张", "Zhang"), ("王", "Wang"), ("李", "Li"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"), ("黄", "Huang"),
            ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"), ("徐", "Xu"), ("孙", "Sun"), ("马", "Ma"), ("朱", "Zhu"),
            ("胡", "Hu"), ("郭", "Guo"), ("何", "He"), ("高", "Gao"), ("林", "Lin"), ("罗", "Luo"), ("郑", "Zheng"),
            ("梁", "Liang"), ("谢", "Xie"), ("宋", "Song"), ("唐", "Tang"), ("许", "Xu"), ("韩", "Han"), ("冯", "Feng"),
            ("邓", "Deng"), ("曹", "Cao"), ("彭", "Peng"), ("曾", "Zeng"), ("肖", "Xiao"), ("田", "Tian"), ("董", "Dong"),
            ("袁", "Yuan"), ("潘", "Pan"), ("于", "Yu"), ("蒋", "Jiang"), ("蔡", "Cai"), ("欧阳", "Ouyang")]
GIVEN = [("伟", "Wei"), ("芳", "Fang"), ("娜", "Na"), ("敏", "Min"), ("静", "Jing"), ("丽", "Li"), ("强", "Qiang"),
         ("磊", "Lei"), ("军", "Jun"), ("洋", "Yang"), ("勇", "Yong"), ("艳", "Yan"), ("杰", "Jie"), ("娟", "Juan"),
         ("涛", "Tao"), ("明", "Ming"), ("超", "Chao"), ("秀英", "Xiuying"), ("霞", "Xia"), ("平", "Ping"), ("刚", "Gang"),
         ("桂英", "Guiying"), ("华", "Hua"), ("玲", "Ling"), ("鹏", "Peng"), ("辉", "Hui"), ("婷", "Ting"), ("宇", "Yu"),
         ("浩", "Hao"), ("欣", "Xin"), ("晨", "Chen"), ("雪", "Xue"), ("琳", "Lin"), ("建国", "Jianguo"), ("志强", "Zhiqiang"),
         ("海燕", "Haiyan"), ("子涵", "Zihan"), ("思远", "Siyuan"), ("雨桐", "Yutong"), ("文博", "Wenbo"), ("佳怡", "Jiayi"),
         ("俊杰", "Junjie"), ("梓萱", "Zixuan"), ("一鸣", "Yiming"), ("嘉欣", "Jiaxin"), ("天宇", "Tianyu")]

COURSES = [  # code, zh, en, mandatory, dimension
    ("SEC", "信息安全意识", "Information security awareness", 1, None),
    ("COMPLIANCE", "合规与职业道德", "Compliance and ethics", 1, None),
    ("SALES-SKILLS", "顾问式销售", "Consultative selling", 0, "TARGET"),
    ("TIME", "时间管理", "Time management", 0, "EFFICIENCY"),
    ("COMM", "高效沟通与协作", "Effective communication", 0, "TEAMWORK"),
    ("SERVICE", "客户服务技巧", "Customer service skills", 0, "CSAT"),
    ("COMPLAINT", "投诉处理与预防", "Handling and preventing complaints", 0, "COMPLAINT"),
    ("QUALITY", "质量管理基础", "Quality management basics", 0, "QUALITY"),
    ("LEARN", "学习力提升", "Learning how to learn", 0, "LEARNING"),
]

# Story kinds and the departments they are planted in first (so hr.sales sees most of them).
STORIES = [("csat", ("SALES", "CS")), ("complaint", ("CS", "SALES")), ("leave", ("SALES", "OPS")),
           ("training", ("RD", "SALES")), ("project", ("RD", "OPS")), ("target", ("SALES", "RD"))]

MONTHS = 18
DEMO_ACCOUNTS = ("admin", "hr.sales", "hr.rd", "mgr.sales", "emp.sales")


@dataclass
class DemoResult:
    employees: int
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # name, role, scope
    stories: dict[str, str] = field(default_factory=dict)                # kind -> employee number


class _Ids:
    """Deterministic UUIDv7-shaped ids: the timestamp field from a fixed base, the rest from the seeded RNG."""

    def __init__(self, rng: random.Random, base_ms: int):
        self.rng, self.ms = rng, base_ms

    def __call__(self) -> str:
        self.ms += 1
        value = (self.ms << 80) | (0x7 << 76) | (self.rng.getrandbits(12) << 64) | (0b10 << 62) | self.rng.getrandbits(62)
        h = f"{value:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _clamp(v: float, lo: float, hi: float) -> float:
    return lo if v < lo else hi if v > hi else v


def build_demo(employees: int = 240, seed: int = 7, password: str = "demo", today: _dt.date | None = None,
               progress=None) -> DemoResult:
    """Fill an empty, migrated database with the demo company. `progress(step, fraction)` is called as it goes."""
    if employees < 1:
        raise ValueError("--employees must be at least 1")
    from hrtui import config

    today = today or config.today()
    rng = random.Random(seed)
    new_id = _Ids(random.Random(seed + 1), 1_750_000_000_000 + seed)
    end = last_full_month(today)
    months = [add_months(end, -i) for i in range(MONTHS - 1, -1, -1)]
    say = progress or (lambda step, frac: None)
    result = DemoResult(employees=employees)
    cur = database.cursor()

    with database.atomic():
        database.execute_sql("PRAGMA defer_foreign_keys = ON")
        # -- reference data --------------------------------------------------------------------------------
        dims = {}
        for sort, (code, zh, en, unit, direction, lo, hi) in enumerate(DEFAULT_DIMENSIONS):
            dims[code] = (new_id(), direction, lo, hi)
            cur.execute("INSERT INTO dimension (id, code, name_zh, name_en, unit, direction, scale_min, scale_max, sort)"
                        " VALUES (?,?,?,?,?,?,?,?,?)", (dims[code][0], code, zh, en, unit, direction, lo, hi, sort))
        depts = {}
        for code, zh, en, _share in DEPARTMENTS:
            depts[code] = new_id()
            cur.execute("INSERT INTO department (id, code, name_zh, name_en) VALUES (?,?,?,?)", (depts[code], code, zh, en))
        positions = {}  # dept -> list of (id, level)
        for dcode, plist in POSITIONS.items():
            for pcode, zh, en, level in plist:
                pid = new_id()
                positions.setdefault(dcode, []).append((pid, level))
                cur.execute("INSERT INTO position (id, code, name_zh, name_en, department_id, is_manager) VALUES (?,?,?,?,?,?)",
                            (pid, pcode, zh, en, depts[dcode], int(level == 2)))
                for dim, (_typ, _sd, req) in DIM_PROFILE.items():
                    bump = {0: 0, 1: 4, 2: 6}[level]
                    value = req - bump * 0.2 if dim == "COMPLAINT" else req + bump
                    value = _clamp(value, dims[dim][2], dims[dim][3])  # a requirement lies on the scale
                    cur.execute("INSERT INTO position_requirement (position_id, dimension_id, value) VALUES (?,?,?)",
                                (pid, dims[dim][0], round(value, 1)))
        courses = {}
        for code, zh, en, mandatory, dim in COURSES:
            courses[code] = new_id()
            cur.execute("INSERT INTO training_course (id, code, name_zh, name_en, mandatory, dimension_id, hours)"
                        " VALUES (?,?,?,?,?,?,?)", (courses[code], code, zh, en, mandatory, dims[dim][0] if dim else None, 8))
        say("reference", 0.02)

        # -- people --------------------------------------------------------------------------------------------
        counts = _split(employees, [s for *_x, s in DEPARTMENTS])
        people = []  # (id, number, dept_code, level)
        number = 0
        emp_rows, key_rows = [], []
        managers: dict[str, list[str]] = {}
        width = max(6, len(str(employees)))
        for (dcode, *_r), n in zip(DEPARTMENTS, counts):
            n_mgr = max(1, math.ceil(n / 25)) if n else 0
            for i in range(n):
                number += 1
                num = f"E{number:0{width}d}"
                sur, sur_en = SURNAMES[rng.randrange(len(SURNAMES))]
                giv, giv_en = GIVEN[rng.randrange(len(GIVEN))]
                zh, en = sur + giv, f"{sur_en} {giv_en}"
                plist = positions[dcode]
                if i < n_mgr:
                    pid, level = plist[-1]
                else:
                    pid, level = plist[0] if rng.random() < 0.75 or len(plist) < 3 else plist[1]
                eid = new_id()
                mgr = None if i < n_mgr else managers[dcode][i % n_mgr]
                if i < n_mgr:
                    managers.setdefault(dcode, []).append(eid)
                hire = _dt.date(today.year - 1 - rng.randrange(9), 1 + rng.randrange(12), 1 + rng.randrange(28))
                emp_rows.append((eid, num, zh, en, depts[dcode], pid, mgr, hire.isoformat(), "active",
                                 f"{en.lower().replace(' ', '.')}.{number}@demo.example"))
                key_rows.extend(name_key_rows(num, zh, en))
                people.append((eid, num, dcode, level))
        cur.executemany("INSERT INTO employee (id, number, name_zh, name_en, department_id, position_id, manager_id,"
                        " hire_date, status, email) VALUES (?,?,?,?,?,?,?,?,?,?)", emp_rows)
        cur.executemany("INSERT OR IGNORE INTO name_key (term, number) VALUES (?,?)", key_rows)
        del emp_rows, key_rows
        say("employees", 0.1)

        # -- stories: ~8 % under-performers, the first of each kind in its preferred departments ---------------
        story_of: dict[str, str] = {}
        n_stories = max(len(STORIES), round(employees * 0.08)) if employees >= 24 else min(employees, len(STORIES))
        candidates = [p for p in people if p[3] != 2]
        rng.shuffle(candidates)
        for k in range(n_stories):
            kind, prefer = STORIES[k % len(STORIES)]
            pick = None
            for dept in prefer if k < len(STORIES) else ():
                pick = pick or next((p for p in candidates if p[0] not in story_of and p[2] == dept), None)
            pick = pick or next((p for p in candidates if p[0] not in story_of), None)
            if pick is None:
                break
            story_of[pick[0]] = kind
            result.stories.setdefault(kind, pick[1])

        # -- monthly facts ---------------------------------------------------------------------------------------
        win_start = add_months(end, -2)
        recent2 = add_months(end, -1)
        dim_items = [(code, dims[code][0], *DIM_PROFILE[code], dims[code][2], dims[code][3]) for code in dims]
        batch, att, leaves, hours = [], [], [], []
        projects = {}
        for dcode in ("RD", "OPS"):
            for j in range(max(2, counts[[d[0] for d in DEPARTMENTS].index(dcode)] // 20)):
                pid = new_id()
                projects.setdefault(dcode, []).append(pid)
                cur.execute("INSERT INTO project (id, code, name_zh, name_en, department_id) VALUES (?,?,?,?,?)",
                            (pid, f"{dcode}-P{j + 1:03d}", f"{DEPARTMENTS[[d[0] for d in DEPARTMENTS].index(dcode)][1]}项目{j + 1}",
                             f"{dcode} project {j + 1}", depts[dcode]))
        random_ = rng.random
        step = max(1, len(people) // 20)
        for idx, (eid, num, dcode, level) in enumerate(people):
            story = story_of.get(eid)
            ability = (random_() + random_() + random_() - 1.5) * 1.2  # ~N(0, 0.6): most people are fine
            for code, did, typ, sd, _req, lo, hi in dim_items:
                direction_sign = -1 if code == "COMPLAINT" else 1
                base = typ + direction_sign * ability * sd
                for m in months:
                    v = base + (random_() + random_() - 1.0) * sd
                    if story and m >= win_start:
                        v = _story_value(story, code, v, typ)
                    elif story == "csat" and code == "CSAT" and m >= add_months(end, -5):
                        v -= 8  # the slide started before the window
                    batch.append((eid, did, m, round(_clamp(v, lo, hi), 1)))
            for m in months:
                sched = 21 + (1 if random_() < 0.5 else 0)
                r = random_()
                leave = 0 if r < 0.6 else 1 if r < 0.85 else 2 if r < 0.95 else 3
                if story == "leave" and m >= recent2:
                    leave = 5 + int(random_() * 2)
                att.append((eid, m, sched, sched - leave, leave))
                if leave:
                    first = _dt.date(int(m[:4]), int(m[5:7]), 3 + int(random_() * 15))
                    leaves.append((new_id(), eid, "annual" if random_() < 0.7 else "sick", first.isoformat(),
                                   (first + _dt.timedelta(days=leave - 1)).isoformat(), leave))
            if dcode in projects:
                proj = projects[dcode][idx % len(projects[dcode])]
                for m in months:
                    h = 140 + (random_() - 0.5) * 30
                    if story == "project" and m >= recent2:
                        h *= 0.4
                    hours.append((proj, eid, m, round(h, 1)))
            if len(batch) >= 200_000:
                cur.executemany("INSERT INTO score (employee_id, dimension_id, month, value) VALUES (?,?,?,?)", batch)
                batch.clear()
            if idx % step == 0:
                say("scores", 0.1 + 0.75 * idx / len(people))
        cur.executemany("INSERT INTO score (employee_id, dimension_id, month, value) VALUES (?,?,?,?)", batch)
        cur.executemany("INSERT INTO attendance (employee_id, month, scheduled_days, attended_days, leave_days)"
                        " VALUES (?,?,?,?,?)", att)
        cur.executemany("INSERT INTO leave (id, employee_id, kind, start_date, end_date, days) VALUES (?,?,?,?,?,?)", leaves)
        cur.executemany("INSERT INTO assignment (project_id, employee_id, month, hours) VALUES (?,?,?,?)", hours)
        del batch, att, leaves, hours
        say("attendance", 0.88)

        # -- training: two mandatory courses for everyone, one topical course for some ---------------------
        records = []
        for eid, num, dcode, level in people:
            story = story_of.get(eid)
            for code in ("SEC", "COMPLIANCE"):
                due = today - _dt.timedelta(days=30 + int(random_() * 150))
                done = None if (story == "training" and code == "SEC") else (due - _dt.timedelta(days=int(random_() * 20))).isoformat()
                records.append((new_id(), eid, courses[code], due.isoformat(), done))
            if random_() < 0.3:
                code = COURSES[2 + int(random_() * (len(COURSES) - 2))][0]
                due = today + _dt.timedelta(days=int(random_() * 60) + 10)
                records.append((new_id(), eid, courses[code], due.isoformat(), None))
        cur.executemany("INSERT INTO training_record (id, employee_id, course_id, due_date, completed_date)"
                        " VALUES (?,?,?,?,?)", records)
        del records
        say("training", 0.92)

        # -- accounts ------------------------------------------------------------------------------------------
        by_dept = {d: [p for p in people if p[2] == d] for d in depts}
        sales_mgr = managers.get("SALES", [None])[0]
        emp_story = next((p[0] for p in people if story_of.get(p[0]) == "csat"), None) or people[-1][0]
        create_user("admin", "admin", password, check_length=False)
        create_user("hr.sales", "hr", password, departments=["SALES"], check_length=False)
        create_user("hr.rd", "hr", password, departments=["RD"], check_length=False)
        if sales_mgr:
            create_user("mgr.sales", "manager", password, employee_id=sales_mgr, check_length=False)
        create_user("emp.sales", "employee", password, employee_id=emp_story, check_length=False)
        result.accounts = [("admin", "admin", "all departments"), ("hr.sales", "hr", "SALES"), ("hr.rd", "hr", "RD")]
        if sales_mgr:
            result.accounts.append(("mgr.sales", "manager", "their SALES reports"))
        result.accounts.append(("emp.sales", "employee", "self"))
        cur.execute("INSERT OR REPLACE INTO setting (key, value) VALUES ('demo.stories', ?)", (json.dumps(result.stories),))
        del by_dept
        scores_changed()
    say("scores", 0.96)
    refresh_overall(today)
    from hrtui.domain.attention import refresh_shortfalls

    # The plans below rewrite some scores before the window (their stories), so the team statistics cache is
    # filled after them, in one pass, rather than by this scan.
    refresh_shortfalls(today, cache=False)
    from hrtui.domain.plans_demo import add_demo_plans

    add_demo_plans(today, seed)
    scores_changed()
    refresh_all(today)
    say("done", 1.0)
    return result


def _story_value(story: str, code: str, v: float, typical: float) -> float:
    if story == "csat" and code == "CSAT":
        return 60 + (v - typical) * 0.3
    if story == "complaint" and code == "COMPLAINT":
        return typical * 2.0 + (v - typical) * 0.3
    if story == "target" and code == "TARGET":
        return 68 + (v - typical) * 0.3
    if story == "csat" and code == "TARGET":
        return v - 12
    return v


def _split(total: int, shares: list[float]) -> list[int]:
    """Split `total` by shares, largest remainders first, so the counts add up exactly."""
    raw = [total * s / sum(shares) for s in shares]
    counts = [int(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)[: total - sum(counts)]:
        counts[i] += 1
    return counts
