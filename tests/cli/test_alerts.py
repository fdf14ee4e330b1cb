"""`alerts list [--open]`: the safety alerts in the command line's language."""

import json
from datetime import UTC, datetime

from app.models.meter import Alert, AlertKind, AlertState
from tests.builders import a_meter, a_stall
from tests.cli.test_cli import run


def two_alerts(db) -> None:
    with db.transaction() as s:
        stall = a_stall(s, "A001")
        meter = a_meter(s, stall, address="000000000042")
        for kind, state, values in (
            (AlertKind.OVERLOAD, AlertState.OPEN, {"power_kw": "9.200", "limit_kw": "6.000"}),
            (AlertKind.COVER_OPEN, AlertState.RESOLVED, {"before": 0, "count": 1}),
        ):
            s.add(
                Alert(
                    site_id=stall.site_id,
                    kind=kind,
                    meter_id=meter.id,
                    stall_id=stall.id,
                    raised_at=datetime(2026, 12, 6, 6, 30, tzinfo=UTC),
                    values=values,
                    state=state,
                )
            )


def test_alerts_list_says_the_alerts_in_chinese_and_open_leaves_out_the_resolved(sqlite_db):
    two_alerts(sqlite_db)
    every = run(sqlite_db.url, "alerts", "list")
    assert every.returncode == 0, every.stderr
    lines = every.stdout.splitlines()
    assert len(lines) == 2
    assert any(
        "超合同功率" in line and "读到 9.200 kW，合同功率 6.000 kW" in line for line in lines
    )
    assert any("开表盖" in line and "已处理" in line for line in lines)
    assert all("2026-12-06 14:30" in line and "A001" in line for line in lines)
    only_open = run(sqlite_db.url, "alerts", "list", "--open", "--json")
    assert only_open.returncode == 0, only_open.stderr
    (row,) = json.loads(only_open.stdout)
    assert (row["kind"], row["state"], row["values"]["power_kw"]) == ("overload", "open", "9.200")
