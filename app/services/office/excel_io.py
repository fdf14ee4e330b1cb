"""Excel in and out (openpyxl), shared by every import, table view and report.

Out: `export_table(columns, rows, title)` is THE exporter: real number / date cells, a
frozen header, column widths that fit Chinese text, money as 0.00, and text that starts
with = + - @ kept as text so a stall name can never run as a formula (formula injection).

In: `read_table(data, known_headers)` finds the header row under any title rows, matches
header names written differently (spaces, full-width characters, English names) and hands
back the data rows with their spreadsheet row numbers. The `cell_*` functions turn what
people and other spreadsheet programs put in cells into clean values.

Pure functions of bytes and values: no database, no Qt.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from app.models.clerk_message import ClerkMessage
from app.models.money import AmountError
from app.services.money.amounts import read_number
from app.words import CHINESE, ENGLISH, QT_TRANSLATE_NOOP, Said, Word

OLD_EXCEL_XLS_FILE_OR = Word(
    "excel_io.old_excel_xls_file_or",
    QT_TRANSLATE_NOOP(
        "Errors",
        "This is an old Excel 97-2003 (.xls) file (or a password-protected file); the program "
        "reads .xlsx only. {save_as} (remove the password first, if any)",
    ),
)
FILE_CANNOT_READ_NOT_SOUND = Word(
    "excel_io.file_cannot_read_not_sound",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The file cannot be read: it is not a sound Excel .xlsx file (it may be damaged). Open it "
        "in Excel or WPS, choose File → Save As, type “Excel Workbook (*.xlsx)”, and import that "
        "file",
    ),
)
NO_HEADER_ROW_FOUND_IN = Word(
    "excel_io.no_header_row_found_in",
    QT_TRANSLATE_NOOP(
        "Errors",
        "No header row found in the file. Use the downloaded template, with the headers in the "
        "row above the data (such as “Stall code”, “Stall name”)",
    ),
)
CSV_TEXT_FILE_NOT_XLSX = Word(
    "excel_io.csv_text_file_not_xlsx",
    QT_TRANSLATE_NOOP("Errors", "This is a CSV / text file, not an .xlsx workbook. {save_as}"),
)
SAVE_AS_XLSX = Word(
    "excel_io.save_as_xlsx",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Open it in Excel or WPS, choose File → Save As, type “Excel Workbook (*.xlsx)”, and "
        "import that file",
    ),
)
YES = Word("excel_io.yes", QT_TRANSLATE_NOOP("Excel", "Yes"))
NO = Word("excel_io.no", QT_TRANSLATE_NOOP("Excel", "No"))
# What is wrong in a cell, and what to do (context "Import": the import report's words)
FORMULA_WITHOUT_RESULT = Word(
    "excel_io.formula_without_result",
    QT_TRANSLATE_NOOP("Import", "The formula has no computed value in the file"),
)
PASTE_FORMULA_VALUES = Word(
    "excel_io.paste_formula_values",
    QT_TRANSLATE_NOOP(
        "Import",
        "Open the file in Excel or WPS, copy the formula column and Paste Special → Values, save, "
        "then import",
    ),
)
NOT_A_PHONE = Word(
    "excel_io.not_a_phone", QT_TRANSLATE_NOOP("Import", "Phone “{value}” is not a phone number")
)
TYPE_A_PHONE = Word(
    "excel_io.type_a_phone",
    QT_TRANSLATE_NOOP("Import", "Use digits only, such as 13800138000 or 0571-88886666"),
)
NOT_A_NUMBER = Word(
    "excel_io.not_a_number", QT_TRANSLATE_NOOP("Import", "“{value}” is not a number")
)
TYPE_A_NUMBER = Word(
    "excel_io.type_a_number", QT_TRANSLATE_NOOP("Import", "Type a number, such as 12.5")
)
COMMA_MISPLACED = Word(
    "excel_io.comma_misplaced",
    QT_TRANSLATE_NOOP("Import", "“{value}” has a comma in the wrong place"),
)
COMMA_THOUSANDS = Word(
    "excel_io.comma_thousands",
    QT_TRANSLATE_NOOP(
        "Import", "A comma only separates thousands, as in 1,000.50; or leave commas out"
    ),
)
TOO_MANY_DECIMALS = Word(
    "excel_io.too_many_decimals", QT_TRANSLATE_NOOP("Import", "“{value}” has too many decimals")
)
AT_MOST_DECIMALS = Word(
    "excel_io.at_most_decimals", QT_TRANSLATE_NOOP("Import", "Use at most {places} decimals")
)
LESS_THAN_MINIMUM = Word(
    "excel_io.less_than_minimum", QT_TRANSLATE_NOOP("Import", "“{value}” is less than {minimum}")
)
AT_LEAST_MINIMUM = Word(
    "excel_io.at_least_minimum", QT_TRANSLATE_NOOP("Import", "Type a number of at least {minimum}")
)
NOT_A_TIME = Word("excel_io.not_a_time", QT_TRANSLATE_NOOP("Import", "“{value}” is not a time"))
TYPE_A_TIME = Word(
    "excel_io.type_a_time", QT_TRANSLATE_NOOP("Import", "Type a time, such as 8:00 or 08:00:00")
)
NOT_A_DATE_TIME = Word(
    "excel_io.not_a_date_time",
    QT_TRANSLATE_NOOP("Import", "“{value}” is not a valid date and time"),
)
TYPE_TIME_OR_DATE = Word(
    "excel_io.type_time_or_date",
    QT_TRANSLATE_NOOP(
        "Import", "Type a time such as 8:00, or a date and time such as 2026-01-01 08:00"
    ),
)
NOT_A_VALID_TIME = Word(
    "excel_io.not_a_valid_time", QT_TRANSLATE_NOOP("Import", "“{value}” is not a valid time")
)
HOURS_AND_MINUTES = Word(
    "excel_io.hours_and_minutes",
    QT_TRANSLATE_NOOP("Import", "Hours 0–23 and minutes 0–59, such as 8:00"),
)

MONEY_FORMAT = "0.00"
FORMATS = {
    "text": "@",
    "int": "0",
    "money": MONEY_FORMAT,
    # 'General': 12 shows as 12 and 12.5 as 12.5 ('0.###' showed whole numbers as '12.').
    "decimal": "General",
    "kwh": "0.00",
    "m3": "0.000",
    # "quantity": a usage column mixing units: each cell keeps the decimals of its unit (see
    # fixed_quantity).
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "time": "hh:mm",
}
_FORMULA_START = ("=", "+", "-", "@")
NUMBER_KINDS = ("money", "int", "decimal", "percent", "kwh", "m3", "quantity")
# Quantities are shown with a fixed number of decimals per unit: a meter shows kWh to 0.01
# and m³ to 0.001, and a report reads the same.
UNIT_PLACES = {"kWh": 2, "m³": 3}
_KIND_PLACES = {"kwh": 2, "m3": 3}


def fixed_quantity(value: Decimal | None, unit: str) -> Decimal | None:
    """A usage in its unit's decimals (kWh 2, m³ 3), for a 'quantity' column."""
    if value is None:
        return None
    return Decimal(value).quantize(Decimal(1).scaleb(-UNIT_PLACES.get(unit, 3)))


def quantity_format(value: Any) -> str:
    """The Excel format that shows a Decimal with exactly the decimals it carries."""
    places = (
        -value.as_tuple().exponent
        if isinstance(value, Decimal) and value.as_tuple().exponent < 0
        else 0
    )
    return "0." + "0" * places if places else "0"


def local_zone(name: str = "Asia/Shanghai"):
    """The site's time zone; a fixed UTC+8 where the OS has no zone database (Windows
    without the tzdata package), which is right for every Chinese site."""
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except (ImportError, KeyError, ValueError, OSError):
        return timezone(timedelta(hours=8), name)


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an exported table: `key` into a row mapping (or its position in a
    sequence row), the header (a catalogue word, put into the document's language, or a
    text already in it), and the cell kind (see FORMATS)."""

    key: str
    name: str | Word
    kind: str = "text"
    width: float | None = None  # characters; None: fitted to the content

    @property
    def header(self) -> str:
        """The header in the documents' language."""
        return in_words(self.name)

    def title(self, lang: str | None = None) -> str:
        return in_words(self.name, lang)


def in_words(text: str | Word | Said, lang: str | None = None) -> str:
    """A document's text in its language: a word or said word put into words, a text as it is."""
    return text.say(lang) if isinstance(text, (Word, Said)) else text


def display_width(text: str) -> int:
    """Width in Latin characters: CJK and full-width characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _excel_value(value: Any, kind: str, zone, lang: str | None = None) -> Any:
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is not None:  # Excel has no time zones: show the site's local time
            value = value.astimezone(zone).replace(tzinfo=None)
        return value
    if kind == "money" and isinstance(value, Decimal):
        return float(value)  # a real number cell; the 0.00 format shows the fen
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and kind == "int" else float(value)
    if isinstance(value, bool):
        return (YES if value else NO).say(lang)
    if isinstance(value, (Word, Said)):
        return value.say(lang)
    if hasattr(value, "value") and isinstance(value.value, str):  # enums
        return value.value
    return value


def _shown(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "money" and isinstance(value, (int, float, Decimal)):
        return f"{value:.2f}"
    if kind in _KIND_PLACES and isinstance(value, (int, float, Decimal)):
        return f"{value:.{_KIND_PLACES[kind]}f}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def export_table(
    columns: Sequence[Column],
    rows: Iterable[Mapping[str, Any] | Sequence[Any]],
    title: str | Word | Said = "",
    *,
    sheet_name: str = "",
    zone_name: str = "Asia/Shanghai",
    lang: str | None = None,
) -> bytes:
    """The one .xlsx exporter: a title row (when given), a bold frozen header, one row per
    item. Rows are mappings keyed by `Column.key` or sequences in column order. Words
    (headers, cells) are put into `lang` (default: the documents' language)."""
    zone = local_zone(zone_name)
    title = in_words(title, lang)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_sheet_title(sheet_name or title or "Sheet1"))
    headers = [c.title(lang) for c in columns]
    widths = [display_width(h) for h in headers]
    body: list[list[Any]] = []
    for row in rows:
        if isinstance(row, Mapping):
            values = [row.get(c.key) for c in columns]
        else:
            values = list(row)
        out = []
        for i, (col, raw) in enumerate(zip(columns, values, strict=False)):
            value = _excel_value(raw, col.kind, zone, lang)
            w = display_width(
                str(raw) if col.kind == "quantity" and raw is not None else _shown(value, col.kind)
            )
            if w > widths[i]:
                widths[i] = w
            out.append(
                (value, quantity_format(raw) if col.kind == "quantity" else FORMATS.get(col.kind))
            )
        body.append(out)
    for i, col in enumerate(columns):
        width = col.width if col.width is not None else min(max(widths[i], 4) + 2, 60)
        ws.column_dimensions[_letter(i)].width = width
    header_row = 2 if title else 1
    ws.freeze_panes = f"A{header_row + 1}"
    if title:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = Font(bold=True, size=14)
        ws.append([cell])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    head = []
    for header in headers:
        cell = WriteOnlyCell(ws, value=header)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center")
        head.append(cell)
    ws.append(head)
    for values in body:
        cells = []
        for value, fmt in values:
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, str) and value.startswith(_FORMULA_START):
                cell.data_type = "s"  # text, never a formula
            elif fmt and value is not None and not isinstance(value, str):
                cell.number_format = fmt
            cells.append(cell)
        ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _sheet_title(name: str) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", name).strip() or "Sheet1"
    return name[:31]


# ---------------------------------------------------------------- reading files


class FileError(ClerkMessage, ValueError):
    """The file as a whole cannot be read (not an .xlsx, no header row found): a catalogue
    word with its parameters (ClerkMessage: `str()` Chinese, `text(lang)`, `english`)."""

    def __init__(self, what: Word | str, /, *, en: str = "", **params):
        super().__init__(self._words(what, en, params))


def norm_header(text: Any) -> str:
    """A header as compared: NFKC, remarks in brackets (ASCII or full-width) and spaces,
    underscores, dashes, stars and colons dropped, lower case: 'Stall Code (required)' →
    'stallcode'."""
    s = unicodedata.normalize("NFKC", str(text or ""))
    # remarks in brackets (ASCII, or the full-width and lenticular ones of Chinese text):
    # (required), (m²)
    s = re.sub(r"[(（\[【].*?[)）\]】]", "", s)
    s = re.sub(r"[\s_\-*:：]+", "", s)
    return s.lower()


@dataclass(frozen=True, slots=True)
class SheetRows:
    sheet: str
    header_row: int  # spreadsheet row number of the header
    columns: dict[str, int]  # field key → column index (0-based)
    column_names: dict[str, str]  # field key → the header as written in the file
    rows: list[tuple[int, tuple[Any, ...]]]  # (spreadsheet row number, values), blank rows dropped


def read_table(
    data: bytes, aliases: Mapping[str, Sequence[str]], *, scan_rows: int = 30
) -> SheetRows:
    """Find the sheet and header row that name most of the known fields (`aliases`: key →
    accepted header names) and return its data rows. Title rows above the header (merged
    or not), blank rows and columns the program does not know are skipped."""
    _check_format(data)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        raise FileError(FILE_CANNOT_READ_NOT_SOUND) from exc
    lookup = {norm_header(a): key for key, names in aliases.items() for a in (key, *names)}
    best: tuple[int, Any, int, dict[str, int], dict[str, str]] | None = None
    try:
        for ws in wb.worksheets:
            for row_no, values in enumerate(
                ws.iter_rows(max_row=scan_rows, values_only=True), start=1
            ):
                found: dict[str, int] = {}
                names: dict[str, str] = {}
                for i, v in enumerate(values):
                    key = lookup.get(norm_header(v)) if v is not None else None
                    if key and key not in found:
                        found[key], names[key] = i, str(v).strip()
                if len(found) >= 2 and (best is None or len(found) > best[0]):
                    best = (len(found), ws, row_no, found, names)
        if best is None:
            raise FileError(NO_HEADER_ROW_FOUND_IN)
        _, ws, header_row, found, names = best
        formulas = _formula_cells(data, ws.title, header_row) if _has_formulas(data) else {}
        rows = []
        for row_no, values in enumerate(
            ws.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1
        ):
            if (
                row_no in formulas
            ):  # a formula saved without its result: say so, never read it as empty
                values = tuple(
                    NO_RESULT if v is None and i in formulas[row_no] else v
                    for i, v in enumerate(values)
                )
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            rows.append((row_no, tuple(values)))
        return SheetRows(ws.title, header_row, found, names, rows)
    finally:
        wb.close()


class _NoResult:
    """A formula cell whose file holds no computed value (made by a program and never opened
    and saved in Excel / WPS): reading it as empty would silently lose the cell."""

    def __repr__(self) -> str:
        return "NO_RESULT"


NO_RESULT = _NoResult()


def _has_formulas(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return any(
                re.search(rb"<(?:\w+:)?f[ >/]", z.read(n))
                for n in z.namelist()
                if n.startswith("xl/worksheets/") and n.endswith(".xml")
            )
    except (zipfile.BadZipFile, KeyError, OSError):
        return False


def _formula_cells(data: bytes, sheet: str, header_row: int) -> dict[int, set[int]]:
    """Row number → column indexes of the cells below the header that hold a formula."""
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        out: dict[int, set[int]] = {}
        for row_no, values in enumerate(
            wb[sheet].iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1
        ):
            cols = {i for i, v in enumerate(values) if isinstance(v, str) and v.startswith("=")}
            if cols:
                out[row_no] = cols
        return out
    finally:
        wb.close()


_OLE2 = (
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .xls (and of password-protected .xlsx)
)


def _check_format(data: bytes) -> None:
    """Name the format of a file that is no .xlsx and say how to make one; never a Python error."""
    if data.startswith(_OLE2):
        raise FileError(OLD_EXCEL_XLS_FILE_OR, save_as=SAVE_AS_XLSX)
    if data.startswith(b"PK"):
        return
    head = data[:4096]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        if ("," in text or "\t" in text or "\n" in text) and "\x00" not in text:
            raise FileError(CSV_TEXT_FILE_NOT_XLSX, save_as=SAVE_AS_XLSX)


class ProblemAndFix:
    """What is wrong (`said_problem`) and what to do (`said_fix`) in a file a person gave:
    `problem` / `fix` are the Chinese, `problem_en` / `fix_en` the English."""

    __slots__ = ()
    said_problem: Said
    said_fix: Said

    @property
    def problem(self) -> str:
        return self.said_problem.say(CHINESE)

    @property
    def fix(self) -> str:
        return self.said_fix.say(CHINESE)

    @property
    def problem_en(self) -> str:
        return self.said_problem.say(ENGLISH)

    @property
    def fix_en(self) -> str:
        return self.said_fix.say(ENGLISH)


class CellError(ProblemAndFix, ValueError):
    """A cell that cannot be read: what is wrong (`said_problem`) and what to do
    (`said_fix`), two catalogue words with the parameters they share, put into words
    where shown; `problem` / `fix` are the Chinese, `problem_en` / `fix_en` the English."""

    def __init__(self, problem: Word, fix: Word, /, **params):
        self.said_problem, self.said_fix = problem(**params), fix(**params)
        super().__init__(self.problem)


def cell_text(value: Any) -> str:
    """Text as meant: NFKC (full-width letters, digits and spaces → half-width), trimmed,
    inner runs of spaces collapsed; a whole number stored as a number (12.0) → '12'.
    A formula cell without its result is a CellError (every cell reader comes here)."""
    if value is None:
        return ""
    if value is NO_RESULT:
        raise CellError(FORMULA_WITHOUT_RESULT, PASTE_FORMULA_VALUES)
    if isinstance(value, bool):  # a TRUE / FALSE cell reads as the words a clerk types
        return YES.say(CHINESE) if value else NO.say(CHINESE)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    s = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"\s+", " ", s).strip()


def cell_code(value: Any) -> str:
    """A code (stall code, meter address): text without any spaces. A number cell keeps its digits
    as
    written by the spreadsheet: '0012' typed into a number cell arrives as 12 and becomes
    '12' (the leading zeros are gone before we see the file; the template's code columns
    are text cells so they are kept there)."""
    return cell_text(value).replace(" ", "")


_PHONE = re.compile(r"^\+?[0-9][0-9-]{4,19}$")


def cell_phone(value: Any) -> str:
    """13800138000.0 → '13800138000'; '138 0013 8000' → '13800138000'; '' stays ''."""
    s = cell_text(value).replace(" ", "")
    if s and not _PHONE.match(s):
        raise CellError(NOT_A_PHONE, TYPE_A_PHONE, value=s)
    return s


def cell_decimal(
    value: Any, *, places: int = 3, minimum: Decimal | None = Decimal(0), unit_words=()
) -> Decimal | None:
    """A number as Decimal, from a number cell or text like '12.5', '12.5㎡', '1,200'."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(NOT_A_NUMBER, TYPE_A_NUMBER, value=value)
    if isinstance(value, float):
        d = Decimal(repr(value))
    elif isinstance(value, (int, Decimal)):
        d = Decimal(value)
    else:
        s = cell_text(value)
        for w in unit_words:
            if s.lower().endswith(w):
                s = s[: -len(w)].strip()
        try:  # the amount rule: '1,000.5' is a number, '1,00', '1e3' and '1_000' are not
            d = read_number(s)
        except AmountError as exc:
            raise CellError(COMMA_MISPLACED, COMMA_THOUSANDS, value=cell_text(value)) from exc
    if d is None or not d.is_finite():
        raise CellError(NOT_A_NUMBER, TYPE_A_NUMBER, value=cell_text(value))
    q = Decimal(1).scaleb(-places)
    if d != d.quantize(q):
        raise CellError(TOO_MANY_DECIMALS, AT_MOST_DECIMALS, value=cell_text(value), places=places)
    if minimum is not None and d < minimum:
        raise CellError(
            LESS_THAN_MINIMUM, AT_LEAST_MINIMUM, value=cell_text(value), minimum=minimum
        )
    return d.quantize(q)


# The notations a cell may use (a file format, not words a person reads): '8:30', or 8 30
# with the Chinese hour and minute marks (and a second mark); dates 2026-01-01, or with the
# Chinese year, month and day marks.
_TIME = re.compile(
    r"^(\d{1,2})(?::|点|时)(\d{1,2})?(?:(?::|分)(\d{1,2})?)?(?:秒)?\s*(am|pm)?$", re.I
)


_DATETIME = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(.+))?$")


def cell_time(value: Any) -> time | None:
    """Excel time fraction (0.3333 → 08:00), a time or datetime cell, or text '8:00',
    '08:00:00', '8:00 PM' or the Chinese notation (hour, minute, second marks); text that is a
    number ('8') or a date and time
    ('2026-01-01 08:00') reads like the number or date cell. Seconds are kept."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.time().replace(microsecond=0)
    if isinstance(value, time):
        return value.replace(microsecond=0)
    if isinstance(value, timedelta):
        value = value.total_seconds() / 86400
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        frac = float(value)
        if 0 <= frac < 1:
            secs = round(frac * 86400)
            return time(secs // 3600 % 24, secs // 60 % 60, secs % 60)
        if frac == int(frac) and 0 <= frac <= 23:  # '8' meaning 8 o'clock
            return time(int(frac), 0)
        raise CellError(NOT_A_TIME, TYPE_A_TIME, value=value)
    text = cell_text(value)
    if re.fullmatch(
        r"\d{1,2}(?:\.\d+)?", text
    ):  # '8' and '0.5' typed as text read like the numbers
        return cell_time(Decimal(text))
    if dt := _DATETIME.match(text):  # '2026-01-01 08:00' typed as text reads like the date cell
        try:
            date(int(dt[1]), int(dt[2]), int(dt[3]))
        except ValueError:
            raise CellError(NOT_A_DATE_TIME, TYPE_TIME_OR_DATE, value=text) from None
        return cell_time(dt[4]) if dt[4] else time(0, 0)
    s = text.replace(" ", "").lower()
    m = _TIME.match(s)
    if not m:
        raise CellError(NOT_A_TIME, TYPE_A_TIME, value=cell_text(value))
    h, mi, sec, ampm = int(m[1]), int(m[2] or 0), int(m[3] or 0), (m[4] or "").lower()
    if ampm == "pm" and h < 12:
        h += 12
    if ampm == "am" and h == 12:
        h = 0
    if h > 23 or mi > 59 or sec > 59:
        raise CellError(NOT_A_VALID_TIME, HOURS_AND_MINUTES, value=cell_text(value))
    return time(h, mi, sec)
