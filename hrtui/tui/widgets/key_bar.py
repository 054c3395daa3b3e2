"""The bottom line of keys: what Textual's Footer shows, drawn as one line of text.

The Footer mounts a widget per key and mounts them all again on every focus change; at start-up that alone cost
~15 ms of the first frame, and each focus move a few more. This draws the same keys (the focused chain's bindings
with `show`, one per action, dimmed where the screen's `check_action` says not now) and the palette key at the
right edge, and repaints when the screen's bindings change.
"""
from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from hrtui.i18n import register, t


class KeyBar(Widget):
    COMPONENT_CLASSES = {"keybar--key", "keybar--description", "keybar--rule"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyBar > .keybar--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
    KeyBar > .keybar--description {
        color: $footer-description-foreground; background: $footer-description-background;
    }
    KeyBar > .keybar--rule { color: $foreground 20%; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen) -> None:
        self.refresh()

    def _item(self, binding, enabled: bool, description: str | None = None) -> Text:
        key_style = self.get_component_rich_style("keybar--key")
        desc_style = self.get_component_rich_style("keybar--description")
        description = binding.description if description is None else description
        item = Text.assemble((self.app.get_key_display(binding), key_style),
                             (f" {description}" if description else "", desc_style))
        if not enabled:
            item.stylize("dim")
        return item

    def render(self) -> Text:
        active = self.screen.active_bindings
        palette = None
        if self.app.ENABLE_COMMAND_PALETTE and self.app.COMMAND_PALETTE_BINDING in active:
            _, binding, enabled, _ = active[self.app.COMMAND_PALETTE_BINDING]
            label = t("keys.palette", getattr(self.app, "lang", "en"))  # Textual's own binding: not in our catalogue
            palette = Text.assemble(("▏", self.get_component_rich_style("keybar--rule")),
                                    self._item(binding, enabled, label))
        room = self.size.width - (palette.cell_len if palette else 0)
        line, actions = Text(no_wrap=True, end=""), set()
        for _, binding, enabled, _ in active.values():
            if not binding.show or binding.action in actions or binding.key == self.app.COMMAND_PALETTE_BINDING:
                continue
            actions.add(binding.action)
            item = self._item(binding, enabled)
            if line.cell_len + item.cell_len + 1 > room:  # the key, and the gap before the next (or the palette)
                break  # as the Footer does at 80 columns: the keys that do not fit are not shown (all are in the palette)
            line.append_text(item)
            line.append(" ")
        if palette is not None:
            line.append(" " * max(0, room - cell_len(line.plain)))
            line.append_text(palette)
        return line


register({"keys.palette": "palette"}, {"keys.palette": "命令"})
