"""The interview script library: bilingual prompts for HR during a one-on-one.

Pure functions over lists of dicts (standard library only, no database code):
the seed file ``hrtui/data/scripts.json`` is loaded with :func:`load_seed`; the
store will later keep an editable copy as rows and hand the same dicts to these
functions.

An entry::

    {"key": "question.hardest",          # stable id, never reused
     "category": "open_question",        # see CATEGORIES
     "segment": "employee_view",         # the default agenda segment it serves, see SEGMENTS
     "zh": "你觉得最近工作中最大的困难是什么？",
     "en": "What has been the hardest part of your work lately?",
     "moods": ["low", "irritated"]}      # optional: the mood cues an empathy /
                                         # de-escalation prompt suits (rows without
                                         # it use the seed's list for the same key,
                                         # or suit every negative mood)

Selections return *prompts*: small dicts ``{"key", "category", "segment",
"text"}`` with the text in the requested language (falling back to the other
language when that one is empty), in a stable order.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Iterable

SEED_PATH = Path(__file__).resolve().parent.parent / "data" / "scripts.json"

CATEGORIES = ("opening", "open_question", "empathy", "de_escalation", "data_review", "planning", "closing")
SEGMENTS = ("opening", "data_review", "employee_view", "plan", "closing")
LANGS = ("zh", "en")
MOODS = ("irritated", "low", "resistant")

# Within a segment, prompts are offered category by category in interview order.
_CATEGORY_ORDER = {c: i for i, c in enumerate(
    ("opening", "data_review", "open_question", "empathy", "de_escalation", "planning", "closing"))}
# Under a mood banner: what to say first for each mood.
_EMPATHY_ORDER = {
    "low": ("empathy", "de_escalation"),
    "irritated": ("de_escalation", "empathy"),
    "resistant": ("de_escalation", "empathy"),
}


class ScriptError(ValueError):
    """The script entries are malformed; the message lists every problem."""


def validate(entries: Iterable[dict]) -> list[str]:
    """Problems with a list of entries (empty when the list is sound)."""
    problems: list[str] = []
    seen: set[str] = set()
    for i, e in enumerate(entries):
        where = f"entry {i}"
        if not isinstance(e, dict):
            problems.append(f"{where}: not an object")
            continue
        key = e.get("key")
        if not isinstance(key, str) or not key.strip():
            problems.append(f"{where}: missing key")
        else:
            where = f"entry {key!r}"
            if key in seen:
                problems.append(f"{where}: duplicate key")
            seen.add(key)
        if e.get("category") not in CATEGORIES:
            problems.append(f"{where}: category {e.get('category')!r} is not one of {', '.join(CATEGORIES)}")
        if e.get("segment") not in SEGMENTS:
            problems.append(f"{where}: segment {e.get('segment')!r} is not one of {', '.join(SEGMENTS)}")
        for lang in LANGS:
            text = e.get(lang)
            if not isinstance(text, str) or not text.strip():
                problems.append(f"{where}: no {lang} text")
        moods = e.get("moods", [])
        if not isinstance(moods, list) or any(m not in MOODS for m in moods):
            problems.append(f"{where}: moods must be a list drawn from {', '.join(MOODS)}")
    return problems


def load_seed(path: str | Path | None = None) -> list[dict]:
    """The seed entries from scripts.json (a fresh list of fresh dicts).
    Accepts ``{"entries": [...]}`` or a bare list.  Raises ScriptError on a
    malformed file."""
    path = Path(path) if path is not None else SEED_PATH
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ScriptError(f"cannot read {path}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise ScriptError(f"{path}: not valid JSON ({exc})") from exc
    entries = data.get("entries") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise ScriptError(f"{path}: expected a list of entries")
    problems = validate(entries)
    if problems:
        raise ScriptError(f"{path}: " + "; ".join(problems))
    return [dict(e) for e in entries]


def text_of(entry: dict, lang: str) -> str:
    """The entry's text in *lang*, or in the other language when that is empty."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r} (use zh or en)")
    text = (entry.get(lang) or "").strip()
    if text:
        return text
    other = "en" if lang == "zh" else "zh"
    return (entry.get(other) or "").strip()


def _prompt(entry: dict, lang: str) -> dict:
    return {"key": entry.get("key", ""), "category": entry.get("category", ""),
            "segment": entry.get("segment", ""), "text": text_of(entry, lang)}


def _ordered(entries: Iterable[dict], rank) -> list[dict]:
    indexed = list(enumerate(entries))
    indexed.sort(key=lambda ie: (rank(ie[1]), ie[0]))
    return [e for _, e in indexed]


def for_segment(entries: Iterable[dict], segment: str, lang: str = "zh") -> list[dict]:
    """Prompts for one agenda segment (opening, data_review, employee_view,
    plan, closing), category by category in interview order, then in list order."""
    if segment not in SEGMENTS:
        raise ValueError(f"unknown segment {segment!r} (use one of {', '.join(SEGMENTS)})")
    chosen = [e for e in entries if e.get("segment") == segment]
    chosen = _ordered(chosen, lambda e: _CATEGORY_ORDER.get(e.get("category"), len(_CATEGORY_ORDER)))
    return [_prompt(e, lang) for e in chosen]


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def search(entries: Iterable[dict], query: str, lang: str = "zh") -> list[dict]:
    """Prompts whose Chinese or English text (or key) contains *query*
    (case-insensitive, full-width/half-width insensitive), shown in *lang*.
    Matches in the display language come first.  An empty query lists all."""
    q = _fold(query or "")
    other = "en" if lang == "zh" else "zh"
    hits = []
    for i, e in enumerate(entries):
        if not q:
            hits.append((0, i, e))
        elif q in _fold(e.get(lang) or ""):
            hits.append((0, i, e))
        elif q in _fold(e.get(other) or "") or q in _fold(e.get("key") or ""):
            hits.append((1, i, e))
    hits.sort(key=lambda h: (h[0], h[1]))
    return [_prompt(e, lang) for _, _, e in hits]


_SEED_MOODS: dict[str, tuple[str, ...]] | None = None


def _moods_of(entry: dict) -> tuple[str, ...]:
    """The moods an entry suits: its own "moods" list; for a row without one
    (the store keeps no moods column) the seed's list for the same key; for a
    custom entry unknown to the seed, every negative mood."""
    global _SEED_MOODS
    moods = entry.get("moods")
    if moods is not None:
        return tuple(moods)
    if _SEED_MOODS is None:
        try:
            _SEED_MOODS = {e["key"]: tuple(e.get("moods") or ()) for e in load_seed()}
        except ScriptError:
            _SEED_MOODS = {}
    return _SEED_MOODS.get(entry.get("key"), ()) or MOODS


def empathy_for(label: str, entries: Iterable[dict], lang: str = "zh", limit: int | None = None) -> list[dict]:
    """Empathy and de-escalation prompts to show under the mood banner for a
    negative mood (irritated, low, resistant); none for calm.  For a low mood
    empathy comes first; for irritation or resistance, de-escalation first."""
    if label == "calm":
        return []
    if label not in MOODS:
        raise ValueError(f"unknown mood {label!r} (use one of {', '.join(MOODS)}, calm)")
    order = _EMPATHY_ORDER[label]
    chosen = [e for e in entries if e.get("category") in order and label in _moods_of(e)]
    chosen = _ordered(chosen, lambda e: order.index(e.get("category")))
    prompts = [_prompt(e, lang) for e in chosen]
    return prompts if limit is None else prompts[:limit]
