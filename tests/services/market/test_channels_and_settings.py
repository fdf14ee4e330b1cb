"""What the admin sets in Settings: comm channels, charge items, the friendly period,
alarm thresholds and the last admin. Each change is one transaction, the admin's, audited."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.comm.types import ChannelKind, MeterKind, Protocol
from app.models.account import Account
from app.models.billing import ChargeItem, ChargeMethod, StallCharge
from app.models.meter import Channel, Meter
from app.models.site import Building, Holiday, Site, Stall
from app.models.user import AuditEvent, Role
from app.services.market import channels, control_rules, stalls
from app.services.market.channels import MASK, ChannelSpec
from app.services.market.collection import channel_configs
from app.services.money import tariffs
from app.services.money.tariffs import ChargeItemSpec
from app.services.platform.context import Actor, Conflict, PermissionDenied, ServiceError
from app.services.platform.users import add_user, change_role, deactivate
from tests.builders import Market


@pytest.fixture
def market(db) -> Market:
    return Market(db)


def audited(market, action: str) -> list[AuditEvent]:
    with market.db.transaction() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def count(market, model) -> int:
    with market.db.transaction() as s:
        return s.scalar(select(func.count()).select_from(model))


NB = ChannelSpec(
    "电信 NB",
    ChannelKind.CTWING,
    {
        "base_url": "https://ag-api.ctwing.cn",
        "app_key": "key1",
        "app_secret": "s3cret",
        "product_id": "1500",
    },
    3600,
)


def test_admin_adds_a_serial_channel_and_the_poller_gets_it(market):
    with market.db.transaction() as s:
        cid = channels.create_channel(
            s,
            market.admin,
            ChannelSpec(
                "一号楼 485",
                ChannelKind.SERIAL,
                {"port": "COM3", "baud": "2400", "parity": "e", "stopbits": "1"},
                900,
            ),
        )
    with market.db.transaction() as s:
        assert s.get(Channel, cid).settings == {
            "port": "COM3",
            "baud": 2400,
            "parity": "E",
            "stopbits": 1,
        }
        # what the comm service reads (only channels with meters are polled)
        assert all(c.id != cid for c in channel_configs(s, market.site_id))
    assert audited(market, "channel.create")[0].detail["kind"] == "serial"


def test_a_com_port_typed_in_lower_case_is_kept_as_windows_spells_it(market):
    with market.db.transaction() as s:
        cid = channels.create_channel(
            s, market.admin, ChannelSpec("二号楼 485", ChannelKind.SERIAL, {"port": " com10 "}, 900)
        )
    with market.db.transaction() as s:
        assert s.get(Channel, cid).settings["port"] == "COM10"


def test_the_nb_secret_is_never_shown_nor_logged_and_an_empty_secret_keeps_it(market):
    with market.db.transaction() as s:
        cid = channels.create_channel(s, market.admin, NB)
        row = channels.list_channels(s, market.site_id)[0]
    assert row.settings["app_secret"] == MASK
    changed = ChannelSpec(NB.name, NB.kind, {**row.settings, "app_key": "key2"}, 1800)
    with market.db.transaction() as s:
        channels.update_channel(s, market.admin, cid, changed)
    with market.db.transaction() as s:
        assert s.get(Channel, cid).settings["app_secret"] == "s3cret"
        assert s.get(Channel, cid).settings["app_key"] == "key2"
    logged = str(
        [e.detail for e in audited(market, "channel.create") + audited(market, "channel.update")]
    )
    assert "s3cret" not in logged and "key2" in logged


def test_an_nb_channel_gets_a_push_token_once_shown_to_the_admin_and_never_logged(market):
    with market.db.transaction() as s:
        cid = channels.create_channel(
            s,
            market.admin,
            ChannelSpec(
                NB.name,
                NB.kind,
                {**NB.settings, "allowed_sources": "202.102.0.0/16，10.8.0.7"},
                3600,
            ),
        )
        (row,) = channels.list_channels(s, market.site_id)
    token = row.settings["push_token"]
    assert len(token) >= 20 and row.settings["allowed_sources"] == ["202.102.0.0/16", "10.8.0.7/32"]
    with market.db.transaction() as s:
        channels.update_channel(
            s, market.admin, cid, ChannelSpec(NB.name, NB.kind, {**row.settings, "app_key": "k2"})
        )
        (config,) = [c for c in channels.channel_rows(s, market.site_id)]
    assert config.settings["push_token"] == token  # the address in the CTWing console stays valid
    logged = str(
        [e.detail for e in audited(market, "channel.create") + audited(market, "channel.update")]
    )
    assert token not in logged


def test_a_dial_in_listener_binds_every_address_unless_one_is_chosen(market):
    with market.db.transaction() as s:
        cid = channels.create_channel(
            s, market.admin, ChannelSpec("4G", ChannelKind.ACREL_4G, {"listen_port": "9000"})
        )
        other = channels.create_channel(
            s,
            market.admin,
            ChannelSpec(
                "DTU", ChannelKind.DTU, {"listen_port": "9001", "listen_host": "192.168.1.10"}
            ),
        )
    with market.db.transaction() as s:
        assert s.get(Channel, cid).settings == {
            "listen_host": "0.0.0.0",
            "listen_port": 9000,
            "allowed_sources": [],
        }
        assert s.get(Channel, other).settings["listen_host"] == "192.168.1.10"


@pytest.mark.parametrize(
    "kind, settings, says",
    [
        (ChannelKind.SERIAL, {"port": "", "baud": 9600}, "请填写串口"),
        (ChannelKind.SERIAL, {"port": "COM1", "baud": 9601}, "波特率"),
        (ChannelKind.MODBUS_TCP, {"host": "10.0.0.5", "port": "70000"}, "1–65535"),
        (ChannelKind.DTU, {"listen_port": "9000", "register": "REG{id}"}, "注册包格式"),
        (
            ChannelKind.CTWING,
            {"base_url": "ag-api.ctwing.cn", "app_key": "k", "app_secret": "s"},
            "http://",
        ),
        (
            ChannelKind.ACREL_4G,
            {"listen_port": "9000", "listen_host": "gateway.local"},
            "监听地址“gateway.local”不是",
        ),
        (
            ChannelKind.DTU,
            {"listen_port": "9000", "allowed_sources": "10.8.0.0/16, 10.9.x.x"},
            "来源网段“10.9.x.x”",
        ),
    ],
)
def test_bad_channel_settings_say_what_to_fix_and_save_nothing(market, kind, settings, says):
    with pytest.raises(ServiceError, match=says), market.db.transaction() as s:
        channels.create_channel(s, market.admin, ChannelSpec("新通道", kind, settings))
    assert count(market, Channel) == 0


def test_a_cashier_cannot_touch_channels(market):
    with pytest.raises(PermissionDenied, match="收银员"), market.db.transaction() as s:
        channels.create_channel(s, market.cashier, NB)
    assert count(market, Channel) == 0


def test_a_channel_with_meters_is_disabled_not_deleted(market):
    stall = market.a_stall("A001")
    market.a_meter(stall)
    with market.db.transaction() as s:
        cid = channels.create_channel(
            s,
            market.admin,
            ChannelSpec("网关", ChannelKind.SERIAL_SERVER, {"host": "127.0.0.1", "port": "4001"}),
        )
        s.scalar(select(Meter)).channel_id = cid
    with pytest.raises(Conflict, match="还有 1 块表"), market.db.transaction() as s:
        channels.delete_channel(s, market.admin, cid)
    with market.db.transaction() as s:
        assert [c.id for c in channel_configs(s, market.site_id)] == [cid]
        channels.set_channel_enabled(s, market.admin, cid, False)
    with market.db.transaction() as s:
        assert channel_configs(s, market.site_id) == []
    assert audited(market, "channel.disable")


def test_charge_item_per_unit_lists_its_stalls(market):
    market.a_stall("A01")
    market.a_stall("A02")
    spec = ChargeItemSpec(
        "垃圾桶", ChargeMethod.PER_UNIT, "5", "个", None, True, {"a01": "2", "A02": "1"}
    )  # any case
    with market.db.transaction() as s:
        item_id = tariffs.create_charge_item(s, market.admin, spec)
    with market.db.transaction() as s:
        detail = tariffs.charge_item(s, market.site_id, item_id)
    assert detail.price == Decimal("5") and detail.stall_units == {
        "A01": Decimal("2"),
        "A02": Decimal("1"),
    }
    with market.db.transaction() as s:
        tariffs.update_charge_item(
            s,
            market.admin,
            item_id,
            ChargeItemSpec("垃圾桶", ChargeMethod.PER_UNIT, "6", "个", None, True, {"A02": "3"}),
        )
    with market.db.transaction() as s:
        assert tariffs.charge_item(s, market.site_id, item_id).stall_units == {"A02": Decimal("3")}
    assert audited(market, "charge_item.update")[0].detail["before"]["price"] == "5.00"
    with market.db.transaction() as s:
        tariffs.delete_charge_item(s, market.admin, item_id)
    assert count(market, ChargeItem) == count(market, StallCharge) == 0


@pytest.mark.parametrize(
    "spec, says",
    [
        (ChargeItemSpec("", ChargeMethod.FIXED_MONTH, "30"), "名称"),
        (ChargeItemSpec("卫生费", ChargeMethod.FIXED_MONTH, "三十"), "不是数字"),
        (ChargeItemSpec("卫生费", ChargeMethod.FIXED_MONTH, "-1"), "必须大于零"),
        (ChargeItemSpec("卫生费", ChargeMethod.FIXED_MONTH, "1e3"), "不是数字"),
        (ChargeItemSpec("卫生费", ChargeMethod.FIXED_MONTH, "1,00"), "逗号位置不对"),
        (ChargeItemSpec("卫生费", ChargeMethod.FIXED_MONTH, "2.00005"), "最多四位小数"),
        (
            ChargeItemSpec("垃圾桶", ChargeMethod.PER_UNIT, "5", stall_units={"Z99": "1"}),
            "找不到档位：Z99",
        ),
    ],
)
def test_bad_charge_items_are_refused(market, spec, says):
    with pytest.raises(ServiceError, match=says), market.db.transaction() as s:
        tariffs.create_charge_item(s, market.admin, spec)
    assert count(market, ChargeItem) == 0


def test_a_cashier_cannot_change_charge_items(market):
    with pytest.raises(PermissionDenied), market.db.transaction() as s:
        tariffs.create_charge_item(
            s, market.cashier, ChargeItemSpec("卫生费", ChargeMethod.FIXED_MONTH, "30")
        )


def test_friendly_period_and_holidays(market):
    with market.db.transaction() as s:
        control_rules.set_friendly_period(s, market.admin, time(22), time(6), True)
        control_rules.add_holiday(s, market.admin, date(2027, 2, 6), "春节")
    with pytest.raises(Conflict, match="已经是节假日"), market.db.transaction() as s:
        control_rules.add_holiday(s, market.admin, date(2027, 2, 6), "")
    with pytest.raises(ServiceError, match="不能相同"), market.db.transaction() as s:
        control_rules.set_friendly_period(s, market.admin, time(22), time(22), True)
    with market.db.transaction() as s:
        site = s.get(Site, market.site_id)
        assert (site.friendly_night_start, site.friendly_night_end) == (time(22), time(6))
        assert [h.name for h in s.scalars(select(Holiday))] == ["春节"]
        control_rules.remove_holiday(s, market.admin, date(2027, 2, 6))
    assert count(market, Holiday) == 0
    assert audited(market, "control.friendly_period") and audited(market, "control.holiday.remove")


def test_alarm_levels_for_one_building(market):
    market.a_stall("A01")
    market.a_stall("B01", building="二号楼")
    with market.db.transaction() as s:
        building_b = s.scalar(select(Building.id).where(Building.name == "二号楼"))
        n = control_rules.apply_alarm_levels(s, market.admin, "80", "30.50", "10", building_b)
    assert n == 1
    with market.db.transaction() as s:
        levels = sorted(
            s.execute(select(Account.alarm1, Account.alarm2, Account.overdraft_limit)).all()
        )
    assert levels == [
        (Decimal("50"), Decimal("20"), Decimal("0")),
        (Decimal("80"), Decimal("30.5"), Decimal("10")),
    ]
    assert audited(market, "control.alarm_levels")[0].detail["accounts"] == 1


def test_stalls_created_or_imported_after_the_market_levels_are_set_open_with_them(market):
    from app.services.market.imports import import_excel
    from tests.builders import xlsx

    market.a_stall("A01")
    with market.db.transaction() as s:
        control_rules.apply_alarm_levels(s, market.admin, "100", "40", "15")  # all buildings
        building_b = stalls.create_building(s, market.admin, "二号楼").id
        control_rules.apply_alarm_levels(s, market.admin, "70", "35", "5", building_b)
        rules = control_rules.current_rules(s, market.site_id)
    # one building's levels are that building's: the market keeps the levels set for all
    assert (rules.default_alarm1, rules.default_alarm2, rules.default_overdraft_limit) == (
        Decimal("100"),
        Decimal("40"),
        Decimal("15"),
    )
    market.a_stall("A02")  # Stalls → New
    with market.db.transaction() as s:
        result = import_excel(
            s, market.admin, "stalls", xlsx([["楼栋", "档位编号", "名称"], ["一号楼", "A03", "鱼"]])
        )
        assert result.ok, result.problems
        levels = {
            code: (a1, a2, limit)
            for code, a1, a2, limit in s.execute(
                select(Stall.code, Account.alarm1, Account.alarm2, Account.overdraft_limit).join(
                    Account, Account.stall_id == Stall.id
                )
            )
        }
    opened = (Decimal("100"), Decimal("40"), Decimal("15"))
    assert levels["A02"] == opened  # created one by one
    assert levels["A03"] == opened  # imported


@pytest.mark.parametrize(
    "a1, a2, limit, says",
    [
        ("20", "50", "0", "不能高于一级"),
        ("abc", "20", "0", "一级报警金额"),
        ("50", "20", "-5", "透支额度"),
        ("5,0", "20", "0", "逗号位置不对"),
        ("50", "2e1", "0", "二级报警金额"),
    ],
)
def test_bad_alarm_levels_change_no_stall(market, a1, a2, limit, says):
    market.a_stall("A01")
    with pytest.raises(ServiceError, match=says), market.db.transaction() as s:
        control_rules.apply_alarm_levels(s, market.admin, a1, a2, limit)
    with market.db.transaction() as s:
        assert s.scalar(select(Account.alarm1)) == Decimal("50")


def test_the_last_admin_cannot_be_demoted_or_disabled(market):
    with market.db.transaction() as s:
        second = add_user(s, market.admin, "boss2", "boss2-pass", Role.ADMIN)
    boss2 = Actor(second.id, "boss2", Role.ADMIN, market.site_id)
    with market.db.transaction() as s:
        change_role(s, boss2, market.admin.user_id, Role.CASHIER)  # two admins: fine
    with pytest.raises(Conflict), market.db.transaction() as s:
        deactivate(s, boss2, second.id)  # oneself
    with market.db.transaction() as s:
        change_role(s, boss2, market.admin.user_id, Role.ADMIN)
        deactivate(s, market.admin, second.id)
    # boss is the last active admin now; a second admin account exists but is disabled
    with pytest.raises(Conflict, match="最后一位管理员"), market.db.transaction() as s:
        change_role(
            s, Actor(None, "system", Role.ADMIN, market.site_id), market.admin.user_id, Role.VIEWER
        )
    with pytest.raises(Conflict, match="最后一位管理员"), market.db.transaction() as s:
        deactivate(s, Actor(None, "system", Role.ADMIN, market.site_id), market.admin.user_id)


def test_a_line_keeps_its_dlt645_control_password_secret_and_checks_the_codes(market):
    spec = ChannelSpec(
        "二号楼 645",
        ChannelKind.SERIAL_SERVER,
        {
            "host": "10.0.0.9",
            "port": "4001",
            "dlt645_password": "123456",
            "dlt645_level": "04",
            "dlt645_operator": "87654321",
        },
    )
    with market.db.transaction() as s:
        cid = channels.create_channel(s, market.admin, spec)
        row = channels.list_channels(s, market.site_id)[0]
    assert row.settings["dlt645_password"] == MASK and row.settings["dlt645_level"] == "04"
    with market.db.transaction() as s:  # edited with the password left as shown: kept
        channels.update_channel(
            s, market.admin, cid, ChannelSpec(spec.name, spec.kind, dict(row.settings))
        )
    with market.db.transaction() as s:
        stored = s.get(Channel, cid).settings
        assert (stored["dlt645_password"], stored["dlt645_operator"]) == ("123456", "87654321")
        # what the comm service gets: the meters' driver builds its 1C frames from these
        s.add(
            Meter(
                site_id=market.site_id,
                kind=MeterKind.ELECTRIC,
                address="000000000001",
                channel_id=cid,
                protocol=Protocol.DLT645_2007,
            )
        )
        s.flush()
        config = next(c for c in channel_configs(s, market.site_id) if c.id == cid)
    assert config.settings["dlt645_password"] == "123456"
    logged = str(
        [e.detail for e in audited(market, "channel.create") + audited(market, "channel.update")]
    )
    assert "123456" not in logged and "87654321" in logged
    for bad in (
        {"dlt645_password": "12345"},
        {"dlt645_level": "4"},
        {"dlt645_operator": "8765432G"},
    ):
        with pytest.raises(ServiceError, match="DL/T 645"), market.db.transaction() as s:
            channels.update_channel(
                s, market.admin, cid, ChannelSpec(spec.name, spec.kind, {**spec.settings, **bad})
            )
    with market.db.transaction() as s:
        assert s.get(Channel, cid).settings["dlt645_level"] == "04"


def test_importing_a_channel_list_again_keeps_what_the_office_typed(market):
    """A re-import (a simulator's manifest, a gateway list) names hosts and ports: the push
    token that the CTWing subscription holds and a line's control password stay."""
    from app.comm.types import ChannelConfig

    nb = ChannelConfig(
        1,
        "NB 水表",
        ChannelKind.CTWING,
        {"base_url": "http://127.0.0.1:1", "app_key": "k", "app_secret": "s", "push_port": 9600},
    )
    line = ChannelConfig(2, "一号楼", ChannelKind.SERIAL_SERVER, {"host": "10.0.0.5", "port": 4001})
    with market.db.transaction() as s:
        ids = channels.sync_channels(s, market.admin, [nb, line])
        s.get(Channel, ids[1]).settings = {**s.get(Channel, ids[1]).settings, "push_token": "t0ken"}
        s.get(Channel, ids[2]).settings = {
            **s.get(Channel, ids[2]).settings,
            "dlt645_password": "123456",
        }
    moved = ChannelConfig(
        2, "一号楼", ChannelKind.SERIAL_SERVER, {"host": "10.0.0.6", "port": 4001}
    )
    with market.db.transaction() as s:
        channels.sync_channels(s, market.admin, [nb, moved])
        assert s.get(Channel, ids[1]).settings["push_token"] == "t0ken"
        assert s.get(Channel, ids[2]).settings == {
            "host": "10.0.0.6",
            "port": 4001,
            "dlt645_password": "123456",
        }
