"""`hrtui interview summary EMPLOYEE` and `hrtui interview scripts` (search, and admins add their own)."""
from __future__ import annotations

import json
from pathlib import Path


def register(sub, common) -> None:
    p = sub.add_parser("interview", parents=[common], help="interview summaries and the script library")
    isub = p.add_subparsers(dest="interview_command", metavar="ACTION", required=True)
    s = isub.add_parser("summary", parents=[common], help="the latest interview of an employee")
    s.add_argument("employee", help="employee number or exact name")
    s.add_argument("--format", choices=("md", "json"), default="md")
    s.add_argument("-o", "--output", type=Path, help="write to this file (0600) instead of stdout")
    s.set_defaults(func=cmd_summary)
    q = isub.add_parser("scripts", parents=[common], help="list or search the script library")
    q.add_argument("query", nargs="?", default="")
    q.add_argument("--segment", choices=("opening", "data_review", "employee_view", "plan", "closing"))
    q.set_defaults(func=cmd_scripts)
    a = isub.add_parser("add-script", parents=[common], help="admin: add a prompt of your own")
    a.add_argument("--category", required=True)
    a.add_argument("--segment", required=True)
    a.add_argument("--zh", default="")
    a.add_argument("--en", default="")
    a.set_defaults(func=cmd_add_script)


def cmd_summary(args) -> int:
    from hrtui.cli import open_session, ui_lang
    from hrtui.domain import interview as iv

    actor = open_session(args)
    lang = ui_lang(args, actor)
    s = iv.summary(actor, args.employee, lang)
    text = iv.to_markdown(s, lang) if args.format == "md" else json.dumps(s.to_dict(), ensure_ascii=False, indent=1)
    if args.output:
        from hrtui.cli import db_path
        from hrtui.transfer.files import atomic_write, check_output

        # HR-private notes: 0600, never through a link, never over the database, a key or a device
        check_output(args.output, db_path(args))
        with atomic_write(args.output) as f:
            f.write((text if text.endswith("\n") else text + "\n").encode("utf-8"))
        print(f"written to {args.output}")
    else:
        print(text, end="" if text.endswith("\n") else "\n")
    return 0


def cmd_scripts(args) -> int:
    from hrtui.access.policy import require
    from hrtui.cli import open_session, ui_lang
    from hrtui.domain import script_store
    from hrtui.domain import scripts_library as lib

    actor = open_session(args)
    require(actor, "read", "scripts")
    lang = ui_lang(args, actor)
    entries = script_store.entries()
    if args.segment:
        entries = [e for e in entries if e["segment"] == args.segment]
    for p in lib.search(entries, args.query, lang):
        print(f"{p['key']:<28} {p['segment']:<13} {p['category']:<14} {p['text']}")
    return 0


def cmd_add_script(args) -> int:
    from hrtui.cli import open_session
    from hrtui.domain import script_store

    actor = open_session(args)
    key = script_store.add(actor, args.category, args.segment, args.zh, args.en)
    print(f"added {key}")
    return 0
