"""Problem reports (seed §4.2: send the error and the steps): a bundle encrypted to the admin's age recipient.

The bundle holds the version, platform, the recent log (event names and error types only), the last steps taken in
the TUI and, when asked, a screenshot. It is encrypted before it touches the disk, so it can be mailed as is.
"""
from __future__ import annotations

import datetime as _dt
import io
import json
import os
import platform
import sys
from pathlib import Path

from hrtui import __version__, log
from hrtui.errors import UserError

RECIPIENT_KEY = "report.recipient"


def admin_recipient() -> str:
    from hrtui.store.db import database

    row = database.execute_sql("SELECT value FROM setting WHERE key = ?", (RECIPIENT_KEY,)).fetchone()
    if not row:
        raise UserError("no problem-report recipient is set; an admin runs: hrtui report-problem --set-recipient age1…")
    return row[0]


def set_recipient(actor, recipient: str) -> None:
    from hrtui.access import audit
    from hrtui.access.policy import require
    from hrtui.crypto.age import parse_recipient
    from hrtui.store.db import database

    require(actor, "write", "settings")
    parse_recipient(recipient)  # refuse a malformed one now, not when someone needs help
    with database.atomic():
        database.execute_sql("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", (RECIPIENT_KEY, recipient))
        audit.record(actor, "settings.report_recipient", RECIPIENT_KEY)


def bundle(actor, steps: list[str] = (), note: str = "", screenshot_svg: str | None = None) -> dict:
    from hrtui.store.db import database, sqlite_version

    from importlib.metadata import PackageNotFoundError, version

    try:  # the installed version, without importing Textual below the TUI
        textual_version = version("textual")
    except PackageNotFoundError:
        textual_version = "unknown"
    data = {
        "hrtui": __version__,
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "textual": textual_version,
        "sqlite": sqlite_version(database) if not database.is_closed() else "closed",
        "role": actor.role if actor else "",
        "note": note,
        "steps": list(steps)[-50:],
        "log": log.tail(200),
    }
    if screenshot_svg:
        data["screenshot.svg"] = screenshot_svg
    return data


def write_report(actor, out: Path | None = None, **kwargs) -> Path:
    from hrtui.crypto import age

    recipient = admin_recipient()
    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    out = Path(out or f"hrtui-problem-{stamp}.json.age")
    payload = json.dumps(bundle(actor, **kwargs), ensure_ascii=False, indent=1).encode("utf-8")
    # encrypted in memory, then .part + fsync + rename: the plaintext never reaches the disk
    tmp = out.with_name(out.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        age.encrypt(io.BytesIO(payload), f, recipients=[recipient])
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, out)
    return out


def register(sub, common) -> None:
    p = sub.add_parser("report-problem", parents=[common],
                       help="write an encrypted problem report for the admin (version, recent log, steps)")
    p.add_argument("-o", "--output", type=Path, help="file to write (default hrtui-problem-STAMP.json.age)")
    p.add_argument("--note", default="", help="what you were doing, in your words")
    p.add_argument("--set-recipient", metavar="AGE1…", help="admin: the age recipient reports are encrypted to")
    p.set_defaults(func=cmd_report_problem)


def cmd_report_problem(args) -> int:
    from hrtui.cli import open_session

    actor = open_session(args)
    if args.set_recipient:
        set_recipient(actor, args.set_recipient)
        print("problem reports will be encrypted to " + args.set_recipient)
        return 0
    out = write_report(actor, args.output, note=args.note)
    print(f"problem report written to {out}; send it to your hrtui admin (only they can open it)")
    return 0
