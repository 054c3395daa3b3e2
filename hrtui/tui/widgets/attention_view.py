"""The needs-attention list: one line per employee, drawn only where visible (a scan can return thousands)."""
from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from hrtui.domain.attention import AttentionRow

# column key, width in cells (0 = shares the rest), right-aligned
COLUMNS = (("count", 3, False), ("number", 9, False), ("name", 0, False), ("department", 7, False),
           ("dimension", 0, False), ("value", 7, True), ("team", 7, True), ("req", 7, True), ("severity", 9, True))


def layout(width: int) -> list[tuple[str, int, bool]]:
    fixed = sum(w for _, w, _ in COLUMNS)
    flexible = [k for k, w, _ in COLUMNS if not w]
    rest = max(8 * len(flexible), width - fixed)
    share = rest // len(flexible)
    out, extra = [], rest - share * len(flexible)
    for k, w, right in COLUMNS:
        if not w:
            w, extra = share + extra, 0
        out.append((k, w, right))
    return out


def fit(text: str, width: int, right: bool = False) -> str:
    inner = width - 1
    if cell_len(text) > inner:
        text = set_cell_size(text, max(0, inner - 1)) + "…"
    if right:
        text = " " * max(0, inner - cell_len(text)) + text
    return set_cell_size(text, inner) + " "


def severity_text(value: float, basis: str) -> str:
    return f"{value:.1f}{'σ' if basis == 'z' else '×'}"


def row_cells(row: AttentionRow, lang: str) -> dict[str, str]:
    f = row.flags[0]
    return {
        "count": f"!{len(row.flags)}" if len(row.flags) > 1 else "!",
        "number": row.number,
        "name": row.name(lang),
        "department": row.department_code or "—",
        "dimension": f.name(lang),
        "value": f.fmt(f.value),
        "team": f.fmt(f.team_mean),
        "req": f.fmt(f.requirement),
        "severity": severity_text(f.severity, f.severity_basis),
    }


class AttentionView(ScrollView, can_focus=True):
    COMPONENT_CLASSES = {"attention--cursor", "attention--flag"}
    DEFAULT_CSS = """
    AttentionView { height: 1fr; }
    AttentionView > .attention--cursor { background: $primary 40%; text-style: bold; }
    AttentionView:focus > .attention--cursor { background: $primary; color: $text; text-style: bold; }
    AttentionView > .attention--flag { color: $error; text-style: bold; }
    """
    BINDINGS = [
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
        Binding("enter", "open", "Portrait", id="attention.portrait"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    class Opened(Message):
        def __init__(self, row: AttentionRow) -> None:
            super().__init__()
            self.row = row

    class Moved(Message):
        """The cursor moved: the screen shows the row's sentences."""

    def __init__(self, lang: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lang = lang
        self.rows: list[AttentionRow] = []

    def show(self, rows: list[AttentionRow]) -> None:
        keep = self.current.employee_id if self.current else None
        self.rows = rows
        self.virtual_size = Size(self.size.width, len(rows))
        index = next((i for i, r in enumerate(rows) if r.employee_id == keep), 0)
        self.cursor = index
        self.refresh()

    @property
    def current(self) -> AttentionRow | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.size.width
        base = self.rich_style
        if not 0 <= index < len(self.rows):
            return Strip.blank(width, base)
        style = base + self.get_component_rich_style("attention--cursor") if index == self.cursor else base
        cells = row_cells(self.rows[index], self.lang)
        segments = []
        for key, w, right in layout(width):
            seg_style = style + self.get_component_rich_style("attention--flag") if key == "count" else style
            segments.append(Segment(fit(cells[key], w, right), seg_style))
        return Strip(segments).adjust_cell_length(width, style)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.rows))

    def watch_cursor(self, old: int, new: int) -> None:
        top = self.scroll_offset.y
        height = max(1, self.size.height)
        if new < top:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif new >= top + height:
            self.scroll_to(y=new - height + 1, animate=False, immediate=True)
        self.refresh()
        self.post_message(self.Moved())

    def action_move(self, delta: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, self.cursor + delta))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.size.height - 1))

    def action_jump(self, where: int) -> None:
        if self.rows:
            self.cursor = len(self.rows) - 1 if where < 0 else 0

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Opened(row))
