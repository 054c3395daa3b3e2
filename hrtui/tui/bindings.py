"""Binding labels in the UI language.

The key bar (and Textual's Footer) shows each Binding's description, which is fixed at class level. Every binding of ours has an id;
`relabel(node, lang)` rewrites the node's own binding copies from the catalogue entry "bind.<id>".
"""
from __future__ import annotations

import dataclasses

from hrtui.i18n import CATALOGUES


def relabel(node, lang: str) -> None:
    catalogue, fallback = CATALOGUES.get(lang, {}), CATALOGUES["en"]
    keymap = node._bindings.key_to_bindings  # the node's own copy (DOMNode copies the class map per instance)
    for key, bindings in keymap.items():
        keymap[key] = [
            dataclasses.replace(b, description=catalogue.get(f"bind.{b.id}") or fallback.get(f"bind.{b.id}") or b.description)
            if b.id else b
            for b in bindings
        ]
