"""Reading a spreadsheet file row by row without loading it: CSV (encoding detected, separator sniffed) or XLSX.

A `Source` yields (row number, cells) with row numbers as a spreadsheet shows them (the first line is row 1), so
every message can point at the row the user sees. Memory stays flat whatever the file's size: CSV is decoded as a
stream and XLSX is read with openpyxl's read-only mode (imported only when an XLSX file is opened).

Encoding rule (`encoding="auto"`): a UTF-8 BOM means UTF-8; a UTF-16 BOM (Excel's "Unicode text") means UTF-16;
else the file is UTF-8 when all of it decodes as UTF-8; else GB18030 (a superset of GBK and GB2312) when all of it
decodes as GB18030; else the file is refused, naming the byte offset where decoding failed.
"""
from __future__ import annotations

import codecs
import csv
import io
import itertools
from dataclasses import dataclass, field
from pathlib import Path

from hrtui.errors import UserError

CHUNK = 1 << 20
DELIMITERS = (",", ";", "\t")
ENCODINGS = ("auto", "utf-8", "gbk", "gb18030")
_CODEC = {"utf-8": "utf-8", "gbk": "gb18030", "gb18030": "gb18030"}  # GB18030 decodes every GBK file identically
_LABEL = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "gb18030": "GB18030/GBK", "utf-16": "UTF-16"}
SNIFF_LINES = 50


class ImportFailure(UserError):
    """The file as a whole cannot be imported (unreadable, empty, no known column…). `key`/`fields` let the
    message be shown in the user's language; str() is the English line."""

    def __init__(self, key: str, **fields):
        from hrtui.transfer.messages import render

        self.key, self.fields = key, fields
        super().__init__(render(key, "en", fields))

    def message(self, lang: str) -> str:
        from hrtui.transfer.messages import render

        return render(self.key, lang, self.fields)


@dataclass
class Source:
    """An open spreadsheet: `rows()` yields (row_number, cells) from the first row on."""

    path: Path
    kind: str                      # "csv" or "xlsx"
    encoding: str | None = None    # codec used for CSV
    delimiter: str | None = None
    sheet: str | None = None
    size: int = 0
    _close: list = field(default_factory=list, repr=False)
    _iter: object = field(default=None, repr=False)
    _pos: object = field(default=None, repr=False)
    total_rows: int | None = None

    @property
    def encoding_label(self) -> str:
        return _LABEL.get(self.encoding or "", self.encoding or "")

    @property
    def delimiter_label(self) -> str:
        return {"\t": "TAB", ",": ",", ";": ";"}.get(self.delimiter or "", "")

    def rows(self):
        return self._iter

    def fraction(self, rows_done: int) -> float:
        """How far through the file the reader is (0..1), for progress bars."""
        if self._pos is not None and self.size:
            try:
                return min(1.0, self._pos() / self.size)
            except (OSError, ValueError):
                return 0.0
        if self.total_rows:
            return min(1.0, rows_done / self.total_rows)
        return 0.0

    def close(self) -> None:
        while self._close:
            try:
                self._close.pop()()
            except Exception:  # closing a half-read zip or file must not mask the real outcome
                pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_source(path: Path | str, encoding: str = "auto", sheet: str | None = None) -> Source:
    path = Path(path).expanduser()
    if not path.exists():
        raise ImportFailure("import.file.missing", path=str(path))
    if not path.is_file():
        raise ImportFailure("import.file.not_file", path=str(path))
    if encoding not in ENCODINGS:
        raise ImportFailure("import.file.bad_encoding_option", encoding=encoding, choices=", ".join(ENCODINGS))
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise ImportFailure("import.file.unreadable", path=str(path), error=exc.strerror or str(exc)) from None
    size = path.stat().st_size
    if head.startswith(b"PK\x03\x04"):
        return _open_xlsx(path, sheet, size)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFailure("import.file.xls", path=path.name)
    if sheet is not None:
        raise ImportFailure("import.file.sheet_for_csv")
    return _open_csv(path, encoding, size)


# -- CSV -----------------------------------------------------------------------------------------------------------
def detect_encoding(path: Path, requested: str = "auto") -> str:
    """The codec to read `path` with; the whole file is checked (in chunks) so a bad byte deep inside is found
    before any row is imported."""
    with open(path, "rb") as f:
        first = f.read(4)
    bom = first.startswith(codecs.BOM_UTF8)
    if bom and requested in ("auto", "utf-8"):
        bad = _first_bad_byte(path, "utf-8")  # the BOM is valid UTF-8 itself: offsets count from the file's start
        if bad is not None:  # a BOM promises UTF-8; GBK text after it is not (an explicit --encoding gbk reads it)
            raise ImportFailure("import.file.bom_utf8", offset=bad)
        return "utf-8-sig"
    if first[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) and requested == "auto":
        bad = _first_bad_byte(path, "utf-16", nul_ok=True)  # checked whole too: a bad pair deep inside is found now
        if bad is not None:
            raise ImportFailure("import.file.bom_utf16", offset=bad)
        return "utf-16"
    candidates = ["utf-8", "gb18030"] if requested == "auto" else [_CODEC[requested]]
    if requested in ("gbk", "gb18030") and _first_bad_byte(path, "utf-8") is None and not _ascii(path):
        # Chinese text in UTF-8 also "decodes" as GBK, into nonsense: refuse rather than import mojibake names
        raise ImportFailure("import.file.looks_utf8", encoding=requested)
    failures: dict[str, int] = {}
    for codec in candidates:
        bad = _first_bad_byte(path, codec, start=3 if bom else 0)
        if bad is None:
            return codec
        failures[codec] = bad
    if requested != "auto":
        raise ImportFailure("import.file.decode", encoding=requested, offset=failures[candidates[0]])
    raise ImportFailure("import.file.unknown_encoding", offset=failures["utf-8"], offset_gb=failures["gb18030"])


def _ascii(path: Path) -> bool:
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            if not chunk.isascii():
                return False
    return True


def _first_bad_byte(path: Path, codec: str, start: int = 0, nul_ok: bool = False) -> int | None:
    """The offset of the first byte `codec` cannot decode (from byte `start` on), or None; a NUL byte means a binary
    file (except in UTF-16, where every ASCII character has one)."""
    dec = codecs.getincrementaldecoder(codec)()
    offset = start
    with open(path, "rb") as f:
        f.seek(start)
        while True:
            chunk = f.read(CHUNK)
            nul = -1 if nul_ok else chunk.find(b"\x00")
            if nul >= 0:
                raise ImportFailure("import.file.binary", offset=offset + nul)
            pending = len(dec.getstate()[0])
            try:
                dec.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                return offset - pending + exc.start
            if not chunk:
                return None
            offset += len(chunk)


def _open_csv(path: Path, requested: str, size: int) -> Source:
    if size == 0:
        raise ImportFailure("import.file.empty", path=path.name)
    codec = detect_encoding(path, requested)
    raw = open(path, "rb")
    if codec == "gb18030" and raw.read(3) != codecs.BOM_UTF8:  # GBK text behind a UTF-8 BOM: skip the BOM
        raw.seek(0)
    text = io.TextIOWrapper(raw, encoding=codec, newline="")
    head: list[str] = []
    try:
        for _ in range(SNIFF_LINES):
            line = text.readline()
            if not line:
                break
            head.append(line)
    except UnicodeDecodeError:  # cannot happen: every encoding was checked over the whole file
        text.close()
        raise ImportFailure("import.file.decode", encoding=_LABEL.get(codec, codec), offset=raw.tell()) from None
    if not any(line.strip() for line in head):
        text.close()
        raise ImportFailure("import.file.empty", path=path.name)
    delimiter = sniff_delimiter(head)
    # strict: a quote left open at the end (a truncated file) is an error with its row, not a shortened last value
    reader = csv.reader(itertools.chain(head, text), delimiter=delimiter, strict=True)
    src = Source(path=path, kind="csv", encoding=codec, delimiter=delimiter, size=size)
    src._close.append(text.close)
    src._pos = raw.tell
    src._iter = enumerate(reader, 1)  # (row, cells); the reader raises csv.Error on malformed CSV
    return src


def sniff_delimiter(lines: list[str]) -> str:
    """Among , ; TAB: the separator that splits the header into the most columns and that the next lines agree
    with (quoted fields are respected). One column whatever the separator: ','."""
    best, best_score = ",", (0, 0, 0)
    for d in DELIMITERS:
        rows = []
        try:
            for r in csv.reader(lines, delimiter=d):
                if any(c.strip() for c in r):
                    rows.append(r)
        except csv.Error:
            pass  # a malformed line: judge by the lines before it (the import reports it with its row)
        if not rows:
            continue
        width = len(rows[0])
        if width < 2:
            continue
        agree = sum(1 for r in rows[1:] if len(r) == width)
        score = (1, agree, width)
        if score > best_score:
            best, best_score = d, score
    return best


# -- XLSX ----------------------------------------------------------------------------------------------------------
def _open_xlsx(path: Path, sheet: str | None, size: int) -> Source:
    # A file object, not the path: openpyxl judges a path by its extension, and a workbook is known by its content
    # here (a zip), whatever its name.
    fh = open(path, "rb")
    try:
        src = _xlsx_source(fh, path, sheet, size)
    except BaseException:
        fh.close()
        raise
    src._close.append(fh.close)
    return src


def _xlsx_source(fh, path: Path, sheet: str | None, size: int) -> Source:
    import zipfile

    try:
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise ImportFailure("import.file.no_openpyxl") from None
    try:
        wb = openpyxl.load_workbook(fh, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        if "CRC" in str(exc):  # a zip whose content changed since it was written
            raise ImportFailure("import.file.damaged", path=path.name) from None
        raise ImportFailure("import.file.bad_xlsx", path=path.name, error=type(exc).__name__) from None
    except Exception:  # a damaged zip or XML makes the reader fail in any way (zlib.error, ParseError, EOFError…)
        raise ImportFailure("import.file.damaged", path=path.name) from None
    names = wb.sheetnames
    if sheet is None:
        ws = wb.worksheets[0] if names else None
    elif sheet in names:
        ws = wb[sheet]
    elif sheet.isdigit() and 1 <= int(sheet) <= len(names):
        ws = wb.worksheets[int(sheet) - 1]
    else:
        wb.close()
        raise ImportFailure("import.file.no_sheet", sheet=sheet, sheets=", ".join(names))
    if ws is None:
        wb.close()
        raise ImportFailure("import.file.empty", path=path.name)
    src = Source(path=path, kind="xlsx", sheet=ws.title, size=size)
    src._close.append(wb.close)
    try:
        src.total_rows = ws.max_row  # from the sheet's stored dimensions: for progress only
        ws.reset_dimensions()         # some writers store wrong dimensions; never let them cut rows short
    except Exception:  # (damage shows when the rows are read)
        src.total_rows = None
    src._iter = _numbered_xlsx(ws, path.name)
    return src


def _numbered_xlsx(ws, name: str):
    rows = enumerate(ws.iter_rows(min_row=1), 1)
    while True:
        try:
            n, row = next(rows)
        except StopIteration:
            return
        except Exception:  # the sheet is read while rows are imported: damage found midway is named the same way
            raise ImportFailure("import.file.damaged", path=name) from None
        cells = []
        for c in row:
            v = c.value
            if type(v) is float or type(v) is int:
                fmt = getattr(c, "number_format", None)
                if fmt and "%" in fmt:
                    v = round(v * 100, 10)  # a percent-formatted cell shows 85% and stores 0.85
            cells.append(v)
        yield n, cells
