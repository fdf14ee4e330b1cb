"""The admin at the server PC imports and prints reports from the command line."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.cli import main
from app.models.account import Account, EntryKind, LedgerEntry, PayMethod
from app.models.meter import MeterDay
from app.models.site import Stall
from app.services.money.accounts import RechargeRequest, recharge
from app.services.money.ledger import lock_account, post
from tests.builders import (
    a_building,
    a_cashier,
    a_meter,
    a_reviewer,
    a_stall,
    account_of,
    an_admin,
    readings,
    with_password,
    xlsx,
)
from tests.pdf import pdf_pages, pdf_text

CJK = re.compile(r"[\u4e00-\u9fff]")
ROWS = [
    ["档位编号", "档位名称", "楼栋"],
    ["A001", "好", "A区"],
    ["A002", "坏", "无此楼"],
    ["A003", "好", "A区"],
]


def test_import_writes_the_good_rows_prints_the_bad_and_exits_non_zero(sqlite_db, tmp_path, capsys):
    with sqlite_db.transaction() as s:
        a_building(s, "A区")
    f = tmp_path / "档位.xlsx"
    f.write_bytes(xlsx(ROWS))
    url = sqlite_db.url
    assert main(["--db", url, "import", "stalls", str(f), "--dry-run"]) == 1
    assert main(["--db", url, "import", "stalls", str(f), "--all-or-nothing"]) == 1
    with sqlite_db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Stall)) == 0
    out_report = tmp_path / "问题.xlsx"
    assert main(["--db", url, "import", "stalls", str(f), "--report", str(out_report)]) == 1
    captured = capsys.readouterr()
    assert "第 3 行【楼栋】 楼栋“无此楼”不存在" in captured.err and "新增 2" in captured.out
    assert "无此楼" in load_workbook(out_report).active.cell(3, 4).value
    with sqlite_db.transaction() as s:
        assert sorted(s.scalars(select(Stall.code))) == ["A001", "A003"]
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx([ROWS[0], ROWS[1]]))
    assert main(["--db", url, "import", "stalls", str(good)]) == 0
    assert "未变 1" in capsys.readouterr().out
    assert main(["--db", url, "import", "stalls", str(tmp_path / "missing.xlsx")]) == 2
    tpl = tmp_path / "模板.xlsx"
    assert main(["import", "meters", str(tpl), "--template"]) == 0
    assert load_workbook(tpl).active["A1"].value == "表号"


def test_an_import_in_english_says_its_problems_in_english(
    sqlite_db, tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("MARKETMETER_LANG", "en")
    with sqlite_db.transaction() as s:
        a_building(s, "A区")
    f = tmp_path / "stalls.xlsx"
    f.write_bytes(xlsx(ROWS))
    assert main(["--db", sqlite_db.url, "import", "stalls", str(f), "--dry-run"]) == 1
    captured = capsys.readouterr()
    assert "row 3 [楼栋] Building “无此楼” does not exist" in captured.err, captured.err
    assert not CJK.search(captured.out) and "2 new" in captured.out, captured.out


def test_report_monthly_to_excel_and_pdf_and_the_review(sqlite_db, tmp_path, capsys, monkeypatch):
    with sqlite_db.transaction() as s:
        stall = a_stall(s, "A001", balance="100", at=datetime(2026, 11, 3, tzinfo=UTC))
        post(
            s,
            lock_account(s, account_of(s, stall).id),
            EntryKind.ADJUSTMENT,
            Decimal("-1.5"),
            at=datetime(2026, 11, 4, tzinfo=UTC),
        )
        with_password(s, a_reviewer(s), "office-pass")
        with_password(s, an_admin(s), "office-pass")
    monkeypatch.setenv(
        "MARKETMETER_PASSWORD", "office-pass"
    )  # --operator finance / admin sign in with it
    url = sqlite_db.url
    assert (
        main(["--db", url, "report", "monthly", "2026-11", "--out", str(tmp_path / "m.xlsx")]) == 0
    )
    ws = load_workbook(io.BytesIO((tmp_path / "m.xlsx").read_bytes())).active
    assert ws.cell(3, 2).value == "A001" and ws.cell(3, 19).value == 98.5
    assert (
        main(["--db", url, "report", "monthly", "2026-11", "--out", str(tmp_path / "m.pdf")]) == 0
    )
    ledger = pdf_text(tmp_path / "m.pdf").replace("\n", "|")
    assert "|A001|档位A001|" in ledger and "|98.50|" in ledger
    assert (
        main(["--db", url, "report", "monthly", "2026-11", "--submit", "--operator", "admin"]) == 0
    )
    assert (
        main(
            [
                "--db",
                url,
                "report",
                "monthly",
                "2026-11",
                "--approve",
                "ok",
                "--operator",
                "finance",
            ]
        )
        == 0
    )
    assert "已审核（锁定）" in capsys.readouterr().out
    assert main(["--db", url, "report", "monthly", "2026-11", "--build"]) == 2
    assert "不能重新生成" in capsys.readouterr().err
    assert (
        main(["--db", url, "report", "monthly", "2026-11", "--out", str(tmp_path / "m.doc")]) == 2
    )
    assert (
        main(
            [
                "--db",
                url,
                "report",
                "arrears",
                "--low",
                "--notices",
                "--out",
                str(tmp_path / "n.pdf"),
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "--db",
                url,
                "report",
                "shift",
                "--date",
                "2026-11-03",
                "--out",
                str(tmp_path / "s.pdf"),
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "--db",
                url,
                "report",
                "usage",
                "--from",
                "2026-11-01",
                "--to",
                "2026-11-30",
                "--out",
                str(tmp_path / "u.xlsx"),
            ]
        )
        == 0
    )


def test_report_monthly_keeps_the_review_rules_and_reopens_with_a_reason(
    db, tmp_path, capsys, monkeypatch
):
    """The command line reviews as the client does: not the running month, not the
    submitter's own approval, nobody in particular neither submits nor approves, and an
    approved month reopened by an admin with a reason."""
    with db.transaction() as s:
        stall = a_stall(s, "A001", balance="100", at=datetime(2026, 11, 3, tzinfo=UTC))
        with_password(s, a_reviewer(s), "office-pass")
        with_password(s, an_admin(s), "office-pass")
    monkeypatch.setenv(
        "MARKETMETER_PASSWORD", "office-pass"
    )  # --operator finance / admin sign in with it
    url = db.url
    running = datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
    assert main(["--db", url, "report", "monthly", running, "--submit", "--operator", "admin"]) == 2
    assert "还没有结束" in capsys.readouterr().err
    assert main(["--db", url, "report", "monthly", "2026-11", "--submit"]) == 2
    assert "--operator 用户名" in capsys.readouterr().err
    assert (
        main(["--db", url, "report", "monthly", "2026-11", "--submit", "--operator", "admin"]) == 0
    )
    assert (
        main(["--db", url, "report", "monthly", "2026-11", "--approve", "--operator", "admin"]) == 2
    )
    assert "须由另一人审核" in capsys.readouterr().err
    # the submitter at the server PC as the built-in admin is still not a second person
    assert main(["--db", url, "report", "monthly", "2026-11", "--approve"]) == 2
    assert "--operator 用户名" in capsys.readouterr().err
    assert (
        main(
            [
                "--db",
                url,
                "report",
                "monthly",
                "2026-11",
                "--approve",
                "ok",
                "--operator",
                "finance",
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "--db",
                url,
                "report",
                "monthly",
                "2026-11",
                "--reopen",
                "补记调整",
                "--operator",
                "finance",
            ]
        )
        == 2
    )
    assert "无权" in capsys.readouterr().err
    assert main(["--db", url, "report", "monthly", "2026-11", "--reopen", "补记调整"]) == 0
    assert "2026年11月：已重新打开" in capsys.readouterr().out
    with db.transaction() as s:
        post(
            s,
            lock_account(s, account_of(s, stall).id),
            EntryKind.ADJUSTMENT,
            Decimal("-2"),
            at=datetime(2026, 11, 20, tzinfo=UTC),
        )
    assert main(["--db", url, "report", "monthly", "2026-11", "--build"]) == 0
    assert (
        main(["--db", url, "report", "monthly", "2026-11", "--submit", "--operator", "admin"]) == 0
    )
    assert (
        main(
            [
                "--db",
                url,
                "report",
                "monthly",
                "2026-11",
                "--approve",
                "ok",
                "--operator",
                "finance",
            ]
        )
        == 0
    )
    assert "期末余额合计 98.00 元" in capsys.readouterr().out


def _sheet(path) -> list[list]:
    return [[c.value for c in row] for row in load_workbook(path).active.iter_rows()]


def test_report_arrears_shift_and_usage_files_hold_the_databases_figures(sqlite_db, tmp_path):
    with sqlite_db.transaction() as s:
        owing = a_stall(s, "A001", balance="30")
        a_stall(s, "A002", balance="20"), a_stall(s, "A003", balance="500")
        post(
            s,
            lock_account(s, account_of(s, owing).id),
            EntryKind.ADJUSTMENT,
            Decimal("-42.35"),
            reason="补收",
        )
        cashier = a_cashier(s, "zhang")
        for code, amount, method in (
            ("A003", "100", PayMethod.CASH),
            ("A003", "55.55", PayMethod.WECHAT),
            ("A002", "0.45", PayMethod.CASH),
        ):
            recharge(s, cashier, RechargeRequest(stall_code=code, amount=amount, method=method))
        meter = a_meter(s, owing, address="E-7", ct_ratio=5)
        readings(
            s, meter, {date(2026, 11, 1): 10, date(2026, 11, 2): 12.5, date(2026, 11, 3): 20.25}
        )
    url = sqlite_db.url
    start, end = (datetime.now(UTC) + timedelta(hours=h) for h in (-1, 1))
    out = {
        name: str(tmp_path / name)
        for name in ("a.xlsx", "n.pdf", "s.xlsx", "s.pdf", "u.xlsx", "u.pdf")
    }
    assert main(["--db", url, "report", "arrears", "--low", "--out", out["a.xlsx"]]) == 0
    assert (
        main(["--db", url, "report", "arrears", "--low", "--notices", "--out", out["n.pdf"]]) == 0
    )
    for f in ("s.xlsx", "s.pdf"):
        assert (
            main(
                [
                    "--db",
                    url,
                    "report",
                    "shift",
                    "--from",
                    start.isoformat(),
                    "--to",
                    end.isoformat(),
                    "--out",
                    out[f],
                ]
            )
            == 0
        )
    for f in ("u.xlsx", "u.pdf"):
        assert (
            main(
                [
                    "--db",
                    url,
                    "report",
                    "usage",
                    "--from",
                    "2026-11-01",
                    "--to",
                    "2026-11-30",
                    "--out",
                    out[f],
                ]
            )
            == 0
        )
    # The figures, read back from the database the way the clerk would check them by hand.
    with sqlite_db.transaction() as s:
        balance = dict(
            s.execute(
                select(Stall.code, Account.balance).join(Account, Account.stall_id == Stall.id)
            ).all()
        )
        paid = dict(
            s.execute(
                select(LedgerEntry.method, func.sum(LedgerEntry.amount))
                .where(LedgerEntry.kind == EntryKind.RECHARGE, LedgerEntry.at >= start)
                .group_by(LedgerEntry.method)
            ).all()
        )
        closes = [
            (d, t)
            for d, t in s.execute(select(MeterDay.day, MeterDay.close_total).order_by(MeterDay.day))
        ]
    assert balance["A001"] == Decimal("-12.35") and balance["A002"] == Decimal(
        "20.45"
    )  # the setup as meant
    used = [
        Decimal(b - a) / 100 * 5 for (_, a), (_, b) in zip(closes, closes[1:], strict=False)
    ]  # 0.01 kWh × CT ratio 5

    arrears = _sheet(out["a.xlsx"])[2:]
    assert [(r[1], Decimal(str(r[5])), r[8]) for r in arrears] == [
        ("A001", balance["A001"], "已欠费"),
        ("A002", balance["A002"], "低于一级报警"),
    ]  # A003 (500) not listed
    notices = [p.replace("\n", "|") for p in pdf_pages(Path(out["n.pdf"]))]
    assert len(notices) == 2
    for page, code in zip(notices, ("A001", "A002"), strict=False):
        assert f"致：A区{code}档位{code}" in page and f"|账户余额|{balance[code]:.2f}元|" in page

    shift = _sheet(out["s.xlsx"])
    # cashier, method, recharges (count, sum), reversals (count, sum), refunds (count, sum), net,
    # cash
    by_method = {(r[0], r[1]): Decimal(str(r[8])) for r in shift[2:]}
    assert by_method[("全部", "现金")] == paid[PayMethod.CASH] == Decimal("100.45")
    assert by_method[("全部", "微信")] == paid[PayMethod.WECHAT]
    total, cash = sum(paid.values()), paid[PayMethod.CASH]
    assert shift[-1][0] == "总计" and shift[-1][2] == 3 and Decimal(str(shift[-1][8])) == total
    assert Decimal(str(shift[-1][9])) == cash  # the drawer holds the cash recharges
    shift_pdf = pdf_text(Path(out["s.pdf"])).replace("\n", "|")
    assert f"|全部|现金|2|{cash:.2f}|0|0.00|0|0.00|{cash:.2f}|" in shift_pdf
    assert (
        f"|总计|3|{total:.2f}|0|0.00|0|0.00|{total:.2f}|{cash:.2f}|" in shift_pdf
        and "收据号1—3" in shift_pdf
    )

    usage = _sheet(out["u.xlsx"])[2:]
    assert [(r[0], r[4], Decimal(str(r[5]))) for r in usage] == [
        ("E-7", "2026-11-02", used[0]),
        ("E-7", "2026-11-03", used[1]),
    ]
    usage_pdf = pdf_text(Path(out["u.pdf"])).replace("\n", "|")
    for day, kwh in zip(("2026-11-02", "2026-11-03"), used, strict=False):
        assert f"|E-7|电表|A001|档位A001|{day}|{kwh:.2f}|kWh|" in usage_pdf  # kWh to the hundredth
