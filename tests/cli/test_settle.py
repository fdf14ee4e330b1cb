"""The ops command line: db upgrade, demo, settle."""

import json
from datetime import timedelta

from sqlalchemy import func, select

from app.cli import main
from app.models.account import EntryKind, LedgerEntry, Receipt
from app.models.base import utcnow
from app.models.billing import Bill
from app.models.db import Database
from app.models.meter import Meter
from app.services.market.readings import ingest
from app.services.money.settlement import due_periods
from app.services.platform.timeutil import zone
from tests.builders import Market
from tests.cli.test_cli import run


def test_demo_then_settle_prints_what_was_billed(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'mm.db'}"
    assert main(["--db", url, "db", "upgrade"]) == 0
    assert (
        main(
            ["--db", url, "demo", "--electric", "6", "--water", "4", "--months", "1", "--seed", "7"]
        )
        == 0
    )
    assert "演示市场已建成：6 个档位" in capsys.readouterr().out
    with Database(
        url
    ).transaction() as s:  # every demo recharge has its receipt, numbered without gaps
        recharges = s.scalar(
            select(func.count())
            .select_from(LedgerEntry)
            .where(LedgerEntry.kind == EntryKind.RECHARGE)
        )
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


def test_settle_prints_what_it_billed_skipped_and_commanded(db):
    """A day of use is due: the run bills it, skips the meter whose reading is held, trips the
    stall whose money ran out, and says all of it (exit 0), as text and as JSON."""
    with db.transaction() as s:
        m = Market.in_session(s, electric_price="1.0000")
        poor = m.a_stall_with_meters("A001", balance="5.00", alarm1="0", alarm2="0")
        held = m.a_stall_with_meters("A002", balance="100.00")
        ((start, end),) = due_periods(m.building, zone(m.site.timezone), utcnow())
        ingest(
            s,
            [
                m.reading(poor.electric, start + timedelta(minutes=5), 100_000),
                m.reading(poor.electric, end - timedelta(minutes=5), 101_000),  # 10 kWh × 1.00
                m.reading(held.electric, start + timedelta(minutes=5), 100_000),
            ],
        )
        ingest(
            s, [m.reading(held.electric, start + timedelta(minutes=10), 90_000)]
        )  # went down: held
        site, poor_meter = m.site.code, s.get(Meter, poor.electric).address
        held_meter = s.get(Meter, held.electric).address
    out = run(db.url, "settle", "--site", site, "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert (data["bills"], data["amount"]) == (1, "10.00")
    (period,) = data["periods"]
    assert (period["building"], period["bills"], period["month_moved"]) == ("A区 蔬菜区", 1, False)
    assert [(k["stall"], k["address"], k["reason"]) for k in data["skipped"]] == [
        ("A002", held_meter, "有待处理的异常读数")
    ]
    assert [(c["stall"], c["address"], c["action"]) for c in data["commands"]] == [
        ("A001", poor_meter, "trip")
    ]
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Bill)) == 1
    # Nothing more is due: a second run says so, and still exits 0.
    again = run(db.url, "settle", "--site", site)
    assert again.returncode == 0 and "没有到期未结算的周期" in again.stdout


def test_settle_as_text_names_totals_skipped_meters_and_commands(sqlite_db):
    with sqlite_db.transaction() as s:
        m = Market.in_session(s, electric_price="1.0000")
        poor = m.a_stall_with_meters("A001", balance="5.00", alarm1="0", alarm2="0")
        held = m.a_stall_with_meters("A002", balance="100.00")
        ((start, end),) = due_periods(m.building, zone(m.site.timezone), utcnow())
        ingest(
            s,
            [
                m.reading(poor.electric, start + timedelta(minutes=5), 100_000),
                m.reading(poor.electric, end - timedelta(minutes=5), 100_700),
                m.reading(held.electric, start + timedelta(minutes=5), 100_000),
            ],
        )
        ingest(s, [m.reading(held.electric, start + timedelta(minutes=10), 90_000)])
    out = run(sqlite_db.url, "settle")
    assert out.returncode == 0, out.stderr
    assert "A区 蔬菜区" in out.stdout and "合计：1 张账单，7.00 元" in out.stdout
    assert "跳过 档位 A002" in out.stdout and "有待处理的异常读数" in out.stdout
    assert "通断控制：1 条指令" in out.stdout and "档位 A001" in out.stdout and "分闸" in out.stdout
