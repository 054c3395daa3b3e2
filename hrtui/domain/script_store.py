"""The editable script library: rows in the database, seeded once from hrtui/data/scripts.json.

Selection and search are the pure functions of scripts_library, applied to the rows; admins add their own entries.
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
    """Insert the seed entries not yet in the table (new seed entries arrive with upgrades; edits are kept)."""
    have = {r[0] for r in database.execute_sql("SELECT key FROM script")}
    rows = [(uuid7(), e["key"], e["category"], e["segment"], e.get("zh", ""), e.get("en", ""))
            for e in lib.load_seed() if e["key"] not in have]
    if rows:
        with database.atomic():
            database.cursor().executemany(
                "INSERT INTO script (id, key, category, segment, zh, en, builtin) VALUES (?,?,?,?,?,?,1)", rows)


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
    key = f"custom.{uuid7()}"
    with database.atomic():
        database.execute_sql("INSERT INTO script (id, key, category, segment, zh, en, builtin, created_by) "
                             "VALUES (?,?,?,?,?,?,0,?)", (uuid7(), key, category, segment, zh.strip(), en.strip(),
                                                          actor.user_id))
        audit.record(actor, "script.add", key)
    return key


def edit(actor: Actor, key: str, zh: str | None = None, en: str | None = None) -> None:
    require(actor, "write", "scripts")
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
