"""A property office starts a real market from the command line: from an empty database to
stalls imported from Excel, a recharge and the shift report."""

from __future__ import annotations

import json

from openpyxl import load_workbook
from sqlalchemy import select

from app.models.site import Site, Stall
from app.models.user import AuditEvent, User
from tests.builders import xlsx
from tests.cli.test_cli import run

BOSS = {"MARKETMETER_PASSWORD": "dongmen-2026"}


def test_an_empty_database_becomes_a_market_with_imported_stalls(tmp_path):
    url = f"sqlite:///{tmp_path / 'market.db'}"
    # nothing points at the desktop program any more: the message says how to create one
    empty = run(url, "recharge", "A-001", "10", "--method", "cash")
    assert empty.returncode == 2 and "python -m app market create --name" in empty.stderr
    assert "桌面程序完成初始设置" not in empty.stderr
    assert "还没有市场" in empty.stderr

    made = run(
        url, "market", "create", "--name", "东门市场", "--phone", "0571-88886666",
        "--address", "东门路 1 号", "--json",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["code"] == "M001"

    # the first administrator needs nobody signed in; a weak password is refused
    weak = run(
        url, "user", "add", "boss", "--role", "admin", "--password-stdin", stdin="12345678\n"
    )
    assert weak.returncode == 2 and "纯数字" in weak.stderr
    cashier_first = run(
        url, "user", "add", "li", "--role", "cashier", "--password-stdin", stdin="li-pass-2026\n"
    )
    assert cashier_first.returncode == 2 and "管理员" in cashier_first.stderr
    admin = run(
        url, "user", "add", "boss", "--role", "admin", "--name", "王经理", "--password-stdin",
        stdin="dongmen-2026\n",
    )  # fmt: skip
    assert admin.returncode == 0, admin.stderr

    buildings = tmp_path / "楼栋.xlsx"
    buildings.write_bytes(
        xlsx([["楼栋", "抄表时间", "结算时间", "结算周期"], ["A区", "0:00", "1:00", "日"]])
    )
    stalls = tmp_path / "档位.xlsx"
    stalls.write_bytes(
        xlsx(
            [
                ["档位编号", "档位名称", "楼栋", "面积", "租户", "租户电话"],
                ["A-001", "张记蔬菜", "A区", 12.5, "张三", "13800138000"],
                ["A-002", "王家猪肉", "A区", 8, "王五", "13800138001"],
                ["A-003", "缺楼栋", "B区", 8, "赵六", "13800138002"],
            ]
        )
    )
    as_boss = ("--operator", "boss")
    assert run(url, "import", "buildings", str(buildings), *as_boss, env=BOSS).returncode == 0
    report = tmp_path / "问题.xlsx"
    imported = run(
        url, "import", "stalls", str(stalls), "--report", str(report), *as_boss, env=BOSS
    )
    assert imported.returncode == 1  # one bad row, reported; the good ones are written
    assert "B区" in imported.stderr and report.exists()
    marked = load_workbook(report).active
    assert any("B区" in str(c.value) for row in marked.iter_rows() for c in row)

    paid = run(url, "recharge", "A-001", "100", "--method", "cash", "--json", *as_boss, env=BOSS)
    assert paid.returncode == 0, paid.stderr
    assert (json.loads(paid.stdout)["balance"], json.loads(paid.stdout)["operator"]) == (
        "100.00",
        "王经理",
    )
    shift = run(url, "report", "shift", *as_boss, env=BOSS)
    assert shift.returncode == 0, shift.stderr
    assert "100.00" in shift.stdout

    from app.models.db import Database

    db = Database(url)
    try:
        with db.transaction() as s:
            assert s.scalar(select(Site.name)) == "东门市场"
            assert set(s.scalars(select(Stall.code))) == {"A-001", "A-002"}
            assert s.scalar(select(User.display_name).where(User.username == "boss")) == "王经理"
            created = s.execute(
                select(AuditEvent.actor, AuditEvent.detail).where(
                    AuditEvent.action == "site.create"
                )
            ).one()
            assert created.actor == "cli" and created.detail["name"] == "东门市场"
            assert "@" in created.detail["origin"]
    finally:
        db.dispose()


def test_with_several_markets_a_command_names_its_market(tmp_path):
    url = f"sqlite:///{tmp_path / 'chain.db'}"
    for name, code in (("东门市场", "DM"), ("西门市场", "XM")):
        assert run(url, "market", "create", "--name", name, "--code", code).returncode == 0
    taken = run(url, "market", "create", "--name", "又一个", "--code", "DM")
    assert taken.returncode == 2 and "DM" in taken.stderr
    listed = json.loads(run(url, "market", "list", "--json").stdout)
    assert [m["code"] for m in listed] == ["DM", "XM"]

    which = run(url, "user", "list")
    assert which.returncode == 2
    assert "DM" in which.stderr and "XM" in which.stderr and "--market" in which.stderr
    unknown = run(url, "user", "list", "--market", "NB")
    assert unknown.returncode == 2 and "NB" in unknown.stderr

    for code, user in (("DM", "dm-boss"), ("XM", "xm-boss")):
        added = run(
            url, "user", "add", user, "--role", "admin", "--market", code, "--password-stdin",
            stdin="chain-pass-1\n",
        )  # fmt: skip
        assert added.returncode == 0, added.stderr
    users = json.loads(run(url, "user", "list", "--market", "XM", "--json").stdout)
    assert [u["username"] for u in users] == ["xm-boss"]

    # the same stall code in both markets: --market says whose
    for code in ("DM", "XM"):
        stalls = tmp_path / f"{code}.xlsx"
        stalls.write_bytes(
            xlsx([["楼栋", "档位编号", "档位名称"], ["A区", "A-001", f"{code} 的档位"]])
        )
        buildings = tmp_path / f"{code}-b.xlsx"
        buildings.write_bytes(
            xlsx([["楼栋", "抄表时间", "结算时间", "结算周期"], ["A区", "0:00", "1:00", "日"]])
        )
        for kind, path in (("buildings", buildings), ("stalls", stalls)):
            done = run(url, "import", kind, str(path), "--market", code)
            assert done.returncode == 0, done.stderr
    shown = run(url, "stall", "show", "A-001", "--market", "XM", "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["name"] == "XM 的档位"
    listed = json.loads(run(url, "stall", "list", "--market", "DM", "--json").stdout)
    assert [(r["code"], r["name"]) for r in listed] == [("A-001", "DM 的档位")]
