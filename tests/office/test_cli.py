"""The admin at the server PC imports and prints reports from the command line."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from zoneinfo import ZoneInfo
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.cli import main
from app.models.account import EntryKind
from app.models.site import Stall
from app.services.ledger import lock_account, post
from tests.office.builders import a_building, a_reviewer, a_stall, account_of, xlsx

ROWS = [["档位编号", "档位名称", "楼栋"], ["A001", "好", "A区"], ["A002", "坏", "无此楼"], ["A003", "好", "A区"]]


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


def test_report_monthly_to_excel_and_pdf_and_the_review(sqlite_db, tmp_path, capsys):
    with sqlite_db.transaction() as s:
        stall = a_stall(s, "A001", balance="100", at=datetime(2026, 11, 3, tzinfo=UTC))
        post(s, lock_account(s, account_of(s, stall).id), EntryKind.ADJUSTMENT, Decimal("-1.5"),
             at=datetime(2026, 11, 4, tzinfo=UTC))
        a_reviewer(s)
    url = sqlite_db.url
    assert main(["--db", url, "report", "monthly", "2026-11", "--out", str(tmp_path / "m.xlsx")]) == 0
    ws = load_workbook(io.BytesIO((tmp_path / "m.xlsx").read_bytes())).active
    assert ws.cell(3, 2).value == "A001" and ws.cell(3, 19).value == 98.5
    assert main(["--db", url, "report", "monthly", "2026-11", "--out", str(tmp_path / "m.pdf")]) == 0
    assert (tmp_path / "m.pdf").read_bytes().startswith(b"%PDF")
    assert main(["--db", url, "report", "monthly", "2026-11", "--submit"]) == 0
    assert main(["--db", url, "report", "monthly", "2026-11", "--approve", "ok", "--operator", "finance"]) == 0
    assert "已审核（锁定）" in capsys.readouterr().out
    assert main(["--db", url, "report", "monthly", "2026-11", "--build"]) == 2
    assert "不能重新生成" in capsys.readouterr().err
    assert main(["--db", url, "report", "monthly", "2026-11", "--out", str(tmp_path / "m.doc")]) == 2
    assert main(["--db", url, "report", "arrears", "--low", "--notices", "--out", str(tmp_path / "n.pdf")]) == 0
    assert main(["--db", url, "report", "shift", "--date", "2026-11-03", "--out", str(tmp_path / "s.pdf")]) == 0
    assert main(["--db", url, "report", "usage", "--from", "2026-11-01", "--to", "2026-11-30",
                 "--out", str(tmp_path / "u.xlsx")]) == 0


def test_report_monthly_keeps_the_review_rules_and_reopens_with_a_reason(db, tmp_path, capsys):
    """The command line reviews as the client does: not the running month, not the
    submitter's own approval, and an approved month reopened by an admin with a reason."""
    with db.transaction() as s:
        stall = a_stall(s, "A001", balance="100", at=datetime(2026, 11, 3, tzinfo=UTC))
        a_reviewer(s)
    url = db.url
    running = datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
    assert main(["--db", url, "report", "monthly", running, "--submit"]) == 2
    assert "还没有结束" in capsys.readouterr().err
    assert main(["--db", url, "report", "monthly", "2026-11", "--submit"]) == 0
    assert main(["--db", url, "report", "monthly", "2026-11", "--approve"]) == 2
    assert "须由另一人审核" in capsys.readouterr().err
    assert main(["--db", url, "report", "monthly", "2026-11", "--approve", "ok", "--operator", "finance"]) == 0
    assert main(["--db", url, "report", "monthly", "2026-11", "--reopen", "补记调整", "--operator", "finance"]) == 2
    assert "无权" in capsys.readouterr().err
    assert main(["--db", url, "report", "monthly", "2026-11", "--reopen", "补记调整"]) == 0
    assert "2026年11月：已重新打开" in capsys.readouterr().out
    with db.transaction() as s:
        post(s, lock_account(s, account_of(s, stall).id), EntryKind.ADJUSTMENT, Decimal("-2"),
             at=datetime(2026, 11, 20, tzinfo=UTC))
    assert main(["--db", url, "report", "monthly", "2026-11", "--build"]) == 0
    assert main(["--db", url, "report", "monthly", "2026-11", "--submit"]) == 0
    assert main(["--db", url, "report", "monthly", "2026-11", "--approve", "ok", "--operator", "finance"]) == 0
    assert "期末余额合计 98.00 元" in capsys.readouterr().out
