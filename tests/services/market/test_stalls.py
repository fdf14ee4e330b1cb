"""The stall as the counter sees it, the counter search, and the admin keeping stalls."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import event, func, insert, select

from app.comm.types import MeterKind
from app.models.account import Account, PayMethod
from app.models.meter import CommStatus
from app.models.site import Customer, Stall, StallRole
from app.models.user import AuditEvent
from app.services.market import stalls
from app.services.money.accounts import RechargeRequest, recharge
from app.services.platform.context import Conflict, PermissionDenied, ServiceError
from tests.builders import Market


@pytest.fixture
def market(db) -> Market:
    return Market(db)


def test_stall_card_shows_people_money_and_meters(market):
    stall = market.a_stall("A001", balance="12.30", tenant="张三", phone="13900001111")
    market.a_meter(stall, MeterKind.ELECTRIC, "7", supply_on=False, last_total=123456)
    market.a_meter(stall, MeterKind.WATER, "W7", supply_on=True, last_total=45678)
    with market.db.transaction() as s:
        card = stalls.stall_card(s, "A001")
        assert stalls.stall_card(s, stall) == card
    assert (card.code, card.building, card.tenant_name, card.tenant_phone) == (
        "A001",
        "一号楼",
        "张三",
        "13900001111",
    )
    assert card.balance == Decimal("12.30")
    electric, water = card.meters
    assert (electric.state, electric.last_reading, electric.unit) == (
        "tripped",
        Decimal("1234.56"),
        "kWh",
    )
    assert (water.state, water.last_reading, water.unit) == ("open", Decimal("45.678"), "m³")
    assert electric.comm_status is CommStatus.UNKNOWN


def test_counter_search_by_code_name_and_phone(market):
    market.a_stall("A001", tenant="张三", phone="13900001111")
    market.a_stall("A010", tenant="李四", phone="13700002222")
    market.a_stall("B001", tenant="王五", phone="13600003333", name="A001 隔壁")
    with market.db.transaction() as s:
        assert [r.code for r in stalls.find_stalls(s, "A001")] == ["A001", "B001"]
        assert [r.code for r in stalls.find_stalls(s, "A0")] == [
            "A001",
            "A010",
            "B001",
        ]  # name holds A0
        assert [r.code for r in stalls.find_stalls(s, "0002222")] == ["A010"]
        assert [r.code for r in stalls.find_stalls(s, "王")] == ["B001"]
        assert stalls.find_stalls(s, "%") == []


def test_a_stall_code_is_the_same_code_whatever_the_case(market):
    """a-001 is A-001: at the counter, the search, the recharge, and when a code is taken."""
    stall = market.a_stall("A-001", balance="10", tenant="张三")
    other = market.a_stall("B-001")
    with market.db.transaction() as s:
        assert stalls.stall_card(s, "a-001").code == "A-001"
        assert [r.code for r in stalls.find_stalls(s, "a-001")] == ["A-001"]
        assert [r.code for r in stalls.find_stalls(s, "b-0")] == ["B-001"]
        done = recharge(
            s,
            market.cashier,
            RechargeRequest(stall_code=" a-001 ", amount="5", method=PayMethod.CASH),
        )
        assert (done.stall_id, done.stall_code) == (stall, "A-001")
    with (
        pytest.raises(Conflict, match="档位号“a-001”已存在（A-001）"),
        market.db.transaction() as s,
    ):
        stalls.create_stall(s, market.admin, market.building_id, "a-001")
    with pytest.raises(Conflict, match="已存在"), market.db.transaction() as s:
        stalls.update_stall(s, market.admin, other, code="A-001".lower())
    with market.db.transaction() as s:
        stalls.update_stall(
            s, market.admin, stall, code="a-001"
        )  # its own code in other letters: allowed
        assert s.get(Stall, stall).code == "a-001"


def test_codes_stored_before_that_differ_only_in_case_are_never_guessed(market):
    """A database from before codes were compared without case may hold ab-1 and AB-1: the
    code typed exactly is that stall, anything else is refused, never a recharge to either."""
    market.a_stall("AB-1", balance="10")
    lower = market.a_stall("B-002", balance="10")
    with market.db.transaction() as s:
        s.get(
            Stall, lower
        ).code = "ab-1"  # as an old database may have it: no service allows it now
    with market.db.transaction() as s:
        assert (
            stalls.stall_card(s, "ab-1").code == "ab-1"
            and stalls.stall_card(s, "AB-1").code == "AB-1"
        )
    with pytest.raises(Conflict, match="只差字母大小写"), market.db.transaction() as s:
        recharge(
            s, market.cashier, RechargeRequest(stall_code="Ab-1", amount="5", method=PayMethod.CASH)
        )
    with market.db.transaction() as s:
        assert (
            s.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "recharge")
            )
            == 0
        )


def test_list_stalls_by_building(market):
    market.a_stall("A001")
    market.a_stall("C001", building="三号楼")
    with market.db.transaction() as s:
        assert [r.code for r in stalls.list_stalls(s)] == ["A001", "C001"]
        assert [r.code for r in stalls.list_stalls(s, "三号楼")] == ["C001"]


def test_admin_creates_stall_with_its_account_and_it_is_audited(market):
    with market.db.transaction() as s:
        row = stalls.create_stall(
            s, market.admin, market.building_id, "D001", "干货", area_m2="12.5"
        )
        assert s.scalar(select(Account).where(Account.stall_id == row.id)).balance == Decimal(
            "0.00"
        )
        assert (
            s.scalar(select(AuditEvent).where(AuditEvent.action == "stall.create")).detail["code"]
            == "D001"
        )
    with pytest.raises(Conflict, match="已存在"), market.db.transaction() as s:
        stalls.create_stall(s, market.admin, market.building_id, "D001")
    with pytest.raises(PermissionDenied), market.db.transaction() as s:
        stalls.create_stall(s, market.cashier, market.building_id, "D002")


def test_update_stall_and_its_alarm_thresholds(market):
    stall = market.a_stall("A001")
    with market.db.transaction() as s:
        stalls.update_stall(
            s, market.admin, stall, name="新名字", alarm1="80", overdraft_limit="10"
        )
        card = stalls.stall_card(s, stall)
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "stall.update"))
    assert (card.name, card.alarm1, card.overdraft_limit) == (
        "新名字",
        Decimal("80.00"),
        Decimal("10.00"),
    )
    assert (
        event.detail["before"]["alarm1"] == "50.00" and event.detail["after"]["alarm1"] == "80.00"
    )
    with pytest.raises(ServiceError, match="不是数字"), market.db.transaction() as s:
        stalls.update_stall(s, market.admin, stall, alarm1="8e1")  # never read as 80


def test_delete_refuses_a_stall_with_money_or_meters(market):
    with_money = market.a_stall("A001")
    with market.db.transaction() as s:
        recharge(
            s,
            market.cashier,
            RechargeRequest(stall_id=with_money, amount="10", method=PayMethod.CASH),
        )
    with_meter = market.a_stall("A002")
    market.a_meter(with_meter)
    empty = market.a_stall("A003")
    with pytest.raises(Conflict, match="充值或账单"), market.db.transaction() as s:
        stalls.delete_stall(s, market.admin, with_money)
    with pytest.raises(Conflict, match="绑定了 1 块表"), market.db.transaction() as s:
        stalls.delete_stall(s, market.admin, with_meter)
    with market.db.transaction() as s:
        stalls.delete_stall(s, market.admin, empty)
        assert s.get(Stall, empty) is None
    with pytest.raises(Conflict, match="还有 2 个档位"), market.db.transaction() as s:
        stalls.delete_building(s, market.admin, market.building_id)


def test_customer_holding_a_stall_cannot_be_deleted(market):
    with market.db.transaction() as s:
        owner = stalls.create_customer(s, market.admin, "赵六", "13500000000")
    stall = market.a_stall("A001")
    with market.db.transaction() as s:
        stalls.set_stall_role(s, market.admin, stall, "owner", owner.id)
        assert stalls.stall_card(s, stall).owner_name == "赵六"
    with pytest.raises(Conflict, match="A001"), market.db.transaction() as s:
        stalls.delete_customer(s, market.admin, owner.id)
    with market.db.transaction() as s:
        stalls.set_stall_role(s, market.admin, stall, "owner", None)
        stalls.delete_customer(s, market.admin, owner.id)


def test_a_customer_with_the_same_name_and_phone_is_not_added_twice(market):
    with market.db.transaction() as s:
        stalls.create_customer(s, market.admin, "赵六", "13500000000")
        stalls.create_customer(s, market.admin, "赵六", "13500000001")  # another 赵六
    with pytest.raises(Conflict, match="赵六.*13500000000.*已经有了"), market.db.transaction() as s:
        stalls.create_customer(s, market.admin, " 赵六 ", "13500000000 ")
    with market.db.transaction() as s:
        assert (
            s.scalar(select(func.count()).select_from(Customer).where(Customer.name == "赵六")) == 2
        )


def test_customers_are_listed_with_the_stalls_they_rent_and_own(market):
    market.a_stall("A001", tenant="张三", phone="13900001111")
    a002 = market.a_stall("A002", tenant=None)
    a003 = market.a_stall("A003", tenant=None)
    with market.db.transaction() as s:
        li = stalls.create_customer(s, market.admin, "李四", "13700002222", note="老业主")
        stalls.create_customer(s, market.admin, "王五")
        for stall in (a003, a002):
            stalls.set_stall_role(s, market.admin, stall, "owner", li.id)
        stalls.set_stall_role(s, market.admin, a002, "tenant", li.id)
        elsewhere = stalls.create_site(s, "CN02", "城北市场").id
        s.add(Customer(site_id=elsewhere, name="别的市场的人"))
    with market.db.transaction() as s:
        rows = stalls.list_customers(s, market.site_id)
    assert [(r.name, r.phone, r.note, r.rents, r.owns) for r in rows] == [
        ("张三", "13900001111", "", ("A001",), ()),
        ("李四", "13700002222", "老业主", ("A002",), ("A002", "A003")),
        ("王五", "", "", (), ()),
    ]
    assert rows[1].id == li.id


def test_ten_thousand_customers_are_listed_in_two_queries(sqlite_db):
    market = Market(sqlite_db)
    with sqlite_db.transaction() as s:
        s.execute(
            insert(Stall),
            [
                {
                    "site_id": market.site_id,
                    "building_id": market.building_id,
                    "code": f"S{i:05d}",
                    "name": "",
                }
                for i in range(10_000)
            ],
        )
        s.execute(
            insert(Customer),
            [
                {"site_id": market.site_id, "name": f"客户{i:05d}", "phone": f"138{i:08d}"}
                for i in range(10_000)
            ],
        )
        stall_ids = s.scalars(select(Stall.id).order_by(Stall.id)).all()
        customer_ids = s.scalars(select(Customer.id).order_by(Customer.id)).all()
        s.execute(
            insert(StallRole),
            [
                {"stall_id": st, "customer_id": c, "role": "tenant"}
                for st, c in zip(stall_ids, customer_ids, strict=True)
            ],
        )
    queries: list[str] = []
    with sqlite_db.transaction() as s:
        event.listen(s.get_bind(), "before_cursor_execute", lambda *args: queries.append(args[2]))
        rows = stalls.list_customers(s, market.site_id)
    assert len(rows) == 10_000 and len([q for q in queries if q.startswith("SELECT")]) == 2
    assert (rows[42].name, rows[42].rents) == ("客户00042", ("S00042",))


def test_ten_thousand_stalls_are_listed_and_found_by_code_prefix(sqlite_db):
    market = Market(sqlite_db)
    with sqlite_db.transaction() as s:
        s.execute(
            insert(Stall),
            [
                {
                    "site_id": market.site_id,
                    "building_id": market.building_id,
                    "code": f"S{i:05d}",
                    "name": f"摊位{i}",
                }
                for i in range(10_000)
            ],
        )
        ids = s.scalars(select(Stall.id)).all()
        s.execute(insert(Account), [{"stall_id": i, "balance": Decimal("1.00")} for i in ids])
    with sqlite_db.transaction() as s:
        rows = stalls.list_stalls(s)
        found = stalls.find_stalls(s, "S0999")
    assert len(rows) == 10_000 and rows[0].balance == Decimal("1.00")
    assert [r.code for r in found] == [f"S0999{i}" for i in range(10)]


def test_refusals_name_the_action_and_the_missing_field_in_both_languages(market):
    with pytest.raises(PermissionDenied) as refused, market.db.transaction() as s:
        stalls.create_building(s, market.cashier, "Z区")
    assert (
        "无权新建楼栋" in refused.value.message and "may not add buildings" in refused.value.english
    )
    with pytest.raises(ServiceError) as empty, market.db.transaction() as s:
        stalls.create_customer(s, market.admin, "  ")
    assert (empty.value.message, empty.value.english) == (
        "客户姓名必须填写",
        "The customer name is required. Fill it in",
    )
    with pytest.raises(ServiceError) as missing, market.db.transaction() as s:
        stalls.update_stall(s, market.admin, 987654, name="x")
    assert missing.value.message == "找不到档位（编号 987654），请刷新后重试"
    assert missing.value.english == "Stall (id 987654) not found. Refresh and try again"
