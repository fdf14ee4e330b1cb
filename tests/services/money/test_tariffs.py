"""Tariffs: the admin sets prices; pricing splits TOU rates and tier blocks."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.comm.types import MeterKind
from app.models.tariff import TariffMode
from app.models.user import AuditEvent
from app.services.money.tariffs import (
    TariffPlan,
    TariffSpec,
    create_tariff,
    price_usage,
    update_tariff,
)
from app.services.platform.context import PermissionDenied, ServiceError
from tests.builders import Market

D = Decimal


def plan(mode, price="1.0000", rates=None, tiers=()):
    return TariffPlan(1, "t", MeterKind.ELECTRIC, mode, D(price), rates or {}, (), tuple(tiers))


def test_flat_price_rounds_once_half_up():
    (part,) = price_usage(plan(TariffMode.FLAT, "0.6525"), D("10.010"))
    assert part.amount == D("6.53")  # 6.531525 → 6.53


def test_tou_difference_between_total_and_rate_registers_goes_to_the_biggest_rate():
    parts = price_usage(
        plan(TariffMode.TOU, rates={1: D("1.2"), 3: D("0.8")}),
        D("10.02"),
        rate_quantities={1: D("2"), 3: D("8")},
    )
    assert [(p.quantity, p.amount) for p in parts] == [(D("2"), D("2.40")), (D("8.02"), D("6.42"))]


def test_tier_block_boundary_splits_a_usage():
    tiers = [(D("100"), D("0.5")), (D("200"), D("0.6")), (None, D("0.8"))]
    parts = price_usage(plan(TariffMode.TIERED, tiers=tiers), D("150"), month_used=D("90"))
    assert [(p.quantity, p.price) for p in parts] == [
        (D("10"), D("0.5")),
        (D("100"), D("0.6")),
        (D("40"), D("0.8")),
    ]


def test_admin_creates_and_changes_a_tariff_and_it_is_audited(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        spec = TariffSpec(
            "商业分时",
            MeterKind.ELECTRIC,
            TariffMode.TOU,
            D("0.8"),
            {1: D("1.3"), 2: D("1.1"), 3: D("0.8"), 4: D("0.4")},
            [(0, 4), (480, 2), (1320, 4)],
        )
        with pytest.raises(PermissionDenied):
            create_tariff(s, m.cashier, spec)
        created = create_tariff(s, m.admin, spec)
        assert created.rate_prices[1] == D("1.3000") and created.periods[1] == (480, 2)
        changed = update_tariff(
            s,
            m.admin,
            created.id,
            TariffSpec("商业平价", MeterKind.ELECTRIC, TariffMode.FLAT, D("0.9")),
        )
        assert changed.mode is TariffMode.FLAT and changed.rate_prices == {}
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.entity == "tariff")).all()
        assert actions == ["tariff.create", "tariff.update"]
        with pytest.raises(ServiceError, match="阶梯"):
            create_tariff(
                s,
                m.admin,
                TariffSpec(
                    "坏阶梯",
                    MeterKind.WATER,
                    TariffMode.TIERED,
                    D(3),
                    tiers=[(None, D(3)), (D(10), D(4))],
                ),
            )


def test_a_tariff_typed_on_one_line_is_read_by_the_service():
    from app.services.money.tariffs import read_tariff

    tou = read_tariff(
        "分时",
        MeterKind.ELECTRIC,
        TariffMode.TOU,
        "",
        {
            1: "1.2",
            2: "1.0",
            3: "0.8",
            4: "",
        },
        "00:00=谷，08:00=峰, 11:00=1",
        "ignored",
    )
    assert tou.rate_prices == {1: D("1.2000"), 2: D("1.0000"), 3: D("0.8000")}
    assert (
        list(tou.periods) == [(0, 4), (480, 2), (660, 1)]
        and tou.price == D("0.0000")
        and not tou.tiers
    )
    tiered = read_tariff("阶梯", MeterKind.WATER, TariffMode.TIERED, "", {}, "", "200=0.6, =1.0")
    assert list(tiered.tiers) == [
        (D("200.0000"), D("0.6000")),
        (None, D("1.0000")),
    ] and tiered.price == D("0.6000")


@pytest.mark.parametrize(
    ("periods", "tiers", "complaint"),
    [
        ("08:00", "", "08:00"),
        ("", "200", "200"),
        ("", "200=-1", "单价"),
        ("", "abc=1", "用量上限"),
    ],
)
def test_a_tariff_typed_wrong_says_which_part(periods, tiers, complaint):
    from app.models.money import AmountError
    from app.services.money.tariffs import read_tariff

    mode = TariffMode.TOU if periods else TariffMode.TIERED
    with pytest.raises((ServiceError, AmountError)) as e:
        read_tariff(
            "t", MeterKind.ELECTRIC, mode, "1", {1: "1", 2: "1", 3: "1", 4: "1"}, periods, tiers
        )
    assert complaint in str(e.value)


def test_a_rate_price_typed_wrong_names_the_rate():
    from app.models.money import AmountError
    from app.services.money.tariffs import read_tariff

    with pytest.raises(AmountError, match="峰的单价"):
        read_tariff("t", MeterKind.ELECTRIC, TariffMode.TOU, "", {1: "1", 2: "x"}, "00:00=1", "")


def test_stall_units_of_a_charge_item_are_read_by_the_service():
    from app.services.money.tariffs import parse_stall_units

    assert parse_stall_units("A01=2， A02 = 1；A03=3") == {"A01": "2", "A02": "1", "A03": "3"}
    with pytest.raises(ServiceError, match="A04"):
        parse_stall_units("A04")
