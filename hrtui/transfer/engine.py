"""Import a spreadsheet into the database: stream the rows, check every cell, upsert by business key.

    report = run_import(actor, "scores", "perf.csv", Options(dry_run=True))

- Streaming: rows are read one at a time and written in batches of BATCH rows with `executemany` (DESIGN §3);
  memory does not grow with the number of rows of a score file (duplicate keys are remembered in bitmaps, one
  per dimension and month, a bit per employee).
- All or nothing by default: everything happens in one transaction; one invalid row and nothing is written (the
  rest of the file is still checked, so the user sees every problem at once). With `skip_invalid` the valid rows
  are written and the rejected ones go to FILE.rejects.csv with their reasons. A dry run writes nothing at all.
- Upsert: a row whose key exists updates it; an empty cell leaves the stored value as it is (missing, not zero);
  a row that changes nothing counts as unchanged, so importing the same file twice changes nothing.
- Scope: an hr user imports only rows of their departments; managers and employees cannot import.
"""
from __future__ import annotations

import contextlib
import csv
import datetime as _dt
import errno
import itertools
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from hrtui import config, i18n
from hrtui.access.actor import Actor
from hrtui.access.policy import can
from hrtui.errors import UserError
from hrtui.store.db import database
from hrtui.transfer import values as V
from hrtui.transfer.files import check_output, create_private
from hrtui.transfer.handlers import HANDLERS, Reference, RowError, RowInvalid
from hrtui.transfer.kinds import KINDS, LAYOUT_FIELDS, Kind, Mapping, field_label, kind_named, map_header
from hrtui.transfer.messages import render
from hrtui.transfer.source import ImportFailure, Source, open_source

BATCH = 5000
MAX_KEPT_ERRORS = 1000
HEADER_SEARCH = 10                 # title rows above the header are skipped (the header is among the first 10 rows)

# (messages.py is another module's; this one's own texts are registered here)
i18n.register(
    {"import.file.rejects_not_file": "{path} exists and is not a regular file, so the rejected rows cannot be "
                                     "written there; move it away and import again (nothing was imported)"},
    {"import.file.rejects_not_file": "{path} 已存在且不是普通文件，无法写入被拒绝的行；"
                                     "请移走它后重新导入（未导入任何数据）"})


# -- options and results -------------------------------------------------------------------------------------------
@dataclass
class Options:
    dry_run: bool = False
    skip_invalid: bool = False
    encoding: str = "auto"
    layout: str = "native"
    sheet: str | None = None
    lang: str = "en"
    rejects: Path | None = None    # default: FILE.rejects.csv beside the file


@dataclass
class Report:
    kind: str
    path: Path
    file_type: str = ""
    encoding: str = ""
    delimiter: str = ""
    sheet: str | None = None
    layout: str = "native"
    header_row: int = 1
    columns: list[tuple[str, str]] = field(default_factory=list)   # (header, field key) of the columns read
    ignored: list[str] = field(default_factory=list)
    wide: bool = False
    rows: int = 0          # data rows read (empty rows are not counted)
    new: int = 0           # records (a wide score row carries several)
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0       # rows rejected
    errors: list[RowError] = field(default_factory=list)   # the first MAX_KEPT_ERRORS
    error_count: int = 0
    dry_run: bool = False
    committed: bool = False
    rejects: Path | None = None
    seconds: float = 0.0


class Cancelled(ImportFailure):
    """The user stopped a running import: everything was rolled back."""

    def __init__(self):
        super().__init__("import.cancelled")


# -- running an import ----------------------------------------------------------------------------------------------
def check_allowed(actor: Actor, kind: Kind) -> None:
    """Managers and employees cannot import; hr imports records, scores and salary of their departments;
    organisation-wide reference data (dimensions, courses) needs an admin."""
    if not can(actor, "write", "import"):
        raise ImportFailure("import.refused.role", user=actor.name, role=actor.role)
    if not can(actor, "write", kind.resource):
        raise ImportFailure("import.refused.kind", user=actor.name, role=actor.role, kind=kind.name)


def _empty(cells) -> bool:
    for c in cells:
        if c is not None and c != "" and (c.__class__ is not str or c.strip()):
            return False
    return True


def _find_header(src: Source, kind: Kind, layout: str, wide_dims: dict):
    """(header row number, header cells, the rows after it). The header is the first non-empty row, unless a title
    row sits above it: then the first of the first HEADER_SEARCH non-empty rows in which a column is known."""
    rows = src.rows()
    buffered = []
    try:
        for row_no, cells in rows:
            if _empty(cells):
                continue
            buffered.append((row_no, cells))
            if len(buffered) >= HEADER_SEARCH:
                break
    except (csv.Error, UnicodeDecodeError) as exc:
        raise ImportFailure("import.file.csv", row=(buffered[-1][0] if buffered else 0) + 1, error=str(exc)) from None
    if not buffered:
        raise ImportFailure("import.file.empty", path=src.path.name)
    pick = 0
    for i, (_n_, cells) in enumerate(buffered):
        m = map_header(kind, cells, layout, wide_dims, strict=False)
        if m.used:
            pick = i
            break
    header_row, header = buffered[pick]
    header = [("" if c is None else str(c)) for c in header]
    while header and not header[-1].strip():
        header.pop()  # XLSX pads rows to the sheet's widest row; trailing blank CSV headers say nothing either
    return header_row, header, itertools.chain(buffered[pick + 1:], rows)


class _Rejects:
    """FILE.rejects.csv: the rejected rows as they were, with their row number and reason. UTF-8 with a BOM so
    that Excel opens it right; written beside as .part (0600, never through a link) and put in place as the last
    step of the transaction, so it appears only when the import commits and a failure to place it rolls back."""

    def __init__(self, target: Path, header: list[str], lang: str):
        self.target, self.header, self.lang = target, header, lang
        self.part = target.with_name(target.name + ".part")
        self.file = None
        self.writer = None
        self.count = 0
        self.placed = False

    def _failure(self, exc: BaseException) -> ImportFailure:
        error = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return ImportFailure("import.file.rejects_unwritable", path=str(self.target), error=error)

    def check(self) -> None:
        """Refuse before anything is written: once the import has committed it is too late to say no."""
        for p in (self.target, self.part):
            with contextlib.suppress(FileNotFoundError):
                mode = os.lstat(p).st_mode
                if not stat.S_ISREG(mode) and not (p is self.part and stat.S_ISLNK(mode)):  # a link .part is unlinked
                    raise ImportFailure("import.file.rejects_not_file", path=str(p))
        try:
            check_output(self.target, database.database)  # not the database, not a key
        except UserError as exc:
            raise self._failure(exc) from None
        if not os.access(self.target.parent, os.W_OK | os.X_OK):
            raise self._failure(OSError(errno.EACCES, os.strerror(errno.EACCES)))

    def write(self, row: int, cells: list, errors: list[RowError]) -> None:
        try:
            if self.file is None:
                self.file = os.fdopen(create_private(self.part), "w", encoding="utf-8-sig", newline="")
                self.writer = csv.writer(self.file)
                self.writer.writerow(self.header + [render("import.rejects.row", self.lang, {}),
                                                    render("import.rejects.reason", self.lang, {})])
            width = len(self.header)
            out = ["" if c is None else (c.isoformat() if isinstance(c, (_dt.date, _dt.datetime)) else str(c))
                   for c in cells]
            out += [""] * (width - len(out))
            reason = "; ".join((f"{e.column}: " if e.column else "") + e.message(self.lang) for e in errors)
            # row and reason under their headers; cells beyond the header (a row with too many) after them
            self.writer.writerow(out[:width] + [row, reason] + out[width:])
        except OSError as exc:  # inside the transaction: the import rolls back
            raise self._failure(exc) from None
        self.count += 1

    def commit(self) -> Path | None:
        try:
            if self.file is None:
                self.target.unlink(missing_ok=True)  # an old list of rejects no longer describes this file
                return None
            self.file.flush()
            os.fsync(self.file.fileno())
            self.file.close()
            os.replace(self.part, self.target)
        except OSError as exc:
            raise self._failure(exc) from None
        self.placed = True
        return self.target

    def discard(self) -> None:
        """Nothing was imported: no .part, and no rejects file that describes an import that did not happen."""
        if self.file is not None:
            with contextlib.suppress(OSError):
                self.file.close()
            with contextlib.suppress(OSError):
                self.part.unlink(missing_ok=True)
        if self.placed:
            with contextlib.suppress(OSError):
                self.target.unlink(missing_ok=True)


class _Abort(Exception):
    """Roll the transaction back (invalid rows in an all-or-nothing import, or a dry run)."""


def run_import(actor: Actor, kind_name: str, path: Path | str, options: Options | None = None,
               progress=None, cancelled=None) -> Report:
    """Import `path` as `kind_name` for `actor`. `progress(fraction, rows)` is called after each batch;
    `cancelled()` is asked after each batch (a true answer rolls everything back and raises Cancelled)."""
    options = options or Options()
    started = time.monotonic()
    kind = kind_named(kind_name)
    check_allowed(actor, kind)
    today = config.today()
    path = Path(path).expanduser()
    report = Report(kind=kind.name, path=path, layout=options.layout, dry_run=options.dry_run)
    with open_source(path, options.encoding, options.sheet) as src:
        report.file_type, report.encoding, report.delimiter, report.sheet = (
            src.kind, src.encoding_label, src.delimiter_label, src.sheet)
        ref = Reference(actor)
        header_row, header, rows = _find_header(src, kind, options.layout, ref.wide_dimensions())
        mapping = map_header(kind, header, options.layout, ref.wide_dimensions(), header_row)
        report.header_row, report.wide = header_row, mapping.wide
        report.columns = [(c.header, c.key) for c in mapping.used]
        report.ignored = [c.header for c in mapping.ignored]
        rejects = None
        if options.skip_invalid and not options.dry_run:
            rejects = _Rejects(options.rejects or path.with_name(path.name + ".rejects.csv"), header, options.lang)
            rejects.check()
        try:
            if options.dry_run:
                with database.atomic():
                    _loop(report, kind, mapping, ref, today, src, rows, options, rejects, False, progress, cancelled)
                    raise _Abort()
            with database.atomic("IMMEDIATE"):
                database.execute_sql("PRAGMA defer_foreign_keys = ON")
                ok = _loop(report, kind, mapping, ref, today, src, rows, options, rejects, True, progress, cancelled)
                if not ok:
                    raise _Abort()
                if report.new or report.updated:  # an import that changes nothing leaves no trace either
                    from hrtui.access import audit

                    audit.record(actor, f"import.{kind.name}", "", {
                        "rows": report.rows, "new": report.new, "updated": report.updated,
                        "unchanged": report.unchanged, "invalid": report.invalid, "layout": options.layout})
                if rejects:  # the last step before the commit: a rejects file that cannot be placed rolls back
                    report.rejects = rejects.commit()
                report.committed = True
        except _Abort:
            pass
        except BaseException:
            if rejects:
                rejects.discard()
            raise
        if rejects and not report.committed:
            rejects.discard()
    report.seconds = time.monotonic() - started
    return report


def _loop(report: Report, kind: Kind, mapping: Mapping, ref: Reference, today, src: Source, rows, options: Options,
          rejects: _Rejects | None, writing: bool, progress, cancelled) -> bool:
    """Read, check and write every row; False when the import must not commit."""
    handler = HANDLERS[kind.name](kind, mapping, ref, today, writing, src)
    width = mapping.width
    used = [c.index for c in mapping.used]
    all_or_nothing = not options.skip_invalid
    parse, keep, batch = handler.parse, handler.keep, handler.batch
    counted = 0  # data rows

    def reject(row: int, cells: list, errors: list[RowError]) -> None:
        report.invalid += 1
        report.error_count += len(errors)
        room = MAX_KEPT_ERRORS - len(report.errors)
        if room > 0:
            report.errors.extend(errors[:room])
        if rejects is not None:
            rejects.write(row, cells, errors)
        if all_or_nothing and handler.writing:
            handler.writing = False  # nothing will be committed: stop writing, keep checking

    def flush(rows_done: int) -> None:
        for row, cells, errors in handler.flush():
            reject(row, cells, errors)
        if progress:
            progress(src.fraction(rows_done), rows_done)
        if cancelled and cancelled():
            raise Cancelled()

    handler.begin()
    row = 0
    try:
        for row, cells in rows:
            if not any(cells) and _empty(cells):
                continue  # an empty row (CSV gives "", XLSX gives None)
            if len(cells) > width and not _empty(cells[width:]):
                counted += 1
                extra = next(i for i in range(width, len(cells)) if not _empty(cells[i:i + 1]))
                reject(row, cells, [RowError(row, _column_letter(extra), "import.val.too_many_cells",
                                             {"cells": len(cells) - _trailing_empty(cells), "columns": width})])
                continue
            try:
                recs = parse(row, cells)
            except RowInvalid as exc:
                if _empty([cells[i] for i in used if i < len(cells)]):
                    continue  # nothing in the columns read (blank cells, a child-table line of a Frappe export)
                counted += 1
                reject(row, cells, exc.errors)
                continue
            counted += 1
            if recs:
                keep(row, cells, recs)
            if len(batch) >= BATCH:
                flush(counted)
    except (csv.Error, UnicodeDecodeError) as exc:
        raise ImportFailure("import.file.csv", row=row + 1, error=str(exc)) from None
    report.rows = counted
    flush(counted)
    for row, cells, errors in handler.finish():
        reject(row, cells, errors)
    flush(counted)
    handler.end()
    report.errors.sort(key=lambda e: e.row)  # rows checked when written come in after later rows' cell errors
    report.new, report.updated, report.unchanged = handler.new, handler.updated, handler.unchanged
    if report.invalid and all_or_nothing:
        return False
    if writing:
        handler.after()
    return True


def _column_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _trailing_empty(cells: list) -> int:
    n = 0
    for c in reversed(cells):
        if not _empty([c]):
            break
        n += 1
    return n


# -- preview (the TUI shows it before importing) ---------------------------------------------------------------------
@dataclass
class Preview:
    kind: str
    file_type: str
    encoding: str
    delimiter: str
    sheet: str | None
    header_row: int
    header: list[str]
    rows: list[tuple[int, list[str]]]
    columns: list[tuple[str, str]]      # (header, field key) read
    ignored: list[str]
    wide: bool


def preview(actor: Actor, kind_name: str, path: Path | str, options: Options | None = None, limit: int = 5) -> Preview:
    """The first rows of a file and how its columns would be read (raises ImportFailure like run_import)."""
    options = options or Options()
    kind = kind_named(kind_name)
    check_allowed(actor, kind)
    with open_source(path, options.encoding, options.sheet) as src:
        ref = Reference(actor)
        header_row, header, rows = _find_header(src, kind, options.layout, ref.wide_dimensions())
        mapping = map_header(kind, header, options.layout, ref.wide_dimensions(), header_row)
        shown = []
        try:
            for row, cells in rows:
                if _empty(cells):
                    continue
                shown.append((row, [V.show(c) for c in cells]))
                if len(shown) >= limit:
                    break
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ImportFailure("import.file.csv", row=(shown[-1][0] if shown else header_row) + 1,
                                error=str(exc)) from None
        return Preview(kind.name, src.kind, src.encoding_label, src.delimiter_label, src.sheet, header_row, header,
                       shown, [(c.header, c.key) for c in mapping.used], [c.header for c in mapping.ignored],
                       mapping.wide)


def describe_column(kind_name: str, key: str, lang: str) -> str:
    """A field key as the user reads it ("dim:CSAT" -> "CSAT score")."""
    kind = KINDS[kind_name]
    if key.startswith("dim:"):
        return render("import.col.dim", lang, {"code": key[4:]})
    if key in LAYOUT_FIELDS:
        return LAYOUT_FIELDS[key].label(lang)
    return field_label(kind, key, lang)


__all__ = ["Options", "Report", "RowError", "Preview", "run_import", "preview", "check_allowed", "describe_column",
           "ImportFailure", "Cancelled"]
