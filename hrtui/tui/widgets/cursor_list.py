"""An OptionList whose cursor line is drawn in the cursor's own text colour.

Options colour parts of their text (an unread date in the warning colour, a tick in the success colour, a done item
muted). On the cursor's background those colours can vanish: orange on the dark theme's blue, green on the
high-contrast yellow, grey on the mono theme's light grey. Here the cursor line's colours yield to the cursor's
text colour (and nothing on it is dim), so the line keeps its emphasis and stays readable in every theme; what the
colours said is also said by the line's marks (●, [✓], [!]), which stay.
"""
from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widgets import OptionList


class CursorList(OptionList):
    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        index = self.highlighted
        if index is None:
            return strip
        segments = list(strip)
        first = segments[0].style if segments else None
        if first is None or first.meta.get("option") != index:   # each option's lines carry their index
            return strip
        cursor = self.get_visual_style("option-list--option", "option-list--option-highlighted").rich_style
        yield_to = Style(color=cursor.color, dim=False)
        return Strip(Segment.apply_style(segments, post_style=yield_to), strip.cell_length)
