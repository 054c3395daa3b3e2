"""A virtual roster: draws only the visible rows, fetched a page at a time from the domain's Roster query.

Textual's DataTable measures every cell and needs ~11 s to first paint 100k rows; this widget paints from a small
page cache, so first paint and every keystroke cost one indexed query (DESIGN §3).
"""
from __future__ import annotations

from collections import OrderedDict

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import work
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from hrtui.domain.roster import Roster, RosterRow

PAGE = 100
MAX_PAGES = 24
EXACT = 2000  # count up to this many matches at once; a larger count is finished in a worker thread

# column key, width in cells (0 = takes the rest), right-aligned
COLUMNS = (("flag", 2, False), ("number", 9, False), ("name", 15, False), ("department", 7, False),
           ("position", 0, False), ("score", 6, True))


def layout(width: int) -> list[tuple[str, int, bool]]:
    fixed = sum(w for _, w, _ in COLUMNS)
    return [(k, w or max(4, width - fixed - 1), right) for k, w, right in COLUMNS]


def fit(text: str, width: int, right: bool = False) -> str:
    """Pad or crop to `width` terminal cells (CJK characters take two), the last cell a gap."""
    inner = width - 1
    if right:
        text = " " * max(0, inner - cell_len(text)) + text
    return set_cell_size(text, inner) + " "


def row_cells(row: RosterRow, lang: str) -> dict[str, str]:
    return {
        "flag": "!" if row.shortfalls else "",
        "number": row.number,
        "name": row.name(lang),
        "department": row.department_code,
        "position": row.position(lang),
        "score": "—" if row.score is None else f"{row.score:.1f}",
    }


class RosterView(ScrollView, can_focus=True):
    """Scrollable list of roster rows with a cursor; Enter posts `RosterView.Opened`."""

    COMPONENT_CLASSES = {"roster--cursor", "roster--flag", "roster--row"}
    DEFAULT_CSS = """
    RosterView { height: 1fr; overflow-x: hidden; }
    RosterView > .roster--cursor { background: $primary 40%; text-style: bold; }
    RosterView:focus > .roster--cursor { background: $primary; color: $text; text-style: bold; }
    RosterView > .roster--flag { color: $error; text-style: bold; }
    """
    BINDINGS = [
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
        Binding("enter", "open", "Open", id="roster.open"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    class Opened(Message):
        def __init__(self, row: RosterRow) -> None:
            self.row = row
            super().__init__()

    class Loaded(Message):
        """The query changed: the screen updates its count line."""

    def __init__(self, lang: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lang = lang
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
        if not self.exact:
            self._count_all(roster, self.generation)
        self.virtual_size = Size(self.size.width, self.total)
        if not keep_cursor:
            self.cursor = 0
            self.scroll_to(y=0, animate=False, immediate=True)
        else:
            self.cursor = min(self.cursor, max(0, self.total - 1))
        self.refresh()
        self.post_message(self.Loaded())

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

    @property
    def current(self) -> RosterRow | None:
        return self.row_at(self.cursor)

    def visible_rows(self) -> list[RosterRow]:
        top = self.scroll_offset.y
        return [r for i in range(top, min(self.total, top + self.size.height)) if (r := self.row_at(i))]

    # -- drawing ---------------------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.size.width
        base = self.rich_style
        row = self.row_at(index)
        if row is None:
            return Strip.blank(width, base)
        style = base + self.get_component_rich_style("roster--cursor") if index == self.cursor else base
        cells = row_cells(row, self.lang)
        segments = []
        for key, w, right in layout(width):
            text = fit(cells[key], w, right)
            seg_style = style + self.get_component_rich_style("roster--flag") if key == "flag" and cells[key] else style
            segments.append(Segment(text, seg_style))
        return Strip(segments).adjust_cell_length(width, style)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.total)

    # -- keys ------------------------------------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        top = self.scroll_offset.y
        height = max(1, self.size.height)
        if new < top:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif new >= top + height:
            self.scroll_to(y=new - height + 1, animate=False, immediate=True)
        self.refresh()

    def action_move(self, delta: int) -> None:
        if self.total:
            self.cursor = max(0, min(self.total - 1, self.cursor + delta))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.size.height - 1))

    def action_jump(self, where: int) -> None:
        if self.total:
            self.cursor = self.total - 1 if where < 0 else 0

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Opened(row))
