"""A list that draws only its visible lines (DataTable measures every row, too slow for 100k): the roster and the
needs-attention list. A subclass says where its rows come from (`row_count`, `row_at`), how a row reads (`columns`,
`cells`); the cursor, its keys, Enter (`Opened`) and the scrolling are here."""
from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from hrtui.cells import pad


_HINT = Style(dim=True, italic=True)


def fit(text: str, width: int, right: bool = False) -> str:
    """A column `width` cells wide: the text padded or cut to all but the last cell, which is the gap."""
    return pad(text, width - 1, right) + " "


class VirtualList(ScrollView, can_focus=True):
    CURSOR = ""     # component class of the cursor line
    FLAG = ""       # component class of the flag column …
    FLAG_KEY = ""   # … which is the column of this key, when it has text
    BINDINGS = [
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    class Opened(Message):
        """Enter on a row: the screen opens what the row stands for (`row`)."""

        def __init__(self, row) -> None:
            super().__init__()
            self.row = row

    def __init__(self, lang: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lang = lang

    # -- what a subclass provides --------------------------------------------------------------------------
    # row_count (property): how many rows; row_at(index): the row, None outside the list (the roster fetches it from
    # its page cache); columns(width): (key, width in cells, right-aligned) per column; cells(row): text per key.

    fit_cell = staticmethod(fit)  # (text, width, right) → the cell as drawn; a list may cut with an ellipsis instead

    def empty_text(self) -> str:
        """What an empty list says on its second line (nothing by default)."""
        return ""

    # -- drawing ---------------------------------------------------------------------------------------------
    _paint_style: Style | None = None

    @property
    def current(self):
        return self.row_at(self.cursor)

    def render_lines(self, crop):
        # The widget's own style walks every ancestor: once per paint, not once per line.
        self._paint_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._paint_style = None

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.size.width
        base = self._paint_style or self.rich_style
        row = self.row_at(index)
        if row is None:
            if y == 1 and not self.row_count and (empty := self.empty_text()):
                return Strip([Segment(self.fit_cell("  " + empty, width), base + _HINT)]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        style = base + self.get_component_rich_style(self.CURSOR) if index == self.cursor else base
        cells, fit_cell, flag_key = self.cells(row), self.fit_cell, self.FLAG_KEY  # locals: runs per line, per paint
        segments = []
        for key, w, right in self.columns(width):
            flagged = key == flag_key and cells[key]
            segments.append(Segment(fit_cell(cells[key], w, right),
                                    style + self.get_component_rich_style(self.FLAG) if flagged else style))
        return Strip(segments).adjust_cell_length(width, style)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.row_count)

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
        if self.row_count:
            self.cursor = max(0, min(self.row_count - 1, self.cursor + delta))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.size.height - 1))

    def action_jump(self, where: int) -> None:
        if self.row_count:
            self.cursor = self.row_count - 1 if where < 0 else 0

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Opened(row))
