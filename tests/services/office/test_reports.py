"""Reports the office prints: meter usage, the cashier's shift, arrears notices; and the
one Excel exporter behind every table."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.comm.types import MeterKind
from app.models.account import PayMethod
from app.models.site import Customer, Stall, StallRole, StallRoleKind
from app.services.money.accounts import RechargeRequest, close_account, recharge, reverse_recharge
from app.services.office.excel_io import Column, display_width, export_table
from app.services.office.pdf import fmt_cell
from app.services.office.reports import (
    arrears_notices_pdf,
    arrears_pdf,
    arrears_report,
    arrears_xlsx,
    shift_pdf,
    shift_report,
    shift_xlsx,
    usage_pdf,
    usage_report,
    usage_xlsx,
)
from app.services.platform.context import PermissionDenied
from tests.builders import a_cashier, a_meter, a_reviewer, a_stall, account_of, an_admin, readings
from tests.conftest import need_tool
from tests.pdf import pdf_pages, pdf_text


def test_usage_report_by_day_and_by_month(db):
    with db.transaction() as s:
        admin = an_admin(s)
        stall = a_stall(s, "A001")
        e = a_meter(s, stall, address="E1", ct_ratio=10)
        readings(
            s,
            e,
            {
                date(2026, 10, 30): 1,
                date(2026, 10, 31): 2,
                date(2026, 11, 1): 4,
                date(2026, 11, 2): 4.5,
            },
        )
        w = a_meter(s, stall, kind=MeterKind.WATER, address="W1")
        readings(s, w, {date(2026, 10, 31): 5, date(2026, 11, 2): 6.25})
        by_day = usage_report(s, admin, date(2026, 10, 31), date(2026, 11, 2))
        by_month = usage_report(
            s, admin, date(2026, 10, 31), date(2026, 11, 2), by="month", meter_ids=[e.id]
        )
    assert [(r.address, r.period, r.usage) for r in by_day] == [
        ("E1", "2026-10-31", Decimal("10.000")),
        ("E1", "2026-11-01", Decimal("20.000")),
        ("E1", "2026-11-02", Decimal("5.000")),
        ("W1", "2026-11-02", Decimal("1.250")),
    ]
    assert [(r.period, r.usage, r.unit) for r in by_month] == [
        ("2026-10", Decimal("10.000"), "kWh"),
        ("2026-11", Decimal("25.000"), "kWh"),
    ]
    ws = load_workbook(io.BytesIO(usage_xlsx(by_day, "用量报表"))).active
    assert ws.cell(3, 6).value == 10 and ws.cell(3, 5).value == "2026-10-31"
    # Each quantity in its unit's decimals: kWh 0.01, m³ 0.001, in the .xlsx and the PDF.
    assert [(ws.cell(r, 6).number_format, ws.cell(r, 7).value) for r in (3, 6)] == [
        ("0.00", "kWh"),
        ("0.000", "m³"),
    ]
    pdf = usage_pdf(
        by_day, site="城东农贸市场", title="用量报表", period="2026-10-31 至 2026-11-02"
    )
    text = pdf_text(pdf)
    assert "\n10.00\nkWh\n" in text and "\n1.250\nm³\n" in text, text


def test_quantities_have_fixed_decimals_and_whole_numbers_no_trailing_point():
    cols = [
        Column("any", "数", "decimal"),
        Column("kwh", "电量", "kwh"),
        Column("m3", "水量", "m3"),
    ]
    ws = load_workbook(
        io.BytesIO(
            export_table(cols, [{"any": Decimal("12"), "kwh": Decimal("7"), "m3": Decimal("1.5")}])
        )
    ).active
    # Excel showed '0.###' as '12.' for a whole number; General shows 12 and 12.5.
    assert [c.number_format for c in ws[2]] == ["General", "0.00", "0.000"]
    assert [
        fmt_cell(Decimal("7"), "kwh"),
        fmt_cell(Decimal("1.5"), "m3"),
        fmt_cell(Decimal("12.30"), "decimal"),
    ] == ["7.00", "1.500", "12.3"]


def test_shift_report_by_cashier_and_payment_method(db):
    with db.transaction() as s:
        a_stall(s, "A001"), a_stall(s, "A002")
        c1, c2 = a_cashier(s, "zhang"), a_cashier(s, "li")
        start = datetime.now(UTC) - timedelta(hours=1)
        recharge(s, c1, RechargeRequest(stall_code="A001", amount="100", method=PayMethod.CASH))
        recharge(s, c1, RechargeRequest(stall_code="A002", amount="50.5", method=PayMethod.CASH))
        wrong = recharge(
            s, c1, RechargeRequest(stall_code="A002", amount="20", method=PayMethod.WECHAT)
        )
        recharge(s, c2, RechargeRequest(stall_code="A001", amount="200", method=PayMethod.ALIPAY))
        reverse_recharge(s, an_admin(s), receipt_no=wrong.receipt_no, reason="收错")
        end = datetime.now(UTC) + timedelta(hours=1)
        everyone = shift_report(s, a_reviewer(s), start, end)
        own = shift_report(s, c1, start, end)  # a cashier sees only their own shift
    assert everyone.total == Decimal("350.50") and everyone.count == 5
    assert (everyone.first_no, everyone.last_no) == (1, 5)
    ops = {l.operator: (l.count, l.amount) for l in everyone.by_operator}
    assert ops == {
        "zhang": (3, Decimal("170.50")),
        "li": (1, Decimal("200.00")),
        "admin": (1, Decimal("-20.00")),
    }
    methods = {l.method: l.amount for l in everyone.by_method}
    assert methods == {
        "现金": Decimal("150.50"),
        "微信": Decimal("0.00"),
        "支付宝": Decimal("200.00"),
    }
    assert {l.operator for l in own.lines} == {"zhang"} and own.total == Decimal("170.50")
    text = pdf_text(shift_pdf(everyone)).replace("\n", "|")
    # cashier, method, recharges (count, sum), reversals, refunds, net; the totals add the drawer's
    # cash
    for line in (
        "|admin|微信|0|0.00|1|-20.00|0|0.00|-20.00|",
        "|li|支付宝|1|200.00|0|0.00|0|0.00|200.00|",
        "|zhang|微信|1|20.00|0|0.00|0|0.00|20.00|",
        "|zhang|现金|2|150.50|0|0.00|0|0.00|150.50|",
        "|zhang|合计|3|170.50|0|0.00|0|0.00|170.50|150.50|",
        "|全部|微信|1|20.00|1|-20.00|0|0.00|0.00|",
        "|全部|现金|2|150.50|0|0.00|0|0.00|150.50|",
        "|总计|4|370.50|1|-20.00|0|0.00|350.50|150.50|",
        "收据号1—5",
        "应有现金150.50元",
        "第1页/共1页",
    ):
        assert line in text, line


def test_shift_report_puts_reversals_and_refunds_beside_recharges_with_the_cash_the_drawer_holds(
    db,
):
    with db.transaction() as s:
        a_stall(s, "A001"), a_stall(s, "A002", balance="40")
        c1, admin = a_cashier(s, "zhang"), an_admin(s)
        start = datetime.now(UTC) - timedelta(hours=1)
        recharge(s, c1, RechargeRequest(stall_code="A001", amount="100", method=PayMethod.CASH))
        wrong = recharge(
            s, c1, RechargeRequest(stall_code="A001", amount="30", method=PayMethod.CASH)
        )
        recharge(s, c1, RechargeRequest(stall_code="A001", amount="25", method=PayMethod.WECHAT))
        reverse_recharge(s, admin, receipt_no=wrong.receipt_no, reason="收错")
        close_account(
            s, admin, s.scalar(select(Stall.id).where(Stall.code == "A002")), "退租", PayMethod.CASH
        )
        end = datetime.now(UTC) + timedelta(hours=1)
        report = shift_report(s, a_reviewer(s), start, end)
    cash = {(l.operator, l.method): l for l in report.lines}
    zhang = cash[("zhang", "现金")]
    assert (zhang.recharge_count, zhang.recharge, zhang.reversal_count, zhang.refund_count) == (
        2,
        Decimal("130.00"),
        0,
        0,
    )
    boss = cash[("admin", "现金")]
    assert (boss.reversal_count, boss.reversal, boss.refund_count, boss.refund) == (
        1,
        Decimal("-30.00"),
        1,
        Decimal("-40.00"),
    )
    assert boss.amount == Decimal("-70.00")
    drawers = {l.operator: l.cash for l in report.by_operator}
    assert drawers == {"zhang": Decimal("130.00"), "admin": Decimal("-70.00")}
    # 100 + 30 taken in cash, 30 given back by the reversal and 40 paid out as a refund
    assert report.cash == Decimal("60.00") and report.total == Decimal("85.00")
    assert report.grand_total.refund == Decimal("-40.00") and report.grand_total.cash == Decimal(
        "60.00"
    )
    ws = load_workbook(io.BytesIO(shift_xlsx(report))).active
    headers = [c.value for c in ws[2]]
    assert {"充值金额", "冲正金额", "退款金额", "应有现金"} <= set(headers)
    last = [c.value for c in ws[ws.max_row]]
    assert last[0] == "总计" and last[headers.index("应有现金")] == 60


def test_arrears_list_and_one_notice_per_stall(db, tmp_path):
    with db.transaction() as s:
        admin = an_admin(s)
        owing = a_stall(s, "A001", balance="5")
        a_stall(s, "A002", balance="30")
        a_stall(s, "A003", balance="500")
        tripped = a_stall(s, "A004", balance="100")
        a_meter(s, tripped).supply_on = False
        from app.models.account import EntryKind
        from app.services.money.ledger import lock_account, post

        post(
            s,
            lock_account(s, account_of(s, owing).id),
            EntryKind.ADJUSTMENT,
            Decimal("-25"),
            reason="测试",
        )
        s.add(
            StallRole(
                stall=owing,
                role=StallRoleKind.TENANT,
                customer=Customer(site_id=admin.site_id, name="张三", phone="13800138000"),
            )
        )
        s.flush()
        arrears = arrears_report(s, admin, include_low=False)
        everything = arrears_report(s, a_cashier(s), include_low=True)
    assert [(r.stall_code, r.state) for r in arrears] == [("A001", "已欠费"), ("A004", "已断电")]
    assert arrears[0].phone == "13800138000" and arrears[0].available == Decimal("-20.00")
    assert [(r.stall_code, r.state) for r in everything] == [
        ("A001", "已欠费"),
        ("A002", "低于一级报警"),
        ("A004", "已断电"),
    ]
    ws = load_workbook(io.BytesIO(arrears_xlsx(everything, "欠费名单"))).active
    assert ws.cell(3, 5).value == "13800138000"
    pdf = arrears_notices_pdf(
        everything, site="城东农贸市场", site_phone="0571-88886666", today=date(2026, 11, 25)
    )
    pages = [p.replace("\n", "|") for p in pdf_pages(pdf)]
    assert len(pages) == 3  # one notice per stall, each with its own figures
    assert (
        "致：A区A001档位A001|联系人|张三|电话|13800138000|账户余额|-20.00元|可用余额|-20.00元|状态|已欠费"
        in pages[0]
    )
    assert "可用余额为-20.00元，已|欠费" in pages[0] and "0571-88886666" in pages[0]
    assert "致：A区A002" in pages[1] and "|可用余额|30.00元|状态|低于一级报警" in pages[1]
    assert "低|于报警金额50.00元" in pages[1]
    assert "致：A区A004" in pages[2] and "|可用余额|100.00元|状态|已断电" in pages[2]
    assert (
        "报警金额" not in pages[2] and "询问原因" in pages[2]
    )  # tripped with money: no talk of a low balance
    assert all(f"第{i}页/共3页" in p and "2026年11月25日" in p for i, p in enumerate(pages, 1))


def test_the_exporter_writes_real_cells_and_never_formulas(sqlite_db):
    cols = [
        Column("code", "档位编号"),
        Column("name", "档位名称"),
        Column("amount", "金额", "money"),
        Column("kwh", "电量", "decimal"),
        Column("day", "日期", "date"),
        Column("at", "时间", "datetime"),
    ]
    rows = [
        {
            "code": "0012",
            "name": '=HYPERLINK("http://x","点我")',
            "amount": Decimal("12.30"),
            "kwh": Decimal("1.5"),
            "day": date(2026, 11, 25),
            "at": datetime(2026, 11, 25, 0, 30, tzinfo=UTC),
        },
        {
            "code": "A-2",
            "name": "+86 138",
            "amount": Decimal("-5.00"),
            "kwh": None,
            "day": None,
            "at": None,
        },
        {
            "code": "A-3",
            "name": "@SUM(A1)",
            "amount": Decimal("0"),
            "kwh": Decimal("0"),
            "day": None,
            "at": None,
        },
        {
            "code": "A-4",
            "name": "-1+2",
            "amount": Decimal("1"),
            "kwh": Decimal("2"),
            "day": None,
            "at": None,
        },
    ]
    ws = load_workbook(io.BytesIO(export_table(cols, rows, "档位清单"))).active
    assert ws["A1"].value == "档位清单" and ws.freeze_panes == "A3"
    assert [c.value for c in ws[2]] == ["档位编号", "档位名称", "金额", "电量", "日期", "时间"]
    assert ws["A3"].value == "0012" and ws["A3"].data_type == "s"
    for cell in ("B3", "B4", "B5", "B6"):
        assert ws[cell].data_type == "s", cell  # text, not a formula
    assert ws["B3"].value.startswith("=HYPERLINK")
    assert ws["C3"].value == 12.3 and ws["C3"].number_format == "0.00" and ws["C4"].value == -5
    assert ws["E3"].is_date and ws["F3"].value == datetime(2026, 11, 25, 8, 30)  # local time
    assert ws.column_dimensions["B"].width >= display_width('=HYPERLINK("http://x","点我")')
    assert display_width("档位") == 4


def test_libreoffice_shows_formula_lookalikes_as_text(tmp_path):
    if not shutil.which("soffice"):
        need_tool("LibreOffice", "soffice not found on PATH")
    data = export_table([Column("name", "名称")], [{"name": "=1+1"}], "")
    (tmp_path / "t.xlsx").write_bytes(data)
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "csv",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "t.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert (tmp_path / "t.csv").read_text().splitlines()[1] == "=1+1"


def test_reports_need_a_logged_in_role(sqlite_db):
    from app.models.user import Role
    from tests.builders import a_user

    with sqlite_db.transaction() as s:
        viewer = a_user(s, Role.VIEWER, "look")
        with pytest.raises(PermissionDenied):
            shift_report(s, viewer, datetime.now(UTC), datetime.now(UTC))


def test_a_report_and_its_notices_can_be_put_into_english_words(db):
    with db.transaction() as s:
        a_stall(s, "A001", balance="30")
        rows = arrears_report(s, an_admin(s), include_low=True)
    assert [r.state for r in rows] == ["低于一级报警"]  # the documents' language: Chinese
    # (the PDF text as read back has no spaces)
    english = pdf_text(
        arrears_pdf(rows, site="Market", today=date(2026, 11, 25), lang="en")
    ).replace("\n", "|")
    assert (
        "|Building|Stallcode|Stallname|Contact|Phone|Balance|Availablebalance|Alarm1|State|"
        in english
    )
    assert (
        "Arrearsandlowbalances" in english
        and "|Belowalarm1|1stallsinall|" in english
        and "Page1of1" in english
    )
    notice = pdf_text(
        arrears_notices_pdf(rows, site="Market", today=date(2026, 11, 25), lang="en")
    ).replace("\n", "")
    assert "Paymentnotice" in notice and "To:A" in notice and "11/25/2026" in notice
    assert "belowthealarmamountof¥50.00" in notice and "元" not in notice
    ws = load_workbook(io.BytesIO(arrears_xlsx(rows, "Arrears", lang="en"))).active
    assert [c.value for c in ws[2]][:3] == ["Building", "Stall code", "Stall name"] and ws.cell(
        3, 9
    ).value == "Below alarm 1"
    chinese = load_workbook(io.BytesIO(arrears_xlsx(rows, "欠费名单"))).active
    assert [c.value for c in chinese[2]][:3] == ["楼栋", "档位编号", "档位名称"] and chinese.cell(
        3, 9
    ).value == "低于一级报警"
