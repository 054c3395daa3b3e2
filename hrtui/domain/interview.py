"""The interview session: agenda and timer, committed note lines, the line being typed, mood timeline, summary.

Everything typed survives a crash or a dropped SSH connection: each committed line is a row, and the line being
typed is saved as a draft within a second (by `Recorder`, a writer thread, so the UI thread never waits on the
disk). Reopening the employee resumes the unfinished interview with every line and the draft.

Interview notes are HR-private (policy "interview_notes"): managers and employees never read them.
"""
from __future__ import annotations

import datetime as _dt
import json
import queue
import threading
import time
from dataclasses import dataclass, field

from hrtui.access import audit
from hrtui.access.actor import Actor, find_employee
from hrtui.access.policy import require
from hrtui.errors import UserError
from hrtui.i18n import bilingual, register, t
from hrtui.store.db import database
from hrtui.store.ids import uuid7

SEGMENTS = ("opening", "data_review", "employee_view", "plan", "closing")
DEFAULT_AGENDA = (("opening", 3.0), ("data_review", 10.0), ("employee_view", 10.0), ("plan", 10.0), ("closing", 5.0))
SPEAKERS = ("hr", "employee")
MOODS = ("calm", "irritated", "low", "resistant")


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


@dataclass
class Segment:
    key: str
    minutes: float


@dataclass
class Note:
    seq: int
    offset_s: float
    segment: int
    speaker: str
    text: str
    mood: str | None = None
    mood_tag: str | None = None

    @property
    def shown_mood(self) -> str | None:
        return self.mood_tag or self.mood


@dataclass
class Interview:
    id: str
    employee_id: str
    employee_number: str
    name_zh: str
    name_en: str
    started_at: str
    state: str
    agenda: list[Segment]
    segment: int
    elapsed_s: float
    segment_start_s: float
    notes: list[Note] = field(default_factory=list)
    draft_speaker: str = "hr"
    draft_text: str = ""
    moods: list[tuple[float, str, str]] = field(default_factory=list)  # (offset, label, 'cue'|'tag')
    goals_covered: list[str] = field(default_factory=list)
    resumed: bool = False  # an unfinished interview taken up again (not one started just now)
    facts: dict | None = None  # what its prompts may say of the employee (hrtui.domain.script_facts), read at start

    def name(self, lang: str) -> str:
        return bilingual(lang, self.name_zh, self.name_en)


# -- the clock ------------------------------------------------------------------------------------------------
class InterviewClock:
    """Elapsed time from a monotonic clock (timers drop late ticks; the clock does not). `now` is injectable.

    `stop()` holds the time (the interview has ended: reading its summary is not interview time); `start()` goes on
    from there."""

    def __init__(self, elapsed_s: float = 0.0, now=time.monotonic):
        self._now = now
        self._base = elapsed_s
        self._t0 = now()
        self.running = True

    def elapsed(self) -> float:
        return self._base + (self._now() - self._t0) if self.running else self._base

    def stop(self) -> float:
        if self.running:
            self._base, self.running = self.elapsed(), False
        return self._base

    def start(self) -> None:
        if not self.running:
            self._t0, self.running = self._now(), True


def segment_remaining(interview: Interview, elapsed: float) -> float:
    """Seconds left in the current segment; negative when it has overrun (shown, never blocking)."""
    seg = interview.agenda[interview.segment]
    return seg.minutes * 60 - (elapsed - interview.segment_start_s)


def clock_text(seconds: float) -> str:
    sign = "-" if seconds < 0 else ""
    s = int(abs(seconds))
    return f"{sign}{s // 3600:d}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{sign}{s // 60:02d}:{s % 60:02d}"


MAX_SEGMENT_MINUTES = 240


def parse_agenda(text: str, lang: str = "en") -> list[Segment]:
    """'3,10,10,10,5' (minutes for the default segments) or 'opening=3,plan=15,…' (a part by its key or its name in
    either language); refuses what it cannot read, saying why in `lang`. A part lasts more than 0 and at most
    MAX_SEGMENT_MINUTES minutes (skipping one is F5, not 0 minutes)."""
    parts = [p.strip() for p in text.replace("，", ",").replace("＝", "=").split(",") if p.strip()]
    example = ",".join(f"{m:g}" for _k, m in DEFAULT_AGENDA)
    if not parts:
        raise UserError(t("interview.agenda.empty", lang, example=example))
    if all("=" not in p for p in parts):
        if len(parts) != len(DEFAULT_AGENDA):
            raise UserError(t("interview.agenda.count", lang, given=len(parts), parts=len(DEFAULT_AGENDA),
                              names=_list(lang, [SEGMENT_NAMES[lang][k] for k, _m in DEFAULT_AGENDA]),
                              example=example))
        pairs = [(key, p) for (key, _), p in zip(DEFAULT_AGENDA, parts)]
    else:
        pairs = [tuple(x.strip() for x in p.split("=", 1)) for p in parts]
    by_name = {name.casefold(): key for names in SEGMENT_NAMES.values() for key, name in names.items()}
    by_name.update({key: key for key in SEGMENTS})
    out = []
    for name, minutes in pairs:
        key = by_name.get(name.casefold())
        if key is None:
            raise UserError(t("interview.agenda.unknown", lang, name=name, known=_list(lang, [
                SEGMENT_NAMES[lang][k] if lang == "zh" else k for k in SEGMENTS])))
        try:
            value = float(minutes)
        except ValueError:
            raise UserError(t("interview.agenda.not_number", lang, value=minutes)) from None
        if not 0 < value <= MAX_SEGMENT_MINUTES:  # also refuses nan and inf
            raise UserError(t("interview.agenda.bounds", lang, part=SEGMENT_NAMES[lang][key], value=minutes,
                              max=MAX_SEGMENT_MINUTES))
        out.append(Segment(key, value))
    return out


def _list(lang: str, items: list[str]) -> str:
    return ("、" if lang == "zh" else ", ").join(items)


# -- reading ------------------------------------------------------------------------------------------------
def _employee(actor: Actor, key: str) -> tuple[str, str, str, str]:
    require(actor, "read", "interview_notes")
    eid = find_employee(actor, key)
    return database.execute_sql("SELECT id, number, name_zh, name_en FROM employee WHERE id = ?", (eid,)).fetchone()


def load(interview_id: str) -> Interview:
    row = database.execute_sql(
        """SELECT i.id, i.employee_id, e.number, e.name_zh, e.name_en, i.started_at, i.state, i.agenda, i.segment,
                  i.elapsed_s, i.segment_start_s, i.goals_covered
           FROM interview i JOIN employee e ON e.id = i.employee_id WHERE i.id = ?""", (interview_id,)).fetchone()
    if row is None:
        raise UserError("no such interview")
    agenda = [Segment(k, m) for k, m in json.loads(row[7])]
    iv = Interview(*row[:7], agenda, row[8], row[9], row[10], goals_covered=json.loads(row[11]))
    iv.notes = [Note(*r) for r in database.execute_sql(
        "SELECT seq, offset_s, segment, speaker, text, mood, mood_tag FROM interview_note WHERE interview_id = ? ORDER BY seq",
        (interview_id,))]
    draft = database.execute_sql("SELECT speaker, text FROM interview_draft WHERE interview_id = ?", (interview_id,)).fetchone()
    if draft:
        iv.draft_speaker, iv.draft_text = draft
    iv.moods = [tuple(r) for r in database.execute_sql(
        "SELECT offset_s, label, source FROM interview_mood WHERE interview_id = ? ORDER BY offset_s", (interview_id,))]
    return iv


def open_interview(actor: Actor, key: str) -> Interview | None:
    """The unfinished interview of this employee, if any (what a reopened session resumes)."""
    eid = _employee(actor, key)[0]
    row = database.execute_sql("SELECT id FROM interview WHERE employee_id = ? AND state = 'open' "
                               "ORDER BY started_at DESC LIMIT 1", (eid,)).fetchone()
    return load(row[0]) if row else None


def start_or_resume(actor: Actor, key: str, agenda: list[Segment] | None = None) -> Interview:
    """The employee's unfinished interview (`resumed`), else a new one. Either way it has goals to cover: the
    employee's saved interview goals, else the portrait's suggestions, saved now as the goals of this interview
    (as Ctrl+S in the portrait would), so they can be marked covered and appear in the summary."""
    require(actor, "write", "interview_notes")
    current = open_interview(actor, key)
    if current is not None:
        facts = _prepare(actor, key)
        audit.record(actor, "interview.resume", current.id)
        current.resumed, current.facts = True, facts
        return current
    eid = _employee(actor, key)[0]
    iid = uuid7()
    agenda = agenda or [Segment(k, m) for k, m in DEFAULT_AGENDA]
    with database.atomic():
        database.execute_sql(
            "INSERT INTO interview (id, employee_id, hr_user_id, started_at, agenda) VALUES (?,?,?,?,?)",
            (iid, eid, actor.user_id, _now(), json.dumps([[s.key, s.minutes] for s in agenda])))
        database.execute_sql("INSERT INTO interview_segment (interview_id, seq, segment, start_s) VALUES (?, 1, 0, 0)",
                             (iid,))
        audit.record(actor, "interview.start", iid)
    facts = _prepare(actor, key)
    started = load(iid)
    started.facts = facts
    return started


def _prepare(actor: Actor, key: str) -> dict:
    """One portrait for the interview: the facts its prompts may say (hrtui.domain.script_facts), and, when the
    employee has no saved goals, its suggested ones saved (the portrait's own rule: saved, else suggested) so they
    can be covered and appear in the summary. No portrait to read: no facts, no goals, the interview goes on."""
    from hrtui.domain import goals as goals_mod
    from hrtui.domain.portrait import portrait
    from hrtui.domain.script_facts import facts_of

    try:
        p = portrait(actor, key, "en")
    except UserError:
        return {}
    if not p.goals_saved and p.suggested_goals:
        goals_mod.save_goals(actor, key, p.suggested_goals)
    return facts_of(p)


def history(actor: Actor, key: str) -> list[tuple[str, str, str]]:
    """(id, started_at, state) of every interview of this employee, newest first."""
    eid = _employee(actor, key)[0]
    return [tuple(r) for r in database.execute_sql(
        "SELECT id, started_at, state FROM interview WHERE employee_id = ? ORDER BY started_at DESC", (eid,))]


# -- writing (called on the Recorder's thread) -------------------------------------------------------------------
def _touch(interview_id: str, elapsed_s: float) -> None:
    database.execute_sql("UPDATE interview SET elapsed_s = max(elapsed_s, ?), updated_at = ? WHERE id = ?",
                         (elapsed_s, _now(), interview_id))


def commit_note(actor: Actor, interview_id: str, note: Note) -> None:
    with database.atomic():
        database.execute_sql(
            "INSERT INTO interview_note (id, interview_id, seq, offset_s, segment, speaker, text, mood) VALUES (?,?,?,?,?,?,?,?)",
            (uuid7(), interview_id, note.seq, note.offset_s, note.segment, note.speaker, note.text, note.mood))
        if note.mood and note.mood != "calm":
            database.execute_sql(
                "INSERT INTO interview_mood (id, interview_id, offset_s, label, source, note_seq) VALUES (?,?,?,?,?,?)",
                (uuid7(), interview_id, note.offset_s, note.mood, "cue", note.seq))
        database.execute_sql("DELETE FROM interview_draft WHERE interview_id = ?", (interview_id,))
        _touch(interview_id, note.offset_s)
        audit.record(actor, "interview.note", interview_id, {"seq": note.seq})


def save_clock(interview_id: str, elapsed_s: float) -> None:
    """The running clock, saved every few seconds while the interview is on screen (so a killed session loses at
    most those seconds): one UPDATE of one row, never backwards. Not audited: it is not a user's action."""
    _touch(interview_id, elapsed_s)


def save_draft(interview_id: str, speaker: str, text: str, elapsed_s: float) -> None:
    with database.atomic():
        database.execute_sql(
            "INSERT INTO interview_draft (interview_id, speaker, text, saved_at) VALUES (?,?,?,?) "
            "ON CONFLICT (interview_id) DO UPDATE SET speaker = excluded.speaker, text = excluded.text, "
            "saved_at = excluded.saved_at", (interview_id, speaker, text, _now()))
        _touch(interview_id, elapsed_s)


def change_segment(actor: Actor, interview_id: str, segment: int, at_s: float) -> None:
    with database.atomic():
        database.execute_sql("UPDATE interview_segment SET end_s = ? WHERE interview_id = ? AND end_s IS NULL",
                             (at_s, interview_id))
        seq = database.execute_sql("SELECT coalesce(max(seq), 0) + 1 FROM interview_segment WHERE interview_id = ?",
                                   (interview_id,)).fetchone()[0]
        database.execute_sql("INSERT INTO interview_segment (interview_id, seq, segment, start_s) VALUES (?,?,?,?)",
                             (interview_id, seq, segment, at_s))
        database.execute_sql("UPDATE interview SET segment = ?, segment_start_s = ? WHERE id = ?",
                             (segment, at_s, interview_id))
        _touch(interview_id, at_s)
        audit.record(actor, "interview.segment", interview_id, {"segment": segment})


def tag_mood(actor: Actor, interview_id: str, label: str, offset_s: float, note_seq: int | None) -> None:
    if label not in MOODS:
        raise UserError(f"unknown mood {label!r}")
    with database.atomic():
        if note_seq is not None:
            database.execute_sql("UPDATE interview_note SET mood_tag = ? WHERE interview_id = ? AND seq = ?",
                                 (label, interview_id, note_seq))
        database.execute_sql(
            "INSERT INTO interview_mood (id, interview_id, offset_s, label, source, note_seq) VALUES (?,?,?,?,?,?)",
            (uuid7(), interview_id, offset_s, label, "tag", note_seq))
        audit.record(actor, "interview.mood_tag", interview_id, {"seq": note_seq, "label": label})


def set_agenda(actor: Actor, interview_id: str, agenda: list[Segment]) -> None:
    require(actor, "write", "interview_notes")
    with database.atomic():
        database.execute_sql("UPDATE interview SET agenda = ?, segment = min(segment, ?) WHERE id = ?",
                             (json.dumps([[s.key, s.minutes] for s in agenda]), len(agenda) - 1, interview_id))
        audit.record(actor, "interview.agenda", interview_id)


class Recorder:
    """Writes an interview's changes on a thread of its own, in order: the UI thread only enqueues.

    Drafts are coalesced: only the newest waiting draft is written. `flush()` waits until everything queued is on
    disk (used when the screen closes and by tests)."""

    def __init__(self, actor: Actor, interview_id: str):
        self.actor, self.interview_id = actor, interview_id
        self._queue: queue.Queue = queue.Queue()
        self._draft: tuple[str, str, float] | None = None
        self._clock: float | None = None
        self._lock = threading.Lock()
        self.error: Exception | None = None
        self._thread = threading.Thread(target=self._run, name=f"recorder-{interview_id[:8]}", daemon=True)
        self._thread.start()

    def note(self, note: Note) -> None:
        with self._lock:
            self._draft = None  # a committed line supersedes the draft it came from
        self._queue.put(("note", note))

    def draft(self, speaker: str, text: str, elapsed_s: float) -> None:
        with self._lock:
            first = self._draft is None
            self._draft = (speaker, text, elapsed_s)
        if first:
            self._queue.put(("draft", None))

    def clock(self, elapsed_s: float) -> None:
        """The elapsed time, coalesced like the draft: only the newest waiting value is written."""
        with self._lock:
            first = self._clock is None
            self._clock = elapsed_s
        if first:
            self._queue.put(("clock", None))

    def segment(self, segment: int, at_s: float) -> None:
        self._queue.put(("segment", (segment, at_s)))

    def mood(self, label: str, offset_s: float, note_seq: int | None) -> None:
        self._queue.put(("mood", (label, offset_s, note_seq)))

    def flush(self, timeout: float = 10.0) -> None:
        done = threading.Event()
        self._queue.put(("flush", done))
        done.wait(timeout)

    def close(self) -> None:
        self.flush()
        self._queue.put(("stop", None))
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            kind, arg = self._queue.get()
            try:
                if kind == "stop":
                    database.close()  # this thread's own connection
                    return
                if kind == "flush":
                    arg.set()
                elif kind == "note":
                    commit_note(self.actor, self.interview_id, arg)
                elif kind == "draft":
                    with self._lock:
                        pending, self._draft = self._draft, None
                    if pending is not None:
                        save_draft(self.interview_id, *pending)
                elif kind == "clock":
                    with self._lock:
                        elapsed, self._clock = self._clock, None
                    if elapsed is not None:
                        save_clock(self.interview_id, elapsed)
                elif kind == "segment":
                    change_segment(self.actor, self.interview_id, *arg)
                elif kind == "mood":
                    tag_mood(self.actor, self.interview_id, *arg)
            except Exception as exc:  # noqa: BLE001 - reported to the screen, which tells the user
                self.error = exc


# -- ending and the summary ---------------------------------------------------------------------------------
@dataclass
class Summary:
    interview: Interview
    ended_at: str | None
    time_per_segment: list[tuple[str, float, float]]   # (segment key, planned s, spent s)
    goals: list[tuple[str, str, bool]]                  # (goal id, text zh|en, covered)

    def to_dict(self) -> dict:
        iv = self.interview
        return {
            "employee": iv.employee_number, "started_at": iv.started_at, "ended_at": self.ended_at,
            "state": iv.state, "elapsed_s": round(iv.elapsed_s, 1),
            "segments": [{"segment": k, "planned_s": p, "spent_s": round(s, 1)} for k, p, s in self.time_per_segment],
            "moods": [{"offset_s": round(o, 1), "label": lab, "source": src} for o, lab, src in iv.moods],
            "notes": [{"seq": n.seq, "offset_s": round(n.offset_s, 1), "speaker": n.speaker, "text": n.text,
                       "mood": n.shown_mood} for n in iv.notes],
            "goals": [{"id": g, "text": txt, "covered": c} for g, txt, c in self.goals],
        }


def _goals(employee_id: str, lang: str, covered: list[str]) -> list[tuple[str, str, bool]]:
    rows = database.execute_sql(
        "SELECT id, text_zh, text_en FROM interview_goal WHERE employee_id = ? AND deleted = 0 ORDER BY position",
        (employee_id,)).fetchall()
    return [(gid, bilingual(lang, zh, en), gid in covered) for gid, zh, en in rows]


def summary_of(interview_id: str, lang: str = "en") -> Summary:
    iv = load(interview_id)
    spent: dict[int, float] = {}
    for segment, start, end in database.execute_sql(
            "SELECT segment, start_s, coalesce(end_s, ?) FROM interview_segment WHERE interview_id = ?",
            (iv.elapsed_s, interview_id)):
        spent[segment] = spent.get(segment, 0.0) + max(0.0, end - start)
    per = [(s.key, s.minutes * 60, spent.get(i, 0.0)) for i, s in enumerate(iv.agenda)]
    ended = database.execute_sql("SELECT ended_at FROM interview WHERE id = ?", (interview_id,)).fetchone()[0]
    return Summary(iv, ended, per, _goals(iv.employee_id, lang, iv.goals_covered))


def summary(actor: Actor, key: str, lang: str = "en") -> Summary:
    """The latest interview of an employee (ended or not) as a summary; audited as a read of interview notes."""
    rows = history(actor, key)
    if not rows:
        raise UserError(f"no interview with {key!r} yet")
    audit.record(actor, "interview.read", rows[0][0])
    return summary_of(rows[0][0], lang)


def end(actor: Actor, interview_id: str, elapsed_s: float, goals_covered: list[str], lang: str = "en") -> Summary:
    require(actor, "write", "interview_notes")
    with database.atomic():
        database.execute_sql("UPDATE interview_segment SET end_s = ? WHERE interview_id = ? AND end_s IS NULL",
                             (elapsed_s, interview_id))
        database.execute_sql("UPDATE interview SET state = 'ended', ended_at = ?, elapsed_s = max(elapsed_s, ?), "
                             "goals_covered = ? WHERE id = ?", (_now(), elapsed_s, json.dumps(goals_covered), interview_id))
        database.execute_sql("DELETE FROM interview_draft WHERE interview_id = ?", (interview_id,))
        result = summary_of(interview_id, lang)
        database.execute_sql("UPDATE interview SET summary_md = ? WHERE id = ?", (to_markdown(result, lang), interview_id))
        audit.record(actor, "interview.end", interview_id)
    return result


SEGMENT_NAMES = {
    "en": {"opening": "Opening", "data_review": "Data review", "employee_view": "Employee's view", "plan": "Plan",
           "closing": "Closing"},
    "zh": {"opening": "开场", "data_review": "数据回顾", "employee_view": "员工观点", "plan": "改进计划", "closing": "收尾"},
}
MOOD_NAMES = {"en": {"calm": "calm", "irritated": "irritated", "low": "low", "resistant": "resistant"},
              "zh": {"calm": "平静", "irritated": "烦躁", "low": "低落", "resistant": "抵触"}}
_MD = {
    "en": {"title": "Interview summary", "employee": "Employee", "started": "Started", "ended": "Ended",
           "open": "not ended", "time": "Time per segment", "segment": "Segment", "planned": "Planned",
           "spent": "Spent", "moods": "Moods over time", "none": "none noted", "notes": "Notes",
           "goals": "Goals", "covered": "covered", "not_covered": "not covered", "hr": "HR", "employee_s": "Employee",
           "total": "Total", "cue": " (read from the words)", "tag": " (tagged by HR)"},
    "zh": {"title": "面谈纪要", "employee": "员工", "started": "开始", "ended": "结束", "open": "未结束",
           "time": "各环节用时", "segment": "环节", "planned": "计划", "spent": "实际", "moods": "情绪变化",
           "none": "无记录", "notes": "记录", "goals": "面谈目标", "covered": "已覆盖", "not_covered": "未覆盖",
           "hr": "HR", "employee_s": "员工", "total": "合计", "cue": "（据发言识别）",
           "tag": "（HR 标注）"},
}


def to_markdown(s: Summary, lang: str = "en") -> str:
    m, seg, moods = _MD[lang], SEGMENT_NAMES[lang], MOOD_NAMES[lang]
    iv = s.interview
    out = [f"# {m['title']}: {iv.name(lang)} ({iv.employee_number})", "",
           f"- {m['started']}: {iv.started_at}", f"- {m['ended']}: {s.ended_at or m['open']}",
           f"- {m['total']}: {clock_text(iv.elapsed_s)}", "", f"## {m['time']}", "",
           f"| {m['segment']} | {m['planned']} | {m['spent']} |", "|---|---:|---:|"]
    out += [f"| {seg[k]} | {clock_text(p)} | {clock_text(sp)} |" for k, p, sp in s.time_per_segment]
    out += ["", f"## {m['moods']}", ""]
    out += [f"- {clock_text(o)} {moods.get(lab, lab)}{m.get(src, f' ({src})')}" for o, lab, src in iv.moods] \
        or [f"- {m['none']}"]
    out += ["", f"## {m['goals']}", ""]
    out += [f"- [{'x' if c else ' '}] {txt}" for _g, txt, c in s.goals] or [f"- {m['none']}"]
    out += ["", f"## {m['notes']}", ""]
    for n in iv.notes:
        who = m["hr"] if n.speaker == "hr" else m["employee_s"]
        mood = f" _({moods.get(n.shown_mood, n.shown_mood)})_" if n.shown_mood and n.shown_mood != "calm" else ""
        out.append(f"- `{clock_text(n.offset_s)}` **{who}**: {n.text}{mood}")
    return "\n".join(out) + "\n"


register(
    {"interview.agenda.empty": "Agenda: give the minutes of each part, e.g. {example}",
     "interview.agenda.count": "Agenda: the {parts} parts ({names}) need {parts} numbers of minutes, "
                               "e.g. {example}; you gave {given}",
     "interview.agenda.unknown": "Agenda: there is no part called \u201c{name}\u201d; the parts are {known}",
     "interview.agenda.not_number": "Agenda: \u201c{value}\u201d is not a number of minutes",
     "interview.agenda.bounds": "Agenda: {part} must last more than 0 and at most {max} minutes (you gave {value})"},
    {"interview.agenda.empty": "议程：请给出各环节的分钟数，如 {example}",
     "interview.agenda.count": "议程：共 {parts} 个环节（{names}），需要 {parts} 个分钟数，如 {example}；"
                               "你输入了 {given} 个",
     "interview.agenda.unknown": "议程：没有叫“{name}”的环节；环节有：{known}",
     "interview.agenda.not_number": "议程：“{value}”不是分钟数",
     "interview.agenda.bounds": "议程：{part}的时长须大于 0 分钟、不超过 {max} 分钟（你输入的是 {value}）"},
)
