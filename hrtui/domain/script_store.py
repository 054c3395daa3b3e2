"""The editable script library: rows in the database, seeded once from hrtui/data/scripts.json.

Selection and search are the pure functions of scripts_library, applied to the rows; admins add their own entries.
A builtin row whose text is still a former seed text (the seed entry's "previous") gets the new text; edited texts
are kept. Placeholders in an admin's text must be fact names (`hrtui.domain.script_facts`): a misspelt one would
hide the entry from every interview.
"""
from __future__ import annotations

from hrtui.access import audit
from hrtui.access.actor import Actor
from hrtui.access.policy import require
from hrtui.domain import scripts_library as lib
from hrtui.errors import UserError
from hrtui.store.db import database
from hrtui.store.ids import uuid7


def ensure_seeded() -> None:
    """Insert the seed entries not yet in the table (new seed entries arrive with upgrades; edits are kept), and
    give builtin rows that still hold a former seed text (an entry's "previous") the current one."""
    have = {key: (zh, en) for key, zh, en in database.execute_sql("SELECT key, zh, en FROM script WHERE builtin = 1")}
    have |= {r[0]: None for r in database.execute_sql("SELECT key FROM script WHERE builtin = 0")}
    seed = lib.load_seed()
    rows = [(uuid7(), e["key"], e["category"], e["segment"], e.get("zh", ""), e.get("en", ""))
            for e in seed if e["key"] not in have]
    updates = []
    for e in seed:
        row = have.get(e["key"])
        if row is None or not e.get("previous"):
            continue
        for lang, current in zip(lib.LANGS, row):
            if current != e.get(lang, "") and current in {p.get(lang) for p in e["previous"]}:
                updates.append((lang, e.get(lang, ""), e["key"]))
    if rows or updates:
        with database.atomic():
            if rows:
                database.cursor().executemany(
                    "INSERT INTO script (id, key, category, segment, zh, en, builtin) VALUES (?,?,?,?,?,?,1)", rows)
            for lang, text, key in updates:
                database.execute_sql(f"UPDATE script SET {lang} = ? WHERE key = ? AND builtin = 1", (text, key))


def _check_placeholders(zh: str, en: str) -> None:
    """Refuse {names} that are no fact of any employee: the entry would never be offered."""
    from hrtui.domain.script_facts import unknown_names

    codes = [r[0] for r in database.execute_sql("SELECT code FROM dimension")]
    unknown = unknown_names(lib.placeholders(zh) + lib.placeholders(en), codes)
    if unknown:
        raise UserError(f"unknown placeholder {{{unknown[0]}}}: use a fact name such as {{strengths}}, "
                        "{shortfalls}, {leave.days} or {CODE.value} (see docs/mood.md)")


def entries() -> list[dict]:
    ensure_seeded()
    return [dict(zip(("key", "category", "segment", "zh", "en", "builtin"), r)) for r in database.execute_sql(
        "SELECT key, category, segment, zh, en, builtin FROM script WHERE deleted = 0 ORDER BY builtin DESC, rowid")]


def add(actor: Actor, category: str, segment: str, zh: str, en: str) -> str:
    require(actor, "write", "scripts")
    if category not in lib.CATEGORIES:
        raise UserError(f"unknown category {category!r}; one of {', '.join(lib.CATEGORIES)}")
    if segment not in lib.SEGMENTS:
        raise UserError(f"unknown segment {segment!r}; one of {', '.join(lib.SEGMENTS)}")
    if not (zh.strip() or en.strip()):
        raise UserError("a script entry needs Chinese or English text")
    _check_placeholders(zh, en)
    key = f"custom.{uuid7()}"
    with database.atomic():
        database.execute_sql("INSERT INTO script (id, key, category, segment, zh, en, builtin, created_by) "
                             "VALUES (?,?,?,?,?,?,0,?)", (uuid7(), key, category, segment, zh.strip(), en.strip(),
                                                          actor.user_id))
        audit.record(actor, "script.add", key)
    return key


def edit(actor: Actor, key: str, zh: str | None = None, en: str | None = None) -> None:
    require(actor, "write", "scripts")
    _check_placeholders(zh or "", en or "")
    with database.atomic():
        n = database.execute_sql("UPDATE script SET zh = coalesce(?, zh), en = coalesce(?, en) WHERE key = ? AND deleted = 0",
                                 (zh, en, key)).rowcount
        if not n:
            raise UserError(f"no script entry {key!r}")
        audit.record(actor, "script.edit", key)


def remove(actor: Actor, key: str) -> None:
    require(actor, "write", "scripts")
    with database.atomic():
        if not database.execute_sql("UPDATE script SET deleted = 1 WHERE key = ? AND deleted = 0", (key,)).rowcount:
            raise UserError(f"no script entry {key!r}")
        audit.record(actor, "script.remove", key)
