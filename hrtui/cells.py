"""Text measured in terminal cells, where a CJK character takes two: the CLI's text tables and the TUI's lists and
tables line up with the same two helpers. Rich only (no Textual), so every layer may use it."""
from __future__ import annotations

from rich.cells import cell_len, set_cell_size


def pad(text: str, width: int, right: bool = False) -> str:
    """Exactly `width` cells: cut, or padded with spaces (before the text when `right`)."""
    if right:
        text = " " * max(0, width - cell_len(text)) + text
    return set_cell_size(text, width)


def crop(text: str, width: int) -> str:
    """At most `width` cells: a longer text is cut and ends with an ellipsis; a shorter one is left as it is."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(0, width - 1)) + "…"
