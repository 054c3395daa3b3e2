"""The needs-attention list: one line per employee, drawn only where visible (a scan can return thousands)."""
from __future__ import annotations

from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message

from hrtui.cells import crop
from hrtui.domain.attention import AttentionRow
from hrtui.tui.widgets.virtual_list import VirtualList
from hrtui.tui.widgets.virtual_list import fit as plain_fit

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
    """A list column whose text, when too long, ends with an ellipsis (names and dimensions are cut here)."""
    return plain_fit(crop(text, width - 1), width, right)


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


class AttentionView(VirtualList):
    COMPONENT_CLASSES = {"attention--cursor", "attention--flag"}
    CURSOR, FLAG, FLAG_KEY = "attention--cursor", "attention--flag", "count"
    DEFAULT_CSS = """
    AttentionView { height: 1fr; }
    AttentionView > .attention--cursor { background: $primary 40%; text-style: bold; }
    AttentionView:focus > .attention--cursor { background: $primary; color: $text; text-style: bold; }
    AttentionView > .attention--flag { color: $text-error; text-style: bold; }
    """
    BINDINGS = [Binding("enter", "open", "Portrait", id="attention.portrait")]

    class Moved(Message):
        """The cursor moved: the screen shows the row's sentences."""

    def __init__(self, lang: str, **kwargs) -> None:
        super().__init__(lang, **kwargs)
        self.rows: list[AttentionRow] = []

    def show(self, rows: list[AttentionRow]) -> None:
        keep = self.current.employee_id if self.current else None
        self.rows = rows
        self.virtual_size = Size(self.size.width, len(rows))
        index = next((i for i, r in enumerate(rows) if r.employee_id == keep), 0)
        self.cursor = index
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def row_at(self, index: int) -> AttentionRow | None:
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def columns(self, width: int) -> list[tuple[str, int, bool]]:
        return layout(width)

    def cells(self, row: AttentionRow) -> dict[str, str]:
        return row_cells(row, self.lang)

    fit_cell = staticmethod(fit)  # this module's: long names and dimensions end with an ellipsis

    def watch_cursor(self, old: int, new: int) -> None:
        super().watch_cursor(old, new)
        self.post_message(self.Moved())
