"""The admin imports the market's stalls, buildings, customers and meters from Excel files
as people really make them."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, time
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.comm.types import ChannelKind, MeterKind
from app.models.account import Account
from app.models.meter import Channel, Meter
from app.models.site import Building, Customer, SettlementCycle, Stall, StallRole, StallRoleKind
from app.models.user import AuditEvent
from app.services.market.imports import import_excel, problem_report, write_template
from app.services.platform.context import PermissionDenied
from tests.builders import a_building, a_cashier, a_stall, an_admin, xlsx

MESSY_STALLS = [
    # header: other order, spaces, full-width letters, an English name, a remark in brackets
    [
        " 楼栋 ",
        "档位 编号",
        "Stall Name",
        "面积（㎡）",
        "租户",
        "租户电话",
        "业主",
        "业主电话",
        "备注",
    ],
    ["A区", "A-001 ", "张记蔬菜  ", 12.5, "张三", 13800138000.0, "李四", "13900139000", "靠门"],
    [None, None, None, None, None, None, None, None, None],  # a blank row in the middle
    ["A区", 12, "王家猪肉", "8㎡", "王五", "138 0013 8001", None, None, None],
    ["A区", "ＡＢ－００３", "全角档", "9", None, None, None, None, None],
]


def test_clerk_imports_a_messy_stall_file_with_a_merged_title_row(db):
    data = xlsx(MESSY_STALLS, title="城东市场档位清单（2026年11月）")
    with db.transaction() as s:
        a_building(s, "A区")
        result = import_excel(s, an_admin(s), "stalls", data, filename="档位.xlsx")
    assert result.ok, result.problems
    assert (result.header_row, result.total_rows, result.created) == (2, 3, 3)
    with db.transaction() as s:
        stalls = {st.code: st for st in s.scalars(select(Stall))}
        assert set(stalls) == {"A-001", "12", "AB-003"}  # number cell 12 → "12"; full-width → NFKC
        assert stalls["A-001"].name == "张记蔬菜" and stalls["A-001"].area_m2 == Decimal("12.500")
        assert stalls["12"].area_m2 == Decimal("8.000")
        roles = {
            (r.stall.code, r.role): (r.customer.name, r.customer.phone)
            for r in s.scalars(select(StallRole))
        }
        assert roles[("A-001", StallRoleKind.TENANT)] == ("张三", "13800138000")  # float phone
        assert roles[("A-001", StallRoleKind.OWNER)] == ("李四", "13900139000")
        assert roles[("12", StallRoleKind.TENANT)] == ("王五", "13800138001")
        assert (
            s.scalar(select(func.count()).select_from(Account)) == 3
        )  # every new stall has an account
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "import.stalls"))
        assert event.detail["created"] == 3 and event.detail["file"] == "档位.xlsx"


def test_reimporting_the_same_file_changes_nothing(db):
    data = xlsx(MESSY_STALLS)
    with db.transaction() as s:
        a_building(s, "A区")
        import_excel(s, an_admin(s), "stalls", data)
    with db.transaction() as s:
        again = import_excel(s, an_admin(s), "stalls", data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Stall)) == 3
        assert s.scalar(select(func.count()).select_from(Customer)) == 3
        assert s.scalar(select(func.count()).select_from(StallRole)) == 3
    changed = [r[:] for r in MESSY_STALLS]
    changed[1] = ["A区", "A-001", "张记蔬菜二店", 12.5, "张三", 13800138000.0, None, None, None]
    with db.transaction() as s:
        third = import_excel(s, an_admin(s), "stalls", xlsx(changed))
        assert (third.created, third.updated, third.unchanged) == (0, 1, 2)
        assert s.scalar(select(Stall.name).where(Stall.code == "A-001")) == "张记蔬菜二店"
        # an empty owner cell does not remove the owner
        assert s.scalar(select(func.count()).select_from(StallRole)) == 3


BAD_STALLS = [
    ["档位编号", "档位名称", "楼栋", "面积", "租户", "租户电话"],
    ["B001", "好的", "A区", 10, "赵六", "13700137000"],  # row 2
    ["B002", "楼栋不存在", "Z区", 10, None, None],  # row 3
    ["B001", "重复编号", "A区", 10, None, None],  # row 4
    ["B004", "面积不对", "A区", "十平米", None, None],  # row 5
    ["B005", "电话不对", "A区", 10, "钱七", "电话待补"],  # row 6
    [None, "没编号", "A区", 10, None, None],  # row 7
    ["B008", "好的二", "A区", -1, None, None],  # row 8: negative area
]


def test_bad_rows_are_reported_by_spreadsheet_row_and_the_good_ones_written(db):
    data = xlsx(BAD_STALLS)
    with db.transaction() as s:
        a_building(s, "A区")
        result = import_excel(s, an_admin(s), "stalls", data)
    assert result.bad_rows == (3, 4, 5, 6, 7, 8)
    by_row = {p.row: p for p in result.problems}
    assert (
        "Z区" in by_row[3].problem and "先导入楼栋" in by_row[3].fix and by_row[3].column == "楼栋"
    )
    assert "第 2 行重复" in by_row[4].problem
    assert by_row[5].column == "面积" and "不是数字" in by_row[5].problem
    assert by_row[6].column == "租户电话"
    assert "档位编号为空" in by_row[7].problem
    assert "不能小于 0" in by_row[8].problem
    assert result.written and result.created == 1
    with db.transaction() as s:
        assert list(s.scalars(select(Stall.code))) == ["B001"]
    marked = load_workbook(io.BytesIO(problem_report(data, result))).active
    assert marked.cell(1, 7).value.startswith("问题")
    assert "Z区" in marked.cell(3, 7).value
    assert marked.cell(3, 1).fill.fgColor.rgb.endswith("FFC7CE")
    assert marked.cell(2, 1).fill.fgColor.rgb != marked.cell(3, 1).fill.fgColor.rgb
    assert marked.cell(5, 4).comment is not None  # the bad area cell carries the problem


def test_all_or_nothing_writes_nothing_when_a_row_is_bad(db):
    with db.transaction() as s:
        a_building(s, "A区")
        result = import_excel(s, an_admin(s), "stalls", xlsx(BAD_STALLS), all_or_nothing=True)
        assert not result.written and result.bad_rows
        assert "未写入" in result.summary()
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Stall)) == 0


def test_a_dry_run_checks_and_counts_but_writes_nothing(db):
    with db.transaction() as s:
        a_building(s, "A区")
        result = import_excel(s, an_admin(s), "stalls", xlsx(MESSY_STALLS), dry_run=True)
        assert result.created == 3 and not result.written
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Stall)) == 0
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_a_file_without_the_code_column_is_refused_with_the_header_row(sqlite_db):
    with sqlite_db.transaction() as s:
        a_building(s, "A区")
        result = import_excel(s, an_admin(s), "stalls", xlsx([["档位名称", "楼栋"], ["x", "A区"]]))
    assert (
        not result.written
        and result.problems[0].row == 1
        and "缺少“档位编号”列" in result.problems[0].problem
    )


def test_only_the_admin_may_import(sqlite_db):
    with sqlite_db.transaction() as s:
        with pytest.raises(PermissionDenied, match="无权批量导入档案"):
            import_excel(s, a_cashier(s), "stalls", xlsx(MESSY_STALLS))


def test_buildings_take_times_in_every_form_people_type(db):
    rows = [
        ["楼栋", "抄表时间", "结算时间", "结算周期"],
        ["A区", 0.0, 1 / 24, "日"],  # Excel time fractions
        ["B区", "8:00", "08:30:00", "按月"],
        ["C区", time(23, 0), datetime(2026, 1, 1, 23, 30), "hourly"],
        ["D区", "25:00", "1:00", "每周"],  # bad time, bad cycle
    ]
    with db.transaction() as s:
        result = import_excel(s, an_admin(s), "buildings", xlsx(rows))
    assert result.bad_rows == (5,) and {p.column for p in result.problems} == {
        "抄表时间",
        "结算周期",
    }
    with db.transaction() as s:
        got = {
            b.name: (b.reading_time, b.settlement_time, b.settlement_cycle)
            for b in s.scalars(select(Building))
        }
    assert got == {
        "A区": (time(0, 0), time(1, 0), SettlementCycle.DAILY),
        "B区": (time(8, 0), time(8, 30), SettlementCycle.MONTHLY),
        "C区": (time(23, 0), time(23, 30), SettlementCycle.HOURLY),
    }


def test_meters_are_bound_to_stalls_and_a_meter_of_another_stall_is_refused(db):
    with db.transaction() as s:
        admin = an_admin(s)
        a_stall(s, "A001"), a_stall(s, "A002")
        s.add(Channel(site_id=admin.site_id, name="1号485", kind=ChannelKind.SERIAL))
        s.add(Channel(site_id=admin.site_id, name="NB平台", kind=ChannelKind.CTWING))
        rows = [
            ["表号", "类型", "型号", "档位编号", "通道", "倍率"],
            [12345678.0, "电表", "DDSY1352", "A001", "1号485", 1],
            ["W0001", "水表", "LXSY", "A001", "NB平台", None],
            ["M0001", "电表", "DTSY1352", None, "1号485", 40],  # the building's master meter
            ["X0001", "电表", None, "A999", "5号485", 0],  # unknown stall, channel, bad ratio
        ]
        result = import_excel(s, admin, "meters", xlsx(rows))
        assert result.bad_rows == (5,) and len(result.problems) == 3
        meters = {m.address: m for m in s.scalars(select(Meter))}
        assert meters["12345678"].kind is MeterKind.ELECTRIC and meters["M0001"].ct_ratio == 40
        assert meters["W0001"].protocol.value == "ctwing_water" and meters["M0001"].stall_id is None
        again = import_excel(s, admin, "meters", xlsx(rows[:4]))
        assert again.unchanged == 3
        moved = import_excel(
            s, admin, "meters", xlsx([rows[0], [12345678, "电表", None, "A002", None, None]])
        )
    assert moved.bad_rows == (2,) and "已绑定到档位“A001”" in moved.problems[0].problem


def test_the_same_slave_id_on_two_lines_is_two_meters_and_reimport_changes_nothing(db):
    with db.transaction() as s:
        admin = an_admin(s)
        a_stall(s, "A001"), a_stall(s, "A002")
        s.add_all(
            [
                Channel(site_id=admin.site_id, name="1号485", kind=ChannelKind.SERIAL),
                Channel(site_id=admin.site_id, name="2号485", kind=ChannelKind.SERIAL),
            ]
        )
        rows = [
            ["表号", "类型", "档位编号", "通道"],
            [1, "电表", "A001", "1号485"],
            [1, "电表", "A002", "2号485"],
        ]
        result = import_excel(s, admin, "meters", xlsx(rows))
        assert result.ok and result.created == 2, result.problems
        again = import_excel(s, admin, "meters", xlsx(rows))
        assert (again.created, again.unchanged) == (0, 2)
        lines = {
            (m.channel_id, m.stall_id) for m in s.scalars(select(Meter).where(Meter.address == "1"))
        }
        assert len(lines) == 2


def test_a_slave_id_twice_on_one_line_is_refused(db):
    with db.transaction() as s:
        admin = an_admin(s)
        a_stall(s, "A001"), a_stall(s, "A002")
        s.add(Channel(site_id=admin.site_id, name="1号485", kind=ChannelKind.SERIAL))
        rows = [
            ["表号", "类型", "档位编号", "通道"],
            [7, "电表", "A001", "1号485"],
            [7, "电表", "A002", "1号485"],
        ]
        result = import_excel(s, admin, "meters", xlsx(rows), all_or_nothing=True)
        assert result.bad_rows == (3,) and not result.written
        assert "通道 + 表号与第 2 行重复" in result.problems[0].problem
        assert s.scalar(select(func.count()).select_from(Meter)) == 0


def test_a_row_without_channel_names_the_one_meter_or_asks_for_the_channel(db):
    with db.transaction() as s:
        admin = an_admin(s)
        a_stall(s, "A001"), a_stall(s, "A002")
        s.add_all(
            [
                Channel(site_id=admin.site_id, name="1号485", kind=ChannelKind.SERIAL),
                Channel(site_id=admin.site_id, name="2号485", kind=ChannelKind.SERIAL),
            ]
        )
        import_excel(
            s,
            admin,
            "meters",
            xlsx(
                [
                    ["表号", "类型", "通道"],
                    [3, "电表", "1号485"],
                    [3, "电表", "2号485"],
                    ["645001", "电表", "1号485"],
                ]
            ),
        )
        result = import_excel(
            s,
            admin,
            "meters",
            xlsx(
                [
                    ["表号", "类型", "档位编号"],
                    ["645001", "电表", "A001"],  # one line has it: bound
                    [3, "电表", "A002"],
                ]
            ),
        )  # two lines have it
        assert result.bad_rows == (3,) and result.updated == 1 and result.created == 0
        problem = result.problems[0]
        assert (
            problem.column == "通道"
            and "1号485、2号485" in problem.problem
            and "填写" in problem.fix
        )
        assert s.scalar(select(Meter.stall_id).where(Meter.address == "645001")) is not None


def test_customers_are_linked_to_their_stalls(db):
    with db.transaction() as s:
        a_stall(s, "A001")
        rows = [
            ["姓名", "电话", "备注", "档位编号", "身份"],
            ["张三", 13800138000, "老客户", "A001", "业主"],
            ["李四", None, None, None, None],
            ["王五", "13800138002", None, "A404", "租户"],
        ]
        result = import_excel(s, an_admin(s), "customers", xlsx(rows))
        assert result.bad_rows == (4,) and result.created == 2
        role = s.scalar(select(StallRole))
        assert (role.role, role.customer.name, role.customer.note) == (
            StallRoleKind.OWNER,
            "张三",
            "老客户",
        )


def test_the_template_explains_each_column_and_its_example_imports(db):
    data = write_template("stalls")
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["档位", "填写说明"]
    assert [c.value for c in wb["档位"][1]][:3] == ["档位编号", "档位名称", "楼栋"]
    assert any("唯一编号" in str(c.value) for c in wb["填写说明"]["C"])
    with db.transaction() as s:
        a_building(s, "A区")
        result = import_excel(s, an_admin(s), "stalls", data)
        assert result.ok and result.created == 1
        assert s.scalar(select(Stall.code)) == "A-0012"  # a text cell keeps the leading zeros


LIBREOFFICE_FILE = Path(__file__).parent / "files" / "stalls_saved_by_libreoffice.xlsx"


def test_a_file_saved_by_libreoffice_imports(sqlite_db):
    """The file was made by LibreOffice 7.4 from a CSV with a title row and a blank row:
    soffice --headless --infilter=CSV:44,34,76,1 --convert-to xlsx stalls.csv"""
    data = LIBREOFFICE_FILE.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert b"<Application>LibreOffice" in z.read("docProps/app.xml")
    with sqlite_db.transaction() as s:
        a_building(s, "A区")
        result = import_excel(s, an_admin(s), "stalls", data)
        # LibreOffice reads 0012 as the number 12: imported as "12" (documented)
        assert result.header_row == 2 and result.created == 2 and result.bad_rows == (6,)
        assert sorted(s.scalars(select(Stall.code))) == ["12", "C-2"]
        assert s.scalar(select(Customer.phone)) == "13800138000"


def test_a_code_whose_leading_zeros_a_spreadsheet_dropped_updates_the_stored_stall(db):
    """First import: 0012 as text. The same list saved again by Excel / WPS has the number 12:
    it is the stall 0012 (the result says so), not a second stall '12'."""
    header = ["档位编号", "楼栋", "档位名称", "租户", "租户电话"]
    with db.transaction() as s:
        a_building(s, "A区")
        first = import_excel(
            s,
            an_admin(s),
            "stalls",
            xlsx([header, ["0012", "A区", "张记蔬菜", "张三", "13800138000"]]),
        )
        assert first.created == 1
    with db.transaction() as s:
        again = import_excel(
            s,
            an_admin(s),
            "stalls",
            xlsx([header, [12, "A区", "张记蔬菜新", "张三", "13800138000"]]),
        )
        assert again.ok and (again.created, again.updated) == (0, 1)
        (note,) = again.notes
        assert (
            note.row == 2
            and "数字 12 按档位 0012 处理" in note.problem
            and "stall 0012" in note.problem_en
        )
    with db.transaction() as s:
        assert [(st.code, st.name) for st in s.scalars(select(Stall))] == [("0012", "张记蔬菜新")]
        # The meter and customer imports read the number the same way.
        meters = import_excel(
            s,
            an_admin(s),
            "meters",
            xlsx([["表号", "类型", "档位编号"], ["000000000001", "电表", 12]]),
        )
        assert meters.ok and meters.created == 1 and len(meters.notes) == 1
        assert s.scalar(select(Meter.stall_id)) == s.scalar(select(Stall.id))


def test_a_number_that_fits_two_stored_codes_is_refused_with_what_to_do(db):
    with db.transaction() as s:
        a_stall(s, "0012")
        a_stall(s, "012")
        result = import_excel(
            s,
            an_admin(s),
            "stalls",
            xlsx([["档位编号", "楼栋", "档位名称"], [12, "A区", "谁的档位"]]),
        )
        assert result.bad_rows == (2,) and result.created == result.updated == 0
        (problem,) = result.problems
        assert "可能是 0012、012" in problem.problem and "文本格式" in problem.fix
        customers = import_excel(
            s,
            an_admin(s),
            "customers",
            xlsx([["姓名", "电话", "档位编号"], ["张三", "13800138000", 12]]),
        )
        assert customers.bad_rows == (2,) and "可能是 0012、012" in customers.problems[0].problem
        assert sorted(s.scalars(select(Stall.code))) == ["0012", "012"]


def test_stall_codes_in_a_file_match_whatever_the_case(db):
    with db.transaction() as s:
        a_stall(s, "A-001")
        result = import_excel(
            s,
            an_admin(s),
            "stalls",
            xlsx([["档位编号", "楼栋", "档位名称"], ["a-001", "A区", "改名"]]),
        )
        assert result.ok and (result.created, result.updated) == (0, 1)
        twice = import_excel(
            s, an_admin(s), "stalls", xlsx([["档位编号", "楼栋"], ["B-1", "A区"], ["b-1", "A区"]])
        )
        assert twice.bad_rows == (3,) and "与第 2 行重复" in twice.problems[0].problem
        assert [(st.code, st.name) for st in s.scalars(select(Stall).order_by(Stall.code))] == [
            ("A-001", "改名"),
            ("B-1", ""),
        ]


def test_an_import_row_naming_codes_stored_that_differ_only_in_case_is_refused_not_guessed(db):
    with db.transaction() as s:
        a_stall(s, "AB-1")
        a_stall(s, "B-002").code = "ab-1"  # an old database may hold both
        result = import_excel(
            s,
            an_admin(s),
            "stalls",
            xlsx([["档位编号", "楼栋", "档位名称"], ["Ab-1", "A区", "改名"]]),
        )
        assert result.bad_rows == (2,) and "只差字母大小写" in result.problems[0].problem
        assert sorted(st.name for st in s.scalars(select(Stall))) == [
            "档位AB-1",
            "档位B-002",
        ]  # neither renamed


OLD_EXCEL_FILE = Path(__file__).parent / "files" / "stalls_old_excel.xls"


@pytest.mark.parametrize(
    "data, names",
    [
        # Written by xlwt 1.3.0 (Excel 97-2003 BIFF8), as an old office PC saves it.
        (OLD_EXCEL_FILE.read_bytes(), ("Excel 97-2003 (.xls)", "Excel 97-2003 (.xls)")),
        (
            "档位编号,楼栋,档位名称\nA-001,A区,张记蔬菜\n".encode("gb18030"),
            ("CSV", "CSV"),
        ),  # WPS saves CSV as GBK
        ("档位编号,楼栋\r\nA-001,A区\r\n".encode("utf-8-sig"), ("CSV", "CSV")),
    ],
)
def test_an_xls_or_csv_file_is_named_and_the_clerk_told_how_to_save_it_as_xlsx(
    sqlite_db, data, names
):
    from app.services.platform.context import ServiceError

    with sqlite_db.transaction() as s, pytest.raises(ServiceError) as refused:
        import_excel(s, an_admin(s), "stalls", data)
    zh, en = str(refused.value), refused.value.english
    assert names[0] in zh and "另存为" in zh and "Excel 工作簿 (*.xlsx)" in zh
    assert names[1] in en and "Save As" in en
    assert "Error" not in zh + en and "zipfile" not in zh + en  # no Python error names


def test_a_damaged_file_is_refused_without_a_python_error_name(sqlite_db):
    from app.services.platform.context import ServiceError

    with sqlite_db.transaction() as s, pytest.raises(ServiceError) as refused:
        import_excel(s, an_admin(s), "stalls", b"PK\x03\x04" + b"\x00" * 64)
    assert "不是完好的 Excel .xlsx 文件" in str(refused.value) and "Error" not in str(refused.value)


def test_a_formula_without_its_computed_value_is_a_row_error_not_an_empty_cell(sqlite_db):
    """openpyxl, like many programs, writes formulas without their results: only Excel / WPS
    compute and store them when the file is opened and saved."""
    rows = [
        ["档位编号", "楼栋", "档位名称", "面积"],
        ["A-001", "A区", "张记蔬菜", "=3*4"],
        ["A-002", "A区", "王家猪肉", 8],
    ]
    with sqlite_db.transaction() as s:
        a_building(s, "A区")
        result = import_excel(s, an_admin(s), "stalls", xlsx(rows))
        assert result.bad_rows == (2,) and result.created == 1
        (problem,) = result.problems
        assert (problem.column, problem.problem) == (
            "面积",
            "公式没有计算结果，请在 Excel 中另存为值",
        )
        assert "选择性粘贴" in problem.fix and "Paste Special" in problem.fix_en


def test_times_typed_as_text_read_like_the_numbers_and_dates_they_are(sqlite_db):
    rows = [
        ["楼栋", "抄表时间", "结算时间"],
        ["A区", "8", "2026-01-01 08:30"],
        ["B区", "0", "2026/1/1 23:00"],
        ["C区", "8.5", "2026-02-30 08:00"],
    ]  # neither a whole hour nor a real date
    with sqlite_db.transaction() as s:
        result = import_excel(s, an_admin(s), "buildings", xlsx(rows))
        assert result.bad_rows == (4,) and len(result.problems) == 2
        got = {b.name: (b.reading_time, b.settlement_time) for b in s.scalars(select(Building))}
    assert got == {"A区": (time(8, 0), time(8, 30)), "B区": (time(0, 0), time(23, 0))}


# Header spellings the import read before its words came from the catalogue: customers'
# files and older templates use them, so they are a file format and must keep working.
ACCEPTED_HEADERS = {
    "buildings": {
        "name": ("楼栋", "楼栋名称", "building", "name", "区域"),
        "reading_time": ("抄表时间", "reading time", "readingtime"),
        "settlement_time": ("结算时间", "settlement time", "settlementtime"),
        "cycle": ("结算周期", "cycle", "settlement cycle"),
    },
    "stalls": {
        "code": ("档位编号", "编号", "档位号", "code", "stall code"),
        "name": ("档位名称", "名称", "name", "stall name"),
        "building": ("楼栋", "楼栋名称", "building", "区域"),
        "area": ("面积", "面积㎡", "area", "area m2"),
        "tenant": ("租户", "租户姓名", "tenant"),
        "tenant_phone": ("租户电话", "租户手机", "tenant phone"),
        "owner": ("业主", "业主姓名", "owner"),
        "owner_phone": ("业主电话", "业主手机", "owner phone"),
        "note": ("备注", "note", "remark"),
    },
    "customers": {
        "name": ("姓名", "客户名称", "客户", "name"),
        "phone": ("电话", "手机", "联系电话", "phone"),
        "note": ("备注", "note", "remark"),
        "stall": ("档位编号", "档位", "stall code", "stall"),
        "role": ("身份", "角色", "role"),
    },
    "meters": {
        "address": ("表号", "表地址", "通讯地址", "address", "meter address"),
        "kind": ("类型", "仪表类型", "kind", "type"),
        "model": ("型号", "model"),
        "stall": ("档位编号", "档位", "stall code", "stall"),
        "channel": ("通道", "通道名称", "channel"),
        "ct_ratio": ("倍率", "ct", "ct ratio", "ctratio"),
        "protocol": ("协议", "protocol"),
        "tariff": (
            "电价/水价",
            "电价水价",
            "电价",
            "水价",
            "电价名称",
            "水价名称",
            "tariff name",
            "tariff",
        ),
    },
}


@pytest.mark.parametrize("kind", sorted(ACCEPTED_HEADERS))
def test_every_header_spelling_read_before_is_still_read_as_its_column(kind):
    from app.services.market.imports import SPECS
    from app.services.office.excel_io import norm_header

    accepted = {f.key: {norm_header(n) for n in f.names()} for f in SPECS[kind]}
    for key, spellings in ACCEPTED_HEADERS[kind].items():
        for spelling in spellings:
            fields = [k for k, names in accepted.items() if norm_header(spelling) in names]
            assert fields == [key], (kind, spelling, fields)


def test_an_english_template_comes_back_in_and_old_headers_and_value_words_are_read(sqlite_db):
    english = load_workbook(io.BytesIO(write_template("buildings", "en")))
    assert [c.value for c in english.worksheets[0][1]] == [
        "Building",
        "Reading time",
        "Settlement time",
        "Settlement cycle",
    ]
    assert english.worksheets[0].title == "buildings" and english.sheetnames[1] == "How to fill in"
    english.worksheets[0].append(["Zone B", "0:30", "1:30", "by the month"])
    buf = io.BytesIO()
    english.save(buf)
    old_headers = xlsx([["区域", "结算周期"], ["C区", "按月"], ["D区", "每天"]])
    meters = xlsx([["通讯地址", "仪表类型", "协议"], ["000000000001", "电", "安科瑞"]])
    people = xlsx(
        [["客户名称", "联系电话", "档位", "角色"], ["王五", "13800138000", "A-001", "产权人"]]
    )
    with sqlite_db.transaction() as s:
        admin = an_admin(s)
        a_stall(s, "A-001")
        assert import_excel(s, admin, "buildings", buf.getvalue()).ok
        assert import_excel(s, admin, "buildings", old_headers).ok
        cycles = dict(s.execute(select(Building.name, Building.settlement_cycle)).all())
        assert (
            cycles["Zone A"] == SettlementCycle.DAILY
            and cycles["Zone B"] == SettlementCycle.MONTHLY
        )
        assert cycles["C区"] == SettlementCycle.MONTHLY and cycles["D区"] == SettlementCycle.DAILY
        tried = import_excel(s, admin, "meters", meters, dry_run=True)
        assert tried.ok and tried.created == 1, tried.problems
        (weekly,) = import_excel(
            s, admin, "buildings", xlsx([["楼栋", "结算周期"], ["E区", "weekly"]])
        ).problems
        assert weekly.texts("zh_CN") == ("结算周期“weekly”不认识", "填写 小时、日 或 月")
        assert weekly.texts("en") == (
            "“weekly” is not a known value",
            "Use one of: hourly, daily, monthly",
        )
        linked = import_excel(s, admin, "customers", people)
        assert linked.ok, linked.problems
        role = s.scalar(select(StallRole).join(Customer).where(Customer.name == "王五"))
        assert role.role is StallRoleKind.OWNER
