"""Bulk import of buildings, stalls, customers and meters from Excel (批量导入).

How a file is read (decisions a clerk can rely on):
- The header row is found under any title rows; header names may differ in spacing,
  order, full-width characters or be the English names. Blank rows are skipped.
- Text is NFKC-normalised (full-width letters/digits/spaces → half-width) and trimmed.
- A code typed into a NUMBER cell arrives as a number: `0012` becomes 12 — the zeros are
  lost before the program sees the file. Such a number names the stored stall whose code is
  those digits with leading zeros (the result notes the row); when two stored codes fit
  (0012 and 012) the row is refused. With no stored code, a new stall is "12". The
  template's code columns are TEXT cells, which keep `0012`.
- Stall codes compare case-insensitively: `a-001` in a file is the stored `A-001`.
- Phones stored as numbers (13800138000.0) become "13800138000".
- Times: Excel time fractions, time cells, "8:00", "08:00:00", "8点", datetimes (time part).
- An existing code updates that record (re-importing a file never duplicates; a row equal
  to the database counts as unchanged). An EMPTY cell never erases what is stored: to
  clear a field, edit it in the program.
- A stall's tenant / owner is found by name + phone among the customers, or created.
- A meter's protocol defaults to Modbus (Acrel) or, on a CTWing (NB) channel, CTWing.
- A meter's tariff (电价/水价) is named in its row, of the meter's kind; left empty, a new
  meter takes the market's only tariff of its kind (several or none: the row is refused,
  a meter is never created unpriced) and a stored meter keeps its own.

Every row is validated before anything is written. The default writes the valid rows;
`all_or_nothing` writes nothing if any row is bad; `dry_run` never writes.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.comm.types import MeterKind, Protocol
from app.models.account import Account
from app.models.meter import Channel, Meter
from app.models.base import utcnow
from app.models.site import Building, Customer, SettlementCycle, Stall, StallRole, StallRoleKind, StallStatus
from app.models.tariff import Tariff
from app.services.platform.audit import audit
from app.services.platform.context import Actor, ServiceError, require
from app.services.office.excel_io import (
    CellError,
    FileError,
    cell_code,
    cell_decimal,
    cell_phone,
    cell_text,
    cell_time,
    read_table,
)
from app.services.market.meters import KIND_TEXT_EN, TARIFF_TEXT, default_protocol, tariff_kind_mismatch
from app.services.market.stall_codes import CodeIndex, CodeMatch, code_key
from app.comm.labels import METER_NAME
from app.words import CHINESE, QT_TRANSLATE_NOOP, Word

UNKNOWN_IMPORT_TYPE_CHOOSE_ONE = Word("imports.unknown_import_type_choose_one", QT_TRANSLATE_NOOP("Errors", "Unknown import type “{kind}”. Choose one of: {p3}"))

KINDS = ("buildings", "stalls", "customers", "meters")
KIND_NAMES = {
    "buildings": Word("imports.kind.buildings", QT_TRANSLATE_NOOP("Labels", "Buildings")),
    "stalls": Word("imports.kind.stalls", QT_TRANSLATE_NOOP("Labels", "Stalls")),
    "customers": Word("imports.kind.customers", QT_TRANSLATE_NOOP("Labels", "Customers")),
    "meters": Word("imports.kind.meters", QT_TRANSLATE_NOOP("Labels", "Meters")),
}


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    header: str  # the Chinese header of the template
    aliases: tuple[str, ...]  # other accepted names (English, older templates)
    required: bool
    help: str
    example: Any
    is_text: bool = True  # the template formats the column as text


SPECS: dict[str, tuple[Field, ...]] = {
    "buildings": (
        Field("name", "楼栋", ("楼栋名称", "building", "name", "区域"), True, "楼栋或区域名称，不能重复", "A区"),
        Field("reading_time", "抄表时间", ("reading time", "readingtime"), False, "每天抄表的时间，如 0:00", "0:00"),
        Field("settlement_time", "结算时间", ("settlement time", "settlementtime"), False, "结算的时间，如 1:00", "1:00"),
        Field("cycle", "结算周期", ("cycle", "settlement cycle"), False, "小时、日 或 月（默认：日）", "日"),
    ),
    "stalls": (
        Field("code", "档位编号", ("编号", "档位号", "code", "stall code"), True, "唯一编号；已有编号的行会更新该档位", "A-0012"),
        Field("name", "档位名称", ("名称", "name", "stall name"), False, "档位名称或店名", "张记蔬菜"),
        Field("building", "楼栋", ("楼栋名称", "building", "区域"), True, "必须是系统里已有的楼栋（可先导入楼栋）", "A区"),
        Field("area", "面积", ("面积㎡", "area", "area m2"), False, "平方米，可带小数", 12.5, False),
        Field("tenant", "租户", ("租户姓名", "tenant"), False, "租户姓名", "张三"),
        Field("tenant_phone", "租户电话", ("租户手机", "tenant phone"), False, "租户手机号", "13800138000"),
        Field("owner", "业主", ("业主姓名", "owner"), False, "业主姓名", "李四"),
        Field("owner_phone", "业主电话", ("业主手机", "owner phone"), False, "业主手机号", "13900139000"),
        Field("note", "备注", ("note", "remark"), False, "任意说明", ""),
    ),
    "customers": (
        Field("name", "姓名", ("客户名称", "客户", "name"), True, "客户姓名或单位名称", "张三"),
        Field("phone", "电话", ("手机", "联系电话", "phone"), False, "手机号；姓名+电话相同视为同一客户", "13800138000"),
        Field("note", "备注", ("note", "remark"), False, "任意说明", ""),
        Field("stall", "档位编号", ("档位", "stall code", "stall"), False, "可选：把该客户关联到此档位", "A-0012"),
        Field("role", "身份", ("角色", "role"), False, "租户 或 业主（填了档位编号时默认租户）", "租户"),
    ),
    "meters": (
        Field("address", "表号", ("表地址", "通讯地址", "address", "meter address"), True, "仪表通讯地址（表号）", "000012345678"),
        Field("kind", "类型", ("仪表类型", "kind", "type"), True, "电表 或 水表", "电表"),
        Field("model", "型号", ("model",), False, "仪表型号，如 DDSY1352", "DDSY1352"),
        Field("stall", "档位编号", ("档位", "stall code", "stall"), False, "绑定的档位；空：不绑定（如总表）", "A-0012"),
        Field("channel", "通道", ("通道名称", "channel"), False,
              "系统里已有的通道名称；表号在各条线上可以重复，通道 + 表号才是一块表", "1号485"),
        Field("ct_ratio", "倍率", ("ct", "ct ratio", "ctratio"), False, "互感器倍率，正整数，默认 1", 1, False),
        Field("protocol", "协议", ("protocol",), False, "modbus、645-2007、645-1997 或 ctwing；空：按通道", ""),
        Field("tariff", "电价/水价", ("电价水价", "电价", "水价", "电价名称", "水价名称", "tariff name", "tariff"), False,
              "“设置 → 电价水价”里的名称，电表填电价、水表填水价；空：新表用本市场唯一的那个电价 / 水价，"
              "已有的表不变", "商业电价"),
    ),
}


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One thing wrong in one row: `row` is the spreadsheet row number the clerk sees."""

    row: int
    column: str  # the header as written in the file ('' for the whole row)
    problem: str
    fix: str
    col_index: int | None = None  # 0-based column in the file, for marking the cell
    problem_en: str = ""  # the same two texts in English, for the English UI
    fix_en: str = ""

    def texts(self, lang: str) -> tuple[str, str]:
        """(what is wrong, what to do) in `lang` ("en" or "zh_CN")."""
        if lang == "en":
            return self.problem_en or self.problem, self.fix_en or self.fix
        return self.problem, self.fix


@dataclass(frozen=True, slots=True)
class ImportResult:
    kind: str
    sheet: str
    header_row: int
    total_rows: int
    created: int
    updated: int
    unchanged: int
    problems: tuple[RowProblem, ...]
    bad_rows: tuple[int, ...]
    written: bool
    dry_run: bool
    notes: tuple[RowProblem, ...] = ()  # rows read in a way the clerk should know (not errors)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self, lang: str = "zh_CN") -> str:
        if lang == "en":
            state = " (trial, nothing written)" if self.dry_run else ("" if self.written else " (errors, no row written)")
            return (
                f"Import of {self.kind}{state}: {self.total_rows} rows, {self.created} new, {self.updated} updated, "
                f"{self.unchanged} unchanged, {len(self.bad_rows)} with errors"
            )
        state = "（试导入，未写入）" if self.dry_run else ("" if self.written else "（有错误，未写入任何行）")
        return (
            f"{KIND_NAMES[self.kind].say(CHINESE)}导入{state}：共 {self.total_rows} 行，新增 {self.created}，"
            f"更新 {self.updated}，未变 {self.unchanged}，错误 {len(self.bad_rows)} 行"
        )


# ------------------------------------------------------------------ template


def write_template(kind: str) -> bytes:
    """The import template of `kind`: Chinese headers, one example row, and a second
    sheet explaining each column. Code and phone columns are text cells."""
    fields = _spec(kind)
    wb = Workbook()
    ws = wb.active
    ws.title = KIND_NAMES[kind].say()
    bold = Font(bold=True)
    for i, f in enumerate(fields, start=1):
        head = ws.cell(1, i, f.header)
        head.font = bold
        if f.required:
            head.fill = PatternFill("solid", fgColor="FFF2CC")
        example = ws.cell(2, i, f.example)
        letter = head.column_letter
        ws.column_dimensions[letter].width = max(12, len(f.header) * 2 + 4)
        if f.is_text:
            example.number_format = "@"
            for r in range(2, 2001):  # text format down the column keeps '0012' as typed
                ws.cell(r, i).number_format = "@"
    ws.freeze_panes = "A2"
    help_ws = wb.create_sheet("填写说明")
    help_ws.append(["列名", "必填", "说明", "示例", "英文列名"])
    for c in help_ws[1]:
        c.font = bold
    for f in fields:
        help_ws.append([f.header, "是" if f.required else "否", f.help, str(f.example), f.aliases[-1]])
    help_ws.append([])
    help_ws.append(["说明", "", "第一行是表头，可以在表头上方加标题行；空行会跳过。已有编号的行会更新，空单元格不会清除已有内容。"])
    for letter, width in zip("ABCDE", (12, 6, 50, 16, 14)):
        help_ws.column_dimensions[letter].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _spec(kind: str) -> tuple[Field, ...]:
    if kind not in SPECS:
        raise ServiceError(UNKNOWN_IMPORT_TYPE_CHOOSE_ONE, code='bad_kind', kind=kind, p2='、'.join(KINDS), p3=', '.join(KINDS))
    return SPECS[kind]


# ------------------------------------------------------------------ import


class _Rows:
    """Parsed rows of one file, with the problems found so far."""

    def __init__(self, sheet, fields: Sequence[Field]):
        self.sheet = sheet
        self.fields = {f.key: f for f in fields}
        self.problems: list[RowProblem] = []
        self.notes: list[RowProblem] = []
        self.bad: set[int] = set()

    def add(self, row: int, key: str, problem: str, fix: str, problem_en: str = "", fix_en: str = "") -> None:
        col = self.sheet.columns.get(key)
        name = self.sheet.column_names.get(key) or self.fields[key].header if key else ""
        self.problems.append(RowProblem(row, name, problem, fix, col, problem_en, fix_en))
        self.bad.add(row)

    def note(self, row: int, key: str, what: str, fix: str, what_en: str, fix_en: str) -> None:
        col = self.sheet.columns.get(key)
        name = self.sheet.column_names.get(key) or self.fields[key].header
        self.notes.append(RowProblem(row, name, what, fix, col, what_en, fix_en))

    def stall(self, row: int, values: tuple, key: str, code: str, index: CodeIndex) -> CodeMatch[Stall]:
        """The stored stall the cell names; an ambiguous number is a problem of the row and a
        number that lost its leading zeros a note."""
        match = index.find(self.get(values, key), code)
        if match.case_only:
            codes = "、".join(match.ambiguous)
            self.add(row, key, f"已有档位 {codes}，只差字母大小写，无法确定“{code}”是哪一个",
                     "先在“档位”里把其中一个改成别的编号，再导入",
                     f"Stalls {', '.join(match.ambiguous)} differ only in upper and lower case: it is not clear "
                     f"which “{code}” is", "Change one of them to another code under Stalls, then import again")
        elif match.ambiguous:
            codes = "、".join(match.ambiguous)
            self.add(row, key, f"档位编号是数字 {code}，可能是 {codes} 中的任何一个（表格软件去掉了前导零）",
                     "把这一列设为文本格式，写出完整的档位编号（如 0012）后再导入",
                     f"The stall code is the number {code}: it could be any of {', '.join(match.ambiguous)} "
                     "(the spreadsheet dropped the leading zeros)",
                     "Format this column as text, type the full stall code (such as 0012) and import again")
        elif match.via_zeros:
            self.note(row, key, f"数字 {code} 按档位 {match.via_zeros} 处理（表格软件去掉了前导零）",
                      "无需处理；以后可把这一列设为文本格式，保留前导零",
                      f"The number {code} was taken as stall {match.via_zeros} (the spreadsheet dropped the leading zeros)",
                      "Nothing to do; next time format this column as text to keep the zeros")
        return match

    def get(self, values: tuple, key: str) -> Any:
        i = self.sheet.columns.get(key)
        return values[i] if i is not None and i < len(values) else None

    def parse(self, row: int, values: tuple, key: str, fn: Callable[[Any], Any]) -> Any:
        try:
            return fn(self.get(values, key))
        except CellError as exc:
            self.add(row, key, exc.problem, exc.fix, exc.problem_en, exc.fix_en)
            return None


def import_excel(
    session: Session,
    actor: Actor,
    kind: str,
    data: bytes,
    *,
    dry_run: bool = False,
    all_or_nothing: bool = False,
    filename: str = "",
) -> ImportResult:
    """Import one sheet kind (buildings | stalls | customers | meters) from .xlsx bytes.

    Permission: admin only. Transaction: the caller's; every row is checked first, then
    the valid rows (or, with `all_or_nothing`, all rows or none) are written in it; a dry
    run writes nothing. Audit: one `import.<kind>` event with the counts and bad rows
    (none for a dry run).
    """
    require(actor, doing="批量导入档案", doing_en="import records in bulk")
    fields = _spec(kind)
    try:
        sheet = read_table(data, {f.key: f.aliases + (f.header,) for f in fields})
    except FileError as exc:
        raise ServiceError(str(exc), code="bad_file", en=exc.english) from None
    rows = _Rows(sheet, fields)
    missing = [f for f in fields if f.required and f.key not in sheet.columns]
    if missing:
        for f in missing:
            rows.problems.append(
                RowProblem(sheet.header_row, f.header, f"缺少“{f.header}”列", f"在第 {sheet.header_row} 行表头加上“{f.header}”列（可下载模板对照）",
                           problem_en=f"Column “{f.header}” is missing",
                           fix_en=f"Add a “{f.header}” (or “{f.aliases[-1]}”) column to the header in row {sheet.header_row}; compare with the template")
            )
        return _result(kind, sheet, rows, Counter(), written=False, dry_run=dry_run, extra_bad={sheet.header_row})
    importer = _IMPORTERS[kind](session, actor.site_id, rows)
    plans = importer.check(sheet.rows)
    counts = Counter(p[1] for p in plans if p[0] not in rows.bad)
    write = not dry_run and not (all_or_nothing and rows.bad)
    if write:
        importer.write([p for p in plans if p[0] not in rows.bad and p[1] != "unchanged"])
        session.flush()
    result = _result(kind, sheet, rows, counts, written=write, dry_run=dry_run)
    if not dry_run:
        audit(
            session, actor, f"import.{kind}", "import", None,
            file=filename, written=write, all_or_nothing=all_or_nothing, rows=result.total_rows,
            created=result.created if write else 0, updated=result.updated if write else 0,
            unchanged=result.unchanged, bad_rows=list(result.bad_rows[:200]),
        )
    return result


def _result(kind, sheet, rows: _Rows, counts: Counter, *, written, dry_run, extra_bad=()) -> ImportResult:
    problems = tuple(sorted(rows.problems, key=lambda p: (p.row, p.col_index if p.col_index is not None else -1)))
    return ImportResult(
        kind=kind, sheet=sheet.sheet, header_row=sheet.header_row, total_rows=len(sheet.rows),
        created=counts["create"], updated=counts["update"], unchanged=counts["unchanged"],
        problems=problems, bad_rows=tuple(sorted(rows.bad | set(extra_bad))), written=written, dry_run=dry_run,
        notes=tuple(sorted(rows.notes, key=lambda p: p.row)),
    )


_WHAT_EN = {"楼栋": "building", "档位编号": "stall code", "姓名+电话": "name and phone", "表号": "meter address"}


def _duplicates(rows: _Rows, key: str, items: list[tuple[int, Any]], what: str) -> None:
    first: dict[Any, int] = {}
    for row, ident in items:
        if ident in first:
            rows.add(row, key, f"{what}与第 {first[ident]} 行重复", "删除重复的行，或改成不同的编号",
                     f"Same {_WHAT_EN.get(what, what)} as row {first[ident]}", "Delete the repeated row, or give it a different code")
        else:
            first[ident] = row


_CYCLES = {
    "小时": SettlementCycle.HOURLY, "按小时": SettlementCycle.HOURLY, "时": SettlementCycle.HOURLY,
    "hourly": SettlementCycle.HOURLY, "hour": SettlementCycle.HOURLY,
    "日": SettlementCycle.DAILY, "天": SettlementCycle.DAILY, "按日": SettlementCycle.DAILY, "每天": SettlementCycle.DAILY,
    "daily": SettlementCycle.DAILY, "day": SettlementCycle.DAILY,
    "月": SettlementCycle.MONTHLY, "按月": SettlementCycle.MONTHLY, "每月": SettlementCycle.MONTHLY,
    "monthly": SettlementCycle.MONTHLY, "month": SettlementCycle.MONTHLY,
}
_METER_KINDS = {"电表": MeterKind.ELECTRIC, "电": MeterKind.ELECTRIC, "electric": MeterKind.ELECTRIC,
                "electricity": MeterKind.ELECTRIC, "水表": MeterKind.WATER, "水": MeterKind.WATER,
                "water": MeterKind.WATER}
_PROTOCOLS = {"modbus": Protocol.MODBUS_ACREL, "modbus_acrel": Protocol.MODBUS_ACREL, "安科瑞": Protocol.MODBUS_ACREL,
              "645": Protocol.DLT645_2007, "645-2007": Protocol.DLT645_2007, "dlt645": Protocol.DLT645_2007,
              "dlt645-2007": Protocol.DLT645_2007, "dlt645_2007": Protocol.DLT645_2007, "645-1997": Protocol.DLT645_1997,
              "dlt645-1997": Protocol.DLT645_1997, "dlt645_1997": Protocol.DLT645_1997, "ctwing": Protocol.CTWING_WATER,
              "nb": Protocol.CTWING_WATER, "ctwing_water": Protocol.CTWING_WATER}
_ROLES = {"租户": StallRoleKind.TENANT, "tenant": StallRoleKind.TENANT, "承租人": StallRoleKind.TENANT,
          "业主": StallRoleKind.OWNER, "owner": StallRoleKind.OWNER, "产权人": StallRoleKind.OWNER}


def _english_choices(table: dict) -> str:
    """The first English word the table accepts for each value: 'hourly, daily, monthly'."""
    words = {}
    for word, value in table.items():
        if word.isascii() and not word.isdigit():
            words.setdefault(value, word)
    return ", ".join(words.values())


def _choice(table: dict, what: str, allowed: str):
    def parse(value):
        s = cell_text(value).lower()
        if not s:
            return None
        if s not in table:
            raise CellError(f"{what}“{cell_text(value)}”不认识", f"填写 {allowed}",
                            problem_en=f"“{cell_text(value)}” is not a known value", fix_en=f"Use one of: {_english_choices(table)}")
        return table[s]

    return parse


def _required_text(fn, what):
    def parse(value):
        s = fn(value)
        if not s:
            raise CellError(f"{what}为空", f"填写{what}",
                            problem_en="The cell is empty", fix_en="Fill in this column; it is required")
        return s

    return parse


def _max_len(fn, n):
    def parse(value):
        s = fn(value)
        if s and len(s) > n:
            raise CellError(f"“{s[:20]}…”太长（{len(s)} 个字）", f"不超过 {n} 个字",
                            problem_en=f"“{s[:20]}…” is too long ({len(s)} characters)", fix_en=f"Use at most {n} characters")
        return s

    return parse


class _Importer:
    def __init__(self, session: Session, site_id: int, rows: _Rows):
        self.s, self.site_id, self.rows = session, site_id, rows

    def _load_people(self) -> None:
        """The site's customers by (name, phone) and stall roles by (stall, role)."""
        self.customers = {
            (c.name, c.phone): c for c in self.s.scalars(select(Customer).where(Customer.site_id == self.site_id))
        }
        self.roles = {
            (sr.stall_id, sr.role): sr
            for sr in self.s.scalars(select(StallRole).join(Stall).where(Stall.site_id == self.site_id))
        }

    def _stalls_by_code(self) -> CodeIndex[Stall]:
        return CodeIndex((st.code, st) for st in self.s.scalars(select(Stall).where(Stall.site_id == self.site_id)))


class _Buildings(_Importer):
    def check(self, data):
        r = self.rows
        existing = {b.name: b for b in self.s.scalars(select(Building).where(Building.site_id == self.site_id))}
        parsed = []
        for row, v in data:
            name = r.parse(row, v, "name", _max_len(_required_text(cell_text, "楼栋名称"), 50))
            item = {
                "reading_time": r.parse(row, v, "reading_time", cell_time),
                "settlement_time": r.parse(row, v, "settlement_time", cell_time),
                "settlement_cycle": r.parse(row, v, "cycle", _choice(_CYCLES, "结算周期", "小时、日 或 月")),
            }
            parsed.append((row, name, {k: x for k, x in item.items() if x is not None}))
        _duplicates(r, "name", [(row, n) for row, n, _ in parsed if n], "楼栋")
        plans = []
        for row, name, item in parsed:
            b = existing.get(name)
            if b is None:
                plans.append((row, "create", name, item))
            else:
                changed = {k: x for k, x in item.items() if getattr(b, k) != x}
                plans.append((row, "update" if changed else "unchanged", b, changed))
        return plans

    def write(self, plans):
        for _row, action, target, item in plans:
            if action == "create":
                self.s.add(Building(site_id=self.site_id, name=target, **item))
            else:
                for k, x in item.items():
                    setattr(target, k, x)


class _Stalls(_Importer):
    def check(self, data):
        r = self.rows
        buildings = {b.name: b for b in self.s.scalars(select(Building).where(Building.site_id == self.site_id))}
        self.stalls = self._stalls_by_code()
        self._load_people()
        parsed = []
        for row, v in data:
            code = r.parse(row, v, "code", _max_len(_required_text(cell_code, "档位编号"), 30))
            bname = r.parse(row, v, "building", _required_text(cell_text, "楼栋"))
            item: dict[str, Any] = {
                "name": r.parse(row, v, "name", _max_len(cell_text, 100)),
                "area_m2": r.parse(row, v, "area", lambda x: cell_decimal(x, unit_words=("平方米", "平米", "m2", "m²"))),
                "note": r.parse(row, v, "note", cell_text),
            }
            people = {}
            for role, nk, pk in ((StallRoleKind.TENANT, "tenant", "tenant_phone"), (StallRoleKind.OWNER, "owner", "owner_phone")):
                pname = r.parse(row, v, nk, _max_len(cell_text, 100))
                phone = r.parse(row, v, pk, cell_phone)
                if phone and not pname:
                    r.add(row, nk, "填了电话但没填姓名", f"补上{r.fields[nk].header}姓名，或删掉电话",
                          "Phone given without a name", f"Add the name in “{r.fields[nk].header}”, or delete the phone")
                elif pname:
                    people[role] = (pname, phone or "")
            if bname and bname not in buildings:
                r.add(row, "building", f"楼栋“{bname}”不存在", "先导入楼栋，或改成系统里已有的楼栋名称",
                      f"Building “{bname}” does not exist", "Import the building first, or use the name of a building in the program")
            item["building_id"] = buildings[bname].id if bname in buildings else None
            stall = r.stall(row, v, "code", code, self.stalls).item if code else None
            parsed.append((row, code, stall, {k: x for k, x in item.items() if x not in (None, "")}, people))
        # One stall per row: '0012' and the number 12, or 'a-001' and 'A-001', are the same stall.
        _duplicates(r, "code", [(row, st.id if st else code_key(c)) for row, c, st, _, _ in parsed if c], "档位编号")
        plans = []
        for row, code, stall, item, people in parsed:
            if stall is None:
                plans.append((row, "create", code, item, people))
                continue
            changed = {k: x for k, x in item.items() if getattr(stall, k) != x}
            role_changes = {}
            for role, person in people.items():
                current = self.roles.get((stall.id, role))
                cust = current.customer if current else None
                if cust is None or (cust.name, cust.phone) != person:
                    role_changes[role] = person
            plans.append((row, "update" if changed or role_changes else "unchanged", stall, changed, role_changes))
        return plans

    def write(self, plans):
        # New stalls, their accounts, tenants, owners and roles go in as bulk INSERTs (a
        # 10,000-stall market is one file): ORM objects only for the rows that change.
        new = [dict(site_id=self.site_id, code=target, **item) for _r, action, target, item, _p in plans if action == "create"]
        ids: dict[str, int] = {}
        if new:
            for row in new:
                row.setdefault("name", "")
                row.setdefault("area_m2", Decimal("0"))
                row.setdefault("note", "")
                row.setdefault("status", StallStatus.ACTIVE)
                row.setdefault("created_at", utcnow())
            ids = dict(self.s.execute(insert(Stall).returning(Stall.code, Stall.id, sort_by_parameter_order=True), new).all())
            self.s.execute(insert(Account), [{"stall_id": i} for i in ids.values()])
        for _row, action, target, item, _people in plans:
            if action != "create":
                for k, x in item.items():
                    setattr(target, k, x)
        wanted = {person for *_, people in plans for person in people.values()}
        missing = [p for p in wanted if p not in self.customers]
        if missing:
            made = self.s.execute(
                insert(Customer).returning(Customer.id, sort_by_parameter_order=True),
                [{"site_id": self.site_id, "name": n, "phone": ph, "note": ""} for n, ph in missing],
            ).scalars().all()
            self.customer_ids = dict(zip(missing, made))
        else:
            self.customer_ids = {}
        new_roles = []
        for _row, action, target, _item, people in plans:
            for role, person in people.items():
                cid = self.customer_ids.get(person) or self.customers[person].id
                if action == "create":
                    new_roles.append({"stall_id": ids[target], "customer_id": cid, "role": role})
                    continue
                current = self.roles.get((target.id, role))
                if current is None:
                    new_roles.append({"stall_id": target.id, "customer_id": cid, "role": role})
                else:
                    current.customer_id = cid
        if new_roles:
            self.s.execute(insert(StallRole), new_roles)


class _Customers(_Importer):
    def check(self, data):
        r = self.rows
        stalls = self._stalls_by_code()
        self._load_people()
        parsed = []
        for row, v in data:
            name = r.parse(row, v, "name", _max_len(_required_text(cell_text, "姓名"), 100))
            phone = r.parse(row, v, "phone", cell_phone) or ""
            note = r.parse(row, v, "note", cell_text)
            code = r.parse(row, v, "stall", cell_code)
            role = r.parse(row, v, "role", _choice(_ROLES, "身份", "租户 或 业主"))
            stall = None
            if code:
                match = r.stall(row, v, "stall", code, stalls)
                stall = match.item
                if stall is None and not match.ambiguous:
                    r.add(row, "stall", f"档位编号“{code}”不存在", "先导入档位，或改成系统里已有的档位编号",
                          f"Stall code “{code}” does not exist", "Import the stall first, or use a stall code in the program")
            elif role:
                r.add(row, "stall", "填了身份但没填档位编号", "补上档位编号，或删掉身份",
                      "Role given without a stall code", "Add the stall code, or delete the role")
            parsed.append((row, (name, phone), note, stall, role or StallRoleKind.TENANT))
        _duplicates(r, "name", [(row, ident) for row, ident, *_ in parsed if ident[0]], "姓名+电话")
        plans = []
        for row, ident, note, stall, role in parsed:
            cust = self.customers.get(ident)
            link = None
            if stall is not None:
                current = self.roles.get((stall.id, role))
                if current is None or cust is None or current.customer_id != cust.id:
                    link = (stall, role)
            if cust is None:
                plans.append((row, "create", ident, note, link))
            else:
                note_change = note if note and note != cust.note else None
                plans.append((row, "update" if note_change or link else "unchanged", cust, note_change, link))
        return plans

    def write(self, plans):
        for _row, action, target, note, link in plans:
            if action == "create":
                cust = Customer(site_id=self.site_id, name=target[0], phone=target[1], note=note or "")
                self.s.add(cust)
            else:
                cust = target
                if note:
                    cust.note = note
            if link:
                stall, role = link
                current = self.roles.get((stall.id, role))
                if current is None:
                    current = StallRole(stall_id=stall.id, role=role, customer=cust)
                    self.s.add(current)
                    self.roles[(stall.id, role)] = current
                else:
                    current.customer = cust


class _Meters(_Importer):
    """A meter is its address on its line: the 通道 column is part of its identity. A row
    without a channel names the one meter with that address; when several lines have a
    meter with that address the row is refused until the channel is filled in."""

    def check(self, data):
        r = self.rows
        stalls = self._stalls_by_code()
        self.stall_codes = {st.id: st.code for st in stalls.items()}
        channels = {c.name: c for c in self.s.scalars(select(Channel).where(Channel.site_id == self.site_id))}
        channel_names = {c.id: c.name for c in channels.values()}
        tariffs = {t.name: t for t in self.s.scalars(select(Tariff).where(Tariff.site_id == self.site_id))}
        by_address: dict[str, list[Meter]] = {}
        for m in self.s.scalars(select(Meter).where(Meter.site_id == self.site_id, Meter.is_active).order_by(Meter.id)):
            by_address.setdefault(m.address, []).append(m)
        parsed = []
        for row, v in data:
            address = r.parse(row, v, "address", _max_len(_required_text(cell_code, "表号"), 40))
            kind = r.parse(row, v, "kind", _required_text(_choice(_METER_KINDS, "类型", "电表 或 水表"), "类型"))
            item: dict[str, Any] = {"model": r.parse(row, v, "model", _max_len(cell_text, 40))}
            code = r.parse(row, v, "stall", cell_code)
            if code:
                match = r.stall(row, v, "stall", code, stalls)
                if match.item is not None:
                    item["stall_id"] = match.item.id
                elif not match.ambiguous:
                    r.add(row, "stall", f"档位编号“{code}”不存在", "先导入档位，或改成系统里已有的档位编号",
                          f"Stall code “{code}” does not exist", "Import the stall first, or use a stall code in the program")
            cname = r.parse(row, v, "channel", cell_text)
            channel = None
            if cname:
                channel = channels.get(cname)
                if channel is None:
                    r.add(row, "channel", f"通道“{cname}”不存在", "先在“通道设置”里添加该通道，或改成已有的通道名称",
                          f"Channel “{cname}” does not exist", "Add the channel under channel settings first, or use the name of an existing channel")
                else:
                    item["channel_id"] = channel.id
            ct = r.parse(row, v, "ct_ratio", lambda x: cell_decimal(x, places=0, minimum=Decimal(1)))
            if ct is not None:
                item["ct_ratio"] = int(ct)
            protocol = r.parse(row, v, "protocol", _choice(_PROTOCOLS, "协议", "modbus、645-2007、645-1997 或 ctwing"))
            if protocol:
                item["protocol"] = protocol
            meter = None
            if address and not (cname and channel is None):
                meter = self._find(row, address, channel, by_address.get(address, []), channel_names)
            if meter is not None and kind and meter.kind != kind:
                r.add(row, "kind", f"表号“{address}”在系统里是{METER_NAME[meter.kind].say(CHINESE)}，本行写的是{METER_NAME[kind].say(CHINESE)}",
                      "核对类型或表号",
                      f"Meter “{address}” is a {meter.kind.value} meter in the system, but this row says {kind.value}",
                      "Check the kind or the meter number")
            if meter is not None and meter.stall_id and item.get("stall_id") and meter.stall_id != item["stall_id"]:
                r.add(
                    row, "address",
                    f"表号“{address}”已绑定到档位“{self.stall_codes.get(meter.stall_id, meter.stall_id)}”",
                    "如需换绑，请先在档位中解绑该表，或核对表号",
                    f"Meter “{address}” is already bound to stall “{self.stall_codes.get(meter.stall_id, meter.stall_id)}”", "To rebind it, unbind the meter from that stall first, or check the meter address",
                )
            if "protocol" not in item and meter is None:
                item["protocol"] = default_protocol(channel.kind if channel is not None else None)
            if kind:
                tariff = self._tariff(row, r.parse(row, v, "tariff", _max_len(cell_text, 60)), kind, meter, tariffs)
                if tariff is not None:
                    item["tariff_id"] = tariff.id
            ident = ("meter", meter.id) if meter is not None else (item.get("channel_id"), address)
            parsed.append((row, ident, kind, meter, {k: x for k, x in item.items() if x not in (None, "")}))
        _duplicates(r, "address", [(row, ident) for row, ident, kind, *_ in parsed if kind and ident[1]],
                    "通道 + 表号")
        plans = []
        for row, ident, kind, meter, item in parsed:
            if meter is None:
                plans.append((row, "create", (kind, ident[1]), item))
            else:
                changed = {k: x for k, x in item.items() if getattr(meter, k) != x}
                plans.append((row, "update" if changed else "unchanged", meter, changed))
        return plans

    def _tariff(self, row: int, name: str | None, kind: MeterKind, meter: Meter | None,
                tariffs: dict[str, Tariff]) -> Tariff | None:
        """The tariff a row gives its meter: the one it names, or for a new meter the
        market's only one of its kind; None when the row is refused or the stored meter
        keeps its own."""
        what, what_en = TARIFF_TEXT[kind], KIND_TEXT_EN[kind]
        if name:
            tariff = tariffs.get(name)
            if tariff is None:
                self.rows.add(row, "tariff", f"{what}“{name}”不存在",
                              f"填写“设置 → 电价水价”里已有的{what}名称，或先在那里添加",
                              f"Tariff “{name}” does not exist",
                              f"Write the name of a {what_en} tariff listed under Settings → Tariffs, or add it there first")
                return None
            wrong = tariff_kind_mismatch(tariff, kind)
            if wrong is not None:
                self.rows.add(row, "tariff", wrong[0], f"填写一个{what}的名称，或核对类型",
                              wrong[1], f"Write the name of a {what_en} tariff, or check the kind")
                return None
            return tariff
        if meter is not None:
            return None
        of_kind = [t for t in tariffs.values() if MeterKind(t.kind) is kind]
        if len(of_kind) == 1:
            return of_kind[0]
        if of_kind:
            self.rows.add(row, "tariff", f"本市场有 {len(of_kind)} 个{what}，不知道这块表用哪一个",
                          f"在“{self.rows.fields['tariff'].header}”列填写要用的{what}名称",
                          f"This market has {len(of_kind)} {what_en} tariffs, so it is not clear which one this meter uses",
                          f"Write the name of the {what_en} tariff to use in the “电价/水价” (tariff) column")
        else:
            self.rows.add(row, "tariff", f"本市场还没有{what}，新表不能没有{what}",
                          f"先在“设置 → 电价水价”里添加{what}，再导入",
                          f"This market has no {what_en} tariff yet, and a new meter cannot be without one",
                          f"Add a {what_en} tariff under Settings → Tariffs first, then import again")
        return None

    def _find(self, row: int, address: str, channel: Channel | None, same_address: list[Meter],
              channel_names: dict[int, str]) -> Meter | None:
        """The stored meter a row names, or None for a new one."""
        if channel is not None:
            on_line = next((m for m in same_address if m.channel_id == channel.id), None)
            if on_line is not None:
                return on_line
            # A meter imported earlier without a line gets its line now.
            unbound = [m for m in same_address if m.channel_id is None]
            return unbound[0] if len(unbound) == 1 else None
        if len(same_address) > 1:
            names = sorted(channel_names.get(m.channel_id, "无通道") for m in same_address)
            lines = "、".join(names)
            self.rows.add(row, "channel", f"表号“{address}”在多个通道上都有（{lines}），不知道是哪一块表",
                          "在“通道”列填写该表所在的通道名称",
                          f"Meter number “{address}” exists on several lines ({', '.join(names)}), so it is not clear which meter is meant",
                          "Write the meter's line in the “通道” (channel) column")
            return None
        return same_address[0] if same_address else None

    def write(self, plans):
        for _row, action, target, item in plans:
            if action == "create":
                kind, address = target
                self.s.add(Meter(site_id=self.site_id, kind=kind, address=address, **item))
            else:
                for k, x in item.items():
                    setattr(target, k, x)


_IMPORTERS: dict[str, type[_Importer]] = {
    "buildings": _Buildings, "stalls": _Stalls, "customers": _Customers, "meters": _Meters,
}


# ------------------------------------------------------------------ report file


def problem_report(data: bytes, result: ImportResult, lang: str = "zh_CN") -> bytes:
    """The clerk's own file back with every bad row filled red, the wrong cells carrying a
    comment, and a 问题 column saying what is wrong and what to do (in `lang`)."""
    en = lang == "en"
    wb = load_workbook(io.BytesIO(data))
    ws = wb[result.sheet] if result.sheet in wb.sheetnames else wb.worksheets[0]
    problem_col = ws.max_column + 1
    head = ws.cell(result.header_row, problem_col, "Problem (import check)" if en else "问题（导入检查）")
    head.font = Font(bold=True, color="C00000")
    ws.column_dimensions[head.column_letter].width = 60
    red = PatternFill("solid", fgColor="FFC7CE")
    by_row: dict[int, list[RowProblem]] = {}
    for p in result.problems:
        by_row.setdefault(p.row, []).append(p)
    for row, problems in by_row.items():
        for c in range(1, problem_col):
            ws.cell(row, c).fill = red
        said = [(p.column, *p.texts(lang)) for p in problems]
        if en:
            text = "; ".join(f"{col}: {what}. {fix}" if col else f"{what}. {fix}" for col, what, fix in said)
        else:
            text = "；".join(f"{col}：{what}，{fix}" if col else f"{what}，{fix}" for col, what, fix in said)
        ws.cell(row, problem_col, text).fill = red
        for p in problems:
            if p.col_index is not None:
                ws.cell(row, p.col_index + 1).comment = Comment("\n".join(p.texts(lang)), "MarketMeter")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
