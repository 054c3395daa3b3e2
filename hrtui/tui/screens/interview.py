"""The interview screen: timer and agenda, script prompts, typed notes with speakers, mood cues, summary.

Typing never waits on the disk: committed lines and the autosaved draft go to the domain's Recorder thread.
The timer repaints at 2 Hz from a monotonic clock.
"""
from __future__ import annotations

import time

from rich.cells import cell_len
from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, RichLog, Static

from hrtui.domain import interview as iv
from hrtui.domain import mood as mood_mod
from hrtui.domain import scripts_library as lib
from hrtui.domain import script_store
from hrtui.errors import UserError
from hrtui.cells import pad
from hrtui.i18n import register, t
from hrtui.tui.screens.base import HRScreen, style
from hrtui.tui.widgets.key_bar import KeyBar

register(
    {"iv.title": "Interview", "iv.total": "total", "iv.left": "left", "iv.over": "over by",
     "iv.speaker.hr": "HR", "iv.speaker.employee": "Employee", "iv.type": "Type what was said; Enter commits the line",
     "iv.no_prompts": "(no prompts for this part)", "iv.resumed": "Interview resumed",
     "iv.resumed.lines_draft": "{lines} lines and the unfinished one are back.",
     "iv.resumed.line_draft": "1 line and the unfinished one are back.",
     "iv.resumed.lines": "All {lines} lines are back.", "iv.resumed.line": "The 1 line is back.",
     "iv.resumed.draft": "The unfinished line is back.",
     "iv.tagged": "Mood of the last employee line: {mood}", "iv.no_employee_line": "No employee line to tag yet.",
     "iv.write_failed": "Could not save the interview: {error}", "iv.agenda": "Agenda minutes (opening, data review, "
     "employee's view, plan, closing), e.g. 3,10,10,10,5",
     "iv.ended": "Interview ended; summary saved.", "iv.md_written": "Summary written to {path}",
     "iv.sum.title": "Interview summary", "iv.sum.segments": "Time per part", "iv.sum.moods": "Moods",
     "iv.sum.goals": "Goals (space: covered)", "iv.sum.notes": "{count} lines", "iv.sum.notes_one": "1 line",
     "iv.sum.none": "none",
     "bind.interview.speaker": "Speaker", "bind.interview.next": "Prompt", "bind.interview.segment": "Next",
     "bind.interview.mood": "Mood", "bind.interview.charts": "Charts", "bind.interview.end": "End",
     "bind.interview.leave": "Leave", "bind.interview.agenda": "Agenda",
     "plan.ui.end_first": "End the interview first (Enter); then p drafts the plan from it.",
     "bind.summary.toggle": "Covered", "bind.summary.confirm": "End interview", "bind.summary.markdown": "Markdown",
     "bind.summary.back": "Back", "bind.summary.plan": "Draft plan",
     "cmd.iv.prev_prompt": "Previous prompt", "cmd.iv.prev_segment": "Previous agenda part",
     "cmd.iv.agenda": "Edit the agenda (ctrl+g)", "cmd.iv.end": "End the interview (F12)",
     "cmd.iv.search": "Script: {text}", "cmd.iv.search.help": "Show this prompt now"},
    {"iv.title": "面谈", "iv.total": "总计", "iv.left": "剩余", "iv.over": "超时",
     "iv.speaker.hr": "HR", "iv.speaker.employee": "员工", "iv.type": "输入谈话内容，回车确认本行",
     "iv.no_prompts": "（本环节没有提示）", "iv.resumed": "已恢复面谈",
     "iv.resumed.lines_draft": "已记录的{lines}行和没写完的一行都在。",
     "iv.resumed.line_draft": "已记录的1行和没写完的一行都在。",
     "iv.resumed.lines": "已记录的{lines}行都在。", "iv.resumed.line": "已记录的1行都在。",
     "iv.resumed.draft": "没写完的一行还在。",
     "iv.tagged": "最后一行员工发言的情绪：{mood}", "iv.no_employee_line": "还没有员工发言可以标注。",
     "iv.write_failed": "面谈保存失败：{error}", "iv.agenda": "各环节分钟数（开场、数据回顾、员工观点、改进计划、收尾），如 3,10,10,10,5",
     "iv.ended": "面谈已结束，纪要已保存。", "iv.md_written": "纪要已写入 {path}",
     "iv.sum.title": "面谈纪要", "iv.sum.segments": "各环节用时", "iv.sum.moods": "情绪", "iv.sum.goals": "面谈目标（空格：已覆盖）",
     "iv.sum.notes": "共 {count} 行记录", "iv.sum.notes_one": "共 1 行记录", "iv.sum.none": "无",
     "bind.interview.speaker": "发言人", "bind.interview.next": "提示", "bind.interview.segment": "下一环节",
     "bind.interview.mood": "情绪", "bind.interview.charts": "图表", "bind.interview.end": "结束",
     "bind.interview.leave": "离开", "bind.interview.agenda": "议程",
     "plan.ui.end_first": "请先结束面谈（Enter），再按 p 起草计划。",
     "bind.summary.toggle": "已覆盖", "bind.summary.confirm": "结束面谈", "bind.summary.markdown": "导出",
     "bind.summary.back": "返回", "bind.summary.plan": "起草计划",
     "cmd.iv.prev_prompt": "上一条提示", "cmd.iv.prev_segment": "上一个环节",
     "cmd.iv.agenda": "修改议程（ctrl+g）", "cmd.iv.end": "结束面谈（F12）",
     "cmd.iv.search": "话术：{text}", "cmd.iv.search.help": "立即显示这条提示"},
)

TAG_CYCLE = ("irritated", "low", "resistant", "calm")
CLOCK_SAVE_S = 2.0  # the running clock is saved this often (one UPDATE on the Recorder's thread: ~0.02 ms)
RESUME_KEY_GRACE_S = 3.0  # an `i` this soon after an unfinished interview came back is the habit Enter, i

# No line starts with closing punctuation or ends with opening punctuation (a simple kinsoku rule).
_CLOSING = set("，。、；：！？）》」』”’〉】…")
_OPENING = set("（《「『“‘〈【")


def wrap_cells(text: Text, width: int, keep: tuple[int, int] | None = None) -> list[Text]:
    """`text` cut into lines of at most `width` terminal cells, every character kept.

    Latin words break at spaces; CJK text breaks between any two characters (a CJK character is two cells wide);
    a word longer than a line is cut between characters. `keep` (start, end) is a span kept on one line when it
    fits (the mood tag). Spaces at a break are dropped."""
    plain = text.plain
    if width <= 0 or cell_len(plain) <= width:
        return [text]
    units: list[tuple[int, int, int]] = []  # (start, end, cells)
    i = 0
    while i < len(plain):
        if keep and i == keep[0]:
            j = keep[1]
        elif plain[i].isspace() or cell_len(plain[i]) > 1 or plain[i] in _CLOSING or plain[i] in _OPENING:
            j = i + 1
        else:
            j = i + 1
            while (j < len(plain) and not plain[j].isspace() and cell_len(plain[j]) == 1
                   and plain[j] not in _CLOSING and plain[j] not in _OPENING and not (keep and j == keep[0])):
                j += 1
        cells = cell_len(plain[i:j])
        if cells > width:  # longer than a line: cut between characters
            units += [(k, k + 1, cell_len(plain[k])) for k in range(i, j)]
        else:
            units.append((i, j, cells))
        i = j
    lines: list[list[tuple[int, int, int]]] = [[]]
    used = 0
    for unit in units:
        start, _end, cells = unit
        line = lines[-1]
        if plain[start].isspace():
            if line:  # a space at the start of a wrapped line is dropped
                line.append(unit)
                used += cells
            continue
        if used + cells <= width or not line:
            line.append(unit)
            used += cells
            continue
        # break before this unit; trailing spaces go with the break
        while line and plain[line[-1][0]].isspace():
            line.pop()
        carry = []
        if plain[start] in _CLOSING and len(line) > 1:
            carry.append(line.pop())
        while len(line) > 1 and plain[line[-1][0]] in _OPENING:
            carry.insert(0, line.pop())
        new = carry + [unit]
        if sum(c for _s, _e, c in new) > width:  # the rule cannot be kept here: keep every character instead
            line.extend(carry)
            new = [unit]
        lines.append(new)
        used = sum(c for _s, _e, c in new)
    out = []
    for line in lines:
        while line and plain[line[-1][0]].isspace():
            line.pop()
        if line:
            out.append(text[line[0][0]:line[-1][1]])
    return out or [text]


class NotesLog(RichLog):
    """The committed lines, wrapped by the screen to this log's width (so no character falls off the edge);
    a new width draws them again."""

    _drawn_width = 0

    def on_resize(self, event) -> None:
        super().on_resize(event)
        if self.wrap_width() != self._drawn_width:
            self.screen.redraw_notes()

    def wrap_width(self) -> int:
        return self.scrollable_content_region.width


class NoteInput(Input):
    """The line being typed. Single letters are text here; every command is an F-key or ctrl-key.

    One exception: opening an employee whose interview is unfinished goes straight back into it, and HR's habit
    from the portrait is Enter, then `i` (start the interview). An `i` as the first key, right after the interview
    came back, is that command — already done — so it is not typed into the notes."""

    def _on_key(self, event) -> None:
        first = self.screen.first_key_after_resume()
        if first and event.key == "i":
            event.stop()
            event.prevent_default()  # Input's own handler (which types it) does not run


class PromptLine(Static):
    """The current prompt and its counter, wrapped by terminal cells like the notes (CJK breaks between any two
    characters), on as many rows as it needs: no character and no counter falls off at 80 columns."""

    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self._text = Text("")

    def show(self, text: str, counter: str | None = None) -> None:
        """`text` after a » pointer, with its counter ("2/12") dimmed at the end; None: a plain line, no pointer."""
        if counter is None:
            self._text = Text(text)
        else:
            self._text = Text.assemble(("»", "bold"), " ", text, *(("  ", (counter, "dim")) if counter else ()))
        self.refresh(layout=True)

    def _lines(self, width: int) -> list[Text]:
        return wrap_cells(self._text, width)

    def get_content_height(self, container, viewport, width: int) -> int:
        return max(1, len(self._lines(width)))

    def render(self) -> Text:
        return Text("\n").join(self._lines(self.content_size.width))


class InterviewScreen(HRScreen):
    CSS_PATH = style("interview")
    # The key bar draws the keys that fit, in this order: the way out comes first, so it is always there
    # (in English the last ones may not fit at 80 columns; F3/F6/ctrl+g and F12 are also in the palette).
    BINDINGS = [
        Binding("escape", "leave", "Leave", id="interview.leave"),
        Binding("f12", "end", "End", id="interview.end"),
        Binding("f2", "toggle_speaker", "Speaker", id="interview.speaker"),
        Binding("f4", "prompt(1)", "Prompt", id="interview.next"),
        Binding("f3", "prompt(-1)", show=False, id="interview.prev"),
        Binding("f5", "segment(1)", "Next", id="interview.segment"),
        Binding("f6", "segment(-1)", show=False, id="interview.segment_prev"),
        Binding("f9", "tag_mood", "Mood", id="interview.mood"),
        Binding("f10", "charts", "Charts", id="interview.charts"),
        Binding("ctrl+g", "agenda", "Agenda", id="interview.agenda", show=False),
        # as on the roster; F-keys are never text, so the note line does not take them
        Binding("f7", "app.toggle_lang", "中文", id="app.lang", show=False),
        Binding("f8", "app.next_theme", "Theme", id="app.theme", show=False),
    ]
    AUTO_FOCUS = "NoteInput"

    def __init__(self, interview: iv.Interview, clock=time.monotonic) -> None:
        super().__init__()
        self.iv = interview
        self.clock = iv.InterviewClock(interview.elapsed_s, clock)
        self._monotonic = clock
        self._clock_saved = interview.elapsed_s
        self._resume_key_until: float | None = None
        self.speaker = interview.draft_speaker or "hr"
        self.prompt_index = 0
        self.banner: str | None = None
        self._tag_timer = None
        self._pending_tag: tuple[str, int] | None = None
        self.recorder: iv.Recorder | None = None
        self.scripts = script_store.entries()
        self.facts: dict | None = interview.facts  # what the prompts may say about the employee (read at start)

    @property
    def lang(self) -> str:
        return self.app.lang

    # -- layout ----------------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="iv-head")
        yield Static("", id="iv-agenda")
        yield PromptLine(id="iv-prompt")
        yield Static("", id="iv-banner")
        yield NotesLog(id="iv-notes", min_width=1, markup=False, auto_scroll=True)
        with Horizontal(id="iv-entry"):
            yield Static("", id="iv-speaker")
            yield NoteInput(placeholder=t("iv.type", self.lang), id="iv-input", select_on_focus=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.recorder = iv.Recorder(self.app.actor, self.iv.id)
        entry = self.query_one(NoteInput)
        entry.value = self.iv.draft_text
        entry.cursor_position = len(entry.value)
        self.redraw_notes()
        self._draw_static()
        self._tick()
        self.set_interval(0.5, self._tick)  # 2 Hz: the clock is monotonic, so late ticks lose nothing
        if self.iv.resumed:
            self._resume_key_until = self._monotonic() + RESUME_KEY_GRACE_S
        if self.iv.notes or self.iv.draft_text:
            self.notify(self.resumed_text(), title=t("iv.resumed", self.lang), timeout=4, markup=False)

    def first_key_after_resume(self) -> bool:
        """Whether the key being handled is the first one since the interview came back, within the grace time."""
        until, self._resume_key_until = self._resume_key_until, None
        return until is not None and self._monotonic() <= until

    def on_screen_resume(self) -> None:
        """Back on top (from the summary without ending, the charts, the agenda editor): the clock goes on; F12 held
        it while the summary was read. (The base class relabels the keys as well.)"""
        self.clock.start()

    def resumed_text(self) -> str:
        """What came back after a restart, as one sentence (the toast's title says the interview resumed)."""
        lines = len(self.iv.notes)
        key = "line" if lines == 1 else "lines" if lines else ""
        key = f"{key}_draft" if key and self.iv.draft_text else key or "draft"
        return t(f"iv.resumed.{key}", self.lang, lines=lines)

    def relabel(self) -> None:
        self.query_one(NoteInput).placeholder = t("iv.type", self.lang)
        self.redraw_notes()
        self._draw_static()
        self._tick()

    def _draw_static(self) -> None:
        lang = self.lang
        parts = []
        for i, seg in enumerate(self.iv.agenda):
            label = f"{iv.SEGMENT_NAMES[lang][seg.key]} {seg.minutes:g}"
            parts.append(f"[reverse b] {escape(label)} [/]" if i == self.iv.segment else escape(label))
        self.query_one("#iv-agenda", Static).update(" │ ".join(parts))
        prompts = self.prompts()
        if prompts:
            i = self.prompt_index % len(prompts)
            self.query_one(PromptLine).show(prompts[i]["text"], f"{i + 1}/{len(prompts)}")
        else:
            self.query_one(PromptLine).show(t("iv.no_prompts", lang))
        banner = self.query_one("#iv-banner", Static)
        banner.display = self.banner is not None
        banner.update(self.banner or "")
        who = t(f"iv.speaker.{self.speaker}", lang)
        speaker = self.query_one("#iv-speaker", Static)
        speaker.update(Text(f"[{who}]"))
        speaker.set_class(self.speaker == "employee", "employee")

    def _tick(self) -> None:
        if self.recorder and self.recorder.error:
            error, self.recorder.error = self.recorder.error, None
            self.notify(t("iv.write_failed", self.lang, error=type(error).__name__), severity="error", markup=False)
        lang = self.lang
        elapsed = self.clock.elapsed()
        if self.recorder and elapsed - self._clock_saved >= CLOCK_SAVE_S:
            # a silent stretch survives a kill too: the writer thread saves it, this thread only hands it over
            self._clock_saved = elapsed
            self.recorder.clock(elapsed)
        left = iv.segment_remaining(self.iv, elapsed)
        seg = iv.SEGMENT_NAMES[lang][self.iv.agenda[self.iv.segment].key]
        if left >= 0:
            timer = f"{seg} {t('iv.left', lang)} {iv.clock_text(left)}"
        else:
            timer = f"[b $warning]{seg} {t('iv.over', lang)} {iv.clock_text(-left)}[/]"
        head = (f"[b]{t('iv.title', lang)}[/b] · {escape(self.iv.name(lang))} {self.iv.employee_number}   "
                f"{t('iv.total', lang)} {iv.clock_text(elapsed)}   {timer}")
        self.query_one("#iv-head", Static).update(head, layout=False)

    def _note_lines(self, n: iv.Note, width: int) -> list[Text]:
        """One committed line as the log shows it: time, speaker, text and mood tag, wrapped to `width` cells."""
        who = t(f"iv.speaker.{n.speaker}", self.lang)
        line = Text(f"{iv.clock_text(n.offset_s)} ", style="dim")
        line.append(f"{who}: ", style="bold" if n.speaker == "hr" else "bold italic")
        line.append(n.text)
        keep = None
        mood = n.shown_mood
        if mood and mood != "calm":
            line.append("  ")
            tag = f"[{iv.MOOD_NAMES[self.lang][mood]}]"
            keep = (len(line), len(line) + len(tag))
            line.append(tag, style="bold")
        return wrap_cells(line, width, keep)

    def _write_note(self, log: NotesLog, n: iv.Note) -> None:
        width = log.wrap_width()
        if width <= 0:
            return  # not laid out yet: NotesLog.on_resize draws every line once it has a width
        log._drawn_width = width
        for line in self._note_lines(n, width):
            log.write(line, width=width)

    def redraw_notes(self) -> None:
        log = self.query_one(NotesLog)
        log.clear()
        log._drawn_width = log.wrap_width()
        for n in self.iv.notes:
            self._write_note(log, n)

    def employee_facts(self) -> dict:
        """What the prompts may say of this employee (their portrait's facts, both languages): as `start_or_resume`
        read them, else read once here."""
        if self.facts is None:
            from hrtui.domain.script_facts import employee_facts

            self.facts = employee_facts(self.app.actor, self.iv.employee_number)
        return self.facts

    def prompts(self) -> list[dict]:
        """The current part's prompts that are true for this employee, their figures filled in from the portrait."""
        return lib.for_segment(self.scripts, self.iv.agenda[self.iv.segment].key, self.lang, self.employee_facts())

    # -- typing ----------------------------------------------------------------------------------------------
    @on(Input.Changed, "#iv-input")
    def _typed(self, event: Input.Changed) -> None:
        self.recorder.draft(self.speaker, event.value, self.clock.elapsed())

    @on(Input.Submitted, "#iv-input")
    def _commit(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            return
        note = iv.Note(len(self.iv.notes) + 1, self.clock.elapsed(), self.iv.segment, self.speaker, text)
        if self.speaker == "employee":
            result = mood_mod.classify(text)
            note.mood = result.label
            if mood_mod.pause_banner(result):
                self._raise_banner(result.label)
            elif not result.negative:
                self.banner = None
        self.iv.notes.append(note)
        self.recorder.note(note)
        self._write_note(self.query_one(NotesLog), note)
        event.input.value = ""
        self._draw_static()

    def _raise_banner(self, label: str) -> None:
        advice = lib.empathy_for(label, self.scripts, self.lang, limit=1)
        words = mood_mod.banner_text(self.lang)
        mood_name = iv.MOOD_NAMES[self.lang][label]
        self.banner = f"[b]⚠ {escape(words)}[/b] ({mood_name})" + (f"  » {escape(advice[0]['text'])}" if advice else "")

    # -- actions ---------------------------------------------------------------------------------------------
    def action_toggle_speaker(self) -> None:
        self.speaker = "employee" if self.speaker == "hr" else "hr"
        self.recorder.draft(self.speaker, self.query_one(NoteInput).value, self.clock.elapsed())
        self._draw_static()

    def action_prompt(self, step: int) -> None:
        self.prompt_index += step
        self._draw_static()

    def action_segment(self, step: int) -> None:
        new = max(0, min(len(self.iv.agenda) - 1, self.iv.segment + step))
        if new == self.iv.segment:
            return
        at = self.clock.elapsed()
        self.iv.segment, self.iv.segment_start_s = new, at
        self.prompt_index = 0
        self.banner = None
        self.recorder.segment(new, at)
        self._draw_static()
        self._tick()

    def action_tag_mood(self) -> None:
        """One key: each press moves the last employee line's mood on (irritated → low → resistant → calm);
        the choice is written once the key rests for a moment, so the timeline holds the final one."""
        last = next((n for n in reversed(self.iv.notes) if n.speaker == "employee"), None)
        if last is None:
            self.notify(t("iv.no_employee_line", self.lang), severity="warning")
            return
        current = last.mood_tag or last.mood or "calm"
        nxt = TAG_CYCLE[(TAG_CYCLE.index(current) + 1) % len(TAG_CYCLE)] if current in TAG_CYCLE else TAG_CYCLE[0]
        last.mood_tag = nxt
        self._pending_tag = (nxt, last.seq)
        if self._tag_timer is not None:
            self._tag_timer.stop()
        self._tag_timer = self.set_timer(1.2, self._write_tag)
        self.redraw_notes()
        self.notify(t("iv.tagged", self.lang, mood=iv.MOOD_NAMES[self.lang][nxt]), timeout=1.5)

    def _write_tag(self) -> None:
        if self._pending_tag:
            label, seq = self._pending_tag
            self._pending_tag = None
            self.iv.moods.append((self.clock.elapsed(), label, "tag"))
            self.recorder.mood(label, self.clock.elapsed(), seq)
            if label != "calm":
                self._raise_banner(label)
            else:
                self.banner = None
            self._draw_static()

    def action_charts(self) -> None:
        self.app.open_charts(self.iv.employee_number)

    def action_agenda(self, typed: str | None = None) -> None:
        current = typed if typed is not None else ",".join(f"{s.minutes:g}" for s in self.iv.agenda)

        def done(text: str | None) -> None:
            if text is None:
                return
            try:
                agenda = iv.parse_agenda(text, self.lang)
                self.recorder.flush()
                iv.set_agenda(self.app.actor, self.iv.id, agenda)
            except UserError as exc:
                self.notify(str(exc), severity="error", markup=False)
                self.action_agenda(text)  # the editor again, with what was typed, to correct it
                return
            self.iv.agenda = agenda
            self.iv.segment = min(self.iv.segment, len(agenda) - 1)
            self._draw_static()
            self._tick()

        self.app.push_screen(AskScreen(t("iv.agenda", self.lang), current), done)

    def action_end(self) -> None:
        self._write_tag()
        elapsed = self.clock.stop()  # the interview is over: reading the summary is not interview time
        self.iv.elapsed_s = self._clock_saved = elapsed
        self.recorder.clock(elapsed)
        self.recorder.flush()
        self.app.push_screen(SummaryScreen(self))

    def action_leave(self) -> None:
        self._write_tag()
        self.close_recorder()
        self.app.pop_screen()

    def close_recorder(self) -> None:
        if self.recorder is not None:
            self.recorder.clock(self.clock.elapsed())
            self.recorder.close()
            self.recorder = None

    def on_unmount(self) -> None:
        self.close_recorder()

    def show_prompt(self, key: str) -> None:
        """From the palette's script search: jump to that prompt (its segment's list, or shown on its own)."""
        prompts = self.prompts()
        for i, p in enumerate(prompts):
            if p["key"] == key:
                self.prompt_index = i
                self._draw_static()
                return
        entry = next((e for e in self.scripts if e["key"] == key), None)
        text = lib.fill(entry, self.lang, self.employee_facts()) if entry else None
        if text is not None:  # (the palette offers only prompts true for this employee)
            self.query_one(PromptLine).show(text, "")


class AskScreen(ModalScreen[str | None]):
    """One line of input: Enter answers, Escape cancels."""
    CSS_PATH = style("interview")

    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, question: str, value: str = "") -> None:
        super().__init__()
        self.question, self.value = question, value

    def compose(self) -> ComposeResult:
        with Horizontal(id="ask-box"):
            yield Static(self.question, id="ask-question")
        yield Input(value=self.value, id="ask-input")

    @on(Input.Submitted)
    def _answer(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SummaryScreen(HRScreen):
    """Review before ending: time per part, moods, goals to mark covered; Enter ends and saves the summary."""
    CSS_PATH = style("interview")

    BINDINGS = [
        Binding("up", "move(-1)", show=False), Binding("down", "move(1)", show=False),
        Binding("space", "toggle", "Covered", id="summary.toggle"),
        Binding("enter", "confirm", "End interview", id="summary.confirm"),
        Binding("m", "markdown", "Markdown", id="summary.markdown"),
        Binding("p", "draft_plan", "Draft plan", id="summary.plan"),
        Binding("escape", "app.pop_screen", "Back", id="summary.back"),
        Binding("f7", "app.toggle_lang", "中文", id="app.lang", show=False),
        Binding("f8", "app.next_theme", "Theme", id="app.theme", show=False),
    ]

    def __init__(self, interview_screen: InterviewScreen | None = None, summary: iv.Summary | None = None) -> None:
        super().__init__()
        self.iv_screen = interview_screen
        self.ended = summary is not None
        self.summary = summary
        self.cursor = 0

    def compose(self) -> ComposeResult:
        yield Static("", id="sum-body")
        yield KeyBar()

    def on_mount(self) -> None:
        if self.summary is None:
            # F12 held the clock and saved it: the summary's times are those of the moment the interview ended
            self.summary = iv.summary_of(self.iv_screen.iv.id, self.app.lang)
        self.covered = {g for g, _txt, c in self.summary.goals if c}
        self.draw()

    def relabel(self) -> None:
        """F7: the same summary in the other language (goals are kept in both)."""
        self.summary = iv.summary_of(self.summary.interview.id, self.app.lang)
        self.draw()

    def draw(self) -> None:
        """Built from plain text pieces (never markup), so `[x]` and names with brackets show as typed."""
        lang = self.app.lang
        s = self.summary
        lines = [Content.assemble((t("iv.sum.title", lang), "bold"),
                                  f" · {s.interview.name(lang)} {s.interview.employee_number}"
                                  f"   {t('iv.total', lang)} {iv.clock_text(s.interview.elapsed_s)}"),
                 Content(""), Content.assemble((t("iv.sum.segments", lang), "bold"))]
        names = {key: iv.SEGMENT_NAMES[lang][key] for key, _p, _s in s.time_per_segment}
        name_w = max((cell_len(n) for n in names.values()), default=0)
        for key, planned, spent in s.time_per_segment:
            row = [f"  {pad(names[key], name_w)}  {iv.clock_text(spent)} / {iv.clock_text(planned)}"]
            if spent > planned:
                row += [" ", ("+", "bold $warning")]
            lines.append(Content.assemble(*row))
        moods = [f"{iv.clock_text(o)} {iv.MOOD_NAMES[lang].get(lab, lab)}" for o, lab, _src in s.interview.moods]
        lines += [Content(""), Content.assemble((t("iv.sum.moods", lang), "bold"), "  ",
                                                ", ".join(moods[-6:]) or t("iv.sum.none", lang)),
                  Content(""), Content.assemble((t("iv.sum.goals", lang), "bold"))]
        for i, (gid, text, _c) in enumerate(s.goals):
            mark = "[x]" if gid in self.covered else "[ ]"
            pointer = "›" if i == self.cursor and not self.ended else " "
            lines.append(Content(f" {pointer} {mark} {text}"))
        if not s.goals:
            lines.append(Content("  " + t("iv.sum.none", lang)))
        count = len(s.interview.notes)
        lines += [Content(""), Content(t("iv.sum.notes_one", lang) if count == 1 else
                                       t("iv.sum.notes", lang, count=count))]
        self.query_one("#sum-body", Static).update(Content("\n").join(lines))

    def action_move(self, step: int) -> None:
        if self.summary.goals:
            self.cursor = (self.cursor + step) % len(self.summary.goals)
            self.draw()

    def action_toggle(self) -> None:
        if self.ended or not self.summary.goals:
            return
        gid = self.summary.goals[self.cursor][0]
        self.covered ^= {gid}
        self.draw()

    def action_confirm(self) -> None:
        if self.ended:
            self.app.pop_screen()
            return
        screen = self.iv_screen
        elapsed = screen.clock.elapsed()
        screen.close_recorder()
        order = [g for g, _t, _c in self.summary.goals if g in self.covered]
        self.summary = iv.end(self.app.actor, screen.iv.id, elapsed, order, self.app.lang)
        self.ended = True
        self.notify(t("iv.ended", self.app.lang))
        self.draw()
        # the interview screen underneath is finished: drop it, keep this summary on top
        self.app.call_later(self._drop_interview_screen)

    def _drop_interview_screen(self) -> None:
        stack = self.app.screen_stack
        if self.iv_screen in stack:
            self.app.pop_screen()  # this summary
            self.app.pop_screen()  # the finished interview
            self.app.push_screen(SummaryScreen(summary=self.summary))

    def action_draft_plan(self) -> None:
        """After the interview: the improvement plan, drafted from the key shortfalls and linked to this interview."""
        if not self.ended:
            self.notify(t("plan.ui.end_first", self.app.lang), severity="warning", markup=False)
            return
        self.app.open_plan(self.summary.interview.employee_number, self.summary.interview.id)

    def action_markdown(self) -> None:
        from hrtui.tui.files import write_private_text

        md = iv.to_markdown(self.summary, self.app.lang)
        name = f"interview-{self.summary.interview.employee_number}-{self.summary.interview.started_at[:10]}.md"
        path = write_private_text(name, md)
        self.notify(t("iv.md_written", self.app.lang, path=str(path)), markup=False, timeout=6)
