"""A stall's floor (楼栋 → 楼层 → 档位): optional, imported from Excel, edited on the card."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models.site import Stall
from app.services.market import stalls
from app.services.market.imports import import_excel
from app.services.platform.context import ServiceError
from tests.builders import a_building, an_admin, xlsx


def test_the_floor_column_of_a_stall_file_is_read_and_may_be_left_out(db):
    with db.transaction() as s:
        a_building(s, "A区")
        result = import_excel(
            s,
            an_admin(s),
            "stalls",
            xlsx([["档位编号", "楼栋", "楼层"], ["A-001", "A区", "2F"], ["A-002", "A区", None]]),
        )
        assert result.ok, result.problems
        assert {st.code: st.floor for st in s.scalars(select(Stall))} == {
            "A-001": "2F",
            "A-002": "",
        }
        again = import_excel(
            s, an_admin(s), "stalls", xlsx([["档位编号", "楼栋", "楼层"], ["A-002", "A区", "B1"]])
        )
        assert (again.updated, again.created) == (1, 0)
        rows = {r.code: r.floor for r in stalls.list_stalls(s, site_id=an_admin(s).site_id)}
        assert rows == {"A-001": "2F", "A-002": "B1"}
        without = import_excel(
            s, an_admin(s), "stalls", xlsx([["档位编号", "楼栋"], ["A-003", "A区"]])
        )
        assert without.ok and s.scalar(select(Stall.floor).where(Stall.code == "A-003")) == ""


def test_the_floor_is_set_and_changed_with_the_stall_and_kept_short(db):
    with db.transaction() as s:
        admin = an_admin(s)
        building = a_building(s, "A区")
        row = stalls.create_stall(s, admin, building.id, "A-001", floor=" 3F ")
        assert row.floor == "3F"
        assert stalls.update_stall(s, admin, row.id, floor="B1").floor == "B1"
        assert stalls.stall_card(s, row.id, site_id=admin.site_id).floor == "B1"
        with pytest.raises(ServiceError, match="20"):
            stalls.update_stall(s, admin, row.id, floor="x" * 21)
