"""Bulk import of buildings, stalls, customers and meters from Excel.

How a file is read (decisions a clerk can rely on):
- The header row is found under any title rows; header names may differ in spacing,
  order, full-width characters or be the English names. Blank rows are skipped. The
  headers and values a file may use are a file format: each is a catalogue word (the
  template's Chinese header, the names of older templates, the words a cell may hold),
  accepted in Chinese and in English, plus the English names listed beside them.
- Text is NFKC-normalised (full-width letters/digits/spaces → half-width) and trimmed.
- A code typed into a NUMBER cell arrives as a number: `0012` becomes 12 — the zeros are
  lost before the program sees the file. Such a number names the stored stall whose code is
  those digits with leading zeros (the result notes the row); when two stored codes fit
  (0012 and 012) the row is refused. With no stored code, a new stall is "12". The
  template's code columns are TEXT cells, which keep `0012`.
- Stall codes compare case-insensitively: `a-001` in a file is the stored `A-001`.
- Phones stored as numbers (13800138000.0) become "13800138000".
- Times: Excel time fractions, time cells, "8:00", "08:00:00", Chinese notation, datetimes (time
part).
- An existing code updates that record (re-importing a file never duplicates; a row equal
  to the database counts as unchanged). An EMPTY cell never erases what is stored: to
  clear a field, edit it in the program.
- A stall's tenant / owner is found by name + phone among the customers, or created.
- A meter's protocol defaults to Modbus (Acrel) or, on a CTWing (NB) channel, CTWing.
- A meter's tariff (electricity / water) is named in its row, of the meter's kind; left empty, a new
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
from app.models.base import utcnow
from app.models.meter import Channel, Meter
from app.models.site import (
    Building,
    Customer,
    SettlementCycle,
    Stall,
    StallRole,
    StallRoleKind,
    StallStatus,
)
from app.models.tariff import Tariff
from app.services.market.control_rules import opening_levels
from app.services.market.meters import (
    KIND_TEXT_EN,
    TARIFF_TEXT,
    default_protocol,
    tariff_kind_mismatch,
)
from app.services.market.stall_codes import CodeIndex, CodeMatch, code_key, listed
from app.services.office.excel_io import (
    NO,
    YES,
    CellError,
    FileError,
    ProblemAndFix,
    cell_code,
    cell_decimal,
    cell_phone,
    cell_text,
    cell_time,
    read_table,
)
from app.services.platform.audit import audit
from app.services.platform.context import Actor, May, ServiceError, require
from app.words import CHINESE, ENGLISH, QT_TRANSLATE_NOOP, Said, Word

UNKNOWN_IMPORT_TYPE_CHOOSE_ONE = Word(
    "imports.unknown_import_type_choose_one",
    QT_TRANSLATE_NOOP("Errors", "Unknown import type “{kind}”. Choose one of: {kinds}"),
)

KINDS = ("buildings", "stalls", "customers", "meters")
KIND_NAMES = {
    "buildings": Word("imports.kind_buildings", QT_TRANSLATE_NOOP("Import", "buildings")),
    "stalls": Word("imports.kind_stalls", QT_TRANSLATE_NOOP("Import", "stalls")),
    "customers": Word("imports.kind_customers", QT_TRANSLATE_NOOP("Import", "customers")),
    "meters": Word("imports.kind_meters", QT_TRANSLATE_NOOP("Import", "meters")),
}


def _h(code: str, text: tuple[str, str]) -> Word:
    """A column header a file may use (context "Import headers")."""
    return Word(f"imports.header_{code}", text)


def _v(code: str, text: tuple[str, str]) -> Word:
    """A word a cell may hold, or an example in the template (context "Import values")."""
    return Word(f"imports.value_{code}", text)


# Column headers: the template's, and those of older templates and customers' own files.
H_BUILDING = _h("building", QT_TRANSLATE_NOOP("Import headers", "Building"))
H_BUILDING_NAME = _h("building_name", QT_TRANSLATE_NOOP("Import headers", "Building name"))
H_ZONE = _h("zone", QT_TRANSLATE_NOOP("Import headers", "Zone"))
H_READING_TIME = _h("reading_time", QT_TRANSLATE_NOOP("Import headers", "Reading time"))
H_SETTLEMENT_TIME = _h("settlement_time", QT_TRANSLATE_NOOP("Import headers", "Settlement time"))
H_CYCLE = _h("cycle", QT_TRANSLATE_NOOP("Import headers", "Settlement cycle"))
H_STALL_CODE = _h("stall_code", QT_TRANSLATE_NOOP("Import headers", "Stall code"))
H_CODE = _h("code", QT_TRANSLATE_NOOP("Import headers", "Code"))
H_STALL_NO = _h("stall_no", QT_TRANSLATE_NOOP("Import headers", "Stall No."))
H_STALL_NAME = _h("stall_name", QT_TRANSLATE_NOOP("Import headers", "Stall name"))
H_NAME = _h("name", QT_TRANSLATE_NOOP("Import headers", "Name"))
H_AREA = _h("area", QT_TRANSLATE_NOOP("Import headers", "Area"))
H_FLOOR = _h("floor", QT_TRANSLATE_NOOP("Import headers", "Floor"))
H_STOREY = _h("storey", QT_TRANSLATE_NOOP("Import headers", "Storey"))
H_AREA_M2 = _h("area_m2", QT_TRANSLATE_NOOP("Import headers", "Area m²"))
H_TENANT = _h("tenant", QT_TRANSLATE_NOOP("Import headers", "Tenant"))
H_TENANT_NAME = _h("tenant_name", QT_TRANSLATE_NOOP("Import headers", "Tenant name"))
H_TENANT_PHONE = _h("tenant_phone", QT_TRANSLATE_NOOP("Import headers", "Tenant phone"))
H_TENANT_MOBILE = _h("tenant_mobile", QT_TRANSLATE_NOOP("Import headers", "Tenant mobile"))
H_OWNER = _h("owner", QT_TRANSLATE_NOOP("Import headers", "Owner"))
H_OWNER_NAME = _h("owner_name", QT_TRANSLATE_NOOP("Import headers", "Owner name"))
H_OWNER_PHONE = _h("owner_phone", QT_TRANSLATE_NOOP("Import headers", "Owner phone"))
H_OWNER_MOBILE = _h("owner_mobile", QT_TRANSLATE_NOOP("Import headers", "Owner mobile"))
H_NOTE = _h("note", QT_TRANSLATE_NOOP("Import headers", "Note"))
H_FULL_NAME = _h("full_name", QT_TRANSLATE_NOOP("Import headers", "Full name"))
H_CUSTOMER_NAME = _h("customer_name", QT_TRANSLATE_NOOP("Import headers", "Customer name"))
H_CUSTOMER = _h("customer", QT_TRANSLATE_NOOP("Import headers", "Customer"))
H_PHONE = _h("phone", QT_TRANSLATE_NOOP("Import headers", "Phone"))
H_MOBILE = _h("mobile", QT_TRANSLATE_NOOP("Import headers", "Mobile"))
H_CONTACT_PHONE = _h("contact_phone", QT_TRANSLATE_NOOP("Import headers", "Contact phone"))
H_STALL = _h("stall", QT_TRANSLATE_NOOP("Import headers", "Stall"))
H_ROLE = _h("role", QT_TRANSLATE_NOOP("Import headers", "Role"))
H_CUSTOMER_ROLE = _h("customer_role", QT_TRANSLATE_NOOP("Import headers", "Customer role"))
H_METER_NO = _h("meter_no", QT_TRANSLATE_NOOP("Import headers", "Meter No."))
H_METER_ADDRESS = _h("meter_address", QT_TRANSLATE_NOOP("Import headers", "Meter address"))
H_COMM_ADDRESS = _h("comm_address", QT_TRANSLATE_NOOP("Import headers", "Comm address"))
H_KIND = _h("kind", QT_TRANSLATE_NOOP("Import headers", "Kind"))
H_METER_KIND = _h("meter_kind", QT_TRANSLATE_NOOP("Import headers", "Meter kind"))
H_MODEL = _h("model", QT_TRANSLATE_NOOP("Import headers", "Model"))
H_CHANNEL = _h("channel", QT_TRANSLATE_NOOP("Import headers", "Channel"))
H_CHANNEL_NAME = _h("channel_name", QT_TRANSLATE_NOOP("Import headers", "Channel name"))
H_CT_RATIO = _h("ct_ratio", QT_TRANSLATE_NOOP("Import headers", "CT ratio"))
H_PROTOCOL = _h("protocol", QT_TRANSLATE_NOOP("Import headers", "Protocol"))
H_TARIFF = _h("tariff", QT_TRANSLATE_NOOP("Import headers", "Tariff"))
H_TARIFFS = _h("tariffs", QT_TRANSLATE_NOOP("Import headers", "Electricity and water tariff"))
H_ELECTRIC_TARIFF = _h("electric_tariff", QT_TRANSLATE_NOOP("Import headers", "Electricity tariff"))
H_WATER_TARIFF = _h("water_tariff", QT_TRANSLATE_NOOP("Import headers", "Water tariff"))
H_ELECTRIC_TARIFF_NAME = _h(
    "electric_tariff_name", QT_TRANSLATE_NOOP("Import headers", "Electricity tariff name")
)
H_WATER_TARIFF_NAME = _h(
    "water_tariff_name", QT_TRANSLATE_NOOP("Import headers", "Water tariff name")
)

# Words a cell may hold (each accepted in Chinese and in English), and the template's examples.
CYCLE_HOURLY = _v("hourly", QT_TRANSLATE_NOOP("Import values", "hourly"))
CYCLE_BY_HOUR = _v("by_hour", QT_TRANSLATE_NOOP("Import values", "by the hour"))
CYCLE_HOUR = _v("hour", QT_TRANSLATE_NOOP("Import values", "hour"))
CYCLE_DAILY = _v("daily", QT_TRANSLATE_NOOP("Import values", "daily"))
CYCLE_DAY = _v("day", QT_TRANSLATE_NOOP("Import values", "day"))
CYCLE_BY_DAY = _v("by_day", QT_TRANSLATE_NOOP("Import values", "by the day"))
CYCLE_EVERY_DAY = _v("every_day", QT_TRANSLATE_NOOP("Import values", "every day"))
CYCLE_MONTHLY = _v("monthly", QT_TRANSLATE_NOOP("Import values", "monthly"))
CYCLE_BY_MONTH = _v("by_month", QT_TRANSLATE_NOOP("Import values", "by the month"))
CYCLE_EVERY_MONTH = _v("every_month", QT_TRANSLATE_NOOP("Import values", "every month"))
ELECTRIC_METER = _v("electric_meter", QT_TRANSLATE_NOOP("Import values", "electricity meter"))
ELECTRIC = _v("electric", QT_TRANSLATE_NOOP("Import values", "electric"))
WATER_METER = _v("water_meter", QT_TRANSLATE_NOOP("Import values", "water meter"))
WATER = _v("water", QT_TRANSLATE_NOOP("Import values", "water"))
ACREL = _v("acrel", QT_TRANSLATE_NOOP("Import values", "Acrel"))
TENANT = _v("tenant", QT_TRANSLATE_NOOP("Import values", "tenant"))
LESSEE = _v("lessee", QT_TRANSLATE_NOOP("Import values", "lessee"))
OWNER = _v("owner", QT_TRANSLATE_NOOP("Import values", "owner"))
TITLE_HOLDER = _v("title_holder", QT_TRANSLATE_NOOP("Import values", "title holder"))
SQUARE_METRES = _v("square_metres", QT_TRANSLATE_NOOP("Import values", "square metres"))
SQ_M = _v("sq_m", QT_TRANSLATE_NOOP("Import values", "sq m"))
EXAMPLE_ZONE = _v("example_zone", QT_TRANSLATE_NOOP("Import values", "Zone A"))
EXAMPLE_STALL = _v("example_stall", QT_TRANSLATE_NOOP("Import values", "Zhang's Vegetables"))
EXAMPLE_TENANT = _v("example_tenant", QT_TRANSLATE_NOOP("Import values", "Zhang San"))
EXAMPLE_OWNER = _v("example_owner", QT_TRANSLATE_NOOP("Import values", "Li Si"))
EXAMPLE_CHANNEL = _v("example_channel", QT_TRANSLATE_NOOP("Import values", "RS-485 line 1"))
EXAMPLE_TARIFF = _v("example_tariff", QT_TRANSLATE_NOOP("Import values", "Commercial electricity"))
CYCLE_CHOICES = _v("cycle_choices", QT_TRANSLATE_NOOP("Import values", "hourly, daily or monthly"))
ROLE_CHOICES = _v("role_choices", QT_TRANSLATE_NOOP("Import values", "tenant or owner"))
KIND_CHOICES = _v(
    "kind_choices", QT_TRANSLATE_NOOP("Import values", "electricity meter or water meter")
)
PROTOCOL_CHOICES = _v(
    "protocol_choices", QT_TRANSLATE_NOOP("Import values", "modbus, 645-2007, 645-1997 or ctwing")
)
NAME_AND_PHONE = _v("name_and_phone", QT_TRANSLATE_NOOP("Import values", "name and phone"))
CHANNEL_AND_ADDRESS = _v(
    "channel_and_address", QT_TRANSLATE_NOOP("Import values", "channel and meter No.")
)
SAME_BUILDING = _v("same_building", QT_TRANSLATE_NOOP("Import values", "building"))
SAME_STALL_CODE = _v("same_stall_code", QT_TRANSLATE_NOOP("Import values", "stall code"))
NO_CHANNEL = _v("no_channel", QT_TRANSLATE_NOOP("Import values", "no channel"))


def _help(code: str, text: tuple[str, str]) -> Word:
    """A column's explanation on the template's help sheet (context "Import")."""
    return Word(f"imports.help_{code}", text)


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    header: Word  # the template's header
    aliases: tuple[
        Word | str, ...
    ]  # other accepted names: older templates' (words), English ones (text)
    required: bool
    help: Word
    example: Any  # a word (said in the template's language) or a value
    is_text: bool = True  # the template formats the column as text

    @property
    def english(self) -> str:
        """The English name shown in the template's help sheet: the last English alias."""
        return next(
            (a for a in reversed(self.aliases) if isinstance(a, str)), self.header.say(ENGLISH)
        )

    def names(self) -> tuple[str, ...]:
        """Every header spelling a file may use for this column (read_table normalises them):
        the header and each alias word in Chinese and in English, and the English aliases."""
        out = [self.key]
        for name in (self.header, *self.aliases):
            out += [name.say(CHINESE), name.say(ENGLISH)] if isinstance(name, Word) else [name]
        return tuple(out)


SPECS: dict[str, tuple[Field, ...]] = {
    "buildings": (
        Field(
            "name",
            H_BUILDING,
            (H_BUILDING_NAME, H_ZONE, "building", "name"),
            True,
            _help(
                "building_name",
                QT_TRANSLATE_NOOP("Import", "Name of the building or zone; no two alike"),
            ),
            EXAMPLE_ZONE,
        ),
        Field(
            "reading_time",
            H_READING_TIME,
            ("reading time", "readingtime"),
            False,
            _help(
                "reading_time",
                QT_TRANSLATE_NOOP("Import", "Time of the daily reading, such as 0:00"),
            ),
            "0:00",
        ),
        Field(
            "settlement_time",
            H_SETTLEMENT_TIME,
            ("settlement time", "settlementtime"),
            False,
            _help(
                "settlement_time",
                QT_TRANSLATE_NOOP("Import", "Time of the settlement, such as 1:00"),
            ),
            "1:00",
        ),
        Field(
            "cycle",
            H_CYCLE,
            ("cycle", "settlement cycle"),
            False,
            _help(
                "cycle", QT_TRANSLATE_NOOP("Import", "hourly, daily or monthly (default: daily)")
            ),
            CYCLE_DAILY,
        ),
    ),
    "stalls": (
        Field(
            "code",
            H_STALL_CODE,
            (H_CODE, H_STALL_NO, "code", "stall code"),
            True,
            _help(
                "stall_code",
                QT_TRANSLATE_NOOP(
                    "Import", "Unique code; a row with a stored code updates that stall"
                ),
            ),
            "A-0012",
        ),
        Field(
            "name",
            H_STALL_NAME,
            (H_NAME, "name", "stall name"),
            False,
            _help("stall_name", QT_TRANSLATE_NOOP("Import", "Name of the stall or shop")),
            EXAMPLE_STALL,
        ),
        Field(
            "building",
            H_BUILDING,
            (H_BUILDING_NAME, H_ZONE, "building"),
            True,
            _help(
                "stall_building",
                QT_TRANSLATE_NOOP(
                    "Import", "A building already in the program (import the buildings first)"
                ),
            ),
            EXAMPLE_ZONE,
        ),
        Field(
            "floor",
            H_FLOOR,
            (H_STOREY, "floor"),
            False,
            _help(
                "floor",
                QT_TRANSLATE_NOOP(
                    "Import", "Optional: the floor of the building the stall is on, e.g. 1F or B1"
                ),
            ),
            "1F",
        ),
        Field(
            "area",
            H_AREA,
            (H_AREA_M2, "area", "area m2"),
            False,
            _help("area", QT_TRANSLATE_NOOP("Import", "Square metres; decimals allowed")),
            12.5,
            False,
        ),
        Field(
            "tenant",
            H_TENANT,
            (H_TENANT_NAME, "tenant"),
            False,
            _help("tenant", QT_TRANSLATE_NOOP("Import", "Name of the tenant")),
            EXAMPLE_TENANT,
        ),
        Field(
            "tenant_phone",
            H_TENANT_PHONE,
            (H_TENANT_MOBILE, "tenant phone"),
            False,
            _help("tenant_phone", QT_TRANSLATE_NOOP("Import", "Mobile number of the tenant")),
            "13800138000",
        ),
        Field(
            "owner",
            H_OWNER,
            (H_OWNER_NAME, "owner"),
            False,
            _help("owner", QT_TRANSLATE_NOOP("Import", "Name of the owner")),
            EXAMPLE_OWNER,
        ),
        Field(
            "owner_phone",
            H_OWNER_PHONE,
            (H_OWNER_MOBILE, "owner phone"),
            False,
            _help("owner_phone", QT_TRANSLATE_NOOP("Import", "Mobile number of the owner")),
            "13900139000",
        ),
        Field(
            "note",
            H_NOTE,
            ("note", "remark"),
            False,
            _help("note", QT_TRANSLATE_NOOP("Import", "Any remark")),
            "",
        ),
    ),
    "customers": (
        Field(
            "name",
            H_FULL_NAME,
            (H_CUSTOMER_NAME, H_CUSTOMER, "name"),
            True,
            _help("customer_name", QT_TRANSLATE_NOOP("Import", "Name of the person or company")),
            EXAMPLE_TENANT,
        ),
        Field(
            "phone",
            H_PHONE,
            (H_MOBILE, H_CONTACT_PHONE, "phone"),
            False,
            _help(
                "customer_phone",
                QT_TRANSLATE_NOOP(
                    "Import", "Mobile number; the same name and phone is the same customer"
                ),
            ),
            "13800138000",
        ),
        Field(
            "note",
            H_NOTE,
            ("note", "remark"),
            False,
            _help("note", QT_TRANSLATE_NOOP("Import", "Any remark")),
            "",
        ),
        Field(
            "stall",
            H_STALL_CODE,
            (H_STALL, "stall code", "stall"),
            False,
            _help(
                "customer_stall",
                QT_TRANSLATE_NOOP("Import", "Optional: links the customer to this stall"),
            ),
            "A-0012",
        ),
        Field(
            "role",
            H_ROLE,
            (H_CUSTOMER_ROLE, "role"),
            False,
            _help(
                "role",
                QT_TRANSLATE_NOOP(
                    "Import", "tenant or owner (with a stall code, tenant by default)"
                ),
            ),
            TENANT,
        ),
    ),
    "meters": (
        Field(
            "address",
            H_METER_NO,
            (H_METER_ADDRESS, H_COMM_ADDRESS, "address", "meter address"),
            True,
            _help("address", QT_TRANSLATE_NOOP("Import", "The meter's comm address (meter No.)")),
            "000012345678",
        ),
        Field(
            "kind",
            H_KIND,
            (H_METER_KIND, "kind", "type"),
            True,
            _help("kind", QT_TRANSLATE_NOOP("Import", "electricity meter or water meter")),
            ELECTRIC_METER,
        ),
        Field(
            "model",
            H_MODEL,
            ("model",),
            False,
            _help("model", QT_TRANSLATE_NOOP("Import", "The meter's model, such as DDSY1352")),
            "DDSY1352",
        ),
        Field(
            "stall",
            H_STALL_CODE,
            (H_STALL, "stall code", "stall"),
            False,
            _help(
                "meter_stall",
                QT_TRANSLATE_NOOP(
                    "Import", "The stall it is bound to; empty: none (such as a master meter)"
                ),
            ),
            "A-0012",
        ),
        Field(
            "channel",
            H_CHANNEL,
            (H_CHANNEL_NAME, "channel"),
            False,
            _help(
                "channel",
                QT_TRANSLATE_NOOP(
                    "Import",
                    "A channel name already in the program; a meter No. may repeat on different "
                    "lines: channel + meter No. is one meter",
                ),
            ),
            EXAMPLE_CHANNEL,
        ),
        Field(
            "ct_ratio",
            H_CT_RATIO,
            ("ct", "ct ratio", "ctratio"),
            False,
            _help(
                "ct_ratio",
                QT_TRANSLATE_NOOP(
                    "Import", "Current transformer ratio, a positive whole number, default 1"
                ),
            ),
            1,
            False,
        ),
        Field(
            "protocol",
            H_PROTOCOL,
            ("protocol",),
            False,
            _help(
                "protocol",
                QT_TRANSLATE_NOOP(
                    "Import", "modbus, 645-2007, 645-1997 or ctwing; empty: as the channel"
                ),
            ),
            "",
        ),
        Field(
            "tariff",
            H_TARIFF,
            (
                H_TARIFFS,
                H_ELECTRIC_TARIFF,
                H_WATER_TARIFF,
                H_ELECTRIC_TARIFF_NAME,
                H_WATER_TARIFF_NAME,
                "tariff name",
                "tariff",
            ),
            False,
            _help(
                "tariff",
                QT_TRANSLATE_NOOP(
                    "Import",
                    "A name under “Settings → Tariffs”: an electricity tariff for an electricity "
                    "meter, a water tariff for a water meter; empty: a new meter takes the "
                    "market's only tariff of its kind, a stored meter keeps its own",
                ),
            ),
            EXAMPLE_TARIFF,
        ),
    ),
}

# The import report's words (context "Import")
COLUMN_MISSING = Word(
    "imports.column_missing", QT_TRANSLATE_NOOP("Import", "Column “{header}” is missing")
)
ADD_COLUMN = Word(
    "imports.add_column",
    QT_TRANSLATE_NOOP(
        "Import",
        "Add a “{header}” (or “{english}”) column to the header in row {row}; compare with the "
        "template",
    ),
)
CASE_ONLY = Word(
    "imports.case_only",
    QT_TRANSLATE_NOOP(
        "Import",
        "Stalls {codes} differ only in upper and lower case: it is not clear which “{code}” is",
    ),
)
RENAME_ONE = Word(
    "imports.rename_one",
    QT_TRANSLATE_NOOP(
        "Import", "Change one of them to another code under Stalls, then import again"
    ),
)
ZEROS_AMBIGUOUS = Word(
    "imports.zeros_ambiguous",
    QT_TRANSLATE_NOOP(
        "Import",
        "The stall code is the number {code}: it could be any of {codes} (the spreadsheet dropped "
        "the leading zeros)",
    ),
)
FORMAT_AS_TEXT = Word(
    "imports.format_as_text",
    QT_TRANSLATE_NOOP(
        "Import",
        "Format this column as text, type the full stall code (such as 0012) and import again",
    ),
)
ZEROS_TAKEN = Word(
    "imports.zeros_taken",
    QT_TRANSLATE_NOOP(
        "Import",
        "The number {code} was taken as stall {stall} (the spreadsheet dropped the leading zeros)",
    ),
)
KEEP_ZEROS = Word(
    "imports.keep_zeros",
    QT_TRANSLATE_NOOP(
        "Import", "Nothing to do; next time format this column as text to keep the zeros"
    ),
)
SAME_AS_ROW = Word(
    "imports.same_as_row", QT_TRANSLATE_NOOP("Import", "Same {what} as row {first_row}")
)
DELETE_REPEATED = Word(
    "imports.delete_repeated",
    QT_TRANSLATE_NOOP("Import", "Delete the repeated row, or give it a different code"),
)
NOT_KNOWN_VALUE = Word(
    "imports.not_known_value", QT_TRANSLATE_NOOP("Import", "“{value}” is not a known value")
)
USE_ONE_OF = Word("imports.use_one_of", QT_TRANSLATE_NOOP("Import", "Use one of: {choices}"))
CELL_EMPTY = Word("imports.cell_empty", QT_TRANSLATE_NOOP("Import", "The cell is empty"))
FILL_IN_COLUMN = Word(
    "imports.fill_in_column", QT_TRANSLATE_NOOP("Import", "Fill in this column; it is required")
)
TOO_LONG = Word(
    "imports.too_long", QT_TRANSLATE_NOOP("Import", "“{start}…” is too long ({length} characters)")
)
AT_MOST_CHARACTERS = Word(
    "imports.at_most_characters", QT_TRANSLATE_NOOP("Import", "Use at most {n} characters")
)
PHONE_WITHOUT_NAME = Word(
    "imports.phone_without_name", QT_TRANSLATE_NOOP("Import", "Phone given without a name")
)
ADD_NAME_OR_DELETE_PHONE = Word(
    "imports.add_name_or_delete_phone",
    QT_TRANSLATE_NOOP("Import", "Add the name in “{column}”, or delete the phone"),
)
NO_SUCH_BUILDING = Word(
    "imports.no_such_building", QT_TRANSLATE_NOOP("Import", "Building “{name}” does not exist")
)
IMPORT_BUILDING_FIRST = Word(
    "imports.import_building_first",
    QT_TRANSLATE_NOOP(
        "Import", "Import the building first, or use the name of a building in the program"
    ),
)
NO_SUCH_STALL = Word(
    "imports.no_such_stall", QT_TRANSLATE_NOOP("Import", "Stall code “{code}” does not exist")
)
IMPORT_STALL_FIRST = Word(
    "imports.import_stall_first",
    QT_TRANSLATE_NOOP("Import", "Import the stall first, or use a stall code in the program"),
)
ROLE_WITHOUT_STALL = Word(
    "imports.role_without_stall", QT_TRANSLATE_NOOP("Import", "Role given without a stall code")
)
ADD_STALL_OR_DELETE_ROLE = Word(
    "imports.add_stall_or_delete_role",
    QT_TRANSLATE_NOOP("Import", "Add the stall code, or delete the role"),
)
NO_SUCH_CHANNEL = Word(
    "imports.no_such_channel", QT_TRANSLATE_NOOP("Import", "Channel “{name}” does not exist")
)
ADD_CHANNEL_FIRST = Word(
    "imports.add_channel_first",
    QT_TRANSLATE_NOOP(
        "Import",
        "Add the channel under channel settings first, or use the name of an existing channel",
    ),
)
KIND_DIFFERS = Word(
    "imports.kind_differs",
    QT_TRANSLATE_NOOP(
        "Import", "Meter “{address}” is a {stored} meter in the system, but this row says {typed}"
    ),
)
CHECK_KIND = Word(
    "imports.check_kind", QT_TRANSLATE_NOOP("Import", "Check the kind or the meter number")
)
BOUND_ELSEWHERE = Word(
    "imports.bound_elsewhere",
    QT_TRANSLATE_NOOP("Import", "Meter “{address}” is already bound to stall “{stall}”"),
)
UNBIND_FIRST = Word(
    "imports.unbind_first",
    QT_TRANSLATE_NOOP(
        "Import", "To rebind it, unbind the meter from that stall first, or check the meter address"
    ),
)
NO_SUCH_TARIFF = Word(
    "imports.no_such_tariff", QT_TRANSLATE_NOOP("Import", "Tariff “{name}” does not exist")
)
NAME_LISTED_TARIFF = Word(
    "imports.name_listed_tariff",
    QT_TRANSLATE_NOOP(
        "Import",
        "Write the name of a {kind} tariff listed under Settings → Tariffs, or add it there first",
    ),
)
NAME_TARIFF_OF_KIND = Word(
    "imports.name_tariff_of_kind",
    QT_TRANSLATE_NOOP("Import", "Write the name of a {kind} tariff, or check the kind"),
)
SEVERAL_TARIFFS = Word(
    "imports.several_tariffs",
    QT_TRANSLATE_NOOP(
        "Import",
        "This market has {count} {kind} tariffs, so it is not clear which one this meter uses",
    ),
)
NAME_TARIFF_IN_COLUMN = Word(
    "imports.name_tariff_in_column",
    QT_TRANSLATE_NOOP(
        "Import", "Write the name of the {kind} tariff to use in the “{column}” (tariff) column"
    ),
)
NO_TARIFF_YET = Word(
    "imports.no_tariff_yet",
    QT_TRANSLATE_NOOP(
        "Import", "This market has no {kind} tariff yet, and a new meter cannot be without one"
    ),
)
ADD_TARIFF_FIRST = Word(
    "imports.add_tariff_first",
    QT_TRANSLATE_NOOP(
        "Import", "Add a {kind} tariff under Settings → Tariffs first, then import again"
    ),
)
SEVERAL_LINES = Word(
    "imports.several_lines",
    QT_TRANSLATE_NOOP(
        "Import",
        "Meter number “{address}” exists on several lines ({lines}), so it is not clear which "
        "meter is meant",
    ),
)
NAME_THE_LINE = Word(
    "imports.name_the_line",
    QT_TRANSLATE_NOOP("Import", "Write the meter's line in the “{column}” (channel) column"),
)
SUMMARY_WRITTEN = Word(
    "imports.summary_written",
    QT_TRANSLATE_NOOP(
        "Import",
        "Import of {kind}: {total} rows, {created} new, {updated} updated, {unchanged} unchanged, "
        "{bad} with errors",
    ),
)
SUMMARY_TRIAL = Word(
    "imports.summary_trial",
    QT_TRANSLATE_NOOP(
        "Import",
        "Import of {kind} (trial, nothing written): {total} rows, {created} new, {updated} "
        "updated, {unchanged} unchanged, {bad} with errors",
    ),
)
SUMMARY_NOT_WRITTEN = Word(
    "imports.summary_not_written",
    QT_TRANSLATE_NOOP(
        "Import",
        "Import of {kind} (errors, no row written): {total} rows, {created} new, {updated} "
        "updated, {unchanged} unchanged, {bad} with errors",
    ),
)
HELP_SHEET = Word("imports.help_sheet", QT_TRANSLATE_NOOP("Import", "How to fill in"))
HELP_COLUMN = Word("imports.help_column", QT_TRANSLATE_NOOP("Import", "Column"))
HELP_REQUIRED = Word("imports.help_required", QT_TRANSLATE_NOOP("Import", "Required"))
HELP_EXPLANATION = Word("imports.help_explanation", QT_TRANSLATE_NOOP("Import", "Explanation"))
HELP_EXAMPLE = Word("imports.help_example", QT_TRANSLATE_NOOP("Import", "Example"))
HELP_ENGLISH = Word("imports.help_english", QT_TRANSLATE_NOOP("Import", "English name"))
HELP_NOTE = Word(
    "imports.help_sheet_note",
    QT_TRANSLATE_NOOP(
        "Import",
        "The first row is the header; title rows may go above it, empty rows are skipped. A row "
        "with a stored code updates it; an empty cell never clears what is stored.",
    ),
)
PROBLEM_COLUMN = Word(
    "imports.problem_column", QT_TRANSLATE_NOOP("Import", "Problem (import check)")
)
PROBLEM_IN_COLUMN = Word(
    "imports.problem_in_column", QT_TRANSLATE_NOOP("Import", "{column}: {problem}. {fix}")
)
PROBLEM_OF_ROW = Word("imports.problem_of_row", QT_TRANSLATE_NOOP("Import", "{problem}. {fix}"))
PROBLEMS_OF_ROW = Word("imports.problems_of_row", QT_TRANSLATE_NOOP("Import", "{first}; {second}"))


@dataclass(frozen=True, slots=True)
class RowProblem(ProblemAndFix):
    """One thing wrong in one row: `row` is the spreadsheet row number the clerk sees; what
    is wrong and what to do are catalogue words with their parameters, said by `texts(lang)`
    (`problem` / `fix`: the Chinese, `problem_en` / `fix_en`: the English)."""

    row: int
    column: str  # the header as written in the file ('' for the whole row)
    said_problem: Said
    said_fix: Said
    col_index: int | None = None  # 0-based column in the file, for marking the cell

    def texts(self, lang: str) -> tuple[str, str]:
        """(what is wrong, what to do) in `lang` ("en" or "zh_CN")."""
        return self.said_problem.say(lang), self.said_fix.say(lang)


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

    def summary(self, lang: str = CHINESE) -> str:
        word = (
            SUMMARY_TRIAL
            if self.dry_run
            else SUMMARY_WRITTEN
            if self.written
            else SUMMARY_NOT_WRITTEN
        )
        return word.say(
            lang,
            kind=KIND_NAMES[self.kind],
            total=self.total_rows,
            created=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
            bad=len(self.bad_rows),
        )


# ------------------------------------------------------------------ template


def write_template(kind: str, lang: str | None = None) -> bytes:
    """The import template of `kind`: the headers in `lang` (default: the documents'
    language, Chinese), one example row, and a second sheet explaining each column. Code
    and phone columns are text cells."""
    fields = _spec(kind)
    wb = Workbook()
    ws = wb.active
    ws.title = KIND_NAMES[kind].say(lang)
    bold = Font(bold=True)
    for i, f in enumerate(fields, start=1):
        header = f.header.say(lang)
        head = ws.cell(1, i, header)
        head.font = bold
        if f.required:
            head.fill = PatternFill("solid", fgColor="FFF2CC")
        example = ws.cell(2, i, f.example.say(lang) if isinstance(f.example, Word) else f.example)
        letter = head.column_letter
        ws.column_dimensions[letter].width = max(12, len(header) * 2 + 4)
        if f.is_text:
            example.number_format = "@"
            for r in range(2, 2001):  # text format down the column keeps '0012' as typed
                ws.cell(r, i).number_format = "@"
    ws.freeze_panes = "A2"
    help_ws = wb.create_sheet(HELP_SHEET.say(lang))
    help_ws.append(
        [
            w.say(lang)
            for w in (HELP_COLUMN, HELP_REQUIRED, HELP_EXPLANATION, HELP_EXAMPLE, HELP_ENGLISH)
        ]
    )
    for c in help_ws[1]:
        c.font = bold
    for f in fields:
        example = f.example.say(lang) if isinstance(f.example, Word) else str(f.example)
        help_ws.append(
            [
                f.header.say(lang),
                (YES if f.required else NO).say(lang),
                f.help.say(lang),
                example,
                f.english,
            ]
        )
    help_ws.append([])
    help_ws.append([HELP_EXPLANATION.say(lang), "", HELP_NOTE.say(lang)])
    for letter, width in zip("ABCDE", (12, 6, 50, 16, 14), strict=False):
        help_ws.column_dimensions[letter].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _spec(kind: str) -> tuple[Field, ...]:
    if kind not in SPECS:
        raise ServiceError(
            UNKNOWN_IMPORT_TYPE_CHOOSE_ONE, code="bad_kind", kind=kind, kinds=listed(KINDS)
        )
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

    def column(self, key: str) -> str:
        """The column as the file names it (else as the template does)."""
        return self.sheet.column_names.get(key) or self.fields[key].header.say() if key else ""

    def add(self, row: int, key: str, problem: Word | Said, fix: Word | Said, **params) -> None:
        self.problems.append(
            RowProblem(
                row,
                self.column(key),
                _said(problem, params),
                _said(fix, params),
                self.sheet.columns.get(key),
            )
        )
        self.bad.add(row)

    def note(self, row: int, key: str, what: Word, fix: Word, **params) -> None:
        self.notes.append(
            RowProblem(
                row, self.column(key), what(**params), fix(**params), self.sheet.columns.get(key)
            )
        )

    def stall(
        self, row: int, values: tuple, key: str, code: str, index: CodeIndex
    ) -> CodeMatch[Stall]:
        """The stored stall the cell names; an ambiguous number is a problem of the row and a
        number that lost its leading zeros a note."""
        match = index.find(self.get(values, key), code)
        if match.case_only:
            self.add(row, key, CASE_ONLY, RENAME_ONE, codes=listed(match.ambiguous), code=code)
        elif match.ambiguous:
            self.add(
                row, key, ZEROS_AMBIGUOUS, FORMAT_AS_TEXT, codes=listed(match.ambiguous), code=code
            )
        elif match.via_zeros:
            self.note(row, key, ZEROS_TAKEN, KEEP_ZEROS, code=code, stall=match.via_zeros)
        return match

    def get(self, values: tuple, key: str) -> Any:
        i = self.sheet.columns.get(key)
        return values[i] if i is not None and i < len(values) else None

    def parse(self, row: int, values: tuple, key: str, fn: Callable[[Any], Any]) -> Any:
        try:
            return fn(self.get(values, key))
        except CellError as exc:
            self.add(row, key, exc.said_problem, exc.said_fix)
            return None


def _said(what: Word | Said, params: dict) -> Said:
    return what if isinstance(what, Said) else what(**params)


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
    require(actor, May.IMPORT_RECORDS_IN_BULK)
    fields = _spec(kind)
    try:
        sheet = read_table(data, {f.key: f.names() for f in fields})
    except FileError as exc:  # the file's problem as it was said, for the importer's caller
        raise (
            ServiceError(exc.said.word, code="bad_file", **exc.said.params)
            if exc.said is not None
            else ServiceError(str(exc), code="bad_file", en=exc.english)
        ) from None
    rows = _Rows(sheet, fields)
    missing = [f for f in fields if f.required and f.key not in sheet.columns]
    if missing:
        for f in missing:
            # the header as the template (in the documents' language) names it
            params = dict(header=f.header.say(), english=f.english, row=sheet.header_row)
            rows.problems.append(
                RowProblem(
                    sheet.header_row, f.header.say(), COLUMN_MISSING(**params), ADD_COLUMN(**params)
                )
            )
        return _result(
            kind,
            sheet,
            rows,
            Counter(),
            written=False,
            dry_run=dry_run,
            extra_bad={sheet.header_row},
        )
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
            session,
            actor,
            f"import.{kind}",
            "import",
            None,
            file=filename,
            written=write,
            all_or_nothing=all_or_nothing,
            rows=result.total_rows,
            created=result.created if write else 0,
            updated=result.updated if write else 0,
            unchanged=result.unchanged,
            bad_rows=list(result.bad_rows[:200]),
        )
    return result


def _result(
    kind, sheet, rows: _Rows, counts: Counter, *, written, dry_run, extra_bad=()
) -> ImportResult:
    problems = tuple(
        sorted(rows.problems, key=lambda p: (p.row, p.col_index if p.col_index is not None else -1))
    )
    return ImportResult(
        kind=kind,
        sheet=sheet.sheet,
        header_row=sheet.header_row,
        total_rows=len(sheet.rows),
        created=counts["create"],
        updated=counts["update"],
        unchanged=counts["unchanged"],
        problems=problems,
        bad_rows=tuple(sorted(rows.bad | set(extra_bad))),
        written=written,
        dry_run=dry_run,
        notes=tuple(sorted(rows.notes, key=lambda p: p.row)),
    )


def _duplicates(rows: _Rows, key: str, items: list[tuple[int, Any]], what: Word) -> None:
    first: dict[Any, int] = {}
    for row, ident in items:
        if ident in first:
            rows.add(row, key, SAME_AS_ROW, DELETE_REPEATED, what=what, first_row=first[ident])
        else:
            first[ident] = row


def _accepting(table: dict[Word | str, Any]) -> dict[str, Any]:
    """The cell values a column accepts (lower case): each word in Chinese and in English,
    and each English text as it is."""
    out: dict[str, Any] = {}
    for name, value in table.items():
        for text in (name.say(CHINESE), name.say(ENGLISH)) if isinstance(name, Word) else (name,):
            out.setdefault(text.lower(), value)
    return out


_CYCLES = _accepting(
    {
        CYCLE_HOURLY: SettlementCycle.HOURLY,
        CYCLE_BY_HOUR: SettlementCycle.HOURLY,
        CYCLE_HOUR: SettlementCycle.HOURLY,
        CYCLE_DAILY: SettlementCycle.DAILY,
        CYCLE_DAY: SettlementCycle.DAILY,
        CYCLE_BY_DAY: SettlementCycle.DAILY,
        CYCLE_EVERY_DAY: SettlementCycle.DAILY,
        CYCLE_MONTHLY: SettlementCycle.MONTHLY,
        CYCLE_BY_MONTH: SettlementCycle.MONTHLY,
        CYCLE_EVERY_MONTH: SettlementCycle.MONTHLY,
        "month": SettlementCycle.MONTHLY,
    }
)
_METER_KINDS = _accepting(
    {
        ELECTRIC_METER: MeterKind.ELECTRIC,
        ELECTRIC: MeterKind.ELECTRIC,
        "electricity": MeterKind.ELECTRIC,
        WATER_METER: MeterKind.WATER,
        WATER: MeterKind.WATER,
    }
)
_KIND_TEXT = {MeterKind.ELECTRIC: ELECTRIC_METER, MeterKind.WATER: WATER_METER}
_PROTOCOLS = _accepting(
    {
        "modbus": Protocol.MODBUS_ACREL,
        "modbus_acrel": Protocol.MODBUS_ACREL,
        ACREL: Protocol.MODBUS_ACREL,
        "645": Protocol.DLT645_2007,
        "645-2007": Protocol.DLT645_2007,
        "dlt645": Protocol.DLT645_2007,
        "dlt645-2007": Protocol.DLT645_2007,
        "dlt645_2007": Protocol.DLT645_2007,
        "645-1997": Protocol.DLT645_1997,
        "dlt645-1997": Protocol.DLT645_1997,
        "dlt645_1997": Protocol.DLT645_1997,
        "ctwing": Protocol.CTWING_WATER,
        "nb": Protocol.CTWING_WATER,
        "ctwing_water": Protocol.CTWING_WATER,
    }
)
_ROLES = _accepting(
    {
        TENANT: StallRoleKind.TENANT,
        LESSEE: StallRoleKind.TENANT,
        OWNER: StallRoleKind.OWNER,
        TITLE_HOLDER: StallRoleKind.OWNER,
    }
)
_AREA_UNITS = (SQUARE_METRES.say(CHINESE), SQ_M.say(CHINESE), "m2", "m²")


def _english_choices(table: dict) -> str:
    """The first English word the table accepts for each value: 'hourly, daily, monthly'."""
    words = {}
    for word, value in table.items():
        if word.isascii() and not word.isdigit():
            words.setdefault(value, word)
    return ", ".join(words.values())


def _choice(table: dict, what: Word, allowed: Word):
    def parse(value):
        s = cell_text(value).lower()
        if not s:
            return None
        if s not in table:
            raise CellError(
                NOT_KNOWN_VALUE,
                USE_ONE_OF,
                what=what,
                value=cell_text(value),
                allowed=allowed,
                choices=_english_choices(table),
            )
        return table[s]

    return parse


def _required_text(fn, what: Word):
    def parse(value):
        s = fn(value)
        if not s:
            raise CellError(CELL_EMPTY, FILL_IN_COLUMN, what=what)
        return s

    return parse


def _max_len(fn, n):
    def parse(value):
        s = fn(value)
        if s and len(s) > n:
            raise CellError(TOO_LONG, AT_MOST_CHARACTERS, start=s[:20], length=len(s), n=n)
        return s

    return parse


class _Importer:
    def __init__(self, session: Session, site_id: int, rows: _Rows):
        self.s, self.site_id, self.rows = session, site_id, rows

    def _load_people(self) -> None:
        """The site's customers by (name, phone) and stall roles by (stall, role)."""
        self.customers = {
            (c.name, c.phone): c
            for c in self.s.scalars(select(Customer).where(Customer.site_id == self.site_id))
        }
        self.roles = {
            (sr.stall_id, sr.role): sr
            for sr in self.s.scalars(
                select(StallRole).join(Stall).where(Stall.site_id == self.site_id)
            )
        }

    def _stalls_by_code(self) -> CodeIndex[Stall]:
        return CodeIndex(
            (st.code, st)
            for st in self.s.scalars(select(Stall).where(Stall.site_id == self.site_id))
        )


class _Buildings(_Importer):
    def check(self, data):
        r = self.rows
        existing = {
            b.name: b
            for b in self.s.scalars(select(Building).where(Building.site_id == self.site_id))
        }
        parsed = []
        for row, v in data:
            name = r.parse(row, v, "name", _max_len(_required_text(cell_text, H_BUILDING_NAME), 50))
            item = {
                "reading_time": r.parse(row, v, "reading_time", cell_time),
                "settlement_time": r.parse(row, v, "settlement_time", cell_time),
                "settlement_cycle": r.parse(
                    row, v, "cycle", _choice(_CYCLES, H_CYCLE, CYCLE_CHOICES)
                ),
            }
            parsed.append((row, name, {k: x for k, x in item.items() if x is not None}))
        _duplicates(r, "name", [(row, n) for row, n, _ in parsed if n], SAME_BUILDING)
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
        buildings = {
            b.name: b
            for b in self.s.scalars(select(Building).where(Building.site_id == self.site_id))
        }
        self.stalls = self._stalls_by_code()
        self._load_people()
        parsed = []
        for row, v in data:
            code = r.parse(row, v, "code", _max_len(_required_text(cell_code, H_STALL_CODE), 30))
            bname = r.parse(row, v, "building", _required_text(cell_text, H_BUILDING))
            item: dict[str, Any] = {
                "name": r.parse(row, v, "name", _max_len(cell_text, 100)),
                "floor": r.parse(row, v, "floor", _max_len(cell_text, 20)),
                "area_m2": r.parse(
                    row, v, "area", lambda x: cell_decimal(x, unit_words=_AREA_UNITS)
                ),
                "note": r.parse(row, v, "note", cell_text),
            }
            people = {}
            for role, nk, pk in (
                (StallRoleKind.TENANT, "tenant", "tenant_phone"),
                (StallRoleKind.OWNER, "owner", "owner_phone"),
            ):
                pname = r.parse(row, v, nk, _max_len(cell_text, 100))
                phone = r.parse(row, v, pk, cell_phone)
                if phone and not pname:
                    r.add(
                        row,
                        nk,
                        PHONE_WITHOUT_NAME,
                        ADD_NAME_OR_DELETE_PHONE,
                        column=r.fields[nk].header,
                    )
                elif pname:
                    people[role] = (pname, phone or "")
            if bname and bname not in buildings:
                r.add(row, "building", NO_SUCH_BUILDING, IMPORT_BUILDING_FIRST, name=bname)
            item["building_id"] = buildings[bname].id if bname in buildings else None
            stall = r.stall(row, v, "code", code, self.stalls).item if code else None
            parsed.append(
                (row, code, stall, {k: x for k, x in item.items() if x not in (None, "")}, people)
            )
        # One stall per row: '0012' and the number 12, or 'a-001' and 'A-001', are the same stall.
        _duplicates(
            r,
            "code",
            [(row, st.id if st else code_key(c)) for row, c, st, _, _ in parsed if c],
            SAME_STALL_CODE,
        )
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
            plans.append(
                (
                    row,
                    "update" if changed or role_changes else "unchanged",
                    stall,
                    changed,
                    role_changes,
                )
            )
        return plans

    def write(self, plans):
        # New stalls, their accounts, tenants, owners and roles go in as bulk INSERTs (a
        # 10,000-stall market is one file): ORM objects only for the rows that change.
        new = [
            dict(site_id=self.site_id, code=target, **item)
            for _r, action, target, item, _p in plans
            if action == "create"
        ]
        ids: dict[str, int] = {}
        if new:
            for row in new:
                row.setdefault("name", "")
                row.setdefault("floor", "")
                row.setdefault("area_m2", Decimal("0"))
                row.setdefault("note", "")
                row.setdefault("status", StallStatus.ACTIVE)
                row.setdefault("created_at", utcnow())
            ids = dict(
                self.s.execute(
                    insert(Stall).returning(Stall.code, Stall.id, sort_by_parameter_order=True), new
                ).all()
            )
            levels = opening_levels(self.s, self.site_id)
            self.s.execute(insert(Account), [{"stall_id": i, **levels} for i in ids.values()])
        for _row, action, target, item, _people in plans:
            if action != "create":
                for k, x in item.items():
                    setattr(target, k, x)
        wanted = {person for *_, people in plans for person in people.values()}
        missing = [p for p in wanted if p not in self.customers]
        if missing:
            made = (
                self.s.execute(
                    insert(Customer).returning(Customer.id, sort_by_parameter_order=True),
                    [
                        {"site_id": self.site_id, "name": n, "phone": ph, "note": ""}
                        for n, ph in missing
                    ],
                )
                .scalars()
                .all()
            )
            self.customer_ids = dict(zip(missing, made, strict=False))
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
            name = r.parse(row, v, "name", _max_len(_required_text(cell_text, H_FULL_NAME), 100))
            phone = r.parse(row, v, "phone", cell_phone) or ""
            note = r.parse(row, v, "note", cell_text)
            code = r.parse(row, v, "stall", cell_code)
            role = r.parse(row, v, "role", _choice(_ROLES, H_ROLE, ROLE_CHOICES))
            stall = None
            if code:
                match = r.stall(row, v, "stall", code, stalls)
                stall = match.item
                if stall is None and not match.ambiguous:
                    r.add(row, "stall", NO_SUCH_STALL, IMPORT_STALL_FIRST, code=code)
            elif role:
                r.add(row, "stall", ROLE_WITHOUT_STALL, ADD_STALL_OR_DELETE_ROLE)
            parsed.append((row, (name, phone), note, stall, role or StallRoleKind.TENANT))
        _duplicates(
            r, "name", [(row, ident) for row, ident, *_ in parsed if ident[0]], NAME_AND_PHONE
        )
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
                plans.append(
                    (row, "update" if note_change or link else "unchanged", cust, note_change, link)
                )
        return plans

    def write(self, plans):
        for _row, action, target, note, link in plans:
            if action == "create":
                cust = Customer(
                    site_id=self.site_id, name=target[0], phone=target[1], note=note or ""
                )
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
    """A meter is its address on its line: the channel column is part of its identity. A row
    without a channel names the one meter with that address; when several lines have a
    meter with that address the row is refused until the channel is filled in."""

    def check(self, data):
        r = self.rows
        stalls = self._stalls_by_code()
        self.stall_codes = {st.id: st.code for st in stalls.items()}
        channels = {
            c.name: c
            for c in self.s.scalars(select(Channel).where(Channel.site_id == self.site_id))
        }
        channel_names = {c.id: c.name for c in channels.values()}
        tariffs = {
            t.name: t for t in self.s.scalars(select(Tariff).where(Tariff.site_id == self.site_id))
        }
        by_address: dict[str, list[Meter]] = {}
        for m in self.s.scalars(
            select(Meter).where(Meter.site_id == self.site_id, Meter.is_active).order_by(Meter.id)
        ):
            by_address.setdefault(m.address, []).append(m)
        parsed = []
        for row, v in data:
            address = r.parse(
                row, v, "address", _max_len(_required_text(cell_code, H_METER_NO), 40)
            )
            kind = r.parse(
                row, v, "kind", _required_text(_choice(_METER_KINDS, H_KIND, KIND_CHOICES), H_KIND)
            )
            item: dict[str, Any] = {"model": r.parse(row, v, "model", _max_len(cell_text, 40))}
            code = r.parse(row, v, "stall", cell_code)
            if code:
                match = r.stall(row, v, "stall", code, stalls)
                if match.item is not None:
                    item["stall_id"] = match.item.id
                elif not match.ambiguous:
                    r.add(row, "stall", NO_SUCH_STALL, IMPORT_STALL_FIRST, code=code)
            cname = r.parse(row, v, "channel", cell_text)
            channel = None
            if cname:
                channel = channels.get(cname)
                if channel is None:
                    r.add(row, "channel", NO_SUCH_CHANNEL, ADD_CHANNEL_FIRST, name=cname)
                else:
                    item["channel_id"] = channel.id
            ct = r.parse(
                row, v, "ct_ratio", lambda x: cell_decimal(x, places=0, minimum=Decimal(1))
            )
            if ct is not None:
                item["ct_ratio"] = int(ct)
            protocol = r.parse(
                row, v, "protocol", _choice(_PROTOCOLS, H_PROTOCOL, PROTOCOL_CHOICES)
            )
            if protocol:
                item["protocol"] = protocol
            meter = None
            if address and not (cname and channel is None):
                meter = self._find(
                    row, address, channel, by_address.get(address, []), channel_names
                )
            if meter is not None and kind and meter.kind != kind:
                r.add(
                    row,
                    "kind",
                    KIND_DIFFERS,
                    CHECK_KIND,
                    address=address,
                    stored=meter.kind.value,
                    typed=kind.value,
                    stored_kind=_KIND_TEXT[meter.kind],
                    typed_kind=_KIND_TEXT[kind],
                )
            if (
                meter is not None
                and meter.stall_id
                and item.get("stall_id")
                and meter.stall_id != item["stall_id"]
            ):
                r.add(
                    row,
                    "address",
                    BOUND_ELSEWHERE,
                    UNBIND_FIRST,
                    address=address,
                    stall=self.stall_codes.get(meter.stall_id, meter.stall_id),
                )
            if "protocol" not in item and meter is None:
                item["protocol"] = default_protocol(channel.kind if channel is not None else None)
            if kind:
                tariff = self._tariff(
                    row, r.parse(row, v, "tariff", _max_len(cell_text, 60)), kind, meter, tariffs
                )
                if tariff is not None:
                    item["tariff_id"] = tariff.id
            ident = ("meter", meter.id) if meter is not None else (item.get("channel_id"), address)
            parsed.append(
                (row, ident, kind, meter, {k: x for k, x in item.items() if x not in (None, "")})
            )
        _duplicates(
            r,
            "address",
            [(row, ident) for row, ident, kind, *_ in parsed if kind and ident[1]],
            CHANNEL_AND_ADDRESS,
        )
        plans = []
        for row, ident, kind, meter, item in parsed:
            if meter is None:
                plans.append((row, "create", (kind, ident[1]), item))
            else:
                changed = {k: x for k, x in item.items() if getattr(meter, k) != x}
                plans.append((row, "update" if changed else "unchanged", meter, changed))
        return plans

    def _tariff(
        self,
        row: int,
        name: str | None,
        kind: MeterKind,
        meter: Meter | None,
        tariffs: dict[str, Tariff],
    ) -> Tariff | None:
        """The tariff a row gives its meter: the one it names, or for a new meter the
        market's only one of its kind; None when the row is refused or the stored meter
        keeps its own."""
        # the English says "a water tariff" (`kind`), the Chinese names the tariff of the kind
        # (`what`)
        words = dict(what=TARIFF_TEXT[kind], kind=KIND_TEXT_EN[kind])
        if name:
            tariff = tariffs.get(name)
            if tariff is None:
                self.rows.add(row, "tariff", NO_SUCH_TARIFF, NAME_LISTED_TARIFF, name=name, **words)
                return None
            wrong = tariff_kind_mismatch(tariff, kind)
            if wrong is not None:
                self.rows.add(row, "tariff", wrong, NAME_TARIFF_OF_KIND(**words))
                return None
            return tariff
        if meter is not None:
            return None
        of_kind = [t for t in tariffs.values() if MeterKind(t.kind) is kind]
        if len(of_kind) == 1:
            return of_kind[0]
        if of_kind:
            self.rows.add(
                row,
                "tariff",
                SEVERAL_TARIFFS,
                NAME_TARIFF_IN_COLUMN,
                count=len(of_kind),
                column=self.rows.fields["tariff"].header.say(),
                **words,
            )
        else:
            self.rows.add(row, "tariff", NO_TARIFF_YET, ADD_TARIFF_FIRST, **words)
        return None

    def _find(
        self,
        row: int,
        address: str,
        channel: Channel | None,
        same_address: list[Meter],
        channel_names: dict[int, str],
    ) -> Meter | None:
        """The stored meter a row names, or None for a new one."""
        if channel is not None:
            on_line = next((m for m in same_address if m.channel_id == channel.id), None)
            if on_line is not None:
                return on_line
            # A meter imported earlier without a line gets its line now.
            unbound = [m for m in same_address if m.channel_id is None]
            return unbound[0] if len(unbound) == 1 else None
        if len(same_address) > 1:
            names = sorted(channel_names.get(m.channel_id, NO_CHANNEL.say()) for m in same_address)
            self.rows.add(
                row,
                "channel",
                SEVERAL_LINES,
                NAME_THE_LINE,
                address=address,
                lines=listed(names),
                column=self.rows.fields["channel"].header.say(),
            )
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
    "buildings": _Buildings,
    "stalls": _Stalls,
    "customers": _Customers,
    "meters": _Meters,
}


# ------------------------------------------------------------------ report file


def problem_report(data: bytes, result: ImportResult, lang: str = "zh_CN") -> bytes:
    """The clerk's own file back with every bad row filled red, the wrong cells carrying a
    comment, and a problem column saying what is wrong and what to do (in `lang`)."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb[result.sheet] if result.sheet in wb.sheetnames else wb.worksheets[0]
    problem_col = ws.max_column + 1
    head = ws.cell(result.header_row, problem_col, PROBLEM_COLUMN.say(lang))
    head.font = Font(bold=True, color="C00000")
    ws.column_dimensions[head.column_letter].width = 60
    red = PatternFill("solid", fgColor="FFC7CE")
    by_row: dict[int, list[RowProblem]] = {}
    for p in result.problems:
        by_row.setdefault(p.row, []).append(p)
    for row, problems in by_row.items():
        for c in range(1, problem_col):
            ws.cell(row, c).fill = red
        text = ""
        for p in problems:
            what, fix = p.texts(lang)
            one = (
                PROBLEM_IN_COLUMN.say(lang, column=p.column, problem=what, fix=fix)
                if p.column
                else PROBLEM_OF_ROW.say(lang, problem=what, fix=fix)
            )
            text = PROBLEMS_OF_ROW.say(lang, first=text, second=one) if text else one
        ws.cell(row, problem_col, text).fill = red
        for p in problems:
            if p.col_index is not None:
                ws.cell(row, p.col_index + 1).comment = Comment(
                    "\n".join(p.texts(lang)), "MarketMeter"
                )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
