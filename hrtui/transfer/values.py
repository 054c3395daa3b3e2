"""Cell values as people type them into spreadsheets, turned into what the database stores.

Every parser takes a cell (a str from CSV; str, int, float, datetime or date from XLSX) and returns the value, None
for an empty cell ("missing", never zero), or raises CellError naming what was expected (a catalogue key and its
fields, so the message can be shown in either language).

Accepted forms (docs/import.md lists them for users):
- numbers: 85, 85.0, 85分, 85%, ８５ (full width), 1,234.5, 1 234.5, 85 pts; percent-formatted XLSX cells (0.85 -> 85);
  not 1_0, 8 5 or an XLSX TRUE/FALSE cell
- dates: 2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日, 20260301, 2026-03-01 08:00, Excel serial numbers and cells
- months: 2026-03, 2026/3, 2026.3, 2026年3月, 202603, Mar 2026, a date (its month), Excel date cells and serials
- money: 12,345.67, ¥12345, 12345.6元, 1.2万 -> integer cents (at most MONEY_MAX)
Text cells lose invisible format characters and are refused with a control character (clean()).
"""
from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation


class CellError(ValueError):
    """A cell that does not hold what its column expects: `key` is a message key (import.val.*), `fields` its data."""

    def __init__(self, key: str, **fields):
        super().__init__(key)
        self.key = key
        self.fields = fields


def text(x) -> str | None:
    """A text cell: stripped, NFKC-normalised (full-width letters and digits become ASCII); None when empty."""
    if x is None:
        return None
    if isinstance(x, float) and x.is_integer():
        x = int(x)  # an employee number typed into Excel as 123 arrives as 123.0
    if isinstance(x, (_dt.datetime, _dt.date)):
        x = x.isoformat()
    s = unicodedata.normalize("NFKC", str(x)).strip()
    if s[:1] == "'" and s[1:2] in ("=", "+", "-", "@"):
        s = s[1:]  # an apostrophe that kept a spreadsheet from reading the cell as a formula
    return s or None


def show(x) -> str:
    """A cell as it should be quoted back in an error message or a preview (short, one line, and never a raw
    control character: a terminal would obey it)."""
    if x is None:
        return ""
    if isinstance(x, bool):
        s = "TRUE" if x else "FALSE"  # as the spreadsheet shows the cell
    elif isinstance(x, _dt.datetime):
        s = x.isoformat(sep=" ")
    elif isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        s = str(int(x))
    else:
        s = str(x)
    s = printable(" ".join(s.split()))
    return s if len(s) <= 40 else s[:39] + "…"


def printable(s: str) -> str:
    """`s` safe to print: format characters dropped, control characters escaped as repr() does (\\x1b)."""
    if s.isprintable():
        return s
    return "".join(repr(c)[1:-1] if unicodedata.category(c) == "Cc" else c for c in s
                   if unicodedata.category(c) != "Cf")


def clean(x):
    """A cell as the import reads it. Unicode format characters (zero-width spaces and joiners, BOM, bidi marks:
    category Cf) are invisible, so 'E000001\\u200b' would look like E000001 and yet be another number: they are
    dropped. A control character (C0/C1, ESC, DEL; tab excepted) is refused: stored, it would later reach a
    terminal raw. A line break at either end (Alt+Enter in Excel) is dropped like other outer whitespace."""
    if x.__class__ is not str or x.isprintable():
        return x
    s = "".join(c for c in x if unicodedata.category(c) != "Cf").strip("\r\n")
    if any(unicodedata.category(c) == "Cc" and c != "\t" for c in s):
        raise CellError("import.val.control", value=s if len(s) <= 60 else s[:59] + "…")  # shown with repr()
    return s


# -- numbers -------------------------------------------------------------------------------------------------------
# Digits grouped by thousands with commas or spaces (groups of exactly three: "1 000", not "8 5"), or plain digits.
_DIGITS = r"[+-]?(?:\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d{1,3}(?: \d{3})+(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+)"
_UNIT_NUMBER = re.compile(
    r"^(?:¥|rmb|cny|\$)?\s*(" + _DIGITS + r")\s*"
    r"(分|点|%|pts?|points?|天|日|d|days?|小时|时|h|hrs?|hours?|元|)$", re.IGNORECASE)


def number(x) -> float | None:
    """A number; unit suffixes are accepted and dropped (85分, 85%, 21天, 140小时)."""
    if x is None:
        return None
    if x.__class__ is bool:
        raise CellError("import.val.number", value=show(x))  # an XLSX TRUE/FALSE cell is not 1/0
    try:
        if isinstance(x, (int, float)):
            v = float(x)
        elif "_" in x:
            raise ValueError  # float() reads "1_0" as 10: not a way people write numbers
        else:
            v = float(x)  # fast path: "85", "85.0", " 85 ", and (Python accepts any Unicode digit) "８５"
    except OverflowError:  # an XLSX integer of hundreds of digits
        raise CellError("import.val.number", value=show(x)) from None
    except (TypeError, ValueError):
        v = _slow_number(x)
        if v is None:
            return None
    if math.isnan(v) or math.isinf(v):
        raise CellError("import.val.number", value=show(x))
    return v


def _slow_number(x) -> float | None:
    if isinstance(x, (_dt.date, _dt.datetime)):
        raise CellError("import.val.number", value=show(x))
    s = unicodedata.normalize("NFKC", str(x)).strip()
    if not s:
        return None
    m = _UNIT_NUMBER.match(s)
    if not m:
        raise CellError("import.val.number", value=show(x))
    return float(m.group(1).replace(",", "").replace(" ", ""))


def ranged(x, lo: float, hi: float) -> float | None:
    """A number within [lo, hi]."""
    v = number(x)
    if v is not None and not (lo <= v <= hi):
        raise CellError("import.val.range", value=show(x), lo=fmt(lo), hi=fmt(hi))  # as written: 1e308, not 309 digits
    return v


def fmt(v: float) -> str:
    """A number as a person writes it: 85, 85.5 (no trailing .0); 1e+308 rather than 309 digits."""
    v = float(v)
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)


# -- money ---------------------------------------------------------------------------------------------------------
_MONEY = re.compile(r"^(?:¥|rmb|cny|\$)?\s*(" + _DIGITS + r")\s*(万)?\s*(?:元)?$", re.IGNORECASE)
MONEY_MAX = Decimal(10) ** 9  # a month's pay above 1,000,000,000 is a typo (and cents past 2**63 overflow SQLite)


def cents(x) -> int | None:
    """An amount of money as integer cents: 12,345.67 / ¥12345 / 1.2万 (at most two decimals, not negative)."""
    if x is None:
        return None
    if isinstance(x, bool) or isinstance(x, (_dt.date, _dt.datetime)):
        raise CellError("import.val.money", value=show(x))
    if isinstance(x, int):
        d = Decimal(x)
    elif isinstance(x, float):
        if math.isnan(x) or math.isinf(x):
            raise CellError("import.val.money", value=show(x))
        d = Decimal(repr(x))
    else:
        s = unicodedata.normalize("NFKC", str(x)).strip()
        if not s:
            return None
        m = _MONEY.match(s)
        if not m:
            raise CellError("import.val.money", value=show(x))
        try:
            d = Decimal(m.group(1).replace(",", "").replace(" ", ""))
        except InvalidOperation:
            raise CellError("import.val.money", value=show(x)) from None
        if m.group(2):
            d *= 10000
    if d < 0:
        raise CellError("import.val.money_negative", value=show(x))
    if d > MONEY_MAX:
        raise CellError("import.val.money_max", value=show(x), max=f"{MONEY_MAX:,}")
    c = d * 100
    if c != c.to_integral_value():
        raise CellError("import.val.money_decimals", value=show(x))
    return int(c)


# -- dates and months ----------------------------------------------------------------------------------------------
_EXCEL_EPOCH = _dt.date(1899, 12, 30)  # serial 61 = 1900-03-01 (Excel counts a 1900-02-29: serial 60)
_SERIAL_MIN, _SERIAL_MAX = 1, 109574   # 1900-01-01 .. 2199-12-31
_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
_MONTH_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月?(?:份)?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
]
_MONTH_NAMES = {name: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], 1) for name in names}
_NAMED_MONTH = re.compile(r"^([a-z]+)[-\s.,]*(\d{4})$|^(\d{4})[-\s.,]*([a-z]+)$")


def _serial(v: float, x) -> _dt.date:
    if not (_SERIAL_MIN <= v <= _SERIAL_MAX):
        raise CellError("import.val.date", value=show(x))
    days = int(v)
    if days == 60:  # Excel's 1900-02-29, a day that never was
        raise CellError("import.val.no_such_date", value=show(x))
    if days < 60:
        return _EXCEL_EPOCH + _dt.timedelta(days=days + 1)
    return _EXCEL_EPOCH + _dt.timedelta(days=days)


def _ymd(y: str, m: str, d: str, x) -> _dt.date:
    try:
        return _dt.date(int(y), int(m), int(d))
    except ValueError:
        raise CellError("import.val.no_such_date", value=show(x)) from None


def date(x) -> str | None:
    """An ISO date string (YYYY-MM-DD)."""
    if x is None:
        return None
    if isinstance(x, _dt.datetime):
        return x.date().isoformat()
    if isinstance(x, _dt.date):
        return x.isoformat()
    if isinstance(x, bool) or x.__class__ is int and abs(x) > 10 ** 12:  # (float() of a huge int overflows)
        raise CellError("import.val.date", value=show(x))
    if isinstance(x, (int, float)):
        if float(x).is_integer() and 19000101 <= x <= 21991231:
            s = str(int(x))
            return _ymd(s[:4], s[4:6], s[6:], x).isoformat()
        return _serial(float(x), x).isoformat()
    s = unicodedata.normalize("NFKC", str(x)).strip()
    if not s:
        return None
    for pat in _DATE_PATTERNS:
        m = pat.match(s)
        if m:
            return _ymd(*m.groups(), x).isoformat()
    if s.isdigit() and 3 <= len(s) <= 6:  # an Excel serial that reached the CSV as text
        return _serial(float(s), x).isoformat()
    raise CellError("import.val.date", value=show(x))


def month(x) -> str | None:
    """A month as YYYY-MM."""
    if x is None:
        return None
    if isinstance(x, (_dt.datetime, _dt.date)):
        return f"{x.year:04d}-{x.month:02d}"
    if isinstance(x, bool) or x.__class__ is int and abs(x) > 10 ** 12:
        raise CellError("import.val.month", value=show(x))
    if isinstance(x, (int, float)):
        if not float(x).is_integer():
            raise CellError("import.val.month", value=show(x))
        if 190001 <= x <= 219912:
            s = str(int(x))
            return _ym(s[:4], s[4:], x)
        if 19000101 <= x <= 21991231:
            return date(x)[:7]
        return _serial(float(x), x).isoformat()[:7]
    s = unicodedata.normalize("NFKC", str(x)).strip()
    if not s:
        return None
    for pat in _MONTH_PATTERNS:
        m = pat.match(s)
        if m:
            return _ym(*m.groups(), x)
    m = _NAMED_MONTH.match(s.lower())
    if m:
        name, year = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        if name in _MONTH_NAMES:
            return f"{int(year):04d}-{_MONTH_NAMES[name]:02d}"
        raise CellError("import.val.month", value=show(x))
    try:
        return date(s)[:7]  # a full date names its month
    except CellError:
        raise CellError("import.val.month", value=show(x)) from None


def _ym(y: str, m: str, x) -> str:
    if not (1 <= int(m) <= 12) or int(y) < 1900:
        raise CellError("import.val.month", value=show(x))
    return f"{int(y):04d}-{int(m):02d}"


class MonthCache:
    """month() for a column that repeats a handful of values a million times."""

    def __init__(self) -> None:
        self._memo: dict = {}

    def __call__(self, x) -> str | None:
        try:
            return self._memo[x]
        except KeyError:
            pass
        except TypeError:  # unhashable: cannot happen for cell values, but never fail on it
            return month(x)
        v = month(x)  # raises for bad cells: those are not remembered
        if len(self._memo) > 4096:
            self._memo.clear()
        self._memo[x] = v
        return v


# -- words ---------------------------------------------------------------------------------------------------------
def norm_word(s: str) -> str:
    """How a word from a cell is compared with a vocabulary: NFKC, case-folded, without spaces, _ and -."""
    return re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", s).casefold())


def vocabulary(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """{canonical: (spellings…)} -> {normalised spelling: canonical} (the canonical name is a spelling too)."""
    out: dict[str, str] = {}
    for canonical, words in table.items():
        for w in (canonical, *words):
            out[norm_word(w)] = canonical
    return out


def choice(x, vocab: dict[str, str], key: str = "import.val.choice") -> str | None:
    s = text(x)
    if s is None:
        return None
    found = vocab.get(norm_word(s))
    if found is None:
        raise CellError(key, value=show(x), choices=", ".join(dict.fromkeys(vocab.values())))
    return found


BOOL = vocabulary({"1": ("是", "y", "yes", "true", "t", "√", "✓", "✔", "必修"),
                   "0": ("否", "n", "no", "false", "f", "×", "✗", "✘", "选修")})


def flag(x) -> int | None:
    if isinstance(x, bool):
        return int(x)
    if isinstance(x, (int, float)) and x in (0, 1):
        return int(x)
    v = choice(x, BOOL, "import.val.bool")
    return None if v is None else int(v)


