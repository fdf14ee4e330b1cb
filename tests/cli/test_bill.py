"""`bill show ID`: a bill's lines, the program's words said in the command line's language."""

import json
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from app.models.billing import Bill, BillLine
from app.services.money.property import MONTH_UNIT
from app.services.money.settlement import METER_USAGE
from app.services.money.tariffs import TIER_PART
from app.words import stored_text
from tests.builders import Market
from tests.cli.test_cli import run


def a_bill_with_lines(db) -> int:
    market = Market(db)
    stall = market.a_stall("A001")
    market.some_bills(stall, date(2026, 11, 1), 1)
    with db.transaction() as s:
        bill = s.scalar(select(Bill.id))
        for description, unit, readings in (
            (stored_text(TIER_PART(level=2, unit="m³")), "m³", (Decimal("3"), Decimal("13"))),
            (stored_text(METER_USAGE(meter=7)), "kWh", (None, None)),
            ("卫生费", stored_text(MONTH_UNIT), (None, None)),
        ):
            s.add(
                BillLine(
                    bill_id=bill,
                    description=description,
                    quantity=Decimal("10"),
                    unit=unit,
                    price=Decimal("3"),
                    amount=Decimal("30"),
                    start_reading=readings[0],
                    end_reading=readings[1],
                )
            )
    return bill


def test_bill_show_says_the_lines_in_the_command_lines_language(sqlite_db):
    bill = a_bill_with_lines(sqlite_db)
    zh = run(sqlite_db.url, "bill", "show", str(bill))
    assert zh.returncode == 0, zh.stderr
    lines = zh.stdout.splitlines()
    assert lines[0].startswith("第2阶梯 m³") and "3.000 → 13.000" in lines[0]
    assert lines[1].startswith("表 7 用量") and lines[2].startswith("卫生费")
    assert "10.000 月" in lines[2] and "30.00" in lines[2]
    en = run(sqlite_db.url, "bill", "show", str(bill), "--json", env={"MARKETMETER_LANG": "en"})
    assert en.returncode == 0, en.stderr
    assert [(line["description"], line["unit"]) for line in json.loads(en.stdout)] == [
        ("Tier 2 m³", "m³"),
        ("Meter 7 usage", "kWh"),
        ("卫生费", "month"),
    ]


def test_bill_show_of_an_unknown_bill_says_what_to_check(sqlite_db):
    a_bill_with_lines(sqlite_db)
    out = run(sqlite_db.url, "bill", "show", "999", env={"MARKETMETER_LANG": "en"})
    assert out.returncode == 2 and "Bill 999 has no lines" in out.stderr


def test_bill_show_saves_the_lines_as_pdf_and_excel_in_the_command_lines_language(
    sqlite_db, tmp_path
):
    bill = a_bill_with_lines(sqlite_db)
    pdf = tmp_path / "bill.pdf"
    out = run(
        sqlite_db.url, "bill", "show", str(bill), "--out", str(pdf), env={"MARKETMETER_LANG": "en"}
    )
    assert out.returncode == 0, out.stderr
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Tier 2 m³" in text and "Meter 7 usage" in text and "month" in text
    assert "阶梯" not in text
    xlsx = tmp_path / "bill.xlsx"
    out = run(sqlite_db.url, "bill", "show", str(bill), "--out", str(xlsx))
    assert out.returncode == 0, out.stderr
    cells = {c.value for row in load_workbook(xlsx).active.iter_rows() for c in row}
    assert {"第2阶梯 m³", "表 7 用量", "卫生费", "月", "项目"} <= cells
