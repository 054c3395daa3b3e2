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

A prompt that states something about the employee is **conditional**: it is
offered only when the employee in front of HR has that fact, and it says it
with their own figures.  Two optional parts make an entry conditional::

    {"key": "data.complaints", ...,
     "zh": "你的客户投诉率是 {COMPLAINT.value}，是团队平均的 {COMPLAINT.ratio} 倍……",
     "en": "Your complaint rate is {COMPLAINT.value}, {COMPLAINT.ratio} times the team average…",
     "when": ["COMPLAINT.team_shortfall"],   # optional: facts that must all hold
     "previous": [{"zh": "…", "en": "…"}]}   # optional: former seed texts (the store
                                             # upgrades unedited rows that still hold one)

``{name}`` in a text is a *placeholder*: it is replaced by that fact's value
in the prompt's language, and the entry is left out when the employee lacks the
fact.  The entry's requirements are its ``when`` list plus the placeholders of
both texts (so it is offered in both languages or in neither).  Facts are a
dict ``{name: {"zh": text, "en": text}}`` built from the employee's portrait
(``hrtui.domain.script_facts``, which lists the names); this module only
matches and fills.  Rows from the store have no ``when``: a builtin key uses the
seed's list, a custom entry has none (its placeholders still apply), so an
admin's entry without placeholders is shown to everyone.

Selections return *prompts*: small dicts ``{"key", "category", "segment",
"text"}`` with the text in the requested language (falling back to the other
language when that one is empty), in a stable order.  ``for_segment`` and
``empathy_for`` take the employee's facts; without them (``None``) only the
unconditional entries are offered.  ``search`` lists the library itself, with
placeholders as written.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Iterable

SEED_PATH = Path(__file__).resolve().parent.parent / "data" / "scripts.json"

CATEGORIES = ("opening", "open_question", "empathy", "de_escalation", "data_review", "planning", "closing")
SEGMENTS = ("opening", "data_review", "employee_view", "plan", "closing")
LANGS = ("zh", "en")
MOODS = ("irritated", "low", "resistant")

# {name}: a fact of the employee, filled in from their portrait (names: letters, digits, _ . : -).
PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_][A-Za-z0-9_.:-]*)\}")

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
        when = e.get("when", [])
        if not isinstance(when, list) or any(not isinstance(w, str) or not w.strip() for w in when):
            problems.append(f"{where}: when must be a list of fact names")
        zh, en = e.get("zh"), e.get("en")
        if isinstance(zh, str) and isinstance(en, str) and zh.strip() and en.strip() \
                and set(placeholders(zh)) != set(placeholders(en)):
            problems.append(f"{where}: the zh and en texts use different placeholders")
        previous = e.get("previous", [])
        if not isinstance(previous, list) or any(not isinstance(x, dict) for x in previous):
            problems.append(f"{where}: previous must be a list of {{zh, en}} objects")
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


def _prompt(entry: dict, lang: str, text: str | None = None) -> dict:
    return {"key": entry.get("key", ""), "category": entry.get("category", ""),
            "segment": entry.get("segment", ""), "text": text_of(entry, lang) if text is None else text}


def placeholders(text: str) -> list[str]:
    """The fact names a text fills in, in order of appearance ({name})."""
    return PLACEHOLDER.findall(text or "")


def requirements(entry: dict) -> set[str]:
    """The facts an entry needs: its "when" list (a store row without one: the seed's list for the same key)
    and the placeholders of both its texts.  Empty for a general prompt."""
    when = entry.get("when")
    if when is None:
        when = _seed_by_key().get(entry.get("key"), {}).get("when") or ()
    return set(when) | set(placeholders(entry.get("zh") or "")) | set(placeholders(entry.get("en") or ""))


def fill(entry: dict, lang: str, facts: dict | None) -> str | None:
    """The entry's text in *lang* with its placeholders replaced by the employee's facts, or None when the
    employee lacks one of the facts it needs (the prompt would not be true for them).  *facts*:
    ``{name: {"zh": text, "en": text}}``; None = nothing known, so only general prompts have a text."""
    facts = facts or {}
    if any(name not in facts for name in requirements(entry)):
        return None
    text = text_of(entry, lang)
    used = lang if (entry.get(lang) or "").strip() else ("en" if lang == "zh" else "zh")
    return PLACEHOLDER.sub(lambda m: facts[m.group(1)][used], text)


def _ordered(entries: Iterable[dict], rank) -> list[dict]:
    indexed = list(enumerate(entries))
    indexed.sort(key=lambda ie: (rank(ie[1]), ie[0]))
    return [e for _, e in indexed]


def for_segment(entries: Iterable[dict], segment: str, lang: str = "zh", facts: dict | None = None) -> list[dict]:
    """Prompts for one agenda segment (opening, data_review, employee_view,
    plan, closing), category by category in interview order, then in list order.
    Conditional entries are offered only when *facts* (the employee's) has every
    fact they need, with their placeholders filled in; see `fill`."""
    if segment not in SEGMENTS:
        raise ValueError(f"unknown segment {segment!r} (use one of {', '.join(SEGMENTS)})")
    chosen = [e for e in entries if e.get("segment") == segment]
    chosen = _ordered(chosen, lambda e: _CATEGORY_ORDER.get(e.get("category"), len(_CATEGORY_ORDER)))
    return [_prompt(e, lang, text) for e in chosen if (text := fill(e, lang, facts)) is not None]


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


def true_for(entries: Iterable[dict], lang: str, facts: dict | None) -> list[dict]:
    """Every prompt, in library order, that holds for the employee whose *facts* these are, filled in (the palette's
    search within an interview: never a raw {placeholder}, never a claim that is not theirs)."""
    return [_prompt(e, lang, text) for e in entries if (text := fill(e, lang, facts)) is not None]


_SEED: dict[str, dict] | None = None


def _seed_by_key() -> dict[str, dict]:
    """The seed entries by key, read once (the store keeps no moods or when columns: rows borrow them here)."""
    global _SEED
    if _SEED is None:
        try:
            _SEED = {e["key"]: e for e in load_seed()}
        except ScriptError:
            _SEED = {}
    return _SEED


def _moods_of(entry: dict) -> tuple[str, ...]:
    """The moods an entry suits: its own "moods" list; for a row without one
    (the store keeps no moods column) the seed's list for the same key; for a
    custom entry unknown to the seed, every negative mood."""
    moods = entry.get("moods")
    if moods is not None:
        return tuple(moods)
    return tuple(_seed_by_key().get(entry.get("key"), {}).get("moods") or ()) or MOODS


def empathy_for(label: str, entries: Iterable[dict], lang: str = "zh", limit: int | None = None,
                facts: dict | None = None) -> list[dict]:
    """Empathy and de-escalation prompts to show under the mood banner for a
    negative mood (irritated, low, resistant); none for calm.  For a low mood
    empathy comes first; for irritation or resistance, de-escalation first.
    Conditional entries follow the employee's *facts* as in `for_segment`."""
    if label == "calm":
        return []
    if label not in MOODS:
        raise ValueError(f"unknown mood {label!r} (use one of {', '.join(MOODS)}, calm)")
    order = _EMPATHY_ORDER[label]
    chosen = [e for e in entries if e.get("category") in order and label in _moods_of(e)]
    chosen = _ordered(chosen, lambda e: order.index(e.get("category")))
    prompts = [_prompt(e, lang, text) for e in chosen if (text := fill(e, lang, facts)) is not None]
    return prompts if limit is None else prompts[:limit]
