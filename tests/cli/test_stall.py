"""`python -m app stall show CODE` speaks the client's words."""

from __future__ import annotations

import re

from app.comm.types import MeterKind
from tests.builders import Market
from tests.cli.test_cli import run


def test_stall_show_uses_the_clients_chinese_words_and_a_closed_valve_is_关阀(sqlite_db):
    market = Market(sqlite_db)
    stall = market.a_stall("A001", balance="10", tenant="张三")
    market.a_meter(stall, MeterKind.ELECTRIC, "1", supply_on=True, last_total=1200)
    market.a_meter(stall, MeterKind.WATER, "W1", supply_on=False, last_total=50)
    out = run(sqlite_db.url, "stall", "show", "A001")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    water = next(line for line in lines if "W1" in line)
    electric = next(line for line in lines if "\t1\t" in line)
    assert "水表" in water and "关阀" in water and "合闸" not in water
    assert "电表" in electric and "合闸" in electric and "预付费" in electric
    assert not re.search(r"electric|water|prepaid|online|offline|unknown", out.stdout)


def test_stall_show_speaks_english_when_asked(sqlite_db):
    market = Market(sqlite_db)
    stall = market.a_stall("A001", balance="10", tenant="Zhang", building="Hall A", name="Greens")
    market.a_meter(stall, MeterKind.WATER, "W1", supply_on=False, last_total=50)
    out = run(sqlite_db.url, "stall", "show", "A001", env={"MARKETMETER_LANG": "en"})
    assert out.returncode == 0, out.stderr
    assert (
        "Balance 10.00 yuan" in out.stdout
        and "water meter" in out.stdout
        and "valve closed" in out.stdout
    )
    assert not re.search(r"[\u4e00-\u9fff]", out.stdout)
    missing = run(sqlite_db.url, "stall", "show", "Z9", env={"MARKETMETER_LANG": "en"})
    assert missing.returncode == 2 and "Z9" in missing.stderr
    assert not re.search(r"[\u4e00-\u9fff]", missing.stderr)
