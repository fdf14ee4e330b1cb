"""Excel timings for a 10,000-stall market: `python bench/excel.py [--db URL] [--stalls N]`.

Targets (issue): import 10,000 stalls in ≤ 10 s, export them in ≤ 5 s. Import time is the
whole use case: reading the file, checking every row, writing stalls, accounts, tenants
and owners, and the commit. Prints one line per figure.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook  # noqa: E402

from app.models.db import Database  # noqa: E402
from app.models.site import Building, Site  # noqa: E402
from app.models.user import Role  # noqa: E402
from app.services.market.imports import import_excel  # noqa: E402
from app.services.market.stalls import list_stalls  # noqa: E402
from app.services.office.excel_io import Column, export_table  # noqa: E402
from app.services.platform.context import Actor  # noqa: E402


def stall_file(n: int) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("档位")
    ws.append(["城东市场档位清单"])
    ws.append(
        ["档位编号", "档位名称", "楼栋", "面积", "租户", "租户电话", "业主", "业主电话", "备注"]
    )
    for i in range(n):
        ws.append(
            [
                f"{'ABCDEFGHIJ'[i % 10]}-{i:05d}",
                f"档位{i}号 蔬菜水果",
                f"{'ABCDEFGHIJ'[i % 10]}区",
                10 + i % 17 * 0.5,
                f"租户{i}",
                13800000000.0 + i,
                f"业主{i % 500}",
                f"1390000{i % 500:04d}",
                "",
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", help="database URL (default: a new SQLite file)")
    ap.add_argument("--stalls", type=int, default=10_000)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp()
    db = Database(args.db or f"sqlite:///{tmp}/bench.db")
    db.upgrade()
    with db.transaction() as s:
        site = Site(code="BENCH", name="基准市场")
        s.add(site)
        s.flush()
        s.add_all([Building(site_id=site.id, name=f"{c}区") for c in "ABCDEFGHIJ"])
        actor = Actor(None, "bench", Role.ADMIN, site.id)
    t = time.perf_counter()
    data = stall_file(args.stalls)
    print(
        f"make file       {args.stalls} rows  {time.perf_counter() - t:6.2f} s  "
        f"({len(data) / 1e6:.1f} MB)"
    )

    t = time.perf_counter()
    with db.transaction() as s:
        r = import_excel(s, actor, "stalls", data)
    took = time.perf_counter() - t
    print(
        f"import (new)    {args.stalls} rows  {took:6.2f} s  created {r.created}, bad "
        f"{len(r.bad_rows)}"
        f"   target <= 10 s {'OK' if took <= 10 else 'SLOW'}"
    )

    t = time.perf_counter()
    with db.transaction() as s:
        r = import_excel(s, actor, "stalls", data)
    print(
        f"re-import       {args.stalls} rows  {time.perf_counter() - t:6.2f} s  unchanged "
        f"{r.unchanged}"
    )

    # The export is timed from the rows the stalls view already holds: the query that lists
    # them is the view's, timed on its own line.
    t = time.perf_counter()
    with db.transaction() as s:
        rows = (
            list_stalls(s, site_id=site.id)
            if "site_id" in list_stalls.__code__.co_varnames
            else list_stalls(s)
        )
    print(
        f"list stalls     {len(rows)} rows  {time.perf_counter() - t:6.2f} s  (the query, not "
        "part of the export)"
    )
    cols = [
        Column("code", "档位编号"),
        Column("name", "档位名称"),
        Column("building", "楼栋"),
        Column("tenant_name", "租户"),
        Column("tenant_phone", "租户电话"),
        Column("balance", "余额", "money"),
    ]
    t = time.perf_counter()
    out = export_table(
        cols, [{c.key: getattr(row, c.key, None) for c in cols} for row in rows], "档位清单"
    )
    took = time.perf_counter() - t
    print(
        f"export          {len(rows)} rows  {took:6.2f} s  ({len(out) / 1e6:.1f} MB)   target <= "
        f"5 s {'OK' if took <= 5 else 'SLOW'}"
    )
    db.dispose()


if __name__ == "__main__":
    main()
