"""A virtual roster: draws only the visible rows, fetched a page at a time from the domain's Roster query.

Textual's DataTable measures every cell and needs ~11 s to first paint 100k rows; this widget paints from a small
page cache, so first paint and every keystroke cost one indexed query (DESIGN §3).
"""
from __future__ import annotations

from collections import OrderedDict

from textual import work
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message

from hrtui.domain.roster import Roster, RosterRow
from hrtui.i18n import register, t
from hrtui.tui.widgets.virtual_list import VirtualList

PAGE = 100
MAX_PAGES = 24
EXACT = 2000  # count up to this many matches at once; a larger count is finished in a worker thread

# column key, width in cells (0 = takes the rest), right-aligned
COLUMNS = (("flag", 2, False), ("number", 9, False), ("name", 15, False), ("department", 7, False),
           ("position", 0, False), ("score", 8, True))  # 8: room for "Score ▼" / "综合 ▼"


def layout(width: int) -> list[tuple[str, int, bool]]:
    fixed = sum(w for _, w, _ in COLUMNS)
    return [(k, w or max(4, width - fixed - 1), right) for k, w, right in COLUMNS]


def row_cells(row: RosterRow, lang: str) -> dict[str, str]:
    return {
        "flag": "!" if row.shortfalls else "",
        "number": row.number,
        "name": row.name(lang),
        "department": row.department_code,
        "position": row.position(lang),
        "score": "—" if row.score is None else f"{row.score:.1f}",
    }


class RosterView(VirtualList):
    """Scrollable list of roster rows with a cursor; Enter posts `RosterView.Opened`."""

    COMPONENT_CLASSES = {"roster--cursor", "roster--flag", "roster--row"}
    CURSOR, FLAG, FLAG_KEY = "roster--cursor", "roster--flag", "flag"
    DEFAULT_CSS = """
    RosterView { height: 1fr; overflow-x: hidden; }
    RosterView > .roster--cursor { background: $primary 40%; text-style: bold; }
    RosterView:focus > .roster--cursor { background: $primary; color: $text; text-style: bold; }
    RosterView > .roster--flag { color: $text-error; text-style: bold; }
    """
    BINDINGS = [Binding("enter", "open", "Open", id="roster.open")]

    class Loaded(Message):
        """The query changed: the screen updates its count line."""

    def __init__(self, lang: str, **kwargs) -> None:
        super().__init__(lang, **kwargs)
        self.roster: Roster | None = None
        self.total = 0
        self.exact = True
        self.generation = 0
        self._pages: OrderedDict[int, list[RosterRow]] = OrderedDict()

    # -- data ------------------------------------------------------------------------------------------------
    def show(self, roster: Roster, keep_cursor: bool = False) -> None:
        self.roster = roster
        self.generation += 1
        self._pages.clear()
        self.total = roster.count_upto(EXACT)
        self.exact = self.total < EXACT
        if not self.exact:  # the full count runs in a thread, started once this frame is out (it would compete
            self.call_after_refresh(self._count_later, roster, self.generation)  # with the frame for the GIL)
        self.virtual_size = Size(self.size.width, self.total)
        if not keep_cursor:
            self.cursor = 0
            self.scroll_to(y=0, animate=False, immediate=True)
        else:
            self.cursor = min(self.cursor, max(0, self.total - 1))
        self.refresh()
        self.post_message(self.Loaded())

    def _count_later(self, roster: Roster, generation: int) -> None:
        if generation == self.generation:  # not if the filter moved on meanwhile
            self._count_all(roster, generation)

    @work(thread=True, exclusive=True, group="roster-count", exit_on_error=False)
    def _count_all(self, roster: Roster, generation: int) -> None:
        total = roster.count()  # its own connection: peewee keeps one per thread
        self.app.call_from_thread(self._counted, generation, total)

    def _counted(self, generation: int, total: int) -> None:
        if generation != self.generation:  # the filter moved on: drop a stale count
            return
        self.total, self.exact = total, True
        self.virtual_size = Size(self.size.width, total)
        self.refresh()
        self.post_message(self.Loaded())

    @property
    def row_count(self) -> int:
        return self.total

    def row_at(self, index: int) -> RosterRow | None:
        if self.roster is None or not 0 <= index < self.total:
            return None
        page_no = index // PAGE
        page = self._pages.get(page_no)
        if page is None:
            page = self.roster.page(page_no * PAGE, PAGE)
            self._pages[page_no] = page
            if len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        offset = index - page_no * PAGE
        return page[offset] if offset < len(page) else None

    def visible_rows(self) -> list[RosterRow]:
        top = self.scroll_offset.y
        return [r for i in range(top, min(self.total, top + self.size.height)) if (r := self.row_at(i))]

    # -- drawing ---------------------------------------------------------------------------------------------
    def columns(self, width: int) -> list[tuple[str, int, bool]]:
        return layout(width)

    def empty_text(self) -> str:
        if self.roster is None:
            return ""
        if self.roster.text:
            return t("roster.none", self.lang, text=self.roster.text)
        return t("roster.nobody", self.lang)

    def cells(self, row: RosterRow) -> dict[str, str]:
        return row_cells(row, self.lang)


register(
    {"roster.none": "Nobody matches \u201c{text}\u201d. Esc clears the filter; a word may be part of a name, "
                    "pinyin, a number or a department.",
     "roster.nobody": "No employees in your scope."},
    {"roster.none": "没有人匹配“{text}”。按 Esc 清除筛选；可输入姓名、拼音、工号或部门的一部分。",
     "roster.nobody": "你的权限范围内没有员工。"},
)
