"""The ops command line: db upgrade, demo, settle."""

import json

from sqlalchemy import func, select

from app.cli import main
from app.models.account import EntryKind, LedgerEntry, Receipt
from app.models.billing import Bill
from app.models.db import Database


def test_demo_then_settle_prints_what_was_billed(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'mm.db'}"
    assert main(["--db", url, "db", "upgrade"]) == 0
    assert main(["--db", url, "demo", "--electric", "6", "--water", "4", "--months", "1", "--seed", "7"]) == 0
    assert "演示市场已建成：6 个档位" in capsys.readouterr().out
    with Database(url).transaction() as s:  # every demo recharge has its receipt, numbered without gaps
        recharges = s.scalar(select(func.count()).select_from(LedgerEntry).where(LedgerEntry.kind == EntryKind.RECHARGE))
        numbers = s.scalars(select(Receipt.no).order_by(Receipt.no)).all()
        assert recharges > 6 and numbers == list(range(1, recharges + 1))
    assert main(["--db", url, "demo"]) == 2
    assert "空数据库" in capsys.readouterr().err
    assert main(["--db", url, "settle", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"bills", "amount", "periods", "skipped", "commands"}


def test_unknown_building_is_one_line_and_writes_nothing(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'mm.db'}"
    main(["--db", url, "demo", "--electric", "3", "--water", "0", "--months", "1"])
    db = Database(url)
    with db.transaction() as s:
        before = s.scalar(select(func.count()).select_from(Bill))
    capsys.readouterr()
    assert main(["--db", url, "settle", "--building", "Z区"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "没有名为“Z区”的楼栋" in err
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Bill)) == before
    db.dispose()
