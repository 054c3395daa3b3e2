"""`hrtui import KIND FILE`: argparse glue over hrtui.transfer.engine (imported only when the command runs).

Output: the summary on stdout; one line per invalid row on stderr (at most MAX_SHOWN, then a count). Exit 0 when
the import committed (or, dry, would commit); 1 when invalid rows stopped it, with a last `hrtui: …` line.
"""
from __future__ import annotations

import sys
from pathlib import Path

KINDS = ("departments", "positions", "employees", "scores", "attendance", "leave", "training", "projects", "hours",
         "salary", "dimensions", "courses", "requirements")
MAX_SHOWN = 100


def register(sub, common) -> None:
    p = sub.add_parser(
        "import", parents=[common], help="import a CSV or XLSX file (upsert by business key; all or nothing)",
        description="Import rows from a CSV (UTF-8, UTF-8 with BOM, GBK/GB18030; , ; or TAB) or XLSX file. Rows "
                    "are matched by their business key: existing ones are updated, new ones added, and importing "
                    "the same file twice changes nothing. One invalid row and nothing is imported, unless "
                    "--skip-invalid. See docs/import.md for columns and value forms.")
    p.add_argument("kind", metavar="KIND", choices=KINDS, help="one of: " + ", ".join(KINDS))
    p.add_argument("file", metavar="FILE", type=Path, help=".csv or .xlsx file")
    p.add_argument("--dry-run", action="store_true", help="check everything and report the counts; write nothing")
    p.add_argument("--skip-invalid", action="store_true",
                   help="import the valid rows; write the rejected ones with reasons to FILE.rejects.csv")
    p.add_argument("--encoding", choices=("auto", "utf-8", "gbk", "gb18030"), default="auto",
                   help="text encoding of a CSV file (default: auto-detect)")
    p.add_argument("--layout", choices=("native", "orangehrm", "frappe"), default="native",
                   help="column names of another HR system's employee file (employees only)")
    p.add_argument("--sheet", metavar="NAME", help="XLSX sheet name or number (default: the first sheet)")
    p.set_defaults(func=cmd_import)


def cmd_import(args) -> int:
    from hrtui.cli import open_session, ui_lang
    from hrtui.errors import UserError
    from hrtui.transfer.engine import ImportFailure, Options, run_import

    actor = open_session(args, record_login=not args.dry_run)
    lang = ui_lang(args, actor)
    options = Options(dry_run=args.dry_run, skip_invalid=args.skip_invalid, encoding=args.encoding,
                      layout=args.layout, sheet=args.sheet, lang=lang)
    try:
        report = run_import(actor, args.kind, args.file, options)
    except ImportFailure as exc:
        raise UserError(exc.message(lang)) from None
    print(format_report(report, lang))
    for line in error_lines(report, lang):
        print(line, file=sys.stderr)
    if report.invalid and not args.skip_invalid:
        raise UserError(render("import.sum.failed", lang, {"invalid": report.invalid}))
    return 0


def render(key, lang, fields):
    from hrtui.transfer.messages import render as _render

    return _render(key, lang, fields)


def format_report(report, lang: str) -> str:
    """The summary a person reads after an import (also used by the TUI's status)."""
    from hrtui.transfer.engine import describe_column
    from hrtui.transfer.kinds import KINDS as ALL

    if report.file_type == "xlsx":
        fmt = render("import.format.xlsx", lang, {"sheet": report.sheet})
    else:
        fmt = render("import.format.csv", lang, {"encoding": report.encoding, "delimiter": report.delimiter})
    lines = [render("import.sum.source", lang, {"kind": ALL[report.kind].label(lang), "file": report.path.name,
                                               "format": fmt})]
    cols = ", ".join(f"{h} → {describe_column(report.kind, k, lang)}" for h, k in report.columns)
    lines.append(render("import.sum.columns", lang, {"columns": cols}))
    if report.ignored:
        lines.append(render("import.sum.ignored", lang, {"columns": ", ".join(report.ignored)}))
    if report.wide:
        lines.append(render("import.sum.wide", lang, {}))
    if report.committed or report.dry_run:
        lines.append(render("import.sum.counts", lang, {"rows": report.rows, "new": report.new,
                                                        "updated": report.updated, "unchanged": report.unchanged,
                                                        "invalid": report.invalid}))
    else:  # stopped by invalid rows: what the others would have done is not the point, and nothing was written
        lines.append(render("import.sum.counts_failed", lang, {"rows": report.rows, "invalid": report.invalid}))
    if report.dry_run:
        lines.append(render("import.sum.dry", lang, {}))
    elif report.committed:
        lines.append(render("import.sum.done", lang, {"seconds": report.seconds}))
    if report.rejects:
        lines.append(render("import.sum.rejects", lang, {"count": report.invalid, "path": str(report.rejects)}))
    return "\n".join(lines)


def error_lines(report, lang: str, limit: int = MAX_SHOWN) -> list[str]:
    lines = [e.line(lang) for e in report.errors[:limit]]
    more = report.error_count - len(lines)
    if more > 0:
        lines.append(render("import.sum.more", lang, {"count": more}))
    return lines
