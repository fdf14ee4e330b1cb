"""A meter imported from Excel is priced: its tariff (电价/水价) is named in its row or is the
market's only one of its kind; a row that leaves it open is refused, never billed at zero."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import delete, func, select

from app.comm.types import ChannelKind, MeterKind, MeterReading
from app.models.meter import Channel, Meter
from app.models.tariff import Tariff
from app.services.market.imports import import_excel, write_template
from app.services.market.readings import ingest
from app.services.market.usage import unsettled_usage
from tests.builders import a_stall, a_tariff, an_admin, xlsx

CJK = re.compile(r"[\u4e00-\u9fff]")
T0 = datetime(2026, 11, 20, 1, tzinfo=UTC)


def a_line(s, admin, name="1号485") -> Channel:
    channel = Channel(site_id=admin.site_id, name=name, kind=ChannelKind.SERIAL)
    s.add(channel)
    s.flush()
    return channel


def tariffs_of(s) -> dict[str, str | None]:
    """Meter address → the name of its tariff."""
    names = dict(s.execute(select(Tariff.id, Tariff.name)).all())
    return {m.address: names.get(m.tariff_id) for m in s.scalars(select(Meter))}


def test_a_meter_imported_without_the_tariff_column_gets_the_markets_only_tariff_and_its_usage_is_priced(  # noqa: E501
    db,
):
    with db.transaction() as s:
        admin = an_admin(s)  # the market has 商业电价 0.85 and 商业水价 4.50
        stall = a_stall(s, "A001")
        line = a_line(s, admin)
        result = import_excel(
            s,
            admin,
            "meters",
            xlsx(
                [
                    ["表号", "类型", "档位编号", "通道"],
                    ["E001", "电表", "A001", "1号485"],
                    ["W001", "水表", "A001", "1号485"],
                ]
            ),
        )
        assert result.ok and result.created == 2, result.problems
        assert tariffs_of(s) == {"E001": "商业电价", "W001": "商业水价"}
        ingest(
            s,
            [
                MeterReading(line.id, "E001", MeterKind.ELECTRIC, T0, 100_000),
                MeterReading(line.id, "W001", MeterKind.WATER, T0, 10_000),
            ],
            now=T0,
        )
        later = T0 + timedelta(hours=5)
        ingest(
            s,
            [
                MeterReading(line.id, "E001", MeterKind.ELECTRIC, later, 101_000),  # 10 kWh
                MeterReading(line.id, "W001", MeterKind.WATER, later, 12_000),
            ],
            now=later,
        )  # 2 m³
        used = {u.kind: (u.quantity, u.amount) for u in unsettled_usage(s, [stall.id], now=later)}
    assert used == {
        MeterKind.ELECTRIC: (Decimal("10.000"), Decimal("8.50")),
        MeterKind.WATER: (Decimal("2.000"), Decimal("9.00")),
    }


TWO_KINDS = [["表号", "类型", "档位编号"], ["E001", "电表", "A001"], ["W001", "水表", "A001"]]


def test_with_two_electricity_tariffs_and_no_column_the_electricity_row_is_refused(db):
    with db.transaction() as s:
        admin = an_admin(s)
        a_stall(s, "A001")
        a_tariff(s, "分时电价", MeterKind.ELECTRIC)
        refused = import_excel(s, admin, "meters", xlsx(TWO_KINDS), all_or_nothing=True)
        assert not refused.written and refused.bad_rows == (2,)
        assert s.scalar(select(func.count()).select_from(Meter)) == 0  # all or nothing: nothing
        (problem,) = refused.problems
        assert (problem.row, problem.column) == (2, "电价/水价")
        assert problem.texts("zh_CN") == (
            "本市场有 2 个电价，不知道这块表用哪一个",
            "在“电价/水价”列填写要用的电价名称",
        )
        assert problem.texts("en") == (
            "This market has 2 electricity tariffs, so it is not clear which one this meter uses",
            "Write the name of the electricity tariff to use in the “电价/水价” (tariff) column",
        )
        valid_rows = import_excel(s, admin, "meters", xlsx(TWO_KINDS))
        assert valid_rows.written and valid_rows.created == 1 and valid_rows.bad_rows == (2,)
        assert tariffs_of(s) == {"W001": "商业水价"}  # the water row went in, priced


def test_a_market_without_a_water_tariff_refuses_new_water_meters_and_says_where_to_add_one(db):
    with db.transaction() as s:
        admin = an_admin(s)
        a_stall(s, "A001")
        s.execute(delete(Tariff).where(Tariff.kind == MeterKind.WATER))
        result = import_excel(s, admin, "meters", xlsx(TWO_KINDS), dry_run=True)
        assert result.bad_rows == (3,) and result.created == 1
        (problem,) = result.problems
        assert problem.texts("zh_CN") == (
            "本市场还没有水价，新表不能没有水价",
            "先在“设置 → 电价水价”里添加水价，再导入",
        )
        assert (
            problem.texts("en")[1]
            == "Add a water tariff under Settings → Tariffs first, then import again"
        )


def test_a_named_tariff_must_exist_in_the_market_and_be_of_the_meters_kind(db):
    with db.transaction() as s:
        admin = an_admin(s)
        a_stall(s, "A001")
        a_tariff(s, "分时电价", MeterKind.ELECTRIC)
        rows = [
            ["表号", "类型", "档位编号", "电价/水价"],
            ["E001", "电表", "A001", "分时电价"],
            ["E002", "电表", "A001", "商业水价"],  # a water tariff for an electricity meter
            ["W001", "水表", "A001", "居民水价"],  # no such tariff
            ["W002", "水表", "A001", None],
        ]  # the only water tariff
        result = import_excel(s, admin, "meters", xlsx(rows))
        assert result.bad_rows == (3, 4) and result.created == 2
        wrong, unknown = result.problems
        assert (wrong.column, unknown.column) == ("电价/水价", "电价/水价") and wrong.col_index == 3
        assert wrong.texts("zh_CN") == (
            "“商业水价”是水价，电表要选电价",
            "填写一个电价的名称，或核对类型",
        )
        assert (
            wrong.texts("en")[0]
            == "“商业水价” is a water tariff; an electricity meter needs an electricity tariff"
        )
        assert unknown.texts("zh_CN") == (
            "水价“居民水价”不存在",
            "填写“设置 → 电价水价”里已有的水价名称，或先在那里添加",
        )
        assert unknown.texts("en")[0] == "Tariff “居民水价” does not exist"
        assert tariffs_of(s) == {"E001": "分时电价", "W002": "商业水价"}


def test_an_empty_cell_keeps_a_stored_meters_tariff_and_a_filled_one_changes_it(db):
    with db.transaction() as s:
        admin = an_admin(s)
        a_stall(s, "A001")
        import_excel(s, admin, "meters", xlsx(TWO_KINDS))
        a_tariff(
            s, "分时电价", MeterKind.ELECTRIC
        )  # now the market has two: a stored meter keeps its own
        again = import_excel(s, admin, "meters", xlsx(TWO_KINDS))
        assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 2), (
            again.problems
        )
        rows = [
            ["表号", "类型", "电价/水价"],
            ["E001", "电表", "分时电价"],
            ["W001", "水表", "商业水价"],
        ]
        trial = import_excel(s, admin, "meters", xlsx(rows), dry_run=True)
        assert (trial.updated, trial.unchanged) == (1, 1) and tariffs_of(s)["E001"] == "商业电价"
        changed = import_excel(s, admin, "meters", xlsx(rows))
        assert (changed.updated, changed.unchanged) == (1, 1)
        assert tariffs_of(s) == {"E001": "分时电价", "W001": "商业水价"}


def test_the_meter_template_has_the_tariff_column_explained():
    wb = load_workbook(io.BytesIO(write_template("meters")))
    headers = [c.value for c in wb.worksheets[0][1]]
    assert "电价/水价" in headers
    assert wb.worksheets[0].cell(2, headers.index("电价/水价") + 1).value == "商业电价"
    explained = {
        r[0]: r for r in wb["填写说明"].iter_rows(min_row=2, values_only=True) if r and r[0]
    }
    name, required, help_text, _example, english = explained["电价/水价"]
    assert required == "否" and "设置 → 电价水价" in help_text and english == "tariff"


def test_english_headers_name_the_tariff_and_its_problems_are_explained_in_english(db):
    with db.transaction() as s:
        admin = an_admin(s)
        a_stall(s, "A001")
        rows = [
            ["Meter Address", "Kind", "Stall Code", "Tariff"],
            ["E001", "electric", "A001", "商业电价"],
            ["E002", "electric", "A001", "商业水价"],
            ["E003", "electric", "A001", "无此电价"],
        ]
        result = import_excel(s, admin, "meters", xlsx(rows))
        assert result.created == 1 and result.bad_rows == (3, 4)
        assert {p.column for p in result.problems} == {"Tariff"}
        assert tariffs_of(s) == {"E001": "商业电价"}
    for p in result.problems:  # Chinese only where the clerk's own value is quoted
        assert not any(CJK.search(t) for t in (re.sub(r"“[^”]*”", "", t) for t in p.texts("en"))), p
